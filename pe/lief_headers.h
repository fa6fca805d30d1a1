// The PE header facts the evidence reader takes from LIEF, and the check of
// LIEF's reading against the one made by hand. LIEF is the parser of record
// for the headers; the hand reading exists to make what LIEF is given safe and
// to catch LIEF reading the same bytes differently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hfa::pe {

struct SectionFacts {
  std::string name;  // the 8 name bytes up to the first NUL, as they are
  uint32_t virtual_address = 0;
  uint32_t virtual_size = 0;  // as stored, 0 included
};

struct HeaderFacts {
  uint16_t machine = 0;    // COFF Machine
  uint32_t link_time = 0;  // COFF TimeDateStamp
  uint16_t magic = 0;      // optional header magic: 0x10b PE32, 0x20b PE32+
  uint32_t section_alignment = 0;
  uint32_t file_alignment = 0;
  std::vector<SectionFacts> sections;
};

// LIEF's reading (LIEF::PE::Parser::parse) of a header-only image. Throws what
// LIEF throws, and std::runtime_error when LIEF returns no binary. `image`
// must already be safe for LIEF 0.9 (see compact_headers in pe_evidence.cpp).
HeaderFacts lief_header_facts(const std::vector<uint8_t>& image, const std::string& name);

// "" when both readings agree, else the first fact they differ on, both
// values given: "LIEF reads machine 0x184, the header bytes say 0x14c".
std::string disagreement(const HeaderFacts& by_hand, const HeaderFacts& by_lief);

}  // namespace hfa::pe
