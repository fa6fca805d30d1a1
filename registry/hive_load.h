// How an installation's hives are read as Windows would: the recovery policy.
// A dirty primary (a flush was cut short) is completed from its NT 4.0 .LOG in
// a private copy; a SYSTEM hive that cannot be read is replaced by its mirror
// SYSTEM.ALT, which NT 4.0 keeps for boot safety. Logs of the later format
// (SYSTEM.LOG1, SYSTEM.LOG2: Windows XP and later) are named and not applied.
// Every step is a diagnostic with a code from hive_load::code, so that counts
// and tests do not depend on the wording.
//
// The caller reads the files (from a folder or a disk image); nothing here
// touches a volume or writes anything.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_source.h"
#include "core/diagnostic.h"
#include "registry/os_profile.h"

namespace hfa::registry {

namespace code {
inline constexpr const char* kHiveDirty = "hive.dirty";
inline constexpr const char* kLogApplied = "hive.log-applied";
inline constexpr const char* kLogNotApplied = "hive.log-not-applied";  // present but refused
inline constexpr const char* kNoLog = "hive.no-log";
inline constexpr const char* kNewFormatLog = "hive.new-format-log";  // .LOG1/.LOG2 beside the hive
inline constexpr const char* kMirrorUsed = "hive.mirror-used";       // SYSTEM.ALT read instead
inline constexpr const char* kUnreadable = "hive.unreadable";        // a copy that could not be read
inline constexpr const char* kContent = "hive.content";  // a key or value missing or odd inside a readable hive
}  // namespace code

// One file of system32/config as the caller found it.
struct ConfigFile {
  bool found = false;  // false: there is no such file (error may say why)
  std::string path;    // as stored on the volume: "WINNT/system32/config/SYSTEM"
  std::vector<uint8_t> data;
  std::string error;  // found but not read (not a regular file, over the limit,
                      // I/O), or why not found
  // A local file (a folder volume) is not copied: `data` then holds only its
  // base block (the first 4 KiB, to see whether it is dirty), hivex reads the
  // file through this open descriptor, and the whole file is read into memory
  // only when a .LOG must be applied to it. Null: `data` is the whole file.
  std::shared_ptr<const ByteSource> source;
};
// Reads the file NAME ("SYSTEM", "SYSTEM.LOG", "SYSTEM.ALT") of
// system32/config.
using ReadConfigFile = std::function<ConfigFile(const std::string& name)>;

template <typename Facts>
struct LoadedHive {
  std::optional<Facts> facts;
  std::string used;               // what was read: "WINNT/system32/config/SYSTEM with
                                  // .../SYSTEM.LOG applied"
  std::string failure;            // set when facts is empty: why no copy could be read
  std::vector<Diagnostic> notes;  // every step taken, every key or value missing
};

// `values`: values to read besides the OS facts (os_profile.h ValueQuery).
LoadedHive<SoftwareFacts> load_software_hive(const ReadConfigFile& read, const std::vector<ValueQuery>& values = {});
// SYSTEM, or its mirror SYSTEM.ALT when SYSTEM itself cannot be read.
LoadedHive<SystemFacts> load_system_hive(const ReadConfigFile& read, const std::vector<ValueQuery>& values = {});

}  // namespace hfa::registry
