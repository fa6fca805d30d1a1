// The HTML compliance report of a 25-host fleet, read back as Chromium renders
// it: its counts are the JSON's, a filter hides the findings it does not
// match, it prints to a reasonable number of pages with every problem article
// on paper, and screenshots of it are left in build/test-artefacts/.
#include "report/html_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "report/scan_report.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
namespace fs = std::filesystem;

std::string find_tool(std::initializer_list<const char*> paths) {
  for (const char* p : paths)
    if (fs::exists(p)) return p;
  return "";
}

std::string chromium() {
  return find_tool({"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"});
}

fs::path artefacts() {
  const auto dir = fs::path(HFA_BINARY).parent_path() / "test-artefacts";
  fs::create_directories(dir);
  return dir;
}

// 25 hosts: every scenario in turn (hard-linked copies), one that vanished.
class HtmlFleet : public ::testing::Test {
 protected:
  static inline std::unique_ptr<test::TempDir> dir;
  static inline json doc;
  static inline std::string html;

  static void SetUpTestSuite() {
    dir = std::make_unique<test::TempDir>();
    auto scenarios = testdata::all_scenarios();
    scenarios.push_back(testdata::demo_scenario());
    const auto trees = dir->path() / "trees";
    for (const auto& s : scenarios) testdata::write_scenario(s, (trees / s.name).string());
    std::ofstream list(dir->path() / "hosts.txt");
    for (int i = 0; i < 25; ++i) {
      const auto& s = scenarios[size_t(i) % scenarios.size()];
      const auto name = "srv" + std::to_string(100 + i) + "-" + s.name;
      const auto root = dir->path() / "hosts" / name;
      if (i == 13) {
        list << name << "=" << (dir->path() / "vanished").string() << "\n";
        continue;
      }
      fs::create_directories(root);
      fs::copy(trees / s.name, root,
               fs::copy_options::recursive | fs::copy_options::create_hard_links | fs::copy_options::copy_symlinks);
      list << name << "=" << root.string() << "\n";
    }
    list.close();
    html = (dir->path() / "fleet.html").string();
    const auto json_file = dir->path() / "fleet.json";
    const auto r = test::run_tool(
        "scan --quiet --jobs 2 --no-timestamps --targets " + test::shell_quote((dir->path() / "hosts.txt").string()) +
        " -o json=" + test::shell_quote(json_file.string()) + " -o html=" + test::shell_quote(html));
    ASSERT_EQ(r.exit_code, 2) << r.err;
    doc = json::parse(test::read_text(json_file));
  }
  static void TearDownTestSuite() { dir.reset(); }

  // Runs Chromium headless on the report (with `fragment`) with `flags`.
  static std::string run_chromium(const std::string& flags, const std::string& fragment = "") {
    const auto profile = dir->path() / "profile";
    const auto out = dir->path() / "chromium.out";
    const auto cmd = "timeout 180 " + test::shell_quote(chromium()) +
                     " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --user-data-dir=" +
                     test::shell_quote(profile.string()) + " " + flags + " " +
                     test::shell_quote("file://" + html + fragment) + " >" + test::shell_quote(out.string()) +
                     " 2>/dev/null";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return test::read_text(out);
  }

  // The articles with a counted finding on some host.
  static std::set<std::string> problem_kbs() {
    std::set<std::string> out;
    for (const auto& t : doc.at("targets"))
      for (const auto& f : t.at("findings"))
        if (report::counts_against(f.at("status").get<std::string>())) out.insert(f.at("kb"));
    return out;
  }
};

struct Finding {
  std::string kb, status;
  bool hidden;
};

// The finding blocks of a rendered DOM, as the script left them.
std::vector<Finding> findings_in(const std::string& dom) {
  std::vector<Finding> out;
  static const std::regex div("<div class=\"finding [^\"]*\" data-kb=\"([^\"]*)\" data-status=\"([^\"]*)\"([^>]*)>");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), div); it != std::sregex_iterator(); ++it)
    out.push_back({(*it)[1], (*it)[2], std::string((*it)[3]).find("hidden") != std::string::npos});
  return out;
}

// The part of the DOM from the element with `id` to the end of its table.
std::string table_of(const std::string& dom, const std::string& id) {
  const auto at = dom.find("id=\"" + id + "\"");
  if (at == std::string::npos) return "";
  return dom.substr(at, dom.find("</table>", at) - at);
}

size_t count_of(const std::string& text, const std::regex& re) {
  return size_t(std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

std::string element_text(const std::string& dom, const std::string& id) {
  std::smatch m;
  const std::regex re("id=\"" + id + "\"[^>]*>([^<]*)<");
  return std::regex_search(dom, m, re) ? std::string(m[1]) : "(no element " + id + ")";
}

TEST_F(HtmlFleet, RenderedCountsAreTheJsons) {
  if (chromium().empty()) GTEST_SKIP() << "no Chromium (install Debian's chromium: scripts/setup.sh --tests)";
  const auto dom = run_chromium("--dump-dom");
  const auto& targets = doc.at("targets");
  const auto& summary = doc.at("summary");
  ASSERT_GE(targets.size(), 25u);  // a host may hold two installations

  // Hosts: a section each, every one shown; the chart's counts.
  static const std::regex section("<section class=\"host\"");
  EXPECT_EQ(count_of(dom, section), targets.size());
  EXPECT_NE(dom.find("data-shown=\"" + std::to_string(targets.size()) + "\""), std::string::npos);
  EXPECT_EQ(element_text(dom, "count-failed"), "1");
  EXPECT_EQ(element_text(dom, "count-compliant"), std::to_string(summary.at("compliant_targets").get<int>()));
  EXPECT_EQ(element_text(dom, "count-out-of-scope"), std::to_string(summary.at("out_of_scope_targets").get<int>()));
  const int action = std::stoi(element_text(dom, "count-action"));
  const int unverifiable = std::stoi(element_text(dom, "count-not-verifiable"));
  EXPECT_EQ(action, summary.at("targets_needing_action").get<int>());
  EXPECT_EQ(unverifiable, summary.at("targets_not_verifiable").get<int>());
  EXPECT_GT(unverifiable, 0) << "the fleet has an installation with only unknown findings";

  // Worst first: the installations known to lack a fix, then by findings counted.
  std::vector<std::tuple<int, int, std::string>> worst;
  for (const auto& t : targets) {
    int settled = 0, counted = 0;
    for (const auto& f : t.at("findings")) {
      const auto st = f.at("status").get<std::string>();
      settled += st == "missing" || st == "inconsistent";
      counted += report::counts_against(st);
    }
    if (counted > 0) worst.emplace_back(-settled, -counted, t.at("host").get<std::string>());
  }
  std::sort(worst.begin(), worst.end());
  std::vector<std::string> want, got;
  for (const auto& w : worst) want.push_back(std::get<2>(w));
  const auto from = dom.find("id=\"action\""), to = dom.find("id=\"fleet-plan-head\"");
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  const auto list = dom.substr(from, to - from);
  static const std::regex item("<li data-host=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(list.begin(), list.end(), item); it != std::sregex_iterator(); ++it)
    got.push_back((*it)[1]);
  EXPECT_EQ(got, want);
  EXPECT_EQ(got.size(), summary.at("hosts_needing_action").size());
  // The fleet plan: a row per step of the JSON's.
  static const std::regex step("<td class=\"remedy\">");
  EXPECT_EQ(count_of(table_of(dom, "fleet-plan"), step), summary.at("plan").size());

  // Findings per status: the table's, and the finding blocks on the page.
  std::map<std::string, int> on_page;
  for (const auto& f : findings_in(dom)) {
    ++on_page[f.status];
    EXPECT_FALSE(f.hidden) << f.kb;
  }
  for (const auto& [status, n] : summary.at("findings").items()) {
    EXPECT_EQ(element_text(dom, "count-" + status), std::to_string(n.get<int>())) << status;
    EXPECT_EQ(on_page[status], n.get<int>()) << status;
  }
  // The unknown banner is there when an unknown finding is.
  EXPECT_EQ(dom.find("id=\"unknown-banner\"") != std::string::npos,
            summary.at("findings").at("unknown").get<int>() > 0);

  // Matrix columns: the articles with a problem, and nothing else.
  const auto matrix = table_of(dom, "host-matrix");
  static const std::regex column("<th [^>]*data-kb=\"([^\"]*)\"");
  std::set<std::string> columns;
  for (auto it = std::sregex_iterator(matrix.begin(), matrix.end(), column); it != std::sregex_iterator(); ++it)
    columns.insert((*it)[1]);
  EXPECT_EQ(columns, problem_kbs());
  EXPECT_EQ(count_of(matrix, column), problem_kbs().size());
  static const std::regex row("<tr data-host=");
  EXPECT_EQ(count_of(matrix, row), targets.size());
}

TEST_F(HtmlFleet, AStatusFilterHidesTheOtherFindingsCellsAndColumns) {
  if (chromium().empty()) GTEST_SKIP() << "no Chromium (install Debian's chromium: scripts/setup.sh --tests)";
  const auto dom = run_chromium("--dump-dom", "#status=missing");
  const auto findings = findings_in(dom);
  ASSERT_FALSE(findings.empty());
  int missing = 0;
  for (const auto& f : findings) {
    EXPECT_EQ(f.hidden, f.status != "missing") << f.kb << " " << f.status;
    missing += f.status == "missing";
  }
  EXPECT_EQ(missing, doc.at("summary").at("findings").at("missing").get<int>());
  // The rows of the printed problem tables too.
  static const std::regex print_row("<tr class=\"finding-row\" data-kb=\"[^\"]*\" data-status=\"([^\"]*)\"([^>]*)>");
  size_t print_rows = 0;
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), print_row); it != std::sregex_iterator();
       ++it, ++print_rows)
    EXPECT_EQ(std::string((*it)[2]).find("hidden") != std::string::npos, (*it)[1] != "missing") << (*it)[0];
  EXPECT_GT(print_rows, 0u);

  // In the matrix: a cell of another status is blanked, a column with no
  // missing finding hidden.
  std::set<std::string> missing_kbs;
  for (const auto& t : doc.at("targets"))
    for (const auto& f : t.at("findings"))
      if (f.at("status") == "missing") missing_kbs.insert(f.at("kb"));
  const auto matrix = table_of(dom, "host-matrix");
  static const std::regex column("<th [^>]*data-kb=\"([^\"]*)\"([^>]*)>");
  size_t shown_columns = 0;
  for (auto it = std::sregex_iterator(matrix.begin(), matrix.end(), column); it != std::sregex_iterator(); ++it) {
    const bool hidden = std::string((*it)[2]).find("hidden") != std::string::npos;
    EXPECT_EQ(hidden, !missing_kbs.count((*it)[1])) << (*it)[1];
    shown_columns += !hidden;
  }
  EXPECT_EQ(shown_columns, missing_kbs.size());
  static const std::regex cell("<td class=\"([^\"]*)\" data-kb=\"[^\"]*\" data-status=\"([^\"]*)\"");
  size_t cells = 0;
  for (auto it = std::sregex_iterator(matrix.begin(), matrix.end(), cell); it != std::sregex_iterator(); ++it, ++cells)
    EXPECT_EQ(std::string((*it)[1]).find(" off") != std::string::npos, (*it)[2] != "missing") << (*it)[0];
  EXPECT_GT(cells, 0u);

  // A KB filter: only that article's findings stay.
  const auto kb = *missing_kbs.begin();
  for (const auto& f : findings_in(run_chromium("--dump-dom", "#kb=" + kb))) EXPECT_EQ(f.hidden, f.kb != kb) << f.kb;
}

TEST_F(HtmlFleet, PrintsToAFewPagesWithEveryProblemArticle) {
  if (chromium().empty()) GTEST_SKIP() << "no Chromium (install Debian's chromium: scripts/setup.sh --tests)";
  if (find_tool({"/usr/bin/pdftotext"}).empty() || find_tool({"/usr/bin/pdfinfo"}).empty())
    GTEST_SKIP() << "no pdftotext/pdfinfo (Debian's poppler-utils)";
  const auto pdf = artefacts() / "html-report.pdf";
  fs::remove(pdf);
  run_chromium("--no-pdf-header-footer --print-to-pdf=" + test::shell_quote(pdf.string()));
  ASSERT_TRUE(fs::exists(pdf));
  const auto info = test::run_command("pdfinfo " + test::shell_quote(pdf.string()));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(info.out, m, std::regex("Pages:\\s+([0-9]+)"))) << info.out;
  const int pages = std::stoi(m[1]);
  std::cout << "[ INFO     ] 25 hosts print to " << pages << " pages: " << pdf.string() << "\n";
  EXPECT_GT(pages, 1);
  EXPECT_LE(pages, 30);
  const auto text = test::run_command("pdftotext -layout " + test::shell_quote(pdf.string()) + " -").out;
  for (const auto& kb : problem_kbs()) EXPECT_NE(text.find(kb), std::string::npos) << kb << " is not on paper";
  // The folded findings say they were left out.
  EXPECT_NE(text.find("left out of print"), std::string::npos);
}

TEST_F(HtmlFleet, ScreenshotsForPeopleToLookAt) {
  if (chromium().empty()) GTEST_SKIP() << "no Chromium (install Debian's chromium: scripts/setup.sh --tests)";
  for (const auto& [name, fragment] :
       std::map<std::string, std::string>{{"html-top.png", ""}, {"html-filtered.png", "#status=inconsistent"}}) {
    const auto png = artefacts() / name;
    fs::remove(png);
    run_chromium("--hide-scrollbars --window-size=1280,1600 --screenshot=" + test::shell_quote(png.string()), fragment);
    EXPECT_EQ(test::read_text(png).substr(1, 3), "PNG") << png;
  }
}

// The provenance block ("provenance", from another part of the run) is shown
// when the document has one, as text; a target's files read are listed.
TEST(HtmlReport, ShowsProvenanceWhenPresentAndFilesRead) {
  ordered_json target = {
      {"host", "SRV<1>"},
      {"root", "/mnt/a"},
      {"system_root", "WINNT"},
      {"error", nullptr},
      {"os", {{"version", "4.0"}, {"build", "1381"}, {"service_pack", "6a"}}},
      {"findings", ordered_json::array()},
      {"files_read",
       {{{"path", "/mnt/a/WINNT/system32/config/SOFTWARE"}, {"size", 8192}, {"hashes", {{"sha256", "ab12"}}}}}}};
  ordered_json document = {{"tool", {{"name", "hotfix-audit"}, {"version", "1"}}},
                           {"database", {{"articles", ordered_json::array()}}},
                           {"targets", {target}}};
  const auto without = report::to_html(document, {});
  pugi::xml_document page;
  ASSERT_TRUE(page.load_string(without.c_str()));
  EXPECT_TRUE(page.select_node("//*[@id='provenance']").node().empty());
  EXPECT_STREQ(page.select_node("//table[@class='files-read']//td").node().text().get(),
               "/mnt/a/WINNT/system32/config/SOFTWARE");

  document["provenance"] = {{"tool", "hotfix-audit 1"},
                            {"database", {{"sha256", "cafe"}, {"profile", "nt4"}}},
                            {"case", "2026-<17>"},
                            {"examiner", "J. Roe"}};
  ASSERT_TRUE(page.load_string(report::to_html(document, {}).c_str()));
  const auto block = page.select_node("//table[@id='provenance-facts']").node();
  ASSERT_FALSE(block.empty());
  EXPECT_STREQ(block.select_node("tr[th='database sha256']/td").node().text().get(), "cafe");
  EXPECT_STREQ(block.select_node("tr[th='case']/td").node().text().get(), "2026-<17>");
}

}  // namespace
}  // namespace hfa
