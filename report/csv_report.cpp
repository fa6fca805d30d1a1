#include "report/csv_report.h"

#include <initializer_list>
#include <iterator>
#include <optional>
#include <vector>

#include "report/scan_report.h"

namespace hfa::report {
namespace {

using nlohmann::ordered_json;

// The column names are the contract a user's filters and scripts rely on:
// renamed or reordered only with the JSON's schema_version.
constexpr const char* kColumns[] = {"host",
                                    "system_root",
                                    "os_version",
                                    "service_pack",
                                    "product",
                                    "platform",
                                    "kb",
                                    "title",
                                    "status",
                                    "reason",
                                    "remediation",
                                    "remediation_kind",
                                    "remediation_id",
                                    "waiver_reason",
                                    "waiver_expires",
                                    "waiver_approver"};

constexpr const char* kEvidenceColumns[] = {"host",
                                            "kb",
                                            "file",
                                            "path",
                                            "status",
                                            "found_version",
                                            "found_link_time",
                                            "found_modified",
                                            "found_size",
                                            "required_kind",
                                            "required_date",
                                            "required_time",
                                            "required_size",
                                            "required_version",
                                            "required_platform",
                                            "required_service_pack",
                                            "sha256",
                                            "sha1",
                                            "md5"};

std::string opt(const std::optional<std::string>& s) { return s.value_or(""); }
std::string opt(const std::optional<uint64_t>& n) { return n ? std::to_string(*n) : ""; }

std::string hash(const Digests& d, const char* algorithm) {
  const auto it = d.find(algorithm);
  return it == d.end() ? "" : it->second;
}

template <typename Cells>
std::string row(const Cells& cells) {
  std::string out;
  bool first = true;
  for (const auto& c : cells) {
    out += (first ? "" : ",") + csv_cell(c);
    first = false;
  }
  return out + "\r\n";
}

template <size_t N>
std::string header_of(const char* const (&columns)[N]) {
  return row(std::vector<std::string>(std::begin(columns), std::end(columns)));
}

}  // namespace

std::string csv_cell(std::string_view raw) {
  std::string value = valid_utf8(std::string(raw));
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' || value[0] == '\t' ||
                         value[0] == '\r'))
    value.insert(0, "'");
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string csv_header() { return header_of(kColumns); }

std::string csv_rows(const TargetItem& t) {
  const OsItem os = t.os.value_or(OsItem{});
  const std::vector<std::string> target_cells = {
      t.host, opt(t.system_root), opt(os.version), opt(os.service_pack), opt(os.product), opt(os.platform)};
  // kb, title, status, reason, then the remedy and the waiver.
  auto with = [&](std::initializer_list<std::string> rest) {
    auto cells = target_cells;
    cells.insert(cells.end(), rest);
    cells.resize(std::size(kColumns));
    return row(cells);
  };
  if (t.error) return with({"", "", "error", *t.error});
  if (t.out_of_scope) return with({"", "", "out-of-scope", *t.out_of_scope});
  if (t.findings.empty()) return with({"", "", "", "no article in the database applies"});
  std::string out;
  for (const auto& f : t.findings) {
    const auto& r = f.remediation;
    const auto& w = f.waiver;
    out += with({f.kb, f.title, std::string(analyzer::to_string(f.status)), f.reason, r ? r->text : "",
                 r ? std::string(analyzer::to_string(r->kind)) : "", r ? r->id : "", w ? w->reason : "",
                 w ? w->expires : "", w ? w->approver : ""});
  }
  return out;
}

std::string csv_rows(const ordered_json& target) { return csv_rows(target_from_json(target)); }

std::string to_csv(const ordered_json& document) {
  std::string out = csv_header();
  if (document.contains("targets"))
    for (const auto& t : document["targets"]) out += csv_rows(t);
  return out;
}

std::string evidence_csv_header() { return header_of(kEvidenceColumns); }

std::string evidence_csv_rows(const TargetItem& t) {
  std::string out;
  for (const auto& f : t.findings)
    for (const auto& e : f.evidence) {
      const auto& found = e.found;
      const auto& q = e.required;
      out += row(std::vector<std::string>{
          t.host, f.kb, e.file, e.path ? *e.path : opt(found.path), e.status, opt(found.file_version),
          opt(found.link_time), opt(found.modified), opt(found.size), std::string(to_string(q.kind)), opt(q.date),
          opt(q.time), opt(q.size), opt(q.version), opt(q.platform), opt(q.service_pack), hash(found.hashes, "sha256"),
          hash(found.hashes, "sha1"), hash(found.hashes, "md5")});
    }
  return out;
}

std::string evidence_csv_rows(const ordered_json& target) { return evidence_csv_rows(target_from_json(target)); }

std::string to_evidence_csv(const ordered_json& document) {
  std::string out = evidence_csv_header();
  if (document.contains("targets"))
    for (const auto& t : document["targets"]) out += evidence_csv_rows(t);
  return out;
}

}  // namespace hfa::report
