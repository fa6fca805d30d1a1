// Issue 10's catalogue rules on real bytes: machines the project's writers
// produce (regf hives, PE files with version resources and times), scanned by
// scan::scan_root with the built-in database (or the nt4-all catalogue, or a
// database given as XML text), each asserting the exact finding. Points 1, 3
// and 6 are scanned in testdata/scenarios.cpp (alpha-sp6a-missing, tse-sp4,
// catalogue-relations).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kbdb/kbdb.h"
#include "scan/scan.h"
#include "testdata/hive_writer.h"
#include "testdata/pe_writer.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using testdata::HiveValue;

// One file below WINNT, as a hotfix or service pack left it.
struct PeFile {
  std::string path;  // "system32/rasapi32.dll"
  Version version;
  uint64_t size = 0;
  int64_t modified = 0;  // seconds since 1970 UTC; also the link time, less a day
};

// An NT 4.0 x86 installation: the registry facts and the files a test needs.
struct Machine {
  std::string csd = "Service Pack 6";
  std::string product = "ServerNT";
  std::vector<std::string> suites;
  std::vector<std::string> hotfixes;
  std::vector<std::string> services = {"EventLog", "LanmanServer", "LanmanWorkstation", "RpcSs", "Spooler", "Tcpip"};
  std::vector<std::pair<std::string, HiveValue>> system_values;  // key below the current control set
  std::vector<PeFile> files;
};

int64_t at(Date d, TimeOfDay t = {12, 0}) { return to_unix_seconds(d, t); }

std::vector<uint8_t> pe(const PeFile& f) {
  testdata::PeSpec spec;
  spec.dll = f.path.find(".dll") != std::string::npos;
  spec.link_time = static_cast<uint32_t>(f.modified - 86400);
  spec.file_version = f.version;
  spec.strings = {{"CompanyName", "Microsoft Corporation"}, {"FileVersion", to_string(f.version)}};
  spec.size = f.size;
  return testdata::write_pe(spec);
}

std::string write(const Machine& m, const test::TempDir& dir) {
  testdata::Scenario s;
  const int64_t sp_time = at({1999, 10, 15});
  s.files.push_back({"WINNT/system32/ntoskrnl.exe", pe({"ntoskrnl.exe", {4, 0, 1381, 7}, 0, sp_time}), sp_time});
  for (const auto& f : m.files) s.files.push_back({"WINNT/" + f.path, pe(f), f.modified});

  testdata::HiveBuilder software;
  const std::string cv = "Microsoft\\Windows NT\\CurrentVersion";
  software.value(cv, HiveValue::sz("CurrentVersion", "4.0"))
      .value(cv, HiveValue::sz("CurrentBuildNumber", "1381"))
      .value(cv, HiveValue::sz("CSDVersion", m.csd))
      .key(cv + "\\Hotfix");
  for (const auto& h : m.hotfixes) software.value(cv + "\\Hotfix\\" + h, HiveValue::dword("Installed", 1));

  testdata::HiveBuilder system;
  system.value("Select", HiveValue::dword("Current", 1))
      .value("ControlSet001\\Control\\ProductOptions", HiveValue::sz("ProductType", m.product))
      .value("ControlSet001\\Control\\Session Manager\\Environment", HiveValue::sz("PROCESSOR_ARCHITECTURE", "x86"));
  if (!m.suites.empty())
    system.value("ControlSet001\\Control\\ProductOptions", HiveValue::multi_sz("ProductSuite", m.suites));
  for (const auto& name : m.services) system.key("ControlSet001\\Services\\" + name);
  for (const auto& [key, v] : m.system_values) system.value("ControlSet001\\" + key, v);
  s.files.push_back({"WINNT/system32/config/SOFTWARE", software.build(), sp_time});
  s.files.push_back({"WINNT/system32/config/SYSTEM", system.build(), sp_time});
  testdata::write_scenario(s, dir.str());
  return dir.str();
}

analyzer::Finding scan_for(const Machine& m, const kbdb::Database& db, const std::string& kb) {
  test::TempDir dir;
  const auto targets = scan::scan_root(write(m, dir), db);
  EXPECT_EQ(targets.size(), 1u);
  for (const auto& f : targets.at(0).findings)
    if (f.kb == kb) return f;
  throw std::runtime_error("no finding " + kb + (targets.at(0).error.empty() ? "" : ": " + targets.at(0).error));
}

kbdb::Database database(const std::string& xml) {
  auto r = kbdb::load_xml(xml, "test database");
  EXPECT_TRUE(r.ok());
  return r.db;
}

const kbdb::Database& nt4_all() {
  static const auto db = [] {
    auto r = kbdb::load_file(std::string(HFA_SOURCE_DIR) + "/kbdb/nt4-all.xml");
    if (!r.ok()) throw std::runtime_error("kbdb/nt4-all.xml does not load");
    return r.db;
  }();
  return db;
}

bool has(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& l : lines)
    if (l.find(text) != std::string::npos) return true;
  return false;
}

// Point 2: Q196270 names no fixing service pack of its own for TSE; TSE SP5's
// fix list Q240331 does. SNMP is installed, so the article concerns the machine.
TEST(CatalogueScan, TseFixListResolvesAnArticle) {
  Machine m;
  m.csd = "Service Pack 5";
  m.suites = {"Terminal Server"};
  m.services.push_back("SNMP");
  m.files.push_back({"system32/snmp.exe", {4, 0, 1381, 5}, 0, at({1999, 4, 1})});
  const auto f = scan_for(m, kbdb::builtin(), "Q196270");
  EXPECT_EQ(f.status, analyzer::Status::fixed) << f.reason;
  EXPECT_EQ(f.reason,
            "SP5 is at or past SP5 of Terminal Server Edition (by the fix list Q240331, Q240331 line 70), which first "
            "corrected it");
  EXPECT_FALSE(f.remediation);

  // TSE SP4 is before it: missing, and the remediation names TSE SP5.
  m.csd = "Service Pack 4";
  const auto g = scan_for(m, kbdb::builtin(), "Q196270");
  EXPECT_EQ(g.status, analyzer::Status::missing) << g.reason;
  EXPECT_NE(g.remediation->text.find("Service Pack 5"), std::string::npos) << g.remediation->text;
}

// Point 4: winlogon.exe exactly as Q312576 ships it (a later article listing
// the file) fixes Q259042, and the finding says whose build it is.
TEST(CatalogueScan, LaterArticlesBuildIsNamed) {
  Machine m;
  m.csd = "Service Pack 6";
  m.hotfixes = {"Q246009"};
  m.files.push_back({"system32/winlogon.exe", {4, 0, 1381, 7103}, 192784, at({2001, 11, 14}, {13, 27})});
  m.files.push_back({"system32/services.exe", {4, 0, 1381, 7103}, 135440, at({2001, 11, 14}, {13, 27})});
  const auto f = scan_for(m, nt4_all(), "Q259042");
  EXPECT_EQ(f.status, analyzer::Status::fixed) << f.reason;
  EXPECT_TRUE(has(f.notes, "winlogon.exe: fixed by the later hotfix Q312576's build"))
      << testing::PrintToString(f.notes);

  // An older winlogon.exe: the remediation is the newest package, not Q259042.
  m.files[0] = {"system32/winlogon.exe", {4, 0, 1381, 90}, 190000, at({1999, 1, 5})};
  const auto g = scan_for(m, nt4_all(), "Q259042");
  EXPECT_EQ(g.status, analyzer::Status::missing) << g.reason;
  ASSERT_TRUE(g.remediation);
  EXPECT_EQ(g.remediation->text.find("install Q259042"), std::string::npos) << g.remediation->text;
}

// Point 5: Q268835 (a Cluster Server leak) on a server without Cluster Server.
TEST(CatalogueScan, AbsentOptionalComponentFromTheServiceKeys) {
  Machine m;
  m.hotfixes = {"Q246009"};
  const auto f = scan_for(m, kbdb::builtin(), "Q268835");
  EXPECT_EQ(f.status, analyzer::Status::not_applicable);
  EXPECT_EQ(f.reason,
            "the optional component Cluster Server is not installed (no ClusSvc key under "
            "WINNT/system32/config/SYSTEM: ControlSet001\\Services; cluster/clussvc.exe absent); the article concerns "
            "it (Q268835 line 7)");
  // With its service key, the article concerns the machine again.
  m.services.push_back("ClusSvc");
  EXPECT_NE(scan_for(m, kbdb::builtin(), "Q268835").status, analyzer::Status::not_applicable);
}

// Point 7: the row's revision number on another build (another size, date and
// link time) is not an exact match.
TEST(CatalogueScan, ReusedRevisionNumberIsNotExact) {
  const auto db = database(R"(<?xml version="1.0"?>
<kbdb xmlns="urn:hotfix-audit:kbdb:1" format="1">
  <article id="Q305399" modified="2001-09-01">
    <title>RPC fix</title>
    <applies-to edition="server" os="4.0" />
    <file name="Rpcrt4.dll" platform="x86" date="2001-08-01" time="12:00" size="343312" version="4.0.1381.7097" />
  </article>
</kbdb>)");
  Machine m;
  m.hotfixes = {"Q246009"};
  m.files.push_back({"system32/rpcrt4.dll", {4, 0, 1381, 7097}, 343824, at({2001, 10, 16}, {22, 14})});
  const auto f = scan_for(m, db, "Q305399");
  ASSERT_EQ(f.evidence.size(), 1u);
  EXPECT_EQ(f.evidence[0].status, analyzer::RowStatus::newer);
  EXPECT_EQ(f.evidence[0].note,
            "version 4.0.1381.7097 is the row's, but size, date and link time all differ (343824 bytes against 343312, "
            "modified 2001-10-16T22:14:00Z and linked 2001-10-15T22:14:00Z against 2001-08-01): another build with the "
            "same number, not an exact match");
}

// Point 8: Q258837 takes effect only with KeepConn = 0, read from the current
// control set through hivex.
TEST(CatalogueScan, RequiredRegistryValueIsReadAndNoted) {
  Machine m;
  m.hotfixes = {"Q246009", "Q258837"};
  m.files.push_back({"system32/drivers/rdr.sys", {4, 0, 1381, 7052}, 265264, at({2000, 5, 12}, {17, 29})});
  m.files.push_back({"system32/wkssvc.dll", {4, 0, 1381, 7052}, 58640, at({2000, 5, 16}, {16, 55})});
  const std::string params = "Services\\LanmanWorkstation\\Parameters";
  const std::string name = "SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters\\KeepConn = 0";
  auto f = scan_for(m, kbdb::builtin(), "Q258837");
  EXPECT_EQ(f.status, analyzer::Status::fixed) << f.reason;
  ASSERT_EQ(f.notes.size(), 1u) << testing::PrintToString(f.notes);
  EXPECT_EQ(f.notes[0], "the fix takes effect only with " + name +
                            " (Q258837 line 104); the value is absent (WINNT/system32/config/SYSTEM: "
                            "ControlSet001\\Services\\LanmanWorkstation\\Parameters\\KeepConn)");
  m.system_values.push_back({params, HiveValue::dword("KeepConn", 1)});
  f = scan_for(m, kbdb::builtin(), "Q258837");
  ASSERT_EQ(f.notes.size(), 1u);
  EXPECT_EQ(f.notes[0], "the fix takes effect only with " + name +
                            " (Q258837 line 104); it is 1 (WINNT/system32/config/SYSTEM: "
                            "ControlSet001\\Services\\LanmanWorkstation\\Parameters\\KeepConn)");
  m.system_values.back() = {params, HiveValue::dword("KeepConn", 0)};
  EXPECT_TRUE(scan_for(m, kbdb::builtin(), "Q258837").notes.empty());
}

// Point 9: Q257647 applies from SP6a; SP6a did not change rasapi32.dll
// (Q246009 and the fixes it contains), so on SP6 the old file is missing.
TEST(CatalogueScan, Sp6aArticleOnSp6WithTheOldFileIsMissing) {
  Machine m;  // SP6, Q246009 not registered
  m.files.push_back({"system32/rasapi32.dll", {4, 0, 1381, 100}, 127248, at({1999, 10, 1})});
  const auto f = scan_for(m, kbdb::builtin(), "Q257647");
  EXPECT_EQ(f.status, analyzer::Status::missing) << f.reason;
  EXPECT_EQ(f.reason, "older than the fix: Rasapi32.dll (older)");
  EXPECT_TRUE(has(f.trace, "Q246009 lists what SP6a changed")) << testing::PrintToString(f.trace);
}

}  // namespace
}  // namespace hfa
