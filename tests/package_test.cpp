// Issue 13, point 6: the tool as a user installs it. `cpack -G DEB` over the
// build tree gives a .deb whose dependencies are Debian's library packages;
// unpacked into a scratch root (dpkg -x), its executable finds its modules
// and its catalogue from /usr/bin, scans the demo, and its man page renders.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/disk_image_util.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

namespace fs = std::filesystem;

TEST(Package, DebInstallsARunnableToolWithItsManPageAndCompletion) {
  SKIP_WITHOUT("cpack", "dpkg-deb", "dpkg-shlibdeps", "man");
  const fs::path build = fs::path(HFA_BINARY).parent_path();
  test::TempDir dir;
  const auto packages = dir.path() / "packages";
  const auto q = [](const fs::path& p) { return test::shell_quote(p.string()); };
  ASSERT_EQ(std::system(
                ("cpack -G DEB -B " + q(packages) + " --config " + q(build / "CPackConfig.cmake") + " >/dev/null 2>&1")
                    .c_str()),
            0);
  fs::path deb;
  for (const auto& e : fs::directory_iterator(packages))
    if (e.path().extension() == ".deb") deb = e.path();
  ASSERT_FALSE(deb.empty()) << "cpack wrote no .deb in " << packages;

  const auto depends = test::run_command("dpkg-deb -f " + q(deb) + " Depends");
  for (const char* lib : {"libhivex0", "libpugixml1v5", "libtsk", "liblief"})
    EXPECT_NE(depends.out.find(lib), std::string::npos) << lib << " not in Depends: " << depends.out;

  const auto root = dir.path() / "root";
  ASSERT_EQ(std::system(("dpkg -x " + q(deb) + " " + q(root)).c_str()), 0);
  const auto tool = root / "usr/bin/hotfix-audit";
  ASSERT_TRUE(fs::exists(root / "usr/lib/hotfix-audit/libhfa-lief.so"));
  // The demo has missing findings: exit status 1, with the same counts as the build tree's tool.
  const auto installed = test::run_command(q(tool) + " scan --timestamp @0 " + q(build / "demo-image") + " 2>&1");
  const auto built = test::run_tool("scan --timestamp @0 " + q(build / "demo-image"));
  EXPECT_EQ(installed.exit_code, 1) << installed.out;
  EXPECT_EQ(installed.out, built.out);
  // The catalogue is found in /usr/share/hotfix-audit.
  EXPECT_EQ(test::run_command(q(tool) + " db list --db-profile nt4-all >/dev/null 2>&1").exit_code, 0);

  const auto man =
      test::run_command("MANWIDTH=80 man -l " + q(root / "usr/share/man/man1/hotfix-audit.1") + " 2>&1 | col -b");
  EXPECT_EQ(man.exit_code, 0);
  EXPECT_NE(man.out.find("EXIT STATUS"), std::string::npos) << man.out;
  EXPECT_NE(man.out.find("hotfix-audit scan"), std::string::npos) << man.out;

  // The completion loads in bash and completes the subcommands.
  const auto completion = root / "usr/share/bash-completion/completions/hotfix-audit";
  const auto words = test::run_command("bash -c 'source " + completion.string() +
                                       " && COMP_WORDS=(hotfix-audit sc) COMP_CWORD=1 && _hotfix_audit && "
                                       "echo \"${COMPREPLY[@]}\"'");
  EXPECT_EQ(words.out, "scan\n");
  EXPECT_TRUE(fs::exists(root / "usr/share/doc/hotfix-audit/README.md"));
}

}  // namespace
}  // namespace hfa
