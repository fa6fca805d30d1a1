#include "kbimport/cells.h"

#include <algorithm>
#include <array>

#include "core/text.h"
#include "kbimport/kbimport.h"
#include "kbimport/text.h"

namespace hfa::kbimport {

namespace detail {
namespace {

int year_of(int y, size_t digits) {
  if (digits == 2) return y < 80 ? 2000 + y : 1900 + y;
  return y;
}

std::optional<int> month_of(std::string_view name) {
  static const std::array<const char*, 12> months = {"january", "february", "march",     "april",   "may",      "june",
                                                    "july",    "august",   "september", "october", "november", "december"};
  if (name.size() < 3) return std::nullopt;
  const auto lower = ascii_lower(name);
  for (size_t i = 0; i < months.size(); ++i) {
    const std::string m = months[i];
    // "Aug", "August", "Sept"
    if (lower == m.substr(0, 3) || lower == m || (m == "september" && lower == "sept")) return int(i) + 1;
  }
  return std::nullopt;
}

std::optional<Date> make_date(int y, int m, int d) {
  if (!is_valid_date(y, m, d)) return std::nullopt;
  return Date{y, m, d};
}

}  // namespace

// day_first: the table writes d/m/y (some tables of non-US origin do; a day
// above 12 in any row tells).
std::optional<Date> parse_date(std::string_view text, bool day_first) {
  text = trim(text);
  // "May 17, 2001", "31 May 2002"
  if (text.find(' ') != std::string_view::npos) {
    std::vector<std::string_view> w;
    for (auto part : split(text, ' '))
      if (!part.empty()) w.push_back(part);
    if (w.size() != 3 || !all_digits(w[2]) || w[2].size() != 4) return std::nullopt;
    auto first = w[0], second = w[1];
    if (!second.empty() && second.back() == ',') second.remove_suffix(1);
    if (all_digits(first) && first.size() <= 2 && month_of(second))
      return make_date(*to_int(w[2]), *month_of(second), *to_int(first));
    if (all_digits(second) && second.size() <= 2 && month_of(first))
      return make_date(*to_int(w[2]), *month_of(first), *to_int(second));
    return std::nullopt;
  }
  for (char sep : {'/', '-'}) {
    const auto parts = split(text, sep);
    if (parts.size() != 3) continue;
    // m/d/yy, m/d/yyyy (the US order every table uses), yyyy-mm-dd.
    if (all_digits(parts[0]) && all_digits(parts[1]) && all_digits(parts[2])) {
      if (parts[0].size() == 4)
        return make_date(*to_int(parts[0]), *to_int(parts[1]), *to_int(parts[2]));
      if (parts[0].size() > 2 || parts[1].size() > 2 || (parts[2].size() != 2 && parts[2].size() != 4))
        return std::nullopt;
      const int a = *to_int(parts[0]), b = *to_int(parts[1]);
      return make_date(year_of(*to_int(parts[2]), parts[2].size()), day_first ? b : a, day_first ? a : b);
    }
    // 24-Aug-2000, Jul-31-2001, 08-MAY-2002
    if (sep == '-' && all_digits(parts[2]) && (parts[2].size() == 2 || parts[2].size() == 4)) {
      const int y = year_of(*to_int(parts[2]), parts[2].size());
      if (all_digits(parts[0]) && parts[0].size() <= 2 && parts[1].size() >= 3) {
        if (const auto m = month_of(parts[1])) return make_date(y, *m, *to_int(parts[0]));
      }
      if (all_digits(parts[1]) && parts[1].size() <= 2 && parts[0].size() >= 3) {
        if (const auto m = month_of(parts[0])) return make_date(y, *m, *to_int(parts[1]));
      }
    }
  }
  return std::nullopt;
}

}  // namespace detail

using namespace detail;

std::optional<Date> parse_table_date(std::string_view text) { return parse_date(text, false); }

std::optional<TimeOfDay> parse_table_time(std::string_view text) {
  text = trim(text);
  // A 12-hour suffix, attached ("08:00P", "10:51a", "05:17pm") or after a space ("5:39 AM").
  int half = 0;  // 0: 24-hour, 1: am, 2: pm
  std::string_view suffix;
  size_t end = text.size();
  while (end > 0 && (is_alpha(text[end - 1]) || text[end - 1] == '.')) --end;
  suffix = trim(text.substr(end));
  text = trim(text.substr(0, end));
  if (!suffix.empty()) {
    std::string s = ascii_lower(suffix);
    s.erase(std::remove(s.begin(), s.end(), '.'), s.end());
    if (s == "midnight" && text.substr(0, 5) == "12:00") return TimeOfDay{0, 0};
    if (s == "noon" && text.substr(0, 5) == "12:00") return TimeOfDay{12, 0};
    if (s == "a" || s == "am") half = 1;
    else if (s == "p" || s == "pm") half = 2;
    else return std::nullopt;
  }
  auto parts = split(text, ':');
  if (parts.size() == 1) parts = split(text, '.');  // "11.31am", "22.36"
  if (parts.size() != 2 && parts.size() != 3) return std::nullopt;
  if (parts[0].empty() || parts[0].size() > 2 || parts[1].size() != 2) return std::nullopt;
  if (parts.size() == 3 && parts[2].size() != 2) return std::nullopt;
  const auto h = to_int(parts[0]);
  const auto m = to_int(parts[1]);
  if (!h || !m || *m > 59) return std::nullopt;
  if (parts.size() == 3) {
    const auto sec = to_int(parts[2]);
    if (!sec || *sec > 59) return std::nullopt;
  }
  int hour = *h;
  if (half != 0) {
    if (hour < 1 || hour > 12) return std::nullopt;
    hour = hour % 12 + (half == 2 ? 12 : 0);
  } else if (hour > 23) {
    return std::nullopt;
  }
  return TimeOfDay{hour, *m};
}

std::optional<uint64_t> parse_table_size(std::string_view text) {
  text = trim(text);
  if (text.size() > 6 && iequals(text.substr(text.size() - 5), "bytes")) text = trim(text.substr(0, text.size() - 5));
  if (text.size() > 1 && (text.back() == 'b' || text.back() == 'B') && is_digit(text[text.size() - 2]))
    text.remove_suffix(1);  // "38,256b"
  if (text.empty() || !is_digit(text.front())) return std::nullopt;
  // Thousands separators must group by three: "1,296,656", not "12,34";
  // some tables write "1.135.104".
  const auto dots = std::count(text.begin(), text.end(), '.');
  const bool dotted = text.find(',') == std::string_view::npos &&
                      (dots >= 2 || (dots == 1 && text.size() - text.find('.') == 4 && text.find('.') <= 3));
  const char sep = dotted ? '.' : ',';
  const auto groups = split(text, sep);
  if (groups[0].empty() || groups[0].size() > (groups.size() > 1 ? 3u : 15u)) return std::nullopt;
  uint64_t v = 0;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (!all_digits(groups[i]) || (i > 0 && groups[i].size() != 3)) return std::nullopt;
    for (char c : groups[i]) v = v * 10 + uint64_t(c - '0');
  }
  return v;
}

namespace detail {

bool is_version_text(std::string_view s) {
  if (s.empty() || !is_digit(s.front()) || !is_digit(s.back())) return false;
  bool dot = false;
  for (char c : s) {
    if (c == '.') dot = true;
    else if (!is_digit(c)) return false;
  }
  return dot && s.find("..") == std::string_view::npos;
}

bool is_no_value(std::string_view s) {
  return iequals(s, "none") || iequals(s, "n/a") || iequals(s, "na") || s == "-" || s == "--";
}

// "1.2(786)", "7.0.2600.15 (xpclnt_qfe.010827-1803)": a version with a build note.
bool is_version_with_note(std::string_view s) {
  const size_t p = s.find('(');
  if (p == std::string_view::npos || s.back() != ')') return false;
  return is_version_text(trim(s.substr(0, p)));
}

// "184KB", "43 KB", "1.42MB": not a size in bytes.
bool is_kb_size(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && (s.back() == 'K' || s.back() == 'k') && is_digit(s[s.size() - 2])) {
    s.remove_suffix(1);  // "17.7K"
  } else {
    if (s.size() < 3 || !(iequals(s.substr(s.size() - 2), "kb") || iequals(s.substr(s.size() - 2), "mb")))
      return false;
    s = trim(s.substr(0, s.size() - 2));
  }
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c) || c == ',' || c == '.'; });
}
bool is_kb_unit(std::string_view s) { return iequals(s, "kb") || iequals(s, "mb"); }

bool is_footnote(std::string_view s) {
  if (s.empty()) return false;
  if (std::all_of(s.begin(), s.end(), [](char c) { return c == '*' || c == '+'; })) return true;
  if (s.size() >= 3 && ((s.front() == '(' && s.back() == ')') || (s.front() == '[' && s.back() == ']'))) {
    const auto inner = s.substr(1, s.size() - 2);
    return all_digits(inner) || std::all_of(inner.begin(), inner.end(), [](char c) { return c == '*'; });
  }
  return false;
}

// A file name as tables write them: no date, time, size or platform shape.
bool is_name(std::string_view s) {
  if (s.empty() || s.front() == '(' || s.front() == '|' || s.front() == '-') return false;
  if (s.find_first_of("(),") != std::string_view::npos) return false;
  if (std::none_of(s.begin(), s.end(), [](char c) { return is_alpha(c) || c == '_'; })) return false;
  if (parse_table_date(s) || parse_table_time(s) || parse_table_size(s) || is_version_text(s)) return false;
  if (parse_platform(s)) return false;
  return true;
}

}  // namespace detail

}  // namespace hfa::kbimport
