// ASCII case folding, as NT compares file names, registry keys and KB ids for
// the characters they use. Locale-independent on purpose.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfa {

std::string ascii_lower(std::string_view s);
std::string ascii_upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

// The items with `separator` between them: "a, b, c".
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

// Text from the evidence (hive values, file and folder names, boot.ini
// descriptions, version strings) made safe for a terminal: control characters
// (C0, DEL, and C1 U+0080-U+009F, whose CSI can start an escape sequence),
// which could clear the screen, write the clipboard or forge a line of the
// report, are shown as \xNN; bytes that are not UTF-8 too. Printable text,
// UTF-8 included, is left as it is.
std::string printable(std::string_view s);

}  // namespace hfa
