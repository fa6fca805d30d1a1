// CSV for spreadsheets and scripts, two tables a user can filter:
//  - the findings: one row per host and article (csv_header, csv_rows);
//  - the evidence: one row per file an article names, per host (evidence_csv_*).
// RFC 4180 (CRLF, quotes doubled); a cell a spreadsheet would run as a formula
// (= + - @, tab, CR first) gets a leading apostrophe. Rendered from the typed
// model (report/model.h), read from the target objects of the JSON contract,
// so `scan`, `report merge` and `report convert` write the same rows.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "report/model.h"

namespace hfa::report {

// "host,system_root,os_version,...,waiver_approver\r\n"
std::string csv_header();
// The rows of one target: one per finding; a target that could not be scanned
// gives one row, status "error" (one "out-of-scope" for a target not judged).
std::string csv_rows(const TargetItem& target);
// The same from a target object; throws ModelError when it is not one.
std::string csv_rows(const nlohmann::ordered_json& target);
// Header and the rows of every target of a document.
std::string to_csv(const nlohmann::ordered_json& document);

// "host,kb,file,path,status,...,md5\r\n"
std::string evidence_csv_header();
// One row per evidence row of every finding of the target (none for a target
// not scanned: it has no evidence).
std::string evidence_csv_rows(const TargetItem& target);
std::string evidence_csv_rows(const nlohmann::ordered_json& target);
std::string to_evidence_csv(const nlohmann::ordered_json& document);

// One cell, neutralised and quoted as needed.
std::string csv_cell(std::string_view value);

}  // namespace hfa::report
