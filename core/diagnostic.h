// One diagnostic type for the whole project: what was wrong or worth saying
// about a piece of evidence or input, with a stable code, where it was (file,
// and an offset or a line when known) and the message in words.
//
// The code is what programs count and test against (`db import --stats`, the
// scan's notes); the message is for people and may be reworded at any time.
// Codes are short, stable, lower-case, dot-separated strings, "AREA.WHAT":
// "hive.dirty", "kbimport.untabled-phrase". Each library declares its own
// codes as constants next to the code that emits them (registry/diagnostics.h,
// ...), so that adding one never touches another library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hfa {

struct Diagnostic {
  std::string code;                // stable: "hive.dirty"
  std::string file;                // the file it is about, as the user or the volume names it;
                                   // "" when none
  std::optional<uint64_t> offset;  // byte offset in `file`, when the problem has one
  std::optional<int> line;         // 1-based line in `file`, for text files
  std::string message;             // in words; the location is in the fields above, not
                                   // repeated here
};

// For display: "FILE line N: MESSAGE", "FILE at offset 0x1A00: MESSAGE",
// "FILE: MESSAGE", "line N: MESSAGE", or the message alone when no location is
// set.
std::string to_string(const Diagnostic& d);

// Each to_string, in order (for the scan's notes, which stay text in reports).
std::vector<std::string> to_strings(const std::vector<Diagnostic>& diagnostics);

// How many diagnostics carry `code`.
size_t count_code(const std::vector<Diagnostic>& diagnostics, std::string_view code);

}  // namespace hfa
