// Reads a Knowledge Base article in the archive's plain-text format (optional
// Jekyll front matter, then the tab-indented article) and extracts the facts the
// database holds: id, title, dates, applicability, "first corrected in", the
// packages RESOLUTION names, the Hardware line and every row of every
// file-attribute table. A pure function of the text: no file I/O, so that it can
// be tested on strings and fuzzed. What it cannot read is reported, never
// dropped: every table or fact it gives up on becomes a problem.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/nt_types.h"
#include "kbdb/kbdb.h"

namespace hfa::kbimport {

// The codes of ImportResult::problems: what `db import --stats` counts.
namespace code {
inline constexpr const char* kNoDate = "kbimport.no-date";
inline constexpr const char* kNoTitle = "kbimport.no-title";
inline constexpr const char* kNoId = "kbimport.no-id";
inline constexpr const char* kBadDate = "kbimport.bad-date";
inline constexpr const char* kUnknownPlatform = "kbimport.unknown-platform";
// "the following file attributes" with no table after it
inline constexpr const char* kUntabledPhrase = "kbimport.untabled-phrase";
inline constexpr const char* kTable = "kbimport.table";  // a table not read fully
}  // namespace code

// One row of a file-attribute table, as the table gives it: every column may
// be absent (a table without a Platform column gives no platform).
struct Row {
  int line = 0;             // 1-based line of the article text
  std::string section;      // product heading the table sits under ("Windows NT 4.0"); "" when none
  std::string component;    // the "Component:" line above the table; "" when none
  std::optional<Date> date;
  std::optional<TimeOfDay> time;  // 24-hour, seconds dropped
  std::optional<uint64_t> size;   // bytes
  std::string name;               // exactly as written, footnote marks removed
  std::optional<Platform> platform;
  std::string version;            // exactly as written; "" when none ("none", "N/A", blank)
  // What the table writes where the value is not in the units above: a size
  // in KB or MB ("43 KB"; size is then empty), a Platform cell that names no
  // processor ("Windows 95", "Macintosh"; platform is then empty).
  std::string size_text, platform_text;
  std::string note;  // a footnote mark or qualifier written after the name: "*", "(56-bit)"
  // The cells that could not be read, each with the reason ("time '1436' is
  // not a time of day"). A row is kept with its file name and every cell it
  // could read, never dropped; empty: read fully.
  std::vector<std::string> problems;
  // Where Windows installs the file, relative to %SystemRoot% ("cluster",
  // "system32/inetsrv"); "" for the default search (kbdb::FileRow::location).
  std::string location;
};

// A file-attribute table: where it is, the columns its header names, how many
// rows it gave, and why it was not read fully (empty problems: every line read).
struct Table {
  int line = 0;  // line of the header
  std::string section, component;
  std::vector<std::string> columns;  // "date", "time", "version", "size", "name", "platform", "other"
  // No header line: attribute lines under a "following file attributes"
  // sentence ("USER.EXE  version 4.00.951  dated 10/26/95 ..."), read cell by
  // cell from their shapes; `line` is then the first of them, columns empty.
  bool headerless = false;
  size_t rows = 0;
  std::vector<std::string> problems;
  // Read, but a value is not in the database's units (see Row::size_text).
  std::vector<std::string> notes;
};

// "This problem was first corrected in <product> Service Pack N", or, when
// STATUS names no service pack for the Windows NT 4.0 line the article applies
// to, the Keywords line's tag for it (kbWinNT400sp4fix, kbWinNT4sp6fix).
struct FixedIn {
  std::string product;                   // "Windows NT 4.0", "Windows 2000", ...
  std::optional<kbdb::Edition> edition;  // terminal_server for TSE; empty otherwise
  bool nt4 = false;                      // the Windows NT 4.0 line (or TSE 4.0)
  std::string service_pack;              // "4", "6a"
  std::string source = "status";         // "status", "keywords", "fix-list", "package" (kbdb::FixedIn::source)
  kbdb::SourceRef from;                  // the article and line saying so
};

// An article a fix list or a package names as one of its fixes, and, for a
// fix list, the service pack of the section listing it.
struct Listed {
  kbdb::Member member;
  std::optional<kbdb::ServicePackList> in;  // empty: the list names no single service pack
  bool also_tse = false;  // "List of Bugs Fixed in Windows NT 4.0 and TSE SP4": the TSE line too
};

struct ImportResult {
  std::string name;  // where the text came from, for messages ("Q259042.txt")
  std::string id;    // "Q259042"
  std::string title;
  std::optional<Date> modified;
  std::string versions;                 // the Version(s): line as written
  std::vector<std::string> applies_to;  // lines of "The information in this article applies to"
  std::vector<kbdb::AppliesTo> nt_applies_to;  // those lines that are Windows NT 4.0 (or 3.51)
  std::vector<FixedIn> fixed_in;
  std::string status;                 // the STATUS section, spaces collapsed; "" when none
  std::vector<std::string> keywords;  // the Keywords line's tags
  std::vector<kbdb::Package> packages;
  std::vector<Platform> platforms;  // the Hardware: line
  std::vector<Row> files;
  std::vector<Table> tables;
  // Relations the text gives (relations.h): "fix", "fix-list" or "package";
  // the articles a fix list or package contains; supersedence; the optional
  // component and registry values the fix concerns.
  std::string kind = "fix";
  std::optional<kbdb::ServicePackList> lists;
  std::vector<Listed> listed;
  std::vector<kbdb::Member> supersedes;
  std::vector<kbdb::OptionalComponent> components;
  std::vector<kbdb::RequiredSetting> settings;
  // Everything not read fully, with a code from kbimport::code (line set
  // where the problem has one): to_string gives "line 57: ...".
  std::vector<Diagnostic> problems;
  std::vector<std::string> notes;  // read fully, but worth saying (sizes in KB, ...)
  bool complete() const { return problems.empty(); }
};

ImportResult import_article(std::string_view text, std::string_view name);

// The article as the database holds it. Rows the format cannot hold (no date,
// no platform) are left out, each with a line in `omitted`.
kbdb::Article to_article(const ImportResult& r, std::vector<std::string>* omitted = nullptr);

// Relations across articles: each article a fix list names gains that service
// pack as a FixedIn (source "fix-list"), each a package contains gains the
// package (relation "delivers") and a FixedIn when the package is a service
// pack's; every one with the list's article and line. So "corrected in the
// latest service pack" is resolved by the lists that name the article.
void link_relations(std::vector<ImportResult>& results);

// True when the article is about Windows NT 4.0 (its applies-to list or
// Version(s) line names it): the whole-catalogue profile's selection.
bool is_nt4_article(const ImportResult& r);

// True when the article is about Windows NT 4.0 (its applies-to list or
// Version(s) line names it) and about a memory or handle leak (title or
// symptoms say so): the selection of the built-in database.
bool is_nt4_leak_article(std::string_view text, const ImportResult& r);

// Why the analyzer could judge the article on no installation: it has no file
// row the database holds and no fixing service pack for a Windows NT 4.0
// edition it applies to (a how-to, a third-party driver, "no fix", a fix with
// no table). Empty when it has such evidence. The built-in selection leaves
// those out, since every scan would report them unknown.
std::string missing_fix_evidence(const ImportResult& r);

// Parsers for the spellings KB tables use, exposed for tests.
std::optional<Date> parse_table_date(std::string_view text);          // 03/31/99, 2/8/2000, 24-Aug-2000, Jul-31-2001
std::optional<TimeOfDay> parse_table_time(std::string_view text);     // 08:00P, 5:39 AM, 13:27, 3:30:31, 10:51a
std::optional<uint64_t> parse_table_size(std::string_view text);      // 145,168 ; 461,984 bytes

}  // namespace hfa::kbimport
