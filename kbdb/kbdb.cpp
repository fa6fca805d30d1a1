#include "kbdb/kbdb.h"

#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include "core/fd.h"
#include "core/text.h"

namespace hfa::kbdb {
namespace {

constexpr const char* kNamespace = "urn:hotfix-audit:kbdb:1";
constexpr const char* kFormat = "1";

// The children of <article>, in the order the format fixes.
constexpr std::array<std::string_view, 12> kArticleChildren = {
    "title",      "lists",     "applies-to", "platform", "fixed-in", "package",
    "contains",   "supersedes", "component", "setting",  "module",   "file"};


bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Lower-case q too: ids are compared case-insensitively everywhere.
bool is_article_id(std::string_view s) {
  return s.size() > 1 && (s[0] == 'Q' || s[0] == 'q') && is_digits(s.substr(1));
}

// "6", "6a": a number, then at most one letter for the re-releases.
bool is_service_pack(std::string_view s) {
  if (!s.empty() && s.back() >= 'a' && s.back() <= 'z') s.remove_suffix(1);
  return is_digits(s);
}

bool is_version_of(std::string_view s, size_t parts) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '.')) == parts - 1 && parse_version(s);
}

// A path segment that cannot leave its folder or name a drive.
bool is_plain_name(std::string_view s) {
  return !s.empty() && s.find_first_of("/\\:") == std::string_view::npos &&
         s.find_first_not_of('.') != std::string_view::npos;
}

bool is_module_path(std::string_view s) {
  size_t start = 0;
  while (true) {
    const size_t slash = s.find('/', start);
    if (!is_plain_name(s.substr(start, slash == std::string_view::npos ? slash : slash - start))) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

std::vector<std::string> split_spaces(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while ((start = s.find_first_not_of(' ', start)) != std::string_view::npos) {
    const size_t end = s.find(' ', start);
    out.emplace_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    start = end;
  }
  return out;
}

bool same_id(std::string_view a, std::string_view b) { return iequals(a, b); }

// Validates one document and collects its articles. The text is parsed in a
// copy of its own (in place), so that attribute names point into a buffer whose
// offsets are those of the original text.
class Reader {
 public:
  Reader(std::string_view text, const std::string& source) : text_(text), buffer_(text), source_(source) {}

  LoadResult read() {
    LoadResult out;
    if (text_.size() > kMaxDatabaseBytes) {
      report(0, "the database is " + std::to_string(text_.size()) + " bytes, over the limit of " +
                    std::to_string(kMaxDatabaseBytes) + "; not read");
      out.diagnostics = std::move(diagnostics_);
      return out;
    }
    pugi::xml_document doc;
    const auto parsed =
        doc.load_buffer_inplace(buffer_.data(), buffer_.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
      report(parsed.offset, std::string("malformed XML: ") + parsed.description());
    } else if (const auto deep = deeper_than(doc, kMaxDatabaseDepth)) {
      report(deep, "elements nest more than " + std::to_string(kMaxDatabaseDepth) +
                       " levels deep (a kbdb document nests 4); not read");
    } else {
      read_root(doc, out.db);
    }
    // Checks run element by element, attribute by attribute; read them in text order.
    std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& x, const Diagnostic& y) {
      return std::tie(x.line, x.column) < std::tie(y.line, y.column);
    });
    if (problems_ > diagnostics_.size())
      diagnostics_.push_back({source_, diagnostics_.back().line, diagnostics_.back().column,
                              std::to_string(problems_ - diagnostics_.size()) + " more problems not listed (only the first " +
                                  std::to_string(kMaxDiagnostics) + " are)"});
    out.diagnostics = std::move(diagnostics_);
    return out;
  }

 private:
  // The first node deeper than `limit` levels below the document, or an empty
  // node. Walked without recursion, so that the walk itself cannot overflow.
  static pugi::xml_node deeper_than(const pugi::xml_document& doc, size_t limit) {
    size_t depth = 0;
    pugi::xml_node n = doc.first_child();
    if (n) depth = 1;
    while (n) {
      if (n.first_child()) {
        n = n.first_child();
        if (++depth > limit) return n;
        continue;
      }
      while (n && !n.next_sibling()) {
        n = n.parent();
        --depth;
      }
      if (n) n = n.next_sibling();
    }
    return {};
  }

  void read_root(const pugi::xml_document& doc, Database& db) {
    const pugi::xml_node root = doc.document_element();
    // pugixml accepts several top-level elements and stray text; XML does not.
    for (const auto n : doc.children()) {
      if (n == root) continue;
      report(n, n.type() == pugi::node_element ? "a second root element <" + std::string(n.name()) + ">"
                                                : std::string("text outside the root element"));
    }
    if (std::string_view(root.name()) != "kbdb") {
      report(root, "the root element is <" + std::string(root.name()) + ">, not <kbdb>");
      return;
    }
    check_attributes(root, {"xmlns", "format"});
    if (const auto ns = root.attribute("xmlns"); ns && std::string_view(ns.value()) != kNamespace)
      report(ns, "<kbdb> is in namespace '" + std::string(ns.value()) + "', not '" + kNamespace + "'");
    if (const auto f = root.attribute("format"); f && std::string_view(f.value()) != kFormat)
      report(f, "unsupported format '" + std::string(f.value()) + "' (this version reads format " + kFormat + ")");

    std::map<std::string, int> first_line;  // lower-case id -> line of its first <article>
    for (const auto n : root.children()) {
      if (!expect_element(n, "kbdb")) continue;
      if (std::string_view(n.name()) != "article") {
        report(n, "unknown element <" + std::string(n.name()) + "> in <kbdb>");
        continue;
      }
      const size_t errors_before = problems_;
      Article a = read_article(n);
      if (const auto id = n.attribute("id")) {
        const auto [it, first] = first_line.emplace(ascii_lower(id.value()), line_of(n));
        if (!first)
          report(id, "duplicate article id '" + std::string(id.value()) + "' (first at line " +
                         std::to_string(it->second) + ")");
      }
      if (problems_ == errors_before) db.articles.push_back(std::move(a));
    }
  }

  Article read_article(pugi::xml_node n) {
    Article a;
    a.source = source_ + ":" + std::to_string(line_of(n));
    check_attributes(n, {"id", "modified"}, {"kind"});
    if (const auto id = n.attribute("id")) {
      a.id = id.value();
      if (!is_article_id(a.id)) report(id, "article id '" + a.id + "' is not Q followed by digits");
    }
    if (const auto kind = n.attribute("kind")) {
      a.kind = kind.value();
      if (a.kind != "fix" && a.kind != "fix-list" && a.kind != "package")
        report(kind, "unknown kind '" + a.kind + "'" + in(n, kind) + " (fix, fix-list or package)");
    }
    if (const auto d = date(n, "modified")) a.modified = *d;

    size_t rank = 0;  // of the latest child so far, to enforce the order
    bool has_title = false;
    for (const auto c : n.children()) {
      if (!expect_element(c, "article")) continue;
      const std::string_view name = c.name();
      const auto known = std::find(kArticleChildren.begin(), kArticleChildren.end(), name);
      if (known == kArticleChildren.end()) {
        report(c, "unknown element <" + std::string(name) + "> in <article>");
        continue;
      }
      const size_t r = static_cast<size_t>(known - kArticleChildren.begin());
      if (r < rank)
        report(c, "<" + std::string(name) + "> must come before <" + std::string(kArticleChildren[rank]) + ">");
      rank = std::max(rank, r);

      if (name == "title") {
        if (has_title) report(c, "a second <title> in <article>");
        has_title = true;
        check_attributes(c, {});
        a.title = text_of(c);
        if (a.title.empty()) report(c, "<title> is empty");
      } else if (name == "applies-to") {
        a.applies_to.push_back(read_applies_to(c));
      } else if (name == "platform") {
        check_attributes(c, {});
        const auto text = text_of(c);
        if (const auto p = platform(text, c, " in <platform>")) {
          if (std::find(a.platforms.begin(), a.platforms.end(), *p) != a.platforms.end())
            report(c, "platform '" + text + "' listed twice");
          a.platforms.push_back(*p);
        }
      } else if (name == "fixed-in") {
        a.fixed_in.push_back(read_fixed_in(c));
      } else if (name == "package") {
        a.packages.push_back(read_package(c));
      } else if (name == "lists") {
        if (a.lists) report(c, "a second <lists> in <article>");
        a.lists = read_lists(c);
      } else if (name == "contains") {
        a.contains.push_back(read_member(c));
      } else if (name == "supersedes") {
        a.supersedes.push_back(read_member(c));
      } else if (name == "component") {
        a.components.push_back(read_component(c));
      } else if (name == "setting") {
        a.settings.push_back(read_setting(c));
      } else if (name == "module") {
        a.modules.push_back(read_module(c));
      } else {
        a.files.push_back(read_file(c));
      }
    }
    if (!has_title) report(n, "<article> lacks <title>");
    if (a.lists && a.kind != "fix-list") report(n, "<lists> in an article whose kind is not fix-list");
    return a;
  }

  // The optional from="Qnnn" line="N" pair every relation carries.
  SourceRef source_ref(pugi::xml_node n) {
    SourceRef r;
    if (const auto from = n.attribute("from")) {
      r.article = from.value();
      if (!is_article_id(r.article))
        report(from, "source article '" + r.article + "' is not Q followed by digits" + in(n, from));
    }
    if (const auto line = n.attribute("line")) {
      const std::string_view v = line.value();
      int value = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
      if (!is_digits(v) || ec != std::errc() || end != v.data() + v.size() || value < 1)
        report(line, "line '" + std::string(v) + "' is not a positive integer" + in(n, line));
      else if (!n.attribute("from"))
        report(line, "a line without from=" + in(n, line));
      else
        r.line = value;
    }
    return r;
  }

  ServicePackList read_lists(pugi::xml_node n) {
    ServicePackList l;
    check_attributes(n, {"service-pack"}, {"edition"});
    expect_empty(n);
    l.edition = edition(n);
    l.service_pack = service_pack_of(n);
    return l;
  }

  // The service-pack attribute ("4", "6a"), checked; "" when absent (the
  // required-attribute check reports that).
  std::string service_pack_of(pugi::xml_node n) {
    const auto sp = n.attribute("service-pack");
    if (!sp) return "";
    std::string value = sp.value();
    if (!is_service_pack(value))
      report(sp, "service pack '" + value + "' is not a number with an optional letter" + in(n, sp));
    return value;
  }

  Member read_member(pugi::xml_node n) {
    Member m;
    check_attributes(n, {"id"}, {"from", "line"});
    expect_empty(n);
    if (const auto id = n.attribute("id")) {
      m.id = id.value();
      if (!is_article_id(m.id)) report(id, "article id '" + m.id + "' is not Q followed by digits" + in(n, id));
    }
    m.from = source_ref(n);
    return m;
  }

  OptionalComponent read_component(pugi::xml_node n) {
    OptionalComponent c;
    check_attributes(n, {"name"}, {"from", "line"});
    if (const auto name = n.attribute("name")) {
      c.name = name.value();
      if (c.name.empty()) report(name, "empty name" + in(n, name));
    }
    c.from = source_ref(n);
    for (const auto child : n.children()) {
      if (!expect_element(child, "component")) continue;
      const std::string_view kind = child.name();
      if (kind == "service") {
        check_attributes(child, {"name"});
        expect_empty(child);
        if (const auto s = child.attribute("name")) {
          if (!is_plain_name(s.value()))
            report(s, "service name '" + std::string(s.value()) + "' is not a key name" + in(child, s));
          else
            c.services.emplace_back(s.value());
        }
      } else if (kind == "evidence-file") {
        check_attributes(child, {"path"});
        expect_empty(child);
        if (const auto p = child.attribute("path")) {
          if (!is_module_path(p.value()))
            report(p, "path '" + std::string(p.value()) + "' is not relative to %SystemRoot% and '/'-separated" +
                          in(child, p));
          else
            c.files.emplace_back(p.value());
        }
      } else {
        report(child, "unknown element <" + std::string(kind) + "> in <component> (service or evidence-file)");
      }
    }
    if (c.services.empty() && c.files.empty())
      report(n, "<component> names no <service> nor <evidence-file>: its absence could not be told");
    return c;
  }

  RequiredSetting read_setting(pugi::xml_node n) {
    RequiredSetting s;
    check_attributes(n, {"hive", "key", "value", "data"}, {"from", "line"});
    expect_empty(n);
    if (const auto h = n.attribute("hive")) {
      s.hive = h.value();
      if (s.hive != "SYSTEM" && s.hive != "SOFTWARE")
        report(h, "unknown hive '" + s.hive + "'" + in(n, h) + " (SYSTEM or SOFTWARE)");
    }
    if (const auto k = n.attribute("key")) {
      s.key = k.value();
      if (s.key.empty() || s.key.front() == '\\' || s.key.back() == '\\' || s.key.find("\\\\") != std::string::npos)
        report(k, "key '" + s.key + "' is not a path under the hive" + in(n, k));
    }
    if (const auto v = n.attribute("value")) {
      s.value = v.value();
      if (s.value.empty()) report(v, "empty value name" + in(n, v));
    }
    if (const auto d = n.attribute("data")) s.data = d.value();
    s.from = source_ref(n);
    return s;
  }

  AppliesTo read_applies_to(pugi::xml_node n) {
    AppliesTo t;
    check_attributes(n, {"edition", "os"}, {"service-packs"});
    expect_empty(n);
    if (const auto e = edition(n)) t.edition = *e;
    if (const auto os = n.attribute("os")) {
      t.os_version = os.value();
      if (!is_version_of(t.os_version, 2)) report(os, "OS version '" + t.os_version + "' is not major.minor" + in(n, os));
    }
    if (const auto sps = n.attribute("service-packs")) {
      t.service_packs = split_spaces(sps.value());
      if (t.service_packs.empty()) report(sps, "empty service-pack list" + in(n, sps));
      for (const auto& sp : t.service_packs)
        if (!is_service_pack(sp)) report(sps, "service pack '" + sp + "' is not a number with an optional letter" + in(n, sps));
    }
    return t;
  }

  FixedIn read_fixed_in(pugi::xml_node n) {
    FixedIn f;
    check_attributes(n, {"service-pack"}, {"edition", "source", "from", "line"});
    expect_empty(n);
    f.edition = edition(n);
    if (const auto src = n.attribute("source")) {
      f.source = src.value();
      if (f.source != "status" && f.source != "keywords" && f.source != "fix-list" && f.source != "package")
        report(src, "unknown source '" + f.source + "'" + in(n, src) + " (status, keywords, fix-list or package)");
    }
    f.from = source_ref(n);
    f.service_pack = service_pack_of(n);
    return f;
  }

  Package read_package(pugi::xml_node n) {
    Package p;
    check_attributes(n, {"id"}, {"relation", "from", "line"});
    p.from = source_ref(n);
    if (const auto id = n.attribute("id")) {
      p.id = id.value();
      if (!is_article_id(p.id)) report(id, "package id '" + p.id + "' is not Q followed by digits");
    }
    if (const auto rel = n.attribute("relation")) {
      p.relation = rel.value();
      if (p.relation != "delivers" && p.relation != "supersedes")
        report(rel, "unknown relation '" + p.relation + "'" + in(n, rel) + " (delivers or supersedes)");
    }
    p.title = text_of(n);
    return p;
  }

  Module read_module(pugi::xml_node n) {
    Module m;
    check_attributes(n, {"path"}, {"format", "curated"});
    expect_empty(n);
    if (const auto path = n.attribute("path")) {
      m.path = path.value();
      if (!is_module_path(m.path))
        report(path, "module path '" + m.path + "' is not relative to %SystemRoot% and '/'-separated" + in(n, path));
    }
    if (const auto format = n.attribute("format")) {
      m.format = format.value();
      if (m.format != "pe" && m.format != "ne")
        report(format, "unknown module format '" + m.format + "'" + in(n, format) + " (pe or ne)");
    }
    if (const auto curated = n.attribute("curated")) {
      const std::string_view v = curated.value();
      // The spellings of xs:boolean.
      if (v == "true" || v == "1") m.curated = true;
      else if (v != "false" && v != "0") report(curated, "'" + std::string(v) + "' is not true or false" + in(n, curated));
    }
    return m;
  }

  FileRow read_file(pugi::xml_node n) {
    FileRow row;
    check_attributes(n, {"name", "platform"},
                     {"date", "time", "size", "size-text", "version", "version-text", "section", "component", "location"});
    // <problem> children: why a cell of the row could not be read.
    for (const auto c : n.children()) {
      if (!expect_element(c, "file")) continue;
      if (std::string_view(c.name()) != "problem") {
        report(c, "unknown element <" + std::string(c.name()) + "> in <file> (problem)");
        continue;
      }
      check_attributes(c, {});
      auto text = text_of(c);
      if (text.empty()) report(c, "<problem> is empty");
      else row.problems.push_back(std::move(text));
    }
    if (!n.attribute("date") && !n.attribute("version") && row.problems.empty())
      report(n, "<file> has neither a date nor a version, and no <problem> saying why");
    if (const auto name = n.attribute("name")) {
      row.name = name.value();
      if (!is_plain_name(row.name)) report(name, "file name '" + row.name + "' is not a bare file name" + in(n, name));
    }
    if (const auto p = n.attribute("platform")) {
      if (const auto parsed = platform(p.value(), p, in(n, p))) row.platform = *parsed;
    }
    if (const auto d = date(n, "date")) row.date = *d;
    if (const auto t = n.attribute("time")) {
      row.time = parse_hhmm(t.value());
      if (!row.time) report(t, "'" + std::string(t.value()) + "' is not a 24-hour time HH:MM" + in(n, t));
    }
    if (const auto s = n.attribute("size")) {
      const std::string_view v = s.value();
      uint64_t size = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), size);
      if (is_digits(v) && ec == std::errc() && end == v.data() + v.size()) row.size = size;
      else report(s, "size '" + std::string(v) + "' is not a plain integer" + in(n, s));
    }
    if (const auto v = n.attribute("version")) {
      if (is_version_of(v.value(), 4)) row.version = parse_version(v.value());
      else report(v, "version '" + std::string(v.value()) + "' is not a.b.c.d (numbers below 65536)" + in(n, v));
    }
    if (const auto s = n.attribute("section")) {
      row.section = s.value();
      if (row.section.empty()) report(s, "empty section" + in(n, s));
    }
    if (const auto c = n.attribute("component")) {
      row.component = c.value();
      if (row.component.empty()) report(c, "empty component" + in(n, c));
    }
    if (const auto v = n.attribute("version-text")) {
      row.version_text = v.value();
      if (row.version_text.empty()) report(v, "empty version-text" + in(n, v));
    }
    if (const auto v = n.attribute("size-text")) {
      row.size_text = v.value();
      if (row.size_text.empty()) report(v, "empty size-text" + in(n, v));
    }
    if (const auto l = n.attribute("location")) {
      row.location = l.value();
      if (!is_module_path(row.location))
        report(l, "location '" + row.location + "' is not a folder relative to %SystemRoot%, '/'-separated" + in(n, l));
    }
    return row;
  }

  // Only canonical names, so that a database reads the same everywhere; a
  // known alias gets a hint.
  template <class Where>
  std::optional<Platform> platform(const std::string& text, Where where, const std::string& in_context) {
    const auto p = parse_platform(text);
    if (!p) {
      report(where, "unknown platform '" + text + "'" + in_context);
      return std::nullopt;
    }
    if (to_string(*p) != text) {
      report(where, "platform '" + text + "'" + in_context + " is not a canonical name: write '" +
                        std::string(to_string(*p)) + "'");
      return std::nullopt;
    }
    return p;
  }

  std::optional<Edition> edition(pugi::xml_node n) {
    const auto e = n.attribute("edition");
    if (!e) return std::nullopt;
    const auto parsed = parse_edition(e.value());
    if (!parsed)
      report(e, "unknown edition '" + std::string(e.value()) + "'" + in(n, e) +
                    " (workstation, server or terminal-server)");
    return parsed;
  }

  std::optional<Date> date(pugi::xml_node n, const char* name) {
    const auto a = n.attribute(name);
    if (!a) return std::nullopt;
    const std::string_view v = a.value();
    const auto d = parse_iso_date(v);
    if (d) return d;
    // Tell a well-formed but impossible date from text that is no date at all.
    const bool shaped = v.size() == 10 && v[4] == '-' && v[7] == '-' && is_digits(v.substr(0, 4)) &&
                        is_digits(v.substr(5, 2)) && is_digits(v.substr(8, 2));
    report(a, (shaped ? "impossible date '" + std::string(v) + "'"
                      : "'" + std::string(v) + "' is not a date YYYY-MM-DD") +
                  in(n, a));
    return std::nullopt;
  }

  static std::string in(pugi::xml_node n, pugi::xml_attribute a) {
    return " in <" + std::string(n.name()) + " " + a.name() + "=...>";
  }

  // Reports unknown, repeated and missing attributes.
  void check_attributes(pugi::xml_node n, std::initializer_list<std::string_view> required,
                        std::initializer_list<std::string_view> optional = {}) {
    const std::string element = "<" + std::string(n.name()) + ">";
    std::vector<std::string_view> seen;
    for (const auto a : n.attributes()) {
      const std::string_view name = a.name();
      const auto known = [&](std::initializer_list<std::string_view> list) {
        return std::find(list.begin(), list.end(), name) != list.end();
      };
      if (!known(required) && !known(optional))
        report(a, "unknown attribute '" + std::string(name) + "' on " + element);
      // pugixml does not reject repeated attributes.
      else if (std::find(seen.begin(), seen.end(), name) != seen.end())
        report(a, "attribute '" + std::string(name) + "' repeated on " + element);
      seen.push_back(name);
    }
    for (const auto name : required)
      if (std::find(seen.begin(), seen.end(), name) == seen.end())
        report(n, element + " lacks required attribute '" + std::string(name) + "'");
  }

  // False, after reporting it, for text where only elements may stand.
  bool expect_element(pugi::xml_node n, const char* parent) {
    if (n.type() == pugi::node_element) return true;
    report(n, "unexpected text in <" + std::string(parent) + ">");
    return false;
  }

  void expect_empty(pugi::xml_node n) {
    for (const auto c : n.children())
      if (expect_element(c, n.name())) report(c, "unknown element <" + std::string(c.name()) + "> in <" + n.name() + ">");
  }

  // The text of an element that holds only text (CDATA sections included).
  std::string text_of(pugi::xml_node n) {
    std::string out;
    for (const auto c : n.children()) {
      if (c.type() == pugi::node_element) report(c, "unknown element <" + std::string(c.name()) + "> in <" + n.name() + ">");
      else out += c.value();
    }
    return out;
  }

  // An element is reported at its '<', text at its first non-blank character.
  ptrdiff_t offset_of(pugi::xml_node n) const {
    if (n.type() == pugi::node_element) return n.offset_debug() - 1;
    const size_t text = text_.find_first_not_of(" \t\r\n", static_cast<size_t>(n.offset_debug()));
    return text == std::string_view::npos ? n.offset_debug() : static_cast<ptrdiff_t>(text);
  }
  ptrdiff_t offset_of(pugi::xml_attribute a) const { return a.name() - buffer_.data(); }

  int line_of(pugi::xml_node n) const { return position(offset_of(n)).first; }

  // 1-based line and column of a byte offset; columns count characters.
  // Positions are asked for mostly in text order: the count goes on from the
  // last one when it can, so that a long document costs one pass, not one per
  // article.
  std::pair<int, int> position(ptrdiff_t offset) const {
    const size_t end = std::min(static_cast<size_t>(std::max<ptrdiff_t>(offset, 0)), text_.size());
    if (end < cursor_.offset) cursor_ = Cursor{};
    size_t i = cursor_.offset;
    int line = cursor_.line, column = cursor_.column;
    if (i == 0 && text_.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // a byte-order mark is no column
    for (; i < end; ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
        ++column;
      }
    }
    cursor_ = Cursor{end, line, column};
    return {line, column};
  }

  // Every problem counts; only the first kMaxDiagnostics are listed, so that
  // a hostile document cannot make the list the thing that exhausts memory.
  void report(ptrdiff_t offset, std::string message) {
    if (++problems_ > kMaxDiagnostics) return;
    const auto [line, column] = position(offset);
    diagnostics_.push_back({source_, line, column, std::move(message)});
  }
  void report(pugi::xml_node n, std::string message) { report(offset_of(n), std::move(message)); }
  void report(pugi::xml_attribute a, std::string message) { report(offset_of(a), std::move(message)); }

  std::string_view text_;
  std::string buffer_;
  std::string source_;
  std::vector<Diagnostic> diagnostics_;
  size_t problems_ = 0;
  struct Cursor {
    size_t offset = 0;
    int line = 1, column = 1;
  };
  mutable Cursor cursor_;
};

}  // namespace

std::string_view to_string(Edition e) {
  switch (e) {
    case Edition::workstation: return "workstation";
    case Edition::server: return "server";
    case Edition::terminal_server: return "terminal-server";
  }
  return "server";
}

std::optional<Edition> parse_edition(std::string_view text) {
  for (const auto e : {Edition::workstation, Edition::server, Edition::terminal_server})
    if (text == to_string(e)) return e;
  return std::nullopt;
}

const Article* Database::find(std::string_view id) const {
  const auto it = std::find_if(articles.begin(), articles.end(), [&](const Article& a) { return same_id(a.id, id); });
  return it == articles.end() ? nullptr : &*it;
}

std::string to_string(const SourceRef& s) {
  if (s.article.empty()) return "";
  return s.line > 0 ? s.article + " line " + std::to_string(s.line) : s.article;
}

std::string to_string(const Diagnostic& d) {
  // Line 0: the file as a whole (it could not be read).
  if (d.line == 0) return d.file + ": " + d.message;
  return d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message;
}

LoadResult load_xml(std::string_view text, const std::string& source_name) {
  return Reader(text, source_name).read();
}

LoadResult load_file(const std::string& path) {
  // Read like evidence: a FIFO or /dev/zero given as --db must not hang the run.
  const auto file = read_small_file(path, kMaxDatabaseBytes);
  if (!file.error.empty()) {
    LoadResult r;
    r.diagnostics.push_back({path, 0, 0, "cannot read the file: " + file.error});
    return r;
  }
  return load_xml(file.text, path);
}

const Database& builtin() {
  static const Database db = [] {
    auto loaded = load_xml(builtin_xml(), "kbdb/builtin.xml");
    if (!loaded.ok()) {
      std::vector<std::string> lines;
      for (const auto& d : loaded.diagnostics) lines.push_back(to_string(d));
      throw std::logic_error("the built-in KB database is invalid:\n" + join(lines, "\n"));
    }
    return std::move(loaded.db);
  }();
  return db;
}

void merge(Database& base, const Database& extra) {
  for (const auto& a : extra.articles) {
    const auto it = std::find_if(base.articles.begin(), base.articles.end(),
                                 [&](const Article& b) { return same_id(a.id, b.id); });
    if (it != base.articles.end()) *it = a;
    else base.articles.push_back(a);
  }
}

}  // namespace hfa::kbdb
