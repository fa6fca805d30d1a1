// The JSON contract (issue 12, point 5): every document and JSONL line a scan,
// `report merge` or `report convert` writes validates against
// docs/schema/scan.schema.json and target.schema.json, for every scenario;
// and a document that breaks the contract does not, so the schema is known
// to bite. Validation is by python3-jsonschema (an independent reader of the
// schemas): skipped, saying so, where /usr/bin/python3 lacks it.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "report/model.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace testdata {
void PrintTo(const Scenario& s, std::ostream* os);
}  // namespace testdata
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The system python: the one scripts/setup.sh installs python3-jsonschema into
// (a pyenv python3 earlier on PATH may not have it).
constexpr const char* kPython = "/usr/bin/python3";

bool have_jsonschema() {
  static const bool have =
      test::run_command(std::string(kPython) + " -c 'import jsonschema' >/dev/null 2>&1").exit_code == 0;
  return have;
}

#define SKIP_WITHOUT_JSONSCHEMA()                                                              \
  if (!have_jsonschema())                                                                      \
  GTEST_SKIP() << kPython                                                                      \
               << " has no jsonschema module (python3-jsonschema, scripts/setup.sh --tests): " \
                  "the outputs are not validated against docs/schema/"

// `kind` "json" (a document) or "jsonl" (a target per line); stderr says why not.
test::RunResult validate(const std::string& kind, const fs::path& file) {
  const std::string source = HFA_SOURCE_DIR;
  return test::run_command(std::string(kPython) + " " + test::shell_quote(source + "/tests/validate_schema.py") + " " +
                           test::shell_quote(source + "/docs/schema") + " " + kind + " " +
                           test::shell_quote(file.string()));
}

// Every tree testdata writes, once each (all_scenarios holds the kernel ones).
std::vector<testdata::Scenario> every_scenario() {
  std::vector<testdata::Scenario> all;
  std::set<std::string> names;
  for (auto&& set : {testdata::all_scenarios(), testdata::os_fact_scenarios(), testdata::kernel_scenarios(),
                     std::vector<testdata::Scenario>{testdata::demo_scenario()}})
    for (const auto& s : set)
      if (names.insert(s.name).second) all.push_back(s);
  return all;
}

// --db FILE for a scenario with articles of its own ("" when none).
std::string db_option(const testdata::Scenario& s, const fs::path& dir) {
  if (s.extra_db.empty()) return "";
  const auto path = dir / (s.name + ".kbdb.xml");
  std::ofstream(path, std::ios::binary) << s.extra_db;
  return " --db " + test::shell_quote(path.string());
}

class SchemaOfScenario : public ::testing::TestWithParam<testdata::Scenario> {};

TEST_P(SchemaOfScenario, JsonAndJsonlValidate) {
  SKIP_WITHOUT_JSONSCHEMA();
  const auto& s = GetParam();
  test::TempDir dir;
  testdata::write_scenario(s, (dir.path() / "root").string());
  const auto json_file = dir.path() / "scan.json", jsonl_file = dir.path() / "scan.jsonl";
  const auto r = test::run_tool("scan --quiet -o json=" + test::shell_quote(json_file.string()) +
                                " -o jsonl=" + test::shell_quote(jsonl_file.string()) + db_option(s, dir.path()) + " " +
                                test::shell_quote((dir.path() / "root").string()));
  ASSERT_TRUE(r.exit_code >= 0 && r.exit_code <= 3) << r.err;
  const auto doc = validate("json", json_file);
  EXPECT_EQ(doc.exit_code, 0) << doc.err;
  const auto lines = validate("jsonl", jsonl_file);
  EXPECT_EQ(lines.exit_code, 0) << lines.err;
}

INSTANTIATE_TEST_SUITE_P(AllScenarios, SchemaOfScenario, ::testing::ValuesIn(every_scenario()),
                         [](const ::testing::TestParamInfo<testdata::Scenario>& info) {
                           std::string n = info.param.name;
                           for (auto& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

// Shards merged, a host not scanned among them, and waivers: what `report
// merge` and `report convert` write keeps the contract too.
TEST(Schema, MergedAndConvertedOutputsValidate) {
  SKIP_WITHOUT_JSONSCHEMA();
  test::TempDir dir;
  std::vector<std::string> roots;
  for (const auto& s : every_scenario())
    if (s.extra_db.empty() && (s.name == "demo" || s.name == "no-windows" || s.name == "two-installations" ||
                               s.name == "bad-files" || s.name == "x86-sp6a-missing")) {
      testdata::write_scenario(s, (dir.path() / s.name).string());
      roots.push_back(test::shell_quote((dir.path() / s.name).string()));
    }
  ASSERT_EQ(roots.size(), 5u);
  const auto waivers = dir.path() / "waivers.txt";
  std::ofstream(waivers) << "Q259042 expires=2099-12-31 approver=\"J. Auditor\" reason=\"vendor build\"\n"
                            "Q257647 expires=2099-12-31 approver=x host=\"nomatch-*\" reason=\"unused\"\n";
  auto q = [&](const std::string& name) { return test::shell_quote((dir.path() / name).string()); };
  const auto a = test::run_tool("scan --quiet --waivers " + q("waivers.txt") + " -o jsonl=" + q("a.jsonl") + " " +
                                roots[0] + " " + roots[1] + " " + roots[2]);
  ASSERT_TRUE(a.exit_code >= 0 && a.exit_code <= 3) << a.err;
  const auto b = test::run_tool("scan --quiet -o jsonl=" + q("b.jsonl") + " -o json=" + q("b.json") + " --waivers " +
                                q("waivers.txt") + " " + roots[3] + " " + roots[4] + " " + q("nowhere"));
  ASSERT_EQ(b.exit_code, 2) << b.err;
  const auto merged = test::run_tool("report merge " + q("a.jsonl") + " " + q("b.jsonl") +
                                     " -o json=" + q("merged.json") + " -o jsonl=" + q("merged.jsonl"));
  ASSERT_EQ(merged.exit_code, 2) << merged.err;
  const auto converted = test::run_tool("report convert " + q("a.jsonl") + " -o json=" + q("converted.json"));
  ASSERT_EQ(converted.exit_code, 0) << converted.err;
  for (const auto& [kind, file] : std::vector<std::pair<std::string, std::string>>{{"json", "b.json"},
                                                                                   {"jsonl", "a.jsonl"},
                                                                                   {"json", "merged.json"},
                                                                                   {"jsonl", "merged.jsonl"},
                                                                                   {"json", "converted.json"}}) {
    const auto v = validate(kind, dir.path() / file);
    EXPECT_EQ(v.exit_code, 0) << file << ": " << v.err;
  }
  // The waived finding and the run's waivers are there to be validated.
  EXPECT_TRUE(json::parse(test::read_text(dir.path() / "b.json")).contains("waivers"));
  // Each line says its schema; the merged document says it once.
  std::ifstream lines(dir.path() / "merged.jsonl");
  for (std::string line; std::getline(lines, line);)
    EXPECT_EQ(json::parse(line).at("schema_version"), report::kSchemaVersion);
  const auto m = json::parse(test::read_text(dir.path() / "merged.json"));
  EXPECT_EQ(m.at("schema_version"), report::kSchemaVersion);
  EXPECT_GT(m.at("summary").at("findings").at("waived"), 0);
  for (const auto& t : m.at("targets")) EXPECT_FALSE(t.contains("schema_version"));
}

// The schema bites: a status it does not know, a file-row requirement without
// its row, a later schema_version, and a key nobody wrote each fail it.
TEST(Schema, BrokenDocumentsFailValidation) {
  SKIP_WITHOUT_JSONSCHEMA();
  test::TempDir dir;
  testdata::write_scenario(testdata::demo_scenario(), (dir.path() / "root").string());
  const auto r = test::run_tool("scan --quiet -o json " + test::shell_quote((dir.path() / "root").string()));
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const auto good = json::parse(r.out);
  auto check_fails = [&](const std::string& what, json broken, const std::string& expected) {
    const auto file = dir.path() / "broken.json";
    std::ofstream(file) << broken.dump(2);
    const auto v = validate("json", file);
    EXPECT_EQ(v.exit_code, 1) << what << " passed the schema";
    EXPECT_NE(v.err.find(expected), std::string::npos) << what << ": " << v.err;
  };
  {
    auto broken = good;
    broken["targets"][0]["findings"][0]["status"] = "maybe";
    check_fails("status maybe", broken, "/targets/0/findings/0/status: 'maybe' is not one of");
  }
  {
    auto broken = good;
    bool cut = false;
    for (auto& f : broken["targets"][0]["findings"])
      for (auto& e : f["evidence"])
        if (!cut && e["required"].value("kind", "") == "file-row") {
          e["required"].erase("platform");
          cut = true;
        }
    ASSERT_TRUE(cut) << "the demo has a file-table article";
    check_fails("file-row without platform", broken, "'platform' is a required property");
  }
  {
    auto broken = good;
    broken["schema_version"] = report::kSchemaVersion + 1;
    check_fails("a later schema", broken, "/schema_version:");
  }
  {
    auto broken = good;
    broken["targets"][0]["findings"][0]["verdict"] = "fixed";
    check_fails("an unknown finding key", broken, "'verdict' was unexpected");
  }
  {
    auto broken = good;
    broken["targets"][0]["findings"][0]["remediation"] = {
        {"kind", "reboot"}, {"id", "x"}, {"title", ""}, {"source", nullptr}, {"text", ""}};
    check_fails("a remedy kind", broken, "/targets/0/findings/0/remediation");
  }
  // A JSONL line is checked as a target: a line with the status broken fails.
  auto line = good["targets"][0];
  line["findings"][0]["status"] = "maybe";
  const auto jsonl = dir.path() / "broken.jsonl";
  std::ofstream(jsonl) << line.dump() << "\n";
  const auto v = validate("jsonl", jsonl);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.err.find(":1: /findings/0/status"), std::string::npos) << v.err;
}

// `report merge` reads lines of schema 1 (no version) and 2, and refuses a
// later one rather than misread keys that may mean something else there.
TEST(Schema, MergeReadsTheVersionsItKnows) {
  test::TempDir dir;
  const std::string target =
      R"j("host":"srv","root":"/mnt/srv","system_root":null,"found_by":null,"error":"not found",)j"
      R"j("out_of_scope":null,"os":null,"notes":[],"findings":[],"plan":[]})j";
  auto merge = [&](const std::string& line) {
    const auto file = dir.path() / "in.jsonl";
    std::ofstream(file) << line << "\n";
    return test::run_tool("report merge -o jsonl " + test::shell_quote(file.string()));
  };
  for (const char* version : {"", "\"schema_version\":1,", "\"schema_version\":2,"}) {
    const auto r = merge(std::string("{") + version + target);
    EXPECT_EQ(r.exit_code, 2) << version << r.err;  // the target was not scanned
    EXPECT_EQ(json::parse(r.out).at("schema_version"), report::kSchemaVersion) << version;
  }
  const auto later = merge("{\"schema_version\":" + std::to_string(report::kSchemaVersion + 1) + "," + target);
  EXPECT_EQ(later.exit_code, 2);
  EXPECT_TRUE(later.out.empty()) << later.out;
  EXPECT_NE(later.err.find("in.jsonl:1: schema_version 3: this hotfix-audit reads schema 1 to 2"), std::string::npos)
      << later.err;
}

// A line or document target whose shape the model cannot read is named by
// file, line and key, exit 2, rather than ending the process.
TEST(Schema, MergeAndConvertNameATargetOfTheWrongShape) {
  test::TempDir dir;
  const auto jsonl = dir.path() / "bad.jsonl";
  std::ofstream(jsonl) << R"j({"root":"x","findings":[{"kb":"Q1","status":"maybe"}]})j"
                       << "\n";
  const auto merged = test::run_tool("report merge -o csv " + test::shell_quote(jsonl.string()));
  EXPECT_EQ(merged.exit_code, 2);
  EXPECT_NE(merged.err.find("bad.jsonl:1: not a target object of `scan --format jsonl`: /findings/0/status: "),
            std::string::npos)
      << merged.err;
  const auto doc = dir.path() / "bad.json";
  std::ofstream(doc) << R"j({"schema_version":2,"targets":[{"root":"x","findings":[{"kb":7,"status":"fixed"}]}]})j";
  const auto converted = test::run_tool("report convert -o evidence-csv " + test::shell_quote(doc.string()));
  EXPECT_EQ(converted.exit_code, 2);
  EXPECT_NE(converted.err.find("bad.json: /targets/0/findings/0/kb: expected a string"), std::string::npos)
      << converted.err;
}

}  // namespace
}  // namespace hfa
