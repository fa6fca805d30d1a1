// The verdict rules, on values in memory: no file is read.
#include <gtest/gtest.h>

#include "analyzer/analyzer.h"

namespace hfa {
namespace {

using analyzer::RowStatus;
using analyzer::Status;

constexpr int64_t kHour = 3600, kDay = 86400;

kbdb::Article table_article() {
  kbdb::Article a;
  a.id = "Q259042";
  a.title = "Handle Leak in WinLogon";
  a.applies_to = {{kbdb::Edition::server, "4.0", {"6", "6a"}}, {kbdb::Edition::workstation, "4.0", {"6", "6a"}}};
  a.platforms = {Platform::x86, Platform::alpha};
  a.packages = {{"Q299444", "Security Rollup", "delivers"}};
  a.files = {{"", Date{2000, 4, 4}, TimeOfDay{0, 46}, 192272, "winlogon.exe", Platform::x86, std::nullopt, "", ""},
             {"", Date{2000, 4, 4}, TimeOfDay{0, 45}, 275216, "winlogon.exe", Platform::alpha, std::nullopt, "", ""}};
  return a;
}

kbdb::Article sp_article() {
  kbdb::Article a;
  a.id = "Q170626";
  a.applies_to = {{kbdb::Edition::workstation, "4.0", {}}, {kbdb::Edition::server, "4.0", {}},
                  {kbdb::Edition::terminal_server, "4.0", {}}};
  a.fixed_in = {{std::nullopt, "4"}, {kbdb::Edition::terminal_server, "4"}};
  a.modules = {{"system32/user32.dll", "pe", true}, {"system/ddeml.dll", "ne", true}};
  return a;
}

analyzer::TargetEvidence server_sp6a() {
  analyzer::TargetEvidence t;
  t.os.version = "4.0";
  t.os.build = "1381";
  t.os.service_pack = "6a";
  t.os.product = analyzer::Product::server;
  t.os.platform = Platform::x86;
  return t;
}

const int64_t kRowTime = to_unix_seconds({2000, 4, 4}, {0, 46});

void put_pe(analyzer::TargetEvidence& t, const std::string& name, int64_t modified, int64_t linked,
            uint64_t size = 192272, pe::Kind kind = pe::Kind::pe32) {
  analyzer::FileFact f;
  f.wanted = name;
  f.path = "WINNT/system32/" + name;
  f.present = true;
  f.size = size;
  f.modified = modified;
  pe::PeEvidence p;
  p.kind = kind;
  p.machine = 0x14c;
  if (pe::is_pe(kind)) p.link_time = static_cast<uint32_t>(linked);
  f.pe = p;
  t.files[name] = f;
}

analyzer::Finding judge(const kbdb::Article& a, const analyzer::TargetEvidence& t) {
  return analyzer::analyze_article(a, t);
}

TEST(FileTimeRule, ExactWhenSameSizeAndWithin24Hours) {
  auto t = server_sp6a();
  put_pe(t, "winlogon.exe", kRowTime - 24 * kHour, kRowTime - kDay);
  const auto f = judge(table_article(), t);
  EXPECT_EQ(f.status, Status::fixed) << f.reason;
  ASSERT_EQ(f.evidence.size(), 1u);  // the x86 row only
  EXPECT_EQ(f.evidence[0].status, RowStatus::exact);
}

TEST(FileTimeRule, OneSecondBeyondTheZoneAllowanceIsOlder) {
  auto t = server_sp6a();
  put_pe(t, "winlogon.exe", kRowTime - 24 * kHour - 1, kRowTime - kDay);
  const auto f = judge(table_article(), t);
  EXPECT_EQ(f.status, Status::missing);
  EXPECT_EQ(f.evidence[0].status, RowStatus::older);
  EXPECT_EQ(f.reason, "older than the fix: winlogon.exe (older)");
}

TEST(FileTimeRule, NewerFileOfAnotherSizeIsNewer) {
  auto t = server_sp6a();
  put_pe(t, "winlogon.exe", kRowTime + 100 * kDay, kRowTime + 99 * kDay, 200000);
  const auto f = judge(table_article(), t);
  EXPECT_EQ(f.status, Status::fixed);
  EXPECT_EQ(f.evidence[0].status, RowStatus::newer);
}

TEST(FileTimeRule, LinkTimeAtMost30DaysBeforeTheDate) {
  const int64_t day_start = to_unix_seconds({2000, 4, 4});
  auto t = server_sp6a();
  put_pe(t, "winlogon.exe", kRowTime + 10 * kDay, day_start - 30 * kDay);
  EXPECT_EQ(judge(table_article(), t).status, Status::fixed);
  put_pe(t, "winlogon.exe", kRowTime + 10 * kDay, day_start - 30 * kDay - 1);
  const auto f = judge(table_article(), t);
  EXPECT_EQ(f.status, Status::missing);
  EXPECT_EQ(f.evidence[0].status, RowStatus::time_reset);
  EXPECT_NE(f.evidence[0].note.find("the time was reset"), std::string::npos);
}

TEST(FileTimeRule, VersionRowsCompareVersions) {
  auto a = table_article();
  a.files[0].version = Version{4, 0, 1381, 133};
  auto t = server_sp6a();
  put_pe(t, "winlogon.exe", 0, 1);  // times do not matter with a version
  auto& p = *t.files["winlogon.exe"].pe;
  p.file_version = Version{4, 0, 1381, 133};
  EXPECT_EQ(judge(a, t).evidence[0].status, RowStatus::exact);
  p.file_version = Version{4, 0, 1381, 200};
  EXPECT_EQ(judge(a, t).evidence[0].status, RowStatus::newer);
  p.file_version = Version{4, 0, 1381, 7};
  EXPECT_EQ(judge(a, t).status, Status::missing);
  p.file_version.reset();
  const auto f = judge(a, t);
  EXPECT_EQ(f.status, Status::unknown);
  EXPECT_NE(f.reason.find("no version resource"), std::string::npos) << f.reason;
}

TEST(Registration, PackageRegisteredButFileOlderIsInconsistent) {
  auto t = server_sp6a();
  t.os.installed_hotfixes = {"Q246009", "Q299444"};
  put_pe(t, "winlogon.exe", kRowTime - 60 * kDay, kRowTime - 61 * kDay);
  const auto f = judge(table_article(), t);
  EXPECT_EQ(f.status, Status::inconsistent);
  EXPECT_EQ(f.reason,
            "registered as installed: Q299444 (delivers the fix), but older than the fix: winlogon.exe (older)");
}

TEST(Registration, HotfixRegisteredAndFileExactIsFixed) {
  auto t = server_sp6a();
  t.os.installed_hotfixes = {"Q259042"};
  put_pe(t, "winlogon.exe", kRowTime, kRowTime - kDay);
  const auto f = judge(table_article(), t);
  EXPECT_EQ(f.status, Status::fixed);
  EXPECT_NE(f.reason.find("registered as installed: Q259042"), std::string::npos);
}

TEST(Applicability, BeforeTheEarliestServicePackNamed) {
  auto t = server_sp6a();
  t.os.service_pack = "5";
  put_pe(t, "winlogon.exe", kRowTime - 60 * kDay, kRowTime - 61 * kDay);
  const auto f = judge(table_article(), t);
  EXPECT_EQ(f.status, Status::not_applicable);
  EXPECT_EQ(f.reason, "applies from SP6 on; this installation has SP5");
  t.os.service_pack = "6";
  EXPECT_EQ(judge(table_article(), t).status, Status::missing);
}

TEST(Applicability, EditionPlatformAndVersion) {
  auto t = server_sp6a();
  put_pe(t, "winlogon.exe", kRowTime, kRowTime);
  t.os.suites = {"Terminal Server"};
  EXPECT_EQ(judge(table_article(), t).reason, "applies to Server, Workstation; this installation is Terminal Server Edition");
  t.os.suites.clear();
  t.os.platform = Platform::mips;
  EXPECT_EQ(judge(table_article(), t).reason, "applies to x86, alpha; this installation is mips");
  t.os.platform = Platform::x86;
  t.os.version = "5.0";
  EXPECT_EQ(judge(table_article(), t).reason, "applies to Windows NT 4.0; this installation is 5.0");
}

TEST(Applicability, NoFileInstalledMeansNotApplicable) {
  auto t = server_sp6a();
  const auto f = judge(table_article(), t);
  EXPECT_EQ(f.status, Status::not_applicable);
  EXPECT_EQ(f.reason, "none of its files is installed (looked for winlogon.exe)");
}

TEST(Applicability, UnknownServicePackIsNeverFixed) {
  auto t = server_sp6a();
  t.os.service_pack.reset();
  put_pe(t, "winlogon.exe", kRowTime + 100 * kDay, kRowTime + 99 * kDay);
  const auto f = judge(table_article(), t);
  EXPECT_EQ(f.status, Status::unknown);
  EXPECT_NE(f.reason.find("service pack is unknown"), std::string::npos);
  EXPECT_EQ(f.evidence[0].status, RowStatus::newer);  // compared all the same
}

TEST(Applicability, NoRowsForThisPlatform) {
  auto a = table_article();
  a.files.pop_back();  // x86 only, Hardware still lists Alpha
  auto t = server_sp6a();
  t.os.platform = Platform::alpha;
  put_pe(t, "winlogon.exe", kRowTime, kRowTime);
  const auto f = judge(a, t);
  EXPECT_EQ(f.status, Status::unknown);
  EXPECT_EQ(f.reason, "the article's file table has no alpha rows (only x86): the fix cannot be verified");
}

TEST(UnreadableEvidence, NonPeFileIsUnknownButAnOlderFileStillMissing) {
  auto a = table_article();
  a.files.push_back({"", Date{2000, 4, 4}, TimeOfDay{0, 46}, 135440, "services.exe", Platform::x86, std::nullopt, "", ""});
  auto t = server_sp6a();
  put_pe(t, "winlogon.exe", kRowTime, kRowTime, 192272, pe::Kind::truncated);
  put_pe(t, "services.exe", kRowTime, kRowTime - kDay, 135440);
  auto f = judge(a, t);
  EXPECT_EQ(f.status, Status::unknown);
  EXPECT_EQ(f.reason, "cannot compare winlogon.exe: not a PE image (truncated)");
  put_pe(t, "services.exe", kRowTime - 90 * kDay, kRowTime - 91 * kDay, 135440);
  EXPECT_EQ(judge(a, t).status, Status::missing);
}

TEST(ServicePackRule, AtOrPastTheFixingServicePack) {
  auto t = server_sp6a();
  put_pe(t, "system32/user32.dll", 0, 1);
  t.os.service_pack = "4";
  auto f = judge(sp_article(), t);
  EXPECT_EQ(f.status, Status::fixed);
  EXPECT_EQ(f.reason, "SP4 is at or past SP4, which first corrected it");
  ASSERT_EQ(f.evidence.size(), 2u);
  EXPECT_EQ(f.evidence[0].status, RowStatus::present);
  EXPECT_EQ(f.evidence[1].status, RowStatus::absent);
  EXPECT_EQ(*f.evidence[0].required_service_pack, "4");
  t.os.service_pack = "3";
  EXPECT_EQ(judge(sp_article(), t).status, Status::missing);
  t.os.service_pack = "0";
  EXPECT_EQ(judge(sp_article(), t).reason, "no service pack is before SP4, which first corrected it");
}

TEST(ServicePackRule, TerminalServerCountsItsOwnServicePacks) {
  auto a = sp_article();
  a.fixed_in = {{std::nullopt, "4"}, {kbdb::Edition::terminal_server, "5"}};
  auto t = server_sp6a();
  put_pe(t, "system32/user32.dll", 0, 1);
  t.os.suites = {"Terminal Server"};
  t.os.service_pack = "4";
  const auto f = judge(a, t);
  EXPECT_EQ(f.status, Status::missing);
  EXPECT_EQ(f.reason, "SP4 is before SP5 of Terminal Server Edition, which first corrected it");
}

TEST(ServicePackRule, RegisteredHotfixOnAnOlderServicePackCannotBeVerified) {
  auto t = server_sp6a();
  put_pe(t, "system32/user32.dll", 0, 1);
  t.os.service_pack = "3";
  t.os.installed_hotfixes = {"Q170626"};
  const auto f = judge(sp_article(), t);
  EXPECT_EQ(f.status, Status::unknown);
  EXPECT_NE(f.reason.find("gives no file attributes to verify"), std::string::npos);
}

TEST(ServicePacks, Ordering) {
  EXPECT_EQ(analyzer::compare_service_packs("6a", "6"), 1);
  EXPECT_EQ(analyzer::compare_service_packs("6", "6a"), -1);
  EXPECT_EQ(analyzer::compare_service_packs("5", "6a"), -1);
  EXPECT_EQ(analyzer::compare_service_packs("10", "6a"), 1);
  EXPECT_EQ(analyzer::compare_service_packs("4", "4"), 0);
  EXPECT_FALSE(analyzer::compare_service_packs("6 RC", "6"));
  EXPECT_FALSE(analyzer::compare_service_packs("", "6"));
}

TEST(FilesOfInterest, RowsAndModulesWithoutDuplicates) {
  kbdb::Database db;
  db.articles = {table_article(), sp_article()};
  EXPECT_EQ(analyzer::files_of_interest(db),
            (std::vector<std::string>{"system/ddeml.dll", "system32/user32.dll", "winlogon.exe"}));
}

}  // namespace
}  // namespace hfa

namespace hfa {
namespace {

TEST(MuchNewer, ALaterBuildBranchIsFixedWithANote) {
  auto t = server_sp6a();
  const int64_t day = to_unix_seconds({2000, 4, 4});
  put_pe(t, "winlogon.exe", day + 800 * kDay, day + 799 * kDay, 250000);
  auto f = judge(table_article(), t);
  EXPECT_EQ(f.status, Status::fixed);
  ASSERT_EQ(f.notes.size(), 1u);
  EXPECT_EQ(f.notes[0],
            "winlogon.exe: the installed build is newer than the article's: linked 2002-06-12T00:00:00Z, the "
            "article's file is dated 2000-04-04");
  put_pe(t, "winlogon.exe", day + 300 * kDay, day + 299 * kDay, 250000);
  EXPECT_TRUE(judge(table_article(), t).notes.empty());

  auto a = table_article();
  a.files[0].version = Version{4, 0, 1381, 133};
  t.files["winlogon.exe"].pe->file_version = Version{5, 0, 2195, 1};
  f = judge(a, t);
  EXPECT_EQ(f.status, Status::fixed);
  ASSERT_EQ(f.notes.size(), 1u);
  EXPECT_EQ(f.notes[0], "winlogon.exe: the installed build is newer than the article's: version 5.0.2195.1, the "
                        "article's 4.0.1381.133");
}

TEST(Ordering, FindingsByKbIdInNumericOrder) {
  kbdb::Database db;
  auto late = sp_article();
  late.id = "Q1000001";
  auto early = sp_article();
  early.id = "Q99999";
  db.articles = {late, table_article(), early};
  const auto findings = analyzer::analyze(db, server_sp6a());
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].kb, "Q99999");
  EXPECT_EQ(findings[1].kb, "Q259042");
  EXPECT_EQ(findings[2].kb, "Q1000001");
}

// Terminal Server Edition: bit 0x8000 of the revision marks its builds.
kbdb::Article versioned_kernel_article() {
  kbdb::Article a;
  a.id = "Q266762";
  a.applies_to = {{kbdb::Edition::server, "4.0", {}}, {kbdb::Edition::terminal_server, "4.0", {}}};
  a.files = {{"Windows NT 4.0", Date{2000, 7, 12}, TimeOfDay{18, 9}, 934720, "Ntoskrnl.exe", Platform::x86,
              Version{4, 0, 1381, 7}, "", ""},
             {"Windows NT Server 4.0, Terminal Server Edition", Date{2000, 7, 27}, TimeOfDay{16, 11}, 980864,
              "Ntoskrnl.exe", Platform::x86, Version{4, 0, 1381, 33000}, "", ""}};
  return a;
}

void put_versioned(analyzer::TargetEvidence& t, const std::string& name, Version v) {
  put_pe(t, name, kRowTime, kRowTime);
  t.files[name].pe->file_version = v;
}

TEST(TerminalServer, TseBuildAgainstAStandardRowIsNeverCompared) {
  // A 0x8000 build sorts above every standard 1381.x: compared, it would pass.
  auto t = server_sp6a();
  put_versioned(t, "ntoskrnl.exe", {4, 0, 1381, 33478});
  auto a = versioned_kernel_article();
  a.files.pop_back();  // the standard row only
  t.os.suites = {};
  t.os.kernel_version = std::nullopt;  // a TSE binary on a standard installation
  const auto f = judge(a, t);
  ASSERT_EQ(f.evidence.size(), 1u);
  EXPECT_EQ(f.evidence[0].status, RowStatus::other_edition);
  EXPECT_EQ(f.status, Status::unknown);
  EXPECT_EQ(f.reason, "cannot compare Ntoskrnl.exe: version 4.0.1381.33478 is a Terminal Server Edition build "
                      "(revision bit 0x8000), the row a standard one: not compared");
}

TEST(TerminalServer, TseInstallationUsesTheTseRowsOnly) {
  auto t = server_sp6a();
  t.os.service_pack = "6";
  put_versioned(t, "ntoskrnl.exe", {4, 0, 1381, 32918});
  t.os.kernel_version = Version{4, 0, 1381, 32918};  // no ProductSuite: the kernel says TSE
  ASSERT_TRUE(t.os.terminal_server());
  const auto f = judge(versioned_kernel_article(), t);
  ASSERT_EQ(f.evidence.size(), 1u);
  EXPECT_EQ(f.evidence[0].required_row->section, "Windows NT Server 4.0, Terminal Server Edition");
  EXPECT_EQ(f.evidence[0].status, RowStatus::older);  // 32918 < 33000, both TSE builds
  EXPECT_EQ(f.status, Status::missing);
  bool skipped = false;
  for (const auto& line : f.trace)
    skipped = skipped || line.find("skipped, a standard Windows NT row; this installation is Terminal Server "
                                   "Edition") != std::string::npos;
  EXPECT_TRUE(skipped) << testing::PrintToString(f.trace);
}

TEST(TerminalServer, StandardBuildOnATseRowAndNoTseRows) {
  auto t = server_sp6a();
  t.os.suites = {"Terminal Server"};
  put_versioned(t, "ntoskrnl.exe", {4, 0, 1381, 7});
  auto a = versioned_kernel_article();
  EXPECT_EQ(judge(a, t).evidence[0].status, RowStatus::other_edition);
  a.files.pop_back();  // no TSE row left
  const auto f = judge(a, t);
  EXPECT_EQ(f.status, Status::unknown);
  EXPECT_EQ(f.reason, "the article's file table has no Terminal Server Edition rows for x86: the fix cannot be "
                      "verified");
}

TEST(Kernels, NtoskrnlRowJudgesEachBootedKernel) {
  auto t = server_sp6a();
  put_versioned(t, "ntoskrnl.exe", {4, 0, 1381, 9});
  put_versioned(t, "ntkrnlmp.exe", {4, 0, 1381, 5});
  auto a = versioned_kernel_article();
  a.files.pop_back();
  t.kernels = {{"ntkrnlmp.exe", "boot.ini line 6: /KERNEL=ntkrnlmp.exe"}};
  auto f = judge(a, t);
  ASSERT_EQ(f.evidence.size(), 1u);  // only the booted kernel
  EXPECT_EQ(f.evidence[0].judged, "ntkrnlmp.exe");
  EXPECT_EQ(f.evidence[0].found.path, "WINNT/system32/ntkrnlmp.exe");
  EXPECT_EQ(f.evidence[0].note, "judged ntkrnlmp.exe (boot.ini line 6: /KERNEL=ntkrnlmp.exe): version 4.0.1381.5 is "
                                "before 4.0.1381.7");
  EXPECT_EQ(f.reason, "older than the fix: ntkrnlmp.exe (older)");
  t.kernels.insert(t.kernels.begin(), {"ntoskrnl.exe", "boot.ini line 5: no /KERNEL switch"});
  f = judge(a, t);
  ASSERT_EQ(f.evidence.size(), 2u);
  EXPECT_EQ(f.evidence[0].status, RowStatus::newer);
  EXPECT_EQ(f.evidence[0].judged, "");
  // With a row of its own, ntkrnlmp.exe is judged by that row alone.
  a.files.push_back(a.files[0]);
  a.files.back().name = "Ntkrnlmp.exe";
  f = judge(a, t);
  ASSERT_EQ(f.evidence.size(), 2u);
  EXPECT_EQ(f.evidence[1].file, "Ntkrnlmp.exe");
  EXPECT_EQ(f.evidence[1].judged, "");
}

TEST(Trace, NamesEveryFactWithItsSourceAndTheDecidingRule) {
  auto t = server_sp6a();
  t.sources = {{"CurrentVersion", "4.0", "SOFTWARE: CurrentVersion"},
               {"CSDVersion", "Service Pack 6", "SOFTWARE: CSDVersion"},
               {"Q246009", "Installed = 1", "SOFTWARE: Hotfix\\Q246009"},
               {"ProductType", "ServerNT", "SYSTEM: ProductType"},
               {"platform", "x86", "PROCESSOR_ARCHITECTURE 'x86' in SYSTEM"},
               {"installed hotfixes", "Q246009", "SOFTWARE: Hotfix"}};
  put_pe(t, "winlogon.exe", kRowTime - 60 * kDay, kRowTime - 61 * kDay);
  const auto f = judge(table_article(), t);
  std::string all;
  for (const auto& line : f.trace) all += line + "\n";
  for (const char* expected :
       {"OS version 4.0, from CurrentVersion '4.0' (SOFTWARE: CurrentVersion)",
        "service pack SP6a, from CSDVersion 'Service Pack 6' (SOFTWARE: CSDVersion) and hotfix Q246009 'Installed = 1' "
        "(SOFTWARE: Hotfix\\Q246009)",
        "edition Server, from ProductType 'ServerNT' (SYSTEM: ProductType)",
        "platform x86, from PROCESSOR_ARCHITECTURE 'x86' in SYSTEM",
        "row winlogon.exe alpha, 2000-04-04 00:45, 275216 bytes: skipped, a row for alpha; this installation is x86",
        "row winlogon.exe x86, 2000-04-04 00:46, 192272 bytes: found WINNT/system32/winlogon.exe, PE32, linked "
        "2000-02-03T00:46:00Z, modified 2000-02-04T00:46:00Z, 192272 bytes -> older",
        "applicability: SP6a is at or past SP6",
        "hotfix registrations looked for: Q259042, Q299444 (delivers the fix) in SOFTWARE: Hotfix (registered: "
        "Q246009); found none",
        "verdict: missing, by rule 4 (file table): older than the fix: winlogon.exe (older)"})
    EXPECT_NE(all.find(expected), std::string::npos) << expected << "\n---\n" << all;
}

}  // namespace
}  // namespace hfa
