#include "analyzer/analyzer.h"

#include <algorithm>
#include <cctype>
#include <set>
#include "core/text.h"

namespace hfa::analyzer {
namespace {



std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

std::string edition_name(kbdb::Edition e) {
  switch (e) {
    case kbdb::Edition::workstation: return "Workstation";
    case kbdb::Edition::server: return "Server";
    case kbdb::Edition::terminal_server: return "Terminal Server Edition";
  }
  return "";
}

std::string sp_name(const std::string& sp) { return sp == "0" ? "no service pack" : "SP" + sp; }

// Why the service pack is unknown: no hive, or a CSDVersion that names none.
std::string unknown_sp_why(const OsFacts& os) {
  if (os.csd_version)
    return "the service pack is unknown (CSDVersion '" + *os.csd_version + "' names no service pack)";
  return "the service pack is unknown (no readable SOFTWARE hive)";
}

std::optional<kbdb::Edition> edition_of(const OsFacts& os) {
  if (os.terminal_server()) return kbdb::Edition::terminal_server;
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

Applicability check_applicability(const kbdb::Article& a, const TargetEvidence& t) {
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
    step(os.version ? "OS version " + *os.version + " is one the article names (CurrentVersion " + cite(t, "CurrentVersion") + ")"
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
      return exclude("applies to " + join(editions) + "; this installation is " + edition_name(*edition));
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

FileFact found_or_absent(const TargetEvidence& t, const std::string& wanted) {
  if (const auto* f = t.file(wanted)) return *f;
  FileFact absent;
  absent.wanted = wanted;
  return absent;
}

// Why a present file cannot be compared, or "" when it can.
std::string unreadable_reason(const FileFact& f) {
  if (!f.error.empty()) return f.error;
  if (!f.pe) return "not read";
  if (!pe::is_pe(f.pe->kind))
    return "not a PE image (" + pe::to_string(f.pe->kind) + ")" +
           (f.pe->problem.empty() ? "" : ": " + f.pe->problem);
  return "";
}

// A row of a Terminal Server Edition table: its section names TSE, or the
// article concerns TSE alone. Every other row is a standard one.
bool tse_row(const kbdb::Article& a, const kbdb::FileRow& r) {
  if (!r.section.empty()) return ascii_lower(r.section).find("terminal server") != std::string::npos;
  return !a.applies_to.empty() && std::all_of(a.applies_to.begin(), a.applies_to.end(), [](const kbdb::AppliesTo& l) {
    return l.edition == kbdb::Edition::terminal_server;
  });
}

std::string row_text(const kbdb::FileRow& row) {
  std::string s = row.name + " " + std::string(to_string(row.platform)) + ", " +
                  (row.date ? to_string(*row.date) : std::string("no readable date"));
  if (row.time) s += " " + to_string(*row.time);
  if (row.size) s += ", " + std::to_string(*row.size) + " bytes";
  if (row.version) s += ", version " + to_string(*row.version);
  if (!row.section.empty()) s += ", under '" + row.section + "'";
  return s;
}

std::string found_text(const FileFact& f) {
  if (!f.present) return "not installed (" + f.wanted + " looked for in system32, system32/drivers, system, %SystemRoot%)";
  std::string s = f.path;
  if (!f.error.empty()) return s + ": " + f.error;
  if (f.pe) {
    s += ", " + pe::to_string(f.pe->kind);
    if (f.pe->file_version) s += ", version " + to_string(*f.pe->file_version);
    if (f.pe->link_time) s += ", linked " + format_unix_utc(*f.pe->link_time);
  }
  if (f.modified) s += ", modified " + format_unix_utc(*f.modified);
  return s + ", " + std::to_string(f.size) + " bytes";
}

EvidenceRow compare_row(const kbdb::FileRow& row, const FileFact& f, bool row_is_tse) {
  EvidenceRow e;
  e.file = row.name;
  e.found = f;
  e.required_row = row;
  if (!f.present) {
    e.status = RowStatus::absent;
    e.note = "not installed";
    return e;
  }
  if (auto why = unreadable_reason(f); !why.empty()) {
    e.status = RowStatus::unreadable;
    e.note = why;
    return e;
  }
  const auto& pe = *f.pe;
  if (pe.file_version && is_tse_build(*pe.file_version) != row_is_tse) {
    e.status = RowStatus::other_edition;
    e.note = "version " + to_string(*pe.file_version) +
             (row_is_tse ? " is a standard build, the row a Terminal Server Edition one"
                         : " is a Terminal Server Edition build (revision bit 0x8000), the row a standard one") +
             ": not compared";
    return e;
  }
  if (row.version) {
    if (!pe.file_version) {
      e.status = RowStatus::unreadable;
      e.note = "no version resource to compare with " + to_string(*row.version);
    } else if (*pe.file_version == *row.version) {
      e.status = RowStatus::exact;
      e.note = "version " + to_string(*pe.file_version) + " is the fix's";
    } else if (*pe.file_version > *row.version) {
      e.status = RowStatus::newer;
      e.note = "version " + to_string(*pe.file_version) + " is past " + to_string(*row.version);
    } else {
      e.status = RowStatus::older;
      e.note = "version " + to_string(*pe.file_version) + " is before " + to_string(*row.version);
    }
    return e;
  }

  // A row without a version is compared by its date: a row whose date cell
  // could not be read cannot decide (docs/verdicts.md).
  if (!row.date) {
    e.status = RowStatus::unreadable;
    e.note = "the row gives neither a version nor a readable date" +
             (row.problems.empty() ? std::string() : " (" + join(row.problems, "; ") + ")");
    return e;
  }
  const Date row_date = *row.date;
  const int64_t row_time = to_unix_seconds(row_date, row.time.value_or(TimeOfDay{}));
  const int64_t earliest_modified = row_time - kZoneAllowanceSeconds;
  const int64_t earliest_link = to_unix_seconds(row_date) - kLinkBeforeShipSeconds;
  if (!f.modified) {
    e.status = RowStatus::unreadable;
    e.note = "no modification time";
    return e;
  }
  if (!pe.link_time || *pe.link_time == 0) {
    e.status = RowStatus::unreadable;
    e.note = "no link time in the PE header";
    return e;
  }
  const std::string modified = "modified " + format_unix_utc(*f.modified);
  const std::string linked = "linked " + format_unix_utc(*pe.link_time);
  if (*f.modified < earliest_modified) {
    e.status = RowStatus::older;
    e.note = modified + ", before " + format_unix_utc(earliest_modified) + " (the row's time less 24 h)";
  } else if (int64_t(*pe.link_time) < earliest_link) {
    e.status = RowStatus::time_reset;
    e.note = modified + " but " + linked + ", more than 30 days before " + to_string(row_date) +
             ": the time was reset; counts as older";
  } else if (row.size && *row.size == f.size && std::llabs(*f.modified - row_time) <= kZoneAllowanceSeconds) {
    e.status = RowStatus::exact;
    e.note = "same size, " + modified + " within 24 h of the row";
  } else {
    e.status = RowStatus::newer;
    e.note = modified + ", " + linked + ": at or past the fix";
  }
  return e;
}

std::vector<std::string> registrations(const kbdb::Article& a, const OsFacts& os) {
  std::vector<std::string> found;
  auto installed = [&](const std::string& id) {
    return std::any_of(os.installed_hotfixes.begin(), os.installed_hotfixes.end(),
                       [&](const std::string& h) { return iequals(h, id); });
  };
  if (installed(a.id)) found.push_back(a.id);
  for (const auto& p : a.packages)
    if (installed(p.id)) found.push_back(p.id + " (" + p.relation + " the fix)");
  return found;
}

std::string describe_rows(const std::vector<EvidenceRow>& rows, std::initializer_list<RowStatus> which) {
  std::vector<std::string> parts;
  for (const auto& r : rows)
    if (std::find(which.begin(), which.end(), r.status) != which.end())
      parts.push_back((r.judged.empty() ? r.file : r.judged) + " (" + std::string(to_string(r.status)) + ")");
  return join(parts);
}

// "newer than the article's" in MBSA's sense: another build number or
// version line, or a link time a year or more past the row.
std::optional<std::string> much_newer_note(const EvidenceRow& r) {
  if (r.status != RowStatus::newer || !r.required_row || !r.found.pe) return std::nullopt;
  const auto& row = *r.required_row;
  const auto& pe = *r.found.pe;
  if (row.version && pe.file_version &&
      (pe.file_version->major != row.version->major || pe.file_version->minor != row.version->minor ||
       pe.file_version->build != row.version->build))
    return (r.judged.empty() ? r.file : r.judged) + ": the installed build is newer than the article's: version " + to_string(*pe.file_version) +
           ", the article's " + to_string(*row.version);
  if (!row.version && row.date && pe.link_time && int64_t(*pe.link_time) - to_unix_seconds(*row.date) >= kMuchNewerSeconds)
    return (r.judged.empty() ? r.file : r.judged) + ": the installed build is newer than the article's: linked " + format_unix_utc(*pe.link_time) +
           ", the article's file is dated " + to_string(*row.date);
  return std::nullopt;
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
  out.push_back("OS version " + os.version.value_or("unknown") + ", from CurrentVersion " + cite(t, "CurrentVersion") +
                (os.build ? "; build " + *os.build + ", from CurrentBuildNumber " + cite(t, "CurrentBuildNumber") : ""));
  out.push_back("service pack " + (os.service_pack ? sp_name(*os.service_pack) : unknown_sp_why(os)) +
                ", from CSDVersion " + cite(t, "CSDVersion") +
                (os.service_pack == std::optional<std::string>("6a") ? " and hotfix Q246009 " + cite(t, "Q246009")
                                                                      : ""));
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

std::string registration_step(const kbdb::Article& a, const TargetEvidence& t) {
  std::vector<std::string> ids{a.id};
  for (const auto& p : a.packages) ids.push_back(p.id + " (" + p.relation + " the fix)");
  const auto found = registrations(a, t.os);
  const auto* where = t.source("installed hotfixes");
  return "hotfix registrations looked for: " + join(ids) + " in " +
         (where ? where->where + " (registered: " + (where->value.empty() ? "none" : where->value) + ")"
                : std::string("no readable SOFTWARE hive")) +
         "; found " + (found.empty() ? std::string("none") : join(found));
}

void judge_file_table(const kbdb::Article& a, const TargetEvidence& t, Finding& out) {
  for (const auto& r : out.evidence)
    if (auto note = much_newer_note(r)) out.notes.push_back(std::move(*note));
  std::vector<std::string> older, unreadable, good;
  for (const auto& r : out.evidence) {
    if (r.status == RowStatus::older || r.status == RowStatus::time_reset) older.push_back(r.file);
    if (r.status == RowStatus::unreadable || r.status == RowStatus::other_edition)
      unreadable.push_back((r.judged.empty() ? r.file : r.judged) + ": " + r.note);
    if (r.status == RowStatus::exact || r.status == RowStatus::newer) good.push_back(r.file);
  }
  const auto registered = registrations(a, t.os);
  const std::string reg_text = registered.empty() ? "" : "registered as installed: " + join(registered);
  if (!older.empty()) {
    const auto which = describe_rows(out.evidence, {RowStatus::older, RowStatus::time_reset});
    if (!registered.empty()) {
      out.status = Status::inconsistent;
      out.reason = reg_text + ", but older than the fix: " + which;
    } else {
      out.status = Status::missing;
      out.reason = "older than the fix: " + which;
    }
    return;
  }
  if (!unreadable.empty()) {
    out.status = Status::unknown;
    out.reason = "cannot compare " + join(unreadable, "; ");
    return;
  }
  out.status = Status::fixed;
  out.reason = "every installed file at or past the fix: " +
               describe_rows(out.evidence, {RowStatus::exact, RowStatus::newer}) +
               (registered.empty() ? "" : "; " + reg_text);
}

void judge_service_pack(const kbdb::Article& a, const TargetEvidence& t, Finding& out) {
  const auto edition = edition_of(t.os);
  const kbdb::FixedIn* fix = nullptr;
  for (const auto& f : a.fixed_in) {
    const bool tse_line = f.edition && *f.edition == kbdb::Edition::terminal_server;
    const bool target_tse = edition && *edition == kbdb::Edition::terminal_server;
    if (tse_line == target_tse && (!f.edition || !edition || *f.edition == *edition)) fix = &f;
  }
  if (!fix) {
    out.status = Status::unknown;
    out.reason = "the article names no fixing service pack for " +
                 (edition ? edition_name(*edition) : std::string("this edition"));
    return;
  }
  for (auto& r : out.evidence) r.required_service_pack = fix->service_pack;
  // A service pack read from a kbWinNT400spNfix tag is the article's word too,
  // but not in its text: the reason says where it came from.
  const std::string source = fix->source == "keywords" ? " (by the article's Keywords tag)" : "";
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
  } else if (const auto reg = registrations(a, t.os); !reg.empty()) {
    // The individual update may be there, but the article prints no file
    // attributes to prove it: neither fixed nor missing can be shown.
    out.status = Status::unknown;
    out.reason = "registered as installed: " + join(reg) + ", which the article gives no file attributes to verify; " +
                 sp_name(*t.os.service_pack) + " is before " + sp_name(fix->service_pack) + line;
  } else {
    out.status = Status::missing;
    out.reason = sp_name(*t.os.service_pack) + " is before " + sp_name(fix->service_pack) + line +
                 ", which first corrected it";
  }
}

}  // namespace

std::string_view to_string(Status s) {
  switch (s) {
    case Status::fixed: return "fixed";
    case Status::missing: return "missing";
    case Status::not_applicable: return "not-applicable";
    case Status::inconsistent: return "inconsistent";
    case Status::unknown: return "unknown";
    case Status::waived: return "waived";
  }
  return "unknown";
}

std::string_view to_string(RowStatus s) {
  switch (s) {
    case RowStatus::exact: return "exact";
    case RowStatus::newer: return "newer";
    case RowStatus::older: return "older";
    case RowStatus::time_reset: return "time-reset";
    case RowStatus::absent: return "absent";
    case RowStatus::unreadable: return "unreadable";
    case RowStatus::present: return "present";
    case RowStatus::other_edition: return "other-edition";
  }
  return "absent";
}

Finding analyze_article(const kbdb::Article& a, const TargetEvidence& t) {
  Finding out;
  out.kb = a.id;
  out.title = a.title;
  auto& trace = out.trace;
  trace.push_back("article " + a.id + " (" + a.title + ")" + (a.source.empty() ? "" : ", from " + a.source) + ": " +
                  describe_article(a));
  for (auto& line : os_steps(t)) trace.push_back(std::move(line));
  // Decided on the OS facts alone; applied after the files are looked at, so
  // that a not-applicable finding still shows what is installed.
  const auto applicability = check_applicability(a, t);
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
      trace.push_back(label + "skipped, a row for " + std::string(to_string(r.platform)) +
                      "; this installation is " + std::string(to_string(*t.os.platform)));
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
    if (!iequals(file, r.name)) {
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
  for (const auto* r : rows) {
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
    add_compared(*r, r->name, "");
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
  if (!looked_for.empty() && !any_present) {
    decide(Status::not_applicable, "none of its files is installed (looked for " + join(looked_for) + ")",
           "rule 2 (nothing installed)");
    return out;
  }
  if (applicability.state == Applicability::undecided) {
    decide(Status::unknown, applicability.why, "rule 3 (a fact is missing)");
    return out;
  }
  trace.push_back(registration_step(a, t));
  if (!rows.empty()) {
    judge_file_table(a, t, out);
    decide(out.status, out.reason, "rule 4 (file table)");
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
  } else if (!a.fixed_in.empty()) {
    judge_service_pack(a, t, out);
    decide(out.status, out.reason, "rule 5 (service-pack article)");
  } else {
    decide(Status::unknown, "the database gives neither file attributes nor a fixing service pack",
           "rule 4 (nothing to compare)");
  }
  for (const auto& n : out.notes) trace.push_back("note: " + n);
  return out;
}

std::vector<Finding> analyze(const kbdb::Database& db, const TargetEvidence& target) {
  std::vector<Finding> out;
  out.reserve(db.articles.size());
  for (const auto& a : db.articles) out.push_back(analyze_article(a, target));
  // Q-numbers in numeric order, so that two audits diff cleanly whatever the
  // order in which --db files added articles.
  std::stable_sort(out.begin(), out.end(), [](const Finding& x, const Finding& y) {
    const auto a = ascii_upper(x.kb), b = ascii_upper(y.kb);
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  return out;
}

std::vector<std::string> files_of_interest(const kbdb::Database& db) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  auto add = [&](const std::string& n) {
    if (seen.insert(ascii_lower(n)).second) names.push_back(n);
  };
  for (const auto& a : db.articles) {
    for (const auto& r : a.files) add(r.name);
    for (const auto& m : a.modules) add(m.path);
  }
  std::sort(names.begin(), names.end(), [](const std::string& x, const std::string& y) { return ascii_lower(x) < ascii_lower(y); });
  return names;
}

}  // namespace hfa::analyzer
