// The outputs of a scan: the JSON document other tools rely on, and the text
// table people read. Both carry, with every finding, the evidence behind it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scan/scan.h"

namespace hfa::report {

struct ToolInfo {
  std::string name = "hotfix-audit";
  std::string version;
};

// 0: every finding fixed or not-applicable; 1: any missing, inconsistent or
// unknown; 2: a target could not be scanned.
int exit_status(const std::vector<scan::Target>& targets);

// {"tool","database","targets":[...],"summary"}; keys in a fixed order.
nlohmann::ordered_json to_json(const std::vector<scan::Target>& targets, const ToolInfo& tool,
                               const kbdb::Database& db);
nlohmann::ordered_json target_json(const scan::Target& target);

// A table per target; `colour` adds ANSI colours to the status words.
std::string to_text(const std::vector<scan::Target>& targets, bool colour);

}  // namespace hfa::report
