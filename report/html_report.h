// The compliance report for people: one self-contained HTML file (no network,
// no external CSS or script), built as a pugixml document tree so that every
// value taken from an image (host names, paths, PE strings) is escaped text.
// Rendered from the JSON document, so `scan` and `report merge` give the same
// page. Statuses are rendered generically: each status word gets the CSS class
// "st-WORD", so a status this file does not know still shows, as its word.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "report/scan_report.h"

namespace hfa::report {

struct HtmlOptions {
  std::string generated;  // when, as shown ("2026-11-26T01:00:00Z"); "" leaves it out
};

// A page readable without its script; the script (a filter by status and by
// name) also reads its initial state from the URL fragment:
// report.html#status=missing&name=srv shows only matching hosts.
std::string to_html(const nlohmann::ordered_json& document, const HtmlOptions& options);

// The same page, target object by target object. The overview (summary, the
// host x article matrix, the hosts not scanned) comes before the host sections
// but covers every host, so the rows and sections wait in unlinked temporary
// files (tmpfile()) and are copied in behind it by finish(): memory holds
// counts, never the fleet. The constructor throws std::runtime_error when no
// temporary file can be made; add() never throws (it runs while a fleet's
// workers do): a file that could not be written makes finish() throw.
class HtmlWriter {
 public:
  // `head`: {"tool","database"}, as document_head makes it.
  HtmlWriter(Sink sink, nlohmann::ordered_json head, HtmlOptions options);
  ~HtmlWriter();
  HtmlWriter(const HtmlWriter&) = delete;
  HtmlWriter& operator=(const HtmlWriter&) = delete;
  void add(const nlohmann::ordered_json& target);
  // `tail`: the document's keys after the summary (the run's "waivers").
  void finish(const nlohmann::ordered_json& tail);

 private:
  struct State;
  static void add_target(State& s, const nlohmann::ordered_json& target);
  std::unique_ptr<State> state_;
};

}  // namespace hfa::report
