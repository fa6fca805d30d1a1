// Issue 11, points 2 and 3: each OS fact known from evidence or unknown with
// the reason, never a default; Terminal Server Edition only as NT 4.0 knows
// it; an installation of another Windows version is out of scope, never
// compliant. The pure unit on values, then the scan on hives and PE files the
// project's writers make.
#include "analyzer/os_facts.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/diagnostic.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using analyzer::decide_os_facts;
using analyzer::OsEvidence;
using nlohmann::json;

registry::SoftwareFacts nt4_software(std::optional<std::string> csd = "Service Pack 6") {
  registry::SoftwareFacts f;
  f.current_version_key = true;
  f.current_version = "4.0";
  f.current_build_number = "1381";
  f.csd_version = std::move(csd);
  return f;
}

registry::SystemFacts nt4_system(std::optional<std::string> type = "ServerNT") {
  registry::SystemFacts f;
  f.current_control_set = "ControlSet001";
  f.product_options_key = true;
  f.product_type = std::move(type);
  f.processor_architecture = "x86";
  return f;
}

OsEvidence evidence(std::optional<registry::SoftwareFacts> sw, std::optional<registry::SystemFacts> sys) {
  OsEvidence e;
  e.software = std::move(sw);
  e.software_read = "WINNT/system32/config/SOFTWARE";
  if (!e.software) e.software_failure = "SOFTWARE hive: WINNT/system32/config/SOFTWARE: not found";
  e.system = std::move(sys);
  e.system_read = "WINNT/system32/config/SYSTEM";
  if (!e.system) e.system_failure = "SYSTEM hive: WINNT/system32/config/SYSTEM: not found";
  return e;
}

TEST(OsFacts, EveryFactFromTheHivesWithItsSource) {
  auto sw = nt4_software();
  sw.installed_hotfixes = {"Q246009"};
  const auto d = decide_os_facts(evidence(sw, nt4_system()));
  EXPECT_EQ(d.os.version, "4.0");
  EXPECT_EQ(d.os.build, "1381");
  EXPECT_EQ(d.os.service_pack, "6a");  // SP6 with Q246009
  EXPECT_EQ(d.os.product, analyzer::Product::server);
  EXPECT_EQ(d.os.platform, Platform::x86);
  EXPECT_FALSE(d.os.terminal_server());
  EXPECT_TRUE(d.os.unknown.empty());
  ASSERT_NE(d.sources.size(), 0u);
  bool csd = false;
  for (const auto& s : d.sources)
    csd = csd || (s.fact == "CSDVersion" && s.where ==
                                                "WINNT/system32/config/SOFTWARE: Microsoft\\Windows "
                                                "NT\\CurrentVersion\\CSDVersion");
  EXPECT_TRUE(csd);
}

TEST(OsFacts, NoCurrentVersionKeyIsAnUnknownServicePackNeverZero) {
  registry::SoftwareFacts sw;  // the hive opened, the key is not there
  const auto d = decide_os_facts(evidence(sw, nt4_system()));
  EXPECT_FALSE(d.os.service_pack.has_value());
  EXPECT_FALSE(d.os.version.has_value());
  EXPECT_EQ(d.os.unknown.at("service_pack"),
            "the SOFTWARE hive WINNT/system32/config/SOFTWARE has no key "
            "Microsoft\\Windows NT\\CurrentVersion "
            "(a damaged hive, or not this installation's SOFTWARE)");
  EXPECT_EQ(count_code(d.notes, analyzer::code::kFactUnknown), 3u) << testing::PrintToString(to_strings(d.notes));
}

TEST(OsFacts, AbsentCsdVersionIsNoServicePackOnlyBesideCurrentVersion) {
  EXPECT_EQ(decide_os_facts(evidence(nt4_software(std::nullopt), nt4_system())).os.service_pack, "0");
  auto empty_key = nt4_software(std::nullopt);
  empty_key.current_version = std::nullopt;
  empty_key.current_build_number = std::nullopt;
  const auto d = decide_os_facts(evidence(empty_key, nt4_system()));
  EXPECT_FALSE(d.os.service_pack.has_value());
  EXPECT_EQ(d.os.unknown.at("service_pack"),
            "the key WINNT/system32/config/SOFTWARE: Microsoft\\Windows "
            "NT\\CurrentVersion holds neither CSDVersion "
            "nor CurrentVersion");
}

TEST(OsFacts, SystemHiveWithoutProductOptionsIsReadNotMissing) {
  auto sys = nt4_system(std::nullopt);
  sys.product_options_key = false;
  const auto d = decide_os_facts(evidence(nt4_software(), sys));
  EXPECT_FALSE(d.os.product.has_value());
  EXPECT_EQ(d.os.unknown.at("product"),
            "the SYSTEM hive WINNT/system32/config/SYSTEM was read but has no key "
            "ControlSet001\\Control\\ProductOptions");
  EXPECT_EQ(d.os.platform, Platform::x86);  // the rest of the hive still counts
  auto no_set = nt4_system();
  no_set.current_control_set.clear();
  no_set.product_type = std::nullopt;
  no_set.processor_architecture = std::nullopt;
  EXPECT_EQ(decide_os_facts(evidence(nt4_software(), no_set)).os.unknown.at("product"),
            "the SYSTEM hive WINNT/system32/config/SYSTEM tells no current control set (no Select\\Current, and "
            "more than one set)");
  const auto no_hive = decide_os_facts(evidence(nt4_software(), std::nullopt));
  EXPECT_EQ(no_hive.os.unknown.at("product").rfind("no readable SYSTEM hive (", 0), 0u);
  const auto odd = decide_os_facts(evidence(nt4_software(), nt4_system("Workstation")));
  EXPECT_FALSE(odd.os.product.has_value());
  EXPECT_NE(odd.os.unknown.at("product").find("ProductType 'Workstation'"), std::string::npos);
}

TEST(OsFacts, VersionAndPlatformFromTheKernelWhenTheHivesGiveNone) {
  auto e = evidence(std::nullopt, std::nullopt);
  e.kernel = analyzer::KernelFacts{"WINNT/system32/ntoskrnl.exe", Platform::alpha, Version{4, 0, 1381, 7}};
  const auto d = decide_os_facts(e);
  EXPECT_EQ(d.os.version, "4.0");
  EXPECT_EQ(d.os.build, "1381");
  EXPECT_EQ(d.os.platform, Platform::alpha);
  EXPECT_FALSE(d.os.service_pack.has_value());
  EXPECT_FALSE(d.os.product.has_value());
  EXPECT_EQ(count_code(d.notes, analyzer::code::kFromKernel), 2u);
  EXPECT_EQ(d.os.unknown.count("version"), 0u);
}

TEST(OsFacts, TerminalServerEditionOnlyAsNt4KnowsIt) {
  auto sys = nt4_system("WinNT");
  sys.product_suite = {"Terminal Server"};
  // NT 4.0 with the suite: TSE.
  EXPECT_TRUE(decide_os_facts(evidence(nt4_software(), sys)).os.terminal_server());
  // Windows XP names the suite too: not TSE.
  auto xp = nt4_software("Service Pack 3");
  xp.current_version = "5.1";
  xp.current_build_number = "2600";
  auto e = evidence(xp, sys);
  e.kernel = analyzer::KernelFacts{"WINDOWS/system32/ntoskrnl.exe", Platform::x86, Version{5, 1, 2600, 5512}};
  const auto d = decide_os_facts(e);
  EXPECT_FALSE(d.os.terminal_server());
  EXPECT_EQ(d.os.service_pack, "3");
  // A 4.0 TSE kernel (bit 0x8000) without the suite: TSE, with a note.
  auto tse = evidence(nt4_software(), nt4_system());
  tse.kernel = analyzer::KernelFacts{"WINNT/system32/ntoskrnl.exe", Platform::x86, Version{4, 0, 1381, 33478}};
  const auto t = decide_os_facts(tse);
  EXPECT_TRUE(t.os.terminal_server());
  EXPECT_EQ(count_code(t.notes, analyzer::code::kOddValue), 1u);
  // The suite with the version unknown: the edition is unknown, with the
  // reason.
  const auto unknown = decide_os_facts(evidence(std::nullopt, sys));
  EXPECT_FALSE(unknown.os.terminal_server());
  EXPECT_NE(unknown.os.unknown.at("edition").find("only NT 4.0 means as Terminal Server Edition"), std::string::npos);
}

TEST(OsFacts, Sp6aOnlyOnNt4) {
  auto sw = nt4_software("Service Pack 6");
  sw.current_version = "5.0";
  sw.installed_hotfixes = {"Q246009"};
  EXPECT_EQ(decide_os_facts(evidence(sw, nt4_system())).os.service_pack, "6");
}

TEST(OsFacts, CsdVersionReadings) {
  EXPECT_EQ(analyzer::read_csd_version("").service_pack, "0");
  EXPECT_EQ(analyzer::read_csd_version("Service Pack 6a").service_pack, "6a");
  const auto rc = analyzer::read_csd_version("Service Pack 3 RC 1.32");
  EXPECT_EQ(rc.service_pack, "3");
  EXPECT_EQ(rc.note, "CSDVersion 'Service Pack 3 RC 1.32' read as Service Pack 3");
  EXPECT_FALSE(analyzer::read_csd_version("Beta 2 Refresh").service_pack.has_value());
  EXPECT_FALSE(analyzer::read_csd_version("Service Pack 123").service_pack.has_value());
}

TEST(OsFacts, OutOfScopeNamesTheVersion) {
  analyzer::OsFacts os;
  os.version = "5.1";
  EXPECT_EQ(analyzer::out_of_scope(os, {"4.0"}),
            "Windows NT 5.1 (Windows XP) is outside the database, which covers "
            "Windows NT 4.0 only: not judged");
  os.version = "4.0";
  EXPECT_FALSE(analyzer::out_of_scope(os, {"4.0"}));
  os.version = std::nullopt;  // unknown: judged, every line kept
  EXPECT_FALSE(analyzer::out_of_scope(os, {"4.0"}));
}

// ------------------------------------------------------------ the whole scan

const testdata::Scenario& os_scenario(const std::string& name) {
  static const auto all = testdata::os_fact_scenarios();
  for (const auto& s : all)
    if (s.name == name) return s;
  throw std::runtime_error("no scenario " + name);
}

struct Scan {
  int exit_code;
  json doc;
  std::string text;
};

Scan scan(const std::string& name, const test::TempDir& dir) {
  testdata::write_scenario(os_scenario(name), dir.str());
  const auto j = test::run_tool("scan --format json " + test::shell_quote(dir.str()));
  const auto t = test::run_tool("scan " + test::shell_quote(dir.str()));
  return {j.exit_code, json::parse(j.out), t.out};
}

bool has(const json& notes, const std::string& text) {
  for (const auto& n : notes)
    if (n.get<std::string>() == text) return true;
  return false;
}

TEST(OsFactsScan, SoftwareWithoutCurrentVersionGivesNoServicePack) {
  test::TempDir dir;
  const auto r = scan("software-without-currentversion", dir);
  const auto& t = r.doc.at("targets").at(0);
  EXPECT_TRUE(t.at("os").at("service_pack").is_null()) << t.at("os").dump();
  const std::string why =
      "the SOFTWARE hive WINNT/system32/config/SOFTWARE has no key "
      "Microsoft\\Windows NT\\CurrentVersion (a damaged hive, or not this "
      "installation's SOFTWARE)";
  EXPECT_EQ(t.at("os").at("unknown").at("service_pack"), why);
  EXPECT_TRUE(has(t.at("notes"), "service pack unknown: " + why)) << t.at("notes").dump(1);
  // The SP-fixed article is unknown, not "missing" from a made-up SP0.
  for (const auto& f : t.at("findings"))
    if (f.at("kb") == "Q170626") {
      EXPECT_EQ(f.at("status"), "unknown");
      EXPECT_EQ(f.at("reason"), "the service pack is unknown (" + why + "); fixed in SP4 (Q170626 line 51)");
    }
  EXPECT_EQ(r.exit_code, 1);
}

TEST(OsFactsScan, SystemWithoutProductOptionsIsNotAnUnreadableHive) {
  test::TempDir dir;
  const auto r = scan("system-without-productoptions", dir);
  const auto& t = r.doc.at("targets").at(0);
  EXPECT_TRUE(t.at("os").at("product").is_null());
  EXPECT_EQ(t.at("os").at("platform"), "x86");
  EXPECT_TRUE(has(t.at("notes"),
                  "product unknown: the SYSTEM hive "
                  "WINNT/system32/config/SYSTEM was read but has no "
                  "key ControlSet002\\Control\\ProductOptions"))
      << t.at("notes").dump(1);
  EXPECT_EQ(t.at("notes").dump().find("no readable SYSTEM hive"), std::string::npos);
}

TEST(OsFactsScan, WindowsXpIsOutOfScopeAndNotCompliant) {
  test::TempDir dir;
  const auto r = scan("windows-xp", dir);
  const auto& t = r.doc.at("targets").at(0);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(t.at("out_of_scope"),
            "Windows NT 5.1 (Windows XP) is outside the database, which covers "
            "Windows NT 3.51, 4.0 only: not judged");
  EXPECT_TRUE(t.at("findings").empty());
  EXPECT_EQ(t.at("os").at("version"), "5.1");
  EXPECT_EQ(t.at("os").at("service_pack"), "3");
  EXPECT_EQ(r.doc.at("summary").at("out_of_scope_targets"), 1);
  EXPECT_EQ(r.doc.at("summary").at("exit_status"), 3);
  EXPECT_NE(r.text.find("out of scope: Windows NT 5.1 (Windows XP)"), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find("Terminal Server Edition"), std::string::npos) << r.text;
}

}  // namespace
}  // namespace hfa
