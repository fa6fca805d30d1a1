#include <gtest/gtest.h>

#include "core/diagnostic.h"
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

}  // namespace
}  // namespace hfa
