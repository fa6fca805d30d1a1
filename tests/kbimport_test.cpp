// The KB article importer on article texts written here (every table layout
// the format uses), then on the seed articles and the corpus of ../shared when
// it exists.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>

#include "core/text.h"
#include "kbdb/kbdb.h"
#include "kbimport/kbimport.h"
#include "tests/kbimport_text.h"
#include "tests/test_util.h"

namespace hfa::kbimport {
namespace {

namespace fs = std::filesystem;

const Row& row(const ImportResult& r, size_t i) {
  static const Row none;
  if (i >= r.files.size()) {
    ADD_FAILURE() << "no row " << i << " (" << r.files.size() << " rows)";
    return none;
  }
  return r.files[i];
}

std::string problems(const ImportResult& r) {
  std::string s;
  for (const auto& p : r.problems) s += to_string(p) + "\n";
  return s;
}

// --- the spellings of table cells -------------------------------------------

TEST(KbImportCells, DatesInEverySpellingTheTablesUse) {
  EXPECT_EQ(parse_table_date("03/31/99"), (Date{1999, 3, 31}));
  EXPECT_EQ(parse_table_date("04/04/00"), (Date{2000, 4, 4}));
  EXPECT_EQ(parse_table_date("2/8/2000"), (Date{2000, 2, 8}));
  EXPECT_EQ(parse_table_date("10-28-2001"), (Date{2001, 10, 28}));
  EXPECT_EQ(parse_table_date("24-Aug-2000"), (Date{2000, 8, 24}));
  EXPECT_EQ(parse_table_date("Jul-31-2001"), (Date{2001, 7, 31}));
  EXPECT_EQ(parse_table_date("11-July-2001"), (Date{2001, 7, 11}));
  EXPECT_EQ(parse_table_date("08-MAY-2002"), (Date{2002, 5, 8}));
  EXPECT_EQ(parse_table_date("1999/10/02"), (Date{1999, 10, 2}));
  EXPECT_EQ(parse_table_date("May 17, 2001"), (Date{2001, 5, 17}));
  EXPECT_EQ(parse_table_date("31 May 2002"), (Date{2002, 5, 31}));
  EXPECT_FALSE(parse_table_date("02/30/99")) << "no such day";
  EXPECT_FALSE(parse_table_date("xx/xx/xx"));
  EXPECT_FALSE(parse_table_date("6/12/200")) << "a three-digit year is a typo, not a year";
  EXPECT_FALSE(parse_table_date("Ntoskrnl.exe"));
}

TEST(KbImportCells, TimesTwelveAndTwentyFourHour) {
  EXPECT_EQ(parse_table_time("08:00P"), (TimeOfDay{20, 0}));
  EXPECT_EQ(parse_table_time("05:15p"), (TimeOfDay{17, 15}));
  EXPECT_EQ(parse_table_time("10:51a"), (TimeOfDay{10, 51}));
  EXPECT_EQ(parse_table_time("12:34p"), (TimeOfDay{12, 34}));
  EXPECT_EQ(parse_table_time("12:10a"), (TimeOfDay{0, 10}));
  EXPECT_EQ(parse_table_time("5:39 AM"), (TimeOfDay{5, 39}));
  EXPECT_EQ(parse_table_time("11:14PM"), (TimeOfDay{23, 14}));
  EXPECT_EQ(parse_table_time("05:17pm"), (TimeOfDay{17, 17}));
  EXPECT_EQ(parse_table_time("03:45 P.M."), (TimeOfDay{15, 45}));
  EXPECT_EQ(parse_table_time("00:46"), (TimeOfDay{0, 46}));
  EXPECT_EQ(parse_table_time("13:27"), (TimeOfDay{13, 27}));
  EXPECT_EQ(parse_table_time("3:30:31"), (TimeOfDay{3, 30})) << "seconds dropped";
  EXPECT_EQ(parse_table_time("02:33:10p"), (TimeOfDay{14, 33}));
  EXPECT_EQ(parse_table_time("11.31am"), (TimeOfDay{11, 31}));
  EXPECT_EQ(parse_table_time("12:00 midnight"), (TimeOfDay{0, 0}));
  EXPECT_FALSE(parse_table_time("16:31p")) << "a 24-hour time with a 12-hour suffix";
  EXPECT_FALSE(parse_table_time("24:00"));
  EXPECT_FALSE(parse_table_time("xx:xx"));
}

TEST(KbImportCells, SizesWithThousandsSeparators) {
  EXPECT_EQ(parse_table_size("145,168"), 145168u);
  EXPECT_EQ(parse_table_size("1,296,656"), 1296656u);
  EXPECT_EQ(parse_table_size("461,984 bytes"), 461984u);
  EXPECT_EQ(parse_table_size("23312"), 23312u);
  EXPECT_EQ(parse_table_size("1.135.104"), 1135104u);
  EXPECT_EQ(parse_table_size("38,256b"), 38256u);
  EXPECT_FALSE(parse_table_size("8,1012")) << "groups of three only";
  EXPECT_FALSE(parse_table_size("184KB")) << "kilobytes are not bytes";
  EXPECT_FALSE(parse_table_size("N/A"));
}

// --- whole articles ----------------------------------------------------------

TEST(KbImport, ReadsTheHeaderFactsStatusPackagesAndHardware) {
  const auto text = article("Q900001", "Handle Leak in Something", resolution(
      "  Date      Time                 Size    File name     Platform\n"
      "  -------------------------------------------------------------\n"
      "  04/04/00  00:46                135,440 services.exe  Intel\n"
      "  03/31/99  08:00P               145,168 Localspl.dll  Alpha\n") +
      "\nRESOLUTION\n==========\n\n  Q299444 Post-Windows NT 4.0 Service Pack 6a Security Rollup Package (SRP)\n"
      "\n  Q152734 How to Obtain the Latest Windows NT 4.0 Service Pack\n"
      "\nSTATUS\n======\n\nThis problem was first corrected in Windows NT 4.0 Service Pack 4.0 and Windows NT\n"
      "Server 4.0, Terminal Server Edition Service Pack 5.\n",
      "ALPHA MIPS x86");
  const auto r = import_article(text, "Q900001.txt");
  EXPECT_TRUE(r.complete()) << problems(r);
  EXPECT_EQ(r.name, "Q900001.txt");
  EXPECT_EQ(r.id, "Q900001");
  EXPECT_EQ(r.title, "Handle Leak in Something");
  EXPECT_EQ(r.modified, (Date{2002, 5, 8}));
  EXPECT_EQ(r.versions, "winnt:4.0");
  EXPECT_EQ(r.applies_to, (std::vector<std::string>{"Microsoft Windows NT Server version 4.0 SP4",
                                                     "Microsoft Windows NT Workstation versions 3.51, 4.0"}));
  ASSERT_EQ(r.nt_applies_to.size(), 3u);
  EXPECT_EQ(r.nt_applies_to[0].edition, kbdb::Edition::server);
  EXPECT_EQ(r.nt_applies_to[0].service_packs, (std::vector<std::string>{"4"}));
  EXPECT_EQ(r.nt_applies_to[1].os_version, "3.51");
  EXPECT_EQ(r.nt_applies_to[2].os_version, "4.0");
  EXPECT_TRUE(r.nt_applies_to[2].service_packs.empty());
  EXPECT_EQ(r.platforms, (std::vector<Platform>{Platform::x86, Platform::alpha, Platform::mips}));
  ASSERT_EQ(r.fixed_in.size(), 2u);
  EXPECT_EQ(r.fixed_in[0].service_pack, "4") << "'Service Pack 4.0' is SP4";
  EXPECT_TRUE(r.fixed_in[0].nt4);
  EXPECT_FALSE(r.fixed_in[0].edition);
  EXPECT_EQ(r.fixed_in[1].service_pack, "5");
  EXPECT_EQ(r.fixed_in[1].edition, kbdb::Edition::terminal_server);
  ASSERT_EQ(r.packages.size(), 1u) << "how-to articles are not packages";
  EXPECT_EQ(r.packages[0].id, "Q299444");
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(row(r, 0).name, "services.exe");
  EXPECT_EQ(row(r, 0).platform, Platform::x86);
  EXPECT_EQ(row(r, 0).date, (Date{2000, 4, 4}));
  EXPECT_EQ(row(r, 0).time, (TimeOfDay{0, 46}));
  EXPECT_EQ(row(r, 0).size, 135440u);
  EXPECT_EQ(row(r, 1).time, (TimeOfDay{20, 0}));
  EXPECT_EQ(row(r, 1).platform, Platform::alpha);
  ASSERT_EQ(r.tables.size(), 1u);
  EXPECT_EQ(r.tables[0].rows, 2u);
  EXPECT_EQ(r.tables[0].columns, (std::vector<std::string>{"date", "time", "size", "name", "platform"}));
}

TEST(KbImport, ColumnsInAnyOrderAndSubset) {
  struct Want {
    int line;
    std::string section, component;
    std::optional<Date> date;
    std::optional<TimeOfDay> time;
    std::optional<uint64_t> size;
    std::string name;
    std::optional<Platform> platform;
    std::string version;
  };
  struct Case {
    const char* table;
    Want want;
  };
  const Case cases[] = {
      {"  File name     Version    Date      Time      Size\n"
       "  ----------------------------------------------------------\n"
       "  VREDIR.VXD    4.00.960   9/20/96   10:00am   140,403 bytes\n",
       {0, "", "", Date{1996, 9, 20}, TimeOfDay{10, 0}, 140403, "VREDIR.VXD", std::nullopt, "4.00.960"}},
      {"  Date      Time    Version      Size    File name     Platform\n"
       "  -------------------------------------------------------------\n"
       "  05/29/97  06:20p               259,920 Rdr.sys       (x86)\n",
       {0, "", "", Date{1997, 5, 29}, TimeOfDay{18, 20}, 259920, "Rdr.sys", Platform::x86, ""}},
      {"  Date      Time       Size   File name        Platform   Version\n"
       " -----------------------------------------------------------------------\n"
       " 10/26/99  08:11p  1,556,384  Basesvr.dll      I386       2.00.1380.1036\n",
       {0, "", "", Date{1999, 10, 26}, TimeOfDay{20, 11}, 1556384, "Basesvr.dll", Platform::x86, "2.00.1380.1036"}},
      {"  File Name     Platform  Date     Time    Size\n"
       "  ----------------------------------------------------\n"
       "  Exupload.dll (Alpha)    5/27/98  10:44a  29,456\n",
       {0, "", "", Date{1998, 5, 27}, TimeOfDay{10, 44}, 29456, "Exupload.dll", Platform::alpha, ""}},
      {"  Date     Time                  Size    File Name    Platform\n"
       "  ------------------------------------------------------------\n"
       "  09/24/96  06:53p               205,392 Nwrdr.sys    PPC\n",
       {0, "", "", Date{1996, 9, 24}, TimeOfDay{18, 53}, 205392, "Nwrdr.sys", Platform::ppc, ""}},
      {"  File Name      Version\n"
       "  ----------------------\n"
       "  External.exe   3.5.23\n",
       {0, "", "", std::nullopt, std::nullopt, std::nullopt, "External.exe", std::nullopt, "3.5.23"}},
      {"  Date         Time         Size          File Name     Platform\n"
       "  10/21/98    02:26p      1,296,656     Shell32.dll        Intel\n",
       {0, "", "", Date{1998, 10, 21}, TimeOfDay{14, 26}, 1296656, "Shell32.dll", Platform::x86, ""}},
      {"  Date        Time     Version      Size    File name   Platform\n"
       "  ----------------------------------------------------------------\n"
       "  03/21/2001  06:25pm  3.00.0.0446  24,576  Vbrmon.dll  MIPS R3000\n",
       {0, "", "", Date{2001, 3, 21}, TimeOfDay{18, 25}, 24576, "Vbrmon.dll", Platform::mips, "3.00.0.0446"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.table);
    const auto r = import_article(article("Q900002", "T", resolution(c.table)), "t");
    EXPECT_TRUE(r.complete()) << problems(r);
    ASSERT_EQ(r.files.size(), 1u);
    const auto& got = r.files[0];
    EXPECT_EQ(got.date, c.want.date);
    EXPECT_EQ(got.time, c.want.time);
    EXPECT_EQ(got.size, c.want.size);
    EXPECT_EQ(got.name, c.want.name);
    EXPECT_EQ(got.platform, c.want.platform);
    EXPECT_EQ(got.version, c.want.version);
  }
}

TEST(KbImport, BoxedTablesWithComponentLines) {
  const auto r = import_article(
      article("Q900003", "T",
              resolution("Component: Exchange Notes Connector\n\n"
                         "+------------------------------------------------------------------------+\n"
                         "| File name  | Version    | Date        | Time    | File Size | Platform | \n"
                         "+------------------------------------------------------------------------+\n"
                         "| Mapi32.dll | 5.5.2653.6 | 24-Aug-2000 | 3:30:31 | 870,160   | Intel    | \n"
                         "+------------------------------------------------------------------------+\n"
                         "| Ss.exe     | none       | 2/3/2000    | 10:48 AM| 1,385,232 | Alpha    | \n"
                         "+------------------------------------------------------------------------+\n")),
      "t");
  EXPECT_TRUE(r.complete()) << problems(r);
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(row(r, 0).component, "Exchange Notes Connector");
  EXPECT_EQ(row(r, 0).version, "5.5.2653.6");
  EXPECT_EQ(row(r, 0).date, (Date{2000, 8, 24}));
  EXPECT_EQ(row(r, 0).time, (TimeOfDay{3, 30}));
  EXPECT_EQ(row(r, 0).size, 870160u);
  EXPECT_EQ(row(r, 1).version, "") << "'none' is no version";
  EXPECT_EQ(row(r, 1).time, (TimeOfDay{10, 48}));
  EXPECT_EQ(row(r, 1).platform, Platform::alpha);
}

TEST(KbImport, ProductSectionsOfSeveralTables) {
  const std::string body =
      "RESOLUTION\n==========\n\nWindows NT 4.0\n--------------\n\n"
      "The English version of this fix should have the following file attributes or\nlater:\n\n"
      "  Date        Time    Size     File name     Platform\n"
      "  ---------------------------------------------------\n"
      "  06/23/2000  08:28p   42,256  Regacl40.exe  Intel\n\n"
      "  06/23/2000  08:27p   96,016  Regacl40.exe  Alpha\n\n\n"
      "Windows NT Server 4.0, Terminal Server Edition\n----------------------------------------------\n\n"
      "The English version of this fix should have the following file attributes or\nlater:\n\n"
      "  Date      Time    Size    File name     Platform\n"
      "  ------------------------------------------------\n"
      "  07/05/2000  03:00p  40,000  Regacl40.exe  Intel\n\n"
      "STATUS\n======\n\nConfirmed.\n";
  const auto r = import_article(article("Q900004", "T", body), "t");
  EXPECT_TRUE(r.complete()) << problems(r);
  ASSERT_EQ(r.tables.size(), 2u);
  ASSERT_EQ(r.files.size(), 3u) << "a blank line between rows does not end the table";
  EXPECT_EQ(row(r, 0).section, "Windows NT 4.0");
  EXPECT_EQ(row(r, 1).section, "Windows NT 4.0");
  EXPECT_EQ(row(r, 1).platform, Platform::alpha);
  EXPECT_EQ(row(r, 2).section, "Windows NT Server 4.0, Terminal Server Edition");
  const auto a = to_article(r);
  ASSERT_EQ(a.files.size(), 3u);
  EXPECT_EQ(a.files[2].section, "Windows NT Server 4.0, Terminal Server Edition");
}

TEST(KbImport, FootnotesWrappedCellsDittoPlatformsAndDayFirstTables) {
  const auto r = import_article(
      article("Q900005", "T",
              resolution("  Date      Time    Version      Size    File name     Platform\n"
                         "  -------------------------------------------------------------\n"
                         "  12/18/98  03:46p    4.2.680.1   27,696   Admwprox.dll *  (x86)\n"
                         "  12/18/98  03:48p    4.2.680.1  327,472   Asp.dll (56-bit)\n"
                         "  12/18/98  03:46p    4.2.680.1   43,456   Coadmin.dll\n") +
                  "\nMORE INFORMATION\n================\n\n"
                  "  Date       Time      Size       File name  Version    Platform\n"
                  "  ----------------------------------------------------------------\n"
                  "  08/03/99   02:50p    80,409     Vip.386    4.10.2223  Windows 98\n"
                  "                                                        Second Edition\n\n"
                  "  Date      Time   Size     File name   Platform\n"
                  "  ----------------------------------------------\n"
                  "  21/03/00  21:48  76,560   Mswsock.dll Intel\n"
                  "  02/03/00  21:48  20,752   Wsock32.dll Intel\n"),
      "t");
  EXPECT_TRUE(r.complete()) << problems(r);
  ASSERT_EQ(r.files.size(), 6u);
  EXPECT_EQ(row(r, 0).name, "Admwprox.dll");
  EXPECT_EQ(row(r, 0).note, "*");
  EXPECT_EQ(row(r, 1).name, "Asp.dll");
  EXPECT_EQ(row(r, 1).note, "(56-bit)");
  EXPECT_EQ(row(r, 1).platform, Platform::x86) << "a Platform cell given only on the first row applies below";
  EXPECT_EQ(row(r, 2).platform, Platform::x86);
  EXPECT_FALSE(row(r, 3).platform);
  EXPECT_EQ(row(r, 3).platform_text, "Windows 98 Second Edition");
  EXPECT_EQ(row(r, 4).date, (Date{2000, 3, 21})) << "21/03/00: the table writes the day first";
  EXPECT_EQ(row(r, 5).date, (Date{2000, 3, 2})) << "and so for every row of it";
  ASSERT_FALSE(r.notes.empty());
}

TEST(KbImport, ANameWrappedOntoTheNextLineIsOneName) {
  const auto r = import_article(article("Q900010", "T", resolution(
                                    "  Date      Time       Size    File name          Platform\n"
                                    "  ---------------------------------------------------------\n"
                                    "  03/02/99  10:35p   12,600    Tdasync_very_long_  x86\n"
                                    "                               name.sys\n"
                                    "  03/02/99  10:35p   18,488    Tdipx.sys           x86\n")),
                                "t");
  EXPECT_TRUE(r.complete()) << problems(r);
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(row(r, 0).name, "Tdasync_very_long_name.sys");
  EXPECT_EQ(row(r, 0).size, 12600u);
  EXPECT_EQ(row(r, 1).name, "Tdipx.sys");
}

TEST(KbImport, SizesInKilobytesAreKeptAsTextWithANote) {
  const auto r = import_article(article("Q900006", "T", resolution(
                                    "  Date        Time      Size        File Name    Version#   Platform\n"
                                    "  -------------------------------------------------------------------\n"
                                    "  06/04/1999  11:14PM   184KB       COMSUPP.LIB  N/A        (x86)\n"
                                    "  09/16/99 12:38PM  43 KB   Iwrps.dll  N/A  x86\n")),
                                "t");
  EXPECT_TRUE(r.complete()) << problems(r);
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_FALSE(row(r, 0).size);
  EXPECT_EQ(row(r, 0).size_text, "184KB");
  EXPECT_EQ(row(r, 1).size_text, "43 KB");
  EXPECT_EQ(row(r, 0).time, (TimeOfDay{23, 14}));
  EXPECT_EQ(r.notes.size(), 2u);
}

TEST(KbImport, WhatCannotBeReadIsReportedWithItsLine) {
  const auto r = import_article(
      article("Q900007", "T",
              resolution("  Date      Time                 Size    File name     Platform\n"
                         "  -------------------------------------------------------------\n"
                         "  04/04/00  00:46                135,440 services.exe  Intel\n"
                         "  6/12/200  00:46                192,272 winlogon.exe  Intel\n") +
                  "\nMORE INFORMATION\n================\n\n"
                  "This fix should have the following file attributes or later:\n\n"
                  "  USER.EXE  version 4.00.951  dated 10/26/95 9:51am  461,984 bytes\n"),
      "Q900007.txt");
  EXPECT_FALSE(r.complete());
  ASSERT_EQ(r.files.size(), 3u) << "every row is kept, the one partly read too";
  // The partly read row: its file name and every cell that could be read, and why the date could not.
  EXPECT_EQ(row(r, 1).name, "winlogon.exe");
  EXPECT_FALSE(row(r, 1).date);
  EXPECT_EQ(row(r, 1).time, (TimeOfDay{0, 46}));
  EXPECT_EQ(row(r, 1).size, 192272u);
  EXPECT_EQ(row(r, 1).platform, Platform::x86);
  ASSERT_EQ(row(r, 1).problems.size(), 1u);
  EXPECT_EQ(row(r, 1).problems[0], "date '6/12/200' is not a date");
  EXPECT_TRUE(row(r, 0).problems.empty());
  ASSERT_EQ(r.problems.size(), 1u) << problems(r);
  EXPECT_EQ(to_string(r.problems[0]),
            "table at line 26: line 29: row 'winlogon.exe' kept, not read fully: date '6/12/200' is not a date");
  EXPECT_EQ(r.problems[0].code, code::kTable);
  // An attribute line with no column header: read by the shapes of its words.
  ASSERT_EQ(r.tables.size(), 2u);
  EXPECT_TRUE(r.tables[1].headerless);
  EXPECT_TRUE(r.tables[1].problems.empty());
  EXPECT_EQ(row(r, 2).name, "USER.EXE");
  EXPECT_EQ(row(r, 2).version, "4.00.951");
  EXPECT_EQ(row(r, 2).date, (Date{1995, 10, 26}));
  EXPECT_EQ(row(r, 2).time, (TimeOfDay{9, 51}));
  EXPECT_EQ(row(r, 2).size, 461984u);
  EXPECT_TRUE(row(r, 2).problems.empty());
}

TEST(KbImport, AnArticleWithoutFrontMatterOrHeaderIsReported) {
  const auto bare = import_article("\tArticle: Q123456\n\tLast Modified: 01-JAN-2001\n", "bare.txt");
  EXPECT_EQ(bare.id, "Q123456");
  EXPECT_FALSE(bare.complete()) << "no title";
  const auto junk = import_article("not an article at all\n", "junk.txt");
  EXPECT_FALSE(junk.complete());
  EXPECT_EQ(junk.id, "");
  EXPECT_GE(junk.problems.size(), 3u) << problems(junk);
}

TEST(KbImport, NeverCrashesOnTruncatedOrMangledText) {
  const auto text = article("Q900008", "T", resolution(
                                "  Date      Time    Version      Size    File name     Platform\n"
                                "  -------------------------------------------------------------\n"
                                "  05/29/97  06:20p               259,920 Rdr.sys       (x86)\n"
                                "+----+\n| Name | Date |\n+--+\n| a | 1/1/99 |\n"));
  for (size_t n = 0; n <= text.size(); n += 7) {
    const auto r = import_article(std::string_view(text).substr(0, n), "cut");
    EXPECT_LE(r.files.size(), 2u);
  }
  std::string mangled = text;
  for (size_t i = 0; i < mangled.size(); i += 13) mangled[i] = static_cast<char>(i * 31);
  (void)import_article(mangled, "mangled");
  (void)import_article(std::string(5000, '|'), "pipes");
  (void)import_article(std::string("Date Time Size File name Platform\n") + std::string(400, '1') + " " +
                           std::string(400, 'a'),
                       "long");
}

TEST(KbImport, ToArticleKeepsWhatTheDatabaseCanHoldAndSaysWhatItLeavesOut) {
  const auto r = import_article(
      article("Q900009", "T",
              resolution("  Date      Time    Version      Size    File name     Platform\n"
                         "  -------------------------------------------------------------\n"
                         "  05/29/97  06:20p  4.0.1381.7   259,920 Rdr.sys       x86\n"
                         "  05/29/97  06:20p  4.00.958     259,920 Vredir.vxd    x86\n"
                         "  05/29/97  06:20p               1,000   Readme.txt\n")),
      "Q900009.txt");
  ASSERT_TRUE(r.complete()) << problems(r);
  std::vector<std::string> omitted;
  const auto a = to_article(r, &omitted);
  ASSERT_EQ(a.files.size(), 2u);
  EXPECT_EQ(a.files[0].version, (Version{4, 0, 1381, 7}));
  EXPECT_EQ(a.files[0].version_text, "");
  EXPECT_FALSE(a.files[1].version) << "three parts: the missing one is not known to be 0";
  EXPECT_EQ(a.files[1].version_text, "4.00.958");
  ASSERT_EQ(omitted.size(), 1u);
  EXPECT_NE(omitted[0].find("Readme.txt"), std::string::npos);
  // What the importer writes, the database loader reads back.
  kbdb::Database db;
  db.articles.push_back(a);
  const auto loaded = kbdb::load_xml(kbdb::to_xml(db), "imported.xml");
  for (const auto& d : loaded.diagnostics) ADD_FAILURE() << to_string(d);
  ASSERT_EQ(loaded.db.articles.size(), 1u);
  EXPECT_EQ(loaded.db.articles[0].files[1].version_text, "4.00.958");
}

// --- the fixing service pack of the Keywords line --------------------------------

// An article with no file table: the applies-to lines, STATUS and the
// trailer's Keywords line as the archive writes them.
std::string tagged_article(const std::string& id, const std::vector<std::string>& applies, const std::string& status,
                           const std::string& keywords) {
  std::string block = "Article: " + id +
                      "\nProduct(s): Microsoft Windows NT\nVersion(s): winnt:4.0\nLast Modified: 08-MAY-2002\n\n"
                      "-------------------------------------------------------------------------------\n"
                      "The information in this article applies to:\n\n";
  for (const auto& a : applies) block += "- " + a + " \n";
  block += "-------------------------------------------------------------------------------\n\n"
           "SYMPTOMS\n========\n\nThe Services process leaks memory.\n\n"
           "RESOLUTION\n==========\n\nTo resolve this problem, obtain the latest service pack.\n\n"
           "STATUS\n======\n\n" + status + "\n\nAdditional query words:\n\n"
           "======================================================================\n"
           "Keywords          : " + keywords + " \n"
           "Technology        : kbWinNTsearch kbWinNT400search\n"
           "Version           : winnt:4.0\n"
           "Hardware          : ALPHA x86\n";
  std::string text = "---\nlayout: page\ntitle: \"" + id + ": Memory Leak in Services\"\n---\n\n";
  std::istringstream in(block);
  for (std::string line; std::getline(in, line);) text += "\t" + line + "\n";
  return text;
}

const char* kConfirmed = "Microsoft has confirmed this to be a problem in Windows NT 4.0.";

TEST(KbImportKeywords, ATagAloneGivesTheFixingServicePack) {
  const auto r = import_article(tagged_article("Q900101", {"Microsoft Windows NT Workstation version 4.0",
                                                           "Microsoft Windows NT Server version 4.0"},
                                               kConfirmed, "kbnetwork kbWinNT400sp4fix kbbuglist"),
                                "Q900101.txt");
  ASSERT_TRUE(r.complete()) << problems(r);
  EXPECT_EQ(r.keywords, (std::vector<std::string>{"kbnetwork", "kbWinNT400sp4fix", "kbbuglist"}));
  ASSERT_EQ(r.fixed_in.size(), 1u);
  EXPECT_EQ(r.fixed_in[0].service_pack, "4");
  EXPECT_FALSE(r.fixed_in[0].edition);
  EXPECT_TRUE(r.fixed_in[0].nt4);
  EXPECT_EQ(r.fixed_in[0].source, "keywords");
  // The database keeps where it came from, and reads it back.
  const auto a = to_article(r);
  ASSERT_EQ(a.fixed_in.size(), 1u);
  EXPECT_EQ(a.fixed_in[0].source, "keywords");
  kbdb::Database db;
  db.articles.push_back(a);
  const auto xml = kbdb::to_xml(db);
  EXPECT_NE(xml.find("<fixed-in service-pack=\"4\" source=\"keywords\" from="), std::string::npos) << xml;
  const auto loaded = kbdb::load_xml(xml, "imported.xml");
  for (const auto& d : loaded.diagnostics) ADD_FAILURE() << to_string(d);
  ASSERT_EQ(loaded.db.articles.size(), 1u);
  ASSERT_EQ(loaded.db.articles[0].fixed_in.size(), 1u);
  EXPECT_EQ(loaded.db.articles[0].fixed_in[0].source, "keywords");
  EXPECT_EQ(missing_fix_evidence(r), "");

  // Every spelling of the Windows NT 4.0 tag; the earliest of two is "first corrected in".
  for (const auto& [tags, sp] : std::vector<std::pair<std::string, std::string>>{
           {"kbWinNT4sp6fix", "6"}, {"kbOSWinNT400sp5fix", "5"}, {"kbWinNT400sp5fix kbWinNT400sp4fix", "4"}}) {
    const auto t = import_article(tagged_article("Q900102", {"Microsoft Windows NT Server version 4.0"}, kConfirmed, tags), "t");
    ASSERT_EQ(t.fixed_in.size(), 1u) << tags;
    EXPECT_EQ(t.fixed_in[0].service_pack, sp) << tags;
  }
}

TEST(KbImportKeywords, StatusOfAnotherEditionLeavesTheNt4LineToTheTag) {
  // Q223791: STATUS names Terminal Server Edition SP6 only; the tag gives the Server's.
  const auto r = import_article(
      tagged_article("Q900103", {"Microsoft Windows NT Server version 4.0",
                                 "Microsoft Windows NT Server version 4.0, Terminal Server Edition"},
                     "Microsoft has confirmed this to be a problem. This problem was first corrected in\n"
                     "Windows NT Server version 4.0, Terminal Server Edition Service Pack 6.",
                     "kbWinNT4sp6fix"),
      "Q900103.txt");
  ASSERT_TRUE(r.complete()) << problems(r);
  const auto a = to_article(r);
  ASSERT_EQ(a.fixed_in.size(), 2u);
  EXPECT_EQ(a.fixed_in[0].edition, kbdb::Edition::terminal_server);
  EXPECT_EQ(a.fixed_in[0].service_pack, "6");
  EXPECT_EQ(a.fixed_in[0].source, "status");
  EXPECT_FALSE(a.fixed_in[1].edition) << "the Windows NT 4.0 line";
  EXPECT_EQ(a.fixed_in[1].service_pack, "6");
  EXPECT_EQ(a.fixed_in[1].source, "keywords");

  // STATUS naming the Windows NT 4.0 line itself wins over the tag.
  const auto s = import_article(
      tagged_article("Q900104", {"Microsoft Windows NT Server version 4.0"},
                     "This problem was first corrected in Windows NT 4.0 Service Pack 5.", "kbWinNT400sp4fix"),
      "Q900104.txt");
  ASSERT_EQ(s.fixed_in.size(), 1u);
  EXPECT_EQ(s.fixed_in[0].service_pack, "5");
  EXPECT_EQ(s.fixed_in[0].source, "status");

  // A Terminal Server Edition article: the NT 4.0 tag says nothing of its own line.
  const auto tse = import_article(
      tagged_article("Q900105", {"Microsoft Windows NT Server version 4.0, Terminal Server Edition"}, kConfirmed,
                     "kbWinNT400sp4fix"),
      "Q900105.txt");
  EXPECT_TRUE(tse.fixed_in.empty());
  EXPECT_NE(missing_fix_evidence(tse), "");
}

TEST(KbImportKeywords, OtherProductsTagsAndHotfixesWithoutAServicePackGiveNone) {
  for (const char* tags : {"kbWin2000sp3fix", "kbVS600sp4fix kbSNA400sp4fix kbsms200sp2fix", "kbWinNT400PreSP7Fix",
                           "kbWinNT400PreSP7Fixkbfix", "kbWinNT400nospFix", "kbTSE400preSP7fix", "kbWinNT400sp4fixed",
                           "kbWinNT400spfix"}) {
    SCOPED_TRACE(tags);
    const auto r = import_article(tagged_article("Q900106", {"Microsoft Windows NT Server version 4.0"},
                                                 "Microsoft has confirmed this to be a problem in Windows NT 4.0. "
                                                 "A supported fix is now available.",
                                                 tags),
                                  "Q900106.txt");
    ASSERT_TRUE(r.complete()) << problems(r);
    EXPECT_TRUE(r.fixed_in.empty()) << r.fixed_in[0].service_pack;
  }
  // A Windows 2000 article tagged for NT 4.0 too gains nothing it does not apply to.
  const auto w2k = import_article(
      tagged_article("Q900107", {"Microsoft Windows 2000 Server"}, kConfirmed, "kbWin2000sp3fix kbWinNT400sp4fix"), "w");
  EXPECT_TRUE(w2k.fixed_in.empty());
}

TEST(KbImportSelection, OnlyArticlesWithFixEvidenceTheAnalyzerCanJudge) {
  // A hotfix with no service pack and no table: left out, with STATUS and the tag as the reason.
  const auto hotfix = import_article(
      tagged_article("Q900108", {"Microsoft Windows NT Server version 4.0"},
                     "Microsoft has confirmed this to be a problem in Windows NT 4.0. More text.", "kbWinNT400PreSP7Fix"),
      "Q900108.txt");
  const auto why = missing_fix_evidence(hotfix);
  EXPECT_NE(why.find("no file table"), std::string::npos) << why;
  EXPECT_NE(why.find("no fixing service pack"), std::string::npos) << why;
  EXPECT_NE(why.find("STATUS: \"Microsoft has confirmed this to be a problem in Windows NT 4.0.\""), std::string::npos) << why;
  EXPECT_NE(why.find("kbWinNT400PreSP7Fix (a hotfix in no service pack)"), std::string::npos) << why;
  // Only a Terminal Server Edition fix for an article that applies to Server alone: nothing to judge with.
  const auto other_line = import_article(
      tagged_article("Q900109", {"Microsoft Windows NT Server version 4.0"},
                     "This problem was first corrected in Windows NT Server 4.0, Terminal Server Edition Service Pack 4.",
                     "kbbug"),
      "Q900109.txt");
  ASSERT_EQ(other_line.fixed_in.size(), 1u);
  EXPECT_NE(missing_fix_evidence(other_line).find("no fixing service pack for a Windows NT 4.0 edition it applies to"),
            std::string::npos)
      << missing_fix_evidence(other_line);
  // A fixing service pack from STATUS, or a file row: kept.
  const auto status_sp = import_article(
      tagged_article("Q900110", {"Microsoft Windows NT Server version 4.0"},
                     "This problem was first corrected in Windows NT 4.0 Service Pack 4.", "kbbug"),
      "Q900110.txt");
  EXPECT_EQ(missing_fix_evidence(status_sp), "");
  const auto table = import_article(
      article("Q900111", "T",
              resolution("  Date      Time    Size     File name     Platform\n"
                         "  ------------------------------------------------\n"
                         "  05/29/97  06:20p  259,920  Rdr.sys       x86\n")),
      "Q900111.txt");
  EXPECT_EQ(missing_fix_evidence(table), "");
  // A table whose rows the database cannot hold (no platform) is no evidence.
  const auto no_platform = import_article(
      article("Q900112", "T",
              resolution("  Date      Time    Size     File name\n"
                         "  ----------------------------------\n"
                         "  05/29/97  06:20p  259,920  Rdr.sys\n")),
      "Q900112.txt");
  ASSERT_EQ(no_platform.files.size(), 1u);
  EXPECT_NE(missing_fix_evidence(no_platform).find("no file row the database can hold (1 rows without a platform or a date)"),
            std::string::npos)
      << missing_fix_evidence(no_platform);
}

TEST(KbImport, TheTimeStampPhraseIntroducesAHeaderlessTable) {
  // Q186401's layout: date, time, size, name, platform, under no header.
  const auto r = import_article(
      article("Q900113", "T",
              "RESOLUTION\n==========\n\nTo resolve this problem, contact Microsoft Technical Support.\n\n"
              "This fix should have the following time stamp:\n\n"
              "  05/26/98  10:07p                88,336 Xactsrv.dll (Intel)\n"
              "  05/26/98  10:08p               170,768 Xactsrv.dll (Alpha)\n\n"
              "STATUS\n======\n\nMicrosoft has confirmed this to be a problem in Windows NT version 4.0.\n"),
      "Q900113.txt");
  ASSERT_TRUE(r.complete()) << problems(r);
  ASSERT_EQ(r.tables.size(), 1u);
  EXPECT_EQ(r.tables[0].columns, (std::vector<std::string>{"date", "time", "size", "name", "platform"}));
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(row(r, 0).name, "Xactsrv.dll");
  EXPECT_EQ(row(r, 0).date, (Date{1998, 5, 26}));
  EXPECT_EQ(row(r, 0).time, (TimeOfDay{22, 7}));
  EXPECT_EQ(row(r, 0).size, 88336u);
  EXPECT_EQ(row(r, 0).platform, Platform::x86);
  EXPECT_EQ(row(r, 1).platform, Platform::alpha);
  EXPECT_EQ(row(r, 1).size, 170768u);
  // The phrase with nothing readable under it is reported, not dropped.
  const auto bad = import_article(
      article("Q900114", "T",
              "RESOLUTION\n==========\n\nThis fix should have the following time stamp:\n\n"
              "  see the readme of the fix\n"),
      "Q900114.txt");
  EXPECT_FALSE(bad.complete());
}

// --- the seeds and the corpus (../shared) ----------------------------------------

const fs::path kShared = HFA_SHARED_DIR;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Field by field; each difference as one line.
std::vector<std::string> compare(const kbdb::Article& text, const kbdb::Article& db, std::vector<std::string>& curated) {
  std::vector<std::string> d;
  const auto diff = [&](const std::string& what, const std::string& a, const std::string& b) {
    if (a != b) d.push_back(what + ": text '" + a + "', built-in '" + b + "'");
  };
  diff("title", text.title, db.title);
  diff("modified", to_string(text.modified), to_string(db.modified));
  const auto applies = [](const kbdb::Article& a) {
    std::string s;
    for (const auto& x : a.applies_to) {
      s += std::string(kbdb::to_string(x.edition)) + " " + x.os_version;
      for (const auto& sp : x.service_packs) s += " SP" + sp;
      s += "; ";
    }
    return s;
  };
  diff("applies-to", applies(text), applies(db));
  const auto platforms = [](const kbdb::Article& a) {
    std::string s;
    for (const auto p : a.platforms) s += std::string(to_string(p)) + " ";
    return s;
  };
  diff("platforms", platforms(text), platforms(db));
  // The facts the article's own text gives; those other articles give (a fix
  // list's service pack, a package containing it) come from link_relations.
  const auto own = [](const kbdb::Article& a, const kbdb::SourceRef& from) {
    return from.article.empty() || iequals(from.article, a.id);
  };
  const auto fixed = [&](const kbdb::Article& a) {
    std::string s;
    for (const auto& f : a.fixed_in)
      if (own(a, f.from))
        s += (f.edition ? std::string(kbdb::to_string(*f.edition)) : "nt") + " SP" + f.service_pack + " (" + f.source + "); ";
    return s;
  };
  diff("fixed-in", fixed(text), fixed(db));
  const auto packages = [&](const kbdb::Article& a) {
    std::string s;
    for (const auto& p : a.packages)
      if (own(a, p.from)) s += p.id + " " + p.relation + " " + p.title + "; ";
    return s;
  };
  diff("packages", packages(text), packages(db));
  const auto files = [](const kbdb::Article& a) {
    std::string s;
    for (const auto& f : a.files) {
      s += f.name + " " + std::string(to_string(f.platform)) + " " + (f.date ? to_string(*f.date) : std::string("?")) + " " +
           (f.time ? to_string(*f.time) : "-") + " " + (f.size ? std::to_string(*f.size) : "-") + " " +
           (f.version ? to_string(*f.version) : "-") + " [" + f.section + "]; ";
    }
    return s;
  };
  diff("files", files(text), files(db));
  // Modules: the text names none; the built-in ones are curated, and must say so.
  std::string text_modules;
  for (const auto& m : text.modules) text_modules += m.path + "; ";
  std::string db_uncurated;
  for (const auto& m : db.modules) {
    if (m.curated) curated.push_back(db.id + ": module " + m.path + " (" + m.format + ") is curated, not in the text");
    else db_uncurated += m.path + "; ";
  }
  diff("modules", text_modules, db_uncurated);
  return d;
}

TEST(KbImportSeeds, TheSeedsGiveTheFactsOfTheBuiltInDatabase) {
  const auto seeds = kShared / "seeds";
  if (!fs::is_directory(seeds)) GTEST_SKIP() << seeds << " is absent (the shared seed articles)";
  size_t compared = 0;
  std::vector<std::string> curated;
  for (const char* id : {"Q170626", "Q223770", "Q225095", "Q257647", "Q259042"}) {
    SCOPED_TRACE(id);
    const auto path = seeds / (std::string(id) + ".txt");
    ASSERT_TRUE(fs::exists(path)) << path;
    const auto r = import_article(read_file(path), path.string());
    EXPECT_TRUE(r.complete()) << problems(r);
    std::vector<std::string> omitted;
    const auto text = to_article(r, &omitted);
    EXPECT_TRUE(omitted.empty()) << omitted[0];
    const auto* db = kbdb::builtin().find(id);
    ASSERT_NE(db, nullptr);
    for (const auto& d : compare(text, *db, curated)) ADD_FAILURE() << d;
    ++compared;
  }
  EXPECT_EQ(compared, 5u);
  // The facts the built-in database holds that the text does not give.
  for (const auto& c : curated) std::cout << "[ curated  ] " << c << "\n";
  EXPECT_EQ(curated.size(), 3u) << "user32.dll and ddeml.dll for Q170626, mciavi32.dll for Q223770";
  ::testing::Test::RecordProperty("curated_facts", int(curated.size()));
}

TEST(KbImportSeeds, EveryBuiltInArticleIsAnImportedNt4LeakArticle) {
  // builtin.xml is what scripts/make-builtin-db.sh writes over kb-nt4, kb-corpus
  // and the seeds, the relations linked: check it still is.
  std::vector<ImportResult> all;
  std::vector<std::string> texts;
  for (const char* dir : {"kb-nt4", "kb-corpus", "seeds"}) {
    if (!fs::is_directory(kShared / dir)) GTEST_SKIP() << kShared / dir << " is absent (the shared KB articles)";
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(kShared / dir))
      if (e.path().extension() == ".txt") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      texts.push_back(read_file(f));
      all.push_back(import_article(texts.back(), f.string()));
    }
  }
  link_relations(all);
  std::map<std::string, const ImportResult*> last;  // a later copy replaces an earlier one
  for (size_t i = 0; i < all.size(); ++i) {
    const auto& r = all[i];
    if (r.kind == "fix-list" || !is_nt4_leak_article(texts[i], r) || !r.complete()) continue;
    if (missing_fix_evidence(r).empty()) last[ascii_lower(r.id)] = &r;
  }
  std::vector<std::string> curated;
  for (const auto& [id, r] : last) {
    const auto* db = kbdb::builtin().find(r->id);
    ASSERT_NE(db, nullptr) << r->id << " is an NT 4.0 leak article read fully with fix evidence but not built in: "
                           << "run scripts/make-builtin-db.sh";
    for (const auto& d : compare(to_article(*r), *db, curated)) ADD_FAILURE() << r->id << ": " << d;
  }
  // Every other built-in article is a fix list or package containing one of
  // them, or what rule 9 reads: Q246009 (what SP6a changed) and its members.
  const auto* sp6a = kbdb::builtin().find("Q246009");
  ASSERT_NE(sp6a, nullptr) << "Q246009 is not built in: run scripts/make-builtin-db.sh";
  for (const auto& a : kbdb::builtin().articles) {
    if (last.count(ascii_lower(a.id))) continue;
    if (a.id == "Q246009" || std::any_of(sp6a->contains.begin(), sp6a->contains.end(),
                                         [&](const kbdb::Member& m) { return m.id == a.id; }))
      continue;
    EXPECT_NE(a.kind, "fix") << a.id << " is built in but not selected: run scripts/make-builtin-db.sh";
    EXPECT_TRUE(std::any_of(a.contains.begin(), a.contains.end(),
                            [&](const kbdb::Member& m) { return last.count(ascii_lower(m.id)) > 0; }))
        << a.id << " contains no built-in article";
  }
}

// The acceptance figure: file-attribute tables of the corpus read with every row.
TEST(KbImportCorpus, ReadsAtLeast98PercentOfTheCorpusTables) {
  const auto corpus = kShared / "kb-corpus";
  if (!fs::is_directory(corpus)) GTEST_SKIP() << corpus << " is absent (the shared KB corpus)";
  size_t articles = 0, complete = 0, tables = 0, tables_ok = 0, rows = 0, phrases_without_table = 0;
  for (const auto& e : fs::directory_iterator(corpus)) {
    if (e.path().extension() != ".txt") continue;
    const auto r = import_article(read_file(e.path()), e.path().filename().string());
    ++articles;
    if (r.complete()) ++complete;
    EXPECT_FALSE(r.id.empty()) << e.path();
    for (const auto& t : r.tables) {
      ++tables;
      rows += t.rows;
      if (t.problems.empty()) ++tables_ok;
    }
    for (const auto& p : r.problems)
      if (p.code == code::kUntabledPhrase) ++phrases_without_table;
  }
  const double share = double(tables_ok) / double(tables + phrases_without_table);
  std::cout << "[ corpus   ] articles " << articles << ", read fully " << complete << "; tables " << tables
            << ", read fully " << tables_ok << ", rows " << rows << ", phrases without a table "
            << phrases_without_table << ": " << 100.0 * share << "%\n";
  ::testing::Test::RecordProperty("tables", int(tables));
  ::testing::Test::RecordProperty("tables_read_fully", int(tables_ok));
  ::testing::Test::RecordProperty("rows", int(rows));
  EXPECT_GT(articles, 1000u);
  EXPECT_GE(share, 0.98);
}

// A hand-verified sample: rows read here by eye from the article texts.
TEST(KbImportCorpus, HandVerifiedSample) {
  const auto corpus = kShared / "kb-corpus";
  if (!fs::is_directory(corpus)) GTEST_SKIP() << corpus << " is absent (the shared KB corpus)";
  const auto load = [&](const char* id) { return import_article(read_file(corpus / (std::string(id) + ".txt")), id); };
  {
    const auto r = load("Q265714");  // two products, a blank line inside the NT 4.0 table
    EXPECT_TRUE(r.complete()) << problems(r);
    ASSERT_GE(r.files.size(), 4u);
    EXPECT_EQ(row(r, 0).section, "Windows NT 4.0");
    EXPECT_EQ(row(r, 0).name, "Regacl40.exe");
    EXPECT_EQ(row(r, 0).date, (Date{2000, 6, 23}));
    EXPECT_EQ(row(r, 0).time, (TimeOfDay{20, 28}));
    EXPECT_EQ(row(r, 0).size, 42256u);
    EXPECT_EQ(row(r, 0).platform, Platform::x86);
    EXPECT_EQ(row(r, 3).name, "Tcpcfg.dll");
    EXPECT_EQ(row(r, 3).size, 242960u);
    EXPECT_EQ(row(r, 3).time, (TimeOfDay{20, 26}));
    EXPECT_EQ(row(r, 3).platform, Platform::alpha);
    ASSERT_EQ(r.packages.size(), 1u);
    EXPECT_EQ(r.packages[0].id, "Q299444");
  }
  {
    const auto r = load("Q270133");  // boxed, Component line, seconds in times
    EXPECT_TRUE(r.complete()) << problems(r);
    ASSERT_EQ(r.files.size(), 2u);
    EXPECT_EQ(row(r, 1).name, "Mapi32.dll");
    EXPECT_EQ(row(r, 1).version, "5.5.2653.6");
    EXPECT_EQ(row(r, 1).date, (Date{2000, 8, 24}));
    EXPECT_EQ(row(r, 1).time, (TimeOfDay{3, 24}));
    EXPECT_EQ(row(r, 1).size, 1385232u);
    EXPECT_EQ(row(r, 1).platform, Platform::alpha);
    EXPECT_EQ(row(r, 1).component, "Exchange Notes Connector");
  }
  {
    const auto r = load("Q186669");  // the table sits under the NT 3.51 heading
    EXPECT_TRUE(r.complete()) << problems(r);
    ASSERT_EQ(r.files.size(), 2u);
    EXPECT_EQ(row(r, 1).section, "Windows NT 3.51");
    EXPECT_EQ(row(r, 1).name, "Logout.exe");
    EXPECT_EQ(row(r, 1).size, 31015u);
    EXPECT_EQ(row(r, 1).time, (TimeOfDay{18, 16}));
    ASSERT_EQ(r.fixed_in.size(), 2u);
    EXPECT_EQ(r.fixed_in[0].service_pack, "4");
    EXPECT_EQ(r.fixed_in[1].edition, kbdb::Edition::terminal_server);
  }
  {
    const auto r = load("Q161100");  // Windows 95: / Windows 98: headings, columns in two orders
    EXPECT_TRUE(r.complete()) << problems(r);
    ASSERT_EQ(r.files.size(), 3u);
    EXPECT_EQ(row(r, 0).section, "Windows 95");
    EXPECT_EQ(row(r, 0).version, "4.00.958");
    EXPECT_EQ(row(r, 0).date, (Date{1996, 7, 23}));
    EXPECT_FALSE(row(r, 0).time);
    EXPECT_EQ(row(r, 2).section, "Windows 98");
    EXPECT_EQ(row(r, 2).size, 165461u);
    EXPECT_EQ(row(r, 2).date, (Date{1999, 8, 13}));
    EXPECT_EQ(row(r, 2).version, "4.10.2149");
  }
  {
    const auto r = load("Q140257");  // one attribute line, no column header: read by the words' shapes
    EXPECT_TRUE(r.complete()) << problems(r);
    ASSERT_EQ(r.files.size(), 1u);
    EXPECT_EQ(row(r, 0).name, "USER.EXE");
    EXPECT_EQ(row(r, 0).version, "4.00.951");
    EXPECT_EQ(row(r, 0).size, 461984u);
  }
}

}  // namespace
}  // namespace hfa::kbimport
