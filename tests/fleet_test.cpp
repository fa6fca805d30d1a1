// A fleet as an auditor meets it: host lists, a parallel scan whose output does
// not depend on --jobs, several outputs from one scan, CSV, merging shards, and
// the HTML report read back both as a document tree and in a real browser.
#include "fleet/fleet.h"

#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>
#include <set>

#include "fleet/fleet.h"
#include "kbdb/kbdb.h"
#include "report/csv_report.h"
#include "report/scan_report.h"
#include "testdata/pe_writer.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Whole reports compared byte for byte. Not EXPECT_EQ: on a mismatch gtest
// diffs the two strings line by line, which for a fleet's report takes more
// memory than the machine has; the first difference is enough to start from.
testing::AssertionResult same_bytes(const std::string& got, const std::string& want) {
  if (got == want) return testing::AssertionSuccess();
  const auto at =
      std::mismatch(got.begin(), got.begin() + std::min(got.size(), want.size()), want.begin()).first - got.begin();
  return testing::AssertionFailure() << "got " << got.size() << " bytes, want " << want.size()
                                     << "; first difference at byte " << at << ": got '" << got.substr(at, 80)
                                     << "', want '" << want.substr(at, 80) << "'";
}

TEST(FleetHosts, TargetsFileNamesHostsAndSkipsComments) {
  const auto list = fleet::parse_targets(
      "# the share\n\n  /mnt/audit/HOST1  \nSRV2 = /mnt/audit/b\n  # indented comment\nODD=/mnt/a=b\n=/mnt/x\n",
      "hosts.txt");
  ASSERT_EQ(list.hosts.size(), 3u);
  EXPECT_EQ(list.hosts[0].name, "/mnt/audit/HOST1");
  EXPECT_EQ(list.hosts[0].root, "/mnt/audit/HOST1");
  EXPECT_EQ(list.hosts[1].name, "SRV2");
  EXPECT_EQ(list.hosts[1].root, "/mnt/audit/b");
  EXPECT_EQ(list.hosts[2].name, "ODD");
  EXPECT_EQ(list.hosts[2].root, "/mnt/a=b");
  ASSERT_EQ(list.errors.size(), 1u);
  EXPECT_EQ(list.errors[0].rfind("hosts.txt:7: expected ROOT or NAME=ROOT", 0), 0u) << list.errors[0];
  EXPECT_EQ(fleet::read_targets_file("/nonexistent/hosts.txt").errors.size(), 1u);
}

TEST(FleetHosts, HostsUnderAreTheSubFoldersSortedByName) {
  test::TempDir dir;
  for (const char* n : {"zeta", "Alpha", "mid", ".snapshot"}) fs::create_directory(dir.path() / n);
  std::ofstream(dir.path() / "not-a-host.txt") << "x";
  const auto list = fleet::hosts_under(dir.str());
  ASSERT_TRUE(list.errors.empty());
  ASSERT_EQ(list.hosts.size(), 3u);
  EXPECT_EQ(list.hosts[0].name, "Alpha");
  EXPECT_EQ(list.hosts[1].name, "mid");
  EXPECT_EQ(list.hosts[2].name, "zeta");
  EXPECT_EQ(list.hosts[2].root, (dir.path() / "zeta").string());
  EXPECT_FALSE(fleet::hosts_under((dir.path() / "absent").string()).errors.empty());
}

TEST(FleetHosts, HostsUnderSkipsLinksSayingSoAndNeverFollowsOneSwappedIn) {
  test::TempDir dir;
  fs::create_directory(dir.path() / "real");
  fs::create_directory_symlink("/", dir.path() / "evil");
  const auto list = fleet::hosts_under(dir.str());
  ASSERT_EQ(list.hosts.size(), 1u);
  EXPECT_EQ(list.hosts[0].name, "real");
  ASSERT_EQ(list.notes.size(), 1u);
  EXPECT_EQ(list.notes[0],
            dir.str() + ": skipped 'evil': a symbolic link, not a folder (give its target as a ROOT to scan it)");
  // The folder listed is swapped for a link to / before its scan: not followed.
  fs::remove(dir.path() / "real");
  fs::create_directory_symlink("/", dir.path() / "real");
  const auto targets = fleet::scan_host(list.hosts[0], kbdb::builtin());
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].error, (dir.path() / "real").string() + ": a symbolic link, not a folder: not followed");
  const auto r = test::run_tool("scan --format json --hosts-under " + test::shell_quote(dir.str()));
  EXPECT_NE(r.err.find("hotfix-audit: note: " + dir.str() + ": skipped 'evil'"), std::string::npos) << r.err;
}

// --shard K/N takes contiguous parts as even as can be: every host in exactly
// one shard, in input order, whatever N (even more shards than hosts).
TEST(FleetHosts, ShardsAreContiguousPartsCoveringEveryHostOnce) {
  std::vector<fleet::Host> hosts;
  for (int i = 0; i < 10; ++i) hosts.push_back(fleet::host_of_root("h" + std::to_string(i)));
  for (size_t n : {1u, 3u, 4u, 10u, 13u}) {
    std::vector<std::string> joined;
    for (size_t k = 1; k <= n; ++k) {
      const auto part = fleet::shard_of(hosts, {k, n});
      EXPECT_LE(part.size(), hosts.size() / n + 1) << k << "/" << n;
      EXPECT_GE(part.size(), hosts.size() / n) << k << "/" << n;
      for (const auto& h : part) joined.push_back(h.name);
    }
    std::vector<std::string> names;
    for (const auto& h : hosts) names.push_back(h.name);
    EXPECT_EQ(joined, names) << n << " shards";
  }
  const auto two_of_three = fleet::shard_of(hosts, {2, 3});
  ASSERT_EQ(two_of_three.size(), 3u);
  EXPECT_EQ(two_of_three.front().name, "h3");

  const auto parsed = fleet::parse_shard("2/8");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->index, 2u);
  EXPECT_EQ(parsed->count, 8u);
  for (const char* bad : {"", "2", "/8", "2/", "0/8", "9/8", "2/0", "-1/8", "+1/8", "1/8/2", " 1/8", "99999999999/1"})
    EXPECT_FALSE(fleet::parse_shard(bad)) << "'" << bad << "'";
}

TEST(FleetRun, HandsHostsOverInInputOrderWhateverFinishesFirst) {
  test::TempDir dir;
  std::vector<fleet::Host> hosts;
  for (int i = 0; i < 40; ++i) {
    // Every third host is a real (if empty) folder: slower to scan than a path that does not exist.
    const auto root = dir.path() / ("host" + std::to_string(i));
    if (i % 3 == 0) fs::create_directory(root);
    hosts.push_back({"name" + std::to_string(i), root.string(), true});
  }
  const auto db = kbdb::builtin();
  for (unsigned jobs : {1u, 3u}) {
    std::vector<size_t> order;
    fleet::RunOptions options;
    options.jobs = jobs;
    options.window = 2;
    fleet::run(hosts, db, options, [&](size_t index, std::vector<scan::Target>&& targets) {
      order.push_back(index);
      ASSERT_EQ(targets.size(), 1u);
      EXPECT_EQ(targets[0].host, hosts[index].name);
      EXPECT_EQ(targets[0].root, hosts[index].root);
      EXPECT_FALSE(targets[0].error.empty()) << "no Windows there, yet no error";
    });
    ASSERT_EQ(order.size(), hosts.size());
    for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i) << "jobs " << jobs;
  }
}

// Issue 14, hostile evidence 4: one host whose scan never ends (here a
// scan that waits until the test releases it, as a FIFO or a hung share would
// wait for ever) is reported as not scanned after --host-timeout and the other
// 19 hosts of a 20-host fleet with two jobs are scanned and handed over.
TEST(FleetRun, AHangingHostIsReportedAfterItsDeadlineAndTheFleetEnds) {
  test::TempDir dir;
  testdata::write_scenario(testdata::demo_scenario(), dir.str());
  std::vector<fleet::Host> hosts;
  for (int i = 0; i < 20; ++i) hosts.push_back({"host" + std::to_string(i), dir.str(), true});
  const auto db = kbdb::builtin();
  auto release = std::make_shared<std::promise<void>>();
  std::shared_future<void> released = release->get_future().share();
  fleet::RunOptions options;
  options.jobs = 2;
  options.host_timeout = std::chrono::seconds(3);
  options.scan = [&db, released](const fleet::Host& h) {
    if (h.name == "host7") {
      released.wait();  // hangs until the end of the test
      return std::vector<scan::Target>{};
    }
    return fleet::scan_host(h, db);
  };
  std::vector<std::string> errors(hosts.size());
  size_t handed = 0;
  const auto start = std::chrono::steady_clock::now();
  fleet::run(hosts, db, options, [&](size_t index, std::vector<scan::Target>&& targets) {
    ASSERT_EQ(targets.size(), 1u);
    EXPECT_EQ(targets[0].host, hosts[index].name);
    errors[index] = targets[0].error;
    if (targets[0].error.empty()) {
      EXPECT_FALSE(targets[0].findings.empty());
    }
    ++handed;
  });
  const auto took = std::chrono::steady_clock::now() - start;
  release->set_value();
  EXPECT_EQ(handed, 20u);
  for (size_t i = 0; i < errors.size(); ++i) {
    if (i == 7) {
      EXPECT_EQ(errors[i],
                "not scanned: the scan did not end within the host timeout of 3 s (--host-timeout); its worker was "
                "abandoned and the fleet went on");
    } else {
      EXPECT_EQ(errors[i], "") << i;
    }
  }
  // The deadline, plus the 19 real scans, with room for a loaded machine.
  EXPECT_LT(took, std::chrono::seconds(30));
  EXPECT_GE(took, std::chrono::seconds(3));
}

TEST(Csv, CellsAreQuotedAndFormulasNeutralised) {
  EXPECT_EQ(report::csv_cell("plain"), "plain");
  EXPECT_EQ(report::csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(report::csv_cell("+1"), "'+1");
  EXPECT_EQ(report::csv_cell("-1"), "'-1");
  EXPECT_EQ(report::csv_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(report::csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(report::csv_cell("two\nlines"), "\"two\nlines\"");
}

using test::parse_csv;

// 200 hosts: every scenario in turn (hard-linked copies of one written tree
// each), a few unreadable ones (vanished, a file instead of a folder), a host
// whose name is markup, one whose name is a formula, and one whose winlogon.exe
// carries a FileVersion string with "&<>.
class Fleet : public ::testing::Test {
 protected:
  struct HostInfo {
    std::string name;
    std::string expected_error;  // "" : scanned
    size_t installations = 1;
    int expected_exit = 0;
  };
  static inline std::unique_ptr<test::TempDir> dir;
  static inline std::vector<HostInfo> hosts;
  static inline std::string targets_file, good_targets_file;
  static constexpr const char* kMarkupHost = "<script>alert(1)</script>";
  static constexpr const char* kPeString = "4.0.1381.100 \"&<>";

  static void SetUpTestSuite() {
    // Runs started apart (a killed one, GNU parallel) report the same times.
    ::setenv("SOURCE_DATE_EPOCH", "1764504000", 0);
    dir = std::make_unique<test::TempDir>();
    auto scenarios = testdata::all_scenarios();
    scenarios.push_back(testdata::demo_scenario());
    auto odd = testdata::demo_scenario();
    odd.name = "odd-strings";
    for (auto& f : odd.files)
      if (f.path.size() >= 12 && f.path.compare(f.path.size() - 12, 12, "winlogon.exe") == 0) {
        testdata::PeSpec spec;
        spec.link_time = 949538760;
        spec.file_version = Version{4, 0, 1381, 100};
        spec.strings = {{"CompanyName", "Microsoft Corporation"}, {"FileVersion", kPeString}};
        spec.size = f.bytes.size();
        f.bytes = testdata::write_pe(spec);
      }
    const auto trees = dir->path() / "trees";
    for (const auto& s : scenarios) testdata::write_scenario(s, (trees / s.name).string());
    testdata::write_scenario(odd, (trees / odd.name).string());
    std::ofstream(dir->path() / "a-file") << "not a drive";

    std::ofstream list(dir->path() / "hosts.txt"), good(dir->path() / "good.txt");
    list << "# 200 generated hosts\n";
    for (int i = 0; i < 200; ++i) {
      HostInfo h;
      char name[64];
      std::string root;
      const auto& s = scenarios[i % scenarios.size()];
      std::snprintf(name, sizeof name, "h%03d-%s", i, s.name.c_str());
      h.name = name;
      if (i == 0) h.name = kMarkupHost;
      if (i == 1) h.name = "+1+1";
      if (i % 50 == 17) {
        root = (dir->path() / "vanished" / name).string();
        h.expected_error = "vanished";
      } else if (i % 50 == 33) {
        root = (dir->path() / "a-file").string();
        h.expected_error = "a-file";
      } else {
        const auto& from = i == 0 ? odd : s;
        root = (dir->path() / "hosts" / name).string();
        fs::create_directories(root);
        fs::copy(trees / from.name, root,
                 fs::copy_options::recursive | fs::copy_options::create_hard_links | fs::copy_options::copy_symlinks);
        h.expected_error = from.expected_error.empty() ? "" : from.expected_error;
        h.installations = from.expected_error.empty() ? from.expected.size() : 1;
        h.expected_exit = from.expected_exit;
        if (h.expected_error.empty()) good << h.name << "=" << root << "\n";
      }
      list << h.name << "=" << root << "\n";
      hosts.push_back(h);
    }
    // A name a targets file cannot give (it starts with '='): a folder under --hosts-under.
    HostInfo formula{"=1+1", "", scenarios[0].expected.size(), scenarios[0].expected_exit};
    fs::create_directories(dir->path() / "more" / formula.name);
    fs::copy(trees / scenarios[0].name, dir->path() / "more" / formula.name,
             fs::copy_options::recursive | fs::copy_options::create_hard_links | fs::copy_options::copy_symlinks);
    hosts.push_back(formula);
    targets_file = (dir->path() / "hosts.txt").string();
    good_targets_file = (dir->path() / "good.txt").string();
  }
  static void TearDownTestSuite() { dir.reset(); }

  static test::RunResult scan(const std::string& args) {
    return test::run_tool("scan --quiet --targets " + test::shell_quote(targets_file) + " --hosts-under " +
                          test::shell_quote((dir->path() / "more").string()) + " " + args);
  }
  static std::string file(const std::string& name) { return (dir->path() / name).string(); }
};

TEST_F(Fleet, SameJsonWithOneJobAndTwoAndEveryHostAccountedFor) {
  const auto one = scan("--format json --jobs 1");
  const auto two = scan("--format json --jobs 2");
  ASSERT_FALSE(one.out.empty()) << one.err;
  EXPECT_EQ(one.exit_code, 2) << one.err;  // some hosts could not be scanned
  EXPECT_EQ(two.exit_code, 2) << two.err;
  ASSERT_EQ(one.out, two.out) << one.err;
  const auto doc = json::parse(one.out);
  const auto& targets = doc.at("targets");
  size_t t = 0;
  for (const auto& h : hosts) {
    for (size_t k = 0; k < h.installations; ++k, ++t) {
      ASSERT_LT(t, targets.size());
      const auto& target = targets[t];
      ASSERT_EQ(target.at("host"), h.name) << "hosts out of input order at " << t;
      if (!h.expected_error.empty()) {
        ASSERT_TRUE(target.at("error").is_string()) << target.dump(2);
        EXPECT_NE(target.at("error").get<std::string>().find(h.expected_error), std::string::npos) << target.dump(2);
        EXPECT_TRUE(target.at("findings").empty());
      } else {
        EXPECT_TRUE(target.at("error").is_null()) << target.dump(2);
        if (target.at("out_of_scope").is_string())  // not judged: no finding
          EXPECT_TRUE(target.at("findings").empty()) << h.name;
        else
          EXPECT_EQ(target.at("findings").size(), doc.at("database").at("articles").size()) << h.name;
      }
    }
  }
  EXPECT_EQ(t, targets.size());
  EXPECT_EQ(doc.at("summary").at("targets"), targets.size());

  // Without the unreadable hosts, the exit status is the worst of the scenarios'.
  int worst = 0;
  for (const auto& h : hosts)
    if (h.expected_error.empty()) worst = report::worse_exit_status(worst, h.expected_exit);
  const auto good =
      test::run_tool("scan --quiet --jobs 2 --format json --targets " + test::shell_quote(good_targets_file));
  EXPECT_EQ(good.exit_code, worst) << good.err;
}

TEST_F(Fleet, SeveralOutputsFromOneScanAreStableRunAfterRun) {
  std::map<std::string, std::string> first;
  for (int run = 0; run < 2; ++run) {
    const auto r = scan("--jobs 2 --no-timestamps -o json=" + file("a.json") + " -o csv=" + file("a.csv") +
                        " -o jsonl=" + file("a.jsonl") + " -o html=" + file("a.html"));
    ASSERT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(r.out.empty()) << "everything went to files";
    for (const char* f : {"a.json", "a.csv", "a.jsonl", "a.html"}) {
      const auto text = test::read_text(file(f));
      ASSERT_FALSE(text.empty()) << f;
      if (run == 0)
        first[f] = text;
      else
        EXPECT_EQ(text, first[f]) << f << " differs between two runs";
    }
  }
  // The JSON file is what --format json prints; each JSONL line is one of its targets
  // (and its schema_version).
  const auto single = scan("--jobs 1 --format json");
  EXPECT_EQ(first["a.json"], single.out);
  const auto doc = json::parse(first["a.json"]);
  std::istringstream lines(first["a.jsonl"]);
  std::string line;
  size_t n = 0;
  // A line read alone says its schema and carries its run's provenance; the
  // document says both once for all targets.
  for (; std::getline(lines, line); ++n) {
    auto target = json::parse(line);
    EXPECT_EQ(target.at("schema_version"), doc.at("schema_version"));
    EXPECT_TRUE(target.contains("provenance"));
    target.erase("schema_version");
    target.erase("provenance");
    EXPECT_EQ(target, doc.at("targets").at(n));
  }
  EXPECT_EQ(n, doc.at("targets").size());

  // CSV: the right number of columns on every row, a row per target and article.
  const auto rows = parse_csv(first["a.csv"]);
  ASSERT_FALSE(rows.empty());
  const auto columns = rows[0].size();
  EXPECT_EQ(rows[0][0], "host");
  size_t expected_rows = 1;
  // One row for a host not scanned and for an installation out of scope.
  for (const auto& t : doc.at("targets"))
    expected_rows += t.at("error").is_null() && t.at("out_of_scope").is_null() ? t.at("findings").size() : 1;
  EXPECT_EQ(rows.size(), expected_rows);
  bool saw_formula_host = false, saw_plus_host = false, saw_error = false;
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), columns);
    EXPECT_NE(row[0].substr(0, 1), "=") << "formula not neutralised";
    saw_formula_host = saw_formula_host || row[0] == "'=1+1";
    saw_plus_host = saw_plus_host || row[0] == "'+1+1";
    saw_error = saw_error || row[8] == "error";
  }
  EXPECT_TRUE(saw_formula_host);
  EXPECT_TRUE(saw_plus_host);
  EXPECT_TRUE(saw_error);

  // The HTML is one document tree: every host a section, the markup host as text.
  pugi::xml_document html;
  ASSERT_TRUE(html.load_string(first["a.html"].c_str())) << "the report is not well-formed";
  EXPECT_EQ(html.select_nodes("//section[@class='host']").size(), doc.at("targets").size());
  EXPECT_EQ(html.select_nodes("//script").size(), 1u);
  EXPECT_EQ(html.select_nodes("//link").size(), 0u);  // nothing fetched from elsewhere
  EXPECT_EQ(std::string(html.select_node("//section[@id='host-0']/h3").node().text().get()).rfind(kMarkupHost, 0), 0u);
  EXPECT_EQ(first["a.html"].find("<script>alert"), std::string::npos);
  EXPECT_FALSE(html.select_node("//td[contains(., '1381.100 \"&<>')]").node().empty());
}

// Every format is written host by host, its summary and overview last, from
// counts: they must agree with the hosts written before (or, in the HTML, after)
// them, row for row and in order.
TEST_F(Fleet, SummariesAndOverviewAgreeWithTheHostsWrittenOneByOne) {
  const auto r = scan("--jobs 2 --no-timestamps -o json=" + file("s.json") + " -o html=" + file("s.html") +
                      " -o text=" + file("s.txt"));
  ASSERT_EQ(r.exit_code, 2) << r.err;
  const auto doc = json::parse(test::read_text(file("s.json")));
  const auto& targets = doc.at("targets");
  const auto& articles = doc.at("database").at("articles");
  size_t installations = 0;
  for (const auto& h : hosts) installations += h.installations;
  ASSERT_EQ(targets.size(), installations);
  std::map<std::string, int> per_status;
  std::vector<std::string> failed_hosts;
  int out_of_scope = 0;
  for (const auto& t : targets) {
    if (t.at("error").is_string()) failed_hosts.push_back(t.at("host"));
    if (t.at("out_of_scope").is_string()) ++out_of_scope;
    for (const auto& f : t.at("findings")) ++per_status[f.at("status").get<std::string>()];
  }
  ASSERT_FALSE(failed_hosts.empty());
  const auto& summary = doc.at("summary");
  EXPECT_EQ(summary.at("targets"), targets.size());
  EXPECT_EQ(summary.at("failed_targets"), failed_hosts.size());
  EXPECT_EQ(summary.at("out_of_scope_targets"), out_of_scope);
  for (const auto& [status, n] : per_status) EXPECT_EQ(summary.at("findings").at(status), n) << status;
  for (const auto& [status, n] : summary.at("findings").items()) EXPECT_EQ(n, per_status[status]) << status;
  EXPECT_EQ(summary.at("exit_status"), test::exit_status_implied(doc));

  pugi::xml_document html;
  ASSERT_TRUE(html.load_string(test::read_text(file("s.html")).c_str()));
  // The matrix has a column for each article with a counted finding on some
  // host, most missing first, and none for the others.
  std::map<std::string, int> missing_of;
  std::set<std::string> problem_kbs;
  for (const auto& t : targets)
    for (const auto& f : t.at("findings")) {
      if (report::counts_against(f.at("status").get<std::string>())) problem_kbs.insert(f.at("kb"));
      if (f.at("status") == "missing") ++missing_of[f.at("kb")];
    }
  ASSERT_FALSE(problem_kbs.empty());
  ASSERT_LT(problem_kbs.size(), articles.size());
  const auto matrix = html.select_node("//table[@id='host-matrix']").node();
  const auto columns = matrix.select_nodes("thead/tr/th");
  ASSERT_EQ(columns.size(), problem_kbs.size() + 1);
  std::set<std::string> column_kbs;
  for (size_t i = 1; i < columns.size(); ++i) {
    column_kbs.insert(columns[i].node().text().get());
    if (i > 1) {
      EXPECT_GE(missing_of[columns[i - 1].node().text().get()], missing_of[columns[i].node().text().get()]);
    }
  }
  EXPECT_EQ(column_kbs, problem_kbs);
  const auto rows = matrix.select_nodes("tr[@data-host]");
  const auto sections = html.select_nodes("//section[@class='host']");
  ASSERT_EQ(rows.size(), targets.size());
  ASSERT_EQ(sections.size(), targets.size());
  for (size_t i = 0; i < targets.size(); ++i) {
    const auto row = rows[i].node(), section = sections[i].node();
    const auto host = targets[i].at("host").get<std::string>();
    EXPECT_EQ(row.attribute("data-host").value(), host) << i;
    EXPECT_EQ(row.select_node("th/a").node().attribute("href").value(), "#host-" + std::to_string(i));
    EXPECT_EQ(section.attribute("id").value(), "host-" + std::to_string(i));
    EXPECT_EQ(section.attribute("data-host").value(), host) << i;
    const bool one_cell = targets[i].at("error").is_string() || targets[i].at("out_of_scope").is_string();
    EXPECT_EQ(row.select_nodes("td").size(), one_cell ? 1 : problem_kbs.size()) << host;
  }
  auto count = [&](const std::string& id) {
    return std::stoi(html.select_node(("//*[@id='" + id + "']").c_str()).node().text().get());
  };
  for (const auto& [status, n] : per_status) EXPECT_EQ(count("count-" + status), n) << status;
  EXPECT_EQ(count("count-failed"), int(failed_hosts.size()));
  EXPECT_EQ(count("count-out-of-scope"), out_of_scope);
  const auto failed_rows = html.select_nodes("//table[@id='failed-hosts']/tr[td]");
  ASSERT_EQ(failed_rows.size(), failed_hosts.size());
  for (size_t i = 0; i < failed_hosts.size(); ++i)
    EXPECT_EQ(failed_rows[i].node().first_child().text().get(), failed_hosts[i]);

  // The closing count line, wrapped at 100 columns.
  const auto text = test::unwrapped(test::read_text(file("s.txt")));
  const auto last = text.substr(text.rfind(std::to_string(targets.size()) + " targets, "));
  EXPECT_EQ(last,
            std::to_string(targets.size()) + " targets, " + std::to_string(failed_hosts.size()) + " not scanned: " +
                std::to_string(per_status["fixed"]) + " fixed, " + std::to_string(per_status["missing"]) +
                " missing, " + std::to_string(per_status["inconsistent"]) + " inconsistent, " +
                std::to_string(per_status["unknown"]) + " unknown, " + std::to_string(per_status["not-applicable"]) +
                " not-applicable, " + std::to_string(per_status["waived"]) + " waived ");
}
TEST_F(Fleet, ShardsMergeIntoTheSameReport) {
  const auto whole = scan("--jobs 2 --format json");
  std::ifstream in(targets_file);
  std::ofstream a(file("shard-a.txt")), b(file("shard-b.txt"));
  std::string line;
  for (int i = 0; std::getline(in, line); ++i) (i % 2 ? b : a) << line << "\n";
  a.close(), b.close();
  // Not interleaved: shard a holds the even lines, b the odd ones; merged in that order.
  for (const std::string shard : {"shard-a", "shard-b"}) {
    const auto more = shard == "shard-b" ? " --hosts-under " + test::shell_quote(file("more")) : "";
    const auto r = test::run_tool("scan --quiet --format jsonl" + more + " --targets " +
                                  test::shell_quote(file(std::string(shard) + ".txt")) + " -o " +
                                  test::shell_quote(file(std::string(shard) + ".jsonl")));
    // Each shard exits as its own hosts imply (which shard holds an unreadable host
    // depends on how many scenarios there are).
    json shard_doc{{"targets", json::array()}};
    std::ifstream lines(file(std::string(shard) + ".jsonl"));
    for (std::string l; std::getline(lines, l);) shard_doc["targets"].push_back(json::parse(l));
    ASSERT_EQ(r.exit_code, test::exit_status_implied(shard_doc)) << r.err;
  }
  const auto merged = test::run_tool("report merge " + test::shell_quote(file("shard-a.jsonl")) + " " +
                                     test::shell_quote(file("shard-b.jsonl")) + " --format json");
  EXPECT_EQ(merged.exit_code, 2) << merged.err;
  const auto m = json::parse(merged.out), w = json::parse(whole.out);
  EXPECT_EQ(m.at("summary"), w.at("summary"));
  EXPECT_EQ(m.at("database"), w.at("database"));
  EXPECT_EQ(m.at("targets").size(), w.at("targets").size());

  // One run's JSONL merged alone gives that run's JSON and HTML, byte for byte.
  const auto run = scan("--jobs 2 --no-timestamps -o jsonl=" + file("run.jsonl") + " -o json=" + file("run.json") +
                        " -o html=" + file("run.html"));
  ASSERT_EQ(run.exit_code, 2) << run.err;
  const auto again = test::run_tool("report merge --no-timestamps " + test::shell_quote(file("run.jsonl")) +
                                    " -o json=" + test::shell_quote(file("merged.json")) +
                                    " -o html=" + test::shell_quote(file("merged.html")));
  EXPECT_EQ(again.exit_code, 2) << again.err;
  EXPECT_EQ(test::read_text(file("merged.json")), test::read_text(file("run.json")));
  EXPECT_EQ(test::read_text(file("merged.html")), test::read_text(file("run.html")));

  std::ofstream(file("bad.jsonl")) << "{\"root\": \"x\", \"findings\": []}\nnot json\n";
  const auto bad = test::run_tool("report merge " + test::shell_quote(file("bad.jsonl")));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.jsonl:2: not JSON"), std::string::npos) << bad.err;
}

// --shard K/N: shards 1..3 scanned apart and merged in order are the single
// run, byte for byte (contiguous parts keep the input order).
TEST_F(Fleet, ShardFlagThreePartsMergedEqualOneRunByteForByte) {
  const auto whole = scan("--jobs 2 --format json");
  ASSERT_EQ(whole.exit_code, 2) << whole.err;
  std::string files;
  size_t lines = 0;
  for (int k = 1; k <= 3; ++k) {
    const auto out = file("part-" + std::to_string(k) + ".jsonl");
    const auto r = scan("--jobs 2 --shard " + std::to_string(k) + "/3 -o jsonl=" + test::shell_quote(out));
    ASSERT_NE(r.exit_code, -1) << r.err;
    const auto text = test::read_text(out);
    ASSERT_FALSE(text.empty()) << "shard " << k << " scanned no host";
    lines += std::count(text.begin(), text.end(), '\n');
    files += " " + test::shell_quote(out);
  }
  EXPECT_EQ(lines, json::parse(whole.out).at("targets").size());
  const auto merged = test::run_tool("report merge --format json" + files);
  EXPECT_EQ(merged.exit_code, whole.exit_code) << merged.err;
  EXPECT_TRUE(same_bytes(merged.out, whole.out));

  for (const char* bad : {"0/3", "4/3", "3", "a/3", "1/0", "-1/3"}) {
    const auto r = scan("--shard=" + std::string(bad) + " --format jsonl");
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("expected K/N"), std::string::npos) << bad << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << bad;
  }
}

// A run killed mid-way left 2 complete lines and half a third: --resume cuts
// the half line away (saying so), scans the rest, and the file is then what one
// uninterrupted run writes.
TEST_F(Fleet, ResumeAfterAKilledRunCompletesTheRestAsOneRun) {
  const auto full = scan("--jobs 2 -o jsonl=" + test::shell_quote(file("full.jsonl")));
  ASSERT_EQ(full.exit_code, 2) << full.err;
  const auto text = test::read_text(file("full.jsonl"));
  size_t cut = text.find('\n');
  cut = text.find('\n', cut + 1) + 1;
  const auto third = text.find('\n', cut);
  ASSERT_NE(third, std::string::npos);
  std::ofstream(file("killed.jsonl"), std::ios::binary) << text.substr(0, cut + (third - cut) / 2);

  const auto resumed = scan("--jobs 2 --resume " + test::shell_quote(file("killed.jsonl")));
  EXPECT_EQ(resumed.exit_code, full.exit_code) << resumed.err;
  EXPECT_NE(resumed.err.find("killed.jsonl:3: discarded a half-written last line"), std::string::npos) << resumed.err;
  EXPECT_TRUE(same_bytes(test::read_text(file("killed.jsonl")), text));

  // Resumed again once complete: only the last host is scanned again, the file unchanged.
  const auto again = scan("--jobs 2 --resume " + test::shell_quote(file("killed.jsonl")));
  EXPECT_EQ(again.exit_code, full.exit_code) << again.err;
  EXPECT_EQ(again.err.find("half-written"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find(", 1 to scan\n"), std::string::npos) << again.err;
  EXPECT_TRUE(same_bytes(test::read_text(file("killed.jsonl")), text));

  // No file yet: the first run of a job that may be requeued.
  const auto fresh = scan("--jobs 2 --resume " + test::shell_quote(file("fresh.jsonl")));
  EXPECT_EQ(fresh.exit_code, full.exit_code) << fresh.err;
  EXPECT_TRUE(same_bytes(test::read_text(file("fresh.jsonl")), text));

  // A complete line that is not a target: the file is left alone.
  std::ofstream(file("other.jsonl"), std::ios::binary) << "{\"not\": \"a target\"}\n";
  const auto other = scan("--resume " + test::shell_quote(file("other.jsonl")));
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("other.jsonl:1: expected a target"), std::string::npos) << other.err;
  EXPECT_EQ(test::read_text(file("other.jsonl")), "{\"not\": \"a target\"}\n");
  const auto with_json = scan("--resume " + test::shell_quote(file("fresh.jsonl")) + " -o json");
  EXPECT_EQ(with_json.exit_code, 2);
  EXPECT_NE(with_json.err.find("--resume FILE writes JSONL to FILE only"), std::string::npos) << with_json.err;
}

// The run really killed: SIGKILL as soon as its first host is written (any
// half line it leaves included), then --resume completes the file with every
// host once, as one uninterrupted run writes it.
TEST_F(Fleet, ResumeAfterARunKilledPartWayHasEveryHostOnce) {
  const auto full = scan("--jobs 1 -o jsonl=" + test::shell_quote(file("whole.jsonl")));
  const auto whole = test::read_text(file("whole.jsonl"));
  const auto part = file("part.jsonl");
  const std::string command = "exec " + test::shell_quote(HFA_BINARY) + " scan --quiet --targets " +
                              test::shell_quote(targets_file) + " --hosts-under " +
                              test::shell_quote((dir->path() / "more").string()) + " --jobs 1 --resume " +
                              test::shell_quote(part) + " >/dev/null 2>&1";
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(::posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char* const*>(argv), environ), 0);
  for (int i = 0; i < 20000 && test::read_text(part).find('\n') == std::string::npos; ++i) ::usleep(500);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it could be killed";
  const auto left = test::read_text(part);
  EXPECT_LT(left.size(), whole.size()) << "killed part-way, not after the last host";

  const auto resumed = scan("--jobs 1 --resume " + test::shell_quote(part));
  EXPECT_EQ(resumed.exit_code, full.exit_code) << resumed.err;
  EXPECT_TRUE(same_bytes(test::read_text(part), whole));
}

// The same shard merged twice is refused (exit 2), naming the host and where it
// was first met; a JSON document instead of JSONL is named with what was expected.
TEST_F(Fleet, MergeRefusesAHostGivenTwiceAndSaysJsonlWasExpected) {
  const auto part = file("twice.jsonl");
  ASSERT_NE(scan("--jobs 2 --shard 2/3 -o jsonl=" + test::shell_quote(part)).exit_code, -1);
  const auto first_host = json::parse(test::read_text(part).substr(0, test::read_text(part).find('\n'))).at("host");
  const auto twice =
      test::run_tool("report merge --format json " + test::shell_quote(part) + " " + test::shell_quote(part));
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_TRUE(twice.out.empty());
  EXPECT_NE(twice.err.find("twice.jsonl:1: host '" + first_host.get<std::string>() + "' given twice (first at " + part +
                           ":1)"),
            std::string::npos)
      << twice.err;

  ASSERT_NE(scan("--jobs 2 -o json=" + test::shell_quote(file("doc.json"))).exit_code, -1);
  const auto document = test::run_tool("report merge " + test::shell_quote(file("doc.json")));
  EXPECT_EQ(document.exit_code, 2);
  EXPECT_NE(document.err.find("doc.json:1: expected JSONL (one target object per line"), std::string::npos)
      << document.err;
  EXPECT_NE(document.err.find("a JSON document"), std::string::npos) << document.err;
}

// The README's recipe: shards as separate processes with GNU parallel, written to
// a folder of their own, merged in shard order: the single run, byte for byte.
TEST_F(Fleet, GnuParallelRecipeMergesIntoOneRun) {
  if (std::system("command -v parallel >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "no GNU parallel (Debian's parallel: scripts/setup.sh --tests)";
  const auto whole = scan("--jobs 2 --format json");
  const auto out = file("parallel-out");
  fs::create_directories(out);
  const std::string recipe = "parallel --will-cite --halt never -j 2 " + test::shell_quote(HFA_BINARY) +
                             " scan --quiet --jobs 1 --targets " + test::shell_quote(targets_file) + " --hosts-under " +
                             test::shell_quote(file("more")) + " --shard {}/3 -o jsonl=" + test::shell_quote(out) +
                             "/shard-{}.jsonl ::: 1 2 3 >/dev/null 2>&1";
  // Each shard exits 0..3 as its hosts imply; parallel exits with how many failed.
  const int status = std::system(recipe.c_str());
  ASSERT_TRUE(WIFEXITED(status)) << recipe;
  for (int k = 1; k <= 3; ++k) ASSERT_TRUE(fs::exists(out + "/shard-" + std::to_string(k) + ".jsonl")) << k;
  std::string shards;
  for (int k = 1; k <= 3; ++k) shards += " " + test::shell_quote(out + "/shard-" + std::to_string(k) + ".jsonl");
  const auto merged = test::run_tool("report merge --format json" + shards);
  EXPECT_EQ(merged.exit_code, whole.exit_code) << merged.err;
  EXPECT_TRUE(same_bytes(merged.out, whole.out));
}

// A status and finding fields this version does not know (a waiver) are shown
// as they are in every format, and do not count against compliance.
TEST(ReportMerge, RendersStatusesAndFieldsItDoesNotKnow) {
  test::TempDir dir;
  const auto jsonl = dir.path() / "waived.jsonl";
  std::ofstream(jsonl)
      << R"j({"host":"SRV<1>","root":"/mnt/a","system_root":"WINNT","found_by":"boot.ini line 5","error":null,)j"
      << R"j("os":{"version":"4.0","build":"1381","service_pack":"6a","csd_version":"Service Pack 6","product":"server",)j"
      << R"j("suites":[],"platform":"x86","installed_hotfixes":[]},"notes":[],"findings":[)j"
      << R"j({"kb":"Q259042","title":"WinLogon leak","status":"waived","reason":"older than the fix: winlogon.exe (older)",)j"
      << R"j("notes":["installed build is newer & odd"],"waiver":{"reason":"vendor app needs SP6","expires":"2027-01-31",)j"
      << R"j("approved_by":"J. Auditor"},"evidence":[]},)j"
      << R"j({"kb":"Q170626","title":"DDEML leak","status":"fixed","reason":"SP6a","notes":[],"evidence":[]}]})j"
      << "\n";
  const auto r = test::run_tool("report merge --no-timestamps " + test::shell_quote(jsonl.string()) +
                                " -o html=" + test::shell_quote((dir.path() / "r.html").string()) +
                                " -o csv=" + test::shell_quote((dir.path() / "r.csv").string()) +
                                " -o json=" + test::shell_quote((dir.path() / "r.json").string()));
  EXPECT_EQ(r.exit_code, 0) << r.err;  // waived is not counted against
  const auto doc = json::parse(test::read_text(dir.path() / "r.json"));
  EXPECT_EQ(doc.at("summary").at("findings").at("waived"), 1);
  EXPECT_EQ(doc.at("summary").at("exit_status"), 0);

  pugi::xml_document html;
  ASSERT_TRUE(html.load_string(test::read_text(dir.path() / "r.html").c_str()));
  // Waived counts against nothing: no matrix column, the finding folded away.
  EXPECT_TRUE(html.select_node("//table[@id='host-matrix']").node().empty());
  EXPECT_FALSE(html.select_node("//details[@class='rest']//div[@data-kb='Q259042']").node().empty());
  EXPECT_STREQ(html.select_node("//td[@id='count-waived']").node().text().get(), "1");
  const auto finding = html.select_node("//div[@data-kb='Q259042']").node();
  ASSERT_FALSE(finding.empty());
  EXPECT_STREQ(finding.select_node(".//ul[@class='notes']/li").node().text().get(), "installed build is newer & odd");
  // The waiver has its own line: what it replaced, until when, why.
  const auto waiver = finding.select_node(".//p[@class='waiver']").node();
  EXPECT_NE(std::string(waiver.last_child().value()).find("until 2027-01-31: vendor app needs SP6"), std::string::npos)
      << waiver.last_child().value();
  EXPECT_STREQ(html.select_node("//section[@id='host-0']/h3").node().text().get(), "SRV<1> : WINNT");
  EXPECT_STREQ(html.select_node("//strong[@id='compliance']").node().text().get(), "100%");

  const auto rows = parse_csv(test::read_text(dir.path() / "r.csv"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][8], "waived");
  EXPECT_EQ(rows[1][13], "vendor app needs SP6");  // waiver_reason
  EXPECT_EQ(rows[1][14], "2027-01-31");            // waiver_expires
}

TEST_F(Fleet, ProgressOnlyOnATerminalAndNotWithQuiet) {
  const auto quiet_pipe = test::run_tool("scan --format jsonl --hosts-under " + test::shell_quote(file("more")));
  EXPECT_EQ(quiet_pipe.err, "") << "stderr is not a terminal: no progress";
  if (!fs::exists("/usr/bin/script")) GTEST_SKIP() << "no script(1) to give the scan a terminal";
  // script(1) runs the scan on a pseudo-terminal and copies what it shows to stdout.
  auto on_terminal = [&](const std::string& extra) {
    test::TempDir out;
    const auto base = test::shell_quote(HFA_BINARY) + " scan --format jsonl -o /dev/null --hosts-under " +
                      test::shell_quote(file("more")) + extra;
    const auto cmd = "script -qec " + test::shell_quote(base) + " /dev/null >" +
                     test::shell_quote((out.path() / "tty").string()) + " 2>&1 </dev/null";
    const int status = std::system(cmd.c_str());  // the scan's own exit status: the fixes it found
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) <= 1) << cmd;
    return test::read_text(out.path() / "tty");
  };
  const auto shown = on_terminal("");
  EXPECT_NE(shown.find("scanned 1/1 hosts"), std::string::npos) << shown;
  EXPECT_NE(shown.find("hosts/s"), std::string::npos) << shown;
  EXPECT_EQ(on_terminal(" --quiet").find("scanned"), std::string::npos);
}

// --- the report in a real browser ------------------------------------------

std::string find_chromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
    if (fs::exists(p)) return p;
  return "";
}

// Headless Chromium's rendered DOM of `url`, after the page's script ran.
std::string dump_dom(const std::string& chromium, const std::string& url, const test::TempDir& profile) {
  test::TempDir out;
  const auto cmd = "timeout 180 " + test::shell_quote(chromium) +
                   " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --user-data-dir=" +
                   test::shell_quote(profile.str()) + " --dump-dom " + test::shell_quote(url) + " >" +
                   test::shell_quote((out.path() / "dom").string()) + " 2>/dev/null";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  return test::read_text(out.path() / "dom");
}

// section id -> hidden?
std::map<std::string, bool> host_sections(const std::string& dom) {
  std::map<std::string, bool> out;
  static const std::regex section("<section ([^>]*)>");
  static const std::regex id("id=\"(host-[0-9]+)\"");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), section); it != std::sregex_iterator(); ++it) {
    const std::string attrs = (*it)[1];
    std::smatch m;
    if (!std::regex_search(attrs, m, id)) continue;
    out[m[1]] = attrs.find(" hidden") != std::string::npos || attrs.rfind("hidden", 0) == 0;
  }
  return out;
}

std::string cell_text(const std::string& dom, const std::string& id) {
  std::smatch m;
  const std::regex re("id=\"" + id + "\"[^>]*>([^<]*)<");
  return std::regex_search(dom, m, re) ? std::string(m[1]) : "(no element " + id + ")";
}

TEST_F(Fleet, HtmlReportInHeadlessChromium) {
  const auto chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << "no Chromium (install Debian's chromium: scripts/setup.sh --tests)";
  const auto html = file("fleet.html");
  const auto r = scan("--jobs 2 --no-timestamps -o json=" + file("fleet.json") + " -o html=" + html);
  ASSERT_EQ(r.exit_code, 2) << r.err;
  const auto doc = json::parse(test::read_text(file("fleet.json")));
  const auto& targets = doc.at("targets");
  test::TempDir profile;

  // Unfiltered: the counts on the page are the JSON's, every host shown.
  const auto dom = dump_dom(chromium, "file://" + html, profile);
  ASSERT_NE(dom.find("id=\"filter-count\""), std::string::npos) << dom.substr(0, 2000);
  for (const auto& [status, n] : doc.at("summary").at("findings").items())
    EXPECT_EQ(cell_text(dom, "count-" + status), std::to_string(n.get<int>())) << status;
  EXPECT_EQ(cell_text(dom, "count-failed"), std::to_string(doc.at("summary").at("failed_targets").get<int>()));
  auto sections = host_sections(dom);
  ASSERT_EQ(sections.size(), targets.size());
  for (const auto& [id, hidden] : sections) EXPECT_FALSE(hidden) << id;
  EXPECT_NE(dom.find("data-shown=\"" + std::to_string(targets.size()) + "\""), std::string::npos);
  // Untrusted strings are text, not markup.
  EXPECT_EQ(dom.find("<script>alert"), std::string::npos);
  EXPECT_NE(dom.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(dom.find("4.0.1381.100 \"&amp;&lt;&gt;"), std::string::npos);

  // Filtered by status through the fragment: exactly the hosts with a missing finding stay.
  const auto missing_dom = dump_dom(chromium, "file://" + html + "#status=missing", profile);
  sections = host_sections(missing_dom);
  ASSERT_EQ(sections.size(), targets.size());
  size_t shown = 0;
  for (size_t i = 0; i < targets.size(); ++i) {
    bool has_missing = false;
    for (const auto& f : targets[i].at("findings")) has_missing = has_missing || f.at("status") == "missing";
    EXPECT_EQ(sections.at("host-" + std::to_string(i)), !has_missing) << "host-" << i;
    shown += has_missing;
  }
  EXPECT_GT(shown, 0u);
  EXPECT_LT(shown, targets.size());
  EXPECT_NE(missing_dom.find("data-shown=\"" + std::to_string(shown) + "\""), std::string::npos);

  // By name, and the failed hosts by their status word.
  const auto name_dom = dump_dom(chromium, "file://" + html + "#name=-demo", profile);
  sections = host_sections(name_dom);
  for (size_t i = 0; i < targets.size(); ++i)
    EXPECT_EQ(sections.at("host-" + std::to_string(i)),
              targets[i].at("host").get<std::string>().find("-demo") == std::string::npos)
        << i;
  const auto error_dom = dump_dom(chromium, "file://" + html + "#status=error", profile);
  sections = host_sections(error_dom);
  for (size_t i = 0; i < targets.size(); ++i)
    EXPECT_EQ(sections.at("host-" + std::to_string(i)), targets[i].at("error").is_null()) << i;

  // A screenshot for people to look at, kept in the build folder.
  const auto artefacts = fs::path(HFA_BINARY).parent_path() / "test-artefacts";
  fs::create_directories(artefacts);
  const auto png = artefacts / "fleet-report.png";
  fs::remove(png);
  const auto cmd = "timeout 180 " + test::shell_quote(chromium) +
                   " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --user-data-dir=" +
                   test::shell_quote(profile.str()) +
                   " --window-size=1280,2400 --screenshot=" + test::shell_quote(png.string()) + " " +
                   test::shell_quote("file://" + html) + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(test::read_text(png).substr(1, 3), "PNG") << png;
}

}  // namespace
}  // namespace hfa
