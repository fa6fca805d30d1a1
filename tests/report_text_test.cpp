// The text report from a saved scan: `report convert` and `report merge`
// render the same typed model as `scan`, and refuse a target of the wrong shape.
#include <gtest/gtest.h>

#include <fstream>

#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

TEST(ReportText, ConvertAndMergeGiveTheScansOwnText) {
  test::TempDir dir;
  const auto root = dir.path() / "demo";
  testdata::write_scenario(testdata::demo_scenario(), root.string());
  const auto jsonl = (dir.path() / "s.jsonl").string(), txt = (dir.path() / "s.txt").string();
  const auto scan = test::run_tool("scan -q -o jsonl=" + test::shell_quote(jsonl) +
                                   " -o text=" + test::shell_quote(txt) + " " + test::shell_quote(root.string()));
  ASSERT_EQ(scan.exit_code, 1) << scan.err;
  const auto text = test::read_text(txt);
  EXPECT_NE(text.find("plan:"), std::string::npos) << text;
  const auto converted = test::run_tool("report convert " + test::shell_quote(jsonl) + " -o text");
  EXPECT_EQ(converted.exit_code, 0) << converted.err;
  EXPECT_EQ(converted.out, text);
  const auto merged = test::run_tool("report merge " + test::shell_quote(jsonl) + " -o text");
  EXPECT_EQ(merged.exit_code, 1) << merged.err;
  EXPECT_EQ(merged.out, text);
}

// With every output in a file, the terminal still hears how the run went.
TEST(ReportText, RunSummaryOnStderrWhenEveryOutputIsAFile) {
  test::TempDir dir;
  const auto root = dir.path() / "demo";
  testdata::write_scenario(testdata::demo_scenario(), root.string());
  const auto out = (dir.path() / "s.json").string();
  const auto r = test::run_tool("scan -o " + test::shell_quote(out) + " " + test::shell_quote(root.string()) + " " +
                                test::shell_quote((dir.path() / "nothing-here").string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("2 target(s): 0 compliant, 1 needing action, 0 not verifiable, 1 not scanned, 0 out of scope; "
                       "findings: 4 "
                       "missing, 0 inconsistent, 1 unknown, 47 fixed, 45 not-applicable, 0 waived"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("not scanned: " + (dir.path() / "nothing-here").string() + ": "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("wrote json to " + out), std::string::npos) << r.err;
  // -q keeps stderr for errors only.
  const auto quiet = test::run_tool("scan -q -o " + test::shell_quote(out) + " " + test::shell_quote(root.string()));
  EXPECT_EQ(quiet.err, "");
}

TEST(ReportText, ATargetOfTheWrongShapeIsRefusedWithItsLineAndKey) {
  test::TempDir dir;
  const auto jsonl = (dir.path() / "bad.jsonl").string();
  std::ofstream(jsonl) << R"({"host":"a","root":"/a","findings":[]})"
                       << "\n"
                       << R"({"host":"b","root":"/b","findings":[{"kb":"Q1","status":"maybe"}]})"
                       << "\n";
  for (const char* cmd : {"report convert ", "report merge "}) {
    const auto r = test::run_tool(std::string(cmd) + test::shell_quote(jsonl) + " -o text");
    EXPECT_EQ(r.exit_code, 2) << cmd;
    EXPECT_NE(r.err.find(jsonl + ":2: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("/findings/0/status: expected a status"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace hfa
