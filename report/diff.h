// `report diff OLD NEW`: what changed between two saved scans, as a typed
// model built from their target objects (as target_json writes them, read
// back from a JSON document or JSONL), and its text, JSON and HTML renderings.
// Pure: no files are read here; the CLI reads them and hands over the JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hfa::report {

// One article on one host whose verdict or evidence moved between the scans.
struct FindingChange {
  std::string kb, title;
  std::string old_status, new_status;  // "" when the article was not judged in that scan
  // "localspl.dll: file_version 4.0.1381.7 -> 4.0.1381.4", one per evidence
  // field that differs; empty when only the verdict moved.
  std::vector<std::string> evidence;
};

// A host in both scans, matched by host name and system root.
struct HostDiff {
  std::string host, system_root;
  std::vector<FindingChange> regressions;       // now missing or inconsistent, was not
  std::vector<FindingChange> fixed;             // was missing or inconsistent, is not now
  std::vector<FindingChange> still_missing;     // missing or inconsistent in both
  std::vector<FindingChange> evidence_changed;  // the same verdict on different evidence
  // The scan's "error" of each side, "" when scanned: a host that could not be
  // scanned the second time has no findings to compare, which is not "fixed".
  std::string old_error, new_error;
  bool empty() const {
    return regressions.empty() && fixed.empty() && still_missing.empty() && evidence_changed.empty() &&
           old_error.empty() && new_error.empty();
  }
};

struct HostKey {
  std::string host, system_root;
};

struct DatabaseDiff {
  bool compared = false;                              // both inputs carried "database" (JSONL does not)
  std::vector<std::string> added, removed, retitled;  // KB ids
  bool changed() const { return !added.empty() || !removed.empty() || !retitled.empty(); }
};

struct Diff {
  std::vector<HostKey> hosts_added, hosts_removed;
  std::vector<HostDiff> hosts;  // every host in both, in the new scan's order
  DatabaseDiff database;
  size_t regression_count() const;
  // Anything but still-missing findings: a rerun with nothing new is "no change".
  bool any_change() const;
};

// `old_database`/`new_database`: the documents' "database" objects, or null
// (JSONL) to leave the database uncompared.
Diff diff_scans(const nlohmann::ordered_json& old_targets, const nlohmann::ordered_json& new_targets,
                const nlohmann::ordered_json& old_database = nullptr,
                const nlohmann::ordered_json& new_database = nullptr);

// Exit status of `report diff`: 1 when any regression, else 0.
inline int diff_exit_status(const Diff& d) { return d.regression_count() ? 1 : 0; }

std::string diff_text(const Diff& d);
nlohmann::ordered_json diff_json(const Diff& d);
std::string diff_html(const Diff& d);

}  // namespace hfa::report
