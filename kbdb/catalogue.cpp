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
    by_id_.emplace(key(a.id), &a);  // ids are unique (the loader refuses duplicates)
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

const Article* Catalogue::find(std::string_view id) const {
  const auto it = by_id_.find(key(id));
  return it == by_id_.end() ? nullptr : it->second;
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
  if (const auto* a = find(id))
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

std::vector<std::string> describe_relations(const Catalogue& cat, const Article& a) {
  std::vector<std::string> out;
  auto src = [](const SourceRef& from) {
    const auto s = to_string(from);
    return s.empty() ? std::string() : " (" + s + ")";
  };
  auto title_of = [&](const std::string& id) {
    const auto* other = cat.find(id);
    return other ? " " + other->title : std::string(" (not in the database)");
  };
  out.push_back("kind: " + a.kind);
  if (a.lists)
    out.push_back("lists the fixes of Service Pack " + a.lists->service_pack +
                  (a.lists->edition ? " of " + std::string(to_string(*a.lists->edition)) : " of Windows NT 4.0"));
  auto edition_of = [](const ServicePackFix& f) {
    return f.edition ? " of " + std::string(to_string(*f.edition)) : std::string(" of Windows NT 4.0");
  };
  // Each member with the service packs that carry it, so that a roll-up's
  // reader sees at once which service pack makes it unnecessary.
  for (const auto& m : a.contains) {
    std::string carried;
    std::vector<std::string> seen;  // a fix list may name an article twice
    for (const auto& f : cat.service_packs(m.id)) {
      auto one = "SP" + f.service_pack + edition_of(f) + " (by " + f.source + (f.via.empty() ? "" : " " + f.via) + ")";
      if (std::find(seen.begin(), seen.end(), one) != seen.end()) continue;
      carried += (carried.empty() ? "; in " : ", ") + one;
      seen.push_back(std::move(one));
    }
    out.push_back("contains: " + m.id + title_of(m.id) + src(m.from) + carried);
  }
  for (const auto& [p, from] : cat.contained_in(a.id))
    out.push_back("contained in: " + p->id + " " + p->title + " [" + p->kind + "]" + src(from));
  for (const auto& m : a.supersedes) out.push_back("supersedes: " + m.id + title_of(m.id) + src(m.from));
  for (const auto& [s, from] : cat.superseded_by(a.id)) out.push_back("superseded by: " + s->id + " " + s->title + src(from));
  for (const auto& p : a.packages) out.push_back("package: " + p.id + " " + p.relation + " it" + src(p.from));
  for (const auto& f : cat.service_packs(a.id))
    out.push_back("fixing service pack: SP" + f.service_pack + edition_of(f) + ", by " + f.source +
                  (f.via.empty() ? "" : " " + f.via) + src(f.from));
  for (const auto& c : a.components) {
    std::string what;
    for (const auto& s : c.services) what += (what.empty() ? "service " : ", service ") + s;
    for (const auto& f : c.files) what += (what.empty() ? "file " : ", file ") + f;
    out.push_back("optional component: " + c.name + " (" + what + ")" + src(c.from));
  }
  for (const auto& s : a.settings)
    out.push_back("required setting: " + s.hive + "\\" + s.key + "\\" + s.value + " = " + s.data + src(s.from));
  std::vector<std::string> seen;
  for (const auto& r : a.files) {
    const std::string where = r.location.empty() ? "system32 (default search)" : "%SystemRoot%/" + r.location;
    const std::string loc = "file location: " + r.name + " in " + where;
    if (std::find(seen.begin(), seen.end(), loc) == seen.end()) {
      seen.push_back(loc);
      out.push_back(loc);
    }
  }
  // Later articles listing the same files: supersedence by build.
  std::vector<std::string> names;
  for (const auto& r : a.files)
    if (std::find_if(names.begin(), names.end(), [&](const std::string& n) { return iequals(n, r.name); }) == names.end())
      names.push_back(r.name);
  for (const auto& n : names) {
    std::vector<std::string> others;
    for (const auto& l : cat.listing(n))
      if (l.article != &a) {
        const std::string s = l.article->id + " (" + (l.row->version ? to_string(*l.row->version)
                                                                    : l.row->date ? to_string(*l.row->date) : "?") +
                              ", " + std::string(to_string(l.row->platform)) + ")";
        if (std::find(others.begin(), others.end(), s) == others.end()) others.push_back(s);
      }
    if (!others.empty()) {
      std::string line = "other articles listing " + n + " (by build): ";
      for (size_t i = 0; i < others.size(); ++i) line += (i ? ", " : "") + others[i];
      out.push_back(line);
    }
  }
  return out;
}

}  // namespace hfa::kbdb
