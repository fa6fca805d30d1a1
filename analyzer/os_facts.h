// The operating-system facts of one installation, decided from raw evidence:
// the hive values as stored (registry::SoftwareFacts, SystemFacts) and the
// kernel's PE facts. Pure (no I/O): the one place that interprets
// CurrentVersion, CSDVersion (and SP6a's Q246009), ProductType, ProductSuite
// and PROCESSOR_ARCHITECTURE. Every fact is known from evidence, recorded
// with its source, or unknown with the reason (OsFacts::unknown); nothing is
// ever filled with a default.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/evidence.h"
#include "core/diagnostic.h"
#include "kbdb/kbdb.h"
#include "registry/os_profile.h"

namespace hfa::analyzer {

namespace code {
inline constexpr const char* kFactUnknown = "os.unknown";        // a fact no evidence gave
inline constexpr const char* kOddValue = "os.odd-value";         // a value read, but not as expected
inline constexpr const char* kFromKernel = "os.from-kernel";     // a fact taken from ntoskrnl.exe
inline constexpr const char* kDisagreement = "os.disagreement";  // two sources say different things
inline constexpr const char* kOutOfScope = "os.out-of-scope";    // not a version the database covers
}  // namespace code

// ntoskrnl.exe as the PE reader saw it.
struct KernelFacts {
  std::string path;                 // "WINNT/system32/ntoskrnl.exe"
  std::optional<Platform> machine;  // from the PE machine field
  std::optional<Version> version;   // VS_FIXEDFILEINFO
};

struct OsEvidence {
  std::optional<registry::SoftwareFacts> software;
  std::string software_read;     // what was read: "WINNT/system32/config/SOFTWARE"
                                 // (with its .LOG applied...)
  std::string software_failure;  // why there are no SOFTWARE facts
  std::optional<registry::SystemFacts> system;
  std::string system_read;
  std::string system_failure;
  std::optional<KernelFacts> kernel;  // empty: no readable PE ntoskrnl.exe
};

struct DecidedOs {
  OsFacts os;
  std::vector<FactSource> sources;
  std::vector<Diagnostic> notes;
};

DecidedOs decide_os_facts(const OsEvidence& e);

// CSDVersion as installations really hold it: "Service Pack 6", release
// candidates ("Service Pack 3 RC 1.32"), strings hotfixes altered. An empty
// string is no service pack ("0"). `note` says how an odd string was read.
struct ServicePackReading {
  std::optional<std::string> service_pack;  // "0", "3", "6a"; empty: not a service pack name
  std::string note;
};
ServicePackReading read_csd_version(std::string_view csd);

// The OS versions the database's articles concern ("4.0"), sorted.
std::vector<std::string> versions_in_scope(const kbdb::Database& db);

// Why an installation is outside those versions ("Windows NT 5.1 (Windows XP):
// the database covers Windows NT 4.0 only; not judged"), or nullopt when it is
// inside, or when its version is unknown (then every line is judged, as
// before).
std::optional<std::string> out_of_scope(const OsFacts& os, const std::vector<std::string>& versions);

}  // namespace hfa::analyzer
