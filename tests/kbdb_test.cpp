#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "kbdb/kbdb.h"
#include "tests/test_util.h"

namespace hfa::kbdb {
namespace {

const Article& article(const Database& db, std::string_view id) {
  const auto* a = db.find(id);
  if (!a) throw std::runtime_error("no article " + std::string(id));
  return *a;
}

// A document whose articles start on line 3, each snippet line indented by four.
std::string document(const std::string& articles) {
  return "<?xml version=\"1.0\"?>\n"
         "<kbdb xmlns=\"urn:hotfix-audit:kbdb:1\" format=\"1\">\n" +
         articles + "</kbdb>\n";
}

// Line 3 opens the article, line 4 is its title, `body` starts on line 5.
std::string one_article(const std::string& body) {
  return document("  <article id=\"Q999001\" modified=\"2003-01-02\">\n"
                  "    <title>Mine</title>\n" +
                  body + "  </article>\n");
}

// The document must give exactly one diagnostic; returns it.
Diagnostic only_error(const std::string& xml) {
  const auto r = load_xml(xml, "mine.xml");
  if (r.diagnostics.size() != 1) {
    std::string all;
    for (const auto& d : r.diagnostics) all += "\n  " + to_string(d);
    ADD_FAILURE() << "expected one diagnostic, got " << r.diagnostics.size() << ":" << all;
    return r.diagnostics.empty() ? Diagnostic{} : r.diagnostics.front();
  }
  EXPECT_TRUE(r.db.articles.empty()) << "an article with an error is left out";
  return r.diagnostics.front();
}

void expect_error(const std::string& xml, int line, int column, const std::string& message) {
  const auto d = only_error(xml);
  EXPECT_EQ(d.file, "mine.xml");
  EXPECT_EQ(d.line, line) << d.message;
  EXPECT_EQ(d.column, column) << d.message;
  EXPECT_EQ(d.message, message);
}

void expect_same(const Article& x, const Article& y) {
  SCOPED_TRACE(x.id);
  EXPECT_EQ(x.id, y.id);
  EXPECT_EQ(x.title, y.title);
  EXPECT_EQ(x.modified, y.modified);
  ASSERT_EQ(x.applies_to.size(), y.applies_to.size());
  for (size_t i = 0; i < x.applies_to.size(); ++i) {
    EXPECT_EQ(x.applies_to[i].edition, y.applies_to[i].edition);
    EXPECT_EQ(x.applies_to[i].os_version, y.applies_to[i].os_version);
    EXPECT_EQ(x.applies_to[i].service_packs, y.applies_to[i].service_packs);
  }
  EXPECT_EQ(x.platforms, y.platforms);
  ASSERT_EQ(x.fixed_in.size(), y.fixed_in.size());
  for (size_t i = 0; i < x.fixed_in.size(); ++i) {
    EXPECT_EQ(x.fixed_in[i].edition, y.fixed_in[i].edition);
    EXPECT_EQ(x.fixed_in[i].service_pack, y.fixed_in[i].service_pack);
    EXPECT_EQ(x.fixed_in[i].source, y.fixed_in[i].source);
    EXPECT_EQ(x.fixed_in[i].from, y.fixed_in[i].from);
  }
  EXPECT_EQ(x.kind, y.kind);
  EXPECT_EQ(x.lists.has_value(), y.lists.has_value());
  if (x.lists && y.lists) {
    EXPECT_EQ(x.lists->edition, y.lists->edition);
    EXPECT_EQ(x.lists->service_pack, y.lists->service_pack);
  }
  const auto same_members = [](const std::vector<Member>& m, const std::vector<Member>& n) {
    ASSERT_EQ(m.size(), n.size());
    for (size_t i = 0; i < m.size(); ++i) {
      EXPECT_EQ(m[i].id, n[i].id);
      EXPECT_EQ(m[i].from, n[i].from);
    }
  };
  same_members(x.contains, y.contains);
  same_members(x.supersedes, y.supersedes);
  ASSERT_EQ(x.components.size(), y.components.size());
  for (size_t i = 0; i < x.components.size(); ++i) {
    EXPECT_EQ(x.components[i].name, y.components[i].name);
    EXPECT_EQ(x.components[i].services, y.components[i].services);
    EXPECT_EQ(x.components[i].files, y.components[i].files);
    EXPECT_EQ(x.components[i].from, y.components[i].from);
  }
  ASSERT_EQ(x.settings.size(), y.settings.size());
  for (size_t i = 0; i < x.settings.size(); ++i) {
    EXPECT_EQ(x.settings[i].hive, y.settings[i].hive);
    EXPECT_EQ(x.settings[i].key, y.settings[i].key);
    EXPECT_EQ(x.settings[i].value, y.settings[i].value);
    EXPECT_EQ(x.settings[i].data, y.settings[i].data);
    EXPECT_EQ(x.settings[i].from, y.settings[i].from);
  }
  ASSERT_EQ(x.packages.size(), y.packages.size());
  for (size_t i = 0; i < x.packages.size(); ++i) {
    EXPECT_EQ(x.packages[i].id, y.packages[i].id);
    EXPECT_EQ(x.packages[i].title, y.packages[i].title);
    EXPECT_EQ(x.packages[i].relation, y.packages[i].relation);
    EXPECT_EQ(x.packages[i].from, y.packages[i].from);
  }
  ASSERT_EQ(x.modules.size(), y.modules.size());
  for (size_t i = 0; i < x.modules.size(); ++i) {
    EXPECT_EQ(x.modules[i].path, y.modules[i].path);
    EXPECT_EQ(x.modules[i].format, y.modules[i].format);
    EXPECT_EQ(x.modules[i].curated, y.modules[i].curated);
  }
  ASSERT_EQ(x.files.size(), y.files.size());
  for (size_t i = 0; i < x.files.size(); ++i) {
    EXPECT_EQ(x.files[i].section, y.files[i].section);
    EXPECT_EQ(x.files[i].date, y.files[i].date);
    EXPECT_EQ(x.files[i].time, y.files[i].time);
    EXPECT_EQ(x.files[i].size, y.files[i].size);
    EXPECT_EQ(x.files[i].name, y.files[i].name);
    EXPECT_EQ(x.files[i].platform, y.files[i].platform);
    EXPECT_EQ(x.files[i].version, y.files[i].version);
    EXPECT_EQ(x.files[i].version_text, y.files[i].version_text);
    EXPECT_EQ(x.files[i].component, y.files[i].component);
    EXPECT_EQ(x.files[i].size_text, y.files[i].size_text);
    EXPECT_EQ(x.files[i].problems, y.files[i].problems);
    EXPECT_EQ(x.files[i].location, y.files[i].location);
  }
}

void expect_row(const FileRow& r, const char* name, Platform platform, Date date, TimeOfDay time, uint64_t size) {
  SCOPED_TRACE(name);
  EXPECT_EQ(r.name, name);
  EXPECT_EQ(r.platform, platform);
  EXPECT_EQ(r.date, date);
  EXPECT_EQ(r.time, time);
  EXPECT_EQ(r.size, size);
  EXPECT_FALSE(r.version);
  EXPECT_EQ(r.section, "");
}

// --- the built-in database -------------------------------------------------

TEST(KbDatabase, BuiltinLoadsWithoutDiagnosticsAndHoldsTheFiveSeeds) {
  const auto r = load_xml(builtin_xml(), "builtin.xml");
  for (const auto& d : r.diagnostics) ADD_FAILURE() << to_string(d);
  const auto& db = builtin();
  // The NT 4.0 leak articles of the corpus (scripts/make-builtin-db.sh), the seeds among them.
  EXPECT_GT(db.articles.size(), 50u);
  for (const char* seed : {"Q170626", "Q223770", "Q225095", "Q257647", "Q259042"})
    EXPECT_NE(db.find(seed), nullptr) << seed;
  EXPECT_EQ(&builtin(), &db) << "loaded once";
  EXPECT_EQ(article(db, "Q259042").source.rfind("kbdb/builtin.xml:", 0), 0u);
}

TEST(KbDatabase, BuiltinQ170626IsFixedInSp4OnBothLinesWithCuratedModules) {
  const auto& a = article(builtin(), "Q170626");
  EXPECT_EQ(a.title, "DDEML: Memory Leak in Global Shared Memory");
  EXPECT_EQ(a.modified, (Date{2001, 8, 9}));
  ASSERT_EQ(a.applies_to.size(), 3u);
  EXPECT_EQ(a.applies_to[0].edition, Edition::workstation);
  EXPECT_EQ(a.applies_to[1].edition, Edition::server);
  EXPECT_EQ(a.applies_to[2].edition, Edition::terminal_server);
  for (const auto& t : a.applies_to) {
    EXPECT_EQ(t.os_version, "4.0");
    EXPECT_TRUE(t.service_packs.empty());
  }
  EXPECT_TRUE(a.platforms.empty()) << "no Hardware line: any platform";
  ASSERT_EQ(a.fixed_in.size(), 4u) << "STATUS, and the SP4 fix list (NT 4.0 and TSE) naming it";
  EXPECT_EQ(a.fixed_in[0].edition, std::nullopt);
  EXPECT_EQ(a.fixed_in[0].service_pack, "4");
  EXPECT_EQ(a.fixed_in[1].edition, Edition::terminal_server);
  EXPECT_EQ(a.fixed_in[1].service_pack, "4");
  EXPECT_EQ(a.fixed_in[2].source, "fix-list");
  EXPECT_EQ(a.fixed_in[2].from.article, "Q150734");
  EXPECT_EQ(a.fixed_in[3].edition, Edition::terminal_server);
  ASSERT_EQ(a.modules.size(), 2u);
  EXPECT_EQ(a.modules[0].path, "system32/user32.dll");
  EXPECT_EQ(a.modules[0].format, "pe");
  EXPECT_EQ(a.modules[1].path, "system/ddeml.dll");
  EXPECT_EQ(a.modules[1].format, "ne");
  EXPECT_TRUE(a.modules[0].curated && a.modules[1].curated);
  EXPECT_TRUE(a.packages.empty());
  EXPECT_TRUE(a.files.empty());
}

TEST(KbDatabase, BuiltinQ223770IsFixedInSp5) {
  const auto& a = article(builtin(), "Q223770");
  EXPECT_EQ(a.title, "Mciavi32.dll Handle Leak When Opening an AVI File");
  EXPECT_EQ(a.modified, (Date{2002, 5, 20}));
  ASSERT_EQ(a.applies_to.size(), 2u);
  EXPECT_EQ(a.applies_to[0].edition, Edition::server);
  EXPECT_EQ(a.applies_to[1].edition, Edition::workstation);
  EXPECT_EQ(a.platforms, (std::vector<Platform>{Platform::x86, Platform::alpha}));
  ASSERT_EQ(a.fixed_in.size(), 2u) << "STATUS, and the SP5 fix list naming it";
  EXPECT_EQ(a.fixed_in[0].edition, std::nullopt);
  EXPECT_EQ(a.fixed_in[0].service_pack, "5");
  EXPECT_EQ(a.fixed_in[1].service_pack, "5");
  EXPECT_EQ(a.fixed_in[1].source, "fix-list");
  EXPECT_EQ(a.fixed_in[1].from.article, "Q244974");
  ASSERT_EQ(a.modules.size(), 1u);
  EXPECT_EQ(a.modules[0].path, "system32/mciavi32.dll");
  EXPECT_EQ(a.modules[0].format, "pe");
  EXPECT_TRUE(a.modules[0].curated);
  EXPECT_TRUE(a.files.empty());
}

TEST(KbDatabase, BuiltinQ225095HasThreeX86Rows) {
  const auto& a = article(builtin(), "Q225095");
  EXPECT_EQ(a.title, "Spooler Rollup Fix to Address Memory Leaks");
  EXPECT_EQ(a.modified, (Date{2002, 5, 8}));
  ASSERT_EQ(a.applies_to.size(), 1u);
  EXPECT_EQ(a.applies_to[0].edition, Edition::server);
  EXPECT_EQ(a.applies_to[0].service_packs, (std::vector<std::string>{"4"}));
  EXPECT_EQ(a.platforms, (std::vector<Platform>{Platform::x86, Platform::alpha}));
  EXPECT_TRUE(a.fixed_in.empty());
  ASSERT_EQ(a.files.size(), 3u);
  expect_row(a.files[0], "Localspl.dll", Platform::x86, {1999, 3, 31}, {20, 0}, 145168);
  expect_row(a.files[1], "Lprmon.dll", Platform::x86, {1999, 3, 17}, {18, 33}, 21776);
  expect_row(a.files[2], "Win32spl.dll", Platform::x86, {1999, 3, 11}, {17, 21}, 79120);
}

TEST(KbDatabase, BuiltinQ257647HasAnX86AndAnAlphaRow) {
  const auto& a = article(builtin(), "Q257647");
  EXPECT_EQ(a.title, "Memory Leak in the Rasapi32 API");
  EXPECT_EQ(a.modified, (Date{2002, 5, 8}));
  ASSERT_EQ(a.applies_to.size(), 1u);
  EXPECT_EQ(a.applies_to[0].edition, Edition::server);
  EXPECT_EQ(a.applies_to[0].service_packs, (std::vector<std::string>{"6a"}));
  ASSERT_EQ(a.files.size(), 2u);
  expect_row(a.files[0], "Rasapi32.dll", Platform::x86, {2000, 3, 15}, {17, 15}, 127760);
  expect_row(a.files[1], "Rasapi32.dll", Platform::alpha, {2000, 3, 15}, {17, 14}, 198416);
}

TEST(KbDatabase, BuiltinQ259042HasFourRowsAndTheSecurityRollup) {
  const auto& a = article(builtin(), "Q259042");
  EXPECT_EQ(a.title, "Handle Leak in WinLogon After Applying Windows NT 4.0 SP6");
  EXPECT_EQ(a.modified, (Date{2002, 5, 8}));
  ASSERT_EQ(a.applies_to.size(), 2u);
  EXPECT_EQ(a.applies_to[0].edition, Edition::server);
  EXPECT_EQ(a.applies_to[1].edition, Edition::workstation);
  for (const auto& t : a.applies_to) EXPECT_EQ(t.service_packs, (std::vector<std::string>{"6", "6a"}));
  EXPECT_EQ(a.platforms, (std::vector<Platform>{Platform::x86, Platform::alpha}));
  ASSERT_EQ(a.packages.size(), 2u) << "RESOLUTION names the SRP; the TSE SRP lists it";
  EXPECT_EQ(a.packages[0].id, "Q299444");
  EXPECT_EQ(a.packages[0].relation, "delivers");
  EXPECT_EQ(a.packages[0].title, "Post-Windows NT 4.0 Service Pack 6a Security Rollup Package (SRP)");
  EXPECT_EQ(a.packages[1].id, "Q317636");
  EXPECT_EQ(a.packages[1].relation, "delivers");
  EXPECT_EQ(a.packages[1].from.article, "Q317636");
  ASSERT_EQ(a.files.size(), 4u);
  expect_row(a.files[0], "services.exe", Platform::x86, {2000, 4, 4}, {0, 46}, 135440);
  expect_row(a.files[1], "winlogon.exe", Platform::x86, {2000, 4, 4}, {0, 46}, 192272);
  expect_row(a.files[2], "services.exe", Platform::alpha, {2000, 4, 4}, {0, 45}, 249104);
  expect_row(a.files[3], "winlogon.exe", Platform::alpha, {2000, 4, 4}, {0, 45}, 275216);
}

TEST(KbDatabase, FindIgnoresCase) {
  const auto& all = builtin().articles;
  const auto it = std::find_if(all.begin(), all.end(), [](const Article& a) { return a.id == "Q259042"; });
  ASSERT_NE(it, all.end());
  EXPECT_EQ(builtin().find("q259042"), &*it);
  EXPECT_EQ(builtin().find("Q999999"), nullptr);
}

TEST(KbDatabase, EditionNames) {
  for (const auto e : {Edition::workstation, Edition::server, Edition::terminal_server})
    EXPECT_EQ(parse_edition(to_string(e)), e);
  EXPECT_EQ(to_string(Edition::terminal_server), "terminal-server");
  EXPECT_FALSE(parse_edition("Server"));
}

// --- reading every element and attribute -------------------------------------

TEST(KbDatabase, ReadsEveryOptionalField) {
  const auto r = load_xml(one_article("    <applies-to edition=\"terminal-server\" os=\"4.0\" service-packs=\" 4  5 \"/>\n"
                                      "    <platform>mips</platform>\n"
                                      "    <fixed-in edition=\"server\" service-pack=\"6a\"/>\n"
                                      "    <package id=\"Q888001\" relation=\"supersedes\">A &amp; <![CDATA[<B>]]></package>\n"
                                      "    <module path=\"user.exe\" curated=\"0\"/>\n"
                                      "    <file name=\"a.dll\" platform=\"ppc\" date=\"2000-02-29\" version=\"4.0.1381.7\" "
                                      "section=\"Windows NT 4.0\"/>\n"),
                          "mine.xml");
  for (const auto& d : r.diagnostics) ADD_FAILURE() << to_string(d);
  ASSERT_EQ(r.db.articles.size(), 1u);
  const auto& a = r.db.articles[0];
  EXPECT_EQ(a.source, "mine.xml:3");
  EXPECT_EQ(a.applies_to[0].edition, Edition::terminal_server);
  EXPECT_EQ(a.applies_to[0].service_packs, (std::vector<std::string>{"4", "5"}));
  EXPECT_EQ(a.platforms, std::vector<Platform>{Platform::mips});
  EXPECT_EQ(a.fixed_in[0].edition, Edition::server);
  EXPECT_EQ(a.fixed_in[0].service_pack, "6a");
  EXPECT_EQ(a.packages[0].relation, "supersedes");
  EXPECT_EQ(a.packages[0].title, "A & <B>");
  EXPECT_EQ(a.modules[0].path, "user.exe");
  EXPECT_EQ(a.modules[0].format, "pe") << "the default";
  EXPECT_FALSE(a.modules[0].curated);
  const auto& f = a.files[0];
  EXPECT_EQ(f.date, (Date{2000, 2, 29}));
  EXPECT_EQ(f.time, std::nullopt);
  EXPECT_EQ(f.size, std::nullopt);
  EXPECT_EQ(f.version, (Version{4, 0, 1381, 7}));
  EXPECT_EQ(f.section, "Windows NT 4.0");
}

TEST(KbDatabase, AnArticleNeedsOnlyItsIdDateAndTitle) {
  const auto r = load_xml(one_article(""), "mine.xml");
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.db.articles.size(), 1u);
  EXPECT_EQ(r.db.articles[0].title, "Mine");
}

// --- validation errors, each at its line and column -------------------------

TEST(KbDatabase, UnknownPlatform) {
  expect_error(one_article("    <file name=\"a.dll\" platform=\"sparc\" date=\"2000-01-01\"/>\n"), 5, 24,
               "unknown platform 'sparc' in <file platform=...>");
  expect_error(one_article("    <platform>sparc</platform>\n"), 5, 5, "unknown platform 'sparc' in <platform>");
}

TEST(KbDatabase, PlatformsMustBeCanonical) {
  expect_error(one_article("    <platform>Intel</platform>\n"), 5, 5,
               "platform 'Intel' in <platform> is not a canonical name: write 'x86'");
}

TEST(KbDatabase, ImpossibleAndMalformedDates) {
  expect_error(document("  <article id=\"Q999002\" modified=\"1999-02-30\">\n    <title>Bad date</title>\n  </article>\n"),
               3, 25, "impossible date '1999-02-30' in <article modified=...>");
  expect_error(one_article("    <file name=\"a.dll\" platform=\"x86\" date=\"03/31/99\"/>\n"), 5, 39,
               "'03/31/99' is not a date YYYY-MM-DD in <file date=...>");
}

TEST(KbDatabase, DuplicateIdsIgnoringCase) {
  const auto xml = document(
      "  <article id=\"Q259042\" modified=\"2002-05-08\">\n"
      "    <title>First</title>\n"
      "  </article>\n"
      "  <article id=\"q259042\" modified=\"2002-05-08\">\n"
      "    <title>Second</title>\n"
      "  </article>\n");
  const auto r = load_xml(xml, "mine.xml");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(to_string(r.diagnostics[0]), "mine.xml:6:12: duplicate article id 'q259042' (first at line 3)");
  ASSERT_EQ(r.db.articles.size(), 1u) << "the first one is kept";
  EXPECT_EQ(r.db.articles[0].title, "First");
}

TEST(KbDatabase, MissingRequiredAttributeAndTitle) {
  expect_error(one_article("    <file name=\"a.dll\" platform=\"x86\"/>\n"), 5, 5,
               "<file> has neither a date nor a version, and no <problem> saying why");
  expect_error(document("  <article id=\"Q999001\" modified=\"2003-01-02\">\n  </article>\n"), 3, 3,
               "<article> lacks <title>");
  expect_error(document("  <article modified=\"2003-01-02\">\n    <title>T</title>\n  </article>\n"), 3, 3,
               "<article> lacks required attribute 'id'");
}

TEST(KbDatabase, TimesSizesAndVersions) {
  expect_error(one_article("    <file name=\"a.dll\" platform=\"x86\" date=\"1999-03-31\" time=\"08:00P\"/>\n"), 5, 57,
               "'08:00P' is not a 24-hour time HH:MM in <file time=...>");
  expect_error(one_article("    <file name=\"a.dll\" platform=\"x86\" date=\"1999-03-31\" size=\"145,168\"/>\n"), 5, 57,
               "size '145,168' is not a plain integer in <file size=...>");
  expect_error(one_article("    <file name=\"a.dll\" platform=\"x86\" date=\"1999-03-31\" size=\"-1\"/>\n"), 5, 57,
               "size '-1' is not a plain integer in <file size=...>");
  expect_error(one_article("    <file name=\"a.dll\" platform=\"x86\" date=\"1999-03-31\" version=\"4.0.1381\"/>\n"), 5,
               57, "version '4.0.1381' is not a.b.c.d (numbers below 65536) in <file version=...>");
  expect_error(one_article("    <file name=\"a.dll\" platform=\"x86\" date=\"1999-03-31\" version=\"4.0.70000.1\"/>\n"),
               5, 57, "version '4.0.70000.1' is not a.b.c.d (numbers below 65536) in <file version=...>");
}

TEST(KbDatabase, EnumeratedValues) {
  expect_error(one_article("    <package id=\"Q299444\" relation=\"replaces\">SRP</package>\n"), 5, 27,
               "unknown relation 'replaces' in <package relation=...> (delivers or supersedes)");
  expect_error(one_article("    <fixed-in service-pack=\"4\" source=\"kb\"/>\n"), 5, 32,
               "unknown source 'kb' in <fixed-in source=...> (status, keywords, fix-list or package)");
  expect_error(one_article("    <module path=\"system32/a.dll\" format=\"le\"/>\n"), 5, 35,
               "unknown module format 'le' in <module format=...> (pe or ne)");
  expect_error(one_article("    <module path=\"system32/a.dll\" curated=\"yes\"/>\n"), 5, 35,
               "'yes' is not true or false in <module curated=...>");
  expect_error(one_article("    <applies-to edition=\"enterprise\" os=\"4.0\"/>\n"), 5, 17,
               "unknown edition 'enterprise' in <applies-to edition=...> (workstation, server or terminal-server)");
  expect_error(one_article("    <applies-to edition=\"server\" os=\"4\"/>\n"), 5, 34,
               "OS version '4' is not major.minor in <applies-to os=...>");
  expect_error(one_article("    <applies-to edition=\"server\" os=\"4.0\" service-packs=\"6,6a\"/>\n"), 5, 43,
               "service pack '6,6a' is not a number with an optional letter in <applies-to service-packs=...>");
  expect_error(one_article("    <fixed-in service-pack=\"SP4\"/>\n"), 5, 15,
               "service pack 'SP4' is not a number with an optional letter in <fixed-in service-pack=...>");
}

TEST(KbDatabase, IdsAndPaths) {
  expect_error(document("  <article id=\"KB259042\" modified=\"2002-05-08\">\n    <title>T</title>\n  </article>\n"), 3,
               12, "article id 'KB259042' is not Q followed by digits");
  expect_error(one_article("    <package id=\"299444\">SRP</package>\n"), 5, 14,
               "package id '299444' is not Q followed by digits");
  expect_error(one_article("    <module path=\"system32/../../etc/passwd\"/>\n"), 5, 13,
               "module path 'system32/../../etc/passwd' is not relative to %SystemRoot% and '/'-separated in "
               "<module path=...>");
  expect_error(one_article("    <file name=\"system32\\a.dll\" platform=\"x86\" date=\"1999-03-31\"/>\n"), 5, 11,
               "file name 'system32\\a.dll' is not a bare file name in <file name=...>");
}

TEST(KbDatabase, UnknownRepeatedAndMisplacedElementsAndAttributes) {
  expect_error(one_article("    <file name=\"a.dll\" platform=\"x86\" date=\"1999-03-31\" colour=\"red\"/>\n"), 5, 57,
               "unknown attribute 'colour' on <file>");
  expect_error(one_article("    <file name=\"a.dll\" platform=\"x86\" date=\"1999-03-31\" date=\"2000-01-01\"/>\n"), 5, 57,
               "attribute 'date' repeated on <file>");
  expect_error(one_article("    <hotfix/>\n"), 5, 5, "unknown element <hotfix> in <article>");
  expect_error(one_article("    <file name=\"a.dll\" platform=\"x86\" date=\"1999-03-31\"><size/></file>\n"), 5, 57,
               "unknown element <size> in <file> (problem)");
  expect_error(one_article("    loose text\n"), 5, 5, "unexpected text in <article>");
  expect_error(one_article("    <fixed-in service-pack=\"4\"/>\n    <platform>x86</platform>\n"), 6, 5,
               "<platform> must come before <fixed-in>");
  expect_error(one_article("    <title>Again</title>\n"), 5, 5, "a second <title> in <article>");
  expect_error(document("  <articles/>\n"), 3, 3, "unknown element <articles> in <kbdb>");
}

TEST(KbDatabase, RootNamespaceAndFormat) {
  expect_error("<database/>\n", 1, 1, "the root element is <database>, not <kbdb>");
  expect_error("<kbdb xmlns=\"urn:other\" format=\"1\"/>\n", 1, 7,
               "<kbdb> is in namespace 'urn:other', not 'urn:hotfix-audit:kbdb:1'");
  expect_error("<kbdb xmlns=\"urn:hotfix-audit:kbdb:1\" format=\"2\"/>\n", 1, 39,
               "unsupported format '2' (this version reads format 1)");
  expect_error("<kbdb format=\"1\"/>\n", 1, 1, "<kbdb> lacks required attribute 'xmlns'");
  expect_error("<kbdb xmlns=\"urn:hotfix-audit:kbdb:1\" format=\"1\"/>\n<kbdb/>\n", 2, 1,
               "a second root element <kbdb>");
}

TEST(KbDatabase, ColumnsCountCharactersNotBytes) {
  expect_error(one_article("    <module path=\"\xC3\xA9.dll\" format=\"le\"/>\n"), 5, 26,
               "unknown module format 'le' in <module format=...> (pe or ne)");
}

TEST(KbDatabase, MalformedXmlGivesPugixmlsDescriptionAndPosition) {
  expect_error(one_article("    <file name=\"a.dll\" platform=\"x86\" date=\"1999-03-31\">\n"), 6, 5,
               "malformed XML: Start-end tags mismatch");
  expect_error("", 1, 1, "malformed XML: No document element found");
}

TEST(KbDatabase, EveryErrorIsReportedInTextOrderAndOnlyFaultyArticlesAreLeftOut) {
  const auto r = load_xml(document("  <article id=\"Q1\" modified=\"2000-13-01\">\n"
                                   "    <title>Bad</title>\n"
                                   "    <platform>sparc</platform>\n"
                                   "  </article>\n"
                                   "  <article id=\"Q2\" modified=\"2000-01-01\">\n"
                                   "    <title>Good</title>\n"
                                   "  </article>\n"),
                          "mine.xml");
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].line, 3);
  EXPECT_EQ(r.diagnostics[1].line, 5);
  ASSERT_EQ(r.db.articles.size(), 1u);
  EXPECT_EQ(r.db.articles[0].id, "Q2");
}

TEST(KbDatabase, LoadFileNamesTheFileInDiagnostics) {
  test::TempDir dir;
  const auto missing = load_file((dir.path() / "none.xml").string());
  ASSERT_EQ(missing.diagnostics.size(), 1u);
  EXPECT_EQ(missing.diagnostics[0].line, 0);
  EXPECT_EQ(to_string(missing.diagnostics[0]),
            (dir.path() / "none.xml").string() + ": cannot read the file: No such file or directory");
  EXPECT_FALSE(load_file(dir.str()).ok());

  const auto path = (dir.path() / "mine.xml").string();
  std::ofstream(path) << one_article("    <platform>sparc</platform>\n");
  const auto bad = load_file(path);
  ASSERT_EQ(bad.diagnostics.size(), 1u);
  EXPECT_EQ(to_string(bad.diagnostics[0]), path + ":5:5: unknown platform 'sparc' in <platform>");

  std::ofstream(path) << one_article("");
  const auto good = load_file(path);
  EXPECT_TRUE(good.ok());
  ASSERT_EQ(good.db.articles.size(), 1u);
  EXPECT_EQ(good.db.articles[0].source, path + ":3");
}

// --- merge and write ---------------------------------------------------------

TEST(KbDatabase, MergeReplacesByIdIgnoringCaseAndAppendsNewArticles) {
  Database db = builtin();
  const auto extra = load_xml(document("  <article id=\"q259042\" modified=\"2003-01-01\">\n"
                                       "    <title>Replaced</title>\n"
                                       "  </article>\n"
                                       "  <article id=\"Q999001\" modified=\"2003-01-02\">\n"
                                       "    <title>Mine</title>\n"
                                       "  </article>\n"),
                              "mine.xml");
  ASSERT_TRUE(extra.ok());
  merge(db, extra.db);
  const size_t n = builtin().articles.size();
  ASSERT_EQ(db.articles.size(), n + 1);
  size_t seed = 0;
  while (seed < n && builtin().articles[seed].id != "Q259042") ++seed;
  ASSERT_LT(seed, n);
  EXPECT_EQ(db.articles[seed].id, "q259042") << "replaced in place";
  EXPECT_EQ(db.articles[seed].title, "Replaced");
  EXPECT_TRUE(db.articles[seed].files.empty());
  EXPECT_EQ(db.articles[n].id, "Q999001");
  EXPECT_EQ(db.find("Q259042")->source, "mine.xml:3");
  EXPECT_EQ(builtin().articles.size(), n) << "the built-in database is untouched";
}

TEST(KbDatabase, RelationsAndPartlyReadRows) {
  const auto r = load_xml(one_article("    <contains id=\"Q224345\" from=\"Q225095\" line=\"14\"/>\n"
                                      "    <component name=\"SNMP\"><service name=\"SNMP\"/></component>\n"
                                      "    <setting hive=\"SYSTEM\" key=\"A\\B\" value=\"KeepConn\" data=\"0\"/>\n"
                                      "    <file name=\"a.dll\" platform=\"x86\" size-text=\"94.5\" location=\"cluster\">"
                                      "<problem>date 'xx/xx/xx'</problem></file>\n"),
                          "mine.xml");
  for (const auto& d : r.diagnostics) ADD_FAILURE() << to_string(d);
  ASSERT_EQ(r.db.articles.size(), 1u);
  const auto& a = r.db.articles[0];
  ASSERT_EQ(a.contains.size(), 1u);
  EXPECT_EQ(a.contains[0].id, "Q224345");
  EXPECT_EQ(to_string(a.contains[0].from), "Q225095 line 14");
  ASSERT_EQ(a.components.size(), 1u);
  EXPECT_EQ(a.components[0].services, std::vector<std::string>{"SNMP"});
  ASSERT_EQ(a.settings.size(), 1u);
  EXPECT_EQ(a.settings[0].key, "A\\B");
  ASSERT_EQ(a.files.size(), 1u);
  EXPECT_FALSE(a.files[0].date);
  EXPECT_EQ(a.files[0].size_text, "94.5");
  EXPECT_EQ(a.files[0].location, "cluster");
  EXPECT_EQ(a.files[0].problems, std::vector<std::string>{"date 'xx/xx/xx'"});

  expect_error(one_article("    <contains id=\"Q1\" line=\"7\"/>\n"), 5, 23, "a line without from= in <contains line=...>");
  expect_error(one_article("    <component name=\"SNMP\"/>\n"), 5, 5,
               "<component> names no <service> nor <evidence-file>: its absence could not be told");
  expect_error(one_article("    <lists service-pack=\"6\"/>\n"), 3, 3, "<lists> in an article whose kind is not fix-list");
}

TEST(KbDatabase, ToXmlRoundTripsEveryField) {
  Database db = builtin();
  Article a;
  a.id = "Q999001";
  a.title = "Quotes \" & <angles> 'too' \xC3\xA9";
  a.modified = {2004, 2, 29};
  a.applies_to = {{Edition::terminal_server, "4.0", {}}, {Edition::server, "3.51", {"5", "5a"}}};
  a.platforms = {Platform::ia64, Platform::x64};
  a.fixed_in = {{std::nullopt, "7"}, {Edition::terminal_server, "6"}};
  a.packages = {{"Q888001", "Rollup <1>", "supersedes"}, {"Q888002", "", "delivers"}};
  a.modules = {{"repair/setup.log", "pe", false}, {"system/user.exe", "ne", true}};
  a.files = {{"Windows NT 4.0, Terminal Server Edition", Date{1999, 12, 31}, TimeOfDay{23, 59},
              uint64_t{18446744073709551615u}, "ntoskrnl.exe", Platform::mips, Version{4, 0, 1381, 65535}, "", ""},
             {"", Date{1996, 7, 1}, std::nullopt, std::nullopt, "hal.dll", Platform::ppc, std::nullopt, "4.00.958",
              "Information Store"}};
  db.articles.push_back(a);
  // The catalogue's relations, each with its source.
  Article r;
  r.id = "Q999002";
  r.title = "Roll-up";
  r.modified = {2001, 1, 2};
  r.kind = "package";
  r.fixed_in = {{std::nullopt, "6", "fix-list", {"Q241211", 57}},
                {Edition::terminal_server, "5", "package", {"Q317636", 0}}};
  r.packages = {{"Q299444", "SRP", "delivers", {"Q299444", 120}}};
  r.contains = {{"Q224345", {"Q999002", 12}}, {"Q223791", {}}};
  r.supersedes = {{"Q100001", {"Q999002", 3}}};
  r.components = {{"Cluster Server", {"ClusSvc", "ClusDisk"}, {"cluster/clussvc.exe"}, {"Q999002", 8}}};
  r.settings = {
      {"SYSTEM", "CurrentControlSet\\Services\\LanmanServer\\Parameters", "KeepConn", "0", {"Q999002", 30}}};
  FileRow partly;
  partly.name = "rasdd.dll";
  partly.version = Version{4, 0, 1381, 786};
  partly.size_text = "94.5";
  partly.problems = {"size '94.5': in KB, not bytes", "date 'xx/xx/xx': a placeholder"};
  partly.location = "system32/spool/drivers/w32x86/2";
  FileRow dateless;
  dateless.name = "clussvc.exe";
  dateless.problems = {"date '13/45/99': not a date"};
  r.files = {partly, dateless};
  db.articles.push_back(r);
  Article list;
  list.id = "Q900241";  // not built in (the built-in database holds the real Q241211)
  list.title = "List of fixes in SP6";
  list.modified = {1999, 11, 1};
  list.kind = "fix-list";
  list.lists = ServicePackList{std::nullopt, "6"};
  list.contains = {{"Q224345", {"Q900241", 200}}};
  db.articles.push_back(list);

  const auto xml = to_xml(db);
  const auto again = load_xml(xml, "written.xml");
  for (const auto& d : again.diagnostics) ADD_FAILURE() << to_string(d) << "\n" << xml;
  ASSERT_EQ(again.db.articles.size(), db.articles.size());
  for (size_t i = 0; i < db.articles.size(); ++i) expect_same(again.db.articles[i], db.articles[i]);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kbdb xmlns=\"urn:hotfix-audit:kbdb:1\" format=\"1\">\n", 0), 0u)
      << xml;
  EXPECT_NE(xml.find("\n  <article id=\"Q170626\" modified=\"2001-08-09\">\n    <title>"), std::string::npos) << "indented";
}

// --- the schema --------------------------------------------------------------

bool have_xmllint() { return std::system("command -v xmllint >/dev/null 2>&1") == 0; }

// xmllint's exit status on `file` against kbdb.xsd.
int xmllint_schema(const std::string& file) {
  const std::string cmd = "xmllint --noout --schema " + test::shell_quote(HFA_SOURCE_DIR "/kbdb/kbdb.xsd") + " " +
                          test::shell_quote(file) + " >/dev/null 2>&1";
  return std::system(cmd.c_str());
}

TEST(KbSchema, BuiltinXmlIsValid) {
  if (!have_xmllint()) GTEST_SKIP() << "xmllint not installed";
  EXPECT_EQ(xmllint_schema(HFA_SOURCE_DIR "/kbdb/builtin.xml"), 0);
}

TEST(KbSchema, WhatToXmlWritesIsValid) {
  if (!have_xmllint()) GTEST_SKIP() << "xmllint not installed";
  test::TempDir dir;
  const auto path = (dir.path() / "written.xml").string();
  std::ofstream(path) << to_xml(builtin());
  EXPECT_EQ(xmllint_schema(path), 0);
}

// The schema and the loader reject the same mistakes.
TEST(KbSchema, RejectsWhatTheLoaderRejects) {
  if (!have_xmllint()) GTEST_SKIP() << "xmllint not installed";
  test::TempDir dir;
  const std::vector<std::string> invalid = {
      one_article("    <file name=\"a.dll\" platform=\"sparc\" date=\"2000-01-01\"/>\n"),
      one_article("    <platform>Intel</platform>\n"),
      document("  <article id=\"Q1\" modified=\"1999-02-30\">\n    <title>T</title>\n  </article>\n"),
      document("  <article id=\"Q1\" modified=\"2000-01-01\">\n    <title>T</title>\n  </article>\n"
               "  <article id=\"Q1\" modified=\"2000-01-01\">\n    <title>T</title>\n  </article>\n"),
      one_article("    <file name=\"a.dll\" platform=\"x86\" date=\"1999-03-31\" time=\"08:00P\"/>\n"),
      one_article("    <file name=\"a.dll\" platform=\"x86\" date=\"1999-03-31\" size=\"145,168\"/>\n"),
      one_article("    <file name=\"a.dll\" platform=\"x86\" date=\"1999-03-31\" version=\"4.0.1381\"/>\n"),
      one_article("    <file name=\"a.dll\" platform=\"x86\" date=\"1999-03-31\" location=\"../x\"/>\n"),
      one_article("    <component name=\"SNMP\"/>\n"),
      one_article("    <setting hive=\"HKLM\" key=\"A\\\\B\" value=\"V\" data=\"0\"/>\n"),
      one_article("    <contains id=\"Q1\" line=\"0\" from=\"Q2\"/>\n"),
      one_article("    <fixed-in service-pack=\"4\" source=\"rumour\"/>\n"),
      one_article("    <module path=\"system32/../x.dll\"/>\n"),
      one_article("    <fixed-in service-pack=\"4\"/>\n    <platform>x86</platform>\n"),
      one_article("    <hotfix/>\n"),
      "<kbdb xmlns=\"urn:hotfix-audit:kbdb:1\" format=\"2\"/>\n",
  };
  for (size_t i = 0; i < invalid.size(); ++i) {
    SCOPED_TRACE(invalid[i]);
    EXPECT_FALSE(load_xml(invalid[i], "mine.xml").ok());
    const auto path = (dir.path() / ("invalid" + std::to_string(i) + ".xml")).string();
    std::ofstream(path) << invalid[i];
    EXPECT_NE(xmllint_schema(path), 0);
  }
}

}  // namespace
}  // namespace hfa::kbdb
