// Row reader: the cells of one table line, matched to the header's columns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/nt_types.h"
#include "kbimport/layout.h"
#include "kbimport/text.h"

namespace hfa::kbimport::detail {

// What the cells of a row hold. A size in KB or a Platform cell naming no
// processor is kept as text: it has the column's shape, not its units.
struct Cells {
  std::optional<Date> date;
  std::optional<TimeOfDay> time;
  std::optional<uint64_t> size;
  std::string name;
  std::optional<Platform> platform;
  std::string version;
  std::string size_text, platform_text, note;
  int empty = 0;     // columns left blank
  int fallback = 0;  // cells read as text rather than as their column's value
  // Cells that could not be read (Row::problems); the row is kept all the same.
  std::vector<std::string> problems;
};

// A plain (space-aligned) row: its words matched to the columns in order, any
// column possibly blank; the reading with the fewest blank columns, or nullopt.
std::optional<Cells> read_plain_row(const std::vector<Column>& cols, const std::vector<Token>& toks,
                                    std::string_view line, bool day_first);
// A boxed row "| a | b |": each cell read by its column; a cell that cannot be
// read is named in Cells::problems. nullopt and `why` when there is no file name.
std::optional<Cells> read_boxed_row(const Header& h, std::string_view line, bool day_first, std::string& why);

// A line the columns cannot account for (a cell in no shape its column takes:
// "5.0:2195.2097", "8,1012", "xx/xx/xx"), or, with no columns, an attribute
// line under no header ("USER.EXE  version 4.00.951  dated 10/26/95 9:51am
// 461,984 bytes"). The file name and each word read by its shape, in the
// columns' order; every word that cannot be read is named in
// Cells::problems. nullopt when no word is a file name.
std::optional<Cells> read_loose_row(const std::vector<Column>& cols, const std::vector<Token>& toks, bool day_first);

}  // namespace hfa::kbimport::detail
