#include "kbdb/catalogue.h"

#include <algorithm>
#include <tuple>

#include "core/text.h"

namespace hfa::kbdb {
namespace {

std::string key(std::string_view id) { return ascii_upper(std::string(id)); }

}  // namespace

std::optional<std::string> normalize_kb_id(std::string_view text) {
  std::string t = ascii_upper(std::string(text));
  if (t.rfind("KB", 0) == 0) t.erase(0, 2);
  else if (t.rfind("Q", 0) == 0) t.erase(0, 1);
  if (t.empty() || t.size() > 9 || !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return "Q" + t;
}

Catalogue::Catalogue(const Database& db) : db_(db) {
  for (const auto& a : db.articles) {
    for (const auto& m : a.contains) contained_in_[key(m.id)].push_back({&a, m.from});
    for (const auto& m : a.supersedes) superseded_by_[key(m.id)].push_back({&a, m.from});
    for (const auto& r : a.files) files_[ascii_lower(r.name)].push_back({&a, &r});
  }
  // Supersedence order: by version when both rows give one, else by date; the
  // article id breaks ties so that the order is the same on every run.
  for (auto& [name, rows] : files_) {
    std::stable_sort(rows.begin(), rows.end(), [](const FileListing& x, const FileListing& y) {
      const auto& a = *x.row;
      const auto& b = *y.row;
      if (a.version && b.version && !(*a.version == *b.version)) return *a.version < *b.version;
      if (a.date && b.date && !(*a.date == *b.date)) return to_unix_seconds(*a.date) < to_unix_seconds(*b.date);
      return x.article->id < y.article->id;
    });
  }
}

std::vector<std::pair<const Article*, SourceRef>> Catalogue::contained_in(std::string_view id) const {
  const auto it = contained_in_.find(key(id));
  return it == contained_in_.end() ? std::vector<std::pair<const Article*, SourceRef>>{} : it->second;
}

std::vector<std::pair<const Article*, SourceRef>> Catalogue::superseded_by(std::string_view id) const {
  const auto it = superseded_by_.find(key(id));
  return it == superseded_by_.end() ? std::vector<std::pair<const Article*, SourceRef>>{} : it->second;
}

std::vector<ServicePackFix> Catalogue::service_packs(std::string_view id) const {
  std::vector<ServicePackFix> out;
  if (const auto* a = db_.find(id))
    for (const auto& f : a->fixed_in) {
      SourceRef from = f.from;
      if (from.article.empty() && (f.source == "status" || f.source == "keywords")) from.article = a->id;
      out.push_back({f.edition, f.service_pack, f.source, from, f.source == "fix-list" || f.source == "package" ? from.article : ""});
    }
  for (const auto& [list, from] : contained_in(id)) {
    if (list->kind != "fix-list" || !list->lists) continue;
    SourceRef where = from.article.empty() ? SourceRef{list->id, 0} : from;
    out.push_back({list->lists->edition, list->lists->service_pack, "fix-list", where, list->id});
  }
  return out;
}

std::vector<FileListing> Catalogue::listing(std::string_view file) const {
  const auto it = files_.find(ascii_lower(std::string(file)));
  return it == files_.end() ? std::vector<FileListing>{} : it->second;
}

}  // namespace hfa::kbdb
