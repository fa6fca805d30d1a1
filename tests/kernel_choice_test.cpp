// Issue 11, point 1: the kernels judged are those the machine can boot. With
// boot.ini, the kernels its entries load (ntoskrnl.exe, or /KERNEL=), any other
// kernel file named in a note; with no boot.ini anywhere, every kernel present,
// ntoskrnl.exe first. On a disk image, boot.ini on the system partition p1
// finds the installation on the boot partition its partition(N) names.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "image/installations.h"
#include "testdata/disk_images.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

#ifdef HFA_NTFS_POPULATE
const std::string kNtfsPopulate = HFA_NTFS_POPULATE;
#else
const std::string kNtfsPopulate;
#endif

const testdata::Scenario& scenario(const std::string& name) {
  static const auto all = testdata::kernel_scenarios();
  for (const auto& s : all)
    if (s.name == name) return s;
  throw std::runtime_error("no scenario " + name);
}

struct Scan {
  int exit_code;
  json target;
};

Scan scan_root(const testdata::Scenario& s, const std::string& root, const test::TempDir& dir) {
  const auto db = (dir.path() / "kernels.xml").string();
  std::ofstream(db, std::ios::binary) << s.extra_db;
  const auto r = test::run_tool("scan --format json --db " + test::shell_quote(db) + " " + test::shell_quote(root));
  const auto doc = json::parse(r.out);
  EXPECT_EQ(doc.at("targets").size(), 1u) << doc.dump(2);
  return {r.exit_code, doc.at("targets").at(0)};
}

json finding(const json& target, const std::string& kb) {
  for (const auto& f : target.at("findings"))
    if (f.at("kb") == kb) return f;
  throw std::runtime_error("no finding " + kb);
}

bool has_note(const json& notes, const std::string& text) {
  for (const auto& n : notes)
    if (n.get<std::string>() == text) return true;
  return false;
}

TEST(BootIni, PartitionNumbersAndKernelSwitches) {
  EXPECT_EQ(image::arc_partition("multi(0)disk(0)rdisk(0)partition(2)"), 2);
  EXPECT_EQ(image::arc_partition("scsi(0)disk(1)rdisk(0)PARTITION(12)"), 12);
  EXPECT_FALSE(image::arc_partition("C:"));
  EXPECT_FALSE(image::arc_partition("multi(0)disk(0)rdisk(0)partition()"));
  std::string problem;
  image::BootEntry e;
  e.line = 6;
  EXPECT_EQ(image::boot_kernel(e, problem), "ntoskrnl.exe");
  e.options = "/sos /KERNEL=NTKRNLMP.EXE /basevideo";
  EXPECT_EQ(image::boot_kernel(e, problem), "ntkrnlmp.exe");
  e.options = "/KERNEL=..\\..\\evil.exe";
  EXPECT_FALSE(image::boot_kernel(e, problem));
  EXPECT_EQ(problem, "line 6: /KERNEL= names no file in system32 ('..\\..\\evil.exe')");
  EXPECT_EQ(image::boot_line("boot.ini", 5), "boot.ini line 5");
  EXPECT_EQ(image::boot_line("boot.ini on p1", 5), "boot.ini on p1, line 5");
}

// The report: no boot.ini, an old ntoskrnl.exe and a newer
// ntkrnlmp.exe gave `fixed` from ntkrnlmp.exe alone.
TEST(KernelChoice, WithoutBootIniEveryKernelIsJudgedNtoskrnlFirst) {
  test::TempDir dir, tree;
  const auto& s = scenario("kernels-without-boot-ini");
  testdata::write_scenario(s, tree.str());
  const auto r = scan_root(s, tree.str(), dir);
  EXPECT_EQ(r.target.at("found_by"), "folder holding system32/ntoskrnl.exe");
  const auto f = finding(r.target, "Q266762");
  EXPECT_EQ(f.at("status"), "missing") << f.dump(2);
  EXPECT_EQ(f.at("reason"), "older than the fix: Ntoskrnl.exe (older)");
  const auto alone = finding(r.target,
                             "Q999001");  // a table naming Ntoskrnl.exe alone judges both kernels
  EXPECT_EQ(alone.at("status"), "missing") << alone.dump(2);
  ASSERT_EQ(alone.at("evidence").size(), 2u);
  EXPECT_EQ(alone.at("evidence")[0].at("found").at("path"), "WINNT/system32/ntoskrnl.exe");
  EXPECT_EQ(alone.at("evidence")[0].at("status"), "older");

  const auto e = test::run_tool("explain --db " + test::shell_quote((dir.path() / "kernels.xml").string()) + " " +
                                test::shell_quote(tree.str()) + " Q266762");
  EXPECT_NE(e.out.find("kernel booted: ntoskrnl.exe (no boot.ini on the "
                       "evidence: every kernel present is judged, "
                       "since any could be booted)"),
            std::string::npos)
      << e.out;
  EXPECT_LT(e.out.find("kernel booted: ntoskrnl.exe"), e.out.find("kernel booted: ntkrnlmp.exe")) << e.out;
}

TEST(KernelChoice, AKernelNoEntryBootsIsNamedNotJudged) {
  test::TempDir dir, tree;
  const auto& s = scenario("stale-ntkrnlmp");
  testdata::write_scenario(s, tree.str());
  const auto r = scan_root(s, tree.str(), dir);
  EXPECT_TRUE(has_note(r.target.at("notes"),
                       "WINNT/system32/ntkrnlmp.exe is present but no boot.ini entry boots it: "
                       "not judged (a hotfix may leave a stale kernel behind)"))
      << r.target.at("notes").dump(1);
  const auto f = finding(r.target, "Q266762");
  EXPECT_EQ(f.at("status"), "fixed") << f.dump(2);
  ASSERT_EQ(f.at("evidence").size(), 1u);
  EXPECT_EQ(f.at("evidence")[0].at("file"), "Ntoskrnl.exe");
}

void expect_boot_partition_found(const Scan& r, const std::string& found_by, const std::string& kernel_line) {
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.target.at("system_root"), "WINNT");
  EXPECT_EQ(r.target.at("found_by"), found_by);
  const auto f = finding(r.target, "Q266762");
  EXPECT_EQ(f.at("status"), "missing") << f.dump(2);
  bool mp = false;
  for (const auto& e : f.at("evidence"))
    if (e.at("file") == "Ntkrnlmp.exe") {
      mp = true;
      EXPECT_EQ(e.at("status"), "older");
      EXPECT_EQ(e.at("note").get<std::string>().rfind("judged ", 0), std::string::npos) << "its own row";
    }
  EXPECT_TRUE(mp) << f.dump(2);
  const auto kernel = finding(r.target,
                              "Q999001");  // Ntoskrnl.exe alone: judges the booted ntkrnlmp.exe
  bool judged = false;
  for (const auto& e : kernel.at("evidence"))
    judged = judged || e.at("note").get<std::string>().find("judged ntkrnlmp.exe (" + kernel_line + ")") == 0;
  EXPECT_TRUE(judged) << kernel.dump(2);
}

TEST(KernelChoice, BootIniBesideTheInstallationInAFolder) {
  test::TempDir dir, tree;
  const auto& s = scenario("boot-ini-partition-2");
  testdata::write_scenario(s, tree.str());
  expect_boot_partition_found(scan_root(s, tree.str(), dir), "boot.ini line 5",
                              "boot.ini line 6: /KERNEL=ntkrnlmp.exe");
}

// boot.ini alone on the FAT16 system partition p1, WINNT on p2: found through
// partition(2), with the /KERNEL= entry's kernel judged.
void expect_two_partition_disk(bool ntfs) {
  test::TempDir dir, system, boot;
  const auto& s = scenario("boot-ini-partition-2");
  testdata::write_scenario(s, boot.str());
  fs::rename(boot.path() / "boot.ini", system.path() / "boot.ini");
  const auto disk = (dir.path() / "disk.raw").string();
  ASSERT_EQ(testdata::make_system_and_boot_disk(system.str(), boot.str(), ntfs, kNtfsPopulate, disk), "");
  const auto r = scan_root(s, disk, dir);
  EXPECT_EQ(r.target.at("root"), disk + "#p2");
  expect_boot_partition_found(r, "boot.ini on p1, line 5", "boot.ini on p1, line 6: /KERNEL=ntkrnlmp.exe");
}

TEST(KernelChoice, BootIniOnTheSystemPartitionFat16) {
  if (const auto missing = testdata::missing_tool({"mkfs.fat", "mcopy", "sfdisk"}); !missing.empty())
    GTEST_SKIP() << missing << " is not installed (bash scripts/setup.sh --tests installs it)";
  expect_two_partition_disk(false);
}

TEST(KernelChoice, BootIniOnTheSystemPartitionNtfs) {
  if (const auto missing = testdata::missing_tool({"mkfs.fat", "mcopy", "sfdisk", "mkntfs"}); !missing.empty())
    GTEST_SKIP() << missing << " is not installed (bash scripts/setup.sh --tests installs it)";
  if (kNtfsPopulate.empty()) GTEST_SKIP() << "ntfs-populate was not built: ntfs-3g-dev is not installed";
  expect_two_partition_disk(true);
}

}  // namespace
}  // namespace hfa
