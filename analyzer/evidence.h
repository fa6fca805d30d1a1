// What the scan found on one Windows installation, as plain values: the input
// of the analyzer. Filled by scan/ from the image; filled by hand in tests.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/nt_types.h"
#include "pe/pe_evidence.h"

namespace hfa::analyzer {

enum class Product { workstation, server };
std::string_view to_string(Product p);

// Terminal Server Edition binaries set bit 0x8000 of the build revision
// (4.0.1381.33478): compared with standard 1381.x builds they would sort above
// every one of them, so the two lines are never compared.
bool is_tse_build(const Version& v);

struct OsFacts {
  std::optional<std::string> version;           // "4.0"
  std::optional<std::string> build;             // "1381"
  std::optional<std::string> csd_version;       // CSDVersion as stored, for the record
  std::optional<std::string> service_pack;      // "0" (none), "4", "6a"; empty: unknown
  std::optional<Product> product;               // empty: unknown
  std::vector<std::string> suites;              // ProductSuite: "Terminal Server", ...
  std::optional<Platform> platform;             // empty: unknown
  std::vector<std::string> installed_hotfixes;  // "Q246009", upper case
  std::optional<Version> kernel_version;        // ntoskrnl.exe's file version
  // Why a fact is unknown, by fact: "version", "build", "service_pack",
  // "product", "edition", "platform" (decide_os_facts fills it).
  std::map<std::string, std::string> unknown;
  // Terminal Server Edition as NT 4.0 recognises it: ProductSuite names
  // "Terminal Server" on a 4.0 installation (every Windows XP and later names
  // it too, and is not TSE), or the kernel is a 4.0 TSE build (bit 0x8000).
  bool terminal_server() const;
  // ProductSuite names "Terminal Server".
  bool suite_names_terminal_server() const;
};

// Where a fact came from, so that an explanation can name it: fact
// "CSDVersion", value "Service Pack 6", where
// "WINNT/system32/config/SOFTWARE: Microsoft\Windows NT\CurrentVersion\CSDVersion".
struct FactSource {
  std::string fact;
  std::string value;
  std::string where;
};

// A kernel an installation boots: ntoskrnl.exe unless a boot.ini entry's
// /KERNEL= switch names another (ntkrnlmp.exe, the multiprocessor kernel).
struct BootKernel {
  std::string file;  // "ntkrnlmp.exe", lower case
  std::string why;   // "boot.ini line 6: /KERNEL=ntkrnlmp.exe"
};

// One file looked for below %SystemRoot%.
struct FileFact {
  std::string wanted;  // as asked: "winlogon.exe", "system/ddeml.dll"
  std::string path;    // where it was found, relative to the image root; "" when absent
  bool present = false;
  std::string error;  // could not be read (refused link, I/O error, too large)
  uint64_t size = 0;
  std::optional<int64_t> modified;   // modification time, seconds since 1970 UTC
  std::optional<pe::PeEvidence> pe;  // set when the file was read
  // Digests of the whole file ("sha256" -> hex), as scan/ read it; empty when
  // it was not read whole.
  std::map<std::string, std::string> hashes;
};

// A registry value an article's fix needs (kbdb::RequiredSetting), as read.
struct RegistryValue {
  std::string hive, key, value;     // as the database names them
  bool hive_read = false;           // false: the value is unknown, `problem` says why
  std::optional<std::string> data;  // the value's data as text; empty: absent
  std::string where;                // "WINNT/system32/config/SYSTEM: ControlSet001\Services\...\KeepConn"
  std::string problem;              // why it could not be read: "no readable SYSTEM hive (...)"
};

struct TargetEvidence {
  OsFacts os;
  // Key names under the current control set's Services (SYSTEM hive); empty
  // optional: the SYSTEM hive could not be read, so no service is known absent.
  std::optional<std::vector<std::string>> services;
  std::string services_where;                     // "WINNT/system32/config/SYSTEM: ControlSet001\Services"
  bool has_service(std::string_view name) const;  // case-insensitive
  std::vector<RegistryValue> registry_values;
  const RegistryValue* registry_value(std::string_view hive, std::string_view key, std::string_view value) const;
  // By lower-cased wanted name; a name the scan was not asked for is absent.
  std::map<std::string, FileFact> files;
  const FileFact* file(std::string_view wanted) const;  // case-insensitive
  std::vector<FactSource> sources;
  const FactSource* source(std::string_view fact) const;  // case-insensitive; nullptr when none
  // The kernels judged for a Ntoskrnl.exe row; empty means ntoskrnl.exe alone.
  std::vector<BootKernel> kernels;
};

// Compares service packs: "0" < "1" < ... < "6" < "6a" < "7". nullopt when
// either is not of that form.
std::optional<int> compare_service_packs(std::string_view a, std::string_view b);

}  // namespace hfa::analyzer
