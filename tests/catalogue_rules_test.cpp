// The catalogue rules of docs/verdicts.md (issue 10, points 1-9), on
// databases and evidence in memory: analyze() builds the catalogue from the
// database, so each test writes the relations it needs.
#include <gtest/gtest.h>

#include "analyzer/analyzer.h"
#include "kbdb/catalogue.h"

namespace hfa {
namespace {

using analyzer::RowStatus;
using analyzer::Status;

analyzer::TargetEvidence target(const std::string& sp, Platform platform = Platform::x86, bool tse = false) {
  analyzer::TargetEvidence t;
  t.os.version = "4.0";
  t.os.build = "1381";
  t.os.service_pack = sp;
  t.os.product = analyzer::Product::server;
  t.os.platform = platform;
  if (tse) t.os.suites = {"Terminal Server"};
  return t;
}

void put_file(analyzer::TargetEvidence& t, const std::string& wanted, int64_t modified, int64_t linked, uint64_t size,
              std::optional<Version> version = std::nullopt) {
  analyzer::FileFact f;
  f.wanted = wanted;
  f.path = "WINNT/" + (wanted.find('/') == std::string::npos ? "system32/" + wanted : wanted);
  f.present = true;
  f.size = size;
  f.modified = modified;
  pe::PeEvidence p;
  p.kind = pe::Kind::pe32;
  p.machine = 0x14c;
  p.link_time = static_cast<uint32_t>(linked);
  p.file_version = version;
  f.pe = p;
  std::string key = wanted;
  for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  t.files[key] = f;
}

kbdb::Article article(const std::string& id, const std::string& title) {
  kbdb::Article a;
  a.id = id;
  a.title = title;
  a.modified = {2001, 1, 1};
  a.applies_to = {{kbdb::Edition::server, "4.0", {}}, {kbdb::Edition::workstation, "4.0", {}}};
  return a;
}

kbdb::FileRow row(const std::string& name, Date date, uint64_t size, std::optional<Version> version = std::nullopt,
                  Platform platform = Platform::x86) {
  kbdb::FileRow r;
  r.name = name;
  r.date = date;
  r.time = TimeOfDay{12, 0};
  r.size = size;
  r.version = version;
  r.platform = platform;
  return r;
}

int64_t at(Date d) { return to_unix_seconds(d, {12, 0}); }

// By value: the findings are often a temporary.
analyzer::Finding finding(const std::vector<analyzer::Finding>& all, const std::string& kb) {
  for (const auto& f : all)
    if (f.kb == kb) return f;
  throw std::runtime_error("no finding " + kb);
}

// Q225095 (spooler roll-up, x86 rows only) names three fixes; Q241211 lists two
// of them for SP6, the third says SP6 by its Keywords tag.
kbdb::Database spooler_catalogue() {
  kbdb::Database db;
  auto roll = article("Q225095", "Spooler roll-up");
  roll.kind = "package";
  roll.platforms = {Platform::x86, Platform::alpha};
  roll.files = {row("spoolss.exe", {1999, 5, 10}, 40000)};
  roll.contains = {{"Q224345", {"Q225095", 14}}, {"Q223791", {"Q225095", 15}}, {"Q223863", {"Q225095", 16}}};
  db.articles.push_back(roll);
  auto c1 = article("Q224345", "Spooler fix 1");
  c1.fixed_in = {{std::nullopt, "6", "keywords", {"Q224345", 40}}};
  db.articles.push_back(c1);
  db.articles.push_back(article("Q223791", "Spooler fix 2"));
  db.articles.push_back(article("Q223863", "Spooler fix 3"));
  auto list = article("Q241211", "List of bugs fixed in Windows NT 4.0 Service Pack 6");
  list.kind = "fix-list";
  list.lists = kbdb::ServicePackList{std::nullopt, "6"};
  list.contains = {{"Q223791", {"Q241211", 57}}, {"Q223863", {"Q241211", 58}}};
  db.articles.push_back(list);
  return db;
}

// Point 1: a roll-up whose rows cannot decide (Alpha) follows its components.
TEST(CatalogueRollUp, FollowsItsComponentsWhenItsRowsCannotDecide) {
  const auto db = spooler_catalogue();
  auto t = target("6a", Platform::alpha);
  put_file(t, "spoolss.exe", at({1999, 11, 1}), at({1999, 11, 1}), 50000);
  const auto all = analyzer::analyze(db, t);
  EXPECT_EQ(finding(all, "Q223791").status, Status::fixed);
  EXPECT_EQ(finding(all, "Q223791").reason,
            "SP6a is at or past SP6 (by the fix list Q241211, Q241211 line 57), which first corrected it");
  const auto& roll = finding(all, "Q225095");
  EXPECT_EQ(roll.status, Status::fixed);
  EXPECT_EQ(roll.reason.rfind("its own rows cannot decide (the article's file table has no alpha rows (only x86)", 0),
            0u)
      << roll.reason;
  EXPECT_NE(roll.reason.find("every component it contains is fixed: Q224345 (SP6a is at or past SP6 (by the "
                             "article's Keywords tag, Q224345 line 40)"),
            std::string::npos)
      << roll.reason;
}

// Point 1: on x86 SP5 the roll-up's own files prove it installed: its
// components are fixed by it, not missing.
TEST(CatalogueRollUp, AnInstalledRollUpFixesItsComponents) {
  const auto db = spooler_catalogue();
  auto t = target("5");
  put_file(t, "spoolss.exe", at({1999, 5, 10}), at({1999, 5, 9}), 40000);
  const auto all = analyzer::analyze(db, t);
  EXPECT_EQ(finding(all, "Q225095").status, Status::fixed);
  const auto& c = finding(all, "Q223863");
  EXPECT_EQ(c.status, Status::fixed);
  EXPECT_EQ(c.reason,
            "contained in the roll-up Q225095 (Q225095 line 16), whose files on this installation are at or past its "
            "rows; SP5 is before SP6 (by the fix list Q241211, Q241211 line 58), which first corrected it");
  EXPECT_FALSE(c.remediation);
}

// Point 1 and remediation: with the roll-up's file older, the roll-up and its
// components are all missing; the components name their service pack.
TEST(CatalogueRollUp, MissingRollUpAndComponentsNameWhatToInstall) {
  const auto db = spooler_catalogue();
  auto t = target("5");
  put_file(t, "spoolss.exe", at({1998, 1, 1}), at({1998, 1, 1}), 30000);
  const auto all = analyzer::analyze(db, t);
  EXPECT_EQ(finding(all, "Q225095").status, Status::missing);
  EXPECT_EQ(finding(all, "Q225095").remediation->text, "install the package Q225095 (Spooler roll-up)");
  const auto& c = finding(all, "Q223791");
  EXPECT_EQ(c.status, Status::missing);
  // The roll-up containing it is smaller to install than SP6.
  EXPECT_EQ(c.remediation->text,
            "install the package Q225095 (Spooler roll-up), which contains Q223791 (Q225095 line 15)");
}

// Point 2: a TSE fix list resolves an article that names no service pack.
TEST(CatalogueFixList, TseListGivesTheFixingServicePackPerEdition) {
  kbdb::Database db;
  auto a = article("Q196270", "A fix for TSE too");
  a.applies_to.push_back({kbdb::Edition::terminal_server, "4.0", {}});
  db.articles.push_back(a);
  auto list = article("Q240331", "Bugs fixed in TSE SP5");
  list.kind = "fix-list";
  list.lists = kbdb::ServicePackList{kbdb::Edition::terminal_server, "5"};
  list.contains = {{"Q196270", {"Q240331", 33}}};
  db.articles.push_back(list);
  auto fixed = analyzer::analyze(db, target("5", Platform::x86, true));
  EXPECT_EQ(finding(fixed, "Q196270").status, Status::fixed);
  EXPECT_EQ(finding(fixed, "Q196270").reason,
            "SP5 is at or past SP5 of Terminal Server Edition (by the fix list Q240331, Q240331 line 33), which first "
            "corrected it");
  auto missing = analyzer::analyze(db, target("4", Platform::x86, true));
  EXPECT_EQ(finding(missing, "Q196270").status, Status::missing);
  EXPECT_EQ(finding(missing, "Q196270").remediation->text,
            "install Service Pack 5 of Terminal Server Edition or later (by the fix list Q240331, Q240331 line 33)");
  // The standard line has no list naming it: still unknown there.
  EXPECT_EQ(finding(analyzer::analyze(db, target("6a")), "Q196270").status, Status::unknown);
}

kbdb::Database winlogon_catalogue() {
  kbdb::Database db;
  auto a = article("Q259042", "Handle Leak in WinLogon");
  a.applies_to = {{kbdb::Edition::server, "4.0", {"6", "6a"}}};
  a.files = {row("winlogon.exe", {2000, 4, 4}, 192272)};
  db.articles.push_back(a);
  auto later = article("Q300000", "A later winlogon fix");
  later.applies_to = a.applies_to;
  later.files = {row("winlogon.exe", {2001, 5, 1}, 200000)};
  db.articles.push_back(later);
  auto srp = article("Q299444", "Security Rollup");
  srp.kind = "package";
  srp.applies_to = a.applies_to;
  srp.contains = {{"Q259042", {"Q299444", 40}}, {"Q300000", {"Q299444", 41}}};
  db.articles.push_back(srp);
  auto tse = article("Q317636", "TSE Security Rollup");
  tse.kind = "package";
  tse.applies_to = {{kbdb::Edition::terminal_server, "4.0", {}}};
  tse.contains = {{"Q259042", {"Q317636", 22}}};
  db.articles.push_back(tse);
  return db;
}

// Point 3: a registered package registers each fix it contains.
TEST(CataloguePackage, ARegisteredPackageRegistersItsFixes) {
  auto t = target("6a");
  t.os.installed_hotfixes = {"Q299444"};
  put_file(t, "winlogon.exe", at({1999, 1, 1}), at({1999, 1, 1}), 190000);
  const auto& f = finding(analyzer::analyze(winlogon_catalogue(), t), "Q259042");
  EXPECT_EQ(f.status, Status::inconsistent);
  EXPECT_EQ(f.reason,
            "registered as installed: Q299444 (contains the fix, Q299444 line 40), but older than the fix: "
            "winlogon.exe (older)");
}

// Point 3: a TSE package containing the fix makes it concern TSE.
TEST(CataloguePackage, ATsePackageMakesTheFixApplyToTse) {
  auto t = target("6", Platform::x86, true);
  put_file(t, "winlogon.exe", at({2000, 4, 4}), at({2000, 4, 4}), 192272, Version{4, 0, 1381, 33500});
  const auto& f = finding(analyzer::analyze(winlogon_catalogue(), t), "Q259042");
  EXPECT_NE(f.status, Status::not_applicable) << f.reason;
  bool said = false;
  for (const auto& s : f.trace)
    said = said ||
           s.find("package Q317636 (TSE Security Rollup) delivers it for Terminal Server Edition (Q317636 line 22)") !=
               std::string::npos;
  EXPECT_TRUE(said);
}

// Point 4: a file matching a later article's row says so; an older one names
// the newest package.
TEST(CatalogueSupersedence, LaterBuildNoteAndNewestPackageAsRemediation) {
  auto t = target("6a");
  put_file(t, "winlogon.exe", at({2001, 5, 1}), at({2001, 4, 30}), 200000);
  const auto& fixed = finding(analyzer::analyze(winlogon_catalogue(), t), "Q259042");
  EXPECT_EQ(fixed.status, Status::fixed);
  ASSERT_EQ(fixed.notes.size(), 1u);
  EXPECT_EQ(fixed.notes[0], "winlogon.exe: fixed by the later hotfix Q300000's build (200000 bytes, 2001-05-01)");

  auto old = target("6a");
  put_file(old, "winlogon.exe", at({1999, 1, 1}), at({1999, 1, 1}), 190000);
  const auto& missing = finding(analyzer::analyze(winlogon_catalogue(), old), "Q259042");
  EXPECT_EQ(missing.status, Status::missing);
  EXPECT_EQ(missing.remediation->text,
            "install the package Q299444 (Security Rollup), which contains Q300000, the newest hotfix listing "
            "winlogon.exe (Q299444 line 41)");
}

// Point 5: an optional component absent by its service key and its files.
TEST(CatalogueComponent, AbsentClusterServerIsNotApplicable) {
  kbdb::Database db;
  auto a = article("Q268835", "Cluster Server leak");
  a.fixed_in = {{std::nullopt, "7", "status", {}}};
  a.components = {{"Cluster Server", {"ClusSvc"}, {"cluster/clussvc.exe"}, {"Q268835", 12}}};
  db.articles.push_back(a);
  auto t = target("6a");
  t.services = std::vector<std::string>{"LanmanServer", "Spooler"};
  t.services_where = "WINNT/system32/config/SYSTEM: ControlSet001\\Services";
  t.files["cluster/clussvc.exe"].wanted = "cluster/clussvc.exe";
  const auto& f = finding(analyzer::analyze(db, t), "Q268835");
  EXPECT_EQ(f.status, Status::not_applicable);
  EXPECT_EQ(f.reason,
            "the optional component Cluster Server is not installed (no ClusSvc key under "
            "WINNT/system32/config/SYSTEM: ControlSet001\\Services; cluster/clussvc.exe absent); the article concerns "
            "it (Q268835 line 12)");
  // Installed (the service key exists): judged as before, missing.
  t.services->push_back("ClusSvc");
  EXPECT_EQ(finding(analyzer::analyze(db, t), "Q268835").status, Status::missing);
  // The SYSTEM hive unread: a service cannot be known absent.
  t.services.reset();
  EXPECT_EQ(finding(analyzer::analyze(db, t), "Q268835").status, Status::missing);
}

// Point 6: a row is looked for at its install location.
TEST(CatalogueLocation, RowsAreLookedForWhereWindowsInstallsThem) {
  kbdb::Database db;
  auto a = article("Q244350", "RASDD leak");
  auto r = row("RASDD.DLL", {1999, 10, 1}, 250000);
  r.location = "system32/spool/drivers/w32x86/2";
  a.files = {r};
  db.articles.push_back(a);
  EXPECT_EQ(analyzer::files_of_interest(db), std::vector<std::string>{"system32/spool/drivers/w32x86/2/RASDD.DLL"});
  auto t = target("6a");
  put_file(t, "system32/spool/drivers/w32x86/2/RASDD.DLL", at({1999, 1, 1}), at({1999, 1, 1}), 240000);
  const auto& f = finding(analyzer::analyze(db, t), "Q244350");
  EXPECT_EQ(f.status, Status::missing);
  ASSERT_EQ(f.evidence.size(), 1u);
  EXPECT_EQ(f.evidence[0].found.path, "WINNT/system32/spool/drivers/w32x86/2/RASDD.DLL");
  EXPECT_EQ(f.remediation->text, "install the hotfix Q244350 (RASDD leak)");
}

// Point 7: a reused revision number, another product's line, a standard
// build with bit 0x8000.
TEST(CatalogueVersions, ReusedRevisionAnotherLineAndBit8000) {
  kbdb::Database db;
  auto a = article("Q305399", "RPC fix");
  a.files = {row("rpcrt4.dll", {2001, 8, 1}, 343312, Version{4, 0, 1381, 7097})};
  db.articles.push_back(a);
  auto t = target("6a");
  put_file(t, "rpcrt4.dll", at({2001, 10, 20}), at({2001, 10, 19}), 343824, Version{4, 0, 1381, 7097});
  const auto& f = finding(analyzer::analyze(db, t), "Q305399");
  ASSERT_EQ(f.evidence.size(), 1u);
  EXPECT_EQ(f.evidence[0].status, RowStatus::newer);
  EXPECT_EQ(f.evidence[0].note,
            "version 4.0.1381.7097 is the row's, but size, date and link time all differ (343824 bytes against 343312, "
            "modified 2001-10-20T12:00:00Z and linked 2001-10-19T12:00:00Z against 2001-08-01): another build with the "
            "same number, not an exact match");

  kbdb::Database ras;
  auto b = article("Q257647", "RAS fix");
  b.files = {row("rasapi32.dll", {2000, 3, 1}, 100000, Version{4, 0, 1381, 300})};
  ras.articles.push_back(b);
  auto t2 = target("6a");
  put_file(t2, "rasapi32.dll", at({1998, 1, 1}), at({1998, 1, 1}), 120000, Version{4, 1, 1, 5});
  const auto& g = finding(analyzer::analyze(ras, t2), "Q257647");
  EXPECT_EQ(g.status, Status::fixed);
  ASSERT_EQ(g.notes.size(), 1u);
  EXPECT_EQ(g.notes[0],
            "rasapi32.dll: version 4.1.1.5 is another product's build line than the row's 4.0.1381.300 (counted at or "
            "past the fix, but the two lines are not the same code)");

  kbdb::Database nw;
  auto c = article("Q241074", "NWRDR fix");
  c.files = {row("nwrdr.sys", {1999, 9, 1}, 150000, Version{4, 0, 1381, 32901})};
  nw.articles.push_back(c);
  auto t3 = target("6a");
  put_file(t3, "nwrdr.sys", at({1999, 9, 1}), at({1999, 9, 1}), 150000, Version{4, 0, 1381, 32901});
  const auto& h = finding(analyzer::analyze(nw, t3), "Q241074");
  EXPECT_EQ(h.status, Status::fixed) << h.reason;
  EXPECT_EQ(h.evidence.at(0).status, RowStatus::exact);
}

// Point 8: a required registry value absent gives a note naming key and value.
TEST(CatalogueSettings, AbsentRequiredValueIsNoted) {
  kbdb::Database db;
  auto a = article("Q258837", "KeepConn");
  a.fixed_in = {{std::nullopt, "6", "status", {}}};
  a.settings = {{"SYSTEM", "CurrentControlSet\\Services\\LanmanServer\\Parameters", "KeepConn", "0", {"Q258837", 31}}};
  db.articles.push_back(a);
  auto t = target("6a");
  t.registry_values.push_back({"SYSTEM", "CurrentControlSet\\Services\\LanmanServer\\Parameters", "KeepConn", true,
                               std::nullopt,
                               "WINNT/system32/config/SYSTEM: ControlSet001\\Services\\LanmanServer\\Parameters", ""});
  const auto& f = finding(analyzer::analyze(db, t), "Q258837");
  EXPECT_EQ(f.status, Status::fixed);
  ASSERT_EQ(f.notes.size(), 1u);
  EXPECT_EQ(
      f.notes[0],
      "the fix takes effect only with SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters\\KeepConn = 0 "
      "(Q258837 line 31); the value is absent (WINNT/system32/config/SYSTEM: "
      "ControlSet001\\Services\\LanmanServer\\Parameters)");
  t.registry_values[0].data = "0";
  EXPECT_TRUE(finding(analyzer::analyze(db, t), "Q258837").notes.empty());
}

// Point 9: an SP6a article applies to SP6 when Q246009 did not change its files.
TEST(CatalogueSp6a, Sp6aArticleAppliesToSp6WhenItsFilesAreUnchanged) {
  kbdb::Database db;
  auto a = article("Q257647", "RAS fix from SP6a");
  a.applies_to = {{kbdb::Edition::server, "4.0", {"6a"}}};
  a.files = {row("rasapi32.dll", {2000, 3, 1}, 100000)};
  db.articles.push_back(a);
  auto t = target("6");
  put_file(t, "rasapi32.dll", at({1999, 1, 1}), at({1999, 1, 1}), 90000);
  // Without Q246009 in the database, SP6 is outside the article.
  EXPECT_EQ(finding(analyzer::analyze(db, t), "Q257647").status, Status::not_applicable);
  auto sp6a = article("Q246009", "SP6a");
  sp6a.files = {row("tcpip.sys", {1999, 11, 1}, 120000)};
  db.articles.push_back(sp6a);
  const auto& f = finding(analyzer::analyze(db, t), "Q257647");
  EXPECT_EQ(f.status, Status::missing);
  EXPECT_EQ(f.reason, "older than the fix: rasapi32.dll (older)");
  // Had SP6a changed rasapi32.dll, SP6 would stay outside the article.
  db.articles.back().files.push_back(row("rasapi32.dll", {1999, 11, 1}, 95000));
  EXPECT_EQ(finding(analyzer::analyze(db, t), "Q257647").status, Status::not_applicable);
}

TEST(CatalogueIds, KbNumbersInEverySpelling) {
  for (const char* s : {"Q259042", "q259042", "KB259042", "kb259042", "259042"})
    EXPECT_EQ(kbdb::normalize_kb_id(s), std::optional<std::string>("Q259042")) << s;
  EXPECT_EQ(kbdb::normalize_kb_id("Q"), std::nullopt);
  EXPECT_EQ(kbdb::normalize_kb_id("Q25x"), std::nullopt);
}

}  // namespace
}  // namespace hfa
