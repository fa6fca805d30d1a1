// Finds the Windows NT installations on a volume: every boot.ini entry of
// [operating systems] whose folder is on this volume, else every top-level
// folder holding system32/ntoskrnl.exe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "image/volume.h"

namespace hfa::image {

struct BootEntry {
  int line = 0;
  std::string arc_path;     // "multi(0)disk(0)rdisk(0)partition(1)"
  std::string folder;       // "WINNT"; "" for an entry such as C:\="MS-DOS"
  std::string description;  // the quoted text
  std::string options;      // "/basevideo /sos"
};

struct BootIni {
  std::vector<BootEntry> entries;
  std::vector<std::string> problems;  // "line 9: expected PATH="DESCRIPTION""
};
// Limits against a crafted boot.ini: a larger file is not read, one with more
// lines gives no entries and one problem saying so.
inline constexpr uint64_t kMaxBootIniBytes = 1 << 20;
inline constexpr uint64_t kMaxBootIniLines = 1000;
BootIni parse_boot_ini(std::string_view text);

// N of an ARC path's partition(N) ("multi(0)disk(0)rdisk(0)partition(2)" -> 2);
// nullopt when the path names no partition.
std::optional<int> arc_partition(std::string_view arc_path);

// The kernel an entry boots: the file its /KERNEL= switch names in system32,
// else ntoskrnl.exe; lower case. nullopt (with `problem` set) for a switch
// naming no plain file name.
std::optional<std::string> boot_kernel(const BootEntry& e, std::string& problem);

// A boot.ini read once, where it was found, for the installations it boots.
struct BootIniFile {
  std::string where;  // "boot.ini" (this volume), "boot.ini on p1" (another
                      // partition of the disk)
  BootIni ini;
};

// "boot.ini line 5" for the volume's own boot.ini, "boot.ini on p1, line 5"
// for another partition's (a `where` with a space).
std::string boot_line(const std::string& where, int line);

struct Installation {
  std::string system_root;  // folder on the volume as stored: "WINNT", "Nt40Srv"
  std::string found_by;     // "boot.ini line 7", "boot.ini on p1, line 5" or
                            // "folder holding system32/ntoskrnl.exe"
  std::string description;  // boot.ini's text, when any
  // The boot.ini entries that boot it (its /basevideo and /KERNEL= variants
  // too), with `boot_ini` saying where they were read; empty when found
  // without boot.ini.
  std::vector<BootEntry> boot_entries;
  std::string boot_ini;
};

struct Discovery {
  std::vector<Installation> installations;
  bool boot_ini = false;           // a boot.ini was read for this volume (its own or
                                   // another partition's)
  std::vector<std::string> notes;  // boot.ini entries not on this volume, parse problems
  // What was looked for, for the error of a volume with no installation.
  static constexpr std::string_view kLookedFor =
      "no Windows installation: looked for boot.ini [operating systems] entries and for "
      "top-level folders holding system32/ntoskrnl.exe";
};
// `elsewhere`: the entries of a boot.ini on another partition of the same
// disk that name this one (disk images: NT's system partition holds boot.ini,
// its boot partition the installation). This volume's own boot.ini, when it
// has one, is read too.
Discovery find_installations(const Volume& volume, const std::optional<BootIniFile>& elsewhere = std::nullopt);
// The volume's own boot.ini, read and parsed; nullopt when it has none.
// Problems reading it go to `notes`.
std::optional<BootIniFile> read_boot_ini(const Volume& volume, std::vector<std::string>& notes);

}  // namespace hfa::image
