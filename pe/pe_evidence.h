// What one executable file says about itself, read offline. The reader knows
// nothing of KB articles: it reports the file's own facts and, for a file that
// is not a readable PE image, the reason it is not. It reads only the parts
// those facts need (headers, section table, the resource directories on the way
// to the version resource, and that resource), a page at a time from a Source:
// over a file share or from a disk image, bytes read are the cost. The header
// facts (machine, link time, PE32/PE32+, section table) are LIEF's reading of
// a header-only copy the reader checked first (pe/lief_headers.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_source.h"
#include "core/nt_types.h"

namespace hfa::pe {

enum class Kind {
  pe32,            // PE image, 32-bit optional header
  pe32_plus,       // PE image, 64-bit optional header
  mz_only,         // DOS program: MZ header, no new-style header
  ne,              // 16-bit Windows/OS2 module (NE)
  le,              // VxD / OS/2 LE
  lx,              // OS/2 LX
  truncated,       // a header or a structure runs past the end of the file
  not_executable,  // no MZ signature at all
  unreadable,      // another reason, or over a limit (see `problem`)
};
// "PE32", "PE32+", "MZ", "NE", "LE", "LX", "truncated", "not-executable", "unreadable".
std::string to_string(Kind k);
inline bool is_pe(Kind k) { return k == Kind::pe32 || k == Kind::pe32_plus; }

struct PeEvidence {
  std::string name;  // what the caller called the bytes (a path, for messages)
  uint64_t size = 0;
  Kind kind = Kind::not_executable;
  // Why the file is not a readable PE, or what part of it could not be read
  // (a damaged resource section leaves the headers readable). Empty when clean.
  std::string problem;

  uint16_t machine = 0;                 // COFF Machine; 0 when not a PE
  std::optional<uint32_t> link_time;    // COFF TimeDateStamp, seconds since 1970 UTC
  bool has_version_resource = false;    // an RT_VERSION with a VS_FIXEDFILEINFO
  std::optional<Version> file_version;  // VS_FIXEDFILEINFO dwFileVersionMS/LS
  std::optional<Version> product_version;
  // StringFileInfo of the first string table: CompanyName, FileDescription,
  // FileVersion, InternalName, OriginalFilename, ProductName, ProductVersion
  // (and any other key the file carries), values as UTF-8.
  std::map<std::string, std::string> strings;
};

// Name of a COFF machine: "x86" (0x14c), "alpha" (0x184), "mips" (0x166),
// "ppc" (0x1f0), "x64" (0x8664), "ia64" (0x200), "arm" (0x1c0) ... else "0x1c4".
std::string machine_name(uint16_t machine);
// The NT platform a COFF machine runs on; nullopt for machines NT never ran (ARM...).
std::optional<Platform> machine_platform(uint16_t machine);

// Limits against crafted files: a larger file is `unreadable` without being
// read; a larger version resource is a problem and is not read. Real NT 4.0
// files are a few MiB, their version resources a few KiB.
inline constexpr uint64_t kMaxFileBytes = 256ull << 20;
inline constexpr uint32_t kMaxVersionBytes = 64u << 10;

// Where the reader gets its bytes: a local file (FileSource, what `inspect`
// reads) or a file of a volume (image::Volume::open).
using Source = ::hfa::ByteSource;
using ::hfa::FileSource;

// Never throws, never crashes on hostile bytes: every failure, a failed read
// included, is a Kind and a problem.
PeEvidence read_pe(const Source& source, const std::string& name);
PeEvidence read_pe(const std::vector<uint8_t>& bytes, const std::string& name);

}  // namespace hfa::pe
