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
  // The kind says which shape follows, so a reader never guesses it.
  if (r.required_row)
    j["kind"] = "file-row";
  else if (r.required_service_pack)
    j["kind"] = "service-pack";
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
  const auto s = analyzer::status_from_string(status);
  return s && analyzer::counts_against(*s);
}

std::vector<analyzer::PlanStep> plan_of(const scan::Target& t) {
  std::vector<analyzer::FindingRemedy> counted;
  for (const auto& f : t.findings)
    if (analyzer::counts_against(f.status) && f.remediation) counted.push_back({f.kb, *f.remediation});
  return analyzer::remediation_plan(counted, t.evidence.os.terminal_server());
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
    fj["remediation"] = f.remediation ? remedy_json(*f.remediation) : ordered_json(nullptr);
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
  j["plan"] = plan_json(plan_of(t));
  add_target_provenance(j, t);
  return j;
}

ordered_json jsonl_line(const ordered_json& target) {
  ordered_json line;
  line["schema_version"] = kSchemaVersion;
  for (const auto& [key, value] : target.items())
    if (key != "schema_version") line[key] = value;
  return line;
}

ordered_json articles_json(const kbdb::Database& db) {
  ordered_json articles = ordered_json::array();
  for (const auto& a : db.articles) articles.push_back({{"kb", a.id}, {"title", a.title}});
  return articles;
}

ordered_json document_head(const ToolInfo& tool, ordered_json articles) {
  ordered_json j;
  j["schema_version"] = kSchemaVersion;
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

void Tally::add(const ordered_json& t) { add(t, target_from_json(t)); }

void Tally::add(const ordered_json& t, const TargetItem& item) {
  summary_.add(item);
  exit_status_ = worse_exit_status(exit_status_, target_exit_status(t));
}

ordered_json summary_json(const Summary& s, int exit_status) {
  std::map<std::string, int> by_name;  // by name, as schema 1 ordered them
  for (const auto& [st, k] : s.findings()) by_name[std::string(to_string(st))] = k;
  ordered_json findings;
  for (const auto& [name, k] : by_name) findings[name] = k;
  ordered_json plan = ordered_json::array();
  for (const auto& step : s.fleet_plan()) {
    auto j = remedy_json(step.remedy);
    j["hosts"] = step.hosts;
    j["findings"] = step.findings;
    plan.push_back(std::move(j));
  }
  ordered_json needing = ordered_json::array();
  for (const auto& [host, n] : s.hosts_needing_action()) needing.push_back({{"host", host}, {"counted_findings", n}});
  return {{"targets", s.targets()},
          {"failed_targets", s.failed()},
          {"out_of_scope_targets", s.out_of_scope()},
          {"compliant_targets", s.compliant()},
          {"targets_needing_action", s.needing_action()},
          {"targets_not_verifiable", s.not_verifiable()},
          {"findings", findings},
          {"hosts_needing_action", needing},
          {"plan", plan},
          {"exit_status", exit_status}};
}

ordered_json Tally::summary() const { return summary_json(summary_, exit_status_); }

JsonWriter::JsonWriter(Sink sink, const ordered_json& head) : sink_(std::move(sink)) {
  std::string out = "{";
  for (const auto& [key, value] : head.items()) out += "\n  " + key_json(key) + ": " + dump_at(value, 1) + ",";
  sink_(out + "\n  \"targets\": [");
}

void JsonWriter::add(const ordered_json& target) { add(target, target_from_json(target)); }

void JsonWriter::add(const ordered_json& target, const TargetItem& item) {
  sink_((any_ ? ",\n    " : "\n    ") + dump_at(target, 2));
  any_ = true;
  tally_.add(target, item);
}

void JsonWriter::finish(const ordered_json& tail) {
  std::string out = any_ ? "\n  ]" : "]";
  out += ",\n  \"summary\": " + dump_at(tally_.summary(), 1);
  for (const auto& [key, value] : tail.items()) out += ",\n  " + key_json(key) + ": " + dump_at(value, 1);
  sink_(out + "\n}\n");
}

}  // namespace hfa::report
