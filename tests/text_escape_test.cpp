// Issue 14, hostile evidence 8: escape sequences and newlines planted in the
// evidence (a hive value, a folder name, a boot.ini description) never reach
// the terminal raw from `scan`, `explain` or `images ls`, and cannot forge a
// line of the report.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/text.h"
#include "testdata/hive_writer.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

namespace fs = std::filesystem;

TEST(Printable, ControlCharactersAndBadBytesAreShownEscaped) {
  EXPECT_EQ(printable("Service Pack 6"), "Service Pack 6");
  EXPECT_EQ(printable("a\x1b[2Jb\n66 fixed\r\t\x7f"), "a\\x1b[2Jb\\x0a66 fixed\\x0d\\x09\\x7f");
  EXPECT_EQ(printable("\xc2\x9b"
                      "31m"),
            "\\x9b31m");                                                               // C1 CSI, as UTF-8
  EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x80\x94 ok"), "caf\xc3\xa9 \xe2\x80\x94 ok");  // UTF-8 kept
  EXPECT_EQ(printable("\x9b"
                      "2J \xff"),
            "\\x9b2J \\xff");                      // not UTF-8: escaped
  EXPECT_EQ(printable("\xe2\x80"), "\\xe2\\x80");  // a cut sequence
}

constexpr const char* kForged = "\n66 fixed, 0 missing";

void expect_no_raw_controls(const std::string& out, const std::string& what) {
  for (char c : out) {
    const auto u = static_cast<unsigned char>(c);
    ASSERT_FALSE(u == 0x1b || u == 0x07 || u == 0x9b || u == '\r')
        << what << " printed control 0x" << std::hex << int(u);
  }
  EXPECT_EQ(out.find(kForged), std::string::npos) << what << " printed a forged line";
}

TEST(TextOutput, EscapesFromHivesFolderNamesAndBootIniNeverReachTheTerminal) {
  test::TempDir dir;
  testdata::write_scenario(testdata::demo_scenario(), dir.str());
  const std::string folder = "WIN\x1b[2JNT";
  fs::rename(dir.path() / "WINNT", dir.path() / folder);
  // CSDVersion sets the clipboard (OSC 52), rings, clears the screen and forges a summary.
  testdata::HiveBuilder software;
  const std::string cv = "Microsoft\\Windows NT\\CurrentVersion";
  software.value(cv, testdata::HiveValue::sz("CurrentVersion", "4.0"));
  software.value(cv, testdata::HiveValue::sz("CurrentBuildNumber", "1381"));
  software.value(cv, testdata::HiveValue::sz("CSDVersion", "\x1b]52;c;ZXZpbA==\x07\x1b[2J" + std::string(kForged)));
  const auto hive = software.build();
  std::ofstream(dir.path() / folder / "system32/config/SOFTWARE", std::ios::binary)
      .write(reinterpret_cast<const char*>(hive.data()), std::streamsize(hive.size()));
  std::ofstream(dir.path() / "boot.ini", std::ios::binary)
      << "[boot loader]\r\ntimeout=30\r\ndefault=multi(0)disk(0)rdisk(0)partition(1)\\" << folder
      << "\r\n[operating systems]\r\nmulti(0)disk(0)rdisk(0)partition(1)\\" << folder
      << "=\"NT \x1b[31mred\xc2\x9b"
         "2J\"\r\n";

  const auto root = test::shell_quote(dir.str());
  const auto scan = test::run_tool("scan " + root);
  EXPECT_EQ(scan.exit_code, 1) << scan.err;
  expect_no_raw_controls(scan.out, "scan");
  EXPECT_NE(scan.out.find("== " + dir.str() + " : WIN\\x1b[2JNT"), std::string::npos) << scan.out.substr(0, 400);
  EXPECT_NE(scan.out.find("\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J\\x0a66 fixed, 0 missing"), std::string::npos);

  const auto explain = test::run_tool("explain " + root + " Q259042");
  expect_no_raw_controls(explain.out, "explain");
  EXPECT_NE(explain.out.find("%SystemRoot% WIN\\x1b[2JNT"), std::string::npos) << explain.out.substr(0, 400);

  // images ls names the image as given, and says why it cannot be read.
  const auto odd = dir.path() / "disk\x1b[2J.img";
  std::ofstream(odd, std::ios::binary) << std::string(100, 'x');
  const auto images = test::run_tool("images ls " + test::shell_quote(odd.string()));
  expect_no_raw_controls(images.out + images.err, "images ls");
  EXPECT_NE((images.out + images.err).find("disk\\x1b[2J.img"), std::string::npos) << images.out << images.err;
}

}  // namespace
}  // namespace hfa
