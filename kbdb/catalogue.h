// Relations derived from a Database, so that none is stored twice: the reverse
// of every <contains> (which fix lists and packages contain an article), the
// service packs containing an article per edition line, the articles listing a
// file ordered by build (supersedence) and the reverse of <supersedes>. Built
// once per database; the analyzer and `db show` read them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kbdb/kbdb.h"

namespace hfa::kbdb {

// "Q259042", "q259042", "KB259042", "259042" -> "Q259042"; nullopt when the
// text is no KB article number.
std::optional<std::string> normalize_kb_id(std::string_view text);

// A service pack that carries a fix, and why the catalogue says so.
struct ServicePackFix {
  std::optional<Edition> edition;  // empty: the Windows NT 4.0 line; terminal_server: TSE
  std::string service_pack;        // "6"
  std::string source;              // "status", "keywords", "fix-list", "package"
  SourceRef from;                  // the article and line saying so
  std::string via;                 // the fix list or package article, "" for the article's own word
};

// An article listing a file, with the row that lists it.
struct FileListing {
  const Article* article = nullptr;
  const FileRow* row = nullptr;
};

class Catalogue {
 public:
  explicit Catalogue(const Database& db);

  const Database& db() const { return db_; }
  // Database::find through an index: the analyzer asks for every article's
  // relations, and a whole-catalogue profile holds thousands of articles.
  const Article* find(std::string_view id) const;
  // Fix lists, packages and roll-ups whose <contains> names `id` (with its source).
  std::vector<std::pair<const Article*, SourceRef>> contained_in(std::string_view id) const;
  // Articles whose <supersedes> names `id`.
  std::vector<std::pair<const Article*, SourceRef>> superseded_by(std::string_view id) const;
  // Every service pack said to carry `id`: its own <fixed-in>, and the fix
  // lists containing it (a fix list's <lists> names the service pack and line).
  std::vector<ServicePackFix> service_packs(std::string_view id) const;
  // Every row of every article naming `file` (case-insensitive), ordered by
  // version (then date): later builds last.
  std::vector<FileListing> listing(std::string_view file) const;

 private:
  const Database& db_;
  std::map<std::string, const Article*> by_id_;  // upper-case id
  std::map<std::string, std::vector<std::pair<const Article*, SourceRef>>> contained_in_, superseded_by_;
  std::map<std::string, std::vector<FileListing>> files_;
};

// An article's relations both ways, one line each, with their sources: what
// `db show` prints after the article's XML.
std::vector<std::string> describe_relations(const Catalogue& cat, const Article& a);

}  // namespace hfa::kbdb
