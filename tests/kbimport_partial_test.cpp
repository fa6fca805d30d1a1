// Issue 10, point 10: what the importer used to lose. A STATUS paragraph that
// runs straight into the closing rule, a Terminal Server Edition table named
// only by the sentence above it, and rows it can read only in part: each is
// kept, with every cell it can read and the reason for each it cannot.
#include <gtest/gtest.h>

#include "kbimport/kbimport.h"
#include "tests/kbimport_text.h"

namespace hfa::kbimport {
namespace {

const Row& nth(const ImportResult& r, size_t i) {
  static const Row none;
  if (i >= r.files.size()) {
    ADD_FAILURE() << "no row " << i << " (" << r.files.size() << " rows)";
    return none;
  }
  return r.files[i];
}

TEST(KbImportFooter, AStatusRunningIntoTheClosingRuleKeepsItsLastLine) {
  // article() closes the body with the rule on the very next line: no blank line between.
  const std::string text = article("Q900101", "Leak", "SYMPTOMS\n========\n\nA leak.\n\nSTATUS\n======\n\n"
                                                      "Confirmed. This problem was first corrected in Windows\n"
                                                      "NT 4.0 Service Pack 4.0 and Windows NT Server 4.0, Terminal Server Edition\n"
                                                      "Service Pack 4.");
  ASSERT_NE(text.find("Service Pack 4.\n\t====="), std::string::npos);
  const auto r = import_article(text, "Q900101.txt");
  ASSERT_EQ(r.fixed_in.size(), 2u) << r.status;
  EXPECT_EQ(r.fixed_in[0].service_pack, "4");
  EXPECT_FALSE(r.fixed_in[0].edition);
  EXPECT_EQ(r.fixed_in[1].edition, kbdb::Edition::terminal_server);
  EXPECT_EQ(r.fixed_in[1].service_pack, "4");
  EXPECT_EQ(r.status.find("Hardware"), std::string::npos) << "the footer is not STATUS: " << r.status;
  EXPECT_EQ(r.platforms, (std::vector<Platform>{Platform::x86, Platform::alpha})) << "the footer is still read";
}

TEST(KbImportTse, ATableTheSentenceNamesForTerminalServerIsATseTableOfX86Rows) {
  const auto r = import_article(
      article("Q900102", "Leak",
              "RESOLUTION\n==========\n\n"
              "The English-language version of this fix for Windows NT Server should have the\n"
              "following file attributes or later:\n\n"
              "  Date        Time   Size     File name     Platform\n"
              "  --------------------------------------------------\n"
              "  03/14/2000  18:00  105 KB   Rpcss.exe     Intel\n\n"
              "The English-language version of this fix for Windows NT Server Terminal Server\n"
              "Edition should have the following file attributes or later:\n\n"
              "  Date        Time   Version           Size     File name\n"
              "  -------------------------------------------------------\n"
              "  09/27/2001  20:17  4.0.1381.33401    123,456  Ole32.dll\n"),
      "Q900102.txt");
  EXPECT_TRUE(r.complete());
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(nth(r, 0).section, "");
  EXPECT_EQ(nth(r, 1).section, "Windows NT Server 4.0, Terminal Server Edition");
  EXPECT_EQ(nth(r, 1).platform, Platform::x86) << "TSE 4.0 exists for x86 only";
  EXPECT_EQ(nth(r, 1).version, "4.0.1381.33401");
  // The database keeps it: a TSE row the analyzer can judge.
  std::vector<std::string> omitted;
  const auto a = to_article(r, &omitted);
  EXPECT_TRUE(omitted.empty());
  ASSERT_EQ(a.files.size(), 2u);
  EXPECT_EQ(a.files[1].name, "Ole32.dll");
}

TEST(KbImportPartialRows, EveryRowIsKeptWithTheCellsItCouldReadAndWhyNotTheOthers) {
  const auto r = import_article(
      article("Q900103", "Leak",
              resolution("  Date      Time   Version          Size     File name     Platform\n"
                         "  -----------------------------------------------------------------\n"
                         "  04/04/00  14:36  4.0.1381.7000    135,440  Good.dll      x86\n"
                         "  04/04/00  1436   4.0.1381.7000    135,440  Time.dll      x86\n"
                         "  04/04/00  14:36  5.0:2195.2194    135,440  Typo.dll      x86\n"
                         "  04/04/00  14:36  4.0.1381.7000    94.5     Kilo.dll      x86\n"
                         "  xx/xx/xx  14:36  4.0.1381.7000    135,440  Place.dll     x86\n"
                         "  | 04/04/00 | 14:36 | 4.0.1381.7000 | 1,024 | Boxed.dll | x86 |\n")),
      "Q900103.txt");
  ASSERT_EQ(r.files.size(), 6u) << "no row is dropped";
  EXPECT_TRUE(nth(r, 0).problems.empty());

  EXPECT_EQ(nth(r, 1).name, "Time.dll");
  EXPECT_FALSE(nth(r, 1).time);
  EXPECT_EQ(nth(r, 1).size, 135440u);
  EXPECT_EQ(nth(r, 1).version, "4.0.1381.7000");
  EXPECT_EQ(nth(r, 1).problems, (std::vector<std::string>{"time '1436' has no ':' between hours and minutes"}));

  EXPECT_EQ(nth(r, 2).version, "5.0:2195.2194") << "kept as written";
  EXPECT_EQ(nth(r, 2).problems, (std::vector<std::string>{"version '5.0:2195.2194' is not a dotted version number"}));

  EXPECT_FALSE(nth(r, 3).size);
  EXPECT_EQ(nth(r, 3).size_text, "94.5");
  EXPECT_EQ(nth(r, 3).problems,
            (std::vector<std::string>{"size '94.5' is not a count of bytes (no unit: kilobytes?)"}));

  EXPECT_FALSE(nth(r, 4).date);
  EXPECT_EQ(nth(r, 4).time, (TimeOfDay{14, 36}));
  EXPECT_EQ(nth(r, 4).problems, (std::vector<std::string>{"date 'xx/xx/xx' is a placeholder, not a value"}));

  // A row boxed in bars under a plain header: the words between the bars.
  EXPECT_EQ(nth(r, 5).name, "Boxed.dll");
  EXPECT_EQ(nth(r, 5).size, 1024u);
  EXPECT_TRUE(nth(r, 5).problems.empty());

  // Each partly read row is one problem line of the article, with its line.
  EXPECT_EQ(r.problems.size(), 4u);
  EXPECT_NE(to_string(r.problems[0]).find("line 29: row 'Time.dll' kept, not read fully: time '1436'"),
            std::string::npos)
      << to_string(r.problems[0]);

  // The database holds the rows it can: a row with no date is left out
  // with the reason until the format takes an unknown date.
  std::vector<std::string> omitted;
  const auto a = to_article(r, &omitted);
  EXPECT_GE(a.files.size(), 5u);
}

TEST(KbImportPartialRows, BoxedCellsOutOfShapeAndAShortVersionAreKept) {
  const auto r = import_article(
      article("Q900104", "Leak",
              resolution("  | File name    | Version     | Size          |\n"
                         "  +--------------+-------------+---------------+\n"
                         "  | Wmsui32.dll  | 5.0:1462.3  | 12,288        |\n"
                         "  | Short.dll    | 786         | 8,192         |\n"
                         "  | Atl.dll      | 3.0.8449.0  | 72KB (73,785 bytes) |\n")),
      "Q900104.txt");
  ASSERT_EQ(r.files.size(), 3u);
  EXPECT_EQ(nth(r, 0).version, "5.0:1462.3");
  EXPECT_EQ(nth(r, 0).size, 12288u);
  EXPECT_EQ(nth(r, 0).problems, (std::vector<std::string>{"version '5.0:1462.3' is not a dotted version number"}));
  EXPECT_EQ(nth(r, 1).version, "786");
  EXPECT_EQ(nth(r, 1).problems,
            (std::vector<std::string>{"version '786' is a build number alone, not a dotted version"}));
  EXPECT_EQ(nth(r, 2).size, 73785u) << "the byte count written in parentheses";
  EXPECT_TRUE(nth(r, 2).problems.empty());
}

TEST(KbImportPartialRows, CellsOutOfTheHeadersOrderAreReadByTheirShapes) {
  const auto r = import_article(
      article("Q900105", "Leak",
              resolution("  Date      Time    Size     File name     Platform\n"
                         "  -------------------------------------------------\n"
                         "  | Imm32.dll | 94,992 | 03/04/98 | 05:07p | (Intel) |\n")),
      "Q900105.txt");
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_TRUE(r.complete()) << (r.problems.empty() ? "" : to_string(r.problems[0]));
  EXPECT_EQ(nth(r, 0).size, 94992u);
  EXPECT_EQ(nth(r, 0).date, (Date{1998, 3, 4}));
  EXPECT_EQ(nth(r, 0).time, (TimeOfDay{17, 7}));
  EXPECT_EQ(nth(r, 0).platform, Platform::x86);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("read by their shapes"), std::string::npos) << r.notes[0];
}

TEST(KbImportStatus, CorrectedInTheUsServicePackForWindowsNt4) {
  const auto r = import_article(
      article("Q900106", "Leak", "STATUS\n======\n\nMicrosoft has confirmed this to be a problem. This\n"
                                 "problem was corrected in the U.S. Service Pack 2 for Windows NT 4.0. For\n"
                                 "more information, contact Microsoft.\n"),
      "Q900106.txt");
  ASSERT_EQ(r.fixed_in.size(), 1u) << r.status;
  EXPECT_EQ(r.fixed_in[0].service_pack, "2");
  EXPECT_TRUE(r.fixed_in[0].nt4);
  EXPECT_FALSE(r.fixed_in[0].edition);
}

}  // namespace
}  // namespace hfa::kbimport
