// The writer of the HTML compliance report: each target read into the typed
// model (target_from_json), its host section and its line in the list of
// hosts needing action written to temporary files at once, a short record
// kept for the overview; finish() writes the overview and copies the rest in.
#include "report/html_report.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "report/html_parts.h"

namespace hfa::report {
namespace {

using analyzer::Status;
using html::Html;
using html::status_span;
using html::status_word;
using nlohmann::ordered_json;

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

std::string counts_line(const std::map<Status, int>& counts) {
  std::string out;
  for (auto st : html::kStatusOrder)
    if (const int n = counts.at(st); n > 0)
      out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + status_word(st);
  return out.empty() ? "no findings" : out;
}

// The words of a target's statuses, for the filter: "error", "out-of-scope",
// else each status its findings have.
std::string statuses_of(const TargetItem& t) {
  if (t.error) return "error";
  if (t.out_of_scope) return "out-of-scope";
  std::string out;
  const auto counts = t.counts();
  for (auto st : html::kStatusOrder)
    if (counts.at(st) > 0) out += (out.empty() ? "" : " ") + status_word(st);
  return out;
}

std::string target_label(const TargetItem& t) { return t.host + (t.system_root ? " : " + *t.system_root : ""); }

// The one line that says which installation this is.
std::string os_line(const OsItem& os) {
  auto or_unknown = [](const std::optional<std::string>& v) { return v ? *v : std::string("unknown"); };
  std::string out = "Windows NT " + or_unknown(os.version) + " build " + or_unknown(os.build) + ", ";
  out += os.service_pack ? "Service Pack " + *os.service_pack : std::string("service pack unknown");
  out += ", " + or_unknown(os.product) + ", " + or_unknown(os.platform);
  if (os.terminal_server()) out += ", Terminal Server";
  return out;
}

void add_list(Html parent, const std::vector<std::string>& items, const char* cls) {
  if (items.empty()) return;
  auto ul = parent.add("ul", "", cls);
  for (const auto& n : items) ul.add("li", n);
}

void add_evidence(Html parent, const FindingItem& f) {
  if (f.evidence.empty()) return;
  auto table = parent.add("table", "", "evidence");
  auto head = table.add("tr");
  for (const char* h : {"File", "Compared", "Path", "File version", "Version string", "Link time", "Modified", "Size",
                        "Required", "Why"})
    head.add("th", h);
  for (const auto& r : f.evidence) {
    const auto& found = r.found;
    const auto& req = r.required;
    auto row = table.add("tr");
    row.add("td", r.file);
    row.add("td", r.status);
    row.add("td", found.present ? found.path.value_or("") : "not installed", "path");
    row.add("td", found.file_version.value_or(""));
    row.add("td", found.version_string.value_or(""));
    row.add("td", found.link_time.value_or(""));
    row.add("td", found.modified.value_or(""));
    row.add("td", found.present && found.size ? std::to_string(*found.size) : "", "num");
    std::string wanted;
    auto part = [&](const std::string& label, const std::optional<std::string>& v) {
      if (v && !v->empty()) wanted += (wanted.empty() ? "" : ", ") + label + *v;
    };
    part("Service Pack ", req.service_pack);
    if (req.date) part("", *req.date + (req.time ? " " + *req.time : ""));
    if (req.size) part("", std::to_string(*req.size) + " bytes");
    part("version ", req.version);
    part("", req.platform);
    row.add("td", wanted);
    std::string why = r.note;
    if (found.problem) why += (why.empty() ? "" : "; ") + std::string("problem: ") + *found.problem;
    row.add("td", why);
  }
}

void add_finding(Html parent, const FindingItem& f) {
  const auto status = status_word(f.status);
  auto div = parent.add("div", "", "finding st-" + status).attr("data-kb", f.kb).attr("data-status", status);
  auto h = div.add("h4", f.kb + " " + f.title + ": ");
  status_span(h, status);
  div.add("p", f.reason, "reason");
  // An approved exception stays visible with what it replaced and until when.
  if (f.waiver) {
    const auto& w = *f.waiver;
    auto p = div.add("p", "", "waiver");
    p.add("strong", "Waived");
    p.text(" (was " + w.waived_status + ") until " + w.expires + ": " + w.reason + "; approved by " + w.approver +
           " (" + w.source + ", hosts " + w.host + ")");
  }
  add_list(div, f.notes, "notes");
  if (f.remediation) {
    auto p = div.add("p", "", "remediation");
    p.add("span", "Remediation: ", "remedy");
    p.text(f.remediation->text.empty() ? "install " + f.remediation->id : f.remediation->text);
  }
  add_evidence(div, f);
}

// Paper gets the problems as one table, a row each: the blocks with their
// evidence tables would take a page or more per host.
void add_print_findings(Html section, const std::vector<const FindingItem*>& problems) {
  auto table = section.add("table", "", "print-only print-findings");
  auto head = table.add("tr");
  for (const char* h : {"KB", "Title", "Status", "Why", "Remediation"}) head.add("th", h);
  for (const auto* f : problems) {
    const auto status = status_word(f->status);
    auto row = table.add("tr", "", "finding-row").attr("data-kb", f->kb).attr("data-status", status);
    row.add("td", f->kb);
    row.add("td", f->title);
    status_span(row.add("td"), status);
    row.add("td", f->reason);
    row.add("td", !f->remediation                ? ""
                  : f->remediation->text.empty() ? "install " + f->remediation->id
                                                 : f->remediation->text);
  }
  section.add("p", "The evidence behind each finding (files, versions, dates) is in the HTML report, not printed.",
              "print-only");
}

// What the scan saw of the installation, and the files it read: for the
// record, folded, and not printed.
void add_facts(Html section, const TargetItem& t) {
  auto details = section.add("details", "", "files");
  details.add("summary", "Facts" + std::string(t.files_read.empty() ? "" : " and files read"));
  auto table = details.add("table", "", "facts");
  auto fact = [&](const char* name, const std::optional<std::string>& value) {
    auto row = table.add("tr");
    row.add("th", name);
    row.add("td", value && !value->empty() ? *value : "unknown");
  };
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out.empty() ? std::string("none") : out;
  };
  fact("Root", t.root);
  fact("System root", t.system_root);
  fact("Found by", t.found_by);
  if (t.os) {
    fact("Version", t.os->version);
    fact("Build", t.os->build);
    fact("Service pack", t.os->service_pack);
    fact("CSDVersion", t.os->csd_version);
    fact("Product", t.os->product);
    fact("Platform", t.os->platform);
    fact("Suites", join(t.os->suites));
    fact("Registered hotfixes", join(t.os->installed_hotfixes));
    for (const auto& [name, why] : t.os->unknown) fact(("Why no " + name).c_str(), why);
  }
  if (t.files_read.empty()) return;
  auto files = details.add("table", "", "files-read");
  auto head = files.add("tr");
  for (const char* h : {"File read", "Size", "Modified", "SHA-256"}) head.add("th", h);
  for (const auto& f : t.files_read) {
    auto row = files.add("tr");
    row.add("td", f.path, "path");
    row.add("td", f.size ? std::to_string(*f.size) : "", "num");
    row.add("td", f.modified.value_or(""));
    const auto sha = f.hashes.find("sha256");
    row.add("td", sha == f.hashes.end() ? "" : sha->second, "path");
  }
}

void add_host(Html parent, const TargetItem& t, size_t index) {
  auto section = parent.add("section", "", "host")
                     .attr("id", "host-" + std::to_string(index))
                     .attr("data-host", t.host)
                     .attr("data-statuses", statuses_of(t));
  section.add("h3", target_label(t));
  auto line = section.add("p", "", "hostline");
  if (t.error) {
    status_span(line, "error", "not scanned");
    line.text(" " + *t.error);
  } else if (t.out_of_scope) {
    status_span(line, "out-of-scope", "out of scope");
    line.text(" " + *t.out_of_scope);
  } else {
    line.text((t.os ? os_line(*t.os) : std::string("OS unknown")) + ". " + counts_line(t.counts()) + ".");
  }
  add_list(section, t.notes, "notes");
  if (!t.error && !t.out_of_scope) {
    // Problems first, the worst status first; the rest folded.
    std::vector<const FindingItem*> problems, rest;
    for (const auto& f : t.findings) (f.counts_against() ? problems : rest).push_back(&f);
    auto by_status = [](const FindingItem* a, const FindingItem* b) {
      return html::status_index(a->status) < html::status_index(b->status);
    };
    std::stable_sort(problems.begin(), problems.end(), by_status);
    std::stable_sort(rest.begin(), rest.end(), by_status);
    if (problems.empty()) section.add("p", "No finding counts against this installation.");
    for (const auto* f : problems) add_finding(section, *f);
    if (!problems.empty()) add_print_findings(section, problems);
    if (!rest.empty()) {
      std::map<Status, int> counts;
      for (auto st : analyzer::kAllStatuses) counts[st] = 0;
      for (const auto* f : rest) ++counts[f->status];
      const auto what = std::to_string(rest.size()) + " other finding(s): " + counts_line(counts);
      auto details = section.add("details", "", "rest");
      details.add("summary", what);
      for (const auto* f : rest) add_finding(details, *f);
      section.add("p", what + ", left out of print (see the HTML report).", "print-only");
    }
  }
  add_facts(section, t);
}

// The host's item in the list of hosts needing action.
void add_action_item(Html parent, const TargetItem& t, size_t index) {
  auto li = parent.add("li").attr("data-host", t.host).attr("data-statuses", statuses_of(t));
  li.add("a", target_label(t)).attr("href", "#host-" + std::to_string(index));
  const auto counts = t.counts();
  std::map<Status, int> counted;
  for (const auto& [st, n] : counts) counted[st] = analyzer::counts_against(st) ? n : 0;
  li.text(": " + counts_line(counted));
  if (counts.at(Status::missing) + counts.at(Status::inconsistent) == 0)
    li.text(". Not verifiable: check the unknown findings by hand.");
  if (!t.plan.empty()) html::add_plan(li, t.plan);
}

void add_failed_row(Html table, const TargetItem& t) {
  auto row = table.add("tr");
  row.add("td", t.host);
  row.add("td", t.root, "path");
  row.add("td", t.error.value_or(""));
}

}  // namespace

struct HtmlWriter::State {
  State(Sink sink, ordered_json doc, HtmlOptions options)
      : sink(std::move(sink)), doc(std::move(doc)), options(std::move(options)) {}
  Sink sink;
  ordered_json doc;
  HtmlOptions options;
  html::PageTotals totals;
  TempFile plan_items = temp_file(), failed_rows = temp_file(), host_sections = temp_file();
  std::string failure;  // the first, once a temporary file failed
};

HtmlWriter::HtmlWriter(Sink sink, ordered_json head, HtmlOptions options)
    : state_(std::make_unique<State>(std::move(sink), std::move(head), std::move(options))) {
  const auto& db = state_->doc.contains("database") ? state_->doc["database"] : ordered_json();
  if (db.is_object() && db.contains("articles") && db["articles"].is_array())
    for (const auto& a : db["articles"])
      if (a.is_object() && a.contains("kb") && a["kb"].is_string())
        state_->totals.article(a["kb"].get<std::string>(), a.value("title", ""));
}

HtmlWriter::~HtmlWriter() = default;

// A fleet runs workers while targets are added, so a failure waits for finish().
void HtmlWriter::add(const ordered_json& t) {
  auto& s = *state_;
  if (!s.failure.empty()) return;
  try {
    add_target(s, target_from_json(t));
  } catch (const std::exception& e) {
    s.failure = std::string("HTML report: ") + e.what();
  }
}

void HtmlWriter::add(const TargetItem& t) {
  auto& s = *state_;
  if (!s.failure.empty()) return;
  try {
    add_target(s, t);
  } catch (const std::exception& e) {
    s.failure = std::string("HTML report: ") + e.what();
  }
}

void HtmlWriter::add_target(State& s, const TargetItem& t) {
  auto& totals = s.totals;
  totals.summary.add(t);
  totals.names.insert(t.host);

  html::HostRecord r;
  r.index = totals.hosts.size();
  r.host = t.host;
  r.label = target_label(t);
  r.statuses = statuses_of(t);
  r.kind = t.error          ? html::HostRecord::Kind::failed
           : t.out_of_scope ? html::HostRecord::Kind::out_of_scope
                            : html::HostRecord::Kind::scanned;
  r.counted = r.kind == html::HostRecord::Kind::scanned ? t.counted() : 0;
  std::vector<bool> problem_seen;
  for (const auto& f : t.findings) {
    const size_t i = totals.article(f.kb, f.title);
    if (r.cells.size() < totals.kbs.size()) r.cells.resize(totals.kbs.size(), '-');
    r.cells[i] = char('0' + html::status_index(f.status));
    ++totals.per_kb[i][html::status_index(f.status)];
    if (f.status == Status::unknown) ++totals.any_unknown;
    if (f.status == Status::missing || f.status == Status::inconsistent) ++r.settled;
    if (f.counts_against()) {
      problem_seen.resize(totals.kbs.size(), false);
      if (!problem_seen[i]) ++totals.hosts_with_problem[i];
      problem_seen[i] = true;
    }
  }

  pugi::xml_document scratch;
  if (r.counted > 0) {
    r.plan_at = std::ftell(s.plan_items.get());
    add_action_item(Html(scratch), t, r.index);
    append_at(s.plan_items.get(), scratch, 3);
    r.plan_size = std::ftell(s.plan_items.get()) - r.plan_at;
    if (r.plan_at < 0 || r.plan_size < 0) temp_failure("write");
  }
  if (t.error) {
    scratch.reset();
    add_failed_row(Html(scratch), t);
    append_at(s.failed_rows.get(), scratch, 3);
  }
  scratch.reset();
  add_host(Html(scratch), t, r.index);
  append_at(s.host_sections.get(), scratch, 2);
  totals.hosts.push_back(std::move(r));
}

void HtmlWriter::finish(const ordered_json& tail) {
  auto& s = *state_;
  if (!s.failure.empty()) throw std::runtime_error(s.failure);
  for (const auto& [key, value] : tail.items()) s.doc[key] = value;
  const auto& document = s.doc;
  const auto& totals = s.totals;

  pugi::xml_document doc;
  Html page(doc.append_child("html"));
  page.attr("lang", "en");
  auto head = page.add("head");
  head.add("meta").attr("charset", "utf-8");
  head.add("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1");
  head.add("title", "Hotfix compliance report");
  head.add("style", html::kStyle);
  auto body = page.add("body");
  html::add_header(body, document, totals, s.options.generated);
  // First, and sticky: what the reader sees is filtered, and says so.
  html::add_filter(body);
  html::add_summary(body, totals);
  html::add_action(body, totals);
  html::add_impact(body, totals);
  html::add_matrix(body, totals);
  html::add_waivers(body, document);
  html::add_failed(body, totals.summary.failed());
  body.add("h2", "Hosts").attr("id", "hosts");
  html::add_marker(body, html::kHostSections);
  html::add_provenance(body, document);
  html::add_database(body, totals);
  body.add("script", html::kScript);

  std::ostringstream out;
  out << "<!DOCTYPE html>\n";
  doc.save(out, kIndent, kFormat, pugi::encoding_utf8);
  const std::string text = out.str();

  // The hosts needing action, worst first: each item's bytes where add() put them.
  auto plan_items = [&](std::FILE* file) {
    if (std::fflush(file) != 0) temp_failure("read back");
    std::vector<const html::HostRecord*> order;
    for (const auto& r : totals.hosts)
      if (r.plan_at >= 0) order.push_back(&r);
    // Worst first: a known missing fix before a finding not verified.
    std::stable_sort(order.begin(), order.end(), [](const html::HostRecord* a, const html::HostRecord* b) {
      if (a->settled != b->settled) return a->settled > b->settled;
      return a->counted != b->counted ? a->counted > b->counted : a->host < b->host;
    });
    std::string item;
    for (const auto* r : order) {
      item.resize(size_t(r->plan_size));
      if (std::fseek(file, r->plan_at, SEEK_SET) != 0 || std::fread(item.data(), 1, item.size(), file) != item.size())
        temp_failure("read back");
      s.sink(item);
    }
  };
  // Each matrix's rows, host by host, at depth html 0, body 1, div 2, table 3.
  auto matrix_rows = [&](const html::MatrixTable& table) {
    for (const auto& r : totals.hosts) {
      pugi::xml_document scratch;
      html::add_matrix_row(Html(scratch), totals, r, table);
      std::ostringstream row;
      scratch.first_child().print(row, kIndent, kFormat, pugi::encoding_utf8, 4);
      s.sink(row.str());
    }
  };
  // Each marker's line gives way to its file.
  size_t from = 0;
  auto splice = [&](const std::string& marker, auto&& copy) {
    const auto at = text.find(std::string("<!--") + marker + "-->", from);
    if (at == std::string::npos) return;
    const auto line = text.rfind('\n', at) + 1;
    s.sink(std::string_view(text).substr(from, line - from));
    copy();
    from = text.find('\n', at) + 1;
  };
  splice(html::kPlanItems, [&] { plan_items(s.plan_items.get()); });
  const auto tables = html::matrix_tables(totals);
  for (size_t n = 0; n < tables.size(); ++n) splice(html::matrix_marker(n), [&] { matrix_rows(tables[n]); });
  splice(html::kFailedRows, [&] { copy_out(s.failed_rows.get(), s.sink); });
  splice(html::kHostSections, [&] { copy_out(s.host_sections.get(), s.sink); });
  s.sink(std::string_view(text).substr(from));
}

std::string to_html(const ordered_json& document, const HtmlOptions& options) {
  std::string out;
  ordered_json head = {{"tool", document["tool"]}, {"database", document["database"]}};
  if (document.contains("provenance")) head["provenance"] = document["provenance"];
  HtmlWriter writer([&out](std::string_view s) { out += s; }, std::move(head), options);
  if (document.contains("targets"))
    for (const auto& t : document["targets"]) writer.add(t);
  ordered_json tail = ordered_json::object();
  if (document.contains("waivers")) tail["waivers"] = document["waivers"];
  writer.finish(tail);
  return out;
}

}  // namespace hfa::report
