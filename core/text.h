// ASCII case folding, as NT compares file names, registry keys and KB ids for
// the characters they use. Locale-independent on purpose.
#pragma once

#include <string>
#include <string_view>

namespace hfa {

std::string ascii_lower(std::string_view s);
std::string ascii_upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

}  // namespace hfa
