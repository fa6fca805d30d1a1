#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "image/installations.h"
#include "image/volume.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

TEST(FolderVolume, ResolvesCaseInsensitivelyAndReportsStoredNames) {
  test::TempDir dir;
  write(dir.path() / "WINNT/SYSTEM32/WinLogon.EXE", "abc");
  auto v = image::open_folder(dir.str());
  ASSERT_TRUE(v.volume) << v.error;
  const auto found = v.volume->find("winnt\\system32\\winlogon.exe");
  ASSERT_TRUE(found.entry) << found.error;
  EXPECT_EQ(found.entry->path, "WINNT/SYSTEM32/WinLogon.EXE");
  EXPECT_EQ(found.entry->size, 3u);
  EXPECT_TRUE(found.entry->regular);
  EXPECT_EQ(v.volume->read(*found.entry, 100).data.size(), 3u);
}

TEST(FolderVolume, PrefersTheExactNameOverOtherCases) {
  test::TempDir dir;
  write(dir.path() / "a/File.txt", "1");
  write(dir.path() / "a/file.txt", "22");
  auto v = image::open_folder(dir.str());
  EXPECT_EQ(v.volume->find("a/file.txt").entry->size, 2u);
  EXPECT_EQ(v.volume->find("a/FILE.TXT").entry->path, "a/File.txt");  // first in name order
}

TEST(FolderVolume, MissingFileSaysWhichComponent) {
  test::TempDir dir;
  fs::create_directories(dir.path() / "WINNT");
  auto v = image::open_folder(dir.str());
  const auto r = v.volume->find("winnt/system32/x.dll");
  EXPECT_FALSE(r.entry);
  EXPECT_FALSE(r.refused);
  EXPECT_EQ(r.error, "WINNT/system32: not found");
}

TEST(FolderVolume, RefusesDotDot) {
  test::TempDir dir;
  write(dir.path() / "inner/a.txt", "x");
  auto v = image::open_folder((dir.path() / "inner").string());
  const auto r = v.volume->find("../inner/a.txt");
  EXPECT_FALSE(r.entry);
  EXPECT_TRUE(r.refused);
  EXPECT_NE(r.error.find("'..' would leave the image root"), std::string::npos) << r.error;
}

TEST(FolderVolume, RefusesLinksLeadingOutButFollowsLinksInside) {
  test::TempDir outer;
  write(outer.path() / "secret.txt", "secret");
  write(outer.path() / "root/WINNT/real.dll", "ok");
  fs::create_symlink("../../secret.txt", outer.path() / "root/WINNT/escape.dll");
  fs::create_symlink("/", outer.path() / "root/WINNT/slash");
  fs::create_symlink("real.dll", outer.path() / "root/WINNT/alias.dll");
  auto v = image::open_folder((outer.path() / "root").string());

  const auto escape = v.volume->find("WINNT/escape.dll");
  EXPECT_TRUE(escape.refused);
  EXPECT_NE(escape.error.find("refused 'WINNT/escape.dll': a symbolic link leading outside the image root"),
            std::string::npos)
      << escape.error;
  EXPECT_TRUE(v.volume->find("winnt/slash/etc/passwd").refused);
  const auto alias = v.volume->find("WINNT/ALIAS.DLL");
  ASSERT_TRUE(alias.entry) << alias.error;
  EXPECT_EQ(v.volume->read(*alias.entry, 10).data.size(), 2u);

  // A listing leaves out what leads outside.
  std::vector<std::string> names;
  for (const auto& e : v.volume->list("WINNT")) names.push_back(e.path);
  EXPECT_EQ(names, (std::vector<std::string>{"WINNT/alias.dll", "WINNT/real.dll"}));
}

TEST(FolderVolume, RefusesToReadAFifoOrAnOversizedFile) {
  test::TempDir dir;
  ASSERT_EQ(::mkfifo((dir.path() / "pipe").c_str(), 0600), 0);
  write(dir.path() / "big.bin", std::string(1000, 'x'));
  auto v = image::open_folder(dir.str());
  const auto pipe = v.volume->find("pipe");
  ASSERT_TRUE(pipe.entry);
  EXPECT_FALSE(pipe.entry->regular);
  EXPECT_EQ(v.volume->read(*pipe.entry, 100).error, "pipe: not a regular file");
  const auto big = v.volume->read(*v.volume->find("big.bin").entry, 999);
  EXPECT_TRUE(big.data.empty());
  EXPECT_EQ(big.error, "big.bin: 1000 bytes, over the limit of 999 for this kind of file");
}

TEST(FolderVolume, OpensAFileForRangesAndNamesWhatCannotBeOpened) {
  test::TempDir dir;
  write(dir.path() / "WINNT/System32/ntoskrnl.exe", "0123456789");
  ASSERT_EQ(::mkfifo((dir.path() / "pipe").c_str(), 0600), 0);
  auto v = image::open_folder(dir.str());
  std::string error;
  const auto file = v.volume->open(*v.volume->find("winnt/system32/NTOSKRNL.EXE").entry, error);
  ASSERT_TRUE(file) << error;
  EXPECT_EQ(file->size(), 10u);
  char got[4] = {};
  EXPECT_EQ(file->read(3, 4, reinterpret_cast<uint8_t*>(got)), "");
  EXPECT_EQ(std::string(got, 4), "3456");
  EXPECT_FALSE(v.volume->open(*v.volume->find("pipe").entry, error));
  EXPECT_EQ(error, "pipe: not a regular file");
}

TEST(FolderVolume, OpenFailsClearlyForANonDirectory) {
  test::TempDir dir;
  write(dir.path() / "file", "x");
  EXPECT_NE(image::open_folder((dir.path() / "file").string()).error.find("not a directory"), std::string::npos);
  EXPECT_NE(image::open_folder((dir.path() / "none").string()).error.find("No such file"), std::string::npos);
}

TEST(BootIni, ParsesEveryOperatingSystemEntry) {
  const auto ini = image::parse_boot_ini(
      "[boot loader]\r\ntimeout=30\r\ndefault=multi(0)disk(0)rdisk(0)partition(1)\\WINNT\r\n"
      "[operating systems]\r\n"
      "multi(0)disk(0)rdisk(0)partition(1)\\WINNT=\"Windows NT Server Version 4.00\"\r\n"
      "multi(0)disk(0)rdisk(0)partition(1)\\WINNT=\"Windows NT Server Version 4.00 [VGA mode]\" /basevideo /sos\r\n"
      "scsi(0)disk(1)rdisk(0)partition(2)\\NT40WKS\\=\"Workstation\"\r\n"
      "; a comment\r\n"
      "C:\\=\"MS-DOS\"\r\n"
      "garbage line\r\n"
      "multi(0)disk(0)rdisk(0)partition(1)=\"no folder\"\r\n");
  ASSERT_EQ(ini.entries.size(), 4u);
  EXPECT_EQ(ini.entries[0].line, 5);
  EXPECT_EQ(ini.entries[0].arc_path, "multi(0)disk(0)rdisk(0)partition(1)");
  EXPECT_EQ(ini.entries[0].folder, "WINNT");
  EXPECT_EQ(ini.entries[0].description, "Windows NT Server Version 4.00");
  EXPECT_EQ(ini.entries[1].options, "/basevideo /sos");
  EXPECT_EQ(ini.entries[2].folder, "NT40WKS");
  EXPECT_EQ(ini.entries[3].folder, "");  // C:\ is not an NT installation
  ASSERT_EQ(ini.problems.size(), 2u);
  EXPECT_EQ(ini.problems[0], "line 10: expected PATH=\"DESCRIPTION\", found 'garbage line'");
  EXPECT_NE(ini.problems[1].find("line 11: ARC path"), std::string::npos) << ini.problems[1];
}

TEST(BootIni, BinaryGarbageGivesNoEntryAndNoCrash) {
  std::string junk;
  for (int i = 0; i < 5000; ++i) junk += static_cast<char>((i * 7919) & 0xff);
  const auto ini = image::parse_boot_ini("[operating systems]\n" + junk);
  // Every line is either an entry or a problem that names its line.
  EXPECT_GT(ini.entries.size() + ini.problems.size(), 0u);
  for (const auto& p : ini.problems) EXPECT_EQ(p.rfind("line ", 0), 0u) << p;
}

TEST(Installations, FromBootIniWithVariantsCountedOnce) {
  test::TempDir dir;
  write(dir.path() / "boot.ini",
        "[operating systems]\nmulti(0)disk(0)rdisk(0)partition(1)\\WINNT=\"A\"\n"
        "multi(0)disk(0)rdisk(0)partition(1)\\winnt=\"A\" /sos\n"
        "multi(0)disk(0)rdisk(0)partition(2)\\OTHER=\"B\"\n");
  write(dir.path() / "WinNT/System32/x", "");
  auto v = image::open_folder(dir.str());
  const auto d = image::find_installations(*v.volume);
  ASSERT_EQ(d.installations.size(), 1u);
  EXPECT_EQ(d.installations[0].system_root, "WinNT");
  EXPECT_EQ(d.installations[0].found_by, "boot.ini line 2");
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_NE(d.notes[0].find("boot.ini line 4: multi(0)disk(0)rdisk(0)partition(2)\\OTHER is not on this volume"),
            std::string::npos)
      << d.notes[0];
}

TEST(Installations, FallsBackToFoldersHoldingNtoskrnl) {
  test::TempDir dir;
  write(dir.path() / "NT4/SYSTEM32/NTOSKRNL.EXE", "MZ");
  write(dir.path() / "Data/system32/readme.txt", "");
  auto v = image::open_folder(dir.str());
  const auto d = image::find_installations(*v.volume);
  ASSERT_EQ(d.installations.size(), 1u);
  EXPECT_EQ(d.installations[0].system_root, "NT4");
  EXPECT_EQ(d.installations[0].found_by, "folder holding system32/ntoskrnl.exe");
}

TEST(Installations, NoneFound) {
  test::TempDir dir;
  write(dir.path() / "boot.ini", "[operating systems]\nmulti(0)disk(0)rdisk(0)partition(1)\\WINNT=\"A\"\n");
  auto v = image::open_folder(dir.str());
  const auto d = image::find_installations(*v.volume);
  EXPECT_TRUE(d.installations.empty());
  EXPECT_EQ(d.notes.size(), 2u);
}

}  // namespace
}  // namespace hfa
