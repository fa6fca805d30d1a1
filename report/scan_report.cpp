#include "report/scan_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/text.h"
#include "report/provenance_json.h"

namespace hfa::report {
namespace {

using analyzer::Status;
using nlohmann::ordered_json;

template <typename T, typename F>
ordered_json optional_json(const std::optional<T>& v, F convert) {
  return v ? ordered_json(convert(*v)) : ordered_json(nullptr);
}

ordered_json found_json(const analyzer::FileFact& f) {
  ordered_json j;
  j["present"] = f.present;
  j["path"] = f.path.empty() ? ordered_json(nullptr) : ordered_json(f.path);
  if (!f.present) return j;
  j["size"] = f.size;
  j["modified"] = optional_json(f.modified, format_unix_utc);
  j["hashes"] = hashes_json(f.hashes);
  const auto* pe = f.pe ? &*f.pe : nullptr;
  j["kind"] = pe ? ordered_json(pe::to_string(pe->kind)) : ordered_json(nullptr);
  j["machine"] = pe && pe::is_pe(pe->kind) ? ordered_json(pe::machine_name(pe->machine)) : ordered_json(nullptr);
  j["link_time"] = pe ? optional_json(pe->link_time, [](uint32_t t) { return format_unix_utc(t); }) : nullptr;
  j["file_version"] = pe ? optional_json(pe->file_version, [](const Version& v) { return to_string(v); }) : nullptr;
  // The file's own words, as Explorer shows them; untrusted text from the image.
  ordered_json version_string = nullptr;
  if (pe)
    if (const auto it = pe->strings.find("FileVersion"); it != pe->strings.end()) version_string = it->second;
  j["version_string"] = version_string;
  std::string problem = f.error;
  if (problem.empty() && pe) problem = pe->problem;
  j["problem"] = problem.empty() ? ordered_json(nullptr) : ordered_json(problem);
  return j;
}

ordered_json required_json(const analyzer::EvidenceRow& r) {
  ordered_json j = ordered_json::object();
  if (const auto& row = r.required_row) {
    j["platform"] = std::string(to_string(row->platform));
    j["date"] = optional_json(row->date, [](const Date& d) { return to_string(d); });
    j["time"] = optional_json(row->time, [](const TimeOfDay& t) { return to_string(t); });
    j["size"] = optional_json(row->size, [](uint64_t s) { return s; });
    j["version"] = optional_json(row->version, [](const Version& v) { return to_string(v); });
  }
  if (r.required_service_pack) j["service_pack"] = *r.required_service_pack;
  return j;
}

ordered_json os_json(const analyzer::OsFacts& os) {
  ordered_json j;
  auto str = [](const std::optional<std::string>& s) { return s ? ordered_json(*s) : ordered_json(nullptr); };
  j["version"] = str(os.version);
  j["build"] = str(os.build);
  j["service_pack"] = str(os.service_pack);
  j["csd_version"] = str(os.csd_version);
  j["product"] = optional_json(os.product, [](analyzer::Product p) { return std::string(to_string(p)); });
  j["suites"] = os.suites;
  j["platform"] = optional_json(os.platform, [](Platform p) { return std::string(to_string(p)); });
  j["installed_hotfixes"] = os.installed_hotfixes;
  // Why each unknown fact (null above) is unknown.
  j["unknown"] = ordered_json::object();
  for (const auto& [fact, why] : os.unknown) j["unknown"][fact] = why;
  return j;
}

ordered_json waiver_json(const analyzer::Waiver& w) {
  return {{"source", w.source},     {"host", w.host_pattern},
          {"reason", w.reason},     {"expires", to_string(w.expires)},
          {"approver", w.approver}, {"waived_status", std::string(to_string(w.waived_status))}};
}

std::map<std::string, int> zero_counts() {
  std::map<std::string, int> counts;
  for (auto s : analyzer::kAllStatuses) counts[std::string(to_string(s))] = 0;
  return counts;
}

std::string os_line(const analyzer::OsFacts& os) {
  std::string s = "Windows NT " + os.version.value_or("?");
  if (os.build) s += " build " + *os.build;
  s += ", " + (os.service_pack ? (*os.service_pack == "0" ? "no service pack" : "Service Pack " + *os.service_pack)
                               : std::string("service pack unknown"));
  s += ", " + (os.product ? std::string(to_string(*os.product)) : std::string("product unknown"));
  if (os.terminal_server()) s += " (Terminal Server Edition)";
  s += ", " + (os.platform ? std::string(to_string(*os.platform)) : std::string("platform unknown"));
  return s;
}

std::string found_text(const analyzer::FileFact& f) {
  if (!f.present) return "not installed";
  std::vector<std::string> parts{f.path.empty() ? f.wanted : f.path};
  if (f.pe) {
    parts.push_back(pe::to_string(f.pe->kind));
    if (f.pe->file_version) parts.push_back("version " + to_string(*f.pe->file_version));
    if (f.pe->link_time) parts.push_back("linked " + format_unix_utc(*f.pe->link_time));
  }
  if (f.modified) parts.push_back("modified " + format_unix_utc(*f.modified));
  parts.push_back(std::to_string(f.size) + " bytes");
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string required_text(const analyzer::EvidenceRow& r) {
  if (r.required_service_pack) return "Service Pack " + *r.required_service_pack;
  if (!r.required_row) return "";
  const auto& row = *r.required_row;
  std::string s = row.date ? to_string(*row.date) : std::string("no readable date");
  if (row.time) s += " " + to_string(*row.time);
  if (row.size) s += ", " + std::to_string(*row.size) + " bytes";
  if (row.version) s += ", version " + to_string(*row.version);
  return s + ", " + std::string(to_string(row.platform));
}

const char* colour_of(Status s) {
  switch (s) {
    case Status::fixed:
      return "\x1b[32m";
    case Status::missing:
      return "\x1b[31m";
    case Status::inconsistent:
      return "\x1b[35m";
    case Status::unknown:
      return "\x1b[33m";
    case Status::not_applicable:
      return "\x1b[2m";
    case Status::waived:
      return "\x1b[36m";
  }
  return "";
}

bool fails(std::string_view status, const FailOn& fail_on) {
  return std::find(fail_on.begin(), fail_on.end(), status) != fail_on.end();
}

// The exit status rule for one target object; a run's is the worst of its targets'.
int target_exit_status(const ordered_json& t, const FailOn& fail_on = default_fail_on()) {
  if (t.contains("error") && !t["error"].is_null()) return 2;
  if (t.contains("out_of_scope") && t["out_of_scope"].is_string()) return 3;
  if (t.contains("findings"))
    for (const auto& f : t["findings"])
      if (f.contains("status") && f["status"].is_string() && fails(f["status"].get<std::string>(), fail_on)) return 1;
  return 0;
}

// `value` as dump(2) prints it `depth` levels down. Strings carry their
// newlines escaped, so every raw newline starts a line to indent further.
std::string dump_at(const ordered_json& value, int depth) {
  const auto s = value.dump(2, ' ', false, ordered_json::error_handler_t::replace);
  const std::string indent(size_t(2 * depth), ' ');
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

std::string key_json(const std::string& key) {
  return ordered_json(key).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace

bool counts_against(std::string_view status) {
  return status == to_string(Status::missing) || status == to_string(Status::inconsistent) ||
         status == to_string(Status::unknown);
}

const FailOn& default_fail_on() {
  static const FailOn all = {"missing", "inconsistent", "unknown"};
  return all;
}

int worse_exit_status(int a, int b) {
  static constexpr int kRank[] = {0, 1, 3, 2};  // by status 0..3: 2 is the worst, then 3, then 1
  auto rank = [](int s) { return s >= 0 && s <= 3 ? kRank[s] : 4; };
  return rank(a) >= rank(b) ? a : b;
}

// 2 before 3 before 1: a target not scanned, then one not judged, then a
// finding against.
int exit_status(const std::vector<scan::Target>& targets, const FailOn& fail_on) {
  int status = 0;
  for (const auto& t : targets) {
    if (!t.error.empty()) return 2;
    if (!t.out_of_scope.empty()) status = 3;
    for (const auto& f : t.findings)
      if (fails(to_string(f.status), fail_on) && status == 0) status = 1;
  }
  return status;
}

int exit_status_json(const ordered_json& targets, const FailOn& fail_on) {
  int status = 0;
  for (const auto& t : targets) status = worse_exit_status(status, target_exit_status(t, fail_on));
  return status;
}

std::string valid_utf8(const std::string& s) {
  return ordered_json::parse(ordered_json(s).dump(-1, ' ', false, ordered_json::error_handler_t::replace))
      .get<std::string>();
}

std::string host_name(const ordered_json& t) {
  if (t.contains("host") && t["host"].is_string()) return t["host"].get<std::string>();
  if (t.contains("root") && t["root"].is_string()) return t["root"].get<std::string>();
  return "";
}

ordered_json target_json(const scan::Target& t) {
  ordered_json j;
  j["host"] = t.host.empty() ? t.root : t.host;
  j["root"] = t.root;
  j["system_root"] = t.system_root.empty() ? ordered_json(nullptr) : ordered_json(t.system_root);
  j["found_by"] = t.found_by.empty() ? ordered_json(nullptr) : ordered_json(t.found_by);
  j["error"] = t.error.empty() ? ordered_json(nullptr) : ordered_json(t.error);
  j["out_of_scope"] = t.out_of_scope.empty() ? ordered_json(nullptr) : ordered_json(t.out_of_scope);
  j["os"] = t.error.empty() ? os_json(t.evidence.os) : ordered_json(nullptr);
  j["notes"] = t.notes;
  j["findings"] = ordered_json::array();
  for (const auto& f : t.findings) {
    ordered_json fj;
    fj["kb"] = f.kb;
    fj["title"] = f.title;
    fj["status"] = std::string(to_string(f.status));
    fj["reason"] = f.reason;
    fj["notes"] = f.notes;
    // CSV (details column) and HTML (a paragraph) show it from here.
    fj["remediation"] = f.remediation.empty() ? ordered_json(nullptr) : ordered_json(f.remediation);
    fj["waiver"] = f.waiver ? waiver_json(*f.waiver) : ordered_json(nullptr);
    fj["evidence"] = ordered_json::array();
    for (const auto& r : f.evidence) {
      ordered_json rj;
      rj["file"] = r.file;
      rj["path"] = r.found.path.empty() ? ordered_json(nullptr) : ordered_json(r.found.path);
      rj["status"] = std::string(to_string(r.status));
      rj["found"] = found_json(r.found);
      rj["required"] = required_json(r);
      rj["note"] = r.note;
      fj["evidence"].push_back(std::move(rj));
    }
    j["findings"].push_back(std::move(fj));
  }
  add_target_provenance(j, t);
  return j;
}

ordered_json articles_json(const kbdb::Database& db) {
  ordered_json articles = ordered_json::array();
  for (const auto& a : db.articles) articles.push_back({{"kb", a.id}, {"title", a.title}});
  return articles;
}

ordered_json document_head(const ToolInfo& tool, ordered_json articles) {
  ordered_json j;
  j["tool"] = {{"name", tool.name}, {"version", tool.version}};
  j["database"] = {{"articles", std::move(articles)}};
  return j;
}

ordered_json document_json(ordered_json targets, const ToolInfo& tool, ordered_json articles) {
  auto j = document_head(tool, std::move(articles));
  Tally tally;
  for (const auto& t : targets) tally.add(t);
  j["targets"] = std::move(targets);
  j["summary"] = tally.summary();
  return j;
}

Tally::Tally() : findings_(zero_counts()) {}

void Tally::add(const ordered_json& t) {
  ++targets_;
  if (t.contains("error") && !t["error"].is_null()) ++failed_;
  if (t.contains("out_of_scope") && t["out_of_scope"].is_string()) ++out_of_scope_;
  if (t.contains("findings"))
    for (const auto& f : t["findings"])
      if (f.contains("status") && f["status"].is_string()) ++findings_[f["status"].get<std::string>()];
  exit_status_ = worse_exit_status(exit_status_, target_exit_status(t));
}

ordered_json Tally::summary() const {
  ordered_json findings;
  for (const auto& [name, k] : findings_) findings[name] = k;
  return {{"targets", targets_},
          {"failed_targets", failed_},
          {"out_of_scope_targets", out_of_scope_},
          {"findings", findings},
          {"exit_status", exit_status_}};
}

JsonWriter::JsonWriter(Sink sink, const ordered_json& head) : sink_(std::move(sink)) {
  std::string out = "{";
  for (const auto& [key, value] : head.items()) out += "\n  " + key_json(key) + ": " + dump_at(value, 1) + ",";
  sink_(out + "\n  \"targets\": [");
}

void JsonWriter::add(const ordered_json& target) {
  sink_((any_ ? ",\n    " : "\n    ") + dump_at(target, 2));
  any_ = true;
  tally_.add(target);
}

void JsonWriter::finish(const ordered_json& tail) {
  std::string out = any_ ? "\n  ]" : "]";
  out += ",\n  \"summary\": " + dump_at(tally_.summary(), 1);
  for (const auto& [key, value] : tail.items()) out += ",\n  " + key_json(key) + ": " + dump_at(value, 1);
  sink_(out + "\n}\n");
}

TextWriter::TextWriter(Sink sink, bool colour) : sink_(std::move(sink)), colour_(colour), counts_(zero_counts()) {}

void TextWriter::add(const scan::Target& t) {
  // Every value that comes from the evidence goes through printable(): an
  // escape sequence or a newline in a hive value or a folder name must never
  // reach the terminal raw, nor forge a line of the report.
  const auto p = [](const std::string& s) { return printable(s); };
  std::string out;
  const char* reset = colour_ ? "\x1b[0m" : "";
  ++targets_;
  for (const auto& f : t.findings) ++counts_[std::string(to_string(f.status))];
  const std::string name = t.host.empty() || t.host == t.root ? t.root : t.host + " (" + t.root + ")";
  out += fmt::format("== {}{}{}\n", p(name), t.system_root.empty() ? "" : " : " + p(t.system_root),
                     t.found_by.empty() ? "" : "  (" + p(t.found_by) + ")");
  if (!t.error.empty()) {
    ++failed_;
    out += fmt::format("   {}error:{} {}\n", colour_ ? "\x1b[31m" : "", reset, p(t.error));
    for (const auto& n : t.notes) out += "   note: " + p(n) + "\n";
    out += "\n";
    sink_(out);
    return;
  }
  out += "   " + p(os_line(t.evidence.os)) + "\n";
  if (!t.out_of_scope.empty())
    out += fmt::format("   {}out of scope:{} {}\n", colour_ ? "\x1b[33m" : "", reset, p(t.out_of_scope));
  for (const auto& n : t.notes) out += "   note: " + p(n) + "\n";
  out += fmt::format("\n   {:<9} {:<15} {}\n", "KB", "STATUS", "REASON");
  for (const auto& f : t.findings) {
    const std::string status(to_string(f.status));
    out += fmt::format("   {:<9} {}{:<15}{} {}\n", p(f.kb), colour_ ? colour_of(f.status) : "", status, reset,
                       p(f.reason));
    if (const auto& w = f.waiver)
      out += fmt::format("{:<29}waived ({} until {}): {}; approved by {}, {}\n", "", to_string(w->waived_status),
                         to_string(w->expires), p(w->reason), p(w->approver), p(w->source));
    for (const auto& n : f.notes) out += fmt::format("{:<29}note: {}\n", "", p(n));
    if (!f.remediation.empty()) out += fmt::format("{:<29}remediation: {}\n", "", p(f.remediation));
    for (const auto& r : f.evidence) {
      out += fmt::format("             {:<14} {:<11} {}\n", p(r.file), to_string(r.status), p(found_text(r.found)));
      if (const auto req = required_text(r); !req.empty()) out += fmt::format("{:<40}required {}\n", "", p(req));
      if (!r.note.empty() && r.status != analyzer::RowStatus::absent) out += fmt::format("{:<40}{}\n", "", p(r.note));
    }
  }
  out += "\n";
  sink_(out);
}

void TextWriter::finish() {
  const auto& c = counts_;
  sink_(fmt::format(
      "{} target(s), {} not scanned: {} fixed, {} missing, {} inconsistent, {} unknown, {} not-applicable, {} waived\n",
      targets_, failed_, c.at("fixed"), c.at("missing"), c.at("inconsistent"), c.at("unknown"), c.at("not-applicable"),
      c.at("waived")));
}

}  // namespace hfa::report
