// CSV for spreadsheets and scripts: one row per target and article, with the
// evidence in brief. RFC 4180 (CRLF, quotes doubled); a cell a spreadsheet
// would run as a formula (= + - @, tab, CR first) gets a leading apostrophe.
// Rendered from the JSON document, so `report merge` writes the same rows.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace hfa::report {

// "host,root,system_root,...\r\n"
std::string csv_header();
// The rows of one target object (as target_json writes it): one per finding;
// a target that could not be scanned gives one row, status "error".
std::string csv_rows(const nlohmann::ordered_json& target);
// Header and the rows of every target of a document.
std::string to_csv(const nlohmann::ordered_json& document);
// One cell, neutralised and quoted as needed.
std::string csv_cell(std::string_view value);

}  // namespace hfa::report
