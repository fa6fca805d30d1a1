// Disk image files: the scenario trees written into FAT16 and NTFS file
// systems with Debian's tools, partitioned with sfdisk, converted to VMDK, VHD
// and E01, and scanned by the real executable. A test whose tool is missing
// skips and names it (scripts/setup.sh --tests installs them all).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

#include "image/disk_image.h"
#include "kbdb/kbdb.h"
#include "core/text.h"
#include "image/installations.h"
#include "testdata/disk_images.h"
#include "testdata/scenarios.h"
#include "tests/disk_image_util.h"
#include "tests/test_util.h"

namespace hfa {
namespace testdata {
void PrintTo(const Scenario& s, std::ostream* os);  // scenario_test.cpp: the name, not the bytes
}  // namespace testdata
namespace {

using nlohmann::json;
using test::Fs;
using test::kNtfsPopulate;
using test::image_of;
using test::scan_json;
using test::scenario;
using test::two_partition_disk;
namespace fs = std::filesystem;

// A target without what names where it was read from: its root, and local
// paths or volume names in front of the paths of its notes.
json comparable(json target, const std::string& prefix) {
  target.erase("root");
  target.erase("host");  // named after the folder or the image file
  target.erase("image");  // the container's own files and digests
  for (auto& n : target.at("notes")) {
    auto text = n.get<std::string>();
    for (size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at))
      text.replace(at, prefix.size(), "ROOT/");
    n = text;
  }
  return target;
}

json comparable_targets(const json& doc, const std::string& prefix) {
  json out = json::array();
  for (const auto& t : doc.at("targets")) out.push_back(comparable(t, prefix));
  return out;
}

std::string sha256(const std::string& path) {
  test::TempDir tmp;
  const auto out = tmp.path() / "sum";
  std::system(("sha256sum " + test::shell_quote(path) + " >" + test::shell_quote(out.string())).c_str());
  return test::read_text(out).substr(0, 64);
}

// Scenarios whose facts a FAT or NTFS file system keeps: all but those with
// POSIX symbolic links, which neither can hold (the folder-only escape test).
std::vector<testdata::Scenario> image_scenarios() {
  std::vector<testdata::Scenario> out;
  auto all = testdata::all_scenarios();
  all.push_back(testdata::demo_scenario());
  for (auto& s : all)
    if (s.links.empty()) out.push_back(std::move(s));
  return out;
}

// Each scenario as a folder and as a file system image: the same targets,
// OS facts, notes and findings (status, reason, evidence with modification
// times), byte for byte in the JSON, the root's name aside.
void expect_same_as_folder(const testdata::Scenario& s, Fs kind) {
  test::TempDir dir;
  const auto image = image_of(s, dir, kind, kind == Fs::fat16 ? "fat16.img" : "ntfs.img");
  int folder_exit = -1, image_exit = -1;
  const auto folder = scan_json(test::shell_quote(dir.str() + "/tree"), &folder_exit);
  const auto from_image = scan_json(test::shell_quote(image), &image_exit);
  EXPECT_EQ(image_exit, folder_exit);
  EXPECT_EQ(image_exit, test::exit_status_implied(from_image)) << s.name;
  const auto real_tree = fs::canonical(dir.path() / "tree").string();
  const auto want = comparable_targets(folder, real_tree + "/");
  const auto got = comparable_targets(from_image, image + ":");
  ASSERT_EQ(got.size(), want.size()) << from_image.dump(2);
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], want[i]) << s.name << " target " << i;
  for (const auto& t : from_image.at("targets")) EXPECT_EQ(t.at("root"), image);
}

class ScenarioImage : public ::testing::TestWithParam<testdata::Scenario> {};

TEST_P(ScenarioImage, Fat16ImageGivesTheFolderFindings) {
  SKIP_WITHOUT("mkfs.fat", "mcopy");
  expect_same_as_folder(GetParam(), Fs::fat16);
}

// NTFS keeps every fact the scan reads from the folder: names as written
// (case too), sizes, bytes, and the modification time, which ntfs-populate
// sets in $STANDARD_INFORMATION, where the volume reads it. FAT keeps them
// too for these trees: their times are whole minutes (FAT counts 2 s) and
// mtools keeps lower-case names (VFAT long names or the NT case flags).
TEST_P(ScenarioImage, NtfsImageGivesTheFolderFindings) {
  SKIP_WITHOUT_NTFS();
  expect_same_as_folder(GetParam(), Fs::ntfs);
}

INSTANTIATE_TEST_SUITE_P(AllScenarios, ScenarioImage, ::testing::ValuesIn(image_scenarios()),
                         [](const auto& info) {
                           std::string n = info.param.name;
                           for (auto& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(DiskImage, EveryInstallationOnEveryPartitionIsATarget) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "sfdisk");
  SKIP_WITHOUT_NTFS();
  test::TempDir dir;
  const auto disk = two_partition_disk(dir);
  int code = -1;
  const auto doc = scan_json(test::shell_quote(disk), &code);
  EXPECT_EQ(code, 1);
  const auto& t = doc.at("targets");
  ASSERT_EQ(t.size(), 3u) << doc.dump(2);
  EXPECT_EQ(t[0].at("root"), disk + "#p1");
  EXPECT_EQ(t[0].at("system_root"), "WINNT");
  EXPECT_EQ(t[1].at("root"), disk + "#p2");
  EXPECT_EQ(t[1].at("system_root"), "WINNT");
  EXPECT_EQ(t[2].at("root"), disk + "#p2");
  EXPECT_EQ(t[2].at("system_root"), "WKSTN");
  // The statuses written by hand for the scenarios hold on the partitions too.
  for (size_t i = 0; i < 3; ++i) {
    const auto& want = i == 0 ? scenario("demo").expected.at("WINNT")
                              : scenario("two-installations").expected.at(t[i].at("system_root").get<std::string>());
    std::map<std::string, std::string> got;
    for (const auto& f : t[i].at("findings"))
      if (test::kSeedArticles.count(f.at("kb"))) got[f.at("kb")] = f.at("status");
    EXPECT_EQ(got, want) << i;
  }

  const auto ls = test::run_tool("images ls " + test::shell_quote(disk));
  EXPECT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_NE(ls.out.find("raw image, "), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find("dos partition table"), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find(disk + "#p1: DOS FAT16 (0x06), at byte 1048576, 8388608 bytes, fat16"), std::string::npos)
      << ls.out;
  EXPECT_NE(ls.out.find(disk + "#p2: NTFS / exFAT (0x07), at byte 9437184, 8388608 bytes, ntfs"), std::string::npos)
      << ls.out;
  EXPECT_NE(ls.out.find("WKSTN  (boot.ini line 7) \"Windows NT Workstation Version 4.00\""), std::string::npos)
      << ls.out;
  const auto ls_json = json::parse(test::run_tool("images ls --format json " + test::shell_quote(disk)).out);
  const auto& parts = ls_json.at("images").at(0).at("partitions");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].at("installations").size(), 2u);
  EXPECT_EQ(parts[1].at("file_system"), "ntfs");
}

// Beside the system partition: a data partition without Windows is left out
// of the scan, a Linux file system is named in the notes, and images ls shows both.
TEST(DiskImage, DataAndForeignPartitionsBesideTheSystemOne) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "sfdisk", "mkfs.ext2");
  test::TempDir a, b, dir;
  const auto p1 = image_of(scenario("demo"), a, Fs::fat16, "p1.img");
  const auto p2 = image_of(scenario("no-windows"), b, Fs::fat16, "p2.img");
  const auto p3 = (dir.path() / "p3.img").string();
  ASSERT_EQ(std::system(("PATH=\"$PATH:/usr/sbin:/sbin\" mkfs.ext2 -q -F " + test::shell_quote(p3) + " 2048 >/dev/null 2>&1").c_str()), 0);
  const auto disk = (dir.path() / "disk.raw").string();
  ASSERT_EQ(testdata::make_mbr_disk({{p1, "6"}, {p2, "6"}, {p3, "83"}}, disk), "");

  int code = -1;
  const auto doc = scan_json(test::shell_quote(disk), &code);
  EXPECT_EQ(code, 1);  // the demo's missing fixes; nothing failed
  ASSERT_EQ(doc.at("targets").size(), 1u) << doc.dump(2);
  const auto& t = doc.at("targets")[0];
  EXPECT_EQ(t.at("root"), disk + "#p1");
  EXPECT_NE(t.at("notes").dump().find("not scanned: " + disk + "#p3: ext2 is not a file system Windows NT is installed on"),
            std::string::npos)
      << t.at("notes").dump(2);

  const auto ls = test::run_tool("images ls " + test::shell_quote(disk));
  EXPECT_EQ(ls.exit_code, 0) << ls.out;
  EXPECT_NE(ls.out.find(disk + "#p2: DOS FAT16 (0x06), at byte 9437184, 8388608 bytes, fat16\n      no Windows installation"),
            std::string::npos)
      << ls.out;
  EXPECT_NE(ls.out.find(disk + "#p3: Linux (0x83), at byte 17825792, 2097152 bytes, ext2\n      not scanned: ext2 is not"),
            std::string::npos)
      << ls.out;

  // Only the data partition: no installation anywhere is a failed target.
  const auto data_only = (dir.path() / "data.raw").string();
  ASSERT_EQ(testdata::make_mbr_disk({{p2, "6"}}, data_only), "");
  const auto none = scan_json(test::shell_quote(data_only), &code);
  EXPECT_EQ(code, 2);
  ASSERT_EQ(none.at("targets").size(), 1u);
  EXPECT_EQ(none.at("targets")[0].at("root"), data_only + "#p1");
  EXPECT_NE(none.at("targets")[0].at("error").get<std::string>().find("no Windows installation"), std::string::npos);
}

// NT's usual two-partition layout: boot.ini on the system partition (C:),
// the installation on the boot partition (D:, partition(2) in boot.ini).
// The installation is found on p2 by its system32/ntoskrnl.exe and scanned;
// p1, holding no installation, is left out.
TEST(DiskImage, BootIniOnOnePartitionInstallationOnAnother) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "sfdisk");
  SKIP_WITHOUT_NTFS();
  test::TempDir dir, system, boot;
  testdata::write_scenario(scenario("demo"), boot.str());
  fs::rename(boot.path() / "boot.ini", system.path() / "boot.ini");
  const auto p1 = (dir.path() / "p1.img").string(), p2 = (dir.path() / "p2.img").string();
  ASSERT_EQ(testdata::make_fat16_image(system.str(), p1, 8), "");
  ASSERT_EQ(testdata::make_ntfs_image(boot.str(), p2, 8, kNtfsPopulate), "");
  const auto disk = (dir.path() / "disk.raw").string();
  ASSERT_EQ(testdata::make_mbr_disk({{p1, "6"}, {p2, "7"}}, disk), "");
  int code = -1;
  const auto doc = scan_json(test::shell_quote(disk), &code);
  EXPECT_EQ(code, 1);
  ASSERT_EQ(doc.at("targets").size(), 1u) << doc.dump(2);
  const auto& t = doc.at("targets")[0];
  EXPECT_EQ(t.at("root"), disk + "#p2");
  EXPECT_EQ(t.at("system_root"), "WINNT");
  EXPECT_EQ(t.at("found_by"), "folder holding system32/ntoskrnl.exe");
  std::map<std::string, std::string> got;
  for (const auto& f : t.at("findings"))
    if (test::kSeedArticles.count(f.at("kb"))) got[f.at("kb")] = f.at("status");
  EXPECT_EQ(got, scenario("demo").expected.at("WINNT"));
}

// Raw, VMDK, VHD and E01 of the same disk: the same JSON findings.
TEST(DiskImage, RawVmdkVhdAndE01GiveIdenticalFindings) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "sfdisk", "qemu-img", "ewfacquire");
  SKIP_WITHOUT_NTFS();
  test::TempDir dir;
  const auto raw = two_partition_disk(dir);
  const auto want = comparable_targets(scan_json(test::shell_quote(raw)), raw + "#p");
  ASSERT_EQ(want.size(), 3u);
  for (const std::string format : {"vmdk", "vhd", "E01"}) {
    const auto out = (dir.path() / ("disk." + format)).string();
    ASSERT_EQ(testdata::convert_image(raw, out, format), "");
    // Not simply a copy: each format has its own container bytes.
    EXPECT_NE(sha256(out), sha256(raw)) << format;
    int code = -1;
    const auto doc = scan_json(test::shell_quote(out), &code);
    EXPECT_EQ(code, 1) << format;
    EXPECT_EQ(comparable_targets(doc, out + "#p"), want) << format;
    EXPECT_EQ(doc.at("targets").at(2).at("root"), out + "#p2");
    const auto ls = json::parse(test::run_tool("images ls --format json " + test::shell_quote(out)).out);
    EXPECT_EQ(ls.at("images").at(0).at("format"), format == "E01" ? "ewf" : format);
    EXPECT_EQ(ls.at("images").at(0).at("size"), fs::file_size(raw));
  }
}

TEST(DiskImage, TheImageIsByteIdenticalAfterTheScanAndNothingIsWrittenBesideIt) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "sfdisk", "ewfacquire");
  SKIP_WITHOUT_NTFS();
  test::TempDir dir, tmp;
  const auto raw = two_partition_disk(dir);
  const auto e01 = (dir.path() / "disk.E01").string();
  ASSERT_EQ(testdata::convert_image(raw, e01, "E01"), "");
  ::chmod(raw.c_str(), 0444);  // opened read-only: a read-only file scans as well
  const auto before_raw = sha256(raw), before_e01 = sha256(e01);
  const auto mtime_raw = fs::last_write_time(raw);
  std::vector<std::string> files_before;
  for (const auto& e : fs::directory_iterator(dir.path())) files_before.push_back(e.path().string());

  // TMPDIR: nothing of the image may be left (or written) there.
  const auto env_run = std::system(("TMPDIR=" + test::shell_quote(tmp.str()) + " " + test::shell_quote(HFA_BINARY) +
                                    " scan " + test::shell_quote(raw) + " " + test::shell_quote(e01) + " >/dev/null")
                                       .c_str());
  EXPECT_EQ(WEXITSTATUS(env_run), 1);
  EXPECT_EQ(sha256(raw), before_raw);
  EXPECT_EQ(sha256(e01), before_e01);
  EXPECT_EQ(fs::last_write_time(raw), mtime_raw);
  std::vector<std::string> files_after;
  for (const auto& e : fs::directory_iterator(dir.path())) files_after.push_back(e.path().string());
  std::sort(files_before.begin(), files_before.end());
  std::sort(files_after.begin(), files_after.end());
  EXPECT_EQ(files_after, files_before);
  EXPECT_TRUE(fs::is_empty(tmp.path())) << "files were left in " << tmp.str();
}

// VHD and E01 files cut in half: a .vhd that libvhdi cannot open is named as
// such (TSK would otherwise take it for a raw disk without a file system), an
// E01 without its tables says what libewf could not read; the disk beside
// them in the same run is still scanned.
TEST(DiskImage, DamagedVhdAndE01AreNamed) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "sfdisk", "qemu-img", "ewfacquire");
  SKIP_WITHOUT_NTFS();
  test::TempDir dir;
  const auto raw = two_partition_disk(dir);
  std::vector<std::string> cut;
  for (const std::string format : {"vhd", "E01"}) {
    const auto whole = (dir.path() / ("whole." + format)).string();
    ASSERT_EQ(testdata::convert_image(raw, whole, format), "");
    cut.push_back((dir.path() / ("cut." + format)).string());
    const auto bytes = test::read_text(whole);
    std::ofstream(cut.back(), std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  }
  int code = -1;
  const auto doc = scan_json(test::shell_quote(cut[0]) + " " + test::shell_quote(cut[1]) + " " + test::shell_quote(raw),
                             &code);
  EXPECT_EQ(code, 2);
  const auto& t = doc.at("targets");
  ASSERT_EQ(t.size(), 5u) << doc.dump(2);
  const auto vhd = t[0].at("error").get<std::string>();
  EXPECT_EQ(vhd.rfind(cut[0] + ": not a readable vhd image (damaged or truncated?): libvhdi: ", 0), 0u) << vhd;
  const auto e01 = t[1].at("error").get<std::string>();
  EXPECT_EQ(e01.rfind(cut[1] + ": ", 0), 0u) << e01;
  EXPECT_NE(e01.find("libewf"), std::string::npos) << e01;
  for (size_t i = 2; i < 5; ++i) {
    EXPECT_TRUE(t[i].at("error").is_null()) << t[i].dump(2);
    EXPECT_EQ(t[i].at("findings").size(), kbdb::builtin().articles.size());
  }
}

// Nothing of the evidence is written to disk: the hives reach hivex as
// in-memory files, so a scan with no usable temporary folder reads them all
// the same, and gives the folder's facts.
TEST(DiskImage, HivesAreReadWithoutATemporaryFolder) {
  SKIP_WITHOUT("mkfs.fat", "mcopy");
  test::TempDir dir;
  const auto image = image_of(scenario("demo"), dir, Fs::fat16, "demo.img");
  test::TempDir out;
  const auto report = (out.path() / "report.json").string();
  const int status = std::system(("TMPDIR=/nonexistent/tmp " + test::shell_quote(HFA_BINARY) + " scan --format json -o " +
                                  test::shell_quote(report) + " " + test::shell_quote(image))
                                     .c_str());
  EXPECT_EQ(WEXITSTATUS(status), 1);
  const auto t = json::parse(test::read_text(report)).at("targets").at(0);
  EXPECT_EQ(t.at("notes").dump().find("hive"), std::string::npos) << t.at("notes").dump();
  EXPECT_EQ(t.at("os").at("service_pack"), "6a");
  EXPECT_EQ(t.at("os").at("product"), "server");
  EXPECT_EQ(t.at("os").at("platform"), "x86");
}

// A truncated image, a broken partition table and a file that is no image:
// each is named with what was wrong, exit status 2, and the other roots of
// the same run are still scanned.
TEST(DiskImage, BadImagesAreNamedAndTheOtherTargetsStillScanned) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "sfdisk");
  SKIP_WITHOUT_NTFS();
  test::TempDir dir, good;
  const auto raw = two_partition_disk(dir);
  const auto bytes = test::read_text(raw);

  const auto truncated = (dir.path() / "truncated.raw").string();
  std::ofstream(truncated, std::ios::binary) << bytes.substr(0, 12 << 20);  // p2 starts at 9 MiB, is 8 MiB
  // The second MBR entry's first sector (bytes 454..457) pointed past the end.
  auto broken_bytes = bytes;
  broken_bytes[446 + 16 + 8 + 2] = '\x10';
  const auto broken = (dir.path() / "broken.raw").string();
  std::ofstream(broken, std::ios::binary) << broken_bytes;
  const auto text = (dir.path() / "notes.txt").string();
  {
    std::ofstream notes(text);
    for (int i = 0; i < 100; ++i) notes << "not a disk image at all, line " << i << "\n";
  }
  const auto empty = (dir.path() / "empty.img").string();
  std::ofstream{empty};
  testdata::write_scenario(scenario("x86-later-files"), good.str());

  int code = -1;
  const auto doc = scan_json(test::shell_quote(truncated) + " " + test::shell_quote(broken) + " " +
                                 test::shell_quote(text) + " " + test::shell_quote(empty) + " " +
                                 test::shell_quote(good.str()),
                             &code);
  EXPECT_EQ(code, 2);
  const auto& t = doc.at("targets");
  ASSERT_EQ(t.size(), 6u) << doc.dump(2);
  // The truncated disk: p1 is whole and scanned, p2 ends past the end.
  EXPECT_EQ(t[0].at("root"), truncated + "#p1");
  EXPECT_TRUE(t[0].at("error").is_null());
  EXPECT_EQ(t[0].at("findings").size(), kbdb::builtin().articles.size());
  EXPECT_EQ(t[1].at("root"), truncated + "#p2");
  EXPECT_EQ(t[1].at("error"), truncated + "#p2: partition 2 (NTFS / exFAT (0x07), at byte 9437184, 8388608 bytes) "
                                          "ends past the end of the image (12582912 bytes): the image is truncated "
                                          "or the partition table is wrong");
  EXPECT_EQ(t[2].at("root"), broken);
  EXPECT_NE(t[2].at("error").get<std::string>().find(broken + ": the DOS (MBR) partition table is broken: "),
            std::string::npos)
      << t[2].dump(2);
  EXPECT_NE(t[2].at("error").get<std::string>().find("Starting sector too large for image"), std::string::npos);
  EXPECT_EQ(t[3].at("root"), text);
  EXPECT_EQ(t[3].at("error"), text + ": neither a partition table nor a file system (NTFS, FAT) at byte 0: "
                                     "Cannot determine file system type");
  EXPECT_EQ(t[4].at("root"), empty);
  EXPECT_EQ(t[4].at("error"), empty + ": 0 bytes, too small to hold a disk's first sector");
  EXPECT_EQ(t[5].at("root"), good.str());
  EXPECT_TRUE(t[5].at("error").is_null());
  EXPECT_EQ(t[5].at("findings").size(), kbdb::builtin().articles.size());
  EXPECT_EQ(doc.at("summary").at("failed_targets"), 4);

  const auto ls = test::run_tool("images ls " + test::shell_quote(truncated));
  EXPECT_EQ(ls.exit_code, 2);
  EXPECT_NE(ls.out.find("error: " + truncated + "#p2: partition 2"), std::string::npos) << ls.out;
}

// Split raw (disk.raw.001, .002...) and split EWF (.E01, .E02...) are opened
// from their first segment and read as one disk; a missing raw segment leaves
// a short disk, named as truncated.
TEST(DiskImage, SplitRawAndSplitE01AreReadAsOneDisk) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "sfdisk", "ewfacquire");
  SKIP_WITHOUT_NTFS();
  test::TempDir dir;
  const auto raw = two_partition_disk(dir);
  const auto want = comparable_targets(scan_json(test::shell_quote(raw)), raw + "#p");
  const auto bytes = test::read_text(raw);
  const size_t segment = 6 << 20;
  std::vector<std::string> segments;
  for (size_t at = 0, n = 1; at < bytes.size(); at += segment, ++n) {
    segments.push_back((dir.path() / ("split.raw.00" + std::to_string(n))).string());
    std::ofstream(segments.back(), std::ios::binary) << bytes.substr(at, segment);
  }
  ASSERT_EQ(segments.size(), 3u);
  EXPECT_EQ(comparable_targets(scan_json(test::shell_quote(segments[0])), segments[0] + "#p"), want);

  const auto e01 = (dir.path() / "split.E01").string();
  ASSERT_EQ(testdata::convert_image(raw, e01, "E01", 4 << 20), "");
  ASSERT_TRUE(fs::exists(dir.path() / "split.E03"));
  const auto split = scan_json(test::shell_quote(e01));
  EXPECT_EQ(comparable_targets(split, e01 + "#p"), want);
  // The image's identity names every segment read.
  size_t segments_on_disk = 0;
  for (const auto& e : fs::directory_iterator(dir.path()))
    segments_on_disk += e.path().filename().string().rfind("split.E", 0) == 0;
  EXPECT_EQ(split.at("targets").at(0).at("image").at("files").size(), segments_on_disk);

  fs::remove(segments[2]);
  int code = -1;
  const auto cut = scan_json(test::shell_quote(segments[0]), &code);
  EXPECT_EQ(code, 2);
  ASSERT_EQ(cut.at("targets").size(), 2u) << cut.dump(2);
  EXPECT_NE(cut.at("targets")[1].at("error").get<std::string>().find("ends past the end of the image (12582912 bytes)"),
            std::string::npos)
      << cut.dump(2);
}

// A bare file system cut short: named once as truncated, never judged on the
// zeros or errors its missing files would read as.
TEST(DiskImage, TruncatedFileSystemIsNamedNotScanned) {
  SKIP_WITHOUT("mkfs.fat", "mcopy");
  SKIP_WITHOUT_NTFS();
  for (const Fs kind : {Fs::fat16, Fs::ntfs}) {
    test::TempDir dir;
    const auto image = image_of(scenario("demo"), dir, kind, "whole.img");
    fs::resize_file(image, 3 << 20);
    int code = -1;
    const auto doc = scan_json(test::shell_quote(image), &code);
    EXPECT_EQ(code, 2);
    ASSERT_EQ(doc.at("targets").size(), 1u);
    const auto error = doc.at("targets")[0].at("error").get<std::string>();
    EXPECT_EQ(error.rfind(image + ": the " + (kind == Fs::fat16 ? "fat16" : "ntfs") + " file system has ", 0), 0u)
        << error;
    EXPECT_NE(error.find("but only 3145728 are in the image: the image is truncated"), std::string::npos) << error;
  }
}

// The Volume of a file system image, as the finder and readers see it.
class FatVolume : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testdata::missing_tool({"mkfs.fat", "mcopy"}).empty()) GTEST_SKIP() << "mkfs.fat or mcopy is not installed";
    path_ = image_of(scenario("mixed-case"), dir_, Fs::fat16, "mixed.img");
    image_ = image::open_disk_image(path_);
    ASSERT_EQ(image_.error, "");
    ASSERT_EQ(image_.partitions.size(), 1u);
    ASSERT_TRUE(image_.partitions[0].volume) << image_.partitions[0].error;
  }
  const image::Volume& volume() { return *image_.partitions[0].volume; }
  test::TempDir dir_;
  std::string path_;
  image::DiskImage image_;
};

TEST_F(FatVolume, LooksUpCaseInsensitivelyAndGivesStoredNamesSizesAndTimes) {
  EXPECT_EQ(image_.format, "raw");
  EXPECT_EQ(image_.partition_table, "");
  EXPECT_EQ(image_.partitions[0].file_system, "fat16");
  EXPECT_EQ(volume().name(), path_);
  const auto found = volume().find("nt40srv\\system32\\WINLOGON.exe");
  ASSERT_TRUE(found.entry) << found.error;
  EXPECT_EQ(found.entry->path, "Nt40Srv/SYSTEM32/WinLogon.EXE");
  EXPECT_TRUE(found.entry->regular);
  // The bytes and time the scenario wrote (FAT: the directory entry's time).
  for (const auto& f : scenario("mixed-case").files) {
    if (f.path != "Nt40Srv/SYSTEM32/WinLogon.EXE") continue;
    EXPECT_EQ(found.entry->size, f.bytes.size());
    EXPECT_EQ(found.entry->modified, f.modified);
    const auto bytes = volume().read(*found.entry, 1 << 20);
    EXPECT_EQ(bytes.error, "");
    EXPECT_TRUE(bytes.data == f.bytes);
  }
  const auto small = volume().read(*found.entry, 100);
  EXPECT_TRUE(small.data.empty());
  EXPECT_NE(small.error.find("over the limit of 100"), std::string::npos) << small.error;
  EXPECT_EQ(volume().find("Nt40Srv/system32/nothere.dll").error, "Nt40Srv/SYSTEM32/nothere.dll: not found");
}

TEST_F(FatVolume, RefusesDotDotAndListsOnlyRealFiles) {
  const auto up = volume().find("Nt40Srv/../../etc/passwd");
  EXPECT_TRUE(up.refused);
  EXPECT_FALSE(up.entry);
  EXPECT_NE(up.error.find("'..' would leave the image root"), std::string::npos);
  // TSK's virtual $MBR, $FAT1, $FAT2 and $OrphanFiles are not on the volume.
  std::vector<std::string> names;
  for (const auto& e : volume().list("")) names.push_back(e.path);
  EXPECT_EQ(names, (std::vector<std::string>{"Nt40Srv", "boot.ini"}));
  const auto inst = image::find_installations(volume());
  ASSERT_EQ(inst.installations.size(), 1u);
  EXPECT_EQ(inst.installations[0].system_root, "Nt40Srv");
}

// A file of an image is read a range at a time, never copied out: the bytes
// of any range are those of the whole file.
TEST_F(FatVolume, FilesAreReadARangeAtATime) {
  const auto hive = volume().find("Nt40Srv/SYSTEM32/CONFIG/software");
  ASSERT_TRUE(hive.entry) << hive.error;
  const auto whole = volume().read(*hive.entry, 1u << 30);
  ASSERT_EQ(whole.error, "");
  std::string error;
  const auto file = volume().open(*hive.entry, error);
  ASSERT_TRUE(file) << error;
  EXPECT_EQ(file->size(), hive.entry->size);
  std::vector<uint8_t> head(4), middle(100);
  EXPECT_EQ(file->read(0, head.size(), head.data()), "");
  EXPECT_EQ(std::string(head.begin(), head.end()), "regf");
  const uint64_t at = hive.entry->size / 2;
  EXPECT_EQ(file->read(at, middle.size(), middle.data()), "");
  EXPECT_TRUE(std::equal(middle.begin(), middle.end(), whole.data.begin() + static_cast<long>(at)));
  const auto up = volume().find("Nt40Srv/../../etc/passwd");
  EXPECT_FALSE(up.entry);
}

// NTFS: names as written, sizes, bytes, and $STANDARD_INFORMATION's time.
TEST(NtfsVolume, LooksUpCaseInsensitivelyAndGivesStoredNamesSizesAndTimes) {
  SKIP_WITHOUT_NTFS();
  test::TempDir dir;
  const auto path = image_of(scenario("mixed-case"), dir, Fs::ntfs, "mixed.img");
  const auto image = image::open_disk_image(path);
  ASSERT_EQ(image.error, "");
  ASSERT_EQ(image.partitions.size(), 1u);
  EXPECT_EQ(image.partitions[0].file_system, "ntfs");
  ASSERT_TRUE(image.partitions[0].volume);
  const auto& volume = *image.partitions[0].volume;
  int checked = 0;
  for (const auto& f : scenario("mixed-case").files) {
    const auto found = volume.find(ascii_lower(f.path));
    ASSERT_TRUE(found.entry) << found.error;
    EXPECT_EQ(found.entry->path, f.path);
    EXPECT_EQ(found.entry->size, f.bytes.size()) << f.path;
    EXPECT_EQ(found.entry->modified, f.modified) << f.path;
    EXPECT_TRUE(volume.read(*found.entry, 1 << 20).data == f.bytes) << f.path;
    ++checked;
  }
  EXPECT_GT(checked, 10);
  EXPECT_TRUE(volume.find("../mixed.img").refused);
}

}  // namespace
}  // namespace hfa
