#include "analyzer/file_rows.h"

#include <algorithm>
#include <cstdlib>

#include "core/text.h"

namespace hfa::analyzer::detail {
namespace {

// When a file has the row's version but its size, modification date and link
// time all disagree with the row, what they are; nullopt when any agrees or
// the row gives none of them to compare.
std::optional<std::string> reused_revision(const kbdb::FileRow& row, const FileFact& f) {
  if (!row.size || !row.date || !f.modified || !f.pe || !f.pe->link_time) return std::nullopt;
  if (*row.size == f.size) return std::nullopt;
  const int64_t day = to_unix_seconds(*row.date, row.time.value_or(TimeOfDay{}));
  if (std::llabs(*f.modified - day) <= kZoneAllowanceSeconds) return std::nullopt;
  const int64_t link = int64_t(*f.pe->link_time);
  if (link <= day + kZoneAllowanceSeconds && link >= day - kLinkBeforeShipSeconds) return std::nullopt;
  return std::to_string(f.size) + " bytes against " + std::to_string(*row.size) + ", modified " +
         format_unix_utc(*f.modified) + " and linked " + format_unix_utc(link) + " against " + to_string(*row.date);
}

}  // namespace

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
    return "not a PE image (" + pe::to_string(f.pe->kind) + ")" + (f.pe->problem.empty() ? "" : ": " + f.pe->problem);
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
  if (!f.present)
    return "not installed (" + f.wanted +
           (f.wanted.find('/') == std::string::npos ? " looked for in system32, system32/drivers, system, %SystemRoot%)"
                                                    : " looked for under %SystemRoot%, where Windows installs it)");
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
  // A row that gives a version says its line itself (Q241074's nwrdr.sys
  // 4.0.1381.32901 is a standard build with bit 0x8000): the installation's
  // edition chose the row, the row's version decides the line.
  const bool row_line_tse = row.version ? is_tse_build(*row.version) : row_is_tse;
  if (pe.file_version && is_tse_build(*pe.file_version) != row_line_tse) {
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
    } else if (*pe.file_version == *row.version && reused_revision(row, f)) {
      // Rule 7: NT 4.0 reused revision numbers for different builds.
      e.status = RowStatus::newer;
      e.note = "version " + to_string(*pe.file_version) + " is the row's, but size, date and link time all differ (" +
               *reused_revision(row, f) + "): another build with the same number, not an exact match";
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
  // RRAS's rasapi32.dll 4.1.1.x sorts above a 4.0.1381 row by its minor
  // number alone: another product's line, not a later build of the row's.
  if (row.version && pe.file_version &&
      (pe.file_version->major != row.version->major || pe.file_version->minor != row.version->minor) &&
      pe.file_version->build < row.version->build)
    return (r.judged.empty() ? r.file : r.judged) + ": version " + to_string(*pe.file_version) +
           " is another product's build line than the row's " + to_string(*row.version) +
           " (counted at or past the fix, but the two lines are not the same code)";
  if (row.version && pe.file_version && pe.file_version->build != row.version->build)
    return (r.judged.empty() ? r.file : r.judged) + ": the installed build is newer than the article's: version " +
           to_string(*pe.file_version) + ", the article's " + to_string(*row.version);
  if (!row.version && row.date && pe.link_time &&
      int64_t(*pe.link_time) - to_unix_seconds(*row.date) >= kMuchNewerSeconds)
    return (r.judged.empty() ? r.file : r.judged) + ": the installed build is newer than the article's: linked " +
           format_unix_utc(*pe.link_time) + ", the article's file is dated " + to_string(*row.date);
  return std::nullopt;
}

}  // namespace hfa::analyzer::detail
