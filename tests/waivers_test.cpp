// Waivers: the file format with its diagnostics, the pure apply, and the
// scan command's text and JSON with a waivers file.
#include "waivers/waivers.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using analyzer::Status;
using nlohmann::json;

TEST(WaiversFormat, ParsesQuotedValuesCommentsAndDefaults) {
  const auto r = waivers::parse(
      "# approved exceptions\n"
      "\n"
      "Q259042 expires=2099-12-31 approver=\"Jane Roe\" reason=\"vendor winlogon, see \\\"CHG-1\\\"\" host=FIN-*\n"
      "  kb257647   reason=x approver=ops expires=2001-01-01   # trailing comment\r\n",
      "w.txt");
  ASSERT_TRUE(r.ok()) << testing::PrintToString(r.errors);
  ASSERT_EQ(r.waivers.size(), 2u);
  const auto& a = r.waivers[0];
  EXPECT_EQ(a.kb, "Q259042");
  EXPECT_EQ(a.approver, "Jane Roe");
  EXPECT_EQ(a.reason, "vendor winlogon, see \"CHG-1\"");
  EXPECT_EQ(a.host_pattern, "FIN-*");
  EXPECT_EQ(to_string(a.expires), "2099-12-31");
  EXPECT_EQ(a.source, "w.txt:3");
  EXPECT_EQ(r.waivers[1].kb, "Q257647");
  EXPECT_EQ(r.waivers[1].host_pattern, "*");
  EXPECT_EQ(r.waivers[1].source, "w.txt:4");
}

// A waiver names its KB as every other command reads one (kbdb::normalize_kb_id):
// a bare number was refused here before, though `db show 259042` took it.
TEST(WaiversFormat, KbIdsInEverySpelling) {
  for (const char* id : {"Q259042", "q259042", "KB259042", "kb259042", "259042"}) {
    const auto r = waivers::parse(std::string(id) + " expires=2099-12-31 approver=a reason=b\n", "w.txt");
    ASSERT_TRUE(r.ok()) << id << ": " << testing::PrintToString(r.errors);
    EXPECT_EQ(r.waivers.at(0).kb, "Q259042") << id;
  }
}

TEST(WaiversFormat, EveryProblemHasFileLineAndColumn) {
  const auto r = waivers::parse(
      "KB25904x expires=2099-12-31 approver=a reason=b\n"
      "Q1 expires=2099-02-30 approver=a reason=b\n"
      "Q2 approver=a\n"
      "Q3 expires=2099-01-01 approver=a reason=b colour=red\n"
      "Q4 expires=2099-01-01 approver=\"a reason=b\n"
      "Q5 expires=2099-01-01 approver=a approver=b reason=c\n"
      "Q6 expires=2099-01-01 approver= reason=c\n"
      "Q7 expires\n",
      "w.txt");
  EXPECT_TRUE(r.waivers.empty());
  EXPECT_EQ(r.errors,
            (std::vector<std::string>{
                "w.txt:1:1: expected a KB id (Q259042, KB259042 or 259042) at the start of the line, found 'KB25904x'",
                "w.txt:2:12: expires must be a date YYYY-MM-DD, found '2099-02-30'",
                "w.txt:3:14: waiver for Q2 lacks: expires reason",
                "w.txt:4:43: unknown key 'colour' (expected expires, approver, reason or host)",
                "w.txt:5:32: the quoted value of approver has no closing quote",
                "w.txt:6:34: approver given twice",
                "w.txt:7:32: approver is empty",
                "w.txt:8:4: expected key=value, found 'expires'",
            }));
}

TEST(WaiversFormat, HostPatternsAreCaseInsensitiveGlobs) {
  EXPECT_TRUE(waivers::host_matches("*", "anything"));
  EXPECT_TRUE(waivers::host_matches("fin-??", "FIN-01"));
  EXPECT_FALSE(waivers::host_matches("fin-??", "FIN-001"));
  EXPECT_TRUE(waivers::host_matches("*/hosts/web*", "/mnt/hosts/WEB3"));
}

analyzer::Finding finding(const std::string& kb, Status s) {
  analyzer::Finding f;
  f.kb = kb;
  f.status = s;
  f.reason = "older than the fix";
  return f;
}

analyzer::Waiver waiver(const std::string& kb, const std::string& host, Date expires) {
  analyzer::Waiver w;
  w.kb = kb;
  w.host_pattern = host;
  w.expires = expires;
  w.reason = "accepted risk";
  w.approver = "ops";
  w.source = "w.txt:1";
  return w;
}

TEST(WaiversApply, MatchHostMissExpiredUnusedAndNotNeeded) {
  std::vector<analyzer::Finding> findings = {finding("Q259042", Status::missing), finding("Q257647", Status::unknown),
                                             finding("Q225095", Status::inconsistent),
                                             finding("Q170626", Status::fixed)};
  const std::vector<analyzer::Waiver> ws = {
      waiver("Q259042", "host*", {2026, 11, 26}),  // valid through today
      waiver("Q257647", "other-*", {2099, 1, 1}),  // another host
      waiver("Q225095", "*", {2026, 11, 25}),      // expired yesterday
      waiver("Q999999", "*", {2099, 1, 1}),        // no such finding
      waiver("Q170626", "*", {2099, 1, 1}),        // the finding is fixed
  };
  const auto used = waivers::apply(ws, findings, "HOST1", {2026, 11, 26});
  EXPECT_EQ(used, (std::vector<bool>{true, false, true, false, true}));

  EXPECT_EQ(findings[0].status, Status::waived);
  ASSERT_TRUE(findings[0].waiver);
  EXPECT_EQ(findings[0].waiver->waived_status, Status::missing);
  EXPECT_EQ(findings[0].waiver->reason, "accepted risk");
  EXPECT_EQ(findings[0].reason, "older than the fix");  // the verdict's reason stays

  EXPECT_EQ(findings[1].status, Status::unknown);
  EXPECT_FALSE(findings[1].waiver);

  EXPECT_EQ(findings[2].status, Status::inconsistent);
  EXPECT_FALSE(findings[2].waiver);
  EXPECT_EQ(findings[2].notes, std::vector<std::string>{"waiver w.txt:1 (approved by ops, expires 2026-11-25) expired "
                                                        "on 2026-11-25: not applied"});
  EXPECT_EQ(findings[3].status, Status::fixed);
  EXPECT_EQ(findings[3].notes, std::vector<std::string>{"waiver w.txt:1 (approved by ops, expires 2099-01-01) not "
                                                        "needed: the finding is fixed"});
  EXPECT_EQ(waivers::describe_unused(ws[3]), "w.txt:1: waiver for Q999999 (host *) matched no finding");
}

// The demo image: Q257647 and Q259042 missing. Each waiver of the file does
// one thing: match, miss by host, expire, match nothing.
struct DemoRun {
  test::RunResult text, json;
};

DemoRun scan_demo_with(const std::string& waivers_text, test::TempDir& dir) {
  testdata::write_scenario(testdata::demo_scenario(), (dir.path() / "demo").string());
  const auto file = dir.path() / "waivers.txt";
  std::ofstream(file) << waivers_text;
  const std::string args =
      "--waivers " + test::shell_quote(file.string()) + " " + test::shell_quote((dir.path() / "demo").string());
  return {test::run_tool("scan --all " + args), test::run_tool("scan --format json " + args)};
}

json finding_of(const json& doc, const std::string& kb) {
  for (const auto& f : doc.at("targets").at(0).at("findings"))
    if (f.at("kb") == kb) return f;
  throw std::runtime_error("no finding " + kb);
}

TEST(WaiversScan, MatchHostMissExpiredAndUnusedInTextAndJson) {
  test::TempDir dir;
  const auto r = scan_demo_with(
      "Q259042 expires=2099-12-31 approver=\"Jane Roe\" reason=\"vendor winlogon build\"\n"
      "Q257647 host=*no-such-host* expires=2099-12-31 approver=ops reason=\"not this host\"\n"
      "Q257647 expires=2001-01-01 approver=ops reason=\"RAS retired\"\n"
      "Q123456 expires=2099-12-31 approver=ops reason=\"stale\"\n",
      dir);
  // Q257647 is still missing: the exit status stays 1.
  EXPECT_EQ(r.json.exit_code, 1) << r.json.err;
  const auto doc = json::parse(r.json.out);
  const auto winlogon = finding_of(doc, "Q259042");
  EXPECT_EQ(winlogon.at("status"), "waived");
  EXPECT_EQ(winlogon.at("reason"), "older than the fix: services.exe (older), winlogon.exe (older)");
  const auto w = winlogon.at("waiver");
  EXPECT_EQ(w.at("reason"), "vendor winlogon build");
  EXPECT_EQ(w.at("expires"), "2099-12-31");
  EXPECT_EQ(w.at("approver"), "Jane Roe");
  EXPECT_EQ(w.at("host"), "*");
  EXPECT_EQ(w.at("waived_status"), "missing");
  EXPECT_NE(w.at("source").get<std::string>().find("waivers.txt:1"), std::string::npos);
  EXPECT_EQ(winlogon.at("evidence").size(), 2u) << "the evidence stays visible";

  const auto ras = finding_of(doc, "Q257647");
  EXPECT_EQ(ras.at("status"), "missing");
  EXPECT_TRUE(ras.at("waiver").is_null());
  ASSERT_EQ(ras.at("notes").size(), 1u) << ras.dump(2);
  EXPECT_NE(ras.at("notes")[0].get<std::string>().find("waivers.txt:3 (approved by ops, expires 2001-01-01) expired "
                                                       "on 2001-01-01: not applied"),
            std::string::npos);

  const auto unused = doc.at("waivers").at("unused");
  ASSERT_EQ(unused.size(), 2u) << doc.at("waivers").dump(2);
  EXPECT_NE(unused[0].get<std::string>().find("waivers.txt:2: waiver for Q257647 (host *no-such-host*) matched no "
                                              "finding"),
            std::string::npos);
  EXPECT_NE(unused[1].get<std::string>().find("waivers.txt:4: waiver for Q123456 (host *) matched no finding"),
            std::string::npos);
  EXPECT_NE(r.json.err.find("waivers.txt:4: waiver for Q123456 (host *) matched no finding"), std::string::npos)
      << r.json.err;
  EXPECT_EQ(doc.at("summary").at("findings").at("waived"), 1);

  const auto text = test::unwrapped(r.text.out);
  EXPECT_NE(text.find("waived Q259042"), std::string::npos) << text;
  EXPECT_NE(text.find("waived missing until 2099-12-31: vendor winlogon build; approved by Jane Roe"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("note waiver "), std::string::npos);
  EXPECT_NE(text.find("expired on 2001-01-01: not applied"), std::string::npos);
  EXPECT_NE(text.find("1 waived"), std::string::npos);
  EXPECT_NE(r.text.err.find("waivers.txt:2: waiver for Q257647 (host *no-such-host*) matched no finding"),
            std::string::npos);
}

TEST(WaiversScan, TheHtmlReportShowsTheWaiverTheExpiredOneAndTheUnusedOne) {
  test::TempDir dir;
  testdata::write_scenario(testdata::demo_scenario(), (dir.path() / "demo").string());
  const auto file = dir.path() / "waivers.txt";
  std::ofstream(file) << "Q259042 expires=2099-12-31 approver=\"Jane Roe\" reason=\"vendor <winlogon> & build\"\n"
                         "Q257647 expires=2001-01-01 approver=ops reason=\"RAS retired\"\n"
                         "Q123456 expires=2099-12-31 approver=ops reason=\"stale\"\n";
  const auto html = (dir.path() / "report.html").string();
  const auto r = test::run_tool("scan --no-timestamps --waivers " + test::shell_quote(file.string()) + " -o html=" +
                                test::shell_quote(html) + " " + test::shell_quote((dir.path() / "demo").string()));
  EXPECT_EQ(r.exit_code, 1) << r.err;  // Q257647's waiver expired: still missing
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(test::read_text(html).c_str())) << "the report is not well-formed";
  const auto waived = doc.select_node("//div[@data-kb='Q259042']");
  ASSERT_TRUE(waived) << "no finding Q259042";
  EXPECT_STREQ(waived.node().select_node(".//span[contains(@class, 'st')]").node().text().get(), "waived");
  const std::string line = waived.node().select_node(".//p[@class='waiver']").node().child_value("strong") +
                           std::string(waived.node().select_node(".//p[@class='waiver']").node().last_child().value());
  EXPECT_NE(line.find("Waived (was missing) until 2099-12-31: vendor <winlogon> & build; approved by Jane Roe"),
            std::string::npos)
      << line;
  const auto expired = doc.select_node("//div[@data-kb='Q257647']");
  ASSERT_TRUE(expired);
  EXPECT_STREQ(expired.node().select_node(".//span[contains(@class, 'st')]").node().text().get(), "missing");
  EXPECT_NE(std::string(expired.node().select_node(".//ul[@class='notes']/li").node().text().get())
                .find("expired on 2001-01-01: not applied"),
            std::string::npos);
  const auto unused = doc.select_node("//ul[@class='unused-waivers']/li");
  ASSERT_TRUE(unused) << "the unused waiver is not listed";
  EXPECT_NE(std::string(unused.node().text().get()).find("waiver for Q123456 (host *) matched no finding"),
            std::string::npos);
}

TEST(WaiversScan, WaivedFindingsCountAsCompliant) {
  test::TempDir dir;
  // Every finding of the demo that counts against it, waived.
  const auto before = scan_demo_with("", dir);
  const auto against = test::findings_against(json::parse(before.json.out).at("targets").at(0));
  ASSERT_EQ(before.json.exit_code, 1);
  ASSERT_TRUE(against.count("Q259042") && against.count("Q257647"));
  std::string waivers;
  for (const auto& kb : against) waivers += kb + " expires=2099-12-31 approver=a reason=b\n";
  const auto r = scan_demo_with(waivers, dir);
  EXPECT_EQ(r.json.exit_code, 0) << r.json.out;
  EXPECT_EQ(r.text.exit_code, 0);
  EXPECT_EQ(json::parse(r.json.out).at("summary").at("exit_status"), 0);
  EXPECT_TRUE(json::parse(r.json.out).at("waivers").at("unused").empty());
}

TEST(WaiversScan, AFileWithErrorsStopsTheScan) {
  test::TempDir dir;
  const auto r = scan_demo_with("Q259042 expires=soon approver=a reason=b\n", dir);
  EXPECT_EQ(r.text.exit_code, 2);
  EXPECT_TRUE(r.text.out.empty());
  EXPECT_NE(r.text.err.find("waivers.txt:1:17: expires must be a date YYYY-MM-DD, found 'soon'"), std::string::npos)
      << r.text.err;
}

}  // namespace
}  // namespace hfa
