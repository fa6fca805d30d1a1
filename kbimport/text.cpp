#include "kbimport/text.h"

#include <algorithm>

#include "core/text.h"

namespace hfa::kbimport::detail {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool contains_ci(std::string_view s, std::string_view needle) {
  return ascii_lower(s).find(ascii_lower(needle)) != std::string::npos;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c); });
}

std::optional<int> to_int(std::string_view s) {
  if (!all_digits(s) || s.size() > 6) return std::nullopt;
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::string collapse_spaces(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool is_rule(std::string_view s, char c) {
  s = trim(s);
  return s.size() >= 3 && std::all_of(s.begin(), s.end(), [c](char x) { return x == c; });
}
bool is_table_rule(std::string_view s) {
  s = trim(s);
  return s.size() >= 3 && std::all_of(s.begin(), s.end(), [](char x) { return x == '-' || x == '=' || x == '+'; });
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t p = s.find(sep, start);
    parts.push_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return parts;
}

std::vector<Token> tokenize(std::string_view line) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < line.size()) {
    if (is_space(line[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < line.size() && !is_space(line[j])) ++j;
    out.push_back({line.substr(i, j - i), i});
    i = j;
  }
  return out;
}

std::string_view strip_parens(std::string_view s) {
  if (s.size() >= 2 && ((s.front() == '(' && s.back() == ')') || (s.front() == '<' && s.back() == '>')))
    return s.substr(1, s.size() - 2);
  return s;
}

}  // namespace hfa::kbimport::detail
