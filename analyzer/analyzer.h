// The verdicts: a pure function of the evidence of one installation and the KB
// database. No I/O: every rule can be exercised with values in memory.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/evidence.h"
#include "analyzer/remediation.h"
#include "kbdb/catalogue.h"
#include "kbdb/kbdb.h"

namespace hfa::analyzer {

// `waived`: a missing, inconsistent or unknown finding an approved waiver
// covers; compliant for the exit status, and shown with its waiver.
enum class Status { fixed, missing, not_applicable, inconsistent, unknown, waived };
std::string_view to_string(Status s);  // "fixed", "missing", "not-applicable", ..., "waived"
std::optional<Status> status_from_string(std::string_view s);
// The statuses that count against compliance (and, by default, make the exit
// status 1): missing, inconsistent, unknown. Defined here, once, for every output.
bool counts_against(Status s);
// Every status, in the order reports count them.
inline constexpr Status kAllStatuses[] = {Status::fixed,        Status::missing, Status::not_applicable,
                                          Status::inconsistent, Status::unknown, Status::waived};

// How one file compared with what the article requires.
enum class RowStatus {
  exact,          // same size, time within the 24-hour zone allowance (or same version)
  newer,          // at or past the fix
  older,          // before the fix
  time_reset,     // modification time recent, link time too old: counts as older
  absent,         // not installed: does not count either way
  unreadable,     // present but its attributes cannot be read
  present,        // installed, nothing to compare it with (a module of an SP-fixed
                  // article, a file with no row for this platform)
  other_edition,  // a Terminal Server Edition build against a standard row, or the
                  // reverse: never compared, counts as unreadable
};
std::string_view to_string(RowStatus s);  // "exact", "newer", "older", "time-reset", ...

struct EvidenceRow {
  std::string file;  // the name the article uses
  FileFact found;    // copy of what the scan found (path "", present false when absent)
  RowStatus status = RowStatus::absent;
  std::optional<kbdb::FileRow> required_row;         // file-table articles
  std::optional<std::string> required_service_pack;  // SP-fixed articles
  std::string note;                                  // the comparison in words
  // The file compared, when it is not the row's own: "ntkrnlmp.exe" judged by
  // a Ntoskrnl.exe row because the installation boots it. "" otherwise.
  std::string judged;
};

// An approved exception (waivers/): what the finding was, and why it is
// accepted until `expires`.
struct Waiver {
  std::string kb;
  std::string host_pattern = "*";  // glob, case-insensitive
  std::string reason;
  Date expires;  // valid through this day
  std::string approver;
  std::string source;                      // "waivers.txt:3"
  Status waived_status = Status::missing;  // the finding's status before the waiver
};

struct Finding {
  std::string kb;
  std::string title;
  Status status = Status::unknown;
  std::string reason;  // one line
  std::vector<EvidenceRow> evidence;
  // What an auditor should know besides the verdict: a file much newer than
  // the article's (another build branch), as MBSA reported it.
  std::vector<std::string> notes;
  // The analyzer's reasoning, step by step, naming every fact it used and
  // where it came from: what `hotfix-audit explain` prints.
  std::vector<std::string> trace;
  std::optional<Waiver> waiver;  // set when status is waived
  // For a finding that counts against compliance: the smallest thing to
  // install that fixes it on this installation (the newest superseding hotfix,
  // a package containing it, or the service pack of its line), with the source
  // that says so. Unset otherwise.
  std::optional<Remedy> remediation;
};

// Allowances of the file-time rule (see docs/verdicts.md): KB tables give local
// times in no stated zone, and a binary is linked some days before it ships.
inline constexpr int64_t kZoneAllowanceSeconds = 24 * 3600;
inline constexpr int64_t kLinkBeforeShipSeconds = 30 * 24 * 3600;
// A file linked this long after the row's date is from a later build branch.
inline constexpr int64_t kMuchNewerSeconds = 365 * 24 * 3600;

// With a catalogue, the article's relations (fix lists, packages, later
// articles listing its files, optional components, required settings) are
// used too (docs/verdicts.md); without one, only the article's own facts.
Finding analyze_article(const kbdb::Article& article, const TargetEvidence& target,
                        const kbdb::Catalogue* catalogue = nullptr);
// One finding per article of the database, by KB id in numeric order, with the
// catalogue's relations; roll-ups and their components are reconciled so that
// they never contradict each other.
std::vector<Finding> analyze(const kbdb::Database& db, const TargetEvidence& target);

// The files the analysis of `db` looks at (file rows and modules), as wanted
// names for the scan: bare names for file rows, %SystemRoot%-relative paths
// for modules. Sorted, without duplicates (case-insensitive).
// Rows with a `location` are asked for as "location/name"; the files proving
// an optional component installed are asked for too.
std::vector<std::string> files_of_interest(const kbdb::Database& db);

// The registry values the database's articles need (kbdb::RequiredSetting),
// without duplicates, for the scan to read.
std::vector<kbdb::RequiredSetting> settings_of_interest(const kbdb::Database& db);

// The file a row is looked for as: its name, or "location/name".
std::string wanted_name(const kbdb::FileRow& row);

}  // namespace hfa::analyzer
