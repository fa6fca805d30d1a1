// The parts of the HTML compliance report (report/html_report.h), shared by
// the writer (html_report.cpp), the overview (html_overview.cpp) and the
// style and script (html_style.cpp). Internal to report/.
#pragma once

#include <array>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <vector>

#include "report/model.h"
#include "report/scan_report.h"

namespace hfa::report::html {

// Neither may hold '<', '>' or '&': pugixml escapes text, and inside <style>
// and <script> HTML does not unescape it.
extern const char* const kStyle;
extern const char* const kScript;

// valid_utf8, quick for the plain ASCII that most of a page is.
inline std::string utf8(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x80) return valid_utf8(s);
  return s;
}

// A pugixml node with the few things a page needs: every text goes in as a
// text node, so pugixml escapes it, and as UTF-8 (an image's bytes need not be).
class Html {
 public:
  explicit Html(pugi::xml_node node) : node_(node) {}
  Html add(const char* tag, const std::string& text = "", const std::string& cls = "") {
    auto child = node_.append_child(tag);
    if (!cls.empty()) child.append_attribute("class") = cls.c_str();
    if (!text.empty()) child.append_child(pugi::node_pcdata).set_value(utf8(text).c_str());
    return Html(child);
  }
  Html& attr(const char* name, const std::string& value) {
    node_.append_attribute(name) = utf8(value).c_str();
    return *this;
  }
  void text(const std::string& t) { node_.append_child(pugi::node_pcdata).set_value(utf8(t).c_str()); }
  pugi::xml_node node() const { return node_; }

 private:
  pugi::xml_node node_;
};

// The statuses in the order a reader wants them: problems first.
inline constexpr analyzer::Status kStatusOrder[] = {analyzer::Status::missing, analyzer::Status::inconsistent,
                                                    analyzer::Status::unknown, analyzer::Status::waived,
                                                    analyzer::Status::fixed,   analyzer::Status::not_applicable};
inline constexpr size_t kStatuses = std::size(kStatusOrder);
size_t status_index(analyzer::Status s);  // its place in kStatusOrder
std::string status_word(analyzer::Status s);
// "st st-missing": each status word its CSS class.
std::string status_class(const std::string& word);
Html status_span(Html parent, const std::string& word, const std::string& shown = "");

// What the overview needs of one target, kept while the fleet is written:
// a few words and a character per article, never its findings.
struct HostRecord {
  enum class Kind { scanned, failed, out_of_scope };
  Kind kind = Kind::scanned;
  size_t index = 0;      // its section: "host-INDEX"
  std::string host;      // as outputs name it
  std::string label;     // "host : WINNT"
  std::string statuses;  // the data-statuses attribute: the status words present
  std::string cells;     // per article (PageTotals::kbs), its status's kStatusOrder index as '0'+i, '-' none
  int counted = 0;
  int settled = 0;    // missing and inconsistent findings: known to need an install
  long plan_at = -1;  // where its plan's fragment starts in the plans file
  long plan_size = 0;
};

// The counts of the page, target by target.
struct PageTotals {
  Summary summary;
  std::vector<std::string> kbs, titles;  // the database's articles, then any other a finding named
  std::map<std::string, size_t> kb_index;
  std::vector<std::array<int, kStatuses>> per_kb;  // per article, findings per status (kStatusOrder)
  std::vector<int> hosts_with_problem;             // per article, targets with a counted finding
  int any_unknown = 0;
  std::vector<HostRecord> hosts;
  std::set<std::string> names;

  size_t article(const std::string& kb, const std::string& title);
  // The articles with a counted finding on some target, most missing first.
  std::vector<size_t> problem_articles() const;
};

// The overview, in the page's order; `plans` holds the fragments HostRecord
// points into, copied in by the writer at the marker kPlanItems.
inline constexpr const char* kPlanItems = "hfa-plan-items";
inline constexpr const char* kHostSections = "hfa-host-sections";
inline constexpr const char* kFailedRows = "hfa-failed-rows";
void add_marker(Html parent, const char* name);

void add_header(Html body, const nlohmann::ordered_json& doc, const PageTotals& s, const std::string& generated);
void add_provenance(Html body, const nlohmann::ordered_json& doc);
void add_summary(Html body, const PageTotals& s);
void add_action(Html body, const PageTotals& s);
void add_impact(Html body, const PageTotals& s);
void add_filter(Html body);
void add_matrix(Html body, const PageTotals& s);
// The matrix's tables: the screen's (every problem article), then paper's
// chunks. Their rows are written one host at a time at matrix_marker(N),
// so that the page never holds a fleet's matrix.
struct MatrixTable {
  std::vector<size_t> columns;  // indexes into PageTotals::kbs
  bool abbreviated = false;     // one-letter cells, for paper
};
std::vector<MatrixTable> matrix_tables(const PageTotals& s);
std::string matrix_marker(size_t number);
void add_matrix_row(Html parent, const PageTotals& s, const HostRecord& h, const MatrixTable& t);
void add_waivers(Html body, const nlohmann::ordered_json& doc);
void add_failed(Html body, int failed);
void add_database(Html body, const PageTotals& s);
// A plan's <ol> (the host's fragment in the list of hosts needing action).
void add_plan(Html parent, const std::vector<analyzer::PlanStep>& plan);

}  // namespace hfa::report::html
