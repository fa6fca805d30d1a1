// Table reader: the rows of one file-attribute table, from its header line to
// its end, appended to the result with the table's problems and notes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "kbimport/kbimport.h"
#include "kbimport/layout.h"

namespace hfa::kbimport::detail {

// Reads the table whose header is line i of L; returns the last line it used.
size_t read_table(const std::vector<std::string>& L, size_t i, const Header& header, const std::string& heading,
                  const std::string& component, ImportResult& r);

}  // namespace hfa::kbimport::detail
