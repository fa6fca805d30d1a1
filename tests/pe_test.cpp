// The PE reader on images the fixture writer produced, on the older formats it
// must recognise, and on truncated, damaged and hostile bytes; the inspect
// outputs; and pefile's reading of the writer's images.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>

#include "pe/lief_headers.h"
#include "pe/pe_evidence.h"
#include "report/inspect.h"
#include "testdata/pe_writer.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using pe::Kind;
using pe::read_pe;
using testdata::PeSpec;

constexpr uint32_t kLinkTime = 954809160;  // 2000-04-04T00:46:00Z

PeSpec winlogon_spec() {
  PeSpec spec;
  spec.link_time = kLinkTime;
  spec.file_version = Version{4, 0, 1381, 7};
  spec.strings = {{"CompanyName", "Microsoft Corporation"},
                  {"FileDescription", "Windows NT Logon Application"},
                  {"OriginalFilename", "WINLOGON.EXE"}};
  return spec;
}

uint32_t get32(const std::vector<uint8_t>& b, size_t at) {
  return b[at] | b[at + 1] << 8 | b[at + 2] << 16 | uint32_t(b[at + 3]) << 24;
}

void set32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = uint8_t(v >> (8 * i));
}

std::string pe_hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// The optional header's offset in an image write_pe produced.
size_t optional_header(const std::vector<uint8_t>& b) { return get32(b, 0x3c) + 24; }

// File offset and size of the .rsrc section's raw data.
std::pair<size_t, size_t> rsrc_section(const std::vector<uint8_t>& b) {
  const size_t coff = get32(b, 0x3c) + 4;
  const size_t sections = b[coff + 2] | b[coff + 3] << 8;
  const size_t table = coff + 20 + (b[coff + 16] | b[coff + 17] << 8);
  for (size_t i = 0; i < sections; ++i) {
    const size_t at = table + 40 * i;
    if (std::string(reinterpret_cast<const char*>(&b[at])) == ".rsrc") return {get32(b, at + 20), get32(b, at + 16)};
  }
  ADD_FAILURE() << "no .rsrc section";
  return {0, 0};
}

TEST(PeReader, RoundTripsTheMachineOfEachNtPlatform) {
  const struct {
    uint16_t machine;
    const char* name;
    std::optional<Platform> platform;
  } cases[] = {{0x14c, "x86", Platform::x86},
               {0x184, "alpha", Platform::alpha},
               {0x166, "mips", Platform::mips},
               {0x1f0, "ppc", Platform::ppc},
               {0x1c4, "0x1c4", std::nullopt}};
  for (const auto& c : cases) {
    PeSpec spec = winlogon_spec();
    spec.machine = c.machine;
    const auto ev = read_pe(testdata::write_pe(spec), "winlogon.exe");
    EXPECT_EQ(ev.kind, Kind::pe32) << c.name;
    EXPECT_EQ(ev.machine, c.machine);
    EXPECT_EQ(pe::machine_name(ev.machine), c.name);
    EXPECT_EQ(pe::machine_platform(ev.machine), c.platform) << c.name;
    EXPECT_EQ(ev.link_time, kLinkTime);
    EXPECT_EQ(ev.file_version, (Version{4, 0, 1381, 7}));
    EXPECT_TRUE(ev.problem.empty()) << ev.problem;
  }
}

TEST(PeReader, ReadsVersionsAndStringFileInfoAsUtf8) {
  PeSpec spec = winlogon_spec();
  spec.file_version = Version{4, 0, 1381, 133};
  spec.product_version = Version{4, 0, 1381, 1};
  // Two-byte, three-byte and four-byte (surrogate pair in UTF-16) characters.
  spec.strings.push_back({"Comments", "Ünïcødé € 𝄞"});
  spec.strings.push_back({"Empty", ""});
  const auto ev = read_pe(testdata::write_pe(spec), "winlogon.exe");
  ASSERT_TRUE(ev.has_version_resource);
  EXPECT_EQ(ev.file_version, (Version{4, 0, 1381, 133}));
  EXPECT_EQ(ev.product_version, (Version{4, 0, 1381, 1}));
  const std::map<std::string, std::string> expected{{"CompanyName", "Microsoft Corporation"},
                                                    {"FileDescription", "Windows NT Logon Application"},
                                                    {"OriginalFilename", "WINLOGON.EXE"},
                                                    {"Comments", "Ünïcødé € 𝄞"},
                                                    {"Empty", ""}};
  EXPECT_EQ(ev.strings, expected);
  EXPECT_TRUE(ev.problem.empty()) << ev.problem;
}

TEST(PeReader, ReadsPe32Plus) {
  PeSpec spec = winlogon_spec();
  spec.machine = 0x8664;
  spec.pe32_plus = true;
  spec.dll = false;
  const auto ev = read_pe(testdata::write_pe(spec), "x64.exe");
  EXPECT_EQ(ev.kind, Kind::pe32_plus);
  EXPECT_EQ(pe::to_string(ev.kind), "PE32+");
  EXPECT_EQ(pe::machine_name(ev.machine), "x64");
  EXPECT_EQ(pe::machine_platform(ev.machine), Platform::x64);
  EXPECT_EQ(ev.link_time, kLinkTime);
  EXPECT_EQ(ev.file_version, (Version{4, 0, 1381, 7}));
  EXPECT_EQ(ev.strings.at("OriginalFilename"), "WINLOGON.EXE");
}

TEST(PeReader, PeWithoutVersionResource) {
  PeSpec spec;
  spec.link_time = kLinkTime;
  const auto ev = read_pe(testdata::write_pe(spec), "plain.dll");
  EXPECT_EQ(ev.kind, Kind::pe32);
  EXPECT_EQ(ev.link_time, kLinkTime);
  EXPECT_FALSE(ev.has_version_resource);
  EXPECT_FALSE(ev.file_version);
  EXPECT_FALSE(ev.product_version);
  EXPECT_TRUE(ev.strings.empty());
  EXPECT_TRUE(ev.problem.empty()) << ev.problem;
}

TEST(PeReader, RecognisesTheOlderFormats) {
  const auto ne = read_pe(testdata::write_ne("DDEML"), "ddeml.dll");
  EXPECT_EQ(ne.kind, Kind::ne);
  EXPECT_EQ(pe::to_string(ne.kind), "NE");
  EXPECT_NE(ne.problem.find("DDEML"), std::string::npos) << ne.problem;
  EXPECT_EQ(ne.machine, 0);
  EXPECT_FALSE(ne.link_time);

  const auto mz = read_pe(testdata::write_mz_only(), "edlin.exe");
  EXPECT_EQ(mz.kind, Kind::mz_only);
  EXPECT_EQ(pe::to_string(mz.kind), "MZ");

  const auto le = read_pe(testdata::write_le(false), "vmm.vxd");
  EXPECT_EQ(le.kind, Kind::le);
  const auto lx = read_pe(testdata::write_le(true), "os2.dll");
  EXPECT_EQ(lx.kind, Kind::lx);
  for (const auto* ev : {&ne, &mz, &le, &lx}) {
    EXPECT_FALSE(pe::is_pe(ev->kind));
    EXPECT_FALSE(ev->problem.empty());
    EXPECT_FALSE(ev->has_version_resource);
  }
}

// A DOS header that ends before 0x3c leaves code or relocations where
// e_lfanew would be: without e_lfarlc 0x40 a far e_lfanew is no truncation.
TEST(PeReader, DosProgramWithAStrayELfanewIsMz) {
  auto bytes = testdata::write_mz_only();
  set32(bytes, 0x3c, 0x5000);
  const auto ev = read_pe(bytes, "edlin.exe");
  EXPECT_EQ(ev.kind, Kind::mz_only);
  EXPECT_NE(ev.problem.find("e_lfarlc 0x1c"), std::string::npos) << ev.problem;
}

// Valid layouts pefile reads and old readers called DOS programs or truncated
// (issue 11, point 11): each is a PE32 with its header facts, and what is
// unusual about it is said.
TEST(PeReader, UnusualButValidLayoutsAreReadAsPefileReadsThem) {
  using testdata::PeLayout;
  const auto inside = read_pe(testdata::write_unusual_pe(winlogon_spec(), PeLayout::header_in_dos_header), "tiny.exe");
  EXPECT_EQ(inside.kind, Kind::pe32) << inside.problem;
  EXPECT_EQ(inside.machine, 0x14c);
  EXPECT_EQ(inside.link_time, kLinkTime);
  EXPECT_EQ(inside.file_version, (Version{4, 0, 1381, 7})) << inside.problem;
  EXPECT_EQ(inside.problem, "");

  const auto no_size =
      read_pe(testdata::write_unusual_pe(winlogon_spec(), PeLayout::no_optional_header_size), "nosize.exe");
  EXPECT_EQ(no_size.kind, Kind::pe32) << no_size.problem;
  EXPECT_EQ(no_size.machine, 0x14c);
  EXPECT_EQ(no_size.link_time, kLinkTime);
  EXPECT_NE(no_size.problem.find("SizeOfOptionalHeader is 0, less than the 96 bytes of a PE32 optional header: the "
                                 "section table overlaps it"),
            std::string::npos)
      << no_size.problem;
  EXPECT_FALSE(no_size.file_version);  // its resource directory lies in no section, and it is said
  EXPECT_NE(no_size.problem.find("lies in no section"), std::string::npos) << no_size.problem;

  const auto overstated =
      read_pe(testdata::write_unusual_pe(winlogon_spec(), PeLayout::overstated_section_count), "many.exe");
  EXPECT_EQ(overstated.kind, Kind::pe32) << overstated.problem;
  EXPECT_EQ(overstated.link_time, kLinkTime);
  EXPECT_EQ(overstated.file_version, (Version{4, 0, 1381, 7}));
  EXPECT_EQ(overstated.problem,
            "the section table announces 65535 sections; entry 2 (at 0x1c8) is all zeros and ends it: 2 read");
}

TEST(PeReader, NeOfAGivenSizeIsStillNe) {
  const auto bytes = testdata::write_ne("SERVICES", 4096);
  ASSERT_EQ(bytes.size(), 4096u);
  EXPECT_EQ(read_pe(bytes, "services.exe").kind, Kind::ne);
}

TEST(PeReader, EveryCutOfAnImageIsTruncatedOrNotExecutable) {
  const auto whole = testdata::write_pe(winlogon_spec());
  for (size_t cut = 0; cut < whole.size(); ++cut) {
    const std::vector<uint8_t> part(whole.begin(), whole.begin() + cut);
    const auto ev = read_pe(part, "cut.dll");
    EXPECT_EQ(ev.size, cut);
    if (cut < 2) {
      EXPECT_EQ(ev.kind, Kind::not_executable) << cut;
    } else {
      EXPECT_EQ(ev.kind, Kind::truncated) << cut;
      EXPECT_NE(ev.problem.find(cut < 64 ? "needs 64 bytes" : "past the end of the file"), std::string::npos)
          << cut << ": " << ev.problem;
      EXPECT_EQ(ev.machine, 0);
      EXPECT_FALSE(ev.link_time);
    }
  }
}

TEST(PeReader, TruncationNamesTheOffset) {
  auto bytes = testdata::write_pe(winlogon_spec());
  bytes.resize(812);
  set32(bytes, 0x3c, 0x1f00);
  const auto ev = read_pe(bytes, "short.dll");
  EXPECT_EQ(ev.kind, Kind::truncated);
  EXPECT_EQ(ev.problem, "e_lfanew 0x1f00 points past the end of the file (size 812)");

  const auto whole = testdata::write_pe(winlogon_spec());
  const auto section_cut = read_pe(std::vector<uint8_t>(whole.begin(), whole.begin() + 0x300), "cut.dll");
  EXPECT_EQ(section_cut.kind, Kind::truncated);
  EXPECT_EQ(section_cut.problem, "section .text (0x200 bytes at 0x200) runs past the end of the file (size 768)");

  auto ne = testdata::write_ne("DDEML");
  ne.resize(0x90);
  const auto ne_cut = read_pe(ne, "ddeml.dll");
  EXPECT_EQ(ne_cut.kind, Kind::truncated);
  EXPECT_NE(ne_cut.problem.find("NE header"), std::string::npos) << ne_cut.problem;
}

TEST(PeReader, EmptyAndGarbageAreNotExecutable) {
  const auto empty = read_pe({}, "empty.dll");
  EXPECT_EQ(empty.kind, Kind::not_executable);
  EXPECT_EQ(empty.size, 0u);
  EXPECT_EQ(pe::to_string(empty.kind), "not-executable");

  std::mt19937 rng(1381);
  std::vector<uint8_t> garbage(4096);
  for (auto& b : garbage) b = uint8_t(rng());
  garbage[0] = 'X';
  EXPECT_EQ(read_pe(garbage, "garbage.bin").kind, Kind::not_executable);
  // Garbage behind an MZ: whatever it is taken for, it is said why.
  for (int i = 0; i < 200; ++i) {
    for (auto& b : garbage) b = uint8_t(rng());
    garbage[0] = 'M';
    garbage[1] = 'Z';
    const auto ev = read_pe(garbage, "garbage.exe");
    EXPECT_EQ(pe::is_pe(ev.kind), ev.link_time.has_value());
    if (!pe::is_pe(ev.kind)) {
      EXPECT_FALSE(ev.problem.empty());
    }
  }
}

TEST(PeReader, UnknownOptionalHeaderMagicIsUnreadable) {
  auto bytes = testdata::write_pe(winlogon_spec());
  bytes[optional_header(bytes)] = 0x07;
  bytes[optional_header(bytes) + 1] = 0x01;
  const auto ev = read_pe(bytes, "rom.img");
  EXPECT_EQ(ev.kind, Kind::unreadable);
  EXPECT_NE(ev.problem.find("0x107"), std::string::npos) << ev.problem;
}

TEST(PeReader, DamagedResourceSectionKeepsTheHeaders) {
  auto bytes = testdata::write_pe(winlogon_spec());
  const auto [offset, size] = rsrc_section(bytes);
  std::fill_n(bytes.begin() + offset, size, 0xff);
  const auto ev = read_pe(bytes, "winlogon.exe");
  EXPECT_EQ(ev.kind, Kind::pe32);
  EXPECT_EQ(ev.machine, 0x14c);
  EXPECT_EQ(ev.link_time, kLinkTime);
  EXPECT_FALSE(ev.has_version_resource);
  EXPECT_FALSE(ev.problem.empty());
}

TEST(PeReader, DamagedFixedFileInfoIsAProblem) {
  auto bytes = testdata::write_pe(winlogon_spec());
  const uint8_t signature[] = {0xbd, 0x04, 0xef, 0xfe};
  const auto at = std::search(bytes.begin(), bytes.end(), std::begin(signature), std::end(signature));
  ASSERT_NE(at, bytes.end());
  *at = 0;
  const auto ev = read_pe(bytes, "winlogon.exe");
  EXPECT_EQ(ev.kind, Kind::pe32);
  EXPECT_FALSE(ev.has_version_resource);
  EXPECT_FALSE(ev.file_version);
  EXPECT_NE(ev.problem.find("signature 0xfeef0400"), std::string::npos) << ev.problem;
}

TEST(PeReader, ResourceDirectoryOutsideTheSections) {
  auto bytes = testdata::write_pe(winlogon_spec());
  set32(bytes, optional_header(bytes) + 96 + 16, 0x9000);
  const auto ev = read_pe(bytes, "winlogon.exe");
  EXPECT_EQ(ev.kind, Kind::pe32);
  EXPECT_EQ(ev.link_time, kLinkTime);
  EXPECT_NE(ev.problem.find("RVA 0x9000"), std::string::npos) << ev.problem;
}

TEST(PeReader, VersionEntryLeadingToADirectoryIsAProblem) {
  auto bytes = testdata::write_pe(winlogon_spec());
  const auto [root, size] = rsrc_section(bytes);
  ASSERT_EQ(size, 0x400u);
  set32(bytes, root + 0x30 + 20, 0x80000000 | 0x3e0);  // the language entry, to an empty directory
  const auto ev = read_pe(bytes, "winlogon.exe");
  EXPECT_EQ(ev.kind, Kind::pe32);
  EXPECT_FALSE(ev.has_version_resource);
  EXPECT_EQ(ev.problem,
            "the version resource is damaged: RT_VERSION leads to no data entry (the language entry at " +
                pe_hex(root + 0x40) + " leads to a fourth directory level)");
}

// A resource tree of `depth` directories each holding the next, laid out in
// the padding after the image, with the root's entry leading into it.
std::vector<uint8_t> nested_resources(size_t depth) {
  PeSpec spec = winlogon_spec();
  spec.size = 0x1000 + 24 * (depth + 1);
  auto bytes = testdata::write_pe(spec);
  const size_t root = rsrc_section(bytes).first;
  for (size_t i = 0; i < depth; ++i) {
    const size_t dir = 0x1000 + 24 * i;
    bytes[dir + 14] = 1;  // one ID entry
    set32(bytes, dir + 16, 1);
    set32(bytes, dir + 20, 0x80000000 | uint32_t(dir + 24 - root));
  }
  set32(bytes, root + 20, 0x80000000 | uint32_t(0x1000 - root));
  return bytes;
}

// Only the three levels of a sound tree are read: a chain of directories of
// any depth, or a loop, ends at the third level with the same clear problem.
TEST(PeReader, DeepOrLoopingResourceTreesEndAtTheThirdLevel) {
  for (const size_t depth : {size_t(3), size_t(6), size_t(20000)}) {
    const auto deep = read_pe(nested_resources(depth), "deep.dll");
    EXPECT_EQ(deep.kind, Kind::pe32);
    EXPECT_EQ(deep.link_time, kLinkTime);
    EXPECT_FALSE(deep.has_version_resource);
    EXPECT_NE(deep.problem.find("RT_VERSION leads to no data entry (the language entry at 0x1028 leads to a fourth "
                                "directory level)"),
              std::string::npos)
        << depth << ": " << deep.problem;
  }

  auto looping = testdata::write_pe(winlogon_spec());
  const size_t root = rsrc_section(looping).first;
  set32(looping, root + 0x18 + 20, 0x80000000);  // the name directory leads back to the root
  const auto ev = read_pe(looping, "loop.dll");
  EXPECT_EQ(ev.kind, Kind::pe32);
  EXPECT_FALSE(ev.has_version_resource);
  EXPECT_NE(ev.problem.find("leads to a fourth directory level"), std::string::npos) << ev.problem;
}

TEST(PeReader, AVersionResourceOverTheLimitIsNotRead) {
  PeSpec spec = winlogon_spec();
  spec.size = 3 << 20;
  auto bytes = testdata::write_pe(spec);
  const size_t root = rsrc_section(bytes).first;
  // In the padding: a data entry of 2 MiB in place of RT_VERSION/1/0's own.
  const size_t data = 0x1000, languages = 0x2000;
  set32(bytes, data, 0x10000);      // OffsetToData
  set32(bytes, data + 4, 2 << 20);  // Size
  bytes[languages + 14] = 1;
  set32(bytes, languages + 16, 0x409);
  set32(bytes, languages + 20, uint32_t(data - root));
  set32(bytes, root + 0x18 + 20, 0x80000000 | uint32_t(languages - root));
  const auto ev = read_pe(bytes, "large.dll");
  EXPECT_EQ(ev.kind, Kind::pe32);
  EXPECT_EQ(ev.link_time, kLinkTime);
  EXPECT_FALSE(ev.has_version_resource);
  EXPECT_EQ(ev.problem, "the version resource is 2097152 bytes, over the limit of 65536; not read");
}

TEST(PeReader, RandomlyDamagedImagesNeverCrash) {
  std::mt19937 rng(4);
  for (const bool plus : {false, true}) {
    PeSpec spec = winlogon_spec();
    spec.pe32_plus = plus;
    const auto original = testdata::write_pe(spec);
    for (int round = 0; round < 5000; ++round) {
      auto bytes = original;
      const int flips = 1 + int(rng() % 8);
      for (int i = 0; i < flips; ++i) {
        // Mostly the headers and the resource tree, where the reader looks.
        const size_t at = rng() % 2 ? rng() % 0x200 : rng() % bytes.size();
        bytes[at] = uint8_t(rng() % 3 == 0 ? 0xff : rng());
      }
      const auto ev = read_pe(bytes, "fuzzed.dll");
      EXPECT_EQ(pe::is_pe(ev.kind), ev.link_time.has_value());
      EXPECT_EQ(ev.has_version_resource, ev.file_version.has_value());
      if (!pe::is_pe(ev.kind)) {
        EXPECT_FALSE(ev.problem.empty());
      }
    }
  }
}

// LIEF parses the headers; what it is given must not depend on the data
// directories or the COFF symbol table, which it would otherwise follow.
TEST(PeReader, HostileDirectoriesAndSymbolTableNeverReachLief) {
  for (const bool plus : {false, true}) {
    PeSpec spec = winlogon_spec();
    spec.pe32_plus = plus;
    auto bytes = testdata::write_pe(spec);
    const size_t coff = get32(bytes, 0x3c) + 4;
    set32(bytes, coff + 8, 0xfffffff0);   // PointerToSymbolTable
    set32(bytes, coff + 12, 0x7fffffff);  // NumberOfSymbols
    const size_t directories = optional_header(bytes) + (plus ? 112 : 96);
    for (size_t i = 0; i < 16; ++i) {
      if (i == 2) continue;  // the resources, read by hand
      set32(bytes, directories + 8 * i, 0xfffff000 - uint32_t(i));
      set32(bytes, directories + 8 * i + 4, 0x7fffffff);
    }
    const auto ev = read_pe(bytes, "winlogon.exe");
    EXPECT_EQ(ev.kind, plus ? Kind::pe32_plus : Kind::pe32) << ev.problem;
    EXPECT_EQ(ev.problem, "");
    EXPECT_EQ(ev.link_time, kLinkTime);
    EXPECT_EQ(ev.file_version, (Version{4, 0, 1381, 7}));
  }
}

pe::HeaderFacts lief_facts_of(const PeSpec& spec) {
  return pe::lief_header_facts(testdata::write_pe(spec), "fixture.dll");
}

TEST(LiefHeaders, LiefReadsTheWrittenHeaders) {
  PeSpec spec = winlogon_spec();
  spec.machine = 0x184;
  const auto facts = lief_facts_of(spec);
  EXPECT_EQ(facts.machine, 0x184);
  EXPECT_EQ(facts.link_time, kLinkTime);
  EXPECT_EQ(facts.magic, 0x10b);
  ASSERT_FALSE(facts.sections.empty());
  EXPECT_NE(std::find_if(facts.sections.begin(), facts.sections.end(),
                         [](const pe::SectionFacts& s) { return s.name == ".rsrc"; }),
            facts.sections.end());
  spec.pe32_plus = true;
  EXPECT_EQ(lief_facts_of(spec).magic, 0x20b);
}

TEST(LiefHeaders, WhatLiefCannotParseThrows) {
  std::vector<uint8_t> not_pe(512, 0);
  not_pe[0] = 'M';
  not_pe[1] = 'Z';
  set32(not_pe, 0x3c, 0x40);
  EXPECT_ANY_THROW(pe::lief_header_facts(not_pe, "zeros.bin"));
}

// Each fact on which LIEF and the hand reading differ is named, with both
// values; read_pe turns the message into the file's problem.
TEST(LiefHeaders, DisagreementNamesTheFactAndBothValues) {
  const auto hand = lief_facts_of(winlogon_spec());
  EXPECT_EQ(pe::disagreement(hand, hand), "");
  struct Case {
    void (*change)(pe::HeaderFacts&);
    std::string expected;
  };
  const std::vector<Case> cases = {
      {[](pe::HeaderFacts& f) { f.machine = 0x184; }, "LIEF reads machine 0x184, the header bytes say 0x14c"},
      {[](pe::HeaderFacts& f) { f.link_time = 1; },
       "LIEF reads TimeDateStamp 0x1, the header bytes say " + pe_hex(kLinkTime)},
      {[](pe::HeaderFacts& f) { f.magic = 0x20b; },
       "LIEF reads optional header magic 0x20b, the header bytes say 0x10b"},
      {[](pe::HeaderFacts& f) { f.section_alignment = 0x10; }, "LIEF reads SectionAlignment 0x10"},
      {[](pe::HeaderFacts& f) { f.file_alignment = 0x1; }, "LIEF reads FileAlignment 0x1"},
      {[](pe::HeaderFacts& f) { f.sections.pop_back(); }, "sections, the header bytes have"},
      {[](pe::HeaderFacts& f) { f.sections[0].name = "UPX\x01"; }, "section 1's name \"UPX\\x01\""},
      {[](pe::HeaderFacts& f) { f.sections[0].virtual_address += 0x1000; }, "section 1's VirtualAddress"},
      {[](pe::HeaderFacts& f) { f.sections[0].virtual_size = 0; }, "section 1's VirtualSize 0x0"},
  };
  for (const auto& c : cases) {
    auto lief = hand;
    c.change(lief);
    const auto why = pe::disagreement(hand, lief);
    EXPECT_NE(why.find(c.expected), std::string::npos) << why;
  }
}

TEST(PeWriter, PadsToTheRequestedSizeOnly) {
  PeSpec spec = winlogon_spec();
  spec.size = 192272;
  const auto bytes = testdata::write_pe(spec);
  EXPECT_EQ(bytes.size(), 192272u);
  const auto ev = read_pe(bytes, "winlogon.exe");
  EXPECT_EQ(ev.size, 192272u);
  EXPECT_EQ(ev.file_version, (Version{4, 0, 1381, 7}));

  spec.size = 1000;
  EXPECT_THROW(testdata::write_pe(spec), std::invalid_argument);
  spec.size = 0;
  EXPECT_EQ(testdata::write_pe(spec).size() % 0x200, 0u);
}

TEST(PeWriter, MarksDllsAndOptionalHeaderKinds) {
  PeSpec spec = winlogon_spec();
  const auto dll = testdata::write_pe(spec);
  const size_t characteristics = get32(dll, 0x3c) + 4 + 18;
  EXPECT_TRUE(dll[characteristics + 1] & 0x20);  // IMAGE_FILE_DLL
  spec.dll = false;
  spec.pe32_plus = true;
  const auto exe = testdata::write_pe(spec);
  EXPECT_FALSE(exe[characteristics + 1] & 0x20);
  EXPECT_EQ(exe[optional_header(exe)], 0x0b);
  EXPECT_EQ(exe[optional_header(exe) + 1], 0x02);
}

// The python3 with pefile, or "" when there is none.
std::string python_with_pefile() {
  for (const char* python : {"/usr/bin/python3", "python3"}) {
    const std::string cmd = std::string(python) + " -c 'import pefile' >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return python;
  }
  return "";
}

TEST(PeWriter, PefileReadsWhatWasWritten) {
  const std::string python = python_with_pefile();
  if (python.empty()) GTEST_SKIP() << "python3-pefile not installed";
  test::TempDir dir;
  for (const bool plus : {false, true}) {
    PeSpec spec = winlogon_spec();
    spec.machine = plus ? 0x8664 : 0x184;
    spec.pe32_plus = plus;
    spec.product_version = Version{4, 0, 1381, 1};
    spec.size = 20000;
    const auto path = dir.path() / (plus ? "x64.dll" : "alpha.dll");
    const auto bytes = testdata::write_pe(spec);
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    const std::string script =
        "import pefile, sys\n"
        "pe = pefile.PE(sys.argv[1])\n"
        "f = pe.VS_FIXEDFILEINFO[0]\n"
        "s = {k.decode(): v.decode() for k, v in pe.FileInfo[0][0].StringTable[0].entries.items()}\n"
        "print(hex(pe.FILE_HEADER.Machine), pe.FILE_HEADER.TimeDateStamp, hex(pe.OPTIONAL_HEADER.Magic),\n"
        "      '%x.%x.%x.%x' % (f.FileVersionMS, f.FileVersionLS, f.ProductVersionMS, f.ProductVersionLS),\n"
        "      pe.OPTIONAL_HEADER.CheckSum == pe.generate_checksum(), s['OriginalFilename'], len(pe.__data__))\n";
    const auto script_path = dir.path() / "read.py";
    std::ofstream(script_path) << script;
    FILE* out = ::popen((python + " " + test::shell_quote(script_path.string()) + " " +
                         test::shell_quote(path.string()) + " 2>&1")
                            .c_str(),
                        "r");
    ASSERT_NE(out, nullptr);
    std::string text;
    char buf[512];
    while (std::fgets(buf, sizeof buf, out)) text += buf;
    EXPECT_EQ(::pclose(out), 0) << text;
    EXPECT_EQ(text, std::string(plus ? "0x8664" : "0x184") + " 954809160 " + (plus ? "0x20b" : "0x10b") +
                        " 40000.5650007.40000.5650001 True WINLOGON.EXE 20000\n");
  }
}

TEST(InspectFormat, JsonHasTheKeysInOrder) {
  PeSpec spec = winlogon_spec();
  spec.size = 135440;
  const auto ev = read_pe(testdata::write_pe(spec), "WINNT/system32/winlogon.exe");
  const auto j = report::to_json(ev);
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"file", "size", "kind", "machine", "machine_code", "link_time",
                                            "link_time_raw", "file_version", "product_version", "version_resource",
                                            "strings", "problem"}));
  EXPECT_EQ(j["file"], "WINNT/system32/winlogon.exe");
  EXPECT_EQ(j["size"], 135440);
  EXPECT_EQ(j["kind"], "PE32");
  EXPECT_EQ(j["machine"], "x86");
  EXPECT_EQ(j["machine_code"], 0x14c);
  EXPECT_EQ(j["link_time"], "2000-04-04T00:46:00Z");
  EXPECT_EQ(j["link_time_raw"], kLinkTime);
  EXPECT_EQ(j["file_version"], "4.0.1381.7");
  EXPECT_EQ(j["product_version"], "4.0.1381.7");
  EXPECT_EQ(j["version_resource"], true);
  EXPECT_EQ(j["strings"]["CompanyName"], "Microsoft Corporation");
  EXPECT_TRUE(j["problem"].is_null());
}

TEST(InspectFormat, JsonOfANonPeFileHasNulls) {
  const auto j = report::to_json(read_pe(testdata::write_ne("DDEML"), "ddeml.dll"));
  EXPECT_EQ(j["kind"], "NE");
  for (const char* key : {"machine", "machine_code", "link_time", "link_time_raw", "file_version", "product_version"})
    EXPECT_TRUE(j[key].is_null()) << key;
  EXPECT_EQ(j["version_resource"], false);
  EXPECT_TRUE(j["strings"].is_object());
  EXPECT_TRUE(j["strings"].empty());
  EXPECT_NE(j["problem"].get<std::string>().find("DDEML"), std::string::npos);
}

TEST(InspectFormat, TextIsASigcheckLikeBlock) {
  PeSpec spec = winlogon_spec();
  spec.machine = 0x184;
  spec.size = 135440;
  const auto text = report::to_text(read_pe(testdata::write_pe(spec), "winlogon.exe"));
  EXPECT_EQ(text,
            "winlogon.exe:\n"
            "  Kind:            PE32\n"
            "  Machine:         alpha (0x184)\n"
            "  Link date:       2000-04-04T00:46:00Z\n"
            "  File version:    4.0.1381.7\n"
            "  Product version: 4.0.1381.7\n"
            "  CompanyName:     Microsoft Corporation\n"
            "  FileDescription: Windows NT Logon Application\n"
            "  OriginalFilename: WINLOGON.EXE\n"
            "  Size:            135440\n");

  PeSpec plain;
  plain.link_time = kLinkTime;
  const auto bare = report::to_text(read_pe(testdata::write_pe(plain), "plain.dll"));
  EXPECT_NE(bare.find("No version resource"), std::string::npos) << bare;

  const auto ne = report::to_text(read_pe(testdata::write_ne("DDEML"), "ddeml.dll"));
  EXPECT_NE(ne.find("  Kind:            NE\n"), std::string::npos) << ne;
  EXPECT_NE(ne.find("  Problem:         16-bit NE module DDEML\n"), std::string::npos) << ne;
  EXPECT_EQ(ne.find("Machine"), std::string::npos) << ne;
}

TEST(InspectFormat, TextKeepsControlCharactersOutOfTheTerminal) {
  PeSpec spec = winlogon_spec();
  spec.strings = {{"CompanyName", "Evil\x1b[2J\nCorp"}};
  const auto text = report::to_text(read_pe(testdata::write_pe(spec), "evil.dll"));
  EXPECT_NE(text.find("  CompanyName:     Evil\\x1b[2J\\x0aCorp\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace hfa
