// Table reader: the rows of one file-attribute table, from its header line to
// its end, appended to the result with the table's problems and notes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "kbimport/kbimport.h"
#include "kbimport/layout.h"
#include "kbimport/rows.h"

namespace hfa::kbimport::detail {

// Reads the table whose header is line i of L; returns the last line it used.
// `intro` is the sentence introducing it ("... should have the following file
// attributes"), which names the edition when no heading does.
size_t read_table(const std::vector<std::string>& L, size_t i, const Header& header, const std::string& heading,
                  const std::string& component, const std::string& intro, ImportResult& r);

// An attribute line with no header above it: a file name and at least one
// date, size or version, at most one word unread. nullopt otherwise (prose).
std::optional<Cells> read_attribute_line(std::string_view line);
// Reads such lines from line i on, up to a blank line, as one headerless table.
size_t read_headerless_table(const std::vector<std::string>& L, size_t i, const std::string& heading,
                             const std::string& component, const std::string& intro, ImportResult& r);

}  // namespace hfa::kbimport::detail
