// The report's overview, before the host sections: the summary with its
// charts, the hosts needing action and the fleet's plan, the articles by
// impact and the host x article matrix. All of it from PageTotals: counts and
// a short record per host, so that it covers a fleet without holding it.
#include <algorithm>
#include <cctype>

#include "report/html_parts.h"

namespace hfa::report::html {

using analyzer::Status;
using nlohmann::ordered_json;

size_t status_index(Status s) {
  for (size_t i = 0; i < kStatuses; ++i)
    if (kStatusOrder[i] == s) return i;
  return 0;
}

std::string status_word(Status s) { return std::string(analyzer::to_string(s)); }

std::string status_class(const std::string& word) {
  std::string out = "st st-";
  for (char c : word) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '_';
  return out;
}

Html status_span(Html parent, const std::string& word, const std::string& shown) {
  return parent.add("span", shown.empty() ? word : shown, status_class(word));
}

void add_marker(Html parent, const char* name) { parent.node().append_child(pugi::node_comment).set_value(name); }

size_t PageTotals::article(const std::string& kb, const std::string& title) {
  const auto [it, added] = kb_index.emplace(kb, kbs.size());
  if (added) {
    kbs.push_back(kb);
    titles.push_back(title);
    per_kb.emplace_back();
    per_kb.back().fill(0);
    hosts_with_problem.push_back(0);
  }
  return it->second;
}

std::vector<size_t> PageTotals::problem_articles() const {
  std::vector<size_t> out;
  for (size_t i = 0; i < kbs.size(); ++i)
    if (hosts_with_problem[i] > 0) out.push_back(i);
  const auto missing = status_index(Status::missing);
  std::stable_sort(out.begin(), out.end(), [&](size_t a, size_t b) {
    if (per_kb[a][missing] != per_kb[b][missing]) return per_kb[a][missing] > per_kb[b][missing];
    return hosts_with_problem[a] > hosts_with_problem[b];
  });
  return out;
}

namespace {

std::string str(const ordered_json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return "";
  const auto& v = j[key];
  return v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string plural(int n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

const char* colour_of(Status s) {
  switch (s) {
    case Status::missing:
      return "#c62828";
    case Status::inconsistent:
      return "#7b1fa2";
    case Status::unknown:
      return "#f9a825";
    case Status::waived:
      return "#1565c0";
    case Status::fixed:
      return "#2e7d32";
    case Status::not_applicable:
      return "#9e9e9e";
  }
  return "#bbb";
}

struct Slice {
  std::string id, label, colour;
  int n;
};

// One bar cut into slices by count, with a legend giving each count: the
// numbers are in the text too, so the chart is never the only way to read them.
void add_stacked_bar(Html parent, const std::vector<Slice>& slices, const std::string& id) {
  int total = 0;
  std::string label;  // what a screen reader says for the picture
  for (const auto& s : slices) {
    total += s.n;
    label += (label.empty() ? "" : ", ") + s.label + " " + std::to_string(s.n);
  }
  constexpr int kWidth = 600, kHeight = 28;
  auto svg = parent.add("svg", "", "chart")
                 .attr("id", id)
                 .attr("xmlns", "http://www.w3.org/2000/svg")
                 .attr("role", "img")
                 .attr("aria-label", label)
                 .attr("width", std::to_string(kWidth))
                 .attr("height", std::to_string(kHeight))
                 .attr("viewBox", "0 0 " + std::to_string(kWidth) + " " + std::to_string(kHeight));
  double x = 0;
  for (const auto& s : slices) {
    if (s.n == 0 || total == 0) continue;
    const double w = double(kWidth) * s.n / total;
    auto rect = svg.add("rect")
                    .attr("x", std::to_string(int(x + 0.5)))
                    .attr("y", "0")
                    .attr("width", std::to_string(std::max(1, int(x + w + 0.5) - int(x + 0.5))))
                    .attr("height", std::to_string(kHeight))
                    .attr("fill", s.colour)
                    .attr("data-n", std::to_string(s.n));
    rect.add("title", s.label + ": " + std::to_string(s.n));
    x += w;
  }
  auto legend = parent.add("ul", "", "legend");
  for (const auto& s : slices) {
    auto li = legend.add("li");
    li.add("i").attr("style", "background:" + s.colour);
    li.add("span", s.label + ": ");
    li.add("strong", std::to_string(s.n)).attr("id", s.id);
  }
}

// Findings by status: one bar per status, scaled to the largest.
void add_status_bars(Html parent, const PageTotals& s) {
  int most = 1;
  std::string label = "findings by status:";
  for (auto st : kStatusOrder) {
    most = std::max(most, s.summary.findings().at(st));
    label += " " + status_word(st) + " " + std::to_string(s.summary.findings().at(st)) + ",";
  }
  label.pop_back();
  constexpr int kRow = 20, kLabel = 110, kBar = 400;
  const int height = int(kStatuses) * kRow;
  auto svg = parent.add("svg", "", "chart")
                 .attr("id", "status-chart")
                 .attr("xmlns", "http://www.w3.org/2000/svg")
                 .attr("role", "img")
                 .attr("aria-label", label)
                 .attr("width", std::to_string(kLabel + kBar + 60))
                 .attr("height", std::to_string(height))
                 .attr("viewBox", "0 0 " + std::to_string(kLabel + kBar + 60) + " " + std::to_string(height));
  int y = 0;
  for (auto st : kStatusOrder) {
    const int n = s.summary.findings().at(st);
    svg.add("text", status_word(st)).attr("x", "0").attr("y", std::to_string(y + 14)).attr("font-size", "12");
    svg.add("rect")
        .attr("x", std::to_string(kLabel))
        .attr("y", std::to_string(y + 3))
        .attr("width", std::to_string(n == 0 ? 0 : std::max(1, kBar * n / most)))
        .attr("height", std::to_string(kRow - 6))
        .attr("fill", colour_of(st));
    svg.add("text", std::to_string(n))
        .attr("x", std::to_string(kLabel + (n == 0 ? 0 : std::max(1, kBar * n / most)) + 4))
        .attr("y", std::to_string(y + 14))
        .attr("font-size", "12");
    y += kRow;
  }
}

// Flattens {"database":{"sha256":...}} to "database sha256".
void add_facts(Html table, const std::string& prefix, const ordered_json& j) {
  for (const auto& [k, v] : j.items()) {
    const auto name = prefix.empty() ? k : prefix + " " + k;
    if (v.is_object()) {
      add_facts(table, name, v);
      continue;
    }
    auto row = table.add("tr");
    row.add("th", name);
    row.add("td", v.is_string() ? valid_utf8(v.get<std::string>())
                                : v.dump(-1, ' ', false, ordered_json::error_handler_t::replace));
  }
}

}  // namespace

void add_header(Html body, const ordered_json& doc, const PageTotals& s, const std::string& generated) {
  body.add("h1", "Hotfix compliance report");
  auto p = body.add("p");
  if (!generated.empty()) {
    p.text("Generated ");
    p.add("time", generated).attr("datetime", generated);
    p.text(" by ");
  } else {
    p.text("Made by ");
  }
  const auto& tool = doc.contains("tool") ? doc["tool"] : ordered_json();
  p.text(str(tool, "name") + " " + str(tool, "version") + ". " + plural(int(s.names.size()), "host", "hosts") + ", " +
         plural(int(s.summary.targets()), "installation", "installations") + " audited against " +
         plural(int(s.kbs.size()), "article", "articles") + ".");
  if (doc.contains("provenance") && doc["provenance"].is_object()) {
    p.text(" ");
    p.add("a", "Provenance").attr("href", "#provenance");
    p.text(" (the case, the database and the scan's times) is at the end.");
  }
}

void add_provenance(Html body, const ordered_json& doc) {
  if (!doc.contains("provenance") || !doc["provenance"].is_object()) return;
  body.add("h2", "Provenance").attr("id", "provenance");
  auto table = body.add("table", "", "facts").attr("id", "provenance-facts");
  add_facts(table, "", doc["provenance"]);
}

void add_summary(Html body, const PageTotals& s) {
  const auto& sum = s.summary;
  body.add("h2", "Summary").attr("id", "summary");
  const int targets = int(sum.targets());
  const int percent = targets ? (100 * sum.compliant() + targets / 2) / targets : 100;
  auto p = body.add("p");
  p.add("strong", std::to_string(percent) + "%").attr("id", "compliance");
  p.text(" of installations compliant (" + std::to_string(sum.compliant()) + " of " + std::to_string(targets) +
         "): no finding missing, inconsistent or unknown. An installation not scanned, or outside the database's "
         "scope, is not compliant.");
  if (s.any_unknown > 0) {
    auto banner = body.add("p", "", "banner").attr("id", "unknown-banner");
    banner.add("strong", "Unknown means not verified. ");
    banner.text(plural(s.any_unknown, "finding is", "findings are") +
                " unknown: the evidence on the image could not show the fix present or absent. They count against "
                "compliance until someone checks them by hand; they are not a pass.");
  }
  body.add("h3", "Installations");
  add_stacked_bar(body,
                  {{"count-compliant", "compliant", "#2e7d32", sum.compliant()},
                   {"count-action", "needing action", "#c62828", sum.needing_action()},
                   {"count-not-verifiable", "not verifiable (only unknown findings)", "#f9a825", sum.not_verifiable()},
                   {"count-failed", "not scanned", "#555555", sum.failed()},
                   {"count-out-of-scope", "out of scope (not judged)", "#9e9e9e", sum.out_of_scope()}},
                  "compliance-chart");

  body.add("h3", "Findings by status");
  auto pair = body.add("div", "", "pair");
  add_status_bars(pair, s);
  auto counts = pair.add("table").attr("id", "status-counts");
  auto head = counts.add("tr");
  head.add("th", "Status");
  head.add("th", "Findings", "num");
  for (auto st : kStatusOrder) {
    auto row = counts.add("tr");
    status_span(row.add("td"), status_word(st));
    row.add("td", std::to_string(sum.findings().at(st)), "num").attr("id", "count-" + status_word(st));
  }
}

void add_action(Html body, const PageTotals& s) {
  body.add("h2", "Hosts needing action").attr("id", "action-head");
  // Listed: every installation with a counted finding, not verifiable ones too.
  const int n = s.summary.needing_action() + s.summary.not_verifiable();
  if (n == 0) {
    body.add("p", "No installation has a finding counted against it.");
  } else {
    body.add("p", plural(n, "installation has", "installations have") +
                      " findings counted against them; worst first, each with what to install, in order.");
    auto ol = body.add("ol").attr("id", "action");
    add_marker(ol, kPlanItems);
  }
  const auto plan = s.summary.fleet_plan();
  if (plan.empty()) return;
  body.add("h3", "Fleet plan").attr("id", "fleet-plan-head");
  body.add("p",
           "Each thing to install across the fleet, with the installations it is on and the findings it fixes "
           "there, most findings first.");
  auto table = body.add("table").attr("id", "fleet-plan");
  auto head = table.add("tr");
  for (const char* h : {"Install", "What", "On", "Fixes", "In words"}) head.add("th", h);
  for (const auto& step : plan) {
    auto row = table.add("tr");
    row.add("td", step.remedy.id, "remedy");
    row.add("td", std::string(analyzer::to_string(step.remedy.kind)) +
                      (step.remedy.title.empty() ? "" : ": " + step.remedy.title));
    row.add("td", plural(step.hosts, "host", "hosts"), "num");
    row.add("td", plural(step.findings, "finding", "findings"), "num");
    row.add("td", step.remedy.id + " on " + plural(step.hosts, "host", "hosts") + " fixes " +
                      plural(step.findings, "finding", "findings"));
  }
}

void add_plan(Html parent, const std::vector<analyzer::PlanStep>& plan) {
  auto ol = parent.add("ol", "", "plan");
  for (const auto& step : plan) {
    auto li = ol.add("li");
    li.add("span", "Install " + step.remedy.id, "remedy");
    if (!step.remedy.title.empty()) li.text(" (" + step.remedy.title + ")");
    std::string fixes;
    for (const auto& kb : step.fixes) fixes += (fixes.empty() ? "" : ", ") + kb;
    li.text(": fixes " + fixes);
    if (!step.remedy.source.empty()) li.text("; as " + step.remedy.source + " says");
  }
}

void add_impact(Html body, const PageTotals& s) {
  body.add("h2", "Articles by impact").attr("id", "impact-head");
  const auto problems = s.problem_articles();
  if (problems.empty()) {
    body.add("p", "No article has a finding counted against it on any installation.");
    return;
  }
  body.add("p", plural(int(problems.size()), "article has", "articles have") +
                    " a finding counted against it on some installation, most missing first; the other " +
                    std::to_string(s.kbs.size() - problems.size()) + " have none.");
  auto table = body.add("table").attr("id", "impact");
  auto head = table.add("tr");
  head.add("th", "KB");
  head.add("th", "Title");
  head.add("th", "Installations", "num");
  for (auto st : kStatusOrder) head.add("th", status_word(st), status_class(status_word(st)));
  for (size_t i : problems) {
    auto row = table.add("tr").attr("data-kb", s.kbs[i]);
    row.add("th", s.kbs[i]);
    row.add("td", s.titles[i]);
    row.add("td", std::to_string(s.hosts_with_problem[i]), "num");
    for (size_t k = 0; k < kStatuses; ++k)
      row.add("td", std::to_string(s.per_kb[i][k]), "num").attr("data-status", status_word(kStatusOrder[k]));
  }
}

void add_filter(Html body) {
  auto form = body.add("form").attr("id", "filter").attr("hidden", "hidden");
  auto l1 = form.add("label", "Status ");
  auto select = l1.add("select").attr("id", "filter-status");
  select.add("option", "any").attr("value", "");
  for (auto st : kStatusOrder) select.add("option", status_word(st)).attr("value", status_word(st));
  select.add("option", "not scanned").attr("value", "error");
  select.add("option", "out of scope").attr("value", "out-of-scope");
  form.text(" ");
  form.add("label", "Host contains ").add("input").attr("id", "filter-name").attr("type", "search");
  form.text(" ");
  form.add("label", "KB contains ").add("input").attr("id", "filter-kb").attr("type", "search").attr("size", "8");
  form.text(" ");
  form.add("output").attr("id", "filter-count");
}

namespace {

// A matrix cell's word on paper, where sixteen columns share a page.
std::string abbreviation(Status st) {
  switch (st) {
    case Status::missing:
      return "M";
    case Status::inconsistent:
      return "I";
    case Status::unknown:
      return "U";
    case Status::waived:
      return "W";
    case Status::fixed:
      return "F";
    case Status::not_applicable:
      return "n/a";
  }
  return "?";
}

void add_matrix_table(Html parent, const PageTotals& s, const MatrixTable& t, size_t number) {
  auto table = parent.add("table", "", t.abbreviated ? "matrix print-chunk" : "matrix");
  if (number == 0) table.attr("id", "host-matrix");
  auto cols = table.add("colgroup");
  cols.add("col", "", "host-col");
  for (size_t n = 0; n < t.columns.size(); ++n) cols.add("col");
  // In a <thead>, so that paper repeats it on each page the table runs onto.
  auto head = table.add("thead").add("tr");
  head.add("th", "Host", "host");
  for (size_t i : t.columns) head.add("th", s.kbs[i]).attr("title", s.titles[i]).attr("data-kb", s.kbs[i]);
  // The rows, one per installation, are written by the writer, one at a time.
  add_marker(table, matrix_marker(number).c_str());
}

}  // namespace

std::string matrix_marker(size_t number) { return "hfa-matrix-" + std::to_string(number); }

std::vector<MatrixTable> matrix_tables(const PageTotals& s) {
  std::vector<MatrixTable> out;
  const auto columns = s.problem_articles();
  if (columns.empty()) return out;
  out.push_back({columns, false});
  // Paper does not scroll: the columns in chunks narrow enough for a page.
  constexpr size_t kChunk = 16;
  for (size_t from = 0; from < columns.size(); from += kChunk)
    out.push_back({std::vector<size_t>(columns.begin() + long(from),
                                       columns.begin() + long(std::min(columns.size(), from + kChunk))),
                   true});
  return out;
}

void add_matrix_row(Html parent, const PageTotals& s, const HostRecord& h, const MatrixTable& t) {
  auto row = parent.add("tr").attr("data-host", h.host).attr("data-statuses", h.statuses);
  row.add("th", "", "host").add("a", h.label).attr("href", "#host-" + std::to_string(h.index));
  if (h.kind != HostRecord::Kind::scanned) {
    const bool failed = h.kind == HostRecord::Kind::failed;
    row.add("td", failed ? "not scanned" : "out of scope", status_class(failed ? "error" : "out-of-scope"))
        .attr("colspan", std::to_string(std::max<size_t>(t.columns.size(), 1)));
    return;
  }
  for (size_t i : t.columns) {
    const char c = i < h.cells.size() ? h.cells[i] : '-';
    if (c == '-') {
      row.add("td", "-").attr("data-kb", s.kbs[i]).attr("data-status", "");
      continue;
    }
    const auto st = kStatusOrder[size_t(c - '0')];
    const auto word = status_word(st);
    row.add("td", t.abbreviated ? abbreviation(st) : word, status_class(word))
        .attr("data-kb", s.kbs[i])
        .attr("data-status", word);
  }
}

void add_matrix(Html body, const PageTotals& s) {
  body.add("h2", "Hosts by article").attr("id", "matrix");
  const auto tables = matrix_tables(s);
  if (tables.empty()) {
    body.add("p", "No article has a problem on any installation: no matrix.");
    return;
  }
  body.add("p", "The articles with a finding counted against them somewhere (" +
                    std::to_string(tables[0].columns.size()) + "), most missing first, for every installation.");
  auto scroll = body.add("div", "", "matrix-scroll screen-only");
  add_matrix_table(scroll, s, tables[0], 0);
  auto print = body.add("div", "", "print-only").attr("id", "matrix-print");
  std::string key;
  for (auto st : kStatusOrder) key += (key.empty() ? "" : ", ") + abbreviation(st) + " " + status_word(st);
  print.add("p", "In the printed matrix: " + key + ".");
  for (size_t n = 1; n < tables.size(); ++n) add_matrix_table(print, s, tables[n], n);
}

// The waivers file of the run and the waivers that matched no finding, which
// an auditor must see: a stale exception is a finding of its own.
void add_waivers(Html body, const ordered_json& doc) {
  if (!doc.contains("waivers") || !doc["waivers"].is_object()) return;
  const auto& w = doc["waivers"];
  body.add("h3", "Waivers").attr("id", "waivers");
  body.add("p", "Waivers file: " + str(w, "file"));
  const auto& unused = w.value("unused", ordered_json::array());
  if (unused.empty()) {
    body.add("p", "Every waiver matched a finding.");
    return;
  }
  body.add("p", std::to_string(unused.size()) + " waiver(s) matched no finding:");
  auto ul = body.add("ul", "", "unused-waivers");
  for (const auto& n : unused) ul.add("li", n.is_string() ? n.get<std::string>() : n.dump());
}

void add_failed(Html body, int failed) {
  body.add("h2", "Hosts that could not be scanned").attr("id", "failed");
  auto table = body.add("table").attr("id", "failed-hosts");
  auto head = table.add("tr");
  head.add("th", "Host");
  head.add("th", "Root");
  head.add("th", "Error");
  if (failed == 0)
    table.add("tr").add("td", "none").attr("colspan", "3");
  else
    add_marker(table, kFailedRows);
}

// The articles the findings were judged against; last, since a built-in
// database is long and the reader comes for the findings.
void add_database(Html body, const PageTotals& s) {
  body.add("h2", "Database: " + plural(int(s.kbs.size()), "article", "articles")).attr("id", "database");
  body.add("p", "The database's article list is left out of print.", "print-only");
  auto table = body.add("table", "", "screen-only").attr("id", "articles");
  auto head = table.add("tr");
  head.add("th", "KB");
  head.add("th", "Title");
  for (size_t i = 0; i < s.kbs.size(); ++i) {
    auto row = table.add("tr");
    row.add("td", s.kbs[i]);
    row.add("td", s.titles[i]);
  }
}

}  // namespace hfa::report::html
