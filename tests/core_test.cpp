#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "core/byte_source.h"
#include "core/diagnostic.h"
#include "core/digest.h"
#include "core/nt_types.h"

namespace hfa {
namespace {

TEST(CoreTypes, DiagnosticsShowWhereAndCountByCode) {
  const Diagnostic at_line{"kbimport.untabled-phrase", "Q259042.txt", std::nullopt, 57, "no table follows"};
  const Diagnostic at_offset{"hive.truncated", "WINNT/system32/config/SYSTEM", 0x1A00, std::nullopt, "ends early"};
  const Diagnostic bare{"scan.note", "", std::nullopt, std::nullopt, "platform unknown"};
  EXPECT_EQ(to_string(at_line), "Q259042.txt line 57: no table follows");
  EXPECT_EQ(to_string(at_offset), "WINNT/system32/config/SYSTEM at offset 0x1A00: ends early");
  EXPECT_EQ(to_string(bare), "platform unknown");
  const std::vector<Diagnostic> all{at_line, at_offset, bare, at_line};
  EXPECT_EQ(count_code(all, "kbimport.untabled-phrase"), 2u);
  EXPECT_EQ(count_code(all, "hive.dirty"), 0u);
  EXPECT_EQ(to_strings(all).size(), 4u);
  EXPECT_EQ(to_strings(all)[2], "platform unknown");
}

TEST(CoreTypes, PlatformSpellings) {
  EXPECT_EQ(parse_platform("Intel"), Platform::x86);
  EXPECT_EQ(parse_platform("i386"), Platform::x86);
  EXPECT_EQ(parse_platform("ALPHA"), Platform::alpha);
  EXPECT_EQ(parse_platform("PPC"), Platform::ppc);
  EXPECT_EQ(parse_platform("MIPS"), Platform::mips);
  EXPECT_EQ(parse_platform("AMD64"), Platform::x64);
  EXPECT_FALSE(parse_platform("sparc"));
  EXPECT_EQ(to_string(Platform::alpha), "alpha");
}

TEST(CoreTypes, Versions) {
  EXPECT_EQ(to_string(*parse_version("4.0.1381.7")), "4.0.1381.7");
  EXPECT_EQ(to_string(*parse_version("5.0")), "5.0.0.0");
  EXPECT_FALSE(parse_version("4"));
  EXPECT_FALSE(parse_version("4.0.70000.1"));
  EXPECT_FALSE(parse_version("4.0.1.2.3"));
  EXPECT_FALSE(parse_version("4..1"));
  EXPECT_LT(*parse_version("4.0.1381.7"), *parse_version("4.0.1381.10"));
  EXPECT_EQ(Version::from_ms_ls(0x00040000, 0x05650007), (Version{4, 0, 1381, 7}));
}

TEST(CoreTypes, DatesAndTimes) {
  EXPECT_TRUE(parse_iso_date("2000-02-29"));
  EXPECT_FALSE(parse_iso_date("1999-02-29"));
  EXPECT_FALSE(parse_iso_date("1999-04-31"));
  EXPECT_FALSE(parse_iso_date("99-04-01"));
  EXPECT_EQ(to_string(*parse_hhmm("20:00")), "20:00");
  EXPECT_FALSE(parse_hhmm("24:00"));
  EXPECT_EQ(to_unix_seconds({2000, 4, 4}, {0, 46}), 954809160);
  EXPECT_EQ(format_unix_utc(954809160), "2000-04-04T00:46:00Z");
}

// Bytes held in memory, as a file inside a disk image reaches the scan; a read
// past `fail_at` fails as a damaged image's would.
class VectorSource final : public ByteSource {
 public:
  VectorSource(std::vector<uint8_t> bytes, uint64_t fail_at) : bytes_(std::move(bytes)), fail_at_(fail_at) {}
  uint64_t size() const override { return bytes_.size(); }
  std::string read(uint64_t offset, uint64_t length, uint8_t* out) const override {
    if (offset + length > fail_at_) return "sector 7 unreadable";
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(offset), length, out);
    return {};
  }

 private:
  std::vector<uint8_t> bytes_;
  uint64_t fail_at_;
};

std::string read_by_name(int fd) {
  std::ifstream in("/proc/self/fd/" + std::to_string(fd), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(MemoryFile, ACopyReadsByNameAsTheSameBytes) {
  std::vector<uint8_t> bytes(300000);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 7 + i / 256);
  const std::string expected(bytes.begin(), bytes.end());

  std::string error;
  const auto copy = copy_to_memory_file(VectorSource(bytes, bytes.size()), error);
  ASSERT_TRUE(copy) << error;
  EXPECT_EQ(copy->size(), bytes.size());
  ASSERT_GE(copy->descriptor(), 0);
  EXPECT_EQ(read_by_name(copy->descriptor()), expected);

  const auto from_memory = copy_to_memory_file(bytes.data(), bytes.size(), error);
  ASSERT_TRUE(from_memory) << error;
  EXPECT_EQ(read_by_name(from_memory->descriptor()), expected);

  const auto empty = copy_to_memory_file(bytes.data(), 0, error);
  ASSERT_TRUE(empty) << error;
  EXPECT_EQ(empty->size(), 0u);
}

TEST(MemoryFile, ASourceThatCannotBeReadGivesNoCopyAndItsReason) {
  std::string error;
  const auto copy = copy_to_memory_file(VectorSource(std::vector<uint8_t>(8192, 1), 4096), error);
  EXPECT_FALSE(copy);
  EXPECT_EQ(error, "sector 7 unreadable");
}

// The published test vectors (FIPS 180, RFC 1321) of "abc" and of nothing,
// fed whole and a byte at a time.
TEST(Digests, KnownAnswersWholeAndPiecewise) {
  const std::string abc = "abc";
  Digester whole(digest_names());
  whole.update(abc.data(), abc.size());
  const Digests expected = {{"md5", "900150983cd24fb0d6963f7d28e17f72"},
                            {"sha1", "a9993e364706816aba3e25717850c26c9cd0d89d"},
                            {"sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}};
  EXPECT_EQ(whole.finish(), expected);

  std::string long_input(100000, '\0');
  for (size_t i = 0; i < long_input.size(); ++i) long_input[i] = char(i * 31 + 7);
  Digester once({"sha256"});
  once.update(long_input.data(), long_input.size());
  Digester bytes({"sha256"});
  for (char c : long_input) bytes.update(&c, 1);
  EXPECT_EQ(once.finish(), bytes.finish());

  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_TRUE(Digester({}).finish().empty());
}

}  // namespace
}  // namespace hfa
