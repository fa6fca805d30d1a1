// Issue 13.3: `report diff OLD NEW` (the model, then the command on real
// scans of a fixture) and `report convert IN`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "report/diff.h"
#include "testdata/pe_writer.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ordered_json finding(const std::string& kb, const std::string& status, const std::string& version = "4.0.1381.150") {
  return {{"kb", kb},
          {"title", "title of " + kb},
          {"status", status},
          {"evidence",
           {{{"file", "localspl.dll"}, {"found", {{"present", true}, {"size", 1000}, {"file_version", version}}}}}}};
}

ordered_json target(const std::string& host, const std::string& system_root, ordered_json findings) {
  return {{"host", host}, {"root", "/img/" + host}, {"system_root", system_root}, {"findings", std::move(findings)}};
}

TEST(ReportDiff, SortsEachArticleByHowItsVerdictMoved) {
  const ordered_json before = {target("srv", "C:\\WINNT",
                                      {finding("Q1", "fixed"), finding("Q2", "missing"), finding("Q3", "missing"),
                                       finding("Q4", "fixed"), finding("Q5", "not-applicable")})};
  const ordered_json after = {target("srv", "C:\\WINNT",
                                     {finding("Q1", "inconsistent"), finding("Q2", "fixed"), finding("Q3", "missing"),
                                      finding("Q4", "fixed", "4.0.1381.100"), finding("Q5", "not-applicable")})};
  const auto d = report::diff_scans(before, after);
  ASSERT_EQ(d.hosts.size(), 1u);
  const auto& h = d.hosts[0];
  ASSERT_EQ(h.regressions.size(), 1u);
  EXPECT_EQ(h.regressions[0].kb, "Q1");
  EXPECT_EQ(h.regressions[0].old_status, "fixed");
  EXPECT_EQ(h.regressions[0].new_status, "inconsistent");
  ASSERT_EQ(h.fixed.size(), 1u);
  EXPECT_EQ(h.fixed[0].kb, "Q2");
  ASSERT_EQ(h.still_missing.size(), 1u);
  EXPECT_EQ(h.still_missing[0].kb, "Q3");
  ASSERT_EQ(h.evidence_changed.size(), 1u);
  EXPECT_EQ(h.evidence_changed[0].kb, "Q4");
  EXPECT_EQ(h.evidence_changed[0].evidence,
            std::vector<std::string>{"localspl.dll: file_version 4.0.1381.150 -> 4.0.1381.100"});
  EXPECT_EQ(report::diff_exit_status(d), 1);
  EXPECT_TRUE(d.any_change());
  // Text puts the regression first.
  const auto text = report::diff_text(d);
  EXPECT_LT(text.find("regressions  Q1  fixed -> inconsistent"), text.find("fixed  Q2")) << text;
}

TEST(ReportDiff, HostsAreMatchedByNameAndSystemRoot) {
  const ordered_json before = {target("a", "C:\\WINNT", {finding("Q1", "missing")}),
                               target("b", "C:\\WINNT", {finding("Q1", "missing")})};
  // b's second installation is another host: b\D:\WINNT added, and a gone.
  const ordered_json after = {target("b", "C:\\WINNT", {finding("Q1", "missing")}),
                              target("b", "D:\\WINNT", {finding("Q1", "missing")})};
  const auto d = report::diff_scans(before, after);
  ASSERT_EQ(d.hosts.size(), 1u);
  EXPECT_EQ(d.hosts[0].host, "b");
  ASSERT_EQ(d.hosts_added.size(), 1u);
  EXPECT_EQ(d.hosts_added[0].system_root, "D:\\WINNT");
  ASSERT_EQ(d.hosts_removed.size(), 1u);
  EXPECT_EQ(d.hosts_removed[0].host, "a");
  EXPECT_EQ(report::diff_exit_status(d), 0);  // a new host's gaps are not regressions
  const auto j = report::diff_json(d);
  EXPECT_EQ(j["hosts_added"][0]["host"], "b");
  EXPECT_EQ(j["database"], nullptr);  // no databases given (JSONL): not compared
}

// A host that could not be scanned the second time has no findings; its gaps
// must not read as fixed.
TEST(ReportDiff, AHostNotScannedIsSaidNotFixed) {
  const ordered_json before = {target("a", "C:\\WINNT", {finding("Q1", "missing")})};
  auto broken = target("a", "C:\\WINNT", ordered_json::array());
  broken["error"] = "cannot read SYSTEM";
  const auto d = report::diff_scans(before, ordered_json{broken});
  ASSERT_EQ(d.hosts.size(), 1u);
  EXPECT_TRUE(d.hosts[0].fixed.empty());
  EXPECT_EQ(d.hosts[0].new_error, "cannot read SYSTEM");
  EXPECT_TRUE(d.any_change());
  EXPECT_NE(report::diff_text(d).find("  not scanned: cannot read SYSTEM\n"), std::string::npos);
  EXPECT_EQ(report::diff_json(d)["hosts"][0]["new_error"], "cannot read SYSTEM");
}

TEST(ReportDiff, DatabaseArticlesAddedRemovedAndRetitled) {
  const ordered_json a = {{"articles", {{{"kb", "Q1"}, {"title", "one"}}, {{"kb", "Q2"}, {"title", "two"}}}}};
  const ordered_json b = {{"articles", {{{"kb", "Q1"}, {"title", "one, revised"}}, {{"kb", "Q3"}, {"title", "3"}}}}};
  const auto same = report::diff_scans(ordered_json::array(), ordered_json::array(), a, a);
  EXPECT_TRUE(same.database.compared);
  EXPECT_FALSE(same.database.changed());
  EXPECT_FALSE(same.any_change());
  const auto d = report::diff_scans(ordered_json::array(), ordered_json::array(), a, b);
  EXPECT_EQ(d.database.added, std::vector<std::string>{"Q3"});
  EXPECT_EQ(d.database.removed, std::vector<std::string>{"Q2"});
  EXPECT_EQ(d.database.retitled, std::vector<std::string>{"Q1"});
  EXPECT_NE(report::diff_text(d).find("database changed: added Q3; removed Q2; retitled Q1"), std::string::npos);
}

TEST(ReportDiff, HtmlEscapesWhatCameFromTheImage) {
  const ordered_json before = {target("<b>x</b>", "C:\\WINNT", {finding("Q1", "fixed")})};
  const ordered_json after = {target("<b>x</b>", "C:\\WINNT", {finding("Q1", "missing")})};
  const auto html = report::diff_html(report::diff_scans(before, after));
  EXPECT_EQ(html.find("<b>x"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;b&gt;x"), std::string::npos) << html;
}

// The demo scenario (Server SP6a, Q225095 installed and its files in place).
struct Fixture {
  test::TempDir dir;
  std::string root = (dir.path() / "demo").string();
  Fixture() { testdata::write_scenario(testdata::demo_scenario(), root); }
  std::string path(const std::string& name) const { return (dir.path() / name).string(); }
  std::string q(const std::string& name) const { return test::shell_quote(path(name)); }
  std::string quoted() const { return test::shell_quote(root); }
  std::filesystem::path find(const std::string& name) const {
    for (const auto& e : std::filesystem::recursive_directory_iterator(root))
      if (iequals(e.path().filename().string(), name)) return e.path();
    return {};
  }
};

// The acceptance test of issue 13.3: a spooler file put back from the CD
// (an older build) is the one regression.
TEST(ReportDiffCli, AnOlderFilePutBackIsExactlyThatRegression) {
  Fixture f;
  ASSERT_EQ(test::run_tool("scan -q -o json=" + f.q("before.json") + " " + f.quoted()).exit_code, 1);
  const auto before = json::parse(test::read_text(f.path("before.json")));
  const auto& findings = before.at("targets").at(0).at("findings");
  const auto q225095 =
      std::find_if(findings.begin(), findings.end(), [](const json& x) { return x.at("kb") == "Q225095"; });
  ASSERT_NE(q225095, findings.end());
  ASSERT_EQ(q225095->at("status"), "fixed") << "the demo no longer has Q225095 fixed";

  const auto spooler = f.find("localspl.dll");
  ASSERT_FALSE(spooler.empty());
  testdata::PeSpec old;
  old.link_time = 883612800;  // 1998-01-01, before Q225095's 1999-03-31
  old.file_version = Version{4, 0, 1381, 4};
  old.strings = {{"FileVersion", "4.00"}, {"OriginalFilename", "LOCALSPL.DLL"}};
  const auto bytes = testdata::write_pe(old);
  std::ofstream(spooler, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  ASSERT_EQ(
      test::run_tool("scan -q -o json=" + f.q("after.json") + " -o jsonl=" + f.q("after.jsonl") + " " + f.quoted())
          .exit_code,
      1);

  const auto r = test::run_tool("report diff -o json " + f.q("before.json") + " " + f.q("after.json"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto d = json::parse(r.out);
  EXPECT_EQ(d.at("regressions"), 1);
  ASSERT_EQ(d.at("hosts").size(), 1u);
  const auto& host = d.at("hosts").at(0);
  EXPECT_EQ(host.at("host"), before.at("targets").at(0).at("host"));
  ASSERT_EQ(host.at("regressions").size(), 1u);
  EXPECT_EQ(host.at("regressions").at(0).at("kb"), "Q225095");
  EXPECT_EQ(host.at("regressions").at(0).at("old_status"), "fixed");
  EXPECT_TRUE(host.at("fixed").empty());
  EXPECT_TRUE(host.at("evidence_changed").empty());
  EXPECT_TRUE(d.at("hosts_added").empty());
  EXPECT_TRUE(d.at("hosts_removed").empty());
  EXPECT_EQ(d.at("database").at("changed"), false);
  // The evidence says which bytes moved.
  EXPECT_NE(host.at("regressions").at(0).at("evidence").dump().find("file_version 4.0.1381.150 -> 4.0.1381.4"),
            std::string::npos)
      << host.dump();

  // The same from the JSONL of the later scan, and as text and HTML.
  const auto text = test::run_tool("report diff " + f.q("before.json") + " " + f.q("after.jsonl"));
  EXPECT_EQ(text.exit_code, 1) << text.err;
  EXPECT_NE(text.out.find("regressions  Q225095  fixed -> "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("database: not compared"), std::string::npos) << text.out;
  const auto html =
      test::run_tool("report diff -o html=" + f.q("d.html") + " " + f.q("before.json") + " " + f.q("after.json"));
  EXPECT_EQ(html.exit_code, 1);
  EXPECT_NE(test::read_text(f.path("d.html")).find("Q225095"), std::string::npos);

  // Against itself: nothing changed, status 0.
  const auto same = test::run_tool("report diff " + f.q("before.json") + " " + f.q("before.json"));
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.out.find("no change\n"), std::string::npos) << same.out;
  EXPECT_EQ(same.out.find("regressions  "), std::string::npos) << same.out;
  // Back the other way, the regression is a fix.
  const auto back =
      json::parse(test::run_tool("report diff -o json " + f.q("after.json") + " " + f.q("before.json")).out);
  EXPECT_EQ(back.at("regressions"), 0);
  EXPECT_EQ(back.at("hosts").at(0).at("fixed").at(0).at("kb"), "Q225095");
}

TEST(ReportDiffCli, UnusableInputExitsTwoNamingTheFile) {
  Fixture f;
  std::ofstream(f.path("notes.txt")) << "hello\n";
  std::ofstream(f.path("empty.json")) << "";
  std::ofstream(f.path("other.json")) << "{\n  \"a\": 1\n}\n";
  ASSERT_EQ(test::run_tool("scan -q -o json=" + f.q("ok.json") + " " + f.quoted()).exit_code, 1);
  for (const char* bad : {"notes.txt", "empty.json", "other.json", "absent.json"}) {
    const auto r = test::run_tool("report diff " + f.q("ok.json") + " " + f.q(bad));
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find(f.path(bad)), std::string::npos) << bad << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << bad;
    if (std::string(bad) != "absent.json") {
      EXPECT_NE(r.err.find("expected"), std::string::npos) << bad << ": " << r.err;
    }
  }
  EXPECT_EQ(test::run_tool("report convert -o csv " + f.q("notes.txt")).exit_code, 2);
}

TEST(ReportConvertCli, SavedScanRendersAsTheScanWouldHave) {
  Fixture f;
  ASSERT_EQ(test::run_tool("scan -q --no-timestamps -o json=" + f.q("s.json") + " -o jsonl=" + f.q("s.jsonl") +
                           " -o csv=" + f.q("s.csv") + " -o html=" + f.q("s.html") + " " + f.quoted())
                .exit_code,
            1);
  const auto csv = test::read_text(f.path("s.csv"));
  ASSERT_FALSE(csv.empty());
  const auto from_json = test::run_tool("report convert -o csv " + f.q("s.json"));
  EXPECT_EQ(from_json.exit_code, 0) << from_json.err;
  EXPECT_EQ(from_json.out, csv);
  EXPECT_EQ(test::run_tool("report convert -o csv " + f.q("s.jsonl")).out, csv);
  // A document comes back as it was saved; its HTML is the scan's page.
  EXPECT_EQ(test::run_tool("report convert -o json " + f.q("s.json")).out, test::read_text(f.path("s.json")));
  EXPECT_EQ(test::run_tool("report convert --no-timestamps -o html " + f.q("s.json")).out,
            test::read_text(f.path("s.html")));
  // Text too, as the scan printed it (tests/report_text_test.cpp compares it whole).
  const auto text = test::run_tool("report convert -o text " + f.q("s.json"));
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("plan:"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace hfa
