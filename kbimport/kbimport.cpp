#include "kbimport/kbimport.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "core/text.h"

namespace hfa::kbimport {
namespace {

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

// A line of only '-', '=' and '+' (the rules under headings and table headers).
bool is_rule(std::string_view s, char c) {
  s = trim(s);
  return s.size() >= 3 && std::all_of(s.begin(), s.end(), [c](char x) { return x == c; });
}
bool is_table_rule(std::string_view s) {
  s = trim(s);
  return s.size() >= 3 && std::all_of(s.begin(), s.end(), [](char x) { return x == '-' || x == '=' || x == '+'; });
}

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

std::optional<Date> make_date(int y, int m, int d) {
  if (!is_valid_date(y, m, d)) return std::nullopt;
  return Date{y, m, d};
}

std::optional<Date> parse_date(std::string_view text, bool day_first);

}  // namespace

std::optional<Date> parse_table_date(std::string_view text) { return parse_date(text, false); }

namespace {
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
}  // namespace

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

namespace {

enum class Col { date, time, version, size, name, platform, other };

std::string_view col_name(Col c) {
  switch (c) {
    case Col::date: return "date";
    case Col::time: return "time";
    case Col::version: return "version";
    case Col::size: return "size";
    case Col::name: return "name";
    case Col::platform: return "platform";
    case Col::other: return "other";
  }
  return "other";
}

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

// The column words of table headers, longest first so that "File name" wins
// over "File".
std::optional<Col> header_word(std::string_view text, size_t& used) {
  struct Word {
    const char* text;
    Col kind;
  };
  static const Word words[] = {
      {"size (bytes)", Col::size}, {"file version", Col::version}, {"file name", Col::name},
      {"file size", Col::size},    {"file date", Col::date},       {"file time", Col::time},
      {"filename", Col::name},     {"version#", Col::version},     {"version", Col::version},
      {"platform", Col::platform}, {"language", Col::other},       {"date", Col::date},
      {"time", Col::time},         {"size", Col::size},            {"name", Col::name},
      {"file", Col::name},
  };
  for (const auto& w : words) {
    const std::string_view t = w.text;
    if (starts_with_ci(text, t) && (text.size() == t.size() || is_space(text[t.size()]) || text[t.size()] == '|')) {
      used = t.size();
      return w.kind;
    }
  }
  return std::nullopt;
}

std::optional<Header> parse_header(std::string_view line) {
  Header h;
  const auto t = trim(line);
  if (t.empty()) return std::nullopt;
  if (t.front() == '|') {
    h.boxed = true;
    auto cells = split(t, '|');
    // "| a | b |" splits into "", " a ", " b ", "".
    if (cells.size() < 3) return std::nullopt;
    for (size_t i = 1; i + 1 < cells.size(); ++i) {
      const auto cell = trim(cells[i]);
      size_t used = 0;
      const auto kind = header_word(cell, used);
      if (!kind || used != cell.size()) return std::nullopt;
      h.columns.push_back({*kind, 0});
    }
    if (!trim(cells.back()).empty()) return std::nullopt;
  } else {
    size_t i = 0;
    while (i < line.size()) {
      if (is_space(line[i])) {
        ++i;
        continue;
      }
      size_t used = 0;
      const auto kind = header_word(line.substr(i), used);
      if (!kind) return std::nullopt;
      h.columns.push_back({*kind, i});
      i += used;
    }
  }
  if (h.columns.size() < 2 || !h.has(Col::name)) return std::nullopt;
  return h;
}

struct Token {
  std::string_view text;
  size_t start;
};

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
  if (s.size() < 3 || !(iequals(s.substr(s.size() - 2), "kb") || iequals(s.substr(s.size() - 2), "mb"))) return false;
  s = trim(s.substr(0, s.size() - 2));
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
};

// Matches the tokens of a plain (space-aligned) row to the header's columns,
// in order; any column may be blank. Returns the reading with the fewest
// blank columns.
class RowMatcher {
 public:
  RowMatcher(const std::vector<Column>& cols, const std::vector<Token>& toks, std::string_view line, bool day_first)
      : cols_(cols), toks_(toks), line_(line), day_first_(day_first) {}

  std::optional<Cells> best() {
    Cells c;
    go(0, 0, c);
    return best_;
  }

 private:
  void go(size_t ci, size_t ti, Cells& c) {
    if (++steps_ > 20000) return;  // a pathological line: give up rather than hang
    if (ci == cols_.size()) {
      if (ti == toks_.size() && !c.name.empty() &&
          (!best_ || c.empty + c.fallback < best_->empty + best_->fallback ||
           (c.empty + c.fallback == best_->empty + best_->fallback && c.fallback < best_->fallback)))
        best_ = c;
      return;
    }
    const auto kind = cols_[ci].kind;
    const bool more = ti < toks_.size();
    const std::string_view tok = more ? toks_[ti].text : std::string_view();
    switch (kind) {
      case Col::date:
        if (more) {
          if (const auto d = parse_date(tok, day_first_)) {
            Cells n = c;
            n.date = d;
            go(ci + 1, ti + 1, n);
          }
          if (ti + 2 < toks_.size()) {
            const std::string three = std::string(tok) + " " + std::string(toks_[ti + 1].text) + " " +
                                      std::string(toks_[ti + 2].text);
            if (const auto d = parse_table_date(three)) {
              Cells n = c;
              n.date = d;
              go(ci + 1, ti + 3, n);
            }
          }
        }
        break;
      case Col::time:
        if (more) {
          if (ti + 1 < toks_.size()) {
            const std::string two = std::string(tok) + " " + std::string(toks_[ti + 1].text);
            if (is_alpha(toks_[ti + 1].text.front())) {
              if (const auto t = parse_table_time(two)) {
                Cells n = c;
                n.time = t;
                go(ci + 1, ti + 2, n);
              }
            }
          }
          if (const auto t = parse_table_time(tok)) {
            Cells n = c;
            n.time = t;
            go(ci + 1, ti + 1, n);
          }
        }
        break;
      case Col::version:
        // A version column may hold a bare build number ("786").
        if (more && ti + 1 < toks_.size() && toks_[ti + 1].text.back() == ')' &&
            is_version_with_note(std::string(tok) + " " + std::string(toks_[ti + 1].text))) {
          Cells n = c;  // "1.2(build 786)"
          n.version = std::string(line_.substr(toks_[ti].start, toks_[ti + 1].start + toks_[ti + 1].text.size() - toks_[ti].start));
          go(ci + 1, ti + 2, n);
        }
        if (more && (is_version_text(tok) || is_no_value(tok) || is_version_with_note(tok) ||
                     (all_digits(tok) && tok.size() <= 6))) {
          Cells n = c;
          if (!is_no_value(tok)) n.version = std::string(tok);
          go(ci + 1, ti + 1, n);
        }
        break;
      case Col::size:
        if (more) {
          const size_t take = ti + 1 < toks_.size() && iequals(toks_[ti + 1].text, "bytes") ? 2 : 1;
          if (const auto s = parse_table_size(tok)) {
            Cells n = c;
            n.size = s;
            go(ci + 1, ti + take, n);
          }
          if (is_kb_size(tok)) {
            Cells n = c;
            n.size_text = std::string(tok);
            go(ci + 1, ti + 1, n);
          }
          if (is_no_value(tok)) {
            Cells n = c;
            go(ci + 1, ti + 1, n);
          }
          if (ti + 1 < toks_.size() && is_kb_unit(toks_[ti + 1].text) &&
                     is_kb_size(std::string(tok) + std::string(toks_[ti + 1].text))) {
            Cells n = c;
            n.size_text = std::string(line_.substr(toks_[ti].start, toks_[ti + 1].start + toks_[ti + 1].text.size() - toks_[ti].start));
            go(ci + 1, ti + 2, n);
          }
        }
        break;
      case Col::name:
        if (more && is_name(tok)) {
          Cells n = c;
          n.name = std::string(tok);
          size_t next = ti + 1;
          // A footnote mark or a qualifier written after the name belongs to the name's cell.
          while (next < toks_.size() &&
                 (is_footnote(toks_[next].text) ||
                  (toks_[next].text.size() > 2 && toks_[next].text.front() == '(' && toks_[next].text.back() == ')' &&
                   !parse_platform(strip_parens(toks_[next].text))))) {
            n.note += (n.note.empty() ? "" : " ") + std::string(toks_[next].text);
            ++next;
          }
          go(ci + 1, next, n);
        }
        break;
      case Col::platform:
        if (more) {
          if (const auto p = parse_platform(strip_parens(tok))) {
            Cells n = c;
            n.platform = p;
            go(ci + 1, ti + 1, n);
          }
          // A cell naming no processor ("Windows 95", "Macintosh"): kept as
          // text; when the column is last it runs to the end of the line.
          const size_t end = ci + 1 == cols_.size() ? toks_.size() : ti + 1;
          const bool file_like = std::any_of(toks_.begin() + ti, toks_.begin() + end, [](const Token& t) {
            const auto dot = t.text.rfind('.');
            return dot != std::string_view::npos && dot + 1 < t.text.size() && is_alpha(t.text[dot + 1]);
          });
          if (!file_like && !parse_table_date(tok) && !parse_table_time(tok) && !parse_table_size(tok)) {
            Cells n = c;
            const auto first = toks_[ti].start;
            const auto& lastt = toks_[end - 1];
            n.platform_text = std::string(line_.substr(first, lastt.start + lastt.text.size() - first));
            ++n.fallback;
            go(ci + 1, end, n);
          }
        }
        break;
      case Col::other:
        // An unknown column (Language): when last, it takes the rest of the line.
        if (ci + 1 == cols_.size()) {
          go(ci + 1, toks_.size(), c);
          return;
        }
        if (more) go(ci + 1, ti + 1, c);
        break;
    }
    // The column left blank.
    Cells n = c;
    ++n.empty;
    go(ci + 1, ti, n);
  }

  const std::vector<Column>& cols_;
  const std::vector<Token>& toks_;
  std::optional<Cells> best_;
  int steps_ = 0;
  std::string_view line_;
  bool day_first_ = false;
};

// A boxed row "| a | b |": each cell read by its column.
std::optional<Cells> read_boxed_row(const Header& h, std::string_view line, bool day_first, std::string& why) {
  auto cells = split(trim(line), '|');
  if (cells.size() != h.columns.size() + 2) {
    why = "has " + std::to_string(cells.size() < 2 ? 0 : cells.size() - 2) + " cells, the header " +
          std::to_string(h.columns.size());
    return std::nullopt;
  }
  Cells c;
  for (size_t i = 0; i < h.columns.size(); ++i) {
    const auto cell = trim(cells[i + 1]);
    if (cell.empty()) {
      ++c.empty;
      continue;
    }
    const auto bad = [&](const char* what) {
      why = "cannot read " + std::string(what) + " '" + std::string(cell) + "'";
      return std::nullopt;
    };
    switch (h.columns[i].kind) {
      case Col::date:
        if (!(c.date = parse_date(cell, day_first))) return bad("date");
        break;
      case Col::time:
        if (!(c.time = parse_table_time(cell))) return bad("time");
        break;
      case Col::size:
        if (!(c.size = parse_table_size(cell))) {
          if (is_kb_size(cell)) c.size_text = std::string(cell);
          else if (!is_no_value(cell)) return bad("size");
        }
        break;
      case Col::version:
        if (is_no_value(cell)) break;
        if (!is_version_text(cell) && !is_version_with_note(cell)) return bad("version");
        c.version = std::string(cell);
        break;
      case Col::name: {
        auto toks = tokenize(cell);
        while (toks.size() > 1 && is_footnote(toks.back().text)) {
          c.note = std::string(toks.back().text) + (c.note.empty() ? "" : " ") + c.note;
          toks.pop_back();
        }
        c.name = std::string(cell.substr(0, toks.back().start + toks.back().text.size()));
        break;
      }
      case Col::platform:
        if (!(c.platform = parse_platform(strip_parens(cell)))) c.platform_text = std::string(cell);
        break;
      case Col::other:
        break;
    }
  }
  if (c.name.empty()) {
    why = "no file name";
    return std::nullopt;
  }
  return c;
}

// The article's lines, with the one tab of indentation the archive adds
// removed and the remaining tabs read as spaces.
struct Lines {
  std::vector<std::string> body;
  std::string front_title;
};

Lines split_article(std::string_view text) {
  Lines out;
  std::vector<std::string_view> raw;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    auto l = text.substr(start, nl - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    raw.push_back(l);
    start = nl + 1;
  }
  size_t first = 0;
  if (!raw.empty() && trim(raw[0]) == "---") {
    for (size_t i = 1; i < raw.size(); ++i) {
      if (trim(raw[i]) == "---") {
        first = i + 1;
        break;
      }
      if (starts_with_ci(raw[i], "title:")) {
        auto t = trim(raw[i].substr(6));
        if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front())
          t = t.substr(1, t.size() - 2);
        std::string unescaped;
        for (size_t k = 0; k < t.size(); ++k) {
          if (t[k] == '\\' && k + 1 < t.size()) ++k;
          unescaped += t[k];
        }
        out.front_title = unescaped;
      }
    }
  }
  // Keep line numbers those of the text: front matter lines stay, emptied.
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string l;
    if (i >= first) {
      auto v = raw[i];
      if (!v.empty() && v.front() == '\t') v.remove_prefix(1);
      l.reserve(v.size());
      for (char c : v) l += (c == '\t' ? ' ' : c);
      // Remnants of the HTML the archive was made from.
      for (const char* tag : {"<BR/>", "<BR>", "<br/>", "<br>"})
        for (size_t p; (p = l.find(tag)) != std::string::npos;) l.erase(p, std::strlen(tag));
    }
    out.body.push_back(std::move(l));
  }
  return out;
}

// The archive's titles keep a few HTML entities ("&quot;Drsd&quot;").
std::string decode_entities(std::string_view s) {
  static const std::pair<const char*, const char*> entities[] = {
      {"&quot;", "\""}, {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&#39;", "'"}, {"&apos;", "'"}};
  std::string out;
  for (size_t i = 0; i < s.size();) {
    bool done = false;
    for (const auto& [from, to] : entities) {
      const std::string_view f = from;
      if (s.substr(i, f.size()) == f) {
        out += to;
        i += f.size();
        done = true;
        break;
      }
    }
    if (!done) out += s[i++];
  }
  return out;
}

// "Qnnnnnn: Title" -> "Title".
std::string strip_id_prefix(std::string_view raw, std::string& id) {
  const std::string decoded = decode_entities(raw);
  std::string_view title = trim(decoded);
  if (title.size() > 2 && (title[0] == 'Q' || title[0] == 'q') && is_digit(title[1])) {
    size_t i = 1;
    while (i < title.size() && is_digit(title[i])) ++i;
    if (i < title.size() && title[i] == ':') {
      if (id.empty()) id = "Q" + std::string(title.substr(1, i - 1));
      return std::string(trim(title.substr(i + 1)));
    }
  }
  return std::string(title);
}

// Windows NT lines of the applies-to list: edition, OS versions, service packs.
void read_applies_line(const std::string& line, std::vector<kbdb::AppliesTo>& out) {
  const auto lower = ascii_lower(line);
  std::string os_family;
  std::vector<kbdb::Edition> editions;
  if (lower.find("windows nt") != std::string::npos) {
    if (lower.find("terminal server") != std::string::npos) editions = {kbdb::Edition::terminal_server};
    else if (lower.find("workstation") != std::string::npos) editions = {kbdb::Edition::workstation};
    else if (lower.find("server") != std::string::npos) editions = {kbdb::Edition::server};
    else editions = {kbdb::Edition::workstation, kbdb::Edition::server};
    os_family = "nt";
  } else if (lower.find("windows 2000") != std::string::npos) {
    if (lower.find("professional") != std::string::npos) editions = {kbdb::Edition::workstation};
    else if (lower.find("server") != std::string::npos) editions = {kbdb::Edition::server};
    else return;
    os_family = "2000";
  } else {
    return;
  }
  // Versions and their service packs, in order: "versions 4.0 SP6, 4.0 SP6a",
  // "3.51, 4.0", "4.0, 4.0 SP4" (a bare version covers every service pack).
  struct Named {
    std::string version;
    std::vector<std::string> sps;
    bool bare = false;
  };
  std::vector<Named> versions;
  if (os_family == "2000") versions.push_back({"5.0", {}, true});
  const auto toks = tokenize(line);
  const auto sp_at = [&](size_t i, size_t& used) -> std::string {
    std::string t(toks[i].text);
    while (!t.empty() && !std::isalnum(static_cast<unsigned char>(t.back()))) t.pop_back();
    std::string sp;
    used = 1;
    if (t.size() > 2 && iequals(t.substr(0, 2), "SP") && is_digit(t[2])) sp = ascii_lower(t.substr(2));
    else if (iequals(t, "Service") && i + 2 < toks.size() && iequals(toks[i + 1].text, "Pack")) {
      std::string n(toks[i + 2].text);
      while (!n.empty() && !std::isalnum(static_cast<unsigned char>(n.back()))) n.pop_back();
      sp = ascii_lower(n);
      used = 3;
    }
    if (sp.size() > 2 && sp.substr(sp.size() - 2) == ".0") sp.resize(sp.size() - 2);
    bool ok = !sp.empty() && is_digit(sp[0]);
    for (size_t k = 0; ok && k < sp.size(); ++k)
      if (!(is_digit(sp[k]) || (k + 1 == sp.size() && sp[k] >= 'a' && sp[k] <= 'z'))) ok = false;
    return ok ? sp : std::string();
  };
  for (size_t i = 0; i < toks.size(); ++i) {
    std::string t(toks[i].text);
    while (!t.empty() && (t.back() == ',' || t.back() == ';' || t.back() == ')')) t.pop_back();
    if (os_family == "nt" && (t == "3.1" || t == "3.5" || t == "3.51" || t == "4.0" || t == "4.00")) {
      const std::string v = t == "4.00" ? "4.0" : t;
      auto it = std::find_if(versions.begin(), versions.end(), [&](const auto& p) { return p.version == v; });
      if (it == versions.end()) {
        versions.push_back({v, {}, false});
        it = versions.end() - 1;
      }
      size_t used = 0;
      const bool followed = i + 1 < toks.size() && !toks[i].text.empty() && toks[i].text.back() != ',' &&
                            !sp_at(i + 1, used).empty();
      if (!followed) it->bare = true;
      continue;
    }
    size_t used = 1;
    const std::string sp = sp_at(i, used);
    if (!sp.empty() && !versions.empty()) {
      versions.back().sps.push_back(sp);
      i += used - 1;
    }
  }
  if (versions.empty()) return;
  for (const auto e : editions)
    for (const auto& v : versions) {
      kbdb::AppliesTo a;
      a.edition = e;
      a.os_version = v.version;
      if (!v.bare) a.service_packs = v.sps;
      out.push_back(a);
    }
}

// "first corrected in Windows NT 4.0 Service Pack 4.0 and Windows NT Server
// 4.0, Terminal Server Edition Service Pack 4."
void read_fixed_in(const std::string& status, const std::string& heading, std::vector<FixedIn>& out) {
  const auto lower = ascii_lower(status);
  size_t pos = 0;
  static const std::string key = "first corrected in ";
  while ((pos = lower.find(key, pos)) != std::string::npos) {
    size_t start = pos + key.size();
    // The sentence ends at a '.' not inside a number.
    size_t end = start;
    while (end < status.size()) {
      if (status[end] == '.' && (end + 1 == status.size() || !is_digit(status[end + 1]))) break;
      ++end;
    }
    const std::string sentence = status.substr(start, end - start);
    pos = end;
    std::string product = heading;
    size_t p = 0;
    const auto ls = ascii_lower(sentence);
    while (true) {
      const size_t sp = ls.find("service pack ", p);
      if (sp == std::string::npos) break;
      std::string before = std::string(trim(sentence.substr(p, sp - p)));
      for (const char* lead : {"and ", "the ", "in "})
        if (starts_with_ci(before, lead)) before = std::string(trim(std::string_view(before).substr(std::strlen(lead))));
      if (!before.empty()) product = before;
      size_t q = sp + 13;
      std::string n;
      while (q < sentence.size() && (std::isalnum(static_cast<unsigned char>(sentence[q])) || sentence[q] == '.')) n += sentence[q++];
      if (n.size() > 2 && n.substr(n.size() - 2) == ".0") n.resize(n.size() - 2);
      n = ascii_lower(n);
      if (!n.empty() && is_digit(n[0])) {
        FixedIn f;
        f.product = product.empty() ? "Windows NT" : product;
        f.service_pack = n;
        const auto lp = ascii_lower(f.product);
        const bool nt = lp.find("windows nt") != std::string::npos || lp.find("terminal server") != std::string::npos;
        const bool other_version = lp.find("3.51") != std::string::npos || lp.find("3.5 ") != std::string::npos;
        f.nt4 = nt && !other_version;
        if (lp.find("terminal server") != std::string::npos) f.edition = kbdb::Edition::terminal_server;
        out.push_back(f);
      }
      p = q;
    }
  }
}

// "kbWinNT400sp4fix", "kbWinNT4sp6fix", "kbOSWinNT400sp5fix": Microsoft's tag
// for a Windows NT 4.0 fix shipped in that service pack. Returns the service
// pack ("4"), or "" for any other tag: other products' (kbWin2000sp3fix,
// kbVS600sp4fix, kbSNA400sp4fix) and hotfixes with no service pack
// (kbWinNT400PreSP7Fix, kbWinNT400nospFix).
std::string nt4_keyword_service_pack(std::string_view tag) {
  auto lower = ascii_lower(tag);
  std::string_view t = lower;
  for (const char* prefix : {"kboswinnt400sp", "kbwinnt400sp", "kbwinnt4sp"})
    if (t.substr(0, std::strlen(prefix)) == prefix) {
      t.remove_prefix(std::strlen(prefix));
      if (t.size() < 4 || t.substr(t.size() - 3) != "fix") return "";
      t.remove_suffix(3);
      size_t k = 0;
      while (k < t.size() && is_digit(t[k])) ++k;
      if (k == 0 || k > 2 || t.size() - k > 1 || (k < t.size() && !is_alpha(t[k]))) return "";
      return std::string(t);
    }
  return "";
}

// "6" < "6a" < "7".
bool sp_before(const std::string& a, const std::string& b) {
  const auto num = [](const std::string& s) { return std::atoi(s.c_str()); };
  if (num(a) != num(b)) return num(a) < num(b);
  return a < b;
}

// The Keywords line's service pack for the Windows NT 4.0 line (workstation
// and server), when the article applies to that line and STATUS named none for
// it. Terminal Server Edition numbers its service packs on its own line and
// has its own tags (kbTSE400preSP7fix), so a kbWinNT400 tag says nothing of it.
void read_keyword_fix(ImportResult& r) {
  std::string sp;
  for (const auto& k : r.keywords) {
    const auto s = nt4_keyword_service_pack(k);
    if (!s.empty() && (sp.empty() || sp_before(s, sp))) sp = s;  // the earliest: "first corrected in"
  }
  if (sp.empty()) return;
  if (std::any_of(r.fixed_in.begin(), r.fixed_in.end(), [](const FixedIn& f) { return f.nt4 && !f.edition; })) return;
  const bool nt4_line =
      r.nt_applies_to.empty() || std::any_of(r.nt_applies_to.begin(), r.nt_applies_to.end(), [](const kbdb::AppliesTo& a) {
        return a.os_version == "4.0" && a.edition != kbdb::Edition::terminal_server;
      });
  if (!nt4_line) return;
  FixedIn f;
  f.product = "Windows NT 4.0";
  f.nt4 = true;
  f.service_pack = sp;
  f.source = "keywords";
  r.fixed_in.push_back(f);
}

// "This fix should have the following time stamp:" introduces a table with no
// header, whose rows are written date, time, size, name, platform
// ("05/26/98  10:07p  88,336 Xactsrv.dll (Intel)").
bool is_time_stamp_phrase(std::string_view t) {
  return contains_ci(t, "should have the following time stamp") && !t.empty() && t.back() == ':';
}

bool is_heading_text(std::string_view s) {
  s = trim(s);
  return !s.empty() && s.size() <= 70 && s.find("  ") == std::string_view::npos;
}

}  // namespace

ImportResult import_article(std::string_view text, std::string_view name) {
  ImportResult r;
  r.name = std::string(name);
  const auto lines = split_article(text);
  const auto& L = lines.body;
  const auto at = [&](size_t i) { return std::string("line ") + std::to_string(i + 1); };

  if (!lines.front_title.empty()) r.title = strip_id_prefix(lines.front_title, r.id);

  std::string top;         // the ====-underlined section: RESOLUTION, STATUS, ...
  std::string heading;     // the ----underlined (or "Windows 95:") product heading within it
  std::string component;   // the last "Component:" line
  std::string status_text, status_heading;
  std::optional<size_t> open_trigger;  // a "following file attributes" line still waiting for its table
  bool in_applies = false;

  const auto close_trigger = [&] {
    if (open_trigger)
      r.problems.push_back({code::kUntabledPhrase, "", std::nullopt, static_cast<int>(*open_trigger + 1),
                            "'following file attributes' is not followed by a "
                            "table with a column header"});
    open_trigger.reset();
  };

  for (size_t i = 0; i < L.size(); ++i) {
    const std::string& line = L[i];
    const auto t = trim(line);
    const std::string next = i + 1 < L.size() ? L[i + 1] : std::string();

    // Header block fields.
    if (r.id.empty() && starts_with_ci(t, "Article:")) {
      const auto v = trim(t.substr(8));
      if (v.size() > 1 && (v[0] == 'Q' || v[0] == 'q') && all_digits(v.substr(1))) r.id = "Q" + std::string(v.substr(1));
    }
    if (starts_with_ci(t, "## ") && r.title.empty()) r.title = strip_id_prefix(t.substr(3), r.id);
    if (!r.modified && starts_with_ci(t, "Last Modified:")) {
      r.modified = parse_table_date(t.substr(14));  // "08-MAY-2002"
      if (!r.modified)
        r.problems.push_back({code::kBadDate, "", std::nullopt, static_cast<int>(i + 1),
                              "cannot read the Last Modified date '" + std::string(trim(t.substr(14))) + "'"});
    }
    if (r.versions.empty() && starts_with_ci(t, "Version(s):")) r.versions = std::string(trim(t.substr(11)));
    if (r.keywords.empty() && starts_with_ci(t, "Keywords") && t.find(':') != std::string_view::npos &&
        iequals(trim(t.substr(0, t.find(':'))), "Keywords"))
      for (const auto& tok : tokenize(t.substr(t.find(':') + 1))) r.keywords.emplace_back(tok.text);
    if (starts_with_ci(t, "Hardware") && t.find(':') != std::string_view::npos) {
      const auto before = trim(t.substr(0, t.find(':')));
      if (iequals(before, "Hardware")) {
        for (const auto& tok : tokenize(t.substr(t.find(':') + 1))) {
          if (const auto p = parse_platform(tok.text)) {
            if (std::find(r.platforms.begin(), r.platforms.end(), *p) == r.platforms.end()) r.platforms.push_back(*p);
          } else {
            r.problems.push_back({code::kUnknownPlatform, "", std::nullopt, static_cast<int>(i + 1),
                                  "unknown platform '" + std::string(tok.text) + "' on the Hardware line"});
          }
        }
        std::sort(r.platforms.begin(), r.platforms.end());
      }
    }

    // The applies-to list, up to its closing rule.
    if (contains_ci(t, "applies to:") && contains_ci(t, "information in this article")) {
      in_applies = true;
      continue;
    }
    // The list ends at its closing rule (or, when that is missing, at the next section).
    if (in_applies && !t.empty() && is_rule(next, '=')) in_applies = false;
    if (in_applies) {
      if (is_rule(t, '-') || is_rule(t, '=')) {
        in_applies = false;
      } else if (!t.empty() && t.front() == '-') {
        r.applies_to.push_back(collapse_spaces(t.substr(1)));
      } else if (!t.empty() && !r.applies_to.empty()) {
        r.applies_to.back() += " " + collapse_spaces(t);
      }
      continue;
    }

    // Section structure.
    if (!t.empty() && is_rule(next, '=') && is_heading_text(t)) {
      close_trigger();
      top = std::string(t);
      heading.clear();
      component.clear();
      ++i;
      continue;
    }
    if (t.empty()) {
      // fallthrough to keep scanning
    } else if (is_rule(next, '-') && is_heading_text(t) && !parse_header(line) && t.front() != '|' && t.front() != '+') {
      heading = std::string(t);
      component.clear();
      if (top == "STATUS") status_heading = heading;
      ++i;
      continue;
    } else if (t.back() == ':' && t.size() <= 60 && (i == 0 || trim(L[i - 1]).empty()) && trim(next).empty() &&
               !starts_with_ci(t, "Component") && !starts_with_ci(t, "NOTE") && is_alpha(t.front()) &&
               tokenize(t).size() <= 6) {
      heading = std::string(t.substr(0, t.size() - 1));
      component.clear();
    }
    if (starts_with_ci(t, "Component:")) {
      component = collapse_spaces(t.substr(10));
      continue;
    }
    if (top == "STATUS") status_text += " " + std::string(t);

    // Packages: article references in RESOLUTION that name a rollup package.
    if (top == "RESOLUTION" && t.size() > 8 && t[0] == 'Q' && is_digit(t[1])) {
      size_t k = 1;
      while (k < t.size() && is_digit(t[k])) ++k;
      if (k < t.size() && t[k] == ' ') {
        std::string title = collapse_spaces(t.substr(k));
        // A title may wrap onto lines of the same indentation.
        for (size_t j = i + 1; j < L.size(); ++j) {
          const auto u = trim(L[j]);
          if (u.empty() || (u[0] == 'Q' && u.size() > 1 && is_digit(u[1]))) break;
          title += " " + collapse_spaces(u);
        }
        if (contains_ci(title, "rollup")) {
          kbdb::Package p;
          p.id = std::string(t.substr(0, k));
          p.title = title;
          if (std::none_of(r.packages.begin(), r.packages.end(), [&](const auto& x) { return x.id == p.id; }))
            r.packages.push_back(p);
        }
      }
    }

    // "... should have the following file attributes or later:"
    {
      const std::string joined = ascii_lower(collapse_spaces(std::string(t) + " " + std::string(trim(next))));
      const size_t f = joined.find("following file attributes");
      if (f != std::string::npos && f < t.size()) {
        close_trigger();
        open_trigger = i;
        component.clear();
      }
    }

    // A file-attribute table: a header of column names, or a phrase that
    // implies them. Implied columns have no position: the continuation rules
    // that go by a column's position do not apply.
    auto header = parse_header(line);
    if (!header && is_time_stamp_phrase(t)) {
      header = Header{};
      for (const auto c : {Col::date, Col::time, Col::size, Col::name, Col::platform}) header->columns.push_back({c, 0});
    }
    if (!header) continue;
    Table table;
    table.line = int(i) + 1;
    table.section = heading;
    table.component = component;
    for (const auto& c : header->columns) table.columns.push_back(std::string(col_name(c.kind)));
    open_trigger.reset();

    // d/m/y tables: a first number above 12 in some row's n/n/n date.
    bool day_first = false;
    for (size_t k = i + 1; k < L.size() && !trim(L[k]).empty(); ++k)
      for (const auto& tok : tokenize(L[k])) {
        auto parts = split(tok.text, '/');
        if (parts.size() != 3) parts = split(tok.text, '-');
        if (parts.size() == 3 && all_digits(parts[0]) && all_digits(parts[1]) && all_digits(parts[2]) &&
            to_int(parts[0]).value_or(0) > 12 && to_int(parts[1]).value_or(99) <= 12)
          day_first = true;
      }
    size_t j = i + 1;
    if (j + 1 < L.size() && trim(L[j]).empty() && is_table_rule(L[j + 1])) ++j;  // a blank line above the rule
    while (j < L.size() && is_table_rule(L[j])) ++j;
    if (j > i + 1)
      while (j < L.size() && trim(L[j]).empty() && j < i + 4) ++j;  // a blank line under the rule
    size_t last = i;
    bool last_was_row = false;
    std::string subheading;
    for (; j < L.size(); ++j) {
      const auto u = trim(L[j]);
      if (u.empty()) {
        // One blank line inside a table: continue only if a row follows.
        if (j + 1 < L.size() && !trim(L[j + 1]).empty() && !header->boxed) {
          const auto toks = tokenize(L[j + 1]);
          RowMatcher m(header->columns, toks, L[j + 1], day_first);
          const auto c = m.best();
          if (c && (c->date || !header->has(Col::date))) continue;
        }
        break;
      }
      if (is_table_rule(u)) {
        last_was_row = false;
        continue;
      }
      if (header->boxed && u.front() != '|') break;
      if (!header->boxed && parse_header(L[j])) break;  // the next table
      std::string why;
      std::optional<Cells> c;
      if (header->boxed) {
        c = read_boxed_row(*header, L[j], day_first, why);
      } else {
        const auto toks = tokenize(L[j]);
        // A Platform cell too long for its column continues on the next line
        // ("Windows 98" / "Second Edition").
        const auto& lastcol = header->columns.back();
        if (lastcol.kind == Col::platform && last_was_row && !r.files.empty() && lastcol.start > 0 &&
            toks.front().start + 2 >= lastcol.start && !r.files.back().platform_text.empty()) {
          r.files.back().platform_text += " " + collapse_spaces(u);
          last = j;
          continue;
        }
        // A name too long for its column continues on the next line, alone under
        // the name column: "Very_long_file_na" / "me.dll".
        size_t name_start = 0;
        for (const auto& col : header->columns)
          if (col.kind == Col::name) name_start = col.start;
        if (toks.size() == 1 && last_was_row && !r.files.empty() && name_start > header->columns.front().start &&
            toks[0].start + 2 >= name_start && toks[0].start <= name_start + 2) {
          auto& prev = r.files.back().name;
          if (prev.find('.') == std::string::npos || toks[0].text.find('.') == std::string_view::npos) {
            prev += std::string(toks[0].text);
            last = j;
            continue;
          }
        }
        // A word alone at the start of the table's lines heads the rows below it ("Pan-Chinese").
        if (toks.size() == 1 && toks[0].start <= header->columns.front().start + 1 &&
            toks[0].text.find('.') == std::string_view::npos && !parse_table_date(toks[0].text)) {
          subheading = std::string(toks[0].text);
          last_was_row = false;
          continue;
        }
        RowMatcher m(header->columns, toks, L[j], day_first);
        c = m.best();
        if (!c) why = "does not match the columns " + [&] {
          std::string s;
          for (const auto& n : table.columns) s += (s.empty() ? "" : ", ") + n;
          return s;
        }();
      }
      if (!c) {
        table.problems.push_back(at(j) + ": cannot read row '" + collapse_spaces(u) + "': " + why);
        last_was_row = false;
        continue;
      }
      Row row;
      row.line = int(j) + 1;
      row.section = subheading.empty() ? table.section
                                       : table.section.empty() ? subheading : table.section + " / " + subheading;
      row.component = table.component;
      row.note = c->note;
      row.date = c->date;
      row.time = c->time;
      row.size = c->size;
      row.name = c->name;
      row.version = c->version;
      row.platform = c->platform;
      row.platform_text = c->platform_text;
      if (!row.platform_text.empty()) {
        // "MIPS R4000", "x86 (Uniprocessor)": the processor, with a qualifier kept as written.
        std::vector<Platform> named;
        for (const auto& tok : tokenize(row.platform_text)) {
          std::string w(strip_parens(tok.text));
          if (const auto p = parse_platform(w))
            if (std::find(named.begin(), named.end(), *p) == named.end()) named.push_back(*p);
        }
        if (named.size() == 1) row.platform = named[0];
        if (named.size() > 1)
          table.problems.push_back(at(j) + ": platform '" + row.platform_text + "' names several processors for one row");
      }
      row.size_text = c->size_text;
      if (!row.size_text.empty()) table.notes.push_back(at(j) + ": size '" + row.size_text + "' is not in bytes");
      if (!row.platform_text.empty())
        table.notes.push_back(at(j) + ": platform '" + row.platform_text + "' names no processor");
      r.files.push_back(row);
      ++table.rows;
      last = j;
      last_was_row = true;
    }
    // A Platform column filled in on a block's first row only ("ditto") applies
    // to the rows below it: when the table's first row gives a platform and
    // most rows give none. (A table whose first row gives none lists
    // platform-independent files that way: Hotfix.map, Compver.ini.)
    {
      const size_t first = r.files.size() - table.rows;
      size_t given = 0;
      for (size_t k = first; k < r.files.size(); ++k)
        if (r.files[k].platform || !r.files[k].platform_text.empty()) ++given;
      if (table.rows > 1 && r.files[first].platform && given * 2 < table.rows) {
        auto carried = r.files[first].platform;
        for (size_t k = first + 1; k < r.files.size(); ++k) {
          if (r.files[k].platform || !r.files[k].platform_text.empty()) carried = r.files[k].platform;
          else r.files[k].platform = carried;
        }
      }
    }
    if (table.rows == 0 && table.problems.empty()) table.problems.push_back("no rows under the header");
    for (const auto& n : table.notes) r.notes.push_back("table at line " + std::to_string(table.line) + ": " + n);
    for (const auto& p : table.problems)
      r.problems.push_back(
          {code::kTable, "", std::nullopt, std::nullopt, "table at line " + std::to_string(table.line) + ": " + p});
    r.tables.push_back(std::move(table));
    i = std::max(last, i);
  }
  close_trigger();
  for (const auto& a : r.applies_to) read_applies_line(a, r.nt_applies_to);
  // "Server" and "Server, Enterprise Edition" are both the server edition: one line.
  std::vector<kbdb::AppliesTo> unique;
  for (const auto& a : r.nt_applies_to)
    if (std::none_of(unique.begin(), unique.end(), [&](const kbdb::AppliesTo& u) {
          return u.edition == a.edition && u.os_version == a.os_version && u.service_packs == a.service_packs;
        }))
      unique.push_back(a);
  r.nt_applies_to = unique;
  r.status = collapse_spaces(status_text);
  read_fixed_in(r.status, status_heading, r.fixed_in);
  read_keyword_fix(r);

  auto first = [&](const char* code, std::string message) {
    r.problems.insert(r.problems.begin(), {code, "", std::nullopt, std::nullopt, std::move(message)});
  };
  if (r.id.empty()) first(code::kNoId, "no article id (neither 'Article: Qnnnnnn' nor a 'Qnnnnnn:' title)");
  if (r.title.empty()) first(code::kNoTitle, "no title");
  if (!r.modified) first(code::kNoDate, "no 'Last Modified:' date");
  return r;
}

kbdb::Article to_article(const ImportResult& r, std::vector<std::string>* omitted) {
  kbdb::Article a;
  a.id = r.id;
  a.title = r.title;
  if (r.modified) a.modified = *r.modified;
  a.applies_to = r.nt_applies_to;
  a.platforms = r.platforms;
  for (const auto& f : r.fixed_in) {
    if (!f.nt4) continue;
    kbdb::FixedIn k;
    k.edition = f.edition;
    k.service_pack = f.service_pack;
    k.source = f.source;
    if (std::none_of(a.fixed_in.begin(), a.fixed_in.end(),
                     [&](const auto& x) { return x.edition == k.edition && x.service_pack == k.service_pack; }))
      a.fixed_in.push_back(k);
  }
  a.packages = r.packages;
  for (const auto& row : r.files) {
    const auto skip = [&](const std::string& why) {
      if (omitted) omitted->push_back(r.name + " line " + std::to_string(row.line) + ": '" + row.name + "' left out: " + why);
    };
    if (!row.date) {
      skip("the table gives no date, which the database format requires");
      continue;
    }
    if (!row.platform) {
      skip("the table gives no platform, which the database format requires");
      continue;
    }
    if (row.name.find_first_of("/\\:") != std::string::npos) {
      skip("not a bare file name");
      continue;
    }
    kbdb::FileRow f;
    f.section = row.section;
    f.component = row.component;
    f.date = *row.date;
    f.time = row.time;
    f.size = row.size;
    f.name = row.name;
    f.platform = *row.platform;
    if (!row.version.empty()) {
      if (std::count(row.version.begin(), row.version.end(), '.') == 3) f.version = parse_version(row.version);
      if (!f.version || to_string(*f.version) != row.version) f.version_text = row.version;
    }
    a.files.push_back(f);
  }
  return a;
}

bool is_nt4_leak_article(std::string_view text, const ImportResult& r) {
  // An applies-to line for a Windows NT 4.0 edition, not merely a product that runs on it.
  bool nt4 = std::any_of(r.nt_applies_to.begin(), r.nt_applies_to.end(),
                         [](const kbdb::AppliesTo& a) { return a.os_version == "4.0"; }) &&
             std::any_of(r.applies_to.begin(), r.applies_to.end(),
                         [](const std::string& a) { return starts_with_ci(a, "Microsoft Windows NT"); });
  if (r.applies_to.empty() && contains_ci(r.versions, "winnt") && r.versions.find("4.0") != std::string::npos) nt4 = true;
  if (!nt4) return false;
  if (contains_ci(r.title, "leak")) return true;
  // The symptoms or the cause speak of a leak.
  const auto lower = ascii_lower(text);
  const size_t sym = lower.find("symptoms\n");
  if (sym == std::string::npos) return false;
  size_t end = lower.find("resolution\n", sym);
  if (end == std::string::npos) end = std::min(lower.size(), sym + 4000);
  const auto part = lower.substr(sym, end - sym);
  return part.find("leak") != std::string::npos;
}

std::string missing_fix_evidence(const ImportResult& r) {
  std::vector<std::string> omitted;
  const auto a = to_article(r, &omitted);
  if (!a.files.empty()) return "";
  // A fixing service pack counts for the line it is on, when the article applies to that line.
  const auto applies = [&](bool tse) {
    if (a.applies_to.empty()) return true;
    return std::any_of(a.applies_to.begin(), a.applies_to.end(), [&](const kbdb::AppliesTo& l) {
      return l.os_version == "4.0" && (l.edition == kbdb::Edition::terminal_server) == tse;
    });
  };
  for (const auto& f : a.fixed_in)
    if (applies(f.edition && *f.edition == kbdb::Edition::terminal_server)) return "";
  std::string why = r.tables.empty() ? "no file table"
                                     : "no file row the database can hold (" + std::to_string(omitted.size()) +
                                           " rows without a platform or a date)";
  why += a.fixed_in.empty() ? ", no fixing service pack" : ", no fixing service pack for a Windows NT 4.0 edition it applies to";
  // What STATUS says instead, for the reader of the list: "no fix", "by design", a third party's.
  std::string first = r.status.substr(0, r.status.find(". ") == std::string::npos ? r.status.size() : r.status.find(". ") + 1);
  if (first.size() > 120) first = first.substr(0, 117) + "...";
  why += r.status.empty() ? "; no STATUS section" : "; STATUS: \"" + first + "\"";
  std::string hotfix;
  for (const auto& k : r.keywords)
    if (contains_ci(k, "presp") || contains_ci(k, "nosp")) hotfix += (hotfix.empty() ? "" : " ") + k;
  if (!hotfix.empty()) why += "; Keywords: " + hotfix + " (a hotfix in no service pack)";
  return why;
}

}  // namespace hfa::kbimport
