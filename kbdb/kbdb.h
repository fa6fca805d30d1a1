// The KB database: for each Knowledge Base article, the facts it prints about a
// fix (where it applies, which service pack corrected it, which package delivers
// it, and its file-attribute table). Stored as XML (kbdb/kbdb.xsd, docs/kbdb.md),
// read and written with pugixml. The five seed articles are built in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/nt_types.h"

namespace hfa::kbdb {

enum class Edition { workstation, server, terminal_server };
std::string_view to_string(Edition e);  // "workstation", "server", "terminal-server"
std::optional<Edition> parse_edition(std::string_view text);

// One line of "The information in this article applies to": an edition of an
// OS version, optionally limited to the service packs it names. An article that
// names service packs applies from the earliest of them on: later service packs
// carry the same code, and the file table decides whether it is fixed.
struct AppliesTo {
  Edition edition = Edition::server;
  std::string os_version = "4.0";
  std::vector<std::string> service_packs;  // "6", "6a"; empty: every service pack
};

// Where a relation or fact was read: the article and the 1-based line of its
// text ("Q241211", 57). An empty article: not recorded (hand-written data).
struct SourceRef {
  std::string article;
  int line = 0;
  bool operator==(const SourceRef& o) const { return article == o.article && line == o.line; }
};
std::string to_string(const SourceRef& s);  // "Q241211 line 57", "Q241211", "" when unknown

// "This problem was first corrected in ... Service Pack N". Terminal Server
// Edition counts its service packs separately, hence the edition. An article
// may carry several per edition line, one per source.
struct FixedIn {
  std::optional<Edition> edition;  // empty: the Windows NT 4.0 line (workstation, server)
  std::string service_pack;        // "4", "6a"
  // Where it is said: "status" (the article's STATUS sentence "first corrected
  // in ..."), "keywords" (a kbWinNT400sp4fix tag of its Keywords line),
  // "fix-list" (a service pack's fix list article names it) or "package".
  std::string source = "status";
  SourceRef from{};  // the article and line saying so
};

// A package that delivers or supersedes the fix: registered as installed, it
// counts as the fix being registered (Q259042 -> Security Rollup Q299444).
struct Package {
  std::string id;     // "Q299444"
  std::string title;
  std::string relation = "delivers";  // "delivers" or "supersedes"
  SourceRef from{};
};

// An article another one contains (a fix list's, a roll-up's or a package's member).
struct Member {
  std::string id;  // "Q224345"
  SourceRef from{};
};

// What a fix-list article lists: the fixes of one service pack of one edition line.
struct ServicePackList {
  std::optional<Edition> edition;  // empty: the Windows NT 4.0 line; terminal_server: TSE
  std::string service_pack;        // "6", "6a"
};

// An optional component the article concerns: absent from an installation,
// the article does not apply to it.
struct OptionalComponent {
  std::string name;                   // "Cluster Server", "FPNW", "SNMP", "RRAS", "DHCP Server", "WINS", "IIS"
  std::vector<std::string> services;  // service key names under CurrentControlSet\Services ("ClusSvc")
  std::vector<std::string> files;     // %SystemRoot%-relative '/'-separated paths that prove it installed
  SourceRef from{};
};

// A registry value the fix needs before it takes effect (Q258837: KeepConn = 0).
struct RequiredSetting {
  std::string hive;   // "SYSTEM" or "SOFTWARE"
  std::string key;    // under the hive: "CurrentControlSet\\Services\\LanmanServer\\Parameters"
  std::string value;  // "KeepConn"
  std::string data;   // as the article gives it: "0"
  SourceRef from{};
};

// A module an SP-fixed article concerns, used to tell whether the article
// matters for an installation at all. Paths are relative to %SystemRoot%,
// '/'-separated; a bare name means system32.
struct Module {
  std::string path;                   // "system32/user32.dll", "system/ddeml.dll"
  std::string format = "pe";          // "pe" or "ne" (a 16-bit module)
  bool curated = false;               // not printed in the article: added by hand
};

// One row of a file-attribute table ("should have the following file attributes
// or later").
struct FileRow {
  std::string section;  // product heading the table sits under; "" when one table
  // Empty: the row's date cell could not be read (see `problems`); the row is
  // kept and compared by version only (docs/verdicts.md).
  std::optional<Date> date;
  std::optional<TimeOfDay> time;
  std::optional<uint64_t> size;
  std::string name;  // as the table writes it: "Rasapi32.dll"
  Platform platform = Platform::x86;
  std::optional<Version> version;
  // The version as the table writes it when that is not a.b.c.d ("3.5.23",
  // "4.00.958"): kept for the reader, not compared (its missing parts are not
  // known to be zeros).
  std::string version_text;
  std::string component;  // the table's "Component:" line; "" when none
  std::string size_text{};  // the size cell as written when not read as bytes ("94.5")
  std::vector<std::string> problems{};  // why a cell could not be read: "time '1436': ..."
  // Folder relative to %SystemRoot%, '/'-separated, where Windows installs the
  // file ("system32/spool/drivers/w32x86/2", "cluster", "system32/inetsrv",
  // "system32/drivers"); "" = the default search (system32, system32/drivers,
  // system, %SystemRoot%).
  std::string location{};
};

struct Article {
  std::string id;  // "Q259042"
  std::string title;
  Date modified;
  // "fix", "fix-list" (a service pack's list of fixes) or "package" (a roll-up
  // or security roll-up of other fixes).
  std::string kind = "fix";
  std::optional<ServicePackList> lists;  // kind "fix-list": which service pack of which line
  std::vector<Member> contains;          // fix lists, packages, roll-ups: the articles they contain
  std::vector<Member> supersedes;        // articles it says it supersedes or replaces
  std::vector<OptionalComponent> components;
  std::vector<RequiredSetting> settings;
  std::vector<AppliesTo> applies_to;
  std::vector<Platform> platforms;  // the Hardware: line
  std::vector<FixedIn> fixed_in;
  std::vector<Package> packages;
  std::vector<Module> modules;
  std::vector<FileRow> files;
  std::string source;  // "file:line" of the <article> element, for messages
};

struct Database {
  std::vector<Article> articles;  // in document order; ids are unique
  const Article* find(std::string_view id) const;  // case-insensitive
};

// A problem found while loading, pointing into the XML text.
struct Diagnostic {
  std::string file;
  int line = 0, column = 0;
  std::string message;
};
std::string to_string(const Diagnostic& d);  // "file:line:column: message"

struct LoadResult {
  Database db;                          // what could be read (articles with errors are left out)
  std::vector<Diagnostic> diagnostics;  // empty when the document is valid
  bool ok() const { return diagnostics.empty(); }
};

// Limits that bound the time and memory a hostile database can take: larger
// documents, or elements nested deeper, are refused with one diagnostic; only
// the first kMaxDiagnostics problems are listed (and how many more there were).
inline constexpr uint64_t kMaxDatabaseBytes = 32ull << 20;
inline constexpr size_t kMaxDatabaseDepth = 16;
inline constexpr size_t kMaxDiagnostics = 1000;

// Parses and validates: well-formed XML, the kbdb root, every required
// attribute, known platforms/editions, real dates, unique ids.
LoadResult load_xml(std::string_view text, const std::string& source_name);
LoadResult load_file(const std::string& path);

// The articles compiled into the executable (kbdb/builtin.xml).
const Database& builtin();
std::string_view builtin_xml();

// Adds the articles of `extra`, replacing those of `base` with the same id.
void merge(Database& base, const Database& extra);

// Serialises to the same XML format, so that load_xml(to_xml(db)) == db.
std::string to_xml(const Database& db);

}  // namespace hfa::kbdb
