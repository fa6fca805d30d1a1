// hotfix-audit: parses the command line and runs the subcommand named; each
// subcommand lives in its own file (see commands.h).
#include <CLI/CLI.hpp>
#include <iostream>
#include <string_view>

#include "cli/commands.h"

namespace {

using namespace hfa::cli;

struct Command {
  std::string_view name;
  Runner (*add)(CLI::App&);
};
constexpr Command kCommands[] = {{"scan", add_scan_command},       {"inspect", add_inspect_command},
                                 {"db", add_db_command},           {"report", add_report_command},
                                 {"explain", add_explain_command}, {"images", add_images_command},
                                 {"version", add_version_command}, {"help", add_help_command}};

// The commands to build. CLI11 builds every option of every command before it
// parses (a quarter of `--version`'s instructions, in every run); a command
// line naming one command needs only that one.
// Help, a bare run and an unknown command (for "did you mean") need them all.
std::vector<const Command*> commands_needed(int argc, char** argv) {
  std::vector<const Command*> all;
  for (const auto& c : kCommands) all.push_back(&c);
  if (argc < 2) return all;
  const Command* named = nullptr;
  bool any_named = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == "-h" || arg == "--help" || arg == "--help-all") return all;
    if (arg.empty() || arg[0] == '-' || any_named) continue;
    any_named = true;  // the first word is the command: the rest are its own
    for (const auto& c : kCommands)
      if (c.name == arg) named = &c;
  }
  if (named && named->name != "help") return {named};
  if (any_named) return all;
  return {};  // options alone: --version, or an error about an option of the application's
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hotfix-audit: audits Windows NT images offline for missing hotfixes", "hotfix-audit"};
  app.set_version_flag("--version", std::string("hotfix-audit ") + HOTFIX_AUDIT_VERSION);
  app.require_subcommand(1);

  std::vector<Runner> commands;
  for (const Command* c : commands_needed(argc, argv)) commands.push_back(c->add(app));

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
