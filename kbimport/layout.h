// Table layout: the header line of a file-attribute table (its column words
// and where each starts), the phrase that implies one, and the date order the
// rows use.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hfa::kbimport::detail {

enum class Col { date, time, version, size, name, platform, other };
std::string_view col_name(Col c);

struct Column {
  Col kind;
  size_t start = 0;  // where the header writes it, for wrapped names
};

struct Header {
  bool boxed = false;
  std::vector<Column> columns;
  bool has(Col c) const {
    return std::any_of(columns.begin(), columns.end(), [c](const Column& x) { return x.kind == c; });
  }
};


// The header of a plain (space-aligned) or boxed ("| a | b |") table; nullopt
// when the line is not one (fewer than two column words, or no name column).
std::optional<Header> parse_header(std::string_view line);

// "This fix should have the following time stamp:" introduces a table with no
// header, whose rows are written date, time, size, name, platform
// ("05/26/98  10:07p  88,336 Xactsrv.dll (Intel)").
bool is_time_stamp_phrase(std::string_view t);
// The columns that phrase implies (no positions).
Header time_stamp_header();

// d/m/y tables: a first number above 12 in some row's n/n/n date, among the
// lines from `first` to the next blank one.
bool rows_are_day_first(const std::vector<std::string>& lines, size_t first);

}  // namespace hfa::kbimport::detail
