#include "kbimport/rows.h"

#include <algorithm>

#include "core/text.h"
#include "kbimport/cells.h"
#include "kbimport/kbimport.h"

namespace hfa::kbimport::detail {

namespace {

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


}  // namespace

std::optional<Cells> read_plain_row(const std::vector<Column>& cols, const std::vector<Token>& toks,
                                    std::string_view line, bool day_first) {
  RowMatcher m(cols, toks, line, day_first);
  return m.best();
}

namespace {

// Why a cell is not in its column's shape, for Row::problems.
std::string unreadable(Col kind, std::string_view cell) {
  const std::string quoted = std::string(col_name(kind)) + " '" + std::string(cell) + "'";
  if (std::any_of(cell.begin(), cell.end(), [](char c) { return c == 'x' || c == 'X'; }) &&
      std::none_of(cell.begin(), cell.end(), [](char c) { return is_digit(c); }))
    return quoted + " is a placeholder, not a value";
  switch (kind) {
    case Col::date: return quoted + " is not a date";
    case Col::time:
      if (all_digits(cell)) return quoted + " has no ':' between hours and minutes";
      return quoted + " is not a time of day";
    case Col::size:
      if (cell.find('.') != std::string_view::npos && cell.find(',') == std::string_view::npos)
        return quoted + " is not a count of bytes (no unit: kilobytes?)";
      return quoted + " is not a count of bytes";
    case Col::version:
      if (all_digits(cell)) return quoted + " is a build number alone, not a dotted version";
      return quoted + " is not a dotted version number";
    default: return quoted + " cannot be read";
  }
}

// Keeps what can be kept of a cell that cannot be read: a size or a version as
// written (Row::size_text, Row::version), a platform as text; and says why.
void keep_unreadable(Col kind, std::string_view cell, Cells& c) {
  if (kind == Col::platform) {
    c.platform_text = std::string(cell);
    return;
  }
  if (kind == Col::size && c.size_text.empty()) c.size_text = std::string(cell);
  if (kind == Col::version && c.version.empty()) c.version = std::string(cell);
  c.problems.push_back(unreadable(kind, cell));
}

// "144KB (147,728 bytes)": the count of bytes written in parentheses.
std::optional<uint64_t> bytes_in_parens(std::string_view cell) {
  const size_t open = cell.find('('), close = cell.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
  const auto inner = trim(cell.substr(open + 1, close - open - 1));
  if (inner.size() < 6 || !iequals(inner.substr(inner.size() - 5), "bytes")) return std::nullopt;
  return parse_table_size(inner);
}

// A word that names a file: a name with an extension ("Rpcss.exe", "USER.EXE").
bool is_file_word(std::string_view s) {
  const size_t dot = s.rfind('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < s.size() && is_alpha(s[dot + 1]) && is_name(s);
}

// Words of attribute lines with no header that only introduce a cell.
bool is_filler(std::string_view s) {
  for (const char* w : {"version", "dated", "date", "bytes", "size", "time", "at", "ver."})
    if (iequals(s, w)) return true;
  return false;
}

// Reads the cell of column `kind` at word ti (words before `end`): how many
// words it takes, 0 when they are not in the column's shape.
size_t read_cell(Col kind, const std::vector<Token>& toks, size_t ti, size_t end, bool day_first, bool last_col,
                 Cells& c) {
  const std::string_view tok = toks[ti].text;
  const bool two = ti + 1 < end;
  switch (kind) {
    case Col::date:
      if (c.date) return 0;
      if ((c.date = parse_date(tok, day_first))) return 1;
      if (ti + 2 < end) {
        const std::string three =
            std::string(tok) + " " + std::string(toks[ti + 1].text) + " " + std::string(toks[ti + 2].text);
        if ((c.date = parse_table_date(three))) return 3;
      }
      return 0;
    case Col::time:
      if (c.time) return 0;
      if (two && is_alpha(toks[ti + 1].text.front()) &&
          (c.time = parse_table_time(std::string(tok) + " " + std::string(toks[ti + 1].text))))
        return 2;
      if ((c.time = parse_table_time(tok))) return 1;
      return 0;
    case Col::size:
      if (c.size || !c.size_text.empty()) return 0;
      if ((c.size = parse_table_size(tok))) return two && iequals(toks[ti + 1].text, "bytes") ? 2 : 1;
      if (is_kb_size(tok)) {
        c.size_text = std::string(tok);
        return 1;
      }
      if (two && is_kb_unit(toks[ti + 1].text) && is_kb_size(std::string(tok) + std::string(toks[ti + 1].text))) {
        c.size_text = std::string(tok) + " " + std::string(toks[ti + 1].text);
        return 2;
      }
      return 0;
    case Col::version:
      if (!c.version.empty()) return 0;
      if (is_version_text(tok) || is_version_with_note(tok)) {
        c.version = std::string(tok);
        return 1;
      }
      return 0;
    case Col::platform:
      if (c.platform) return 0;
      if ((c.platform = parse_platform(strip_parens(tok)))) return 1;
      return 0;
    case Col::other: return last_col ? end - ti : 1;
    case Col::name: return 0;
  }
  return 0;
}

Cells read_in_order(const std::vector<Column>& cols, const std::vector<Token>& toks, size_t nt, size_t after,
                    bool day_first, Cells c);

}  // namespace

std::optional<Cells> read_loose_row(const std::vector<Column>& cols, const std::vector<Token>& toks, bool day_first) {
  // The file name: the first word with an extension, else the first name-like word.
  size_t nt = toks.size();
  for (size_t k = 0; k < toks.size() && nt == toks.size(); ++k)
    if (is_file_word(toks[k].text)) nt = k;
  if (nt == toks.size() && !cols.empty())
    for (size_t k = 0; k < toks.size() && nt == toks.size(); ++k)
      if (is_name(toks[k].text) && !is_filler(toks[k].text)) nt = k;
  if (nt == toks.size()) return std::nullopt;
  Cells c;
  c.name = std::string(toks[nt].text);
  size_t after = nt + 1;
  while (after < toks.size() && is_footnote(toks[after].text))
    c.note += (c.note.empty() ? "" : " ") + std::string(toks[after++].text);

  if (cols.empty()) {
    // No header: each word by its shape alone. A bare number is a size only
    // when grouped ("461,984") or followed by "bytes".
    for (size_t ti = 0; ti < toks.size();) {
      if (ti == nt) {
        ti = after;
        continue;
      }
      const auto tok = toks[ti].text;
      if (is_filler(tok)) {
        ++ti;
        continue;
      }
      size_t used = 0;
      for (const Col k : {Col::date, Col::time, Col::version, Col::size, Col::platform}) {
        if (k == Col::size && all_digits(tok) && !(ti + 1 < toks.size() && iequals(toks[ti + 1].text, "bytes")))
          continue;
        if ((used = read_cell(k, toks, ti, toks.size(), day_first, false, c))) break;
      }
      if (used == 0) {
        c.problems.push_back("'" + std::string(tok) + "' is not a date, time, size, version or platform");
        used = 1;
      }
      ti += used;
    }
    return c;
  }

  // With columns, read two ways and keep the one with fewer unread words: in
  // the columns' order, and (cells written out of the header's order, or a
  // cell the header has no column for) by their shapes alone.
  Cells by_order = read_in_order(cols, toks, nt, after, day_first, c);
  const auto by_shape = read_loose_row({}, toks, day_first);
  if (by_shape && by_shape->name == c.name && by_shape->problems.size() < by_order.problems.size()) return by_shape;
  return by_order;
}

namespace {

// The words before the name fill the columns before the name column, the
// words after it those after, in order. Of the ways to do so, the one with
// the fewest words left unread, then the fewest blank columns.
class InOrder {
 public:
  InOrder(const std::vector<Column>& cols, const std::vector<Token>& toks, bool day_first)
      : cols_(cols), toks_(toks), day_first_(day_first) {}

  // Columns [col, col_end) from word ti to end; adds the best reading to c.
  void fill(size_t col, size_t col_end, size_t ti, size_t end, Cells& c) {
    best_.reset();
    steps_ = 0;
    go(col, col_end, ti, end, c, 0);
    if (best_) c = *best_;
  }

 private:
  void go(size_t col, size_t col_end, size_t ti, size_t end, Cells c, int blanks) {
    if (++steps_ > 20000) return;  // a pathological line: give up rather than hang
    if (ti == end || col == col_end) {
      for (; ti < end; ++ti) c.problems.push_back("'" + std::string(toks_[ti].text) + "' is beyond the table's columns");
      const auto cost = [](const Cells& x, int b) { return x.problems.size() * 100 + size_t(b); };
      if (!best_ || cost(c, blanks) < cost(*best_, best_blanks_)) {
        best_ = c;
        best_blanks_ = blanks;
      }
      return;
    }
    Cells read = c;
    if (const size_t used = read_cell(cols_[col].kind, toks_, ti, end, day_first_, col + 1 == cols_.size(), read))
      go(col + 1, col_end, ti + used, end, read, blanks);
    Cells bad = c;
    keep_unreadable(cols_[col].kind, toks_[ti].text, bad);
    go(col + 1, col_end, ti + 1, end, bad, blanks);
    go(col + 1, col_end, ti, end, c, blanks + 1);
  }

  const std::vector<Column>& cols_;
  const std::vector<Token>& toks_;
  bool day_first_;
  std::optional<Cells> best_;
  int best_blanks_ = 0;
  int steps_ = 0;
};

Cells read_in_order(const std::vector<Column>& cols, const std::vector<Token>& toks, size_t nt, size_t after,
                    bool day_first, Cells c) {
  size_t cn = 0;
  while (cn < cols.size() && cols[cn].kind != Col::name) ++cn;
  InOrder in_order(cols, toks, day_first);
  in_order.fill(0, std::min(cn, cols.size()), 0, nt, c);
  in_order.fill(std::min(cn + 1, cols.size()), cols.size(), after, toks.size(), c);
  return c;
}

}  // namespace

std::optional<Cells> read_boxed_row(const Header& h, std::string_view line, bool day_first, std::string& why) {
  auto cells = split(trim(line), '|');
  if (cells.size() != h.columns.size() + 2) {
    // Cells merged or split: read the words of the row as a loose line.
    std::string words(trim(line));
    std::replace(words.begin(), words.end(), '|', ' ');
    auto c = read_loose_row(h.columns, tokenize(words), day_first);
    const std::string count = "has " + std::to_string(cells.size() < 2 ? 0 : cells.size() - 2) +
                              " cells, the header " + std::to_string(h.columns.size());
    if (!c) {
      why = count;
      return std::nullopt;
    }
    c->problems.insert(c->problems.begin(), "the row " + count);
    return c;
  }
  Cells c;
  for (size_t i = 0; i < h.columns.size(); ++i) {
    const auto cell = trim(cells[i + 1]);
    if (cell.empty()) {
      ++c.empty;
      continue;
    }
    const auto kind = h.columns[i].kind;
    switch (kind) {
      case Col::date:
        if (!(c.date = parse_date(cell, day_first))) keep_unreadable(kind, cell, c);
        break;
      case Col::time:
        if (!(c.time = parse_table_time(cell))) keep_unreadable(kind, cell, c);
        break;
      case Col::size:
        if (!(c.size = parse_table_size(cell)) && !(c.size = bytes_in_parens(cell))) {
          if (is_kb_size(cell)) c.size_text = std::string(cell);
          else if (!is_no_value(cell)) keep_unreadable(kind, cell, c);
        }
        break;
      case Col::version:
        if (is_no_value(cell)) break;
        if (!is_version_text(cell) && !is_version_with_note(cell)) keep_unreadable(kind, cell, c);
        else c.version = std::string(cell);
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
  if (!is_name(tokenize(c.name).front().text) || !c.problems.empty()) {
    // A cell in the wrong column ("| 5.5.2632 | Ese.dll |"): read the words by their shapes.
    std::string words(trim(line));
    std::replace(words.begin(), words.end(), '|', ' ');
    const auto loose = read_loose_row({}, tokenize(words), day_first);
    if (loose && loose->problems.size() < c.problems.size() + (is_name(tokenize(c.name).front().text) ? 0 : 1))
      return loose;
  }
  return c;
}

}  // namespace hfa::kbimport::detail
