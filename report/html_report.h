// The compliance report for people: one self-contained HTML file (no network,
// no external CSS or script), built as a pugixml document tree so that every
// value taken from an image (host names, paths, PE strings) is escaped text.
// Rendered from the JSON document, so `scan` and `report merge` give the same
// page. Statuses are rendered generically: each status word gets the CSS class
// "st-WORD", so a status this file does not know still shows, as its word.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace hfa::report {

struct HtmlOptions {
  std::string generated;  // when, as shown ("2026-11-26T01:00:00Z"); "" leaves it out
};

// A page readable without its script; the script (a filter by status and by
// name) also reads its initial state from the URL fragment:
// report.html#status=missing&name=srv shows only matching hosts.
std::string to_html(const nlohmann::ordered_json& document, const HtmlOptions& options);

}  // namespace hfa::report
