// `hotfix-audit db import` as a user meets it: article texts in, database XML
// (or the extraction as JSON, or the coverage figures) out, and `scan --db`
// using what it wrote.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "kbdb/kbdb.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// An article of an installation's own: winlogon.exe, dated after the demo
// image's copy, on x86, for Server 4.0 SP6.
const char* kArticle =
    "---\nlayout: page\ntitle: \"Q987654: Handle Leak in a Test Component\"\n---\n\n"
    "## Q987654: Handle Leak in a Test Component\n\n"
    "\tArticle: Q987654\n"
    "\tProduct(s): Microsoft Windows NT\n"
    "\tVersion(s): winnt:4.0 SP6\n"
    "\tLast Modified: 12-JUN-2002\n"
    "\t\n"
    "\t-------------------------------------------------------------------------------\n"
    "\tThe information in this article applies to:\n"
    "\t\n"
    "\t- Microsoft Windows NT Server version 4.0 SP6 \n"
    "\t-------------------------------------------------------------------------------\n"
    "\t\n"
    "\tRESOLUTION\n"
    "\t==========\n"
    "\t\n"
    "\tThe English version of this fix should have the following file attributes or\n"
    "\tlater:\n"
    "\t\n"
    "\t  Date      Time                 Size    File name     Platform\n"
    "\t  -------------------------------------------------------------\n"
    "\t  06/01/02  04:30p               200,000 winlogon.exe  x86\n"
    "\t\n"
    "\tSTATUS\n"
    "\t======\n"
    "\t\n"
    "\tMicrosoft has confirmed this to be a problem in Windows NT 4.0.\n"
    "\t\n"
    "\t======================================================================\n"
    "\tHardware          : x86\n";

fs::path write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

TEST(DbImport, WritesDatabaseXmlThatScanUses) {
  test::TempDir dir;
  const auto article = write(dir.path() / "Q987654.txt", kArticle);
  const auto xml = dir.path() / "mine.xml";
  const auto r = test::run_tool("db import " + test::shell_quote(article.string()) + " --output " +
                                test::shell_quote(xml.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto loaded = kbdb::load_file(xml.string());
  for (const auto& d : loaded.diagnostics) ADD_FAILURE() << to_string(d);
  ASSERT_EQ(loaded.db.articles.size(), 1u);
  const auto& a = loaded.db.articles[0];
  EXPECT_EQ(a.id, "Q987654");
  ASSERT_EQ(a.files.size(), 1u);
  EXPECT_EQ(a.files[0].name, "winlogon.exe");
  EXPECT_EQ(to_string(*a.files[0].time), "16:30");
  EXPECT_EQ(a.files[0].size, 200000u);
  ASSERT_EQ(a.applies_to.size(), 1u);
  EXPECT_EQ(a.applies_to[0].service_packs, (std::vector<std::string>{"6"}));

  // scan --db: the imported article is judged next to the built-in ones.
  test::TempDir image;
  testdata::write_scenario(testdata::demo_scenario(), image.str());
  const auto scan = test::run_tool("scan --format json --db " + test::shell_quote(xml.string()) + " " +
                                   test::shell_quote(image.str()));
  ASSERT_EQ(scan.exit_code, 1) << scan.err;
  const auto findings = json::parse(scan.out).at("targets").at(0).at("findings");
  EXPECT_EQ(findings.size(), kbdb::builtin().articles.size() + 1);
  bool seen = false;
  for (const auto& f : findings) {
    if (f.at("kb") != "Q987654") continue;
    seen = true;
    EXPECT_EQ(f.at("status"), "missing") << f.dump(2);
    EXPECT_EQ(f.at("evidence").at(0).at("required").at("date"), "2002-06-01");
  }
  EXPECT_TRUE(seen);
}

TEST(DbImport, JsonGivesTheExtraction) {
  test::TempDir dir;
  const auto article = write(dir.path() / "Q987654.txt", kArticle);
  const auto r = test::run_tool("db import --format json " + test::shell_quote(article.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto list = nlohmann::ordered_json::parse(r.out);  // the keys in the order printed
  ASSERT_EQ(list.size(), 1u);
  const auto& a = list[0];
  std::vector<std::string> keys;
  for (const auto& [k, v] : a.items()) keys.push_back(k);
  ASSERT_GE(keys.size(), 8u);
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + 8),
            (std::vector<std::string>{"id", "title", "modified", "applies_to", "fixed_in_service_pack", "packages",
                                      "files", "problems"}));
  EXPECT_EQ(a.at("id"), "Q987654");
  EXPECT_EQ(a.at("title"), "Handle Leak in a Test Component");
  EXPECT_EQ(a.at("modified"), "2002-06-12");
  EXPECT_EQ(a.at("applies_to").dump(), R"(["Microsoft Windows NT Server version 4.0 SP6"])");
  EXPECT_TRUE(a.at("fixed_in_service_pack").is_null());
  EXPECT_TRUE(a.at("problems").empty());
  const auto& f = a.at("files").at(0);
  EXPECT_EQ(f.at("section"), "");
  EXPECT_EQ(f.at("date"), "2002-06-01");
  EXPECT_EQ(f.at("time"), "16:30");
  EXPECT_EQ(f.at("size"), 200000);
  EXPECT_EQ(f.at("name"), "winlogon.exe");
  EXPECT_EQ(f.at("platform"), "x86");
  EXPECT_TRUE(f.at("version").is_null());
}

TEST(DbImport, AnUnreadableTableIsNamedAndTheStatusIsOne) {
  test::TempDir dir;
  std::string bad = kArticle;
  bad.replace(bad.find("06/01/02"), 8, "6/01/200");
  write(dir.path() / "Q987654.txt", bad);
  write(dir.path() / "Q987655.txt", std::string(kArticle).replace(std::string(kArticle).find("Q987654: Handle"), 7, "Q987655"));
  write(dir.path() / "notes.md", "not an article, not read: only *.txt in a folder");
  const auto r = test::run_tool("db import --format json " + test::shell_quote(dir.str()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Q987654.txt: table at line 25: line 27: row 'winlogon.exe' kept, not read fully: date "
                       "'6/01/200' is not a date"),
            std::string::npos)
      << r.err;
  const auto list = json::parse(r.out);
  ASSERT_EQ(list.size(), 2u) << "the other article is still read";
  EXPECT_EQ(list[0].at("problems").size(), 1u);
  // The row is kept with every cell that could be read, and says which could not.
  ASSERT_EQ(list[0].at("files").size(), 1u);
  const auto& row = list[0].at("files").at(0);
  EXPECT_TRUE(row.at("date").is_null());
  EXPECT_EQ(row.at("time"), "16:30");
  EXPECT_EQ(row.at("size"), 200000);
  EXPECT_EQ(row.at("platform"), "x86");
  ASSERT_EQ(row.at("problems").size(), 1u);
  EXPECT_EQ(row.at("problems").at(0), "date '6/01/200' is not a date");
  EXPECT_TRUE(list[1].at("files").at(0).at("problems").empty());
  EXPECT_TRUE(list[1].at("problems").empty());
}

TEST(DbImport, StatsCountArticlesTablesRowsAndFailures) {
  test::TempDir dir;
  std::string bad = kArticle;
  bad.replace(bad.find("06/01/02"), 8, "xx/xx/xx");
  write(dir.path() / "a.txt", kArticle);
  write(dir.path() / "b.txt", bad);
  const auto r = test::run_tool("db import --stats " + test::shell_quote(dir.str()));
  EXPECT_EQ(r.exit_code, 1) << "b.txt was not read fully\n" << r.err;
  EXPECT_NE(r.out.find("articles read:          2\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("articles read fully:    1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tables found:           2\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tables read fully:      1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rows extracted:         2\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rows read fully:        1 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("b.txt: table at line 25: line 27: row 'winlogon.exe' kept, not read fully: date 'xx/xx/xx' is a "
                       "placeholder, not a value"),
            std::string::npos)
      << r.out;
}

// The built-in selection keeps an article with a file table and names the one
// with no fix evidence, with its reason, on stderr.
TEST(DbImport, SelectLeavesOutArticlesWithoutFixEvidenceAndSaysWhy) {
  test::TempDir dir;
  write(dir.path() / "Q987654.txt", kArticle);
  std::string bare = kArticle;
  const auto from = bare.find("\tThe English version");
  bare.replace(from, bare.find("\tSTATUS") - from, "\tContact Microsoft Product Support Services for the fix.\n\t\n");
  for (size_t p; (p = bare.find("Q987654")) != std::string::npos;) bare.replace(p, 7, "Q987656");
  write(dir.path() / "Q987656.txt", bare);
  const auto out = dir.path() / "selected.xml";
  const auto r = test::run_tool("db import --select nt4-leak " + test::shell_quote(dir.str()) + " -o " +
                                test::shell_quote(out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Q987656.txt: left out, no fix evidence: no file table, no fixing service pack; STATUS: "
                       "\"Microsoft has confirmed this to be a problem in Windows NT 4.0.\""),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("selected 1 of 2 nt4-leak article texts (1 distinct articles); left out: 0 not read fully, 1 without fix evidence"),
            std::string::npos)
      << r.err;
  const auto loaded = kbdb::load_file(out.string());
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded.db.articles.size(), 1u);
  EXPECT_EQ(loaded.db.articles[0].id, "Q987654");

  // The same article tagged kbWinNT4sp6fix has a fixing service pack: kept, with its source.
  std::string tagged = bare;
  tagged.replace(tagged.find("\tHardware"), 0, "\tKeywords          : kbWinNT4sp6fix \n");
  write(dir.path() / "Q987656.txt", tagged);
  const auto k = test::run_tool("db import --select nt4-leak " + test::shell_quote(dir.str()));
  ASSERT_EQ(k.exit_code, 0) << k.err;
  EXPECT_NE(k.out.find("<fixed-in service-pack=\"6\" source=\"keywords\" from="), std::string::npos) << k.out;
  EXPECT_NE(k.err.find("selected 2 of 2"), std::string::npos) << k.err;
  const auto j = test::run_tool("db import --format json " + test::shell_quote((dir.path() / "Q987656.txt").string()));
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const auto a = json::parse(j.out).at(0);
  EXPECT_EQ(a.at("fixed_in_service_pack"), "6");
  EXPECT_EQ(a.at("fixed_in_service_pack_source"), "keywords");
  EXPECT_EQ(a.at("fixed_in").at(0).at("source"), "keywords");
}

TEST(DbImport, MissingInputIsAnError) {
  const auto r = test::run_tool("db import /nonexistent/article.txt");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/article.txt"), std::string::npos) << r.err;
}

TEST(DbImport, DbListShowsTheLargerBuiltInDatabase) {
  const auto r = test::run_tool("db list");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* seed : {"Q170626", "Q223770", "Q225095", "Q257647", "Q259042"})
    EXPECT_NE(r.out.find(seed), std::string::npos) << seed;
  size_t lines = 0;
  for (char c : r.out) lines += c == '\n';
  EXPECT_EQ(lines, kbdb::builtin().articles.size() + 1) << "a header and one line per article";
  EXPECT_GT(kbdb::builtin().articles.size(), 50u);
}

// The opt-in whole NT 4.0 catalogue: it loads without a diagnostic, holds the
// fix lists with their service pack, and --db-profile adds it to the built-in one.
TEST(DbImport, TheNt4AllProfileLoadsAndDbListShowsIt) {
  const auto loaded = kbdb::load_file(std::string(HFA_SOURCE_DIR) + "/kbdb/nt4-all.xml");
  for (const auto& d : loaded.diagnostics) ADD_FAILURE() << kbdb::to_string(d);
  EXPECT_GT(loaded.db.articles.size(), 1500u);
  const auto* sp6 = loaded.db.find("Q241211");
  ASSERT_NE(sp6, nullptr);
  EXPECT_EQ(sp6->kind, "fix-list");
  ASSERT_TRUE(sp6->lists);
  EXPECT_EQ(sp6->lists->service_pack, "6");
  EXPECT_GT(sp6->contains.size(), 100u);
  const auto r = test::run_tool("db list --db-profile nt4-all");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(std::count(r.out.begin(), r.out.end(), '\n'), 1500);
  EXPECT_NE(r.out.find("Q241211"), std::string::npos);
  const auto bad = test::run_tool("db list --db-profile nt5-all");
  EXPECT_NE(bad.exit_code, 0);
}

}  // namespace
}  // namespace hfa
