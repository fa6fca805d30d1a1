// The awkward machines, end to end: each fixture of issue 7 (dirty hives with
// their .LOG, a garbage SYSTEM next to SYSTEM.ALT, odd CSDVersion strings,
// Terminal Server Edition builds, the multiprocessor kernel, a much newer
// file) scanned by the real executable, with the exact finding and note.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const testdata::Scenario& scenario(const std::string& name) {
  static const auto all = testdata::all_scenarios();
  for (const auto& s : all)
    if (s.name == name) return s;
  throw std::runtime_error("no scenario " + name);
}

struct Scanned {
  json target;
  std::string text;  // the same scan as a text report
};

Scanned scan(const testdata::Scenario& s, const test::TempDir& dir) {
  testdata::write_scenario(s, dir.str());
  std::string db;
  if (!s.extra_db.empty()) {
    const auto path = dir.path().string() + ".kbdb.xml";
    std::ofstream(path, std::ios::binary) << s.extra_db;
    db = " --db " + test::shell_quote(path);
  }
  const auto j = test::run_tool("scan --format json" + db + " " + test::shell_quote(dir.str()));
  const auto t = test::run_tool("scan --all" + db + " " + test::shell_quote(dir.str()));
  const auto doc = json::parse(j.out);
  // The fixture's own articles decide a 1; the rest of the built-in database may add one.
  EXPECT_EQ(j.exit_code, test::exit_status_implied(doc)) << j.err;
  if (s.expected_exit != 0) {
    EXPECT_EQ(j.exit_code, s.expected_exit) << j.err;
  }
  return {doc.at("targets").at(0), test::unwrapped(t.out)};
}

json finding(const json& target, const std::string& kb) {
  for (const auto& f : target.at("findings"))
    if (f.at("kb") == kb) return f;
  throw std::runtime_error("no finding " + kb);
}

bool has_note(const json& notes, const std::string& text) {
  for (const auto& n : notes)
    if (n.get<std::string>().find(text) != std::string::npos) return true;
  return false;
}

// FNV-1a over every file's bytes, with its modification time: what the image
// holds, to show a scan changed nothing.
std::map<std::string, std::pair<uint64_t, int64_t>> fingerprint(const fs::path& root) {
  std::map<std::string, std::pair<uint64_t, int64_t>> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    const auto text = test::read_text(e.path());
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
    out[fs::relative(e.path(), root).string()] = {h, e.last_write_time().time_since_epoch().count()};
  }
  return out;
}

TEST(DirtyHive, CompletedFromItsLogInAPrivateCopy) {
  test::TempDir dir, tmp;
  const auto& s = scenario("dirty-software-log");
  testdata::write_scenario(s, dir.str());
  const auto before = fingerprint(dir.path());
  ASSERT_EQ(before.count("WINNT/system32/config/SOFTWARE.LOG"), 1u);

  // Temporary copies go to TMPDIR and must be gone afterwards.
  const char* old_tmp = std::getenv("TMPDIR");
  const std::string saved = old_tmp ? old_tmp : "";
  ::setenv("TMPDIR", tmp.str().c_str(), 1);
  const auto r = test::run_tool("scan --format json " + test::shell_quote(dir.str()));
  if (old_tmp)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(fs::is_empty(tmp.path()));
  EXPECT_EQ(fingerprint(dir.path()), before) << "the scan changed the image";

  const auto t = json::parse(r.out).at("targets").at(0);
  const auto& notes = t.at("notes");
  EXPECT_TRUE(has_note(notes,
                       "SOFTWARE hive WINNT/system32/config/SOFTWARE is dirty (sequence numbers 2 and 1): "
                       "Windows did not finish writing it"))
      << notes.dump(2);
  EXPECT_TRUE(has_note(notes, "SOFTWARE hive: applied WINNT/system32/config/SOFTWARE.LOG ("));
  EXPECT_TRUE(has_note(notes, "pages of 512 bytes) to a private copy; the files on the image are unchanged"));
  // The primary alone says Service Pack 5; the log makes it 6 with Q246009.
  EXPECT_EQ(t.at("os").at("service_pack"), "6a");
  EXPECT_EQ(t.at("os").at("csd_version"), "Service Pack 6");
  const auto f = finding(t, "Q259042");
  EXPECT_EQ(f.at("status"), "missing");
  EXPECT_EQ(f.at("reason"), "older than the fix: services.exe (older), winlogon.exe (older)");
}

TEST(DirtyHive, ALogThatDoesNotFitIsNamedAndTheHiveReadAsItIs) {
  test::TempDir dir;
  testdata::write_scenario(scenario("dirty-software-log"), dir.str());
  const auto log = dir.path() / "WINNT/system32/config/SOFTWARE.LOG";
  {
    std::fstream f(log, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(512);
    f.write("XXXX", 4);
  }
  const auto r = test::run_tool("scan --format json " + test::shell_quote(dir.str()));
  const auto t = json::parse(r.out).at("targets").at(0);
  EXPECT_TRUE(has_note(t.at("notes"),
                       "SOFTWARE hive: WINNT/system32/config/SOFTWARE.LOG cannot be applied: no dirty "
                       "vector (\"DIRT\") at offset 0x200; read as it is, possibly without the last "
                       "changes"))
      << t.at("notes").dump(2);
  EXPECT_EQ(t.at("os").at("service_pack"), "5");
}

TEST(DirtyHive, WithoutALogIsReadAsItIsAndSaysSo) {
  test::TempDir dir;
  const auto r = scan(scenario("dirty-software-no-log"), dir);
  EXPECT_TRUE(has_note(r.target.at("notes"),
                       "SOFTWARE hive: no SOFTWARE.LOG next to it; read as it is, possibly "
                       "without the last changes"));
  EXPECT_EQ(r.target.at("os").at("service_pack"), "5");
  EXPECT_EQ(finding(r.target, "Q259042").at("reason"), "applies from SP6 on; this installation has SP5");
  EXPECT_NE(r.text.find("note: SOFTWARE hive WINNT/system32/config/SOFTWARE is dirty"), std::string::npos) << r.text;
}

TEST(SystemAlt, GarbageSystemFallsBackToTheMirrorAndNamesIt) {
  test::TempDir dir;
  testdata::write_scenario(scenario("system-garbage-alt"), dir.str());
  const auto before = fingerprint(dir.path());
  const auto r = test::run_tool("scan --format json " + test::shell_quote(dir.str()));
  EXPECT_EQ(fingerprint(dir.path()), before);
  const auto t = json::parse(r.out).at("targets").at(0);
  EXPECT_TRUE(has_note(t.at("notes"),
                       "SYSTEM hive: read the mirror copy WINNT/system32/config/SYSTEM.ALT, because "
                       "SYSTEM hive "))
      << t.at("notes").dump(2);
  EXPECT_TRUE(has_note(t.at("notes"), "WINNT/system32/config/SYSTEM: not a registry hive"));
  EXPECT_EQ(t.at("os").at("product"), "server");
  EXPECT_EQ(t.at("os").at("platform"), "x86");
  EXPECT_EQ(finding(t, "Q257647").at("status"), "missing");
  // explain cites the copy the facts came from.
  const auto e = test::run_tool("explain " + test::shell_quote(dir.str()) + " Q257647");
  EXPECT_NE(e.out.find("ProductType 'ServerNT' (WINNT/system32/config/SYSTEM.ALT: ControlSet002\\Control\\"
                       "ProductOptions\\ProductType)"),
            std::string::npos)
      << e.out;
}

TEST(ServicePackStrings, ReleaseCandidateIsReadWithANote) {
  test::TempDir dir;
  const auto r = scan(scenario("csd-release-candidate"), dir);
  EXPECT_EQ(r.target.at("os").at("service_pack"), "3");
  EXPECT_EQ(r.target.at("os").at("csd_version"), "Service Pack 3 RC 1.32");
  EXPECT_TRUE(has_note(r.target.at("notes"), "CSDVersion 'Service Pack 3 RC 1.32' read as Service Pack 3"));
  const auto f = finding(r.target, "Q170626");
  EXPECT_EQ(f.at("status"), "missing");
  EXPECT_EQ(f.at("reason"), "SP3 is before SP4 (Q170626 line 51), which first corrected it");
}

TEST(ServicePackStrings, UnparseableMakesTheServicePackUnknownWithTheRawValue) {
  test::TempDir dir;
  const auto r = scan(scenario("csd-unparseable"), dir);
  EXPECT_TRUE(r.target.at("os").at("service_pack").is_null());
  EXPECT_EQ(r.target.at("os").at("csd_version"), "Beta 2 Refresh");
  EXPECT_TRUE(has_note(r.target.at("notes"),
                       "CSDVersion 'Beta 2 Refresh' is not a service pack name: service pack "
                       "unknown"));
  const auto f = finding(r.target, "Q170626");
  EXPECT_EQ(f.at("status"), "unknown");
  EXPECT_EQ(f.at("reason"),
            "the service pack is unknown (CSDVersion 'Beta 2 Refresh' names no service pack); fixed "
            "in SP4 (Q170626 line 51)");
  EXPECT_NE(r.text.find("service pack unknown"), std::string::npos);
}

// The TSE kernels are exactly Q266762's TSE rows. Compared with the standard
// rows they would be "other-edition" (unknown), and their 0x8000 versions
// would sort above every standard build. boot.ini boots ntoskrnl.exe only:
// ntkrnlmp.exe, present too, is named in a note and not judged (issue 11).
void expect_tse_judged_by_tse_rows(const json& t) {
  const auto f = finding(t, "Q266762");
  EXPECT_EQ(f.at("status"), "fixed") << f.dump(2);
  EXPECT_EQ(f.at("reason"), "every installed file at or past the fix: Ntoskrnl.exe (exact)");
  ASSERT_EQ(f.at("evidence").size(), 1u) << "only the TSE row of the booted kernel is compared";
  EXPECT_EQ(f.at("evidence")[0].at("required").at("size"), 980864);
  EXPECT_EQ(f.at("evidence")[0].at("found").at("file_version"), "4.0.1381.32918");
  EXPECT_TRUE(has_note(t.at("notes"),
                       "WINNT/system32/ntkrnlmp.exe is present but no boot.ini "
                       "entry boots it: not "
                       "judged (a hotfix may leave a stale kernel behind)"))
      << t.at("notes").dump(1);
  EXPECT_EQ(finding(t, "Q999001").at("reason"),
            "applies to Server, Workstation; this installation is Terminal Server "
            "Edition");
}

TEST(TerminalServer, FromTheProductSuiteJudgedByTseRowsOnly) {
  test::TempDir dir;
  const auto r = scan(scenario("tse-kernel"), dir);
  expect_tse_judged_by_tse_rows(r.target);
  EXPECT_NE(r.text.find("(Terminal Server Edition)"), std::string::npos);
}

TEST(TerminalServer, FromTheKernelVersionAlone) {
  test::TempDir dir;
  const auto r = scan(scenario("tse-by-kernel"), dir);
  EXPECT_TRUE(r.target.at("os").at("suites").empty());
  EXPECT_TRUE(has_note(r.target.at("notes"),
                       "ntoskrnl.exe version 4.0.1381.32918 is a Terminal Server Edition build "
                       "(revision bit 0x8000) though ProductSuite does not name Terminal "
                       "Server: read as Terminal Server Edition"));
  expect_tse_judged_by_tse_rows(r.target);
  EXPECT_EQ(finding(r.target, "Q170626").at("reason"),
            "SP6 is at or past SP4 of Terminal Server Edition (Q170626 line 51), which first corrected it");
}

TEST(Kernels, ANtoskrnlRowJudgesTheBootedMultiprocessorKernel) {
  test::TempDir dir;
  const auto r = scan(scenario("mp-kernel"), dir);
  const auto f = finding(r.target, "Q999001");
  EXPECT_EQ(f.at("status"), "missing");
  EXPECT_EQ(f.at("reason"), "older than the fix: ntkrnlmp.exe (older)");
  ASSERT_EQ(f.at("evidence").size(), 2u);
  EXPECT_EQ(f.at("evidence")[0].at("path"), "WINNT/system32/ntoskrnl.exe");
  EXPECT_EQ(f.at("evidence")[0].at("status"), "newer");
  const auto mp = f.at("evidence")[1];
  EXPECT_EQ(mp.at("file"), "Ntoskrnl.exe");
  EXPECT_EQ(mp.at("path"), "WINNT/system32/ntkrnlmp.exe");
  EXPECT_EQ(mp.at("status"), "older");
  EXPECT_EQ(mp.at("note"),
            "judged ntkrnlmp.exe (boot.ini line 7: /KERNEL=ntkrnlmp.exe): modified "
            "2000-05-13T18:10:00Z, before 2000-07-11T18:09:00Z (the row's time less 24 h)");
  // Q266762 names both kernels: each row judges its own file.
  EXPECT_EQ(finding(r.target, "Q266762").at("reason"), "older than the fix: Ntkrnlmp.exe (older)");
  EXPECT_NE(r.text.find("judged ntkrnlmp.exe (boot.ini line 7: /KERNEL=ntkrnlmp.exe)"), std::string::npos) << r.text;
}

TEST(MuchNewer, FixedWithANoteGivingBothValues) {
  test::TempDir dir;
  const auto r = scan(scenario("much-newer"), dir);
  const auto f = finding(r.target, "Q259042");
  EXPECT_EQ(f.at("status"), "fixed");
  ASSERT_EQ(f.at("notes").size(), 1u) << f.dump(2);
  EXPECT_EQ(f.at("notes")[0],
            "winlogon.exe: the installed build is newer than the article's: linked "
            "2003-04-04T00:46:00Z, the article's file is dated 2000-04-04");
  EXPECT_NE(r.text.find("note winlogon.exe: the installed build is newer than the article's"), std::string::npos);
}

}  // namespace
}  // namespace hfa
