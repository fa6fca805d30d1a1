// Finds the Windows NT installations on a volume: every boot.ini entry of
// [operating systems] whose folder is on this volume, else every top-level
// folder holding system32/ntoskrnl.exe.
#pragma once

#include <cstdint>
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

struct Installation {
  std::string system_root;  // folder on the volume as stored: "WINNT", "Nt40Srv"
  std::string found_by;     // "boot.ini line 7" or "folder with system32/ntoskrnl.exe"
  std::string description;  // boot.ini's text, when any
};

struct Discovery {
  std::vector<Installation> installations;
  std::vector<std::string> notes;  // boot.ini entries not on this volume, parse problems
  // What was looked for, for the error of a volume with no installation.
  static constexpr std::string_view kLookedFor =
      "no Windows installation: looked for boot.ini [operating systems] entries and for "
      "top-level folders holding system32/ntoskrnl.exe";
};
Discovery find_installations(const Volume& volume);

}  // namespace hfa::image
