// The compliance report for people: one self-contained HTML file (no network,
// no external CSS or script, charts as inline SVG), built as pugixml trees so
// that every value taken from an image (host names, paths, PE strings) is
// escaped text. Each target is read into the typed model (target_from_json),
// so `scan`, `report merge` and `report convert` give the same page. The
// parts: html_report.cpp (this writer, the host sections), html_overview.cpp
// (summary, plans, articles, matrix), html_style.cpp (CSS and script).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "report/scan_report.h"

namespace hfa::report {

struct HtmlOptions {
  std::string generated;  // when, as shown ("2026-11-26T01:00:00Z"); "" leaves it out
};

// A page readable without its script; the script (a filter by status, host
// name and KB that hides the findings not matching, then the hosts left with
// none) also reads its initial state from the URL fragment:
// report.html#status=missing&name=srv&kb=Q24.
std::string to_html(const nlohmann::ordered_json& document, const HtmlOptions& options);

// The same page, target object by target object. The overview (summary, the
// hosts needing action and their plans, the articles by impact, the host x
// article matrix, the hosts not scanned) comes before the host sections but
// covers every host, so the sections and plan items wait in unlinked
// temporary files (tmpfile()) and are copied in behind it by finish(), the
// matrix rows written there from a record per host: memory holds counts and
// a byte per host and article, never the fleet. The constructor throws std::runtime_error when no
// temporary file can be made; add() never throws (it runs while a fleet's
// workers do): a file that could not be written makes finish() throw.
class HtmlWriter {
 public:
  // `head`: {"tool","database"}, as document_head makes it, and "provenance"
  // when the run has one (shown; absent, left out).
  HtmlWriter(Sink sink, nlohmann::ordered_json head, HtmlOptions options);
  ~HtmlWriter();
  HtmlWriter(const HtmlWriter&) = delete;
  HtmlWriter& operator=(const HtmlWriter&) = delete;
  void add(const nlohmann::ordered_json& target);
  void add(const TargetItem& target);  // already read into the model (scan reads it once)
  // `tail`: the document's keys after the summary (the run's "waivers", and
  // "provenance" when it comes last).
  void finish(const nlohmann::ordered_json& tail);

 private:
  struct State;
  static void add_target(State& s, const TargetItem& target);
  std::unique_ptr<State> state_;
};

}  // namespace hfa::report
