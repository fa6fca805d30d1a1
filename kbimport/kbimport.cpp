// The article reader: walks the lines, follows the sections, and hands each
// part to its unit (layout, table, rows and cells for the file tables;
// fix_facts for applies-to, STATUS and Keywords; article_text for the lines).
#include "kbimport/kbimport.h"

#include <algorithm>

#include "core/text.h"
#include "kbimport/article_text.h"
#include "kbimport/fix_facts.h"
#include "kbimport/layout.h"
#include "kbimport/relations.h"
#include "kbimport/table.h"
#include "kbimport/text.h"

namespace hfa::kbimport {

using namespace detail;

namespace {
// The rule closing the article (70 '=' in the archive); section underlines
// are as long as their heading.
constexpr size_t kFooterRule = 60;
}  // namespace

ImportResult import_article(std::string_view text, std::string_view name) {
  ImportResult r;
  r.name = std::string(name);
  const auto lines = split_article(text);
  const auto& L = lines.body;

  if (!lines.front_title.empty()) r.title = strip_id_prefix(lines.front_title, r.id);

  std::string top;         // the ====-underlined section: RESOLUTION, STATUS, ...
  std::string heading;     // the ----underlined (or "Windows 95:") product heading within it
  std::string component;   // the last "Component:" line
  std::string status_text, status_heading;
  std::string intro;  // the paragraph of the last "following file attributes" sentence
  int status_line = 0, keywords_line = 0;  // where STATUS and the Keywords line are, for FixedIn::from
  std::optional<size_t> open_trigger;  // a "following file attributes" line still waiting for its table
  bool in_applies = false;

  const auto close_trigger = [&] {
    if (open_trigger)
      r.problems.push_back({code::kUntabledPhrase, "", std::nullopt, static_cast<int>(*open_trigger + 1),
                            "'following file attributes' is not followed by a table with a column header"});
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
        iequals(trim(t.substr(0, t.find(':'))), "Keywords")) {
      for (const auto& tok : tokenize(t.substr(t.find(':') + 1))) r.keywords.emplace_back(tok.text);
      keywords_line = int(i) + 1;
    }
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

    // Section structure. The archive closes every article with a long '='
    // rule before its Keywords block; a paragraph may run straight into it
    // ("... Terminal Server Edition" / "Service Pack 4." / "=====..."), so a
    // line right under text is never a heading of that rule: the article's
    // sections end there.
    const bool footer_rule = is_rule(next, '=') && trim(next).size() >= kFooterRule;
    if (!t.empty() && footer_rule && i > 0 && !trim(L[i - 1]).empty()) {
      if (top == "STATUS") status_text += " " + std::string(t);
      close_trigger();
      top = "(footer)";
      heading.clear();
      component.clear();
      ++i;
      continue;
    }
    if (is_rule(t, '=') && t.size() >= kFooterRule) {
      close_trigger();
      top = "(footer)";
      heading.clear();
      component.clear();
      continue;
    }
    if (!t.empty() && is_rule(next, '=') && is_heading_text(t)) {
      close_trigger();
      top = std::string(t);
      if (top == "STATUS") status_line = int(i) + 1;
      intro.clear();
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
        // The sentence introducing the table: its paragraph up to this line and the next.
        size_t from = i;
        while (from > 0 && !trim(L[from - 1]).empty()) --from;
        intro.clear();
        for (size_t k = from; k <= i + 1 && k < L.size(); ++k) intro += " " + collapse_spaces(L[k]);
      }
    }

    // A file-attribute table: a header of column names, or a phrase that
    // implies them. Implied columns have no position: the continuation rules
    // that go by a column's position do not apply.
    auto header = parse_header(line);
    if (!header && is_time_stamp_phrase(t)) header = time_stamp_header();
    if (!header && open_trigger && i > *open_trigger && read_attribute_line(t)) {
      // Attribute lines under the sentence with no column header above them.
      open_trigger.reset();
      i = read_headerless_table(L, i, heading, component, intro, r);
      continue;
    }
    if (!header) continue;
    open_trigger.reset();
    i = read_table(L, i, *header, heading, component, intro, r);
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
  for (auto& f : r.fixed_in) f.from = {r.id, f.source == "keywords" ? keywords_line : status_line};
  read_relations(L, r);

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
    k.from = f.from;
    // One per edition line, service pack and source: STATUS and a fix list may both say it.
    if (std::none_of(a.fixed_in.begin(), a.fixed_in.end(), [&](const auto& x) {
          return x.edition == k.edition && x.service_pack == k.service_pack && x.source == k.source;
        }))
      a.fixed_in.push_back(k);
  }
  a.packages = r.packages;
  a.kind = r.kind;
  a.lists = r.lists;
  for (const auto& l : r.listed) a.contains.push_back(l.member);
  a.supersedes = r.supersedes;
  a.components = r.components;
  a.settings = r.settings;
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
    f.size_text = row.size_text;
    f.problems = row.problems;
    f.location = row.location;
    a.files.push_back(f);
  }
  return a;
}
}  // namespace hfa::kbimport
