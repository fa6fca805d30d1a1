// How one file compares with one row of an article's table, and the words
// for it: the file-level half of the analyzer (analyzer.cpp decides the
// finding). Internal to analyzer/; pure, like the rest of it.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/analyzer.h"

namespace hfa::analyzer::detail {

// What the scan found for `wanted`, or an absent fact when it was not asked.
FileFact found_or_absent(const TargetEvidence& t, const std::string& wanted);
// Why a present file cannot be compared, or "" when it can.
std::string unreadable_reason(const FileFact& f);
// A row of a Terminal Server Edition table: its section names TSE, or the
// article concerns TSE alone.
bool tse_row(const kbdb::Article& a, const kbdb::FileRow& r);
std::string row_text(const kbdb::FileRow& row);
std::string found_text(const FileFact& f);
// The rules of docs/verdicts.md for one file and one row.
EvidenceRow compare_row(const kbdb::FileRow& row, const FileFact& f, bool row_is_tse);
// "winlogon.exe (older), services.exe (older)": the rows of those statuses.
std::string describe_rows(const std::vector<EvidenceRow>& rows, std::initializer_list<RowStatus> which);
// A newer row that is another build line or a year past the row, in words.
std::optional<std::string> much_newer_note(const EvidenceRow& r);

}  // namespace hfa::analyzer::detail
