// Cell readers: the spellings KB tables use for a date, a time, a size, a
// version, a file name, a footnote. Each says whether a cell has its column's
// shape; the public parse_table_* of kbimport.h are among them.
#pragma once

#include <optional>
#include <string_view>

#include "core/nt_types.h"

namespace hfa::kbimport::detail {

// day_first: the table writes d/m/y (some tables of non-US origin do).
std::optional<Date> parse_date(std::string_view text, bool day_first);
bool is_version_text(std::string_view s);       // "4.0.1381.7097", "3.5.23"
bool is_no_value(std::string_view s);           // "none", "N/A", "-"
bool is_version_with_note(std::string_view s);  // "1.2(786)"
bool is_kb_size(std::string_view s);            // "184KB", "43 KB", "1.42MB"
bool is_kb_unit(std::string_view s);            // "KB", "MB"
bool is_footnote(std::string_view s);           // "*", "(1)", "[**]"
bool is_name(std::string_view s);               // a file name: no date, time, size or platform shape

}  // namespace hfa::kbimport::detail
