// What to install: the plan of one host (analyzer/remediation.h, values in
// memory) and the plans a scan writes for written installations.
#include "analyzer/remediation.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "report/model.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using analyzer::FindingRemedy;
using analyzer::Remedy;
using analyzer::RemedyKind;
using nlohmann::json;

Remedy remedy(RemedyKind kind, std::string id) { return Remedy{kind, std::move(id), "title", "", "text"}; }

TEST(RemediationPlan, OneServicePackStepThenPackagesByFindingsThenHotfixes) {
  const std::vector<FindingRemedy> findings = {
      {"Q257647", remedy(RemedyKind::hotfix, "Q257647")},   {"Q170626", remedy(RemedyKind::service_pack, "SP4")},
      {"Q223770", remedy(RemedyKind::service_pack, "SP5")}, {"Q259042", remedy(RemedyKind::package, "Q299444")},
      {"Q299444", remedy(RemedyKind::package, "Q299444")},  {"Q223791", remedy(RemedyKind::package, "Q225095")},
      {"Q244509", remedy(RemedyKind::hotfix, "Q244509")},
  };
  const auto plan = analyzer::remediation_plan(findings, false);
  ASSERT_EQ(plan.size(), 5u);
  // Service packs are cumulative: the line's last carries SP4's and SP5's fixes.
  EXPECT_EQ(plan[0].remedy.kind, RemedyKind::service_pack);
  EXPECT_EQ(plan[0].remedy.id, "SP6a");
  EXPECT_EQ(plan[0].fixes, (std::vector<std::string>{"Q170626", "Q223770"}));
  EXPECT_EQ(plan[1].remedy.id, "Q299444");  // two findings before one
  EXPECT_EQ(plan[1].fixes, (std::vector<std::string>{"Q259042", "Q299444"}));
  EXPECT_EQ(plan[2].remedy.id, "Q225095");
  EXPECT_EQ(plan[3].remedy.id, "Q244509");  // hotfixes in KB order
  EXPECT_EQ(plan[4].remedy.id, "Q257647");
}

TEST(RemediationPlan, TerminalServerEndsAtItsOwnLastServicePack) {
  const auto plan = analyzer::remediation_plan({{"Q196270", remedy(RemedyKind::service_pack, "SP5")}}, true);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].remedy.id, "SP6");
  EXPECT_NE(plan[0].remedy.title.find("Terminal Server Edition"), std::string::npos);
}

TEST(RemediationPlan, AnArticleNamedAsHotfixAndPackageIsOneStep) {
  const auto plan = analyzer::remediation_plan(
      {{"Q299444", remedy(RemedyKind::hotfix, "Q299444")}, {"Q259042", remedy(RemedyKind::package, "Q299444")}}, false);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].remedy.kind, RemedyKind::package);
  EXPECT_EQ(plan[0].fixes, (std::vector<std::string>{"Q259042", "Q299444"}));
}

// A roll-up whose fixes the line's service packs carry is folded into the
// service-pack step once the plan has one; with no such step it stays the
// smaller thing to install.
TEST(RemediationPlan, ARollUpTheServicePackCarriesFoldsIntoItsStep) {
  auto carried = remedy(RemedyKind::package, "Q225095");
  carried.carried_by_service_pack = true;
  const auto with_sp = analyzer::remediation_plan({{"Q223791", carried},
                                                   {"Q170626", remedy(RemedyKind::service_pack, "SP4")},
                                                   {"Q244509", remedy(RemedyKind::hotfix, "Q244509")}},
                                                  false);
  ASSERT_EQ(with_sp.size(), 2u);
  EXPECT_EQ(with_sp[0].remedy.id, "SP6a");
  EXPECT_EQ(with_sp[0].fixes, (std::vector<std::string>{"Q170626", "Q223791"}));
  EXPECT_EQ(with_sp[1].remedy.id, "Q244509");
  const auto alone = analyzer::remediation_plan({{"Q223791", carried}}, false);
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].remedy.kind, RemedyKind::package);
  EXPECT_EQ(alone[0].remedy.id, "Q225095");
}

TEST(RemediationPlan, NothingCountedNothingToInstall) { EXPECT_TRUE(analyzer::remediation_plan({}, false).empty()); }

json scan_json(const testdata::Scenario& s, const test::TempDir& dir) {
  testdata::write_scenario(s, dir.str());
  const auto r = test::run_tool("scan -o json " + test::shell_quote(dir.str()));
  return json::parse(r.out);
}

testdata::Scenario named(const std::string& name) {
  for (auto& s : testdata::all_scenarios())
    if (s.name == name) return s;
  throw std::runtime_error("no scenario " + name);
}

// Every counted finding carries its remedy, and the plan fixes exactly the
// counted findings, each once.
void expect_plan_covers_counted_findings(const json& target) {
  std::multiset<std::string> planned;
  for (const auto& step : target.at("plan"))
    for (const auto& kb : step.at("fixes")) planned.insert(kb.get<std::string>());
  std::multiset<std::string> counted;
  for (const auto& f : target.at("findings")) {
    const auto st = f.at("status").get<std::string>();
    if (st == "missing" || st == "inconsistent" || st == "unknown") {
      counted.insert(f.at("kb").get<std::string>());
      EXPECT_TRUE(f.at("remediation").is_object()) << f.dump(2);
    } else {
      EXPECT_TRUE(f.at("remediation").is_null()) << f.dump(2);
    }
  }
  EXPECT_EQ(planned, counted);
}

TEST(RemediationScan, DemoPlanNamesTheRollUpThenTheHotfixes) {
  test::TempDir dir;
  const auto doc = scan_json(testdata::demo_scenario(), dir);
  const auto& t = doc.at("targets").at(0);
  const auto& plan = t.at("plan");
  ASSERT_EQ(plan.size(), 4u) << plan.dump(2);
  const std::vector<std::pair<std::string, std::string>> steps = {
      {"package", "Q299444"}, {"hotfix", "Q230558"}, {"hotfix", "Q244509"}, {"hotfix", "Q257647"}};
  for (size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(plan[i].at("step"), int(i + 1));
    EXPECT_EQ(plan[i].at("kind"), steps[i].first);
    EXPECT_EQ(plan[i].at("id"), steps[i].second);
  }
  EXPECT_EQ(plan[0].at("fixes"), json({"Q259042", "Q299444"}));
  EXPECT_EQ(plan[0].at("source"), "Q299444 line 184");
  expect_plan_covers_counted_findings(t);
  // The fleet's plan, from the same steps.
  const auto& fleet = doc.at("summary").at("plan");
  ASSERT_EQ(fleet.size(), 4u);
  EXPECT_EQ(fleet[0].at("id"), "Q299444");
  EXPECT_EQ(fleet[0].at("hosts"), 1);
  EXPECT_EQ(fleet[0].at("findings"), 2);
}

// An SP3 host: its many service-pack findings are one step, SP6a.
TEST(RemediationScan, Sp3HostInstallsSp6aFirst) {
  test::TempDir dir;
  const auto doc = scan_json(named("x86-sp3-no-mciavi"), dir);
  const auto& t = doc.at("targets").at(0);
  const auto& plan = t.at("plan");
  ASSERT_FALSE(plan.empty());
  EXPECT_EQ(plan[0].at("kind"), "service-pack");
  EXPECT_EQ(plan[0].at("id"), "SP6a");
  int by_service_pack = 0;
  for (const auto& f : t.at("findings"))
    if (f.at("remediation").is_object() && f.at("remediation").at("kind") == "service-pack") ++by_service_pack;
  EXPECT_GT(by_service_pack, 10);
  EXPECT_EQ(int(plan[0].at("fixes").size()), by_service_pack);
  expect_plan_covers_counted_findings(t);
}

// Q225095 is a Server SP4 roll-up: an SP3 host cannot install it, so its
// spooler fixes are remedied by the service pack that carries them; on an SP4
// host it is the smallest remedy, but the plan installs SP6a anyway, which
// carries them too, so no step puts SP4-era files back after it.
TEST(RemediationScan, AnSp4RollUpIsNeverPlannedBesideSp6a) {
  for (const std::string name : {"x86-sp3-no-mciavi", "x86-sp4-missing"}) {
    test::TempDir dir;
    const auto doc = scan_json(named(name), dir);
    const auto& t = doc.at("targets").at(0);
    const auto& plan = t.at("plan");
    ASSERT_FALSE(plan.empty()) << name;
    EXPECT_EQ(plan[0].at("id"), "SP6a") << name;
    for (const auto& step : plan) EXPECT_NE(step.at("id"), "Q225095") << name << ": " << plan.dump(2);
    std::set<std::string> sp_fixes;
    for (const auto& kb : plan[0].at("fixes")) sp_fixes.insert(kb.get<std::string>());
    for (const std::string kb : {"Q223791", "Q223863", "Q224345"})
      EXPECT_EQ(sp_fixes.count(kb), 1u) << name << " " << kb;
    for (const auto& f : t.at("findings")) {
      if (f.at("kb") != "Q223863") continue;
      ASSERT_EQ(f.at("status"), "missing") << name;
      // The finding's own remedy: the smallest thing that installs on this host.
      if (name == "x86-sp3-no-mciavi") {
        EXPECT_EQ(f.at("remediation").at("kind"), "service-pack") << f.dump(2);
      } else {
        EXPECT_EQ(f.at("remediation").at("id"), "Q225095") << f.dump(2);
      }
    }
    expect_plan_covers_counted_findings(t);
  }
}

// The model reads back what the writer wrote.
TEST(ReportModel, ReadsTheTargetObjectsOfAScan) {
  test::TempDir dir;
  const auto doc = scan_json(testdata::demo_scenario(), dir);
  const auto t = report::target_from_json(doc.at("targets").at(0));
  EXPECT_EQ(t.findings.size(), doc.at("targets").at(0).at("findings").size());
  EXPECT_EQ(t.counted(), 5);
  ASSERT_EQ(t.plan.size(), 4u);
  EXPECT_EQ(t.plan[0].remedy.kind, RemedyKind::package);
  ASSERT_TRUE(t.os);
  EXPECT_EQ(t.os->service_pack, "6a");
}

TEST(ReportModel, AWrongShapeNamesTheKey) {
  json target = {{"host", "h"}, {"root", "/r"}, {"findings", {{{"kb", "Q1"}, {"status", "maybe"}}}}};
  try {
    report::target_from_json(target);
    FAIL() << "accepted status 'maybe'";
  } catch (const report::ModelError& e) {
    EXPECT_EQ(e.where, "/findings/0/status");
  }
}

}  // namespace
}  // namespace hfa
