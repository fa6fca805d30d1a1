// Selection: which articles the built-in database keeps (kbimport.h).
#include <algorithm>

#include "core/text.h"
#include "kbimport/kbimport.h"
#include "kbimport/text.h"

namespace hfa::kbimport {

using namespace detail;

bool is_nt4_article(const ImportResult& r) {
  // An applies-to line for a Windows NT 4.0 edition, not merely a product that runs on it.
  const bool nt4 = std::any_of(r.nt_applies_to.begin(), r.nt_applies_to.end(),
                               [](const kbdb::AppliesTo& a) { return a.os_version == "4.0"; }) &&
                   std::any_of(r.applies_to.begin(), r.applies_to.end(),
                               [](const std::string& a) { return starts_with_ci(a, "Microsoft Windows NT"); });
  return nt4 ||
         (r.applies_to.empty() && contains_ci(r.versions, "winnt") && r.versions.find("4.0") != std::string::npos);
}

bool is_nt4_leak_article(std::string_view text, const ImportResult& r) {
  if (!is_nt4_article(r)) return false;
  if (contains_ci(r.title, "leak")) return true;
  // The symptoms or the cause speak of a leak.
  const auto lower = ascii_lower(text);
  const size_t sym = lower.find("symptoms\n");
  if (sym == std::string::npos) return false;
  size_t end = lower.find("resolution\n", sym);
  if (end == std::string::npos) end = std::min(lower.size(), sym + 4000);
  const auto part = lower.substr(sym, end - sym);
  return part.find("leak") != std::string::npos;
}

std::string missing_fix_evidence(const ImportResult& r) {
  std::vector<std::string> omitted;
  const auto a = to_article(r, &omitted);
  if (!a.files.empty()) return "";
  // A fixing service pack counts for the line it is on, when the article applies to that line.
  const auto applies = [&](bool tse) {
    if (a.applies_to.empty()) return true;
    return std::any_of(a.applies_to.begin(), a.applies_to.end(), [&](const kbdb::AppliesTo& l) {
      return l.os_version == "4.0" && (l.edition == kbdb::Edition::terminal_server) == tse;
    });
  };
  for (const auto& f : a.fixed_in)
    if (applies(f.edition && *f.edition == kbdb::Edition::terminal_server)) return "";
  std::string why = r.tables.empty() ? "no file table"
                                     : "no file row the database can hold (" + std::to_string(omitted.size()) +
                                           " rows without a platform or a date)";
  why += a.fixed_in.empty() ? ", no fixing service pack" : ", no fixing service pack for a Windows NT 4.0 edition it applies to";
  // What STATUS says instead, for the reader of the list: "no fix", "by design", a third party's.
  std::string first = r.status.substr(0, r.status.find(". ") == std::string::npos ? r.status.size() : r.status.find(". ") + 1);
  if (first.size() > 120) first = first.substr(0, 117) + "...";
  why += r.status.empty() ? "; no STATUS section" : "; STATUS: \"" + first + "\"";
  std::string hotfix;
  for (const auto& k : r.keywords)
    if (contains_ci(k, "presp") || contains_ci(k, "nosp")) hotfix += (hotfix.empty() ? "" : " ") + k;
  if (!hotfix.empty()) why += "; Keywords: " + hotfix + " (a hotfix in no service pack)";
  return why;
}

}  // namespace hfa::kbimport
