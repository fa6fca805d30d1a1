#include "kbimport/layout.h"

#include "core/text.h"
#include "kbimport/text.h"

namespace hfa::kbimport::detail {

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

namespace {

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
      {"platform", Col::platform}, {"language", Col::other},
      {"operating system", Col::other}, {"locale", Col::other},       {"date", Col::date},
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

}  // namespace

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

bool is_time_stamp_phrase(std::string_view t) {
  return contains_ci(t, "should have the following time stamp") && !t.empty() && t.back() == ':';
}

Header time_stamp_header() {
  Header h;
  for (const auto c : {Col::date, Col::time, Col::size, Col::name, Col::platform}) h.columns.push_back({c, 0});
  return h;
}

bool rows_are_day_first(const std::vector<std::string>& L, size_t first) {
  for (size_t k = first; k < L.size() && !trim(L[k]).empty(); ++k)
    for (const auto& tok : tokenize(L[k])) {
      auto parts = split(tok.text, '/');
      if (parts.size() != 3) parts = split(tok.text, '-');
      if (parts.size() == 3 && all_digits(parts[0]) && all_digits(parts[1]) && all_digits(parts[2]) &&
          to_int(parts[0]).value_or(0) > 12 && to_int(parts[1]).value_or(99) <= 12)
        return true;
    }
  return false;
}

}  // namespace hfa::kbimport::detail
