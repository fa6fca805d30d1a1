// Writes small but genuine executables for the tests: a PE image with a
// .rsrc section holding a VS_VERSIONINFO, and the older formats (MZ-only DOS
// program, 16-bit NE module, LE/LX) the PE reader must recognise and refuse.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/nt_types.h"

namespace hfa::testdata {

struct PeSpec {
  uint16_t machine = 0x14c;  // COFF machine: 0x14c x86, 0x184 Alpha, 0x166 MIPS, 0x1f0 PPC
  bool pe32_plus = false;    // 64-bit optional header
  bool dll = true;
  uint32_t link_time = 0;  // COFF TimeDateStamp
  // With a file version, a VS_VERSIONINFO resource is written: VS_FIXEDFILEINFO
  // and a StringFileInfo table (040904B0) with `strings` in order.
  std::optional<Version> file_version;
  std::optional<Version> product_version;  // defaults to file_version
  std::vector<std::pair<std::string, std::string>> strings;
  // Pad the file to exactly this many bytes (0: natural size). Must not be
  // smaller than the natural size.
  uint64_t size = 0;
};

std::vector<uint8_t> write_pe(const PeSpec& spec);

// Valid but unusual layouts, as minimal images and some linkers and packers
// write them; the loader and pefile read them all.
enum class PeLayout {
  header_in_dos_header,     // e_lfanew 4: the PE header overlaps the DOS header
                            // (SectionAlignment, at 0x3c, is then 4 too)
  no_optional_header_size,  // SizeOfOptionalHeader 0 and no section, as minimal images have
                            // (the section table would overlap the optional header)
  overstated_section_count, // NumberOfSections 0xffff: the table would run past the end of the file,
                            // and ends at the zero entry after the real ones
};
std::vector<uint8_t> write_unusual_pe(const PeSpec& spec, PeLayout layout);
// A 16-bit Windows module (NE), e.g. system/ddeml.dll.
std::vector<uint8_t> write_ne(const std::string& module_name, uint64_t size = 0);
// A DOS program with an MZ header and no new-style header.
std::vector<uint8_t> write_mz_only();
// A VxD-style LE module, or an OS/2 LX module.
std::vector<uint8_t> write_le(bool lx = false);

}  // namespace hfa::testdata
