#include "kbimport/table.h"

#include <algorithm>

#include "kbimport/rows.h"
#include "kbimport/text.h"

namespace hfa::kbimport::detail {

namespace {

std::string at(size_t k) { return "line " + std::to_string(k + 1); }

// The row as the result holds it, with the cells' problems named on its line.
Row make_row(const Cells& c, size_t j, const std::string& section, Table& table) {
  Row row;
  row.line = int(j) + 1;
  row.section = section;
  row.component = table.component;
  row.note = c.note;
  row.date = c.date;
  row.time = c.time;
  row.size = c.size;
  row.name = c.name;
  row.version = c.version;
  row.platform = c.platform;
  row.platform_text = c.platform_text;
  row.size_text = c.size_text;
  row.problems = c.problems;
  if (!c.problems.empty()) {
    std::string why;
    for (const auto& p : c.problems) why += (why.empty() ? "" : "; ") + p;
    table.problems.push_back(at(j) + ": row '" + c.name + "' kept, not read fully: " + why);
  }
  return row;
}

// Terminal Server Edition 4.0 was released for x86 processors only: a row of a
// TSE table that names no platform is an x86 row.
void tse_rows_are_x86(Table& table, ImportResult& r) {
  if (std::find(table.columns.begin(), table.columns.end(), "platform") != table.columns.end()) return;
  if (!contains_ci(table.section, "terminal server")) return;
  bool any = false;
  for (size_t k = r.files.size() - table.rows; k < r.files.size(); ++k)
    if (!r.files[k].platform && r.files[k].platform_text.empty()) {
      r.files[k].platform = Platform::x86;
      any = true;
    }
  if (any) table.notes.push_back("platform x86: a Terminal Server Edition table (TSE 4.0 exists for x86 only)");
}

void finish_table(Table table, ImportResult& r) {
  tse_rows_are_x86(table, r);
  if (table.rows == 0 && table.problems.empty()) table.problems.push_back("no rows under the header");
  for (const auto& n : table.notes) r.notes.push_back("table at line " + std::to_string(table.line) + ": " + n);
  for (const auto& p : table.problems)
    r.problems.push_back(
        {code::kTable, "", std::nullopt, std::nullopt, "table at line " + std::to_string(table.line) + ": " + p});
  r.tables.push_back(std::move(table));
}

// The section a table's rows belong to: the heading above it, else what the
// sentence introducing it names ("this fix for Windows NT Server Terminal
// Server Edition should have the following file attributes").
std::string table_section(const std::string& heading, const std::string& intro) {
  if (!heading.empty()) return heading;
  if (contains_ci(intro, "terminal server")) return "Windows NT Server 4.0, Terminal Server Edition";
  return "";
}

}  // namespace

std::optional<Cells> read_attribute_line(std::string_view line) {
  std::string words(trim(line));
  std::replace(words.begin(), words.end(), '|', ' ');
  auto c = read_loose_row({}, tokenize(words), false);
  if (!c || c->problems.size() > 1 || !(c->date || c->size || !c->version.empty())) return std::nullopt;
  return c;
}

size_t read_headerless_table(const std::vector<std::string>& L, size_t i, const std::string& heading,
                             const std::string& component, const std::string& intro, ImportResult& r) {
  Table table;
  table.line = int(i) + 1;
  table.headerless = true;
  table.section = table_section(heading, intro);
  table.component = component;
  size_t last = i;
  for (size_t j = i; j < L.size(); ++j) {
    const auto u = trim(L[j]);
    if (u.empty()) break;
    if (is_table_rule(u)) continue;
    const auto c = read_attribute_line(u);
    if (!c) break;
    r.files.push_back(make_row(*c, j, table.section, table));
    ++table.rows;
    last = j;
  }
  finish_table(std::move(table), r);
  return last;
}

size_t read_table(const std::vector<std::string>& L, size_t i, const Header& header, const std::string& heading,
                  const std::string& component, const std::string& intro, ImportResult& r) {
  Table table;
  table.line = int(i) + 1;
  table.section = table_section(heading, intro);
  table.component = component;
  for (const auto& c : header.columns) table.columns.push_back(std::string(col_name(c.kind)));
  const bool day_first = rows_are_day_first(L, i + 1);
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
      if (j + 1 < L.size() && !trim(L[j + 1]).empty() && !header.boxed) {
        const auto toks = tokenize(L[j + 1]);
        auto c = read_plain_row(header.columns, toks, L[j + 1], day_first);
        if (!c) {
          // A row partly read continues the table too; prose after it does not.
          c = read_loose_row(header.columns, toks, day_first);
          if (c && c->problems.size() > 1) c.reset();
        }
        if (c && (c->date || !header.has(Col::date))) continue;
      }
      break;
    }
    if (is_table_rule(u)) {
      last_was_row = false;
      continue;
    }
    if (header.boxed && u.front() != '|') break;
    if (!header.boxed && parse_header(L[j])) break;  // the next table
    std::string why;
    std::optional<Cells> c;
    if (header.boxed) {
      c = read_boxed_row(header, L[j], day_first, why);
    } else {
      // A row boxed in '|' under a plain header: its cells are the words between the bars.
      std::string unboxed = L[j];
      if (u.front() == '|') std::replace(unboxed.begin(), unboxed.end(), '|', ' ');
      const auto toks = tokenize(unboxed);
      // A Platform cell too long for its column continues on the next line
      // ("Windows 98" / "Second Edition").
      const auto& lastcol = header.columns.back();
      if (lastcol.kind == Col::platform && last_was_row && !r.files.empty() && lastcol.start > 0 &&
          toks.front().start + 2 >= lastcol.start && !r.files.back().platform_text.empty()) {
        r.files.back().platform_text += " " + collapse_spaces(u);
        last = j;
        continue;
      }
      // A name too long for its column continues on the next line, alone under
      // the name column: "Very_long_file_na" / "me.dll".
      size_t name_start = 0;
      for (const auto& col : header.columns)
        if (col.kind == Col::name) name_start = col.start;
      if (toks.size() == 1 && last_was_row && !r.files.empty() && name_start > header.columns.front().start &&
          toks[0].start + 2 >= name_start && toks[0].start <= name_start + 2) {
        auto& prev = r.files.back().name;
        if (prev.find('.') == std::string::npos || toks[0].text.find('.') == std::string_view::npos) {
          prev += std::string(toks[0].text);
          last = j;
          continue;
        }
      }
      // A word alone at the start of the table's lines heads the rows below it ("Pan-Chinese").
      if (toks.size() == 1 && toks[0].start <= header.columns.front().start + 1 &&
          toks[0].text.find('.') == std::string_view::npos && !parse_table_date(toks[0].text)) {
        subheading = std::string(toks[0].text);
        last_was_row = false;
        continue;
      }
      c = read_plain_row(header.columns, toks, unboxed, day_first);
      if (!c) {
        // Some cell in no shape its column takes: keep the row with what can be read.
        c = read_loose_row(header.columns, toks, day_first);
        std::string columns;
        for (const auto& n : table.columns) columns += (columns.empty() ? "" : ", ") + n;
        if (c && c->problems.empty())
          table.notes.push_back(at(j) + ": cells read by their shapes, not in the header's order (" + columns + ")");
        else why = "no word of it is a file name (columns " + columns + ")";
      }
    }
    if (!c) {
      table.problems.push_back(at(j) + ": cannot read row '" + collapse_spaces(u) + "': " + why);
      last_was_row = false;
      continue;
    }
    Row row = make_row(*c, j,
                       subheading.empty()       ? table.section
                       : table.section.empty() ? subheading
                                               : table.section + " / " + subheading,
                       table);
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
    if (!row.size_text.empty() && row.problems.empty())
      table.notes.push_back(at(j) + ": size '" + row.size_text + "' is not in bytes");
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
  finish_table(std::move(table), r);
  return std::max(last, i);
}

}  // namespace hfa::kbimport::detail
