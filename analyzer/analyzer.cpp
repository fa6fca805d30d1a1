#include "analyzer/analyzer.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "analyzer/file_rows.h"
#include "core/text.h"

namespace hfa::analyzer {
using namespace detail;  // the file-row comparison (file_rows.h)

namespace {

std::string edition_name(kbdb::Edition e) {
  switch (e) {
    case kbdb::Edition::workstation:
      return "Workstation";
    case kbdb::Edition::server:
      return "Server";
    case kbdb::Edition::terminal_server:
      return "Terminal Server Edition";
  }
  return "";
}

std::string sp_name(const std::string& sp) { return sp == "0" ? "no service pack" : "SP" + sp; }

// Why the service pack is unknown, as decide_os_facts recorded it (no hive, no
// CurrentVersion key, a CSDVersion that names none).
std::string unknown_sp_why(const OsFacts& os) {
  if (const auto it = os.unknown.find("service_pack"); it != os.unknown.end())
    return "the service pack is unknown (" + it->second + ")";
  if (os.csd_version) return "the service pack is unknown (CSDVersion '" + *os.csd_version + "' names no service pack)";
  return "the service pack is unknown (no readable SOFTWARE hive)";
}

std::optional<kbdb::Edition> edition_of(const OsFacts& os) {
  if (os.terminal_server()) return kbdb::Edition::terminal_server;
  // "Terminal Server" in ProductSuite is TSE on NT 4.0 only: with the version
  // unknown, so is the edition.
  if (!os.version && os.suite_names_terminal_server()) return std::nullopt;
  if (!os.product) return std::nullopt;
  return *os.product == Product::workstation ? kbdb::Edition::workstation : kbdb::Edition::server;
}

// Whether the article concerns this installation as far as the OS facts tell.
struct Applicability {
  enum State { applies, excluded, undecided } state = applies;
  std::string why;
  std::vector<std::string> steps;  // what was checked, for the trace
};

// "version 4.0 (CurrentVersion '4.0' in WINNT/system32/config/SOFTWARE: ...)"
std::string cite(const TargetEvidence& t, std::string_view fact) {
  if (const auto* s = t.source(fact)) return "'" + s->value + "' (" + s->where + ")";
  return "unknown";
}

// Packages (kind "package") containing the article, with the source saying so.
std::vector<std::pair<const kbdb::Article*, kbdb::SourceRef>> packages_containing(const kbdb::Article& a,
                                                                                  const kbdb::Catalogue* cat) {
  std::vector<std::pair<const kbdb::Article*, kbdb::SourceRef>> out;
  if (!cat) return out;
  for (const auto& [p, from] : cat->contained_in(a.id))
    if (p->kind == "package") out.push_back({p, from});
  return out;
}

std::string source_text(const kbdb::SourceRef& from, const std::string& fallback) {
  const auto s = to_string(from);
  return s.empty() ? fallback : s;
}

bool applies_to_edition(const kbdb::Article& p, kbdb::Edition e) {
  return std::any_of(p.applies_to.begin(), p.applies_to.end(),
                     [&](const kbdb::AppliesTo& l) { return l.edition == e; });
}

// Whether the package `p` can be installed on this installation as far as its
// article says: for its edition and, where the article names service packs,
// on one of them (Q225095 is for Server SP4: an SP3 host cannot take it and an
// SP5 host would get older files back). An unknown edition or service pack
// does not rule it out.
bool installable_on(const kbdb::Article& p, const OsFacts& os) {
  const auto edition = edition_of(os);
  if (!edition || p.applies_to.empty()) return true;
  for (const auto& line : p.applies_to) {
    if (line.edition != *edition) continue;
    if (line.service_packs.empty() || !os.service_pack) return true;
    if (std::find(line.service_packs.begin(), line.service_packs.end(), *os.service_pack) != line.service_packs.end())
      return true;
  }
  return false;  // not for this edition, or not on its service pack
}

// Rule 9: SP6a re-released SP6 with the changes Q246009 names: its own rows,
// the files its text names (curated modules) and the tables of the fixes it
// contains (Q245678: afd.sys). An article that applies from SP6a also
// concerns SP6 when SP6a changed none of its files.
std::optional<std::string> sp6a_files_unchanged(const kbdb::Article& a, const kbdb::Catalogue* cat) {
  if (!cat) return std::nullopt;
  const auto* list = cat->find("Q246009");
  if (!list || a.files.empty()) return std::nullopt;
  std::vector<std::string> changed;
  std::vector<std::string> from;
  for (const auto& r : list->files) changed.push_back(r.name);
  if (!list->files.empty()) from.push_back("its own rows");
  for (const auto& m : list->modules) changed.push_back(m.path.substr(m.path.rfind('/') + 1));
  if (!list->modules.empty()) from.push_back("the files its text names");
  for (const auto& m : list->contains) {
    const auto* member = cat->find(m.id);
    // A member whose table is not in the database could have changed any file.
    if (!member) return std::nullopt;
    for (const auto& r : member->files) changed.push_back(r.name);
    from.push_back(m.id + "'s table (" + source_text(m.from, list->id) + ")");
  }
  if (changed.empty()) return std::nullopt;
  for (const auto& r : a.files)
    for (const auto& c : changed)
      if (iequals(r.name, c)) return std::nullopt;
  return "Q246009 lists what SP6a changed (" + join(from, "; ") + ": " + std::to_string(changed.size()) +
         " files), and none of this article's files";
}

Applicability check_applicability(const kbdb::Article& a, const TargetEvidence& t, const kbdb::Catalogue* cat) {
  const OsFacts& os = t.os;
  Applicability undecided;
  auto defer = [&](std::string why) {
    undecided.steps.push_back("undecided: " + why);
    if (undecided.state == Applicability::applies) {
      undecided.state = Applicability::undecided;
      undecided.why = std::move(why);
    }
  };
  auto step = [&](std::string text) { undecided.steps.push_back(std::move(text)); };
  auto exclude = [&](std::string why) {
    Applicability out{Applicability::excluded, why, undecided.steps};
    out.steps.push_back("excluded: " + why);
    return out;
  };

  if (!a.applies_to.empty()) {
    std::vector<const kbdb::AppliesTo*> same_os;
    std::set<std::string> versions;
    for (const auto& line : a.applies_to) {
      versions.insert(line.os_version);
      if (!os.version || line.os_version == *os.version) same_os.push_back(&line);
    }
    if (same_os.empty())
      return exclude("applies to Windows NT " + join({versions.begin(), versions.end()}) + "; this installation is " +
                     *os.version);
    step(os.version ? "OS version " + *os.version + " is one the article names (CurrentVersion " +
                          cite(t, "CurrentVersion") + ")"
                    : "OS version unknown: every line of the article kept");

    const auto edition = edition_of(os);
    std::vector<const kbdb::AppliesTo*> matching;
    std::vector<std::string> editions;
    for (const auto* line : same_os) {
      const auto name = edition_name(line->edition);
      if (std::find(editions.begin(), editions.end(), name) == editions.end()) editions.push_back(name);
      if (edition && line->edition == *edition) matching.push_back(line);
    }
    if (!edition) {
      defer("the product is unknown (no readable SYSTEM hive); the article applies to " + join(editions));
    } else if (matching.empty()) {
      // Rule 3: a package for this edition that contains the fix makes it concern this edition.
      std::string via;
      for (const auto& [p, from] : packages_containing(a, cat))
        if (applies_to_edition(*p, *edition)) {
          via = "package " + p->id + " (" + p->title + ") delivers it for " + edition_name(*edition) + " (" +
                source_text(from, p->id) + ")";
          break;
        }
      if (via.empty())
        return exclude("applies to " + join(editions) + "; this installation is " + edition_name(*edition));
      step("edition " + edition_name(*edition) + " is not one the article names (" + join(editions) + "), but " + via);
    } else {
      step("edition " + edition_name(*edition) + " is one the article names (" + join(editions) + ")");
      // The earliest service pack named; a line naming none applies to all.
      std::optional<std::string> minimum;
      bool every_sp = false;
      for (const auto* line : matching) {
        if (line->service_packs.empty()) every_sp = true;
        for (const auto& sp : line->service_packs)
          if (!minimum || compare_service_packs(sp, *minimum).value_or(0) < 0) minimum = sp;
      }
      if (!every_sp && minimum) {
        if (!os.service_pack) {
          defer(unknown_sp_why(os) + "; the article applies from " + sp_name(*minimum) + " on");
        } else {
          const auto cmp = compare_service_packs(*os.service_pack, *minimum);
          if (!cmp)
            defer("service pack '" + *os.service_pack + "' cannot be ordered against " + sp_name(*minimum));
          else if (*cmp < 0 && *minimum == "6a" && *os.service_pack == "6" && sp6a_files_unchanged(a, cat))
            step("the article applies from SP6a on, and to SP6 too: " + *sp6a_files_unchanged(a, cat));
          else if (*cmp < 0)
            return exclude("applies from " + sp_name(*minimum) + " on; this installation has " +
                           sp_name(*os.service_pack));
          else
            step(sp_name(*os.service_pack) + " is at or past " + sp_name(*minimum) +
                 ", the earliest service pack the article names for this edition");
        }
      } else {
        step("the article names no service pack for this edition: every service pack concerned");
      }
    }
  }

  if (!a.platforms.empty()) {
    std::vector<std::string> names;
    for (auto p : a.platforms) names.emplace_back(to_string(p));
    if (!os.platform)
      defer("the platform is unknown; the article applies to " + join(names));
    else if (std::find(a.platforms.begin(), a.platforms.end(), *os.platform) == a.platforms.end())
      return exclude("applies to " + join(names) + "; this installation is " + std::string(to_string(*os.platform)));
    else
      step("platform " + std::string(to_string(*os.platform)) + " is on the article's Hardware line (" + join(names) +
           ")");
  } else {
    step("the article has no Hardware line: every platform concerned");
  }
  return undecided;
}

std::vector<std::string> registrations(const kbdb::Article& a, const OsFacts& os, const kbdb::Catalogue* cat) {
  std::vector<std::string> found;
  auto installed = [&](const std::string& id) {
    return std::any_of(os.installed_hotfixes.begin(), os.installed_hotfixes.end(),
                       [&](const std::string& h) { return iequals(h, id); });
  };
  if (installed(a.id)) found.push_back(a.id);
  for (const auto& p : a.packages)
    if (installed(p.id)) found.push_back(p.id + " (" + p.relation + " the fix)");
  for (const auto& [p, from] : packages_containing(a, cat))
    if (installed(p->id)) found.push_back(p->id + " (contains the fix, " + source_text(from, p->id) + ")");
  return found;
}

std::string describe_article(const kbdb::Article& a) {
  std::vector<std::string> parts;
  for (const auto& l : a.applies_to) {
    std::string sps;
    for (const auto& sp : l.service_packs) sps += (sps.empty() ? " SP" : " ") + sp;
    parts.push_back("applies to " + edition_name(l.edition) + " " + l.os_version + sps);
  }
  std::vector<std::string> hw;
  for (auto p : a.platforms) hw.emplace_back(to_string(p));
  if (!hw.empty()) parts.push_back("hardware " + join(hw));
  for (const auto& f : a.fixed_in)
    parts.push_back("fixed in " + sp_name(f.service_pack) + (f.edition ? " of " + edition_name(*f.edition) : "") +
                    (f.source == "keywords" ? " (by its Keywords tag)" : ""));
  for (const auto& p : a.packages) parts.push_back("package " + p.id + " " + p.relation + " the fix");
  if (!a.files.empty()) parts.push_back(std::to_string(a.files.size()) + " file rows");
  if (!a.modules.empty()) parts.push_back(std::to_string(a.modules.size()) + " modules");
  return join(parts, "; ");
}

// The installation's facts as the analyzer reads them, each with its origin.
std::vector<std::string> os_steps(const TargetEvidence& t) {
  const auto& os = t.os;
  std::vector<std::string> out;
  out.push_back(
      "OS version " + os.version.value_or("unknown") + ", from CurrentVersion " + cite(t, "CurrentVersion") +
      (os.build ? "; build " + *os.build + ", from CurrentBuildNumber " + cite(t, "CurrentBuildNumber") : ""));
  out.push_back(
      "service pack " + (os.service_pack ? sp_name(*os.service_pack) : unknown_sp_why(os)) + ", from CSDVersion " +
      cite(t, "CSDVersion") +
      (os.service_pack == std::optional<std::string>("6a") ? " and hotfix Q246009 " + cite(t, "Q246009") : ""));
  const auto edition = edition_of(os);
  std::string ed = "edition " + (edition ? edition_name(*edition) : std::string("unknown")) + ", from ProductType " +
                   cite(t, "ProductType");
  if (t.source("ProductSuite")) ed += " and ProductSuite " + cite(t, "ProductSuite");
  if (os.kernel_version && is_tse_build(*os.kernel_version))
    ed += " and the kernel's Terminal Server Edition build " + cite(t, "kernel version");
  out.push_back(ed);
  out.push_back("platform " + (os.platform ? std::string(to_string(*os.platform)) : std::string("unknown")) +
                ", from " + (t.source("platform") ? t.source("platform")->where : std::string("nothing readable")));
  for (const auto& k : t.kernels) out.push_back("kernel booted: " + k.file + " (" + k.why + ")");
  return out;
}

std::string registration_step(const kbdb::Article& a, const TargetEvidence& t, const kbdb::Catalogue* cat) {
  std::vector<std::string> ids{a.id};
  for (const auto& p : a.packages) ids.push_back(p.id + " (" + p.relation + " the fix)");
  for (const auto& [p, from] : packages_containing(a, cat))
    ids.push_back(p->id + " (contains the fix, " + source_text(from, p->id) + ")");
  const auto found = registrations(a, t.os, cat);
  const auto* where = t.source("installed hotfixes");
  return "hotfix registrations looked for: " + join(ids) + " in " +
         (where ? where->where + " (registered: " + (where->value.empty() ? "none" : where->value) + ")"
                : std::string("no readable SOFTWARE hive")) +
         "; found " + (found.empty() ? std::string("none") : join(found));
}

std::vector<kbdb::FileListing> later_listings(const kbdb::Article& a, const kbdb::FileRow& row,
                                              const kbdb::Catalogue* cat);
Remedy remediation_for(const kbdb::Article& a, const TargetEvidence& t, const kbdb::Catalogue* cat,
                       const std::vector<const kbdb::FileRow*>& older_rows);

// Rule 4: an installed file that is a later article's build, in words.
std::optional<std::string> later_build_note(const kbdb::Article& a, const EvidenceRow& r, const kbdb::Catalogue* cat) {
  if (!r.required_row || !r.found.pe || (r.status != RowStatus::newer && r.status != RowStatus::exact))
    return std::nullopt;
  const auto& pe = *r.found.pe;
  std::optional<std::string> match;
  for (const auto& l : later_listings(a, *r.required_row, cat)) {
    const auto& row = *l.row;
    const bool same_version = row.version && pe.file_version && *row.version == *pe.file_version;
    const bool same_build =
        !row.version && row.size && *row.size == r.found.size && row.date && r.found.modified &&
        std::llabs(*r.found.modified - to_unix_seconds(*row.date, row.time.value_or(TimeOfDay{}))) <=
            kZoneAllowanceSeconds;
    if (same_version || same_build)
      match = (r.judged.empty() ? r.file : r.judged) + ": fixed by the later hotfix " + l.article->id + "'s build (" +
              (same_version ? "version " + to_string(*row.version)
                            : std::to_string(*row.size) + " bytes, " + to_string(*row.date)) +
              (l.article->source.empty() ? "" : ", " + l.article->source) + ")";
  }
  return match;
}

void judge_file_table(const kbdb::Article& a, const TargetEvidence& t, const kbdb::Catalogue* cat, Finding& out) {
  for (const auto& r : out.evidence) {
    if (auto note = later_build_note(a, r, cat))
      out.notes.push_back(std::move(*note));
    else if (auto much = much_newer_note(r))
      out.notes.push_back(std::move(*much));
  }
  std::vector<std::string> older, unreadable, good;
  for (const auto& r : out.evidence) {
    if (r.status == RowStatus::older || r.status == RowStatus::time_reset) older.push_back(r.file);
    if (r.status == RowStatus::unreadable || r.status == RowStatus::other_edition)
      unreadable.push_back((r.judged.empty() ? r.file : r.judged) + ": " + r.note);
    if (r.status == RowStatus::exact || r.status == RowStatus::newer) good.push_back(r.file);
  }
  const auto registered = registrations(a, t.os, cat);
  const std::string reg_text = registered.empty() ? "" : "registered as installed: " + join(registered);
  if (!older.empty()) {
    const auto which = describe_rows(out.evidence, {RowStatus::older, RowStatus::time_reset});
    if (!registered.empty()) {
      out.status = Status::inconsistent;
      out.reason = reg_text + ", but older than the fix: " + which;
    } else {
      out.status = Status::missing;
      out.reason = "older than the fix: " + which;
      std::vector<const kbdb::FileRow*> older_rows;
      for (const auto& r : out.evidence)
        if ((r.status == RowStatus::older || r.status == RowStatus::time_reset) && r.required_row)
          for (const auto& row : a.files)
            if (row.name == r.required_row->name && row.platform == r.required_row->platform &&
                row.version == r.required_row->version && row.date == r.required_row->date)
              older_rows.push_back(&row);
      out.remediation = remediation_for(a, t, cat, older_rows);
    }
    return;
  }
  if (!unreadable.empty()) {
    out.status = Status::unknown;
    out.reason = "cannot compare " + join(unreadable, "; ");
    return;
  }
  out.status = Status::fixed;
  out.reason =
      "every installed file at or past the fix: " + describe_rows(out.evidence, {RowStatus::exact, RowStatus::newer}) +
      (registered.empty() ? "" : "; " + reg_text);
}

// Every service pack said to carry the article: its own <fixed-in> lines,
// and with a catalogue the fix lists containing it (rule 2).
std::vector<kbdb::ServicePackFix> fixing_service_packs(const kbdb::Article& a, const kbdb::Catalogue* cat) {
  if (cat) return cat->service_packs(a.id);
  std::vector<kbdb::ServicePackFix> out;
  for (const auto& f : a.fixed_in) out.push_back({f.edition, f.service_pack, f.source, f.from, ""});
  return out;
}

// The earliest service pack of the installation's line that carries the fix.
std::optional<kbdb::ServicePackFix> fix_for_line(const std::vector<kbdb::ServicePackFix>& sps, const OsFacts& os) {
  const auto edition = edition_of(os);
  const bool target_tse = edition && *edition == kbdb::Edition::terminal_server;
  std::optional<kbdb::ServicePackFix> best;
  for (const auto& f : sps) {
    const bool tse_line = f.edition && *f.edition == kbdb::Edition::terminal_server;
    if (tse_line != target_tse || (f.edition && edition && *f.edition != *edition)) continue;
    if (!best || compare_service_packs(f.service_pack, best->service_pack).value_or(0) < 0) best = f;
  }
  return best;
}

std::string fix_source_text(const kbdb::ServicePackFix& f, const std::string& article) {
  const std::string where = to_string(f.from);
  if (f.source == "keywords") return " (by the article's Keywords tag" + (where.empty() ? "" : ", " + where) + ")";
  if (f.source == "fix-list") return " (by the fix list " + f.via + (where.empty() ? "" : ", " + where) + ")";
  if (f.source == "package") return " (by the package " + f.via + (where.empty() ? "" : ", " + where) + ")";
  return where.empty() || where == article ? "" : " (" + where + ")";
}

void judge_service_pack(const kbdb::Article& a, const TargetEvidence& t, const kbdb::Catalogue* cat, Finding& out) {
  const auto edition = edition_of(t.os);
  const auto fix = fix_for_line(fixing_service_packs(a, cat), t.os);
  if (!fix) {
    out.status = Status::unknown;
    out.reason = "the article names no fixing service pack for " +
                 (edition ? edition_name(*edition) : std::string("this edition"));
    return;
  }
  for (auto& r : out.evidence) r.required_service_pack = fix->service_pack;
  const std::string source = fix_source_text(*fix, a.id);
  const std::string line = (fix->edition ? " of " + edition_name(*fix->edition) : "") + source;
  out.trace.push_back("fixing service pack: " + sp_name(fix->service_pack) +
                      (fix->edition ? line + " (its own service-pack line)" : " of Windows NT 4.0" + source) +
                      ", the line for " + (edition ? edition_name(*edition) : std::string("an unknown edition")));
  if (!t.os.service_pack) {
    out.status = Status::unknown;
    out.reason = unknown_sp_why(t.os) + "; fixed in " + sp_name(fix->service_pack) + line;
    return;
  }
  const auto cmp = compare_service_packs(*t.os.service_pack, fix->service_pack);
  if (!cmp) {
    out.status = Status::unknown;
    out.reason = "service pack '" + *t.os.service_pack + "' cannot be ordered against " + sp_name(fix->service_pack);
  } else if (*cmp >= 0) {
    out.status = Status::fixed;
    out.reason = sp_name(*t.os.service_pack) + " is at or past " + sp_name(fix->service_pack) + line +
                 ", which first corrected it";
  } else if (const auto reg = registrations(a, t.os, cat); !reg.empty()) {
    // The individual update may be there, but the article prints no file
    // attributes to prove it: neither fixed nor missing can be shown.
    out.status = Status::unknown;
    out.reason = "registered as installed: " + join(reg) + ", which the article gives no file attributes to verify; " +
                 sp_name(*t.os.service_pack) + " is before " + sp_name(fix->service_pack) + line;
  } else {
    out.status = Status::missing;
    out.reason =
        sp_name(*t.os.service_pack) + " is before " + sp_name(fix->service_pack) + line + ", which first corrected it";
  }
}

// Rule 4 (supersedence): rows of later articles listing the same file for the
// same platform and line, newest last.
std::vector<kbdb::FileListing> later_listings(const kbdb::Article& a, const kbdb::FileRow& row,
                                              const kbdb::Catalogue* cat) {
  std::vector<kbdb::FileListing> out;
  if (!cat) return out;
  const bool line_tse = row.version ? is_tse_build(*row.version) : tse_row(a, row);
  // The listing is ordered by build; `later` below picks the rows past this one
  // (the row may be a copy, so it is compared by value, not found by address).
  for (const auto& l : cat->listing(row.name)) {
    if (l.article->id == a.id || l.row->platform != row.platform) continue;
    const bool l_tse = l.row->version ? is_tse_build(*l.row->version) : tse_row(*l.article, *l.row);
    if (l_tse != line_tse) continue;
    const bool later = (row.version && l.row->version)
                           ? *row.version < *l.row->version
                           : (row.date && l.row->date && to_unix_seconds(*row.date) < to_unix_seconds(*l.row->date));
    if (later) out.push_back(l);
  }
  return out;
}

// The smallest thing to install that fixes a missing finding, with its source.
Remedy remediation_for(const kbdb::Article& a, const TargetEvidence& t, const kbdb::Catalogue* cat,
                       const std::vector<const kbdb::FileRow*>& older_rows) {
  const auto fix = fix_for_line(fixing_service_packs(a, cat), t.os);
  // A roll-up is carried by the service packs of the line when each fix it
  // contains is (Q225095's three spooler fixes are all in SP6).
  bool carried = fix.has_value();
  if (!carried && cat && !a.contains.empty())
    carried = std::all_of(a.contains.begin(), a.contains.end(), [&](const kbdb::Member& m) {
      const auto* c = cat->find(m.id);
      return c && fix_for_line(fixing_service_packs(*c, cat), t.os).has_value();
    });
  auto remedy = [carried](RemedyKind kind, std::string id, std::string title, std::string source, std::string text) {
    Remedy r{kind, std::move(id), std::move(title), std::move(source), std::move(text)};
    r.carried_by_service_pack = kind != RemedyKind::service_pack && carried;
    return r;
  };
  // The newest hotfix listing an older file supersedes this one's build.
  std::optional<kbdb::FileListing> newest;
  for (const auto* r : older_rows) {
    const auto later = later_listings(a, *r, cat);
    if (!later.empty()) {
      newest = later.back();
      break;
    }
  }
  if (newest) {
    const auto* n = newest->article;
    for (const auto& [p, from] : packages_containing(*n, cat))
      if (installable_on(*p, t.os))
        return remedy(RemedyKind::package, p->id, p->title, source_text(from, p->id),
                      "install the package " + p->id + " (" + p->title + "), which contains " + n->id +
                          ", the newest hotfix listing " + newest->row->name + " (" + source_text(from, p->id) + ")");
    return remedy(RemedyKind::hotfix, n->id, n->title, n->source,
                  "install the hotfix " + n->id + " (" + n->title + "), the newest listing " + newest->row->name +
                      " (its build supersedes " + a.id + "'s" + (n->source.empty() ? "" : "; " + n->source) + ")");
  }
  if (cat)
    for (const auto& [s, from] : cat->superseded_by(a.id))
      return remedy(RemedyKind::hotfix, s->id, s->title, source_text(from, s->id),
                    "install the hotfix " + s->id + " (" + s->title + "), which supersedes " + a.id + " (" +
                        source_text(from, s->id) + ")");
  for (const auto& [p, from] : packages_containing(a, cat))
    if (installable_on(*p, t.os))
      return remedy(RemedyKind::package, p->id, p->title, source_text(from, p->id),
                    "install the package " + p->id + " (" + p->title + "), which contains " + a.id + " (" +
                        source_text(from, p->id) + ")");
  for (const auto& p : a.packages)
    if (p.relation == "delivers") {
      // The package's own article, where the catalogue has it, says where it installs.
      if (const auto* article = cat ? cat->find(p.id) : nullptr; article && !installable_on(*article, t.os)) continue;
      const std::string where = to_string(p.from).empty() ? a.id : to_string(p.from);
      return remedy(RemedyKind::package, p.id, p.title, where,
                    "install the package " + p.id + (p.title.empty() ? "" : " (" + p.title + ")") +
                        ", which delivers " + a.id + " (" + where + ")");
    }
  if (fix) {
    const std::string title =
        (fix->service_pack == "0" ? std::string("no service pack") : "Service Pack " + fix->service_pack) +
        (fix->edition ? " of " + edition_name(*fix->edition) : "");
    const std::string source = fix_source_text(*fix, a.id);
    return remedy(RemedyKind::service_pack, "SP" + fix->service_pack, title,
                  to_string(fix->from).empty() ? a.id : to_string(fix->from),
                  "install " + title + " or later" + source);
  }
  // A roll-up is installed as the package it is.
  const auto kind = a.contains.empty() ? RemedyKind::hotfix : RemedyKind::package;
  return remedy(
      kind, a.id, a.title, "",
      "install the " + std::string(kind == RemedyKind::package ? "package " : "hotfix ") + a.id + " (" + a.title + ")");
}

}  // namespace

bool counts_against(Status s) { return s == Status::missing || s == Status::inconsistent || s == Status::unknown; }

std::optional<Status> status_from_string(std::string_view s) {
  for (auto st : kAllStatuses)
    if (s == to_string(st)) return st;
  return std::nullopt;
}

std::string_view to_string(Status s) {
  switch (s) {
    case Status::fixed:
      return "fixed";
    case Status::missing:
      return "missing";
    case Status::not_applicable:
      return "not-applicable";
    case Status::inconsistent:
      return "inconsistent";
    case Status::unknown:
      return "unknown";
    case Status::waived:
      return "waived";
  }
  return "unknown";
}

std::string_view to_string(RowStatus s) {
  switch (s) {
    case RowStatus::exact:
      return "exact";
    case RowStatus::newer:
      return "newer";
    case RowStatus::older:
      return "older";
    case RowStatus::time_reset:
      return "time-reset";
    case RowStatus::absent:
      return "absent";
    case RowStatus::unreadable:
      return "unreadable";
    case RowStatus::present:
      return "present";
    case RowStatus::other_edition:
      return "other-edition";
  }
  return "absent";
}

namespace {

// Rule 5: an optional component the installation does not have, and the
// evidence that says so; nullopt when it is installed or cannot be told.
std::optional<std::string> absent_component(const kbdb::OptionalComponent& c, const TargetEvidence& t) {
  std::vector<std::string> evidence;
  if (!c.services.empty()) {
    if (!t.services) return std::nullopt;  // no SYSTEM hive: a service cannot be known absent
    for (const auto& s : c.services) {
      if (t.has_service(s)) return std::nullopt;
      evidence.push_back("no " + s + " key under " + t.services_where);
    }
  }
  for (const auto& f : c.files) {
    const auto* fact = t.file(f);
    if (!fact) return std::nullopt;  // not looked for: cannot be told
    if (fact->present) return std::nullopt;
    evidence.push_back(f + " absent");
  }
  return "the optional component " + c.name + " is not installed (" + join(evidence, "; ") + ")" +
         (to_string(c.from).empty() ? "" : "; the article concerns it (" + to_string(c.from) + ")");
}

// Whether a value read (REG_DWORD in decimal, or a string) is the data an
// article gives: articles write numbers in decimal or in hexadecimal ("1F4",
// "0x1f4"), as regedt32 shows them.
bool same_data(const std::string& wanted, const std::string& read) {
  if (iequals(wanted, read)) return true;
  auto number = [](std::string s, int base) -> std::optional<unsigned long long> {
    if (base == 16 && s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s = s.substr(2);
    if (s.empty() || s.size() > 16) return std::nullopt;
    for (char c : s)
      if (!std::isxdigit(static_cast<unsigned char>(c)) || (base == 10 && !std::isdigit(static_cast<unsigned char>(c))))
        return std::nullopt;
    return std::stoull(s, nullptr, base);
  };
  const auto got = number(read, 10);
  if (!got) return false;
  // All digits is decimal; hexadecimal only when it says so by its letters or 0x.
  if (const auto as_decimal = number(wanted, 10)) return *as_decimal == *got;
  const auto as_hex = number(wanted, 16);
  return as_hex && *as_hex == *got;
}

// Rule 8: the registry values a fixed article needs, as notes when absent or different.
std::vector<std::string> setting_notes(const kbdb::Article& a, const TargetEvidence& t) {
  std::vector<std::string> notes;
  for (const auto& s : a.settings) {
    const std::string name = s.hive + "\\" + s.key + "\\" + s.value;
    const std::string src = to_string(s.from).empty() ? a.id : to_string(s.from);
    const auto* v = t.registry_value(s.hive, s.key, s.value);
    if (!v)
      notes.push_back("the fix takes effect only with " + name + " = " + s.data + " (" + src +
                      "); the value was not examined");
    else if (!v->hive_read)
      notes.push_back("the fix takes effect only with " + name + " = " + s.data + " (" + src +
                      "); the value could not be read (" +
                      (v->problem.empty() ? "no readable " + s.hive + " hive" : v->problem) + ")");
    else if (!v->data)
      notes.push_back("the fix takes effect only with " + name + " = " + s.data + " (" + src +
                      "); the value is absent (" + v->where + ")");
    else if (!same_data(s.data, *v->data))
      notes.push_back("the fix takes effect only with " + name + " = " + s.data + " (" + src + "); it is " + *v->data +
                      " (" + v->where + ")");
  }
  return notes;
}

}  // namespace

std::string wanted_name(const kbdb::FileRow& row) {
  return row.location.empty() ? row.name : row.location + "/" + row.name;
}

Finding analyze_article(const kbdb::Article& a, const TargetEvidence& t, const kbdb::Catalogue* cat) {
  Finding out;
  out.kb = a.id;
  out.title = a.title;
  auto& trace = out.trace;
  trace.push_back("article " + a.id + " (" + a.title + ")" + (a.source.empty() ? "" : ", from " + a.source) + ": " +
                  describe_article(a));
  for (auto& line : os_steps(t)) trace.push_back(std::move(line));
  // A service pack's fix list is not a fix: it only says which fixes the
  // service pack contains (the catalogue gives that to each article it
  // names), so it has nothing of its own to find installed or missing, and
  // must not count against compliance as an unknown would.
  if (a.kind == "fix-list" && a.files.empty()) {
    out.status = Status::not_applicable;
    out.reason = "a list of the fixes a service pack contains, not a fix: each article it lists is judged on its own";
    trace.push_back("rule: " + out.reason);
    return out;
  }
  // Decided on the OS facts alone; applied after the files are looked at, so
  // that a not-applicable finding still shows what is installed.
  const auto applicability = check_applicability(a, t, cat);
  for (const auto& step : applicability.steps) trace.push_back("applicability: " + step);

  // Rows of this platform and edition line; all rows when the platform is
  // unknown, so that the presence of the files is still shown.
  const auto edition = edition_of(t.os);
  const bool target_tse = edition && *edition == kbdb::Edition::terminal_server;
  std::vector<const kbdb::FileRow*> rows;
  bool other_platform_rows = false, other_edition_rows = false;
  for (const auto& r : a.files) {
    const std::string label = "row " + row_text(r) + ": ";
    if (t.os.platform && r.platform != *t.os.platform) {
      other_platform_rows = true;
      trace.push_back(label + "skipped, a row for " + std::string(to_string(r.platform)) + "; this installation is " +
                      std::string(to_string(*t.os.platform)));
    } else if (tse_row(a, r) != target_tse) {
      other_edition_rows = true;
      trace.push_back(label + "skipped, a " + (tse_row(a, r) ? "Terminal Server Edition" : "standard Windows NT") +
                      " row; this installation is " + (target_tse ? "Terminal Server Edition" : "standard Windows NT") +
                      " (TSE builds are never compared with standard rows)");
    } else {
      rows.push_back(&r);
    }
  }
  auto has_row_for = [&](const std::string& file) {
    return std::any_of(rows.begin(), rows.end(), [&](const kbdb::FileRow* r) { return iequals(r->name, file); });
  };
  auto add_compared = [&](const kbdb::FileRow& r, const std::string& file, const std::string& why) {
    auto e = compare_row(r, found_or_absent(t, file), tse_row(a, r));
    std::string label = "row " + row_text(r) + ": ";
    if (!iequals(file, r.name) && !iequals(file, wanted_name(r))) {
      e.judged = file;
      e.note = "judged " + file + " (" + why + "): " + e.note;
      label += "judged " + file + ", " + why + "; ";
    } else if (!why.empty()) {
      label += "kernel " + file + " (" + why + "); ";
    }
    trace.push_back(label + "found " + found_text(e.found) + " -> " + std::string(to_string(e.status)) +
                    (e.status == RowStatus::absent ? "" : ": " + e.note));
    out.evidence.push_back(std::move(e));
  };
  auto booted = [&](const std::string& file) {
    return std::any_of(t.kernels.begin(), t.kernels.end(), [&](const BootKernel& k) { return iequals(k.file, file); });
  };
  for (const auto* r : rows) {
    // A kernel file that no boot entry loads is not what the machine runs (a
    // hotfix may leave a stale ntkrnlmp.exe on a uniprocessor machine): not
    // judged.
    if (!t.kernels.empty() && iequals(r->name, "ntkrnlmp.exe") && !booted(r->name)) {
      trace.push_back("row " + row_text(*r) + ": skipped, ntkrnlmp.exe is not a kernel this installation boots");
      continue;
    }
    // A Ntoskrnl.exe row judges the kernel the installation boots.
    if (iequals(r->name, "ntoskrnl.exe") && !t.kernels.empty()) {
      for (const auto& k : t.kernels) {
        if (!iequals(k.file, r->name) && has_row_for(k.file)) {
          trace.push_back("kernel " + k.file + " (" + k.why + ") is judged by its own row");
          continue;
        }
        add_compared(*r, k.file, k.why);
      }
      continue;
    }
    add_compared(*r, wanted_name(*r), "");
  }
  if (a.files.empty()) {
    for (const auto& m : a.modules) {
      EvidenceRow e;
      e.file = m.path;
      e.found = found_or_absent(t, m.path);
      e.status = e.found.present ? RowStatus::present : RowStatus::absent;
      e.note = e.found.present ? "" : "not installed";
      trace.push_back("module " + m.path + (m.curated ? " (added by hand: the article names no file)" : "") +
                      ": found " + found_text(e.found));
      out.evidence.push_back(std::move(e));
    }
  }
  // With no rows of this platform, the other platforms' files still tell
  // whether the component is installed at all.
  std::vector<std::string> looked_for;
  bool any_present = false;
  for (const auto& e : out.evidence) {
    looked_for.push_back(e.judged.empty() ? e.file : e.judged);
    any_present = any_present || e.found.present;
  }
  if (rows.empty() && (other_platform_rows || other_edition_rows)) {
    for (const auto& r : a.files) {
      if (std::find(looked_for.begin(), looked_for.end(), r.name) != looked_for.end()) continue;
      looked_for.push_back(r.name);
      EvidenceRow e;
      e.file = r.name;
      e.found = found_or_absent(t, r.name);
      e.status = e.found.present ? RowStatus::present : RowStatus::absent;
      e.note = e.found.present ? "installed; the article gives no row of this installation's platform and edition "
                                 "to compare it with"
                               : "not installed";
      trace.push_back("file " + r.name + " (no row to compare it with): found " + found_text(e.found));
      any_present = any_present || e.found.present;
      out.evidence.push_back(std::move(e));
    }
  }

  auto decide = [&](Status status, std::string reason, const std::string& rule) {
    out.status = status;
    out.reason = std::move(reason);
    trace.push_back("verdict: " + std::string(to_string(out.status)) + ", by " + rule + ": " + out.reason);
  };
  if (applicability.state == Applicability::excluded) {
    decide(Status::not_applicable, applicability.why, "rule 1 (outside the article)");
    return out;
  }
  for (const auto& c : a.components) {
    if (const auto why = absent_component(c, t)) {
      decide(Status::not_applicable, *why, "rule 6b (optional component absent)");
      return out;
    }
    trace.push_back("optional component " + c.name + ": installed or not decidable from the evidence");
  }
  if (!looked_for.empty() && !any_present) {
    decide(Status::not_applicable, "none of its files is installed (looked for " + join(looked_for) + ")",
           "rule 2 (nothing installed)");
    return out;
  }
  if (applicability.state == Applicability::undecided) {
    decide(Status::unknown, applicability.why, "rule 3 (a fact is missing)");
    return out;
  }
  trace.push_back(registration_step(a, t, cat));
  const auto sps = fixing_service_packs(a, cat);
  if (!rows.empty()) {
    judge_file_table(a, t, cat, out);
    decide(out.status, out.reason, "rule 4 (file table)");
  } else if ((other_platform_rows || other_edition_rows) && fix_for_line(sps, t.os)) {
    // The table cannot decide for this platform or edition; a service pack of
    // this line that carries the fix can (rule 5 through the catalogue).
    trace.push_back("no row of this installation's platform and edition: judged by the service pack of its line");
    judge_service_pack(a, t, cat, out);
    decide(out.status, out.reason, "rule 5 (service pack, the table having no row for this installation)");
  } else if (other_platform_rows && !other_edition_rows) {
    std::set<std::string> listed;
    for (const auto& r : a.files) listed.insert(std::string(to_string(r.platform)));
    decide(Status::unknown,
           "the article's file table has no " + std::string(to_string(*t.os.platform)) + " rows (only " +
               join({listed.begin(), listed.end()}) + "): the fix cannot be verified",
           "rule 4 (file table, no row of this platform)");
  } else if (other_edition_rows) {
    decide(Status::unknown,
           std::string("the article's file table has no ") +
               (target_tse ? "Terminal Server Edition" : "standard Windows NT") + " rows for " +
               (t.os.platform ? std::string(to_string(*t.os.platform)) : std::string("this platform")) +
               ": the fix cannot be verified",
           "rule 4 (file table, no row of this edition)");
  } else if (!sps.empty()) {
    judge_service_pack(a, t, cat, out);
    decide(out.status, out.reason, "rule 5 (service-pack article)");
  } else {
    decide(Status::unknown, "the database gives neither file attributes nor a fixing service pack",
           "rule 4 (nothing to compare)");
  }
  if (out.status == Status::fixed)
    for (auto& n : setting_notes(a, t)) out.notes.push_back(std::move(n));
  if (counts_against(out.status) && !out.remediation) out.remediation = remediation_for(a, t, cat, {});
  if (out.remediation) trace.push_back("remediation: " + out.remediation->text);
  for (const auto& n : out.notes) trace.push_back("note: " + n);
  return out;
}

namespace {

// Rule 1: a roll-up (a package, or any fix that contains others) and its
// components never contradict each other. A roll-up whose own rows cannot
// decide follows its components; a roll-up fixed by its own files fixes the
// components it contains.
void reconcile_rollups(const kbdb::Catalogue& cat, std::vector<Finding>& findings) {
  // By id, once: a package may name dozens of articles, a profile thousands.
  std::map<std::string, Finding*> by_id;
  for (auto& f : findings) by_id.emplace(ascii_upper(f.kb), &f);
  auto finding = [&](const std::string& id) -> Finding* {
    const auto it = by_id.find(ascii_upper(id));
    return it == by_id.end() ? nullptr : it->second;
  };
  for (const auto& a : cat.db().articles) {
    if (a.kind == "fix-list" || a.contains.empty()) continue;
    Finding* roll = finding(a.id);
    if (!roll) continue;
    std::vector<std::pair<Finding*, const kbdb::Member*>> parts;
    for (const auto& m : a.contains)
      if (Finding* f = finding(m.id)) parts.push_back({f, &m});
    if (parts.empty()) continue;
    auto named = [&](Status st) {
      std::vector<std::string> ids;
      for (const auto& [f, m] : parts)
        if (f->status == st) ids.push_back(f->kb + " (" + f->reason + ")");
      return ids;
    };
    const bool own_rows_decided = roll->status == Status::fixed && !roll->evidence.empty() &&
                                  std::any_of(roll->evidence.begin(), roll->evidence.end(), [](const EvidenceRow& r) {
                                    return r.status == RowStatus::exact || r.status == RowStatus::newer;
                                  });
    if (own_rows_decided) {
      for (auto& [f, m] : parts) {
        if (f->status != Status::missing) continue;
        f->status = Status::fixed;
        f->remediation.reset();
        f->reason = "contained in the roll-up " + a.id + " (" + source_text(m->from, a.id) +
                    "), whose files on this installation are at or past its rows; " + f->reason;
        f->trace.push_back("verdict: fixed, by rule 7 (roll-up " + a.id + " installed): " + f->reason);
      }
      continue;
    }
    if (roll->status != Status::unknown && roll->status != Status::missing) continue;
    const auto missing = named(Status::missing);
    const auto fixed = named(Status::fixed);
    std::string rule;
    if (!missing.empty() && roll->status != Status::missing) {
      roll->status = Status::missing;
      roll->reason = "its components are missing: " + join(missing, "; ");
      for (auto& [f, m] : parts)
        if (f->status == Status::missing && f->remediation) {
          roll->remediation = f->remediation;
          break;
        }
      rule = "missing";
    } else if (missing.empty() && fixed.size() == parts.size() && roll->status == Status::unknown) {
      roll->status = Status::fixed;
      roll->reason = "its own rows cannot decide (" + roll->reason +
                     "); every component it contains is fixed: " + join(fixed, "; ");
      rule = "fixed";
    } else if (roll->status == Status::missing && missing.empty() && fixed.size() == parts.size()) {
      // Its own files are older, yet every component is fixed by a service
      // pack: the components' fixes are there; say both.
      roll->notes.push_back("every component it contains is fixed: " + join(fixed, "; ") +
                            "; its own files are older than its rows");
      continue;
    }
    if (rule.empty()) continue;
    std::vector<std::string> srcs;
    for (const auto& [f, m] : parts) srcs.push_back(m->id + " (" + source_text(m->from, a.id) + ")");
    roll->trace.push_back("roll-up components: " + join(srcs));
    roll->trace.push_back("verdict: " + std::string(to_string(roll->status)) +
                          ", by rule 7 (a roll-up follows its components): " + roll->reason);
    if (!counts_against(roll->status)) roll->remediation.reset();
  }
}

}  // namespace

std::vector<Finding> analyze(const kbdb::Database& db, const TargetEvidence& target) {
  std::vector<Finding> out;
  out.reserve(db.articles.size());
  const kbdb::Catalogue catalogue(db);
  for (const auto& a : db.articles) out.push_back(analyze_article(a, target, &catalogue));
  reconcile_rollups(catalogue, out);
  // Q-numbers in numeric order, so that two audits diff cleanly whatever the
  // order in which --db files added articles.
  std::stable_sort(out.begin(), out.end(), [](const Finding& x, const Finding& y) { return kb_less(x.kb, y.kb); });
  return out;
}

std::vector<kbdb::RequiredSetting> settings_of_interest(const kbdb::Database& db) {
  std::vector<kbdb::RequiredSetting> out;
  for (const auto& a : db.articles)
    for (const auto& s : a.settings) {
      const bool seen = std::any_of(out.begin(), out.end(), [&](const kbdb::RequiredSetting& o) {
        return iequals(o.hive, s.hive) && iequals(o.key, s.key) && iequals(o.value, s.value);
      });
      if (!seen) out.push_back(s);
    }
  return out;
}

std::vector<std::string> files_of_interest(const kbdb::Database& db) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  auto add = [&](const std::string& n) {
    if (seen.insert(ascii_lower(n)).second) names.push_back(n);
  };
  for (const auto& a : db.articles) {
    for (const auto& r : a.files) add(wanted_name(r));
    for (const auto& m : a.modules) add(m.path);
    for (const auto& c : a.components)
      for (const auto& f : c.files) add(f);
  }
  std::sort(names.begin(), names.end(),
            [](const std::string& x, const std::string& y) { return ascii_lower(x) < ascii_lower(y); });
  return names;
}

}  // namespace hfa::analyzer
