// The operating-system facts an NT installation keeps in its registry hives,
// read offline through hivex. Raw values as the hives hold them: interpreting
// them (service pack "6a", product "server") is the caller's business.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hfa::registry {

// A value asked for by its key path below the hive's root. In the SYSTEM hive
// a path starting with "CurrentControlSet" is read in the current control set,
// as Windows maps that name when it runs (the link does not exist offline).
struct ValueQuery {
  std::string key;    // "CurrentControlSet\Services\LanmanServer\Parameters"
  std::string value;  // "KeepConn"
};

// What the hive says of one queried value.
struct ValueRead {
  ValueQuery query;
  std::string where;  // the value's path as read: "ControlSet001\Services\...\KeepConn"
  // False: the value could not be looked at (no current control set, a damaged
  // key, a type that is not a string or a number): `problem` says why, and
  // `data` means nothing. True with `data` empty: the value (or its key) is absent.
  bool read = false;
  std::optional<std::string> data;  // REG_SZ/REG_EXPAND_SZ as stored, REG_DWORD in decimal
  std::string problem;
};

struct SoftwareFacts {
  // HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion. False when the hive has
  // no such key (a damaged hive, or another file): then nothing below is known,
  // which is not the same as values that are absent from the key.
  bool current_version_key = false;
  std::optional<std::string> current_version;       // "4.0"
  std::optional<std::string> current_build_number;  // "1381"
  std::optional<std::string> csd_version;           // "Service Pack 6"
  // Sub-keys of ...\CurrentVersion\Hotfix whose Installed value is 1 (REG_DWORD,
  // or a string "1"), by key name as stored ("Q246009").
  std::vector<std::string> installed_hotfixes;
  std::vector<ValueRead> values;  // one per query, in query order
};

struct SystemFacts {
  // "ControlSet002", from Select\Current (or the hive's only control set);
  // "" when no set can be told the current one: nothing below is then read.
  std::string current_control_set;
  // <current set>\Control\ProductOptions; false when the key is not there
  bool product_options_key = false;
  std::optional<std::string> product_type;  // "WinNT", "ServerNT", "LanmanNT"
  std::vector<std::string> product_suite;   // REG_MULTI_SZ (or REG_SZ) entries
  // <current set>\Control\Session Manager\Environment
  std::optional<std::string> processor_architecture;  // "x86", "ALPHA", ...
  // Sub-key names of <current set>\Services: the services and drivers
  // installed. Empty: the key could not be read (no current control set, or
  // damaged), so no service is known absent.
  std::optional<std::vector<std::string>> services;
  std::vector<ValueRead> values;  // one per query, in query order
};

// A hive read either yields its facts or says, naming the file, what was wrong
// (not a regf file, truncated, key missing...). Values that are absent stay empty
// and are listed in `notes`; only an unreadable hive sets `error`.
template <typename Facts>
struct HiveResult {
  std::optional<Facts> facts;
  std::string error;               // set when facts is empty
  std::vector<std::string> notes;  // missing keys or values, odd value types
};

// A hive file larger than this is refused without being opened: NT 4.0's
// registry quota keeps real hives far below it.
inline constexpr uint64_t kMaxHiveBytes = 256ull << 20;

// `path` is a local file already resolved inside the image root by the caller.
// `values`: the values to read besides the OS facts (SystemFacts::values).
HiveResult<SoftwareFacts> read_software_hive(const std::string& path, const std::vector<ValueQuery>& values = {});
HiveResult<SystemFacts> read_system_hive(const std::string& path, const std::vector<ValueQuery>& values = {});

// The same from a hive held in memory (as read from a volume, or recovered
// from its log): hivex opens only files, so the bytes go to an in-memory file
// (memfd), never to disk. `name` stands for the path in messages.
HiveResult<SoftwareFacts> read_software_hive(const std::vector<uint8_t>& bytes, const std::string& name,
                                             const std::vector<ValueQuery>& values = {});
HiveResult<SystemFacts> read_system_hive(const std::vector<uint8_t>& bytes, const std::string& name,
                                         const std::vector<ValueQuery>& values = {});
// A hive already open as `fd` (checked beneath the volume root by the
// caller): hivex maps it through /proc/self/fd, with no copy. `name` stands
// for that path in messages.
HiveResult<SoftwareFacts> read_software_hive_fd(int fd, const std::string& name,
                                                const std::vector<ValueQuery>& values = {});
HiveResult<SystemFacts> read_system_hive_fd(int fd, const std::string& name, const std::vector<ValueQuery>& values = {});

}  // namespace hfa::registry
