// The command line as a user meets it: subcommands, formats, exit statuses and
// the messages of bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "testdata/pe_writer.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using nlohmann::json;

void write_bytes(const std::filesystem::path& p, const std::vector<uint8_t>& bytes) {
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

TEST(Cli, InspectPrintsEachFileAndKeepsGoingPastBadOnes) {
  test::TempDir dir;
  testdata::PeSpec spec;
  spec.machine = 0x184;
  spec.link_time = 954809160;
  spec.file_version = Version{4, 0, 1381, 133};
  spec.strings = {{"CompanyName", "Microsoft Corporation"}, {"OriginalFilename", "WINLOGON.EXE"}};
  write_bytes(dir.path() / "winlogon.exe", testdata::write_pe(spec));
  write_bytes(dir.path() / "ddeml.dll", testdata::write_ne("DDEML"));
  const auto r = test::run_tool("inspect --format json " + test::shell_quote((dir.path() / "winlogon.exe").string()) +
                                " " + test::shell_quote((dir.path() / "ddeml.dll").string()) + " " +
                                test::shell_quote((dir.path() / "absent.dll").string()));
  EXPECT_EQ(r.exit_code, 2);
  const auto files = json::parse(r.out).at("files");
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].at("kind"), "PE32");
  EXPECT_EQ(files[0].at("machine"), "alpha");
  EXPECT_EQ(files[0].at("link_time"), "2000-04-04T00:46:00Z");
  EXPECT_EQ(files[0].at("file_version"), "4.0.1381.133");
  EXPECT_EQ(files[0].at("strings").at("OriginalFilename"), "WINLOGON.EXE");
  EXPECT_EQ(files[1].at("kind"), "NE");
  EXPECT_TRUE(files[1].at("machine").is_null());
  EXPECT_FALSE(files[2].at("error").is_null());

  const auto text = test::run_tool("inspect " + test::shell_quote((dir.path() / "winlogon.exe").string()));
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("alpha (0x184)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("4.0.1381.133"), std::string::npos) << text.out;
}

TEST(Cli, NamesThatAreNotUtf8StillGiveValidJson) {
  test::TempDir dir;
  const auto odd = dir.path() / "caf\xe9.dll";  // Latin-1, as an old FAT volume may hold
  write_bytes(odd, testdata::write_ne("CAFE"));
  const auto r = test::run_tool("inspect --format json " + test::shell_quote(odd.string()));
  EXPECT_EQ(r.exit_code, 1) << r.err;  // not a PE, but no crash
  const auto files = json::parse(r.out).at("files");
  EXPECT_NE(files[0].at("file").get<std::string>().find("caf\xef\xbf\xbd.dll"), std::string::npos);
}

TEST(Cli, DbListShowsTheBuiltInArticles) {
  const auto r = test::run_tool("db list");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* kb : {"Q170626", "Q223770", "Q225095", "Q257647", "Q259042"})
    EXPECT_NE(r.out.find(kb), std::string::npos) << kb;
  const auto show = test::run_tool("db show q259042");
  EXPECT_EQ(show.exit_code, 0);
  EXPECT_NE(show.out.find("Q299444"), std::string::npos) << show.out;
  EXPECT_EQ(test::run_tool("db show Q999999").exit_code, 2);
}

TEST(Cli, DbArticlesAddAndReplaceByIdAndErrorsPointIntoTheFile) {
  test::TempDir dir;
  const auto good = dir.path() / "mine.xml";
  std::ofstream(good) << "<?xml version=\"1.0\"?>\n"
                         "<kbdb xmlns=\"urn:hotfix-audit:kbdb:1\" format=\"1\">\n"
                         "  <article id=\"Q259042\" modified=\"2002-05-08\">\n"
                         "    <title>Replaced title</title>\n"
                         "  </article>\n"
                         "  <article id=\"Q999001\" modified=\"2003-01-02\">\n"
                         "    <title>My own article</title>\n"
                         "  </article>\n"
                         "</kbdb>\n";
  const auto list = test::run_tool("db list --db " + test::shell_quote(good.string()));
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("Replaced title"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("Q999001"), std::string::npos);
  EXPECT_EQ(list.out.find("Handle Leak in WinLogon"), std::string::npos);

  const auto bad = dir.path() / "bad.xml";
  std::ofstream(bad) << "<?xml version=\"1.0\"?>\n"
                        "<kbdb xmlns=\"urn:hotfix-audit:kbdb:1\" format=\"1\">\n"
                        "  <article id=\"Q999002\" modified=\"1999-02-30\">\n"
                        "    <title>Bad date</title>\n"
                        "  </article>\n"
                        "</kbdb>\n";
  const auto v = test::run_tool("db validate " + test::shell_quote(bad.string()));
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.err.find(bad.string() + ":3:"), std::string::npos) << v.err;
  EXPECT_NE(v.err.find("1999-02-30"), std::string::npos) << v.err;
  const auto s = test::run_tool("scan --db " + test::shell_quote(bad.string()) + " " + test::shell_quote(dir.str()));
  EXPECT_EQ(s.exit_code, 2);
  EXPECT_NE(s.err.find("nothing scanned"), std::string::npos) << s.err;
}

TEST(Cli, UsageErrorsExitWithTwoAndHelpWithZero) {
  EXPECT_EQ(test::run_tool("--help").exit_code, 0);
  EXPECT_EQ(test::run_tool("scan").exit_code, 2);
  EXPECT_EQ(test::run_tool("scan --format xml /").exit_code, 2);
  EXPECT_EQ(test::run_tool("frobnicate").exit_code, 2);
}

// The demo scenario written once per test: Server SP6a with fixes missing.
struct Demo {
  test::TempDir dir;
  std::string root = (dir.path() / "demo").string();
  Demo() { testdata::write_scenario(testdata::demo_scenario(), root); }
  std::string path(const std::string& name) const { return (dir.path() / name).string(); }
  std::string quoted() const { return test::shell_quote(root); }
};

// Issue 13.1: -o as Grype and Trivy read it. Before, `-o json` wrote a text
// report into a file named "json" and left stdout empty.
TEST(CliOutputs, FormatNameAloneGoesToStdout) {
  Demo demo;
  const auto r = test::run_tool("scan -o json " + demo.quoted());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(json::parse(r.out).at("targets").size(), 1u) << r.out.substr(0, 200);
  EXPECT_FALSE(std::filesystem::exists("json"));
  // --format stays: alone it is the same as -o FORMAT.
  EXPECT_EQ(test::run_tool("scan --format json " + demo.quoted()).out, r.out);
}

TEST(CliOutputs, UnknownFormatFailsNamingTheFormats) {
  Demo demo;
  const auto file = demo.path("x.pdf");
  for (const std::string& value : std::vector<std::string>{"pdf=" + file, "pdf", file}) {
    const auto r = test::run_tool("scan -o " + test::shell_quote(value) + " " + demo.quoted());
    EXPECT_EQ(r.exit_code, 2) << value;
    EXPECT_NE(r.err.find("formats: text, json, jsonl, csv, evidence-csv, html"), std::string::npos)
        << value << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << value;
  }
  // Before, `pdf=FILE` made a file named "pdf=FILE"; nothing is written now.
  EXPECT_FALSE(std::filesystem::exists(demo.path("pdf=" + demo.path("x.pdf"))));
  EXPECT_FALSE(std::filesystem::exists(file));
  const auto merge = test::run_tool("report merge -o pdf " + test::shell_quote(file));
  EXPECT_EQ(merge.exit_code, 2);
  EXPECT_NE(merge.err.find("formats: json, jsonl, csv, evidence-csv, html, text"), std::string::npos) << merge.err;
}

TEST(CliOutputs, ExtensionNamesTheFormatAndSeveralOutputsStillWork) {
  Demo demo;
  const auto csv = demo.path("out.csv"), html = demo.path("r.HTML"), jsonl = demo.path("a.jsonl");
  const auto r = test::run_tool("scan --no-timestamps -o " + test::shell_quote(csv) + " -o " + test::shell_quote(html) +
                                " -o jsonl=" + test::shell_quote(jsonl) + " -o json " + demo.quoted());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(test::read_text(csv).rfind("host,system_root,os_version,", 0), 0u) << test::read_text(csv).substr(0, 100);
  EXPECT_NE(test::read_text(html).find("<html"), std::string::npos);
  EXPECT_EQ(json::parse(test::read_text(jsonl)).at("host"), demo.root);
  EXPECT_EQ(json::parse(r.out).at("targets").size(), 1u);
  // --format with -o FILE names the format of a file whose extension does not, as before.
  const auto plain = demo.path("report");
  EXPECT_EQ(test::run_tool("scan --format csv -o " + test::shell_quote(plain) + " " + demo.quoted()).exit_code, 1);
  EXPECT_EQ(test::read_text(plain), test::read_text(csv));
  // ... and contradicting the extension is an error rather than a CSV named .json.
  const auto clash =
      test::run_tool("scan --format csv -o " + test::shell_quote(demo.path("r.json")) + " " + demo.quoted());
  EXPECT_EQ(clash.exit_code, 2);
  EXPECT_NE(clash.err.find("the extension says json but --format says csv"), std::string::npos) << clash.err;
  EXPECT_EQ(test::run_tool("scan -o json -o csv " + demo.quoted()).exit_code, 2);  // one stdout
}

// Issue 13.2: the demo with every missing finding waived keeps only unknown
// ones; `--fail-on missing` passes it, the default fails it.
TEST(CliExitStatus, FailOnChoosesWhichFindingsFail) {
  Demo demo;
  const auto before = json::parse(test::run_tool("scan -o json " + demo.quoted()).out);
  std::ofstream waivers(demo.path("w.txt"));
  int unknown = 0;
  for (const auto& f : before.at("targets").at(0).at("findings")) {
    if (f.at("status") == "missing")
      waivers << f.at("kb").get<std::string>() << " expires=2099-12-31 approver=a reason=test\n";
    unknown += f.at("status") == "unknown";
    ASSERT_NE(f.at("status"), "inconsistent");
  }
  waivers.close();
  ASSERT_GT(unknown, 0) << "the demo no longer has an unknown finding";
  const auto scan = "scan -q --waivers " + test::shell_quote(demo.path("w.txt")) + " " + demo.quoted();
  EXPECT_EQ(test::run_tool(scan).exit_code, 1);
  EXPECT_EQ(test::run_tool(scan + " --fail-on missing").exit_code, 0);
  EXPECT_EQ(test::run_tool(scan + " --fail-on missing,inconsistent").exit_code, 0);
  EXPECT_EQ(test::run_tool(scan + " --fail-on unknown").exit_code, 1);
  // Without the waivers the missing findings fail it again.
  EXPECT_EQ(test::run_tool("scan --fail-on missing " + demo.quoted()).exit_code, 1);
  EXPECT_EQ(test::run_tool(scan + " --fail-on fixed").exit_code, 2);  // not a status that can fail

  // report merge and explain take it too.
  const auto jsonl = demo.path("run.jsonl");
  ASSERT_EQ(test::run_tool(scan + " -o " + test::shell_quote(jsonl)).exit_code, 1);
  EXPECT_EQ(test::run_tool("report merge " + test::shell_quote(jsonl)).exit_code, 1);
  EXPECT_EQ(test::run_tool("report merge --fail-on missing " + test::shell_quote(jsonl)).exit_code, 0);
  EXPECT_EQ(test::run_tool("explain --fail-on missing " + demo.quoted() + " Q259042").exit_code, 1);
  EXPECT_EQ(test::run_tool("explain --fail-on unknown " + demo.quoted() + " Q259042").exit_code, 0);
}

// Issue 13.5: the habits of command-line tools. Before, each of these printed
// only "A subcommand is required".
TEST(CliHabits, BareCommandAndHelpPrintTheHelp) {
  for (const char* args : {"", "help", "--help"}) {
    const auto r = test::run_tool(args);
    EXPECT_EQ(r.exit_code, 0) << args;
    EXPECT_NE(r.out.find("Subcommands:"), std::string::npos) << args << ": " << r.out;
    EXPECT_NE(r.out.find("scan"), std::string::npos) << args;
  }
  const auto scan = test::run_tool("help scan");
  EXPECT_EQ(scan.exit_code, 0);
  EXPECT_NE(scan.out.find("--fail-on"), std::string::npos) << scan.out;
  EXPECT_EQ(test::run_tool("help scna").exit_code, 2);
}

TEST(CliHabits, TyposGetDidYouMeanAndTheList) {
  const auto sub = test::run_tool("scna /");
  EXPECT_EQ(sub.exit_code, 2);
  EXPECT_NE(sub.err.find("unknown command 'scna'; did you mean 'scan'?"), std::string::npos) << sub.err;
  EXPECT_NE(sub.err.find("commands: scan, inspect, db, report, explain, images, version, help"), std::string::npos)
      << sub.err;
  const auto nested = test::run_tool("db shwo Q259042");
  EXPECT_EQ(nested.exit_code, 2);
  EXPECT_NE(nested.err.find("did you mean 'show'?"), std::string::npos) << nested.err;
  const auto option = test::run_tool("scan --fromat json /");
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_NE(option.err.find("unknown option '--fromat' for 'scan'"), std::string::npos) << option.err;
  EXPECT_NE(option.err.find("did you mean '--format'?"), std::string::npos) << option.err;
  // Far from every name: the list, no guess.
  const auto far = test::run_tool("frobnicate");
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
  EXPECT_NE(far.err.find("commands: scan,"), std::string::npos) << far.err;
}

// The database's SHA-256 checked against sha256sum of the file compiled in.
TEST(CliHabits, VersionNamesTheDatabaseAndTheLibraries) {
  const auto r = test::run_tool("version");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto list = test::run_tool("db list").out;
  FILE* p = ::popen(("sha256sum " + test::shell_quote(std::string(HFA_SOURCE_DIR) + "/kbdb/builtin.xml")).c_str(), "r");
  ASSERT_NE(p, nullptr);
  char hex[65] = {};
  ASSERT_EQ(std::fread(hex, 1, 64, p), 64u);
  ::pclose(p);
  EXPECT_NE(r.out.find(std::string("sha256 ") + hex), std::string::npos) << r.out;
  EXPECT_EQ(r.out.rfind("hotfix-audit ", 0), 0u) << r.out;
  for (const char* lib : {"CLI11 ", "pugixml ", "hivex ", "libtsk ", "nettle "})
    EXPECT_NE(r.out.find(lib), std::string::npos) << lib;
  const auto articles = std::count(list.begin(), list.end(), '\n') - 1;  // minus the heading
  EXPECT_NE(r.out.find(std::to_string(articles) + " articles"), std::string::npos) << r.out;
}

TEST(CliHabits, KbIdsInEverySpelling) {
  for (const char* id : {"Q259042", "q259042", "KB259042", "259042"}) {
    const auto r = test::run_tool(std::string("db show ") + id);
    EXPECT_EQ(r.exit_code, 0) << id << ": " << r.err;
    EXPECT_NE(r.out.find("id=\"Q259042\""), std::string::npos) << id;
  }
  Demo demo;
  for (const char* id : {"q259042", "KB259042", "259042"}) {
    const auto r = test::run_tool("explain " + demo.quoted() + " " + id);
    EXPECT_EQ(r.exit_code, 1) << id << ": " << r.err;
    EXPECT_NE(r.out.find("result: Q259042 missing"), std::string::npos) << id << ": " << r.out;
  }
}

// Colours: only for a person at a terminal. The scan runs under script(1) so
// that stdout is a terminal and `auto` has something to decide.
std::string scan_on_terminal(const std::string& env, const std::string& args) {
  test::TempDir tmp;
  const auto out = tmp.path() / "out";
  const auto inner = "env " + env + " " + test::shell_quote(HFA_BINARY) + " scan " + args;
  const auto cmd =
      "script -qec " + test::shell_quote(inner) + " /dev/null >" + test::shell_quote(out.string()) + " 2>&1 </dev/null";
  if (std::system(cmd.c_str()) == -1) return "";
  return test::read_text(out);
}

TEST(CliHabits, ColourOnlyWhenWanted) {
  if (std::system("script -qec true /dev/null >/dev/null 2>&1") != 0) GTEST_SKIP() << "script(1) is not available";
  Demo demo;
  const auto esc = std::string("\x1b[");
  // On a terminal by default: colours (else the cases below prove nothing).
  EXPECT_NE(scan_on_terminal("TERM=xterm", "-q " + demo.quoted()).find(esc), std::string::npos);
  EXPECT_EQ(scan_on_terminal("TERM=xterm NO_COLOR=1", "-q " + demo.quoted()).find(esc), std::string::npos);
  EXPECT_EQ(scan_on_terminal("TERM=dumb", "-q " + demo.quoted()).find(esc), std::string::npos);
  EXPECT_EQ(scan_on_terminal("TERM=xterm", "-q --color never " + demo.quoted()).find(esc), std::string::npos);
  // Not a terminal: none, unless asked for.
  EXPECT_EQ(test::run_tool("scan " + demo.quoted()).out.find(esc), std::string::npos);
  EXPECT_NE(test::run_tool("scan --color always " + demo.quoted()).out.find(esc), std::string::npos);
  EXPECT_NE(test::run_tool("scan --colour=always -o text " + demo.quoted()).out.find(esc), std::string::npos);
}

// `db show` prints an article's relations both ways, from a database the
// test writes (a roll-up, a fix list, a later article listing the same file).
TEST(Cli, DbShowPrintsRelationsBothWaysForAnyKbSpelling) {
  test::TempDir dir;
  const auto file = dir.path() / "catalogue.xml";
  std::ofstream(file) << "<?xml version=\"1.0\"?>\n"
                         "<kbdb xmlns=\"urn:hotfix-audit:kbdb:1\" format=\"1\">\n"
                         "  <article id=\"Q225095\" modified=\"1999-06-01\" kind=\"package\">\n"
                         "    <title>Spooler roll-up</title>\n"
                         "    <contains id=\"Q224345\" from=\"Q225095\" line=\"14\"/>\n"
                         "    <file name=\"spoolss.exe\" platform=\"x86\" date=\"1999-05-10\"/>\n"
                         "  </article>\n"
                         "  <article id=\"Q224345\" modified=\"1999-06-01\">\n"
                         "    <title>Spooler fix</title>\n"
                         "  </article>\n"
                         "  <article id=\"Q241211\" modified=\"1999-11-01\" kind=\"fix-list\">\n"
                         "    <title>Fixes in SP6</title>\n"
                         "    <lists service-pack=\"6\"/>\n"
                         "    <contains id=\"Q224345\" from=\"Q241211\" line=\"57\"/>\n"
                         "  </article>\n"
                         "  <article id=\"Q300001\" modified=\"2000-01-01\">\n"
                         "    <title>Later spooler fix</title>\n"
                         "    <supersedes id=\"Q225095\" from=\"Q300001\" line=\"9\"/>\n"
                         "    <file name=\"spoolss.exe\" platform=\"x86\" date=\"1999-12-10\"/>\n"
                         "  </article>\n"
                         "</kbdb>\n";
  const auto db = " --db " + test::shell_quote(file.string());
  const auto roll = test::run_tool("db show KB225095" + db);
  EXPECT_EQ(roll.exit_code, 0) << roll.err;
  EXPECT_NE(roll.out.find("  contains: Q224345 Spooler fix (Q225095 line 14); in SP6 of Windows NT 4.0 (by fix-list "
                          "Q241211)\n"),
            std::string::npos)
      << roll.out;
  EXPECT_NE(roll.out.find("  superseded by: Q300001 Later spooler fix (Q300001 line 9)\n"), std::string::npos)
      << roll.out;
  EXPECT_NE(roll.out.find("  other articles listing spoolss.exe (by build): Q300001 (1999-12-10, x86)\n"),
            std::string::npos)
      << roll.out;
  const auto part = test::run_tool("db show 224345" + db);
  EXPECT_EQ(part.exit_code, 0) << part.err;
  EXPECT_NE(part.out.find("  contained in: Q225095 Spooler roll-up [package] (Q225095 line 14)\n"), std::string::npos)
      << part.out;
  EXPECT_NE(part.out.find("  fixing service pack: SP6 of Windows NT 4.0, by fix-list Q241211 (Q241211 line 57)\n"),
            std::string::npos)
      << part.out;
  EXPECT_EQ(test::run_tool("db show KBxyz" + db).exit_code, 2);
}

}  // namespace
}  // namespace hfa
