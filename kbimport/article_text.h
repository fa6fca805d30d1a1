// The article's text as lines: front matter, the archive's indentation and
// HTML remnants removed, line numbers kept; its title and id.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfa::kbimport::detail {

// The article's lines, with the one tab of indentation the archive adds
// removed and the remaining tabs read as spaces.
struct Lines {
  std::vector<std::string> body;
  std::string front_title;
};
Lines split_article(std::string_view text);
// The archive's titles keep a few HTML entities ("&quot;Drsd&quot;").
std::string decode_entities(std::string_view s);
// "Qnnnnnn: Title" -> "Title"; sets id from the prefix when it is empty.
std::string strip_id_prefix(std::string_view raw, std::string& id);
// A line short enough, and not laid out in columns, to be a heading.
bool is_heading_text(std::string_view s);

}  // namespace hfa::kbimport::detail
