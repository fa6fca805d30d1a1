// Issue 10, point 3: the relations an article's text gives, on texts written
// here in the shapes of the real ones (a service pack's fix list, a roll-up's
// CAUSE, a security roll-up's "Fixes Included" list, a registry value to add,
// an optional component in the title, files installed outside system32).
#include <gtest/gtest.h>

#include "kbimport/kbimport.h"
#include "tests/kbimport_text.h"

namespace hfa::kbimport {
namespace {

// The 1-based line of the first line of `text` containing `needle`.
int line_of(const std::string& text, const std::string& needle) {
  const auto p = text.find(needle);
  if (p == std::string::npos) return 0;
  return int(std::count(text.begin(), text.begin() + long(p), '\n')) + 1;
}

TEST(KbImportRelations, AFixListListsItsArticlesWithTheServicePackAndLine) {
  const std::string text = article(
      "Q900201", "List of Bugs Fixed in Windows NT 4.0 Service Pack 6/6a (Part 1)",
      "SUMMARY\n=======\n\nThis article lists the bugs fixed. See also:\n\n"
      "  Q900299 List of Bugs Fixed in Windows NT 4.0 Service Pack 5\n\n"
      "MORE INFORMATION\n================\n\nBase Operating System\n---------------------\n\n"
      "  Q900211 Spooler Leaks Memory When a Remote Printer Is Closed\n"
      "  Q900212 Winlogon Leaks Handles With a Title Long Enough to\n"
      "  Wrap Onto the Next Line\n"
      "  Q152734 How to Obtain the Latest Windows NT 4.0 Service Pack\n");
  const auto r = import_article(text, "Q900201.txt");
  EXPECT_EQ(r.kind, "fix-list");
  ASSERT_TRUE(r.lists);
  EXPECT_FALSE(r.lists->edition);
  EXPECT_EQ(r.lists->service_pack, "6");
  ASSERT_EQ(r.listed.size(), 2u) << "the other list and the how-to are references, not fixes";
  EXPECT_EQ(r.listed[0].member.id, "Q900211");
  EXPECT_EQ(r.listed[0].member.from.article, "Q900201");
  EXPECT_EQ(r.listed[0].member.from.line, line_of(text, "Q900211"));
  EXPECT_EQ(r.listed[1].member.id, "Q900212");
  ASSERT_TRUE(r.listed[1].in);
  EXPECT_EQ(r.listed[1].in->service_pack, "6");
}

// Q184693's shape: SP4's DNS/DHCP/WINS update names its fixes as
// "Article-ID: Qnnn" with the title on the next line.
TEST(KbImportRelations, ReleaseNotesOfAServicePackUpdateListItsFixes) {
  const std::string text = article(
      "Q900204", "DNS/DHCP/WINS Release Notes for Windows NT 4.0 SP4 Update",
      "SUMMARY\n=======\n\nDomain Name System (DNS)\n------------------------\n\n"
      "This service pack update release includes several fixes to correct known Domain\n"
      "Name System (DNS) problems.\n\n"
      "  Article-ID: Q900216\n  Title : Multiple Entries in Zone File Cause Memory Leak\n\n"
      "  Article ID: Q900217\n  Title : DHCP Server May Fail to Record Lease\n\n"
      "MORE INFORMATION\n================\n\n  Article-ID: Q900218\n  Title : Not a member\n");
  const auto r = import_article(text, "Q900204.txt");
  EXPECT_EQ(r.kind, "fix-list");
  ASSERT_TRUE(r.lists);
  EXPECT_EQ(r.lists->service_pack, "4");
  ASSERT_EQ(r.listed.size(), 2u);
  EXPECT_EQ(r.listed[0].member.id, "Q900216");
  EXPECT_EQ(r.listed[0].member.from.line, line_of(text, "Q900216"));
  EXPECT_EQ(r.listed[1].member.id, "Q900217");

  // Release notes that do not say the release includes fixes list nothing.
  const auto notes = import_article(
      article("Q900205", "Release Notes for Windows NT 4.0 SP4 Update",
              "SUMMARY\n=======\n\n  Article-ID: Q900219\n  Title : Something\n"),
      "Q900205.txt");
  EXPECT_NE(notes.kind, "fix-list");
  EXPECT_TRUE(notes.listed.empty());
}

TEST(KbImportRelations, ATseFixListIsForTheTerminalServerLineAndPerSectionListsTakeTheirHeading) {
  const auto tse = import_article(
      article("Q900202", "List of Bugs Fixed in Terminal Server Edition Service Pack 5",
              "MORE INFORMATION\n================\n\n  Q900213 SNMP Service Leaks Memory\n"),
      "Q900202.txt");
  ASSERT_TRUE(tse.lists);
  EXPECT_EQ(tse.lists->edition, kbdb::Edition::terminal_server);
  EXPECT_EQ(tse.lists->service_pack, "5");

  const auto old = import_article(
      article("Q900203", "List of Bugs Fixed in Windows NT 4.0 Service Pack 1, 2, and 3",
              "MORE INFORMATION\n================\n\nService Pack 3\n--------------\n\n  Q900214 A Leak in Three\n\n"
              "Service Pack 2\n--------------\n\n  Q900215 A Leak in Two\n"),
      "Q900203.txt");
  EXPECT_EQ(old.kind, "fix-list");
  EXPECT_FALSE(old.lists) << "several service packs: none for the whole list";
  ASSERT_EQ(old.listed.size(), 2u);
  EXPECT_EQ(old.listed[0].in->service_pack, "3");
  EXPECT_EQ(old.listed[1].in->service_pack, "2");
}

TEST(KbImportRelations, ARollupContainsTheArticlesItsCauseNamesAndItsIncludedList) {
  const std::string spooler = article(
      "Q900204", "Spooler Rollup Fix to Address Memory Leaks",
      "CAUSE\n=====\n\nThis rollup fix was backported. For more about Win32spl.dll, see:\n\n"
      "  Q900216 Spooler Service May Leak Private Bytes\n\nFor more about Lprmon.dll, see:\n\n"
      "  Q900217 Lprmon Leaks Handles\n\nRESOLUTION\n==========\n\n  Q900218 Unrelated Article in Resolution\n");
  const auto r = import_article(spooler, "Q900204.txt");
  EXPECT_EQ(r.kind, "package");
  ASSERT_EQ(r.listed.size(), 2u);
  EXPECT_EQ(r.listed[0].member.id, "Q900216");
  EXPECT_EQ(r.listed[1].member.id, "Q900217");
  EXPECT_EQ(r.listed[1].member.from.line, line_of(spooler, "Q900217"));

  const auto srp = import_article(
      article("Q900205", "Post-Windows NT 4.0 SP6a Security Rollup Package (SRP)",
              "SUMMARY\n=======\n\n  Q900219 STOP 0xA Occurs After Applying the Rollup\n\n"
              "MORE INFORMATION\n================\n\nFixes Included in the SRP\n-------------------------\n\n"
              "  Q900220 Winlogon Leaks Memory\n\n  Q900221 Services Leak Handles\n"),
      "Q900205.txt");
  EXPECT_EQ(srp.kind, "package");
  ASSERT_EQ(srp.listed.size(), 2u) << "only the included list, not the known issues";
  EXPECT_EQ(srp.listed[0].member.id, "Q900220");

  // An article about a problem the package causes is not a package.
  const auto problem = import_article(article("Q900206", "Server Hangs After You Apply the SRP", "CAUSE\n=====\n\nX.\n"),
                                      "Q900206.txt");
  EXPECT_EQ(problem.kind, "fix");
}

TEST(KbImportRelations, LinkingGivesMembersTheListsServicePackAndThePackage) {
  std::vector<ImportResult> all;
  all.push_back(import_article(article("Q900211", "Spooler Leaks Memory", "STATUS\n======\n\nConfirmed.\n"), "a"));
  all.push_back(import_article(
      article("Q900201", "List of Bugs Fixed in Terminal Server Edition Service Pack 6",
              "MORE INFORMATION\n================\n\n  Q900211 Spooler Leaks Memory\n"),
      "b"));
  all.push_back(import_article(
      article("Q900204", "Spooler Rollup Fix to Address Memory Leaks",
              "CAUSE\n=====\n\nBackported from:\n\n  Q900211 Spooler Leaks Memory\n"),
      "c"));
  link_relations(all);
  const auto& fix = all[0];
  ASSERT_EQ(fix.fixed_in.size(), 1u);
  EXPECT_EQ(fix.fixed_in[0].edition, kbdb::Edition::terminal_server);
  EXPECT_EQ(fix.fixed_in[0].service_pack, "6");
  EXPECT_EQ(fix.fixed_in[0].source, "fix-list");
  EXPECT_EQ(fix.fixed_in[0].from.article, "Q900201");
  ASSERT_EQ(fix.packages.size(), 1u);
  EXPECT_EQ(fix.packages[0].id, "Q900204");
  EXPECT_EQ(fix.packages[0].relation, "delivers");
  EXPECT_EQ(fix.packages[0].from.article, "Q900204");
  // The database article keeps both, with their sources.
  const auto a = to_article(fix);
  ASSERT_EQ(a.fixed_in.size(), 1u);
  EXPECT_EQ(a.fixed_in[0].source, "fix-list");
  EXPECT_EQ(a.fixed_in[0].from.line, fix.fixed_in[0].from.line);
  const auto list = to_article(all[1]);
  EXPECT_EQ(list.kind, "fix-list");
  ASSERT_EQ(list.contains.size(), 1u);
  EXPECT_EQ(list.contains[0].id, "Q900211");
}

TEST(KbImportRelations, SupersedesComponentsSettingsAndInstallLocations) {
  const std::string text = article(
      "Q900207", "Cluster Server Resource Monitor Leaks Memory",
      "RESOLUTION\n==========\n\nThis fix supersedes the fix in Q900230.\n\n"
      "To turn the fix on, add the following registry value under\n\n"
      "  HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters\n\n"
      "  Value Name: KeepConn\n  Data Type: REG_DWORD\n  Value: 0\n\n"
      "The English version of this fix should have the following file attributes or later:\n\n"
      "  Date      Time    Size     File name     Platform\n"
      "  -------------------------------------------------\n"
      "  04/04/00  00:46   12,345   Clussvc.exe   x86\n"
      "  04/04/00  00:46   12,345   Rasdd.dll     x86\n"
      "  04/04/00  00:46   12,345   Rasdd.dll     Alpha\n"
      "  04/04/00  00:46   12,345   W3svc.dll     x86\n"
      "  04/04/00  00:46   12,345   Tcpip.sys     x86\n"
      "  04/04/00  00:46   12,345   Win32k.sys    x86\n"
      "  04/04/00  00:46   12,345   Kernel32.dll  x86\n");
  const auto r = import_article(text, "Q900207.txt");
  ASSERT_EQ(r.supersedes.size(), 1u);
  EXPECT_EQ(r.supersedes[0].id, "Q900230");
  EXPECT_EQ(r.supersedes[0].from.line, line_of(text, "supersedes"));
  ASSERT_EQ(r.components.size(), 1u);
  EXPECT_EQ(r.components[0].name, "Cluster Server");
  EXPECT_EQ(r.components[0].services, (std::vector<std::string>{"ClusSvc"}));
  ASSERT_EQ(r.settings.size(), 1u);
  EXPECT_EQ(r.settings[0].hive, "SYSTEM");
  EXPECT_EQ(r.settings[0].key, "CurrentControlSet\\Services\\LanmanWorkstation\\Parameters");
  EXPECT_EQ(r.settings[0].value, "KeepConn");
  EXPECT_EQ(r.settings[0].data, "0");
  EXPECT_EQ(r.settings[0].from.line, line_of(text, "Value Name"));
  ASSERT_EQ(r.files.size(), 7u);
  EXPECT_EQ(r.files[0].location, "cluster");
  EXPECT_EQ(r.files[1].location, "system32/spool/drivers/w32x86/2");
  EXPECT_EQ(r.files[2].location, "system32/spool/drivers/w32alpha/2");
  EXPECT_EQ(r.files[3].location, "system32/inetsrv");
  EXPECT_EQ(r.files[4].location, "system32/drivers");
  EXPECT_EQ(r.files[5].location, "") << "win32k.sys is in system32";
  EXPECT_EQ(r.files[6].location, "");
  // A DHCP client or WINS client title is about what every installation has.
  const auto client = import_article(article("Q900208", "DHCP Client Leaks Memory on Renewal", "X\n"), "c");
  EXPECT_TRUE(client.components.empty());
}

}  // namespace
}  // namespace hfa::kbimport
