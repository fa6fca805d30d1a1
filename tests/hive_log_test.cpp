// NT 4.0 transaction logs: a dirty primary completed from its .LOG in memory,
// and every way a log can fail to match, each refused with its reason.
#include <gtest/gtest.h>

#include <random>

#include "registry/hive_file.h"
#include "registry/os_profile.h"
#include "testdata/hive_writer.h"

namespace hfa {
namespace {

using testdata::HiveBuilder;
using testdata::HiveValue;

const std::string kCv = "Microsoft\\Windows NT\\CurrentVersion";

std::vector<uint8_t> software(const std::string& csd, bool sp6a) {
  HiveBuilder b;
  b.value(kCv, HiveValue::sz("CurrentVersion", "4.0")).value(kCv, HiveValue::sz("CSDVersion", csd));
  if (sp6a) b.value(kCv + "\\Hotfix\\Q246009", HiveValue::dword("Installed", 1));
  // Enough keys to span several 4 KiB blocks, so that only some are dirty.
  for (int i = 0; i < 120; ++i) b.value("Classes\\Key" + std::to_string(i), HiveValue::sz("", std::string(40, 'x')));
  return b.build();
}

void put32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

TEST(HiveLog, BaseBlockTellsCleanFromDirty) {
  const auto clean = software("Service Pack 5", false);
  const auto dirty = testdata::make_dirty(clean, software("Service Pack 6", true));
  const auto a = registry::read_base_block(clean);
  const auto b = registry::read_base_block(dirty.primary);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(a->dirty());
  EXPECT_TRUE(b->dirty());
  EXPECT_EQ(b->primary_sequence, 2u);
  EXPECT_EQ(b->secondary_sequence, 1u);
  EXPECT_TRUE(b->checksum_ok);
  const auto log = registry::read_base_block(dirty.log);
  ASSERT_TRUE(log);
  EXPECT_EQ(log->file_type, 1u);
  EXPECT_FALSE(registry::read_base_block(std::vector<uint8_t>(600, 'x')));
}

TEST(HiveLog, AppliedLogGivesTheHiveWindowsWasWriting) {
  const auto before = software("Service Pack 5", false);
  const auto after = software("Service Pack 6", true);
  const auto dirty = testdata::make_dirty(before, after);
  ASSERT_GT(dirty.dirty_pages, 0u);
  ASSERT_LT(dirty.dirty_pages, (after.size() - 4096) / 512) << "the fixture should leave some pages clean";
  const auto r = registry::apply_log(dirty.primary, dirty.log);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.pages, dirty.dirty_pages);
  // Byte for byte the new hive's bins, with a clean base block.
  ASSERT_EQ(r.hive.size(), after.size());
  EXPECT_TRUE(std::equal(r.hive.begin() + 4096, r.hive.end(), after.begin() + 4096));
  const auto head = registry::read_base_block(r.hive);
  ASSERT_TRUE(head);
  EXPECT_FALSE(head->dirty());
  EXPECT_EQ(head->file_type, 0u);

  const auto facts = registry::read_software_hive(r.hive, "SOFTWARE (recovered)");
  ASSERT_TRUE(facts.facts) << facts.error;
  EXPECT_EQ(facts.facts->csd_version, "Service Pack 6");
  EXPECT_EQ(facts.facts->installed_hotfixes, std::vector<std::string>{"Q246009"});
  // The dirty primary read as it is still says what it said before.
  const auto stale = registry::read_software_hive(dirty.primary, "SOFTWARE");
  ASSERT_TRUE(stale.facts) << stale.error;
  EXPECT_EQ(stale.facts->csd_version, "Service Pack 5");
}

TEST(HiveLog, LogsThatDoNotFitAreRefusedWithTheirReason) {
  const auto dirty = testdata::make_dirty(software("Service Pack 5", false), software("Service Pack 6", true));
  auto refused = [&](std::vector<uint8_t> log) { return registry::apply_log(dirty.primary, log); };

  EXPECT_EQ(refused(std::vector<uint8_t>(100, 0)).error, "not a registry log: no regf base block at offset 0");

  auto primary_type = dirty.log;
  put32(primary_type, 0x1C, 0);
  registry::set_checksum(primary_type);
  EXPECT_EQ(refused(primary_type).error, "base block at offset 0 has file type 0, not 1 (a log)");

  auto bad_sum = dirty.log;
  bad_sum[0x30] ^= 1;
  EXPECT_EQ(refused(bad_sum).error, "base block at offset 0 has a wrong checksum");

  auto unfinished = dirty.log;
  put32(unfinished, 0x08, 7);
  registry::set_checksum(unfinished);
  EXPECT_EQ(refused(unfinished).error, "the log itself was not finished (sequence numbers 2 and 7)");

  auto other_time = dirty.log;
  put32(other_time, 0x0C, 12345);
  registry::set_checksum(other_time);
  EXPECT_EQ(refused(other_time).error,
            "the log was written for another state of the hive (its timestamp differs from the hive's)");

  auto huge = dirty.log;
  put32(huge, 0x28, 512u << 20);
  registry::set_checksum(huge);
  EXPECT_EQ(refused(huge).error, "base block at offset 0 announces 536870912 bytes of hive bins, more than the hive "
                                 "and its log hold");

  auto no_vector = dirty.log;
  no_vector[512] = 'X';
  EXPECT_EQ(refused(no_vector).error, "no dirty vector (\"DIRT\") at offset 0x200");

  auto short_log = dirty.log;
  short_log.resize(short_log.size() - 512);
  EXPECT_EQ(refused(short_log).error.rfind("dirty page " + std::to_string(dirty.dirty_pages) +
                                               " missing: the log ends at offset 0x",
                                           0),
            0u)
      << refused(short_log).error;

  // A page that lands on a bin header with garbage in it.
  auto wrong_page = dirty.log;
  const size_t first_page = wrong_page.size() - dirty.dirty_pages * 512;
  std::fill(wrong_page.begin() + static_cast<std::ptrdiff_t>(first_page),
            wrong_page.begin() + static_cast<std::ptrdiff_t>(first_page + 512), 0xEE);
  const auto r = refused(wrong_page);
  EXPECT_EQ(r.error.rfind("after applying the log, no valid hive bin at offset 0x", 0), 0u) << r.error;
  EXPECT_TRUE(r.hive.empty());
}

TEST(HiveLog, DamagedLogsNeverCrashAndNeverGiveAHalfAppliedHive) {
  const auto before = software("Service Pack 5", false);
  const auto dirty = testdata::make_dirty(before, software("Service Pack 6", true));
  std::mt19937 rng(7);
  int applied = 0;
  for (int round = 0; round < 3000; ++round) {
    auto log = dirty.log;
    const int flips = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < flips; ++i) log[rng() % log.size()] = static_cast<uint8_t>(rng());
    if (rng() % 4 == 0) log.resize(rng() % log.size());
    const auto r = registry::apply_log(dirty.primary, log);
    if (!r.error.empty()) {
      EXPECT_TRUE(r.hive.empty());
      continue;
    }
    ++applied;
    const auto head = registry::read_base_block(r.hive);
    ASSERT_TRUE(head);
    EXPECT_FALSE(head->dirty());
    EXPECT_EQ(r.hive.size(), 4096u + head->bins_size);
  }
  // Flips in page contents that keep every bin header whole still apply.
  EXPECT_GT(applied, 0);
}

}  // namespace
}  // namespace hfa
