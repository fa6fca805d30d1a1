#include "report/html_report.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "report/scan_report.h"

namespace hfa::report {
namespace {

using nlohmann::ordered_json;

// Neither may hold '<', '>' or '&': pugixml escapes text, and inside <style>
// and <script> HTML does not unescape it.
constexpr const char* kStyle = R"CSS(
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #111; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; }
code, .path { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
.st { font-weight: 600; white-space: nowrap; }
.st-fixed { background: #d4f4d4; }
.st-missing { background: #f8c8c8; }
.st-inconsistent { background: #e8cff0; }
.st-unknown { background: #fbe7b0; }
.st-not-applicable { background: #eeeeee; color: #555; }
.st-waived { background: #cfe0fb; }
.st-error { background: #b00020; color: #fff; }
.finding { border-left: 6px solid #bbb; padding-left: 0.6em; margin: 0.8em 0; }
.finding.st-missing { border-color: #c62828; }
.finding.st-fixed { border-color: #2e7d32; }
.finding.st-inconsistent { border-color: #7b1fa2; }
.finding.st-unknown { border-color: #f9a825; }
.finding.st-waived { border-color: #1565c0; }
.finding { background: none; }
section.host { border-top: 2px solid #888; margin-top: 1.5em; }
#filter { margin: 1em 0; padding: 0.5em; background: #f4f4f4; }
[hidden] { display: none !important; }
@media print {
  body { margin: 0; font-size: 10pt; }
  #filter { display: none !important; }
  section.host { break-before: page; }
  .finding, tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  th { background: none; }
}
)CSS";

constexpr const char* kScript = R"JS(
(function () {
  var form = document.getElementById('filter');
  var statusBox = document.getElementById('filter-status');
  var nameBox = document.getElementById('filter-name');
  var counter = document.getElementById('filter-count');
  form.hidden = false;
  function fragment() {
    var out = {};
    location.hash.replace(/^#/, '').split(String.fromCharCode(38)).forEach(function (part) {
      var eq = part.indexOf('=');
      if (eq !== -1) out[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1).replace(/[+]/g, ' '));
    });
    return out;
  }
  function apply() {
    var status = statusBox.value;
    var name = nameBox.value.toLowerCase();
    var shown = 0, total = 0;
    document.querySelectorAll('[data-host]').forEach(function (el) {
      var ok = status === '' || (' ' + el.getAttribute('data-statuses') + ' ').indexOf(' ' + status + ' ') !== -1;
      if (ok) ok = el.getAttribute('data-host').toLowerCase().indexOf(name) !== -1;
      el.hidden = !ok;
      if (el.tagName === 'SECTION') {
        total += 1;
        if (ok) shown += 1;
      }
    });
    counter.textContent = shown + ' of ' + total + ' installations shown';
    counter.setAttribute('data-shown', String(shown));
  }
  var initial = fragment();
  if (initial.status !== undefined) statusBox.value = initial.status;
  if (initial.name !== undefined) nameBox.value = initial.name;
  statusBox.addEventListener('change', apply);
  nameBox.addEventListener('input', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  apply();
})();
)JS";

std::string str(const ordered_json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const auto& v = j[key];
  if (v.is_null()) return "";
  if (v.is_string()) return valid_utf8(v.get<std::string>());
  return v.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

// A CSS class name from a status word: letters, digits and '-' only.
std::string status_class(const std::string& status) {
  std::string out = "st-";
  for (char c : status) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '_';
  return out;
}

class Html {
 public:
  explicit Html(pugi::xml_node node) : node_(node) {}
  Html add(const char* tag, const std::string& text = "", const std::string& cls = "") {
    auto child = node_.append_child(tag);
    if (!cls.empty()) child.append_attribute("class") = cls.c_str();
    if (!text.empty()) child.append_child(pugi::node_pcdata).set_value(text.c_str());
    return Html(child);
  }
  Html& attr(const char* name, const std::string& value) {
    node_.append_attribute(name) = value.c_str();
    return *this;
  }
  void text(const std::string& t) { node_.append_child(pugi::node_pcdata).set_value(t.c_str()); }
  pugi::xml_node node() const { return node_; }

 private:
  pugi::xml_node node_;
};

Html status_cell(Html row, const std::string& status) {
  return row.add("td", status.empty() ? "?" : status, "st " + status_class(status));
}

struct PageTotals {
  std::vector<std::string> statuses = {"missing", "inconsistent", "unknown", "waived", "fixed", "not-applicable"};
  std::map<std::string, int> per_status;
  std::map<std::string, std::map<std::string, int>> per_kb;  // kb -> status -> targets
  int targets = 0, failed = 0, compliant = 0, out_of_scope = 0;
  std::set<std::string> hosts;

  PageTotals() {
    for (const auto& st : statuses) per_status[st] = 0;
  }
  void add(const ordered_json& t) {
    ++targets;
    hosts.insert(host_name(t));
    if (!str(t, "error").empty()) {
      ++failed;
      return;
    }
    // Not judged: never compliant.
    if (!str(t, "out_of_scope").empty()) {
      ++out_of_scope;
      return;
    }
    bool ok = true;
    for (const auto& f : t.value("findings", ordered_json::array())) {
      const auto st = str(f, "status");
      if (std::find(statuses.begin(), statuses.end(), st) == statuses.end()) statuses.push_back(st);
      ++per_status[st];
      ++per_kb[str(f, "kb")][st];
      if (counts_against(st)) ok = false;
    }
    if (ok) ++compliant;
  }
};

std::string statuses_of(const ordered_json& t) {
  if (!str(t, "error").empty()) return "error";
  if (!str(t, "out_of_scope").empty()) return "out-of-scope";
  std::set<std::string> seen;
  std::string out;
  for (const auto& f : t.value("findings", ordered_json::array()))
    if (seen.insert(str(f, "status")).second) out += (out.empty() ? "" : " ") + str(f, "status");
  return out;
}

std::string target_label(const ordered_json& t) {
  const auto sr = str(t, "system_root");
  return valid_utf8(host_name(t)) + (sr.empty() ? "" : " : " + sr);
}

void add_list(Html parent, const ordered_json& items, const char* cls) {
  if (!items.is_array() || items.empty()) return;
  auto ul = parent.add("ul", "", cls);
  for (const auto& n : items) ul.add("li", n.is_string() ? valid_utf8(n.get<std::string>()) : n.dump());
}

void add_header(Html body, const ordered_json& doc, const PageTotals& s, const HtmlOptions& options) {
  body.add("h1", "Hotfix compliance report");
  auto p = body.add("p");
  if (!options.generated.empty()) {
    p.text("Generated ");
    p.add("time", options.generated).attr("datetime", options.generated);
    p.text(" by ");
  } else {
    p.text("Made by ");
  }
  std::string line = str(doc["tool"], "name") + " " + str(doc["tool"], "version") + ". ";
  line += std::to_string(s.hosts.size()) + " host(s), " + std::to_string(s.targets) + " installation(s) audited, " +
          std::to_string(s.failed) + " could not be scanned, " + std::to_string(s.out_of_scope) +
          " outside the database's scope (not judged).";
  p.text(line);

  const auto& articles = doc["database"].value("articles", ordered_json::array());
  auto db = body.add("p");
  db.text("Database: ");
  db.add("a", std::to_string(articles.size()) + " article(s)").attr("href", "#database");
  db.text(", listed with their titles at the end.");
}

// The articles the findings were judged against; last, since a built-in
// database is long and the reader comes for the findings.
void add_database(Html body, const ordered_json& doc) {
  const auto& articles = doc["database"].value("articles", ordered_json::array());
  body.add("h2", "Database: " + std::to_string(articles.size()) + " article(s)").attr("id", "database");
  auto table = body.add("table").attr("id", "articles");
  auto head = table.add("tr");
  head.add("th", "KB");
  head.add("th", "Title");
  for (const auto& a : articles) {
    auto row = table.add("tr");
    row.add("td", str(a, "kb"));
    row.add("td", str(a, "title"));
  }
}

void add_summary(Html body, const ordered_json& doc, const PageTotals& s) {
  body.add("h2", "PageTotals").attr("id", "summary");
  const int percent = s.targets ? (100 * s.compliant + s.targets / 2) / s.targets : 100;
  auto p = body.add("p");
  p.add("strong", std::to_string(percent) + "%").attr("id", "compliance");
  p.text(" of installations compliant (" + std::to_string(s.compliant) + " of " + std::to_string(s.targets) +
         "): every finding fixed, not applicable or otherwise not counted "
         "against; an installation that "
         "could not be scanned, or that is outside the database's scope, "
         "counts as not compliant.");

  auto counts = body.add("table").attr("id", "status-counts");
  auto head = counts.add("tr");
  head.add("th", "Status");
  head.add("th", "Findings");
  for (const auto& st : s.statuses) {
    auto row = counts.add("tr");
    status_cell(row, st);
    row.add("td", std::to_string(s.per_status.at(st)), "num").attr("id", "count-" + st);
  }
  auto row = counts.add("tr");
  status_cell(row, "error").node().first_child().set_value("not scanned");
  row.add("td", std::to_string(s.failed), "num").attr("id", "count-failed");
  auto scope_row = counts.add("tr");
  status_cell(scope_row, "out-of-scope").node().first_child().set_value("out of scope");
  scope_row.add("td", std::to_string(s.out_of_scope), "num").attr("id", "count-out-of-scope");

  body.add("h3", "Per article");
  auto per_kb = body.add("table").attr("id", "per-kb");
  auto kb_head = per_kb.add("tr");
  kb_head.add("th", "KB");
  kb_head.add("th", "Title");
  for (const auto& st : s.statuses) kb_head.add("th", st, "st " + status_class(st));
  for (const auto& a : doc["database"].value("articles", ordered_json::array())) {
    const auto kb = str(a, "kb");
    auto r = per_kb.add("tr").attr("data-kb", kb);
    r.add("th", kb);
    r.add("td", str(a, "title"));
    for (const auto& st : s.statuses) {
      const auto it = s.per_kb.find(kb);
      const int n = it == s.per_kb.end() || !it->second.count(st) ? 0 : it->second.at(st);
      r.add("td", std::to_string(n), "num").attr("data-status", st);
    }
  }
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
  } else {
    body.add("p", std::to_string(unused.size()) + " waiver(s) matched no finding:");
    add_list(body, unused, "unused-waivers");
  }
}

void add_filter(Html body, const PageTotals& s) {
  auto form = body.add("form").attr("id", "filter").attr("hidden", "hidden");
  auto l1 = form.add("label", "Status ");
  auto select = l1.add("select").attr("id", "filter-status");
  select.add("option", "any").attr("value", "");
  for (const auto& st : s.statuses) select.add("option", st).attr("value", st);
  select.add("option", "not scanned").attr("value", "error");
  form.text(" ");
  auto l2 = form.add("label", "Host name contains ");
  l2.add("input").attr("id", "filter-name").attr("type", "search");
  form.text(" ");
  form.add("output", "", "").attr("id", "filter-count");
}

// Where the rows of the matrix, of the hosts not scanned and the host sections
// go in the page; a comment, since no text from an image can print as one.
constexpr const char* kMatrixRows = "hfa-matrix-rows";
constexpr const char* kFailedRows = "hfa-failed-rows";
constexpr const char* kHostSections = "hfa-host-sections";

void add_marker(Html parent, const char* name) { parent.node().append_child(pugi::node_comment).set_value(name); }

void add_matrix(Html body, const ordered_json& doc) {
  body.add("h2", "Hosts by article").attr("id", "matrix");
  const auto& articles = doc["database"].value("articles", ordered_json::array());
  auto table = body.add("table", "", "matrix").attr("id", "host-matrix");
  auto head = table.add("tr");
  head.add("th", "Host");
  for (const auto& a : articles) head.add("th", str(a, "kb")).attr("title", str(a, "title"));
  add_marker(table, kMatrixRows);
}

void add_matrix_row(Html table, const std::vector<std::string>& kbs, const ordered_json& t, size_t index) {
  auto row = table.add("tr").attr("data-host", valid_utf8(host_name(t))).attr("data-statuses", statuses_of(t));
  row.add("th").add("a", target_label(t)).attr("href", "#host-" + std::to_string(index));
  if (!str(t, "error").empty()) {
    status_cell(row, "error")
        .attr("colspan", std::to_string(std::max<size_t>(kbs.size(), 1)))
        .node()
        .first_child()
        .set_value("not scanned");
    return;
  }
  if (!str(t, "out_of_scope").empty()) {
    status_cell(row, "out-of-scope")
        .attr("colspan", std::to_string(std::max<size_t>(kbs.size(), 1)))
        .node()
        .first_child()
        .set_value("out of scope");
    return;
  }
  std::map<std::string, std::string> by_kb;
  for (const auto& f : t.value("findings", ordered_json::array())) by_kb[str(f, "kb")] = str(f, "status");
  for (const auto& kb : kbs) {
    const auto it = by_kb.find(kb);
    if (it == by_kb.end())
      row.add("td", "-");
    else
      status_cell(row, it->second);
  }
}

void add_os(Html section, const ordered_json& t) {
  const auto& os = t["os"];
  auto table = section.add("table", "", "facts");
  auto fact = [&](const char* name, const std::string& value) {
    auto row = table.add("tr");
    row.add("th", name);
    row.add("td", value.empty() ? "unknown" : value);
  };
  fact("Root", str(t, "root"));
  fact("System root", str(t, "system_root"));
  fact("Found by", str(t, "found_by"));
  if (os.is_object()) {
    fact("Version", str(os, "version"));
    fact("Build", str(os, "build"));
    fact("Service pack", str(os, "service_pack"));
    fact("CSDVersion", str(os, "csd_version"));
    fact("Product", str(os, "product"));
    fact("Platform", str(os, "platform"));
    std::string suites, hotfixes;
    for (const auto& v : os.value("suites", ordered_json::array()))
      suites += (suites.empty() ? "" : ", ") + valid_utf8(v.get<std::string>());
    for (const auto& v : os.value("installed_hotfixes", ordered_json::array()))
      hotfixes += (hotfixes.empty() ? "" : ", ") + valid_utf8(v.get<std::string>());
    fact("Suites", suites.empty() ? "none" : suites);
    fact("Registered hotfixes", hotfixes.empty() ? "none" : hotfixes);
  }
}

void add_evidence(Html parent, const ordered_json& f) {
  const auto& rows = f.value("evidence", ordered_json::array());
  if (rows.empty()) return;
  auto table = parent.add("table", "", "evidence");
  auto head = table.add("tr");
  for (const char* h : {"File", "Compared", "Path", "File version", "Version string", "Link time", "Modified", "Size",
                        "Required", "Why"})
    head.add("th", h);
  for (const auto& r : rows) {
    const auto& found = r.contains("found") ? r["found"] : ordered_json();
    const auto& req = r.contains("required") ? r["required"] : ordered_json();
    auto row = table.add("tr");
    row.add("td", str(r, "file"));
    row.add("td", str(r, "status"));
    const bool present = found.is_object() && found.value("present", false);
    row.add("td", present ? str(found, "path") : "not installed", "path");
    row.add("td", str(found, "file_version"));
    row.add("td", str(found, "version_string"));
    row.add("td", str(found, "link_time"));
    row.add("td", str(found, "modified"));
    row.add("td", present ? str(found, "size") : "", "num");
    std::string wanted;
    auto part = [&](const std::string& label, const std::string& v) {
      if (!v.empty()) wanted += (wanted.empty() ? "" : ", ") + label + v;
    };
    part("Service Pack ", str(req, "service_pack"));
    part("", str(req, "date") + (str(req, "time").empty() ? "" : " " + str(req, "time")));
    part("", str(req, "size").empty() ? "" : str(req, "size") + " bytes");
    part("version ", str(req, "version"));
    part("", str(req, "platform"));
    row.add("td", wanted);
    std::string why = str(r, "note");
    if (!str(found, "problem").empty())
      why += (why.empty() ? "" : "; ") + std::string("problem: ") + str(found, "problem");
    row.add("td", why);
  }
}

void add_finding(Html section, const ordered_json& f) {
  static const std::set<std::string> known = {"kb", "title", "status", "reason", "notes", "evidence", "waiver"};
  const auto status = str(f, "status");
  auto div = section.add("div", "", "finding " + status_class(status)).attr("data-kb", str(f, "kb"));
  auto h = div.add("h4", str(f, "kb") + " " + str(f, "title") + ": ");
  h.add("span", status, "st " + status_class(status));
  div.add("p", str(f, "reason"), "reason");
  // An approved exception stays visible with what it replaced and until when.
  if (f.contains("waiver") && f["waiver"].is_object()) {
    const auto& w = f["waiver"];
    auto p = div.add("p", "", "waiver");
    p.add("strong", "Waived");
    p.text(" (was " + str(w, "waived_status") + ") until " + str(w, "expires") + ": " + str(w, "reason") +
           "; approved by " + str(w, "approver") + " (" + str(w, "source") + ", hosts " + str(w, "host") + ")");
  }
  add_list(div, f.value("notes", ordered_json::array()), "notes");
  // Whatever else a finding carries (a waiver: reason, expiry, approver) is shown as it is.
  for (const auto& [key, value] : f.items()) {
    if (known.count(key) || value.is_null()) continue;
    auto p = div.add("p", "", "extra");
    p.add("strong", key + ": ");
    if (value.is_object()) {
      for (const auto& [k, v] : value.items())
        p.text(k + " " +
               (v.is_string() ? valid_utf8(v.get<std::string>())
                              : v.dump(-1, ' ', false, ordered_json::error_handler_t::replace)) +
               "; ");
    } else {
      p.text(value.is_string() ? valid_utf8(value.get<std::string>())
                               : value.dump(-1, ' ', false, ordered_json::error_handler_t::replace));
    }
  }
  add_evidence(div, f);
}

void add_host(Html parent, const ordered_json& t, size_t index) {
  auto section = parent.add("section", "", "host")
                     .attr("id", "host-" + std::to_string(index))
                     .attr("data-host", valid_utf8(host_name(t)))
                     .attr("data-statuses", statuses_of(t));
  section.add("h3", target_label(t));
  if (!str(t, "error").empty()) {
    auto p = section.add("p");
    status_cell(p, "error").node().set_name("span");
    p.node().first_child().first_child().set_value("not scanned");
    p.text(" " + str(t, "error"));
    add_os(section, t);
    add_list(section, t.value("notes", ordered_json::array()), "notes");
    return;
  }
  if (!str(t, "out_of_scope").empty()) {
    auto p = section.add("p");
    status_cell(p, "out-of-scope").node().set_name("span");
    p.node().first_child().first_child().set_value("out of scope");
    p.text(" " + str(t, "out_of_scope"));
  }
  add_os(section, t);
  add_list(section, t.value("notes", ordered_json::array()), "notes");
  for (const auto& f : t.value("findings", ordered_json::array())) add_finding(section, f);
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

void add_failed_row(Html table, const ordered_json& t) {
  auto row = table.add("tr");
  row.add("td", valid_utf8(host_name(t)));
  row.add("td", str(t, "root"), "path");
  row.add("td", str(t, "error"));
}

constexpr const char* kIndent = "  ";
// No self-closing tags: "<td/>" would open an element in HTML and never close it.
constexpr unsigned kFormat = pugi::format_indent | pugi::format_no_declaration | pugi::format_no_empty_element_tags;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using TempFile = std::unique_ptr<std::FILE, FileCloser>;

[[noreturn]] void temp_failure(const char* what) {
  throw std::runtime_error(std::string("HTML report: cannot ") + what + " a temporary file: " + std::strerror(errno));
}

TempFile temp_file() {
  TempFile f(std::tmpfile());
  if (!f) temp_failure("make");
  return f;
}

// The top node of `scratch` as the whole page prints it `depth` levels down
// (html 0, body 1): node.print at that depth and doc.save give the same bytes.
void append_at(std::FILE* file, const pugi::xml_document& scratch, unsigned depth) {
  pugi::xml_writer_file writer(file);
  scratch.first_child().print(writer, kIndent, kFormat, pugi::encoding_utf8, depth);
  if (std::ferror(file)) temp_failure("write");
}

void copy_out(std::FILE* file, const Sink& sink) {
  if (std::fflush(file) != 0 || std::fseek(file, 0, SEEK_SET) != 0) temp_failure("read back");
  std::vector<char> buffer(1 << 16);
  while (const size_t n = std::fread(buffer.data(), 1, buffer.size(), file)) sink(std::string_view(buffer.data(), n));
  if (std::ferror(file)) temp_failure("read back");
}

}  // namespace

struct HtmlWriter::State {
  State(Sink sink, ordered_json doc, HtmlOptions options)
      : sink(std::move(sink)), doc(std::move(doc)), options(std::move(options)) {}
  Sink sink;
  ordered_json doc;
  HtmlOptions options;
  std::vector<std::string> kbs;
  PageTotals summary;
  TempFile matrix_rows = temp_file(), failed_rows = temp_file(), host_sections = temp_file();
  size_t index = 0;
  std::string failure;  // the first, once a temporary file failed
};

HtmlWriter::HtmlWriter(Sink sink, ordered_json head, HtmlOptions options)
    : state_(std::make_unique<State>(std::move(sink), std::move(head), std::move(options))) {
  for (const auto& a : state_->doc["database"].value("articles", ordered_json::array()))
    state_->kbs.push_back(str(a, "kb"));
}

HtmlWriter::~HtmlWriter() = default;

// A fleet runs workers while targets are added, so a failure waits for finish().
void HtmlWriter::add(const ordered_json& t) {
  auto& s = *state_;
  if (!s.failure.empty()) return;
  try {
    add_target(s, t);
  } catch (const std::runtime_error& e) {
    s.failure = e.what();
  }
}

void HtmlWriter::add_target(State& s, const ordered_json& t) {
  s.summary.add(t);
  pugi::xml_document scratch;
  add_matrix_row(Html(scratch), s.kbs, t, s.index);
  append_at(s.matrix_rows.get(), scratch, 3);
  if (!str(t, "error").empty()) {
    scratch.reset();
    add_failed_row(Html(scratch), t);
    append_at(s.failed_rows.get(), scratch, 3);
  }
  scratch.reset();
  add_host(Html(scratch), t, s.index++);
  append_at(s.host_sections.get(), scratch, 2);
}

void HtmlWriter::finish(const ordered_json& tail) {
  auto& s = *state_;
  if (!s.failure.empty()) throw std::runtime_error(s.failure);
  for (const auto& [key, value] : tail.items()) s.doc[key] = value;
  const auto& document = s.doc;

  pugi::xml_document doc;
  Html html(doc.append_child("html"));
  html.attr("lang", "en");
  auto head = html.add("head");
  head.add("meta").attr("charset", "utf-8");
  head.add("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1");
  head.add("title", "Hotfix compliance report");
  head.add("style", kStyle);
  auto body = html.add("body");
  add_header(body, document, s.summary, s.options);
  add_summary(body, document, s.summary);
  add_waivers(body, document);
  add_filter(body, s.summary);
  add_matrix(body, document);
  add_failed(body, s.summary.failed);
  body.add("h2", "Hosts").attr("id", "hosts");
  add_marker(body, kHostSections);
  add_database(body, document);
  body.add("script", kScript);

  std::ostringstream out;
  out << "<!DOCTYPE html>\n";
  doc.save(out, kIndent, kFormat, pugi::encoding_utf8);
  const std::string page = out.str();

  // Each marker's line gives way to its file.
  size_t from = 0;
  auto splice = [&](const char* marker, std::FILE* file) {
    const auto at = page.find(std::string("<!--") + marker + "-->", from);
    if (at == std::string::npos) return;
    const auto line = page.rfind('\n', at) + 1;
    s.sink(std::string_view(page).substr(from, line - from));
    copy_out(file, s.sink);
    from = page.find('\n', at) + 1;
  };
  splice(kMatrixRows, s.matrix_rows.get());
  splice(kFailedRows, s.failed_rows.get());
  splice(kHostSections, s.host_sections.get());
  s.sink(std::string_view(page).substr(from));
}

std::string to_html(const ordered_json& document, const HtmlOptions& options) {
  std::string out;
  ordered_json head = {{"tool", document["tool"]}, {"database", document["database"]}};
  HtmlWriter writer([&out](std::string_view s) { out += s; }, std::move(head), options);
  if (document.contains("targets"))
    for (const auto& t : document["targets"]) writer.add(t);
  ordered_json tail = ordered_json::object();
  if (document.contains("waivers")) tail["waivers"] = document["waivers"];
  writer.finish(tail);
  return out;
}

}  // namespace hfa::report
