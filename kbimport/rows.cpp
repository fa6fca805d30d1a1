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

}  // namespace hfa::kbimport::detail
