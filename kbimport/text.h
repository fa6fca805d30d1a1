// Small text helpers the importer's units share: ASCII classes, trimming,
// splitting into words with their columns, the rules under headings.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hfa::kbimport::detail {

bool is_space(char c);
bool is_digit(char c);
bool is_alpha(char c);
std::string_view trim(std::string_view s);
bool starts_with_ci(std::string_view s, std::string_view prefix);
bool contains_ci(std::string_view s, std::string_view needle);
bool all_digits(std::string_view s);
std::optional<int> to_int(std::string_view s);  // up to 6 digits
std::string collapse_spaces(std::string_view s);
// A line of only `c` (at least three): the rules under headings.
bool is_rule(std::string_view s, char c);
// A line of only '-', '=' and '+': the rules of table headers.
bool is_table_rule(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);

// A word of a line and the column it starts at.
struct Token {
  std::string_view text;
  size_t start;
};
std::vector<Token> tokenize(std::string_view line);
// "(x86)" -> "x86", "<Alpha>" -> "Alpha".
std::string_view strip_parens(std::string_view s);

}  // namespace hfa::kbimport::detail
