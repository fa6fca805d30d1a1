// The report model: what a scan says of one target, typed, as every renderer
// (text, CSV, HTML) reads it. It is read from the target objects of the JSON
// contract (report/scan_report.h's target_json, or a JSONL line of an earlier
// run), so `scan`, `report merge` and `report convert` render the same model;
// this file is the one place that knows the JSON's keys besides the writer.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyzer/analyzer.h"
#include "analyzer/remediation.h"
#include "core/digest.h"

namespace hfa::report {

// The version of the JSON contract (docs/schema/): bumped when a key changes
// meaning or shape, never silently.
inline constexpr int kSchemaVersion = 2;

// A target object that does not have the contract's shape: `where` is the
// JSON path of the offending value ("/findings/3/status").
struct ModelError : std::runtime_error {
  ModelError(std::string where, const std::string& what)
      : std::runtime_error(where + ": " + what), where(std::move(where)) {}
  std::string where;
};

// What the scan found where the article's file should be.
struct FoundFile {
  bool present = false;
  std::optional<std::string> path;
  std::optional<uint64_t> size;
  std::optional<std::string> modified;  // UTC, "1999-10-15T12:00:00Z"
  std::optional<std::string> kind;      // "PE32", "NE", ...
  std::optional<std::string> machine;
  std::optional<std::string> link_time;
  std::optional<std::string> file_version;
  std::optional<std::string> version_string;  // the file's own words (untrusted)
  std::optional<std::string> problem;
  Digests hashes;
};

// What the article requires: a file-table row, or a service pack.
struct Requirement {
  enum class Kind { none, file_row, service_pack };
  Kind kind = Kind::none;
  std::optional<std::string> platform, date, time, version, service_pack;
  std::optional<uint64_t> size;
};
std::string_view to_string(Requirement::Kind k);  // "", "file-row", "service-pack"

struct EvidenceItem {
  std::string file;  // the name the article uses
  std::optional<std::string> path;
  std::string status;  // analyzer::RowStatus as words ("older", ...)
  FoundFile found;
  Requirement required;
  std::string note;
};

struct WaiverItem {
  std::string source, host, reason, expires, approver, waived_status;
};

struct FindingItem {
  std::string kb;
  std::string title;
  analyzer::Status status = analyzer::Status::unknown;
  std::string reason;
  std::vector<std::string> notes;
  std::optional<analyzer::Remedy> remediation;
  std::optional<WaiverItem> waiver;
  std::vector<EvidenceItem> evidence;
  bool counts_against() const { return analyzer::counts_against(status); }
};

struct OsItem {
  std::optional<std::string> version, build, service_pack, csd_version, product, platform;
  std::vector<std::string> suites, installed_hotfixes;
  std::map<std::string, std::string> unknown;  // fact -> why it is unknown
  bool terminal_server() const;
};

// A file or hive the scan read, for the record (provenance).
struct FileRead {
  std::string path;
  std::optional<uint64_t> size;
  std::optional<std::string> modified;
  Digests hashes;
};

struct TargetItem {
  std::string host;  // as outputs name it: the host, else the root
  std::string root;
  std::optional<std::string> system_root, found_by, error, out_of_scope;
  std::optional<OsItem> os;  // unset when the target could not be scanned
  std::vector<std::string> notes;
  std::vector<FindingItem> findings;
  std::vector<analyzer::PlanStep> plan;  // what to install, in order
  std::vector<FileRead> files_read;
  nlohmann::ordered_json image;  // the disk image's identity (provenance), or null

  // Each status's count, every status present (zero when none).
  std::map<analyzer::Status, int> counts() const;
  int counted() const;  // findings that count against compliance
};

// Reads one target object; throws ModelError naming the key when a required
// key is missing or of the wrong type. Unknown keys are ignored.
TargetItem target_from_json(const nlohmann::ordered_json& target);

// The JSON of a plan ([{"step","kind","id","title","source","text","fixes"}])
// and back: the writer and the model share it.
nlohmann::ordered_json plan_json(const std::vector<analyzer::PlanStep>& plan);
nlohmann::ordered_json remedy_json(const analyzer::Remedy& r);

// A run's fleet-wide plan: each step with the hosts it is on and the findings
// it fixes there, most findings first ("SRP Q299444 on 14 hosts fixes 120
// findings").
struct FleetStep {
  analyzer::Remedy remedy;
  int hosts = 0;
  int findings = 0;
};

// What a run says in sum, counted target by target, so that a thousand hosts
// need no more memory than one (hosts and steps only).
class Summary {
 public:
  Summary();
  void add(const TargetItem& t);
  size_t targets() const { return targets_; }
  int failed() const { return failed_; }
  int out_of_scope() const { return out_of_scope_; }
  // Hosts with a missing or inconsistent finding; hosts whose only counted
  // findings are unknown are "not verifiable" (unknown means not verified,
  // not fixed); compliant hosts have no counted finding.
  int needing_action() const { return needing_action_; }
  int not_verifiable() const { return not_verifiable_; }
  int compliant() const { return compliant_; }
  const std::map<analyzer::Status, int>& findings() const { return findings_; }
  std::vector<FleetStep> fleet_plan() const;
  // Hosts with a counted finding (needing action or not verifiable): name and
  // count, worst first.
  std::vector<std::pair<std::string, int>> hosts_needing_action() const;
  // Per host: name and its counts (the text report's fleet table).
  const std::vector<std::pair<std::string, std::map<analyzer::Status, int>>>& per_host() const { return per_host_; }

 private:
  size_t targets_ = 0;
  int failed_ = 0, out_of_scope_ = 0, needing_action_ = 0, not_verifiable_ = 0, compliant_ = 0;
  std::map<analyzer::Status, int> findings_;
  std::map<std::string, FleetStep> steps_;  // by kind and id
  std::vector<std::pair<std::string, int>> needing_;
  std::vector<std::pair<std::string, std::map<analyzer::Status, int>>> per_host_;
};

}  // namespace hfa::report
