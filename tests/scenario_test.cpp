// End to end: every scenario tree is written to disk, scanned by the built
// executable, and each finding's status compared with the hand-written
// expectation, for every installation of the tree.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "kbdb/kbdb.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace testdata {
// Names the scenario in test output instead of dumping its bytes.
void PrintTo(const Scenario& s, std::ostream* os) { *os << s.name; }
}  // namespace testdata
namespace {

using nlohmann::json;

std::vector<testdata::Scenario> scenarios_with_demo() {
  auto all = testdata::all_scenarios();
  all.push_back(testdata::demo_scenario());
  return all;
}

class ScenarioScan : public ::testing::TestWithParam<testdata::Scenario> {};

// The five seed articles, whose statuses each scenario states by hand; the
// other built-in articles (the NT 4.0 leak articles of the corpus) must each get
// a status with its reason.
const auto& kSeeds = test::kSeedArticles;
const std::set<std::string> kStatuses = {"fixed", "missing", "not-applicable", "inconsistent", "unknown"};

// --db FILE for a scenario with articles of its own ("" when none), written to `dir`.
std::string db_option(const testdata::Scenario& s, const test::TempDir& dir) {
  if (s.extra_db.empty()) return "";
  const auto path = dir.path() / (s.name + ".kbdb.xml");
  std::ofstream(path, std::ios::binary) << s.extra_db;
  return " --db " + test::shell_quote(path.string());
}

// The database a scenario is scanned with: the built-in one and its own articles.
kbdb::Database database_of(const testdata::Scenario& s) {
  auto db = kbdb::builtin();
  if (!s.extra_db.empty()) kbdb::merge(db, kbdb::load_xml(s.extra_db, s.name).db);
  return db;
}

TEST_P(ScenarioScan, EveryFindingHasTheExpectedStatus) {
  const auto& s = GetParam();
  test::TempDir dir, db_dir;
  testdata::write_scenario(s, dir.str());
  const auto r = test::run_tool("scan --format json" + db_option(s, db_dir) + " " + test::shell_quote(dir.str()));
  ASSERT_TRUE(r.exit_code >= 0 && r.exit_code <= 3) << r.err;
  const auto doc = json::parse(r.out);
  const auto& targets = doc.at("targets");

  if (!s.expected_error.empty()) {
    ASSERT_EQ(r.exit_code, s.expected_exit) << r.err << r.out.substr(0, 4000);
    ASSERT_EQ(targets.size(), 1u);
    EXPECT_NE(targets[0].at("error").get<std::string>().find(s.expected_error), std::string::npos)
        << targets[0].dump(2);
    EXPECT_TRUE(targets[0].at("findings").empty());
    return;
  }
  ASSERT_EQ(targets.size(), s.expected.size()) << doc.dump(2);
  bool any_not_ok = false;
  for (const auto& t : targets) {
    ASSERT_TRUE(t.at("error").is_null()) << t.dump(2);
    const auto root = t.at("system_root").get<std::string>();
    ASSERT_EQ(s.expected.count(root), 1u) << "unexpected installation " << root;
    const auto& want = s.expected.at(root);
    if (t.at("out_of_scope").is_string()) {  // not judged: expected so, with no finding
      EXPECT_TRUE(want.empty()) << t.dump(2);
      EXPECT_TRUE(t.at("findings").empty());
      EXPECT_EQ(s.expected_exit, 3);
      continue;
    }
    std::map<std::string, std::string> got;
    for (const auto& f : t.at("findings")) {
      const auto kb = f.at("kb").get<std::string>();
      const auto status = f.at("status").get<std::string>();
      // The seeds, and the articles a scenario brings, have their statuses stated.
      const bool stated = kSeeds.count(kb) || want.count(kb);
      if (stated) got[kb] = status;
      EXPECT_EQ(kStatuses.count(status), 1u) << f.dump(2);
      any_not_ok = any_not_ok || (status != "fixed" && status != "not-applicable");
      // A verdict says why, and shows what it looked at.
      EXPECT_FALSE(f.at("reason").get<std::string>().empty()) << f.dump(2);
      if (stated && status != "not-applicable") {
        EXPECT_FALSE(f.at("evidence").empty()) << f.dump(2);
      }
    }
    EXPECT_EQ(t.at("findings").size(), database_of(s).articles.size()) << "one finding per article";
    EXPECT_EQ(got, want) << s.name << " " << root << "\n" << t.at("findings").dump(2);
  }
  // The seeds' statuses alone decide a 1; the other articles may add one.
  if (s.expected_exit == 1) {
    EXPECT_EQ(r.exit_code, 1) << r.err;
  }
  if (s.expected_exit == 2) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
  }
  if (s.expected_exit == 3) {
    EXPECT_EQ(r.exit_code, 3) << r.err;
  } else if (s.expected_exit != 2) {
    EXPECT_EQ(r.exit_code, any_not_ok ? 1 : 0) << r.err;
  }
}

INSTANTIATE_TEST_SUITE_P(AllScenarios, ScenarioScan, ::testing::ValuesIn(scenarios_with_demo()), [](const auto& info) {
  std::string n = info.param.name;
  for (auto& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
});

// Runs one scenario and returns the JSON of its single target.
json scan_target(const testdata::Scenario& s, const test::TempDir& dir) {
  testdata::write_scenario(s, dir.str());
  test::TempDir db_dir;
  const auto r = test::run_tool("scan --format json" + db_option(s, db_dir) + " " + test::shell_quote(dir.str()));
  return json::parse(r.out).at("targets").at(0);
}

const testdata::Scenario& scenario(const std::string& name) {
  static const auto all = scenarios_with_demo();
  for (const auto& s : all)
    if (s.name == name) return s;
  throw std::runtime_error("no scenario " + name);
}

json finding(const json& target, const std::string& kb) {
  for (const auto& f : target.at("findings"))
    if (f.at("kb") == kb) return f;
  throw std::runtime_error("no finding " + kb);
}

TEST(ScenarioDetails, OsFactsComeFromTheCurrentControlSet) {
  test::TempDir dir;
  const auto t = scan_target(scenario("x86-sp6a-missing"), dir);
  const auto& os = t.at("os");
  EXPECT_EQ(os.at("version"), "4.0");
  EXPECT_EQ(os.at("build"), "1381");
  EXPECT_EQ(os.at("service_pack"), "6a");
  // ControlSet001 says WinNT and ALPHA; Select\Current names ControlSet002.
  EXPECT_EQ(os.at("product"), "server");
  EXPECT_EQ(os.at("platform"), "x86");
  EXPECT_EQ(t.at("found_by"), "boot.ini line 5");
}

TEST(ScenarioDetails, EvidenceCarriesFoundAndRequiredAttributes) {
  test::TempDir dir;
  const auto t = scan_target(scenario("demo"), dir);
  const auto f = finding(t, "Q259042");
  ASSERT_EQ(f.at("evidence").size(), 2u);
  for (const auto& e : f.at("evidence")) {
    EXPECT_EQ(e.at("status"), "older");
    EXPECT_EQ(e.at("found").at("kind"), "PE32");
    EXPECT_EQ(e.at("found").at("machine"), "x86");
    EXPECT_EQ(e.at("required").at("date"), "2000-04-04");
    EXPECT_EQ(e.at("required").at("time"), "00:46");
    EXPECT_EQ(e.at("required").at("platform"), "x86");
  }
  const auto services = f.at("evidence").at(0);
  EXPECT_EQ(services.at("file"), "services.exe");
  EXPECT_EQ(services.at("path"), "WINNT/system32/services.exe");
  EXPECT_EQ(services.at("required").at("size"), 135440);
  EXPECT_EQ(services.at("found").at("size"), 135440 - 512);
  EXPECT_EQ(services.at("found").at("modified"), "2000-02-04T00:46:00Z");

  const auto spool = finding(t, "Q225095");
  for (const auto& e : spool.at("evidence")) EXPECT_EQ(e.at("status"), "exact") << e.dump(2);
  const auto ddeml = finding(t, "Q170626");
  EXPECT_EQ(ddeml.at("evidence").at(1).at("found").at("kind"), "NE");
  EXPECT_EQ(ddeml.at("evidence").at(1).at("required").at("service_pack"), "4");
}

TEST(ScenarioDetails, MixedCasePathsAreFoundAsStored) {
  test::TempDir dir;
  const auto t = scan_target(scenario("mixed-case"), dir);
  EXPECT_EQ(t.at("system_root"), "Nt40Srv");
  const auto f = finding(t, "Q259042");
  EXPECT_EQ(f.at("evidence").at(1).at("path"), "Nt40Srv/SYSTEM32/WinLogon.EXE");
}

TEST(ScenarioDetails, BadFilesAreNamedWithTheirReason) {
  test::TempDir dir;
  const auto t = scan_target(scenario("bad-files"), dir);
  const auto winlogon = finding(t, "Q259042");
  const auto reason = winlogon.at("reason").get<std::string>();
  EXPECT_NE(reason.find("winlogon.exe: not a PE image (truncated)"), std::string::npos) << reason;
  EXPECT_NE(reason.find("services.exe: not a PE image (NE)"), std::string::npos) << reason;
  const auto ras = finding(t, "Q257647").at("reason").get<std::string>();
  EXPECT_NE(ras.find("Rasapi32.dll: not a PE image (not-executable)"), std::string::npos) << ras;
  // The other findings of the same target are still judged.
  EXPECT_EQ(finding(t, "Q225095").at("status"), "fixed");
}

TEST(ScenarioDetails, NoHivesSaysWhatIsUnknown) {
  test::TempDir dir;
  const auto t = scan_target(scenario("no-hives"), dir);
  EXPECT_TRUE(t.at("os").at("service_pack").is_null());
  EXPECT_TRUE(t.at("os").at("product").is_null());
  EXPECT_EQ(t.at("os").at("platform"), "x86");  // from ntoskrnl.exe
  const auto notes = t.at("notes").dump();
  EXPECT_NE(notes.find("service pack unknown"), std::string::npos) << notes;
  EXPECT_NE(notes.find("platform x86 from ntoskrnl.exe"), std::string::npos) << notes;
  EXPECT_NE(finding(t, "Q223770").at("reason").get<std::string>().find("product is unknown"), std::string::npos);
}

TEST(ScenarioDetails, DamagedHivesAreNamedInTheNotes) {
  test::TempDir dir;
  const auto t = scan_target(scenario("damaged-hives"), dir);
  const auto notes = t.at("notes").dump();
  EXPECT_NE(notes.find("WINNT/system32/config/SOFTWARE"), std::string::npos) << notes;
  EXPECT_NE(notes.find("WINNT/system32/config/SYSTEM"), std::string::npos) << notes;
  EXPECT_TRUE(t.at("os").at("service_pack").is_null());
}

TEST(ScenarioDetails, SymbolicLinkOutOfTheRootIsRefused) {
  test::TempDir dir;
  const auto t = scan_target(scenario("symlink-escape"), dir);
  const auto f = finding(t, "Q259042");
  EXPECT_EQ(f.at("status"), "unknown");
  EXPECT_NE(f.at("reason").get<std::string>().find("symbolic link leading outside the image root"), std::string::npos)
      << f.dump(2);
  const auto winlogon = f.at("evidence").at(1);
  EXPECT_EQ(winlogon.at("status"), "unreadable");
  EXPECT_TRUE(winlogon.at("found").at("kind").is_null());  // never read
}

// The default text names only what needs action, with its evidence, what to
// install and the plan; one line says what else there is. --all lists every finding.
TEST(ScenarioDetails, TextOutputShowsProblemsFirstAndAllOnRequest) {
  test::TempDir dir;
  testdata::write_scenario(scenario("demo"), dir.str());
  const auto r = test::run_tool("scan " + test::shell_quote(dir.str()));
  EXPECT_EQ(r.exit_code, 1);
  const auto text = test::unwrapped(r.out);
  for (const char* kb : {"Q230558", "Q244509", "Q257647", "Q259042", "Q299444"})
    EXPECT_NE(text.find(kb), std::string::npos) << kb;
  // Fixed and not-applicable findings are counted, not listed.
  for (const char* kb : {"Q170626", "Q223770", "Q225095"}) EXPECT_EQ(text.find(kb), std::string::npos) << kb;
  EXPECT_NE(text.find("SP6a, server, x86; 4 missing, 1 unknown"), std::string::npos) << text;
  EXPECT_NE(text.find("also: 47 fixed, 45 not-applicable (--all lists them)"), std::string::npos) << text;
  EXPECT_NE(text.find("file winlogon.exe older: WINNT/system32/winlogon.exe, PE32, version 4.0.1381.100"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("required 2000-04-04 00:46, 192272 bytes, x86"), std::string::npos) << text;
  EXPECT_NE(text.find("to fix install the package Q299444 (Post-Windows NT 4.0 SP6a Security Rollup Package (SRP)), "
                      "which contains Q259042 (Q299444 line 184)"),
            std::string::npos)
      << text;
  // The plan: the roll-up first (it fixes two findings), then the hotfixes in KB order.
  const auto plan = text.find("plan: 1. package Q299444");
  ASSERT_NE(plan, std::string::npos) << text;
  EXPECT_NE(text.find("fixes Q259042, Q299444 2. hotfix Q230558", plan), std::string::npos) << text;
  EXPECT_NE(text.find("3. hotfix Q244509", plan), std::string::npos) << text;
  EXPECT_NE(text.find("4. hotfix Q257647", plan), std::string::npos) << text;
  for (size_t start = 0, end; start < r.out.size(); start = end + 1) {
    end = r.out.find('\n', start);
    if (end == std::string::npos) end = r.out.size();
    EXPECT_LE(end - start, 100u) << r.out.substr(start, end - start);
  }
  EXPECT_EQ(r.out.find("\x1b["), std::string::npos) << "no colour when stdout is not a terminal";

  const auto all = test::unwrapped(test::run_tool("scan --all " + test::shell_quote(dir.str())).out);
  for (const char* kb : {"Q170626", "Q223770", "Q225095", "Q230558", "Q257647", "Q259042"})
    EXPECT_NE(all.find(kb), std::string::npos) << kb;
  EXPECT_EQ(all.find("--all lists them"), std::string::npos);
}

TEST(ScenarioDetails, OutputFileAndSeveralRoots) {
  test::TempDir a, b, out;
  testdata::write_scenario(scenario("x86-later-files"), a.str());
  testdata::write_scenario(scenario("no-windows"), b.str());
  const auto report = out.path() / "report.json";
  const auto r = test::run_tool("scan --format json --output " + test::shell_quote(report.string()) + " " +
                                test::shell_quote(a.str()) + " " + test::shell_quote(b.str()) + " /nonexistent/root");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
  const auto doc = json::parse(test::read_text(report));
  ASSERT_EQ(doc.at("targets").size(), 3u);
  EXPECT_EQ(doc.at("targets")[0].at("findings").size(), kbdb::builtin().articles.size());
  int seeds_fixed = 0;
  for (const auto& f : doc.at("targets")[0].at("findings"))
    if (kSeeds.count(f.at("kb").get<std::string>()) && f.at("status") == "fixed") ++seeds_fixed;
  EXPECT_EQ(seeds_fixed, 5);
  EXPECT_FALSE(doc.at("targets")[1].at("error").is_null());
  EXPECT_NE(doc.at("targets")[2].at("error").get<std::string>().find("/nonexistent/root"), std::string::npos);
  EXPECT_EQ(doc.at("summary").at("failed_targets"), 2);
  EXPECT_GE(doc.at("summary").at("findings").at("fixed"), 5);
  EXPECT_EQ(doc.at("tool").at("name"), "hotfix-audit");
}

}  // namespace
}  // namespace hfa
