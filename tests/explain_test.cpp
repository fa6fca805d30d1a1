// `hotfix-audit explain` on the demo image: for every seed article, the chain
// names the installation, each hive value with its hive path, each row's
// found and required attributes, and the rule that decided; checked against
// the same scan's JSON, so that no fact the verdict used is left out.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "kbdb/kbdb.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// build/demo-image, which the build writes; the same tree written afresh when
// the build did not (a test binary built without the ALL target).
class DemoImage : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(HFA_BINARY).parent_path() / "demo-image";
    if (!fs::exists(root_ / "boot.ini")) {
      testdata::write_scenario(testdata::demo_scenario(), tmp_.str());
      root_ = tmp_.path();
    }
  }
  std::string root() const { return test::shell_quote(root_.string()); }

  test::TempDir tmp_;
  fs::path root_;
};

void expect_contains(const std::string& out, const std::string& what, const std::string& kb) {
  EXPECT_NE(out.find(what), std::string::npos) << kb << ": missing '" << what << "' in\n" << out;
}

TEST_F(DemoImage, ExplainNamesEveryFactOfEverySeedArticle) {
  const auto scan = test::run_tool("scan --format json " + root());
  const auto target = json::parse(scan.out).at("targets").at(0);
  for (const auto& id : test::kSeedArticles) {
    const auto* found = kbdb::builtin().find(id);
    ASSERT_NE(found, nullptr) << id;
    const auto& article = *found;
    json finding;
    for (const auto& f : target.at("findings"))
      if (f.at("kb") == article.id) finding = f;
    ASSERT_FALSE(finding.is_null()) << article.id;
    const auto r = test::run_tool("explain " + root() + " " + article.id);
    const auto status = finding.at("status").get<std::string>();
    EXPECT_EQ(r.exit_code, status == "fixed" || status == "not-applicable" ? 0 : 1) << article.id << r.err;
    const auto& out = r.out;
    const auto& kb = article.id;

    expect_contains(out, "installation: %SystemRoot% WINNT, found by boot.ini line 5", kb);
    expect_contains(out, "article " + kb + " (" + article.title + "), from kbdb/builtin.xml:", kb);
    // Every registry value the verdict rests on, with its hive and key.
    expect_contains(out, "CurrentVersion '4.0' (WINNT/system32/config/SOFTWARE: Microsoft\\Windows NT\\CurrentVersion"
                         "\\CurrentVersion)", kb);
    expect_contains(out, "CSDVersion 'Service Pack 6' (WINNT/system32/config/SOFTWARE: Microsoft\\Windows NT\\"
                         "CurrentVersion\\CSDVersion)", kb);
    expect_contains(out, "hotfix Q246009 'Installed = 1' (WINNT/system32/config/SOFTWARE: Microsoft\\Windows NT\\"
                         "CurrentVersion\\Hotfix\\Q246009)", kb);
    expect_contains(out, "ProductType 'ServerNT' (WINNT/system32/config/SYSTEM: ControlSet002\\Control\\"
                         "ProductOptions\\ProductType)", kb);
    expect_contains(out, "PROCESSOR_ARCHITECTURE 'x86' in WINNT/system32/config/SYSTEM: ControlSet002\\Control\\"
                         "Session Manager\\Environment\\PROCESSOR_ARCHITECTURE", kb);
    // What the article says and which of its lines applied.
    for (const auto& line : article.applies_to)
      expect_contains(out, std::string(line.edition == kbdb::Edition::server ? "Server"
                                       : line.edition == kbdb::Edition::workstation ? "Workstation"
                                                                                    : "Terminal Server Edition") +
                               " " + line.os_version, kb);
    expect_contains(out, "applicability: edition Server is one the article names", kb);
    for (const auto& row : article.files)
      if (row.platform != Platform::x86)
        expect_contains(out, "row " + row.name + " " + std::string(to_string(row.platform)) + ", " +
                                 to_string(row.date.value()) + " " + to_string(*row.time) + ", " +
                                 std::to_string(*row.size) + " bytes: skipped, a row for " +
                                 std::string(to_string(row.platform)) + "; this installation is x86", kb);
    // Each file: where it was found and what it is, against what is required.
    for (const auto& e : finding.at("evidence")) {
      const auto& found = e.at("found");
      if (found.at("present")) {
        expect_contains(out, "found " + found.at("path").get<std::string>(), kb);
        expect_contains(out, std::to_string(found.at("size").get<uint64_t>()) + " bytes", kb);
        for (const char* key : {"modified", "link_time", "file_version"})
          if (!found.at(key).is_null()) expect_contains(out, found.at(key).get<std::string>(), kb);
      }
      const auto& req = e.at("required");
      if (req.contains("date")) {
        expect_contains(out, "row " + e.at("file").get<std::string>() + " x86, " + req.at("date").get<std::string>() +
                                 " " + req.at("time").get<std::string>() + ", " +
                                 std::to_string(req.at("size").get<uint64_t>()) + " bytes",
                        kb);
        expect_contains(out, "-> " + e.at("status").get<std::string>() + ": " + e.at("note").get<std::string>(), kb);
      }
      if (req.contains("service_pack"))
        expect_contains(out, "fixing service pack: SP" + req.at("service_pack").get<std::string>(), kb);
    }
    if (status != "not-applicable")
      expect_contains(out, "hotfix registrations looked for: " + kb, kb);
    expect_contains(out, "verdict: " + status + ", by rule ", kb);
    expect_contains(out, "result: " + kb + " " + status + ": " + finding.at("reason").get<std::string>(), kb);
  }
}

TEST_F(DemoImage, ExplainShowsTheWaiverStep) {
  test::TempDir dir;
  const auto file = dir.path() / "w.txt";
  std::ofstream(file) << "Q259042 expires=2099-12-31 approver=ops reason=\"vendor build\"\n";
  const auto r = test::run_tool("explain --waivers " + test::shell_quote(file.string()) + " " + root() + " Q259042");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("becomes waived; reason: vendor build"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("waived: was missing; vendor build (approved by ops, expires 2099-12-31"), std::string::npos);
}

TEST_F(DemoImage, ExplainRefusesAnUnknownArticle) {
  const auto r = test::run_tool("explain " + root() + " Q1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no article Q1 in the database"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace hfa
