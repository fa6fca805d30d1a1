// The limits against resource exhaustion (README, "Limits"): each crafted
// input ends in its clear error, without the reader reading or allocating what
// the input asks for.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "image/installations.h"
#include "image/volume.h"
#include "kbdb/kbdb.h"
#include "pe/pe_evidence.h"
#include "registry/os_profile.h"
#include "testdata/hive_writer.h"
#include "testdata/pe_writer.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

namespace fs = std::filesystem;

void write_bytes(const fs::path& p, const std::vector<uint8_t>& bytes) {
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

uint32_t get32(const std::vector<uint8_t>& b, size_t at) {
  return b[at] | b[at + 1] << 8 | b[at + 2] << 16 | uint32_t(b[at + 3]) << 24;
}

void set16(std::vector<uint8_t>& b, size_t at, uint16_t v) {
  b[at] = uint8_t(v);
  b[at + 1] = uint8_t(v >> 8);
}

testdata::PeSpec versioned_spec() {
  testdata::PeSpec spec;
  spec.link_time = 954809160;
  spec.file_version = Version{4, 0, 1381, 7};
  spec.strings = {{"CompanyName", "Microsoft Corporation"}, {"OriginalFilename", "WINLOGON.EXE"}};
  return spec;
}

// Offset of a UTF-16LE key in the bytes, less the 6 bytes of its block's header.
size_t block_of_key(const std::vector<uint8_t>& bytes, const std::u16string& key) {
  std::vector<uint8_t> pattern;
  for (char16_t c : key) {
    pattern.push_back(uint8_t(c));
    pattern.push_back(uint8_t(c >> 8));
  }
  const auto at = std::search(bytes.begin(), bytes.end(), pattern.begin(), pattern.end());
  EXPECT_NE(at, bytes.end());
  return size_t(at - bytes.begin()) - 6;
}

TEST(Limits, APeFileOverTheBoundIsNotRead) {
  test::TempDir dir;
  const auto path = dir.path() / "huge.dll";
  write_bytes(path, testdata::write_pe(versioned_spec()));
  fs::resize_file(path, pe::kMaxFileBytes + 1);  // sparse: costs no disk
  const pe::FileSource source(path.string());
  ASSERT_EQ(source.error(), "");
  const auto ev = pe::read_pe(source, "huge.dll");
  EXPECT_EQ(ev.kind, pe::Kind::unreadable);
  EXPECT_EQ(ev.problem, "268435457 bytes, over the limit of 268435456 for a PE file; not read");

  const auto r = test::run_tool("inspect --format json " + test::shell_quote(path.string()));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto file = nlohmann::json::parse(r.out).at("files").at(0);
  EXPECT_EQ(file.at("kind"), "unreadable");
  EXPECT_EQ(file.at("problem"), ev.problem);
}

TEST(Limits, AHiveOverTheBoundIsNotOpened) {
  test::TempDir dir;
  const auto path = dir.path() / "SOFTWARE";
  write_bytes(path, testdata::HiveBuilder().key("Microsoft\\Windows NT\\CurrentVersion").build());
  fs::resize_file(path, registry::kMaxHiveBytes + 1);
  const auto sw = registry::read_software_hive(path.string());
  EXPECT_FALSE(sw.facts);
  EXPECT_EQ(sw.error, "SOFTWARE hive " + path.string() + ": 268435457 bytes, over the limit of 268435456 for a hive; not read");
}

// A resource directory whose entries lead back to the root: followed only
// to the third level, where a data entry must be.
TEST(Limits, AResourceDirectoryThatLoopsEndsAtTheThirdLevel) {
  auto bytes = testdata::write_pe(versioned_spec());
  const size_t coff = get32(bytes, 0x3c) + 4;
  const size_t table = coff + 20 + (bytes[coff + 16] | bytes[coff + 17] << 8);
  size_t tree = 0;
  for (size_t i = 0; i < bytes[coff + 2]; ++i)
    if (std::string(reinterpret_cast<const char*>(&bytes[table + 40 * i])) == ".rsrc") tree = get32(bytes, table + 40 * i + 20);
  ASSERT_NE(tree, 0u);
  // The name and the language directories' entries both lead to the root.
  for (const size_t entry : {tree + 0x18 + 16, tree + 0x30 + 16}) {
    bytes[entry + 7] = 0x80;  // to a directory
    bytes[entry + 4] = bytes[entry + 5] = bytes[entry + 6] = 0;  // at offset 0: the root
  }
  const auto ev = pe::read_pe(bytes, "loop.dll");
  EXPECT_EQ(ev.kind, pe::Kind::pe32);
  EXPECT_FALSE(ev.has_version_resource);
  EXPECT_NE(ev.problem.find("RT_VERSION leads to no data entry (the language entry at"), std::string::npos)
      << ev.problem;
  EXPECT_NE(ev.problem.find("leads to a fourth directory level)"), std::string::npos) << ev.problem;
}

TEST(Limits, AVersionBlockWhoseLengthLiesIsRefused) {
  const auto good = testdata::write_pe(versioned_spec());
  // The first String (CompanyName) claims more bytes than its StringTable holds.
  auto lying = good;
  const size_t string = block_of_key(lying, u"CompanyName");
  set16(lying, string, 0xfff0);
  const auto ev = pe::read_pe(lying, "lying.dll");
  EXPECT_EQ(ev.kind, pe::Kind::pe32);
  EXPECT_TRUE(ev.has_version_resource);  // VS_FIXEDFILEINFO comes before the lie
  EXPECT_TRUE(ev.strings.empty());
  EXPECT_NE(ev.problem.find("the version resource is damaged: the block at "), std::string::npos) << ev.problem;
  EXPECT_NE(ev.problem.find(" claims 65520 bytes, past the end of its parent at "), std::string::npos) << ev.problem;

  // A length shorter than a block's own header.
  auto short_block = good;
  set16(short_block, block_of_key(short_block, u"StringFileInfo"), 4);
  const auto ev2 = pe::read_pe(short_block, "short.dll");
  EXPECT_NE(ev2.problem.find(" claims 4 bytes, less than its header"), std::string::npos) << ev2.problem;
}

TEST(Limits, ABootIniOfAMillionLinesIsNotRead) {
  const std::string million(1000000, '\n');  // 1,000,000 bytes: under the byte limit
  ASSERT_LE(million.size(), image::kMaxBootIniBytes);
  const auto ini = image::parse_boot_ini(million);
  EXPECT_TRUE(ini.entries.empty());
  ASSERT_EQ(ini.problems.size(), 1u);
  EXPECT_EQ(ini.problems[0], "has 1000001 lines, over the limit of 1000; not read");

  // Through the installation finder: the note names the file, and the
  // folders holding ntoskrnl.exe are still looked for.
  test::TempDir dir;
  std::string entries = "[operating systems]\n";
  for (int i = 0; i < 2000; ++i) entries += "multi(0)disk(0)rdisk(0)partition(1)\\WINNT=\"NT\"\n";
  std::ofstream(dir.path() / "boot.ini") << entries;
  fs::create_directories(dir.path() / "WINNT/system32");
  write_bytes(dir.path() / "WINNT/system32/ntoskrnl.exe", testdata::write_pe(versioned_spec()));
  const auto opened = image::open_folder(dir.str());
  ASSERT_TRUE(opened.volume) << opened.error;
  const auto found = image::find_installations(*opened.volume);
  ASSERT_EQ(found.installations.size(), 1u);
  EXPECT_EQ(found.installations[0].found_by, "folder holding system32/ntoskrnl.exe");
  ASSERT_FALSE(found.notes.empty());
  EXPECT_EQ(found.notes[0], "boot.ini has 2002 lines, over the limit of 1000; not read");

  // A boot.ini over the byte limit is not read at all.
  std::ofstream(dir.path() / "boot.ini") << std::string(image::kMaxBootIniBytes + 1, 'x');
  const auto big = image::find_installations(*opened.volume);
  ASSERT_FALSE(big.notes.empty());
  EXPECT_EQ(big.notes[0], "boot.ini: 1048577 bytes, over the limit of 1048576 for this kind of file");
}

TEST(Limits, ADatabaseOfDeeplyNestedXmlIsRefused) {
  std::string xml = "<kbdb xmlns=\"urn:hotfix-audit:kbdb:1\" format=\"1\">\n";
  for (int i = 0; i < 200000; ++i) xml += "<a>";
  for (int i = 0; i < 200000; ++i) xml += "</a>";
  xml += "</kbdb>\n";
  const auto r = kbdb::load_xml(xml, "deep.xml");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(kbdb::to_string(r.diagnostics[0]),
            "deep.xml:2:46: elements nest more than 16 levels deep (a kbdb document nests 4); not read");
  EXPECT_TRUE(r.db.articles.empty());
}

TEST(Limits, ADatabaseOverTheBoundIsNotParsed) {
  std::string xml = "<kbdb xmlns=\"urn:hotfix-audit:kbdb:1\" format=\"1\">";
  xml += std::string(kbdb::kMaxDatabaseBytes, ' ');
  xml += "</kbdb>";
  const auto r = kbdb::load_xml(xml, "big.xml");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(kbdb::to_string(r.diagnostics[0]), "big.xml:1:1: the database is " + std::to_string(xml.size()) +
                                                   " bytes, over the limit of 33554432; not read");

  test::TempDir dir;
  const auto path = dir.path() / "big.xml";
  std::ofstream(path) << "<kbdb/>";
  fs::resize_file(path, kbdb::kMaxDatabaseBytes + 1);
  const auto f = kbdb::load_file(path.string());
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_EQ(f.diagnostics[0].message, "cannot read the file: 33554433 bytes, over the limit of 33554432");
}

TEST(Limits, OnlyTheFirstThousandProblemsOfADatabaseAreListed) {
  std::string xml = "<kbdb xmlns=\"urn:hotfix-audit:kbdb:1\" format=\"1\">\n";
  for (int i = 0; i < 5000; ++i) xml += "<bogus/>\n";
  xml += "</kbdb>\n";
  const auto r = kbdb::load_xml(xml, "many.xml");
  ASSERT_EQ(r.diagnostics.size(), kbdb::kMaxDiagnostics + 1);
  EXPECT_EQ(r.diagnostics[0].line, 2);
  EXPECT_EQ(r.diagnostics[999].line, 1001);
  EXPECT_EQ(r.diagnostics.back().message, "4000 more problems not listed (only the first 1000 are)");
}

}  // namespace
}  // namespace hfa
