#include "kbimport/article_text.h"

#include <cstring>
#include <utility>

#include "kbimport/text.h"

namespace hfa::kbimport::detail {

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


bool is_heading_text(std::string_view s) {
  s = trim(s);
  return !s.empty() && s.size() <= 70 && s.find("  ") == std::string_view::npos;
}

}  // namespace hfa::kbimport::detail
