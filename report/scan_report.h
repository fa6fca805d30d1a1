// The outputs of a scan: the JSON document other tools rely on, and the text
// table people read. Both carry, with every finding, the evidence behind it.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "report/model.h"
#include "scan/scan.h"

namespace hfa::report {

struct ToolInfo {
  std::string name = "hotfix-audit";
  std::string version;
};

// The finding statuses that make the exit status 1 (`--fail-on`): by default
// "missing", "inconsistent" and "unknown".
using FailOn = std::vector<std::string>;
const FailOn& default_fail_on();

// 0: every finding fixed, not-applicable or waived (or of a status not in
// `fail_on`); 1: any of a status in `fail_on`; 3: an installation outside the
// database's scope (not judged: never compliant); 2: a target could not be
// scanned. The more serious wins, in the order 2, 3, 1, 0.
int exit_status(const std::vector<scan::Target>& targets, const FailOn& fail_on = default_fail_on());
// The exit status of two parts of one run together (that order).
int worse_exit_status(int a, int b);
// analyzer::counts_against of a status word (false for a word that names none).
bool counts_against(std::string_view status);
// What to install on the target, in order (analyzer::remediation_plan of its
// counted findings' remedies, waivers applied).
std::vector<analyzer::PlanStep> plan_of(const scan::Target& target);

// One element of "targets"; also one line of --format jsonl.
nlohmann::ordered_json target_json(const scan::Target& target);
// One line of --format jsonl: the target object with "schema_version" first,
// since a line read alone (grep, a log shipper) has no document to say it.
nlohmann::ordered_json jsonl_line(const nlohmann::ordered_json& target);
// [{"kb","title"}] of the database, as the document's "database.articles".
nlohmann::ordered_json articles_json(const kbdb::Database& db);
// {"tool","database","targets":[...],"summary"}, keys in that order: the whole
// document from target objects (as target_json writes them, or read
// back from JSONL): the summary is computed from them, so a merge of several
// runs is summarised exactly as one run.
nlohmann::ordered_json document_json(nlohmann::ordered_json targets, const ToolInfo& tool,
                                     nlohmann::ordered_json articles);
// The exit status rule over target objects.
int exit_status_json(const nlohmann::ordered_json& targets, const FailOn& fail_on = default_fail_on());
// The name of a target object as outputs show it: "host", else "root".
std::string host_name(const nlohmann::ordered_json& target);
// Strings from an image need not be UTF-8: invalid bytes become U+FFFD, as in the JSON.
std::string valid_utf8(const std::string& s);

// Where a streaming writer puts its output, piece by piece, in order.
using Sink = std::function<void(std::string_view)>;

// {"tool","database"}: what a document holds before its targets.
nlohmann::ordered_json document_head(const ToolInfo& tool, nlohmann::ordered_json articles);

// What "summary" says of a run, counted target object by target object, so a
// run's summary needs no more memory for a thousand hosts than for one.
class Tally {
 public:
  void add(const nlohmann::ordered_json& target);
  // The same, with the target already read into the model (scan reads it once).
  void add(const nlohmann::ordered_json& target, const TargetItem& item);
  nlohmann::ordered_json summary() const;
  int exit_status() const { return exit_status_; }
  const Summary& totals() const { return summary_; }

 private:
  Summary summary_;
  int exit_status_ = 0;
};
// The document's "summary": counts, hosts needing action worst first, and the
// fleet's plan ranked by findings fixed.
nlohmann::ordered_json summary_json(const Summary& s, int exit_status);

// The document of document_json, as cli dump() prints it (indent 2, final
// newline), written as the targets come: the head first, each target as
// it is added, then "summary" and the keys of `tail` (the run's waivers).
class JsonWriter {
 public:
  JsonWriter(Sink sink, const nlohmann::ordered_json& head);
  void add(const nlohmann::ordered_json& target);
  void add(const nlohmann::ordered_json& target, const TargetItem& item);
  void finish(const nlohmann::ordered_json& tail);

 private:
  Sink sink_;
  Tally tally_;
  bool any_ = false;
};

}  // namespace hfa::report
