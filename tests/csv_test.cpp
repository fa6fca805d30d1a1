// The CSV tables (issue 12, point 6): the findings, one row per host and
// article, and the evidence, one row per file examined, with columns a
// spreadsheet user filters on; both rendered from the typed model.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/csv_report.h"
#include "report/model.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using Rows = std::vector<std::vector<std::string>>;

const std::vector<std::string> kFindingColumns = {"host",
                                                  "system_root",
                                                  "os_version",
                                                  "service_pack",
                                                  "product",
                                                  "platform",
                                                  "kb",
                                                  "title",
                                                  "status",
                                                  "reason",
                                                  "remediation",
                                                  "remediation_kind",
                                                  "remediation_id",
                                                  "waiver_reason",
                                                  "waiver_expires",
                                                  "waiver_approver"};
const std::vector<std::string> kEvidenceColumns = {"host",
                                                   "kb",
                                                   "file",
                                                   "path",
                                                   "status",
                                                   "found_version",
                                                   "found_link_time",
                                                   "found_modified",
                                                   "found_size",
                                                   "required_kind",
                                                   "required_date",
                                                   "required_time",
                                                   "required_size",
                                                   "required_version",
                                                   "required_platform",
                                                   "required_service_pack",
                                                   "sha256",
                                                   "sha1",
                                                   "md5"};

// The row's cell under `column` of the header `rows[0]`.
std::string cell(const Rows& rows, size_t row, const std::string& column) {
  const auto& header = rows.at(0);
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == column) return rows.at(row).at(i);
  throw std::runtime_error("no column " + column);
}

// The rows whose `column` is `value` (the header excluded).
std::vector<size_t> rows_where(const Rows& rows, const std::string& column, const std::string& value) {
  std::vector<size_t> out;
  for (size_t r = 1; r < rows.size(); ++r)
    if (cell(rows, r, column) == value) out.push_back(r);
  return out;
}

TEST(CsvColumns, HeadersAreExactlyTheDocumentedColumns) {
  const auto findings = test::parse_csv(report::csv_header());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0], kFindingColumns);
  const auto evidence = test::parse_csv(report::evidence_csv_header());
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0], kEvidenceColumns);
}

// A scan of the demo: a row per host and article, and the values of Q259042,
// missing (services.exe and winlogon.exe older than the article's rows).
class CsvOfTheDemo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = new test::TempDir;
    testdata::write_scenario(testdata::demo_scenario(), (dir->path() / "root").string());
    const auto r = test::run_tool("scan --no-timestamps -o json=" + q("scan.json") + " -o csv=" + q("scan.csv") +
                                  " -o evidence-csv=" + q("evidence.csv") + " " + q("root"));
    ASSERT_EQ(r.exit_code, 1) << r.err;
    doc = json::parse(test::read_text(dir->path() / "scan.json"));
    findings = test::parse_csv(test::read_text(dir->path() / "scan.csv"));
    evidence = test::parse_csv(test::read_text(dir->path() / "evidence.csv"));
  }
  static void TearDownTestSuite() { delete dir; }
  static std::string q(const std::string& name) { return test::shell_quote((dir->path() / name).string()); }
  static const json& target() { return doc.at("targets").at(0); }
  static json finding(const std::string& kb) {
    for (const auto& f : target().at("findings"))
      if (f.at("kb") == kb) return f;
    throw std::runtime_error("no finding " + kb);
  }

  static inline test::TempDir* dir = nullptr;
  static inline json doc;
  static inline Rows findings, evidence;
};

TEST_F(CsvOfTheDemo, OneRowPerHostAndArticle) {
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings[0], kFindingColumns);
  ASSERT_EQ(findings.size(), 1 + target().at("findings").size());
  for (size_t r = 1; r < findings.size(); ++r) {
    ASSERT_EQ(findings[r].size(), kFindingColumns.size()) << r;
    EXPECT_EQ(findings[r][6], target().at("findings").at(r - 1).at("kb")) << "in the document's order";
  }
}

TEST_F(CsvOfTheDemo, AKnownMissingFindingHasItsValues) {
  const auto rows = rows_where(findings, "kb", "Q259042");
  ASSERT_EQ(rows.size(), 1u);
  const auto r = rows[0];
  EXPECT_EQ(cell(findings, r, "host"), target().at("host"));
  EXPECT_EQ(cell(findings, r, "system_root"), "WINNT");
  EXPECT_EQ(cell(findings, r, "os_version"), "4.0");
  EXPECT_EQ(cell(findings, r, "service_pack"), "6a");
  EXPECT_EQ(cell(findings, r, "product"), "server");
  EXPECT_EQ(cell(findings, r, "platform"), "x86");
  EXPECT_EQ(cell(findings, r, "status"), "missing");
  const auto f = finding("Q259042");
  EXPECT_EQ(cell(findings, r, "title"), f.at("title"));
  EXPECT_EQ(cell(findings, r, "reason"), f.at("reason"));
  EXPECT_NE(cell(findings, r, "reason").find("winlogon.exe"), std::string::npos);
  // The remedy split into its parts, so a user can filter by what to install.
  ASSERT_TRUE(f.at("remediation").is_object());
  EXPECT_EQ(cell(findings, r, "remediation"), f.at("remediation").at("text"));
  EXPECT_FALSE(cell(findings, r, "remediation").empty());
  EXPECT_EQ(cell(findings, r, "remediation_kind"), f.at("remediation").at("kind"));
  EXPECT_EQ(cell(findings, r, "remediation_id"), f.at("remediation").at("id"));
  EXPECT_EQ(cell(findings, r, "waiver_reason"), "");
  // A fixed article has no remedy.
  const auto fixed = rows_where(findings, "kb", "Q225095");
  ASSERT_EQ(fixed.size(), 1u);
  EXPECT_EQ(cell(findings, fixed[0], "status"), "fixed");
  EXPECT_EQ(cell(findings, fixed[0], "remediation_kind"), "");
}

TEST_F(CsvOfTheDemo, EvidenceRowsOfAKnownMissingFinding) {
  ASSERT_FALSE(evidence.empty());
  EXPECT_EQ(evidence[0], kEvidenceColumns);
  size_t expected = 1;
  for (const auto& f : target().at("findings")) expected += f.at("evidence").size();
  EXPECT_EQ(evidence.size(), expected);
  for (const auto& row : evidence) ASSERT_EQ(row.size(), kEvidenceColumns.size());

  const auto rows = rows_where(evidence, "kb", "Q259042");
  ASSERT_EQ(rows.size(), 2u);
  const auto services = rows[0];
  EXPECT_EQ(cell(evidence, services, "host"), target().at("host"));
  EXPECT_EQ(cell(evidence, services, "file"), "services.exe");
  EXPECT_EQ(cell(evidence, services, "path"), "WINNT/system32/services.exe");
  EXPECT_EQ(cell(evidence, services, "status"), "older");
  EXPECT_EQ(cell(evidence, services, "found_size"), std::to_string(135440 - 512));
  EXPECT_EQ(cell(evidence, services, "found_modified"), "2000-02-04T00:46:00Z");
  EXPECT_EQ(cell(evidence, services, "required_kind"), "file-row");
  EXPECT_EQ(cell(evidence, services, "required_date"), "2000-04-04");
  EXPECT_EQ(cell(evidence, services, "required_time"), "00:46");
  EXPECT_EQ(cell(evidence, services, "required_size"), "135440");
  EXPECT_EQ(cell(evidence, services, "required_platform"), "x86");
  EXPECT_EQ(cell(evidence, services, "required_service_pack"), "");
  const auto found = finding("Q259042").at("evidence").at(0).at("found");
  EXPECT_EQ(cell(evidence, services, "found_version"),
            found.value("file_version", json()).is_string() ? found.at("file_version").get<std::string>() : "");
  // The digests, once the scan writes them (empty cells before).
  const auto hashes = found.value("hashes", json::object());
  EXPECT_EQ(cell(evidence, services, "sha256"), hashes.value("sha256", ""));
  EXPECT_EQ(cell(evidence, rows[1], "file"), "winlogon.exe");
  EXPECT_EQ(cell(evidence, rows[1], "status"), "older");

  // An SP-fixed article's row says the service pack it wants.
  bool saw_service_pack = false;
  for (const auto r : rows_where(evidence, "required_kind", "service-pack"))
    saw_service_pack = saw_service_pack || !cell(evidence, r, "required_service_pack").empty();
  EXPECT_TRUE(saw_service_pack);
}

TEST_F(CsvOfTheDemo, ConvertAndFormatWriteTheSameTables) {
  EXPECT_EQ(test::run_tool("report convert -o evidence-csv " + q("scan.json")).out,
            test::read_text(dir->path() / "evidence.csv"));
  EXPECT_EQ(test::run_tool("report convert --format csv " + q("scan.json")).out,
            test::read_text(dir->path() / "scan.csv"));
  // --format evidence-csv names the table of a FILE ending in .csv.
  const auto r = test::run_tool("scan --format evidence-csv -o " + q("files.csv") + " " + q("root"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(test::read_text(dir->path() / "files.csv"), test::read_text(dir->path() / "evidence.csv"));
}

// A target with a formula for a name and cells that begin with one, a waiver,
// and a target not scanned.
TEST(CsvRows, FormulasAreNeutralisedWaiversAndErrorsHaveTheirCells) {
  const auto scanned = ordered_json::parse(R"j({
    "host": "=HYPERLINK(\"http://x\")", "root": "/mnt/a", "system_root": "WINNT", "error": null,
    "out_of_scope": null,
    "os": {"version": "4.0", "service_pack": "6a", "product": "server", "platform": "x86", "suites": [],
           "installed_hotfixes": []},
    "notes": [],
    "findings": [{"kb": "Q259042", "title": "+cmd|' /C calc'!A0", "status": "waived", "reason": "-older",
                  "notes": [], "remediation": {"kind": "hotfix", "id": "Q259042", "title": "", "source": null,
                                               "text": "@install Q259042"},
                  "waiver": {"source": "w.toml line 3", "host": "*", "reason": "vendor app, needs SP6",
                             "expires": "2027-01-31", "approver": "J. Auditor", "waived_status": "missing"},
                  "evidence": [{"file": "=evil.exe", "path": null, "status": "absent",
                                "found": {"present": false, "path": null}, "required": {}, "note": ""}]}],
    "plan": []})j");
  const auto rows = test::parse_csv(report::csv_header() + report::csv_rows(scanned));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(cell(rows, 1, "host"), "'=HYPERLINK(\"http://x\")");
  EXPECT_EQ(cell(rows, 1, "title"), "'+cmd|' /C calc'!A0");
  EXPECT_EQ(cell(rows, 1, "reason"), "'-older");
  EXPECT_EQ(cell(rows, 1, "remediation"), "'@install Q259042");
  EXPECT_EQ(cell(rows, 1, "remediation_kind"), "hotfix");
  EXPECT_EQ(cell(rows, 1, "waiver_reason"), "vendor app, needs SP6");
  EXPECT_EQ(cell(rows, 1, "waiver_expires"), "2027-01-31");
  EXPECT_EQ(cell(rows, 1, "waiver_approver"), "J. Auditor");
  for (size_t r = 0; r < rows.size(); ++r)
    for (const auto& c : rows[r])
      EXPECT_TRUE(c.empty() || (c[0] != '=' && c[0] != '+' && c[0] != '-' && c[0] != '@')) << c;
  const auto ev = test::parse_csv(report::evidence_csv_header() + report::evidence_csv_rows(scanned));
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(cell(ev, 1, "host"), "'=HYPERLINK(\"http://x\")");
  EXPECT_EQ(cell(ev, 1, "file"), "'=evil.exe");
  EXPECT_EQ(cell(ev, 1, "required_kind"), "");

  const auto failed = ordered_json::parse(
      R"j({"host": "srv2", "root": "/mnt/b", "system_root": null, "error": "no boot.ini and no WINNT",
           "out_of_scope": null, "os": null, "notes": [], "findings": [], "plan": []})j");
  const auto error_rows = test::parse_csv(report::csv_header() + report::csv_rows(failed));
  ASSERT_EQ(error_rows.size(), 2u);
  EXPECT_EQ(cell(error_rows, 1, "host"), "srv2");
  EXPECT_EQ(cell(error_rows, 1, "status"), "error");
  EXPECT_EQ(cell(error_rows, 1, "reason"), "no boot.ini and no WINNT");
  EXPECT_EQ(cell(error_rows, 1, "kb"), "");
  EXPECT_EQ(report::evidence_csv_rows(failed), "") << "no evidence for a target not scanned";
}

}  // namespace
}  // namespace hfa
