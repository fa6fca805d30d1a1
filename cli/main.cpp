// hotfix-audit: parses the command line and runs the subcommand named; each
// subcommand lives in its own file (see commands.h).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace hfa::cli;
  CLI::App app{"hotfix-audit: audits Windows NT images offline for missing hotfixes", "hotfix-audit"};
  app.set_version_flag("--version", std::string("hotfix-audit ") + HOTFIX_AUDIT_VERSION);
  app.require_subcommand(1);

  std::vector<Runner> commands = {add_scan_command(app),    add_inspect_command(app), add_db_command(app),
                                  add_report_command(app),  add_explain_command(app), add_images_command(app),
                                  add_version_command(app), add_help_command(app)};

  // Bare `hotfix-audit` is a request for help, as with cargo: the help on stdout, status 0.
  if (argc < 2) {
    std::cout << app.help();
    return 0;
  }
  if (const auto status = check_command_line(app, argc, argv)) return *status;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 uses exit code 0 for --help; usage errors become 2 like unusable input.
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  // A runner returns -1 when its subcommand was not the one named.
  for (const auto& run : commands)
    if (const int status = run(); status >= 0) return status;
  return 2;
}
