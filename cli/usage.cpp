// What a person gets for a mistyped command line: the closest name ("did you
// mean") and the list of what there is, rather than CLI11's bare "A
// subcommand is required" or "arguments were not expected".
#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "core/text.h"

namespace hfa::cli {
namespace {

// Edit distance counting a swap of neighbours as one edit ("scna" is one from "scan").
size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

// The candidate nearest `word`, when near enough to be a typo of it.
std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates)
    if (const auto d = distance(ascii_lower(word), c); d < best_distance) {
      best = c;
      best_distance = d;
    }
  return best;
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  return names;
}

// "--format", "-o", ... of `cmd` and the commands above it (--help, --version).
std::vector<std::string> option_names(const CLI::App* cmd) {
  std::vector<std::string> names;
  for (; cmd; cmd = cmd->get_parent())
    for (const auto* opt : cmd->get_options()) {
      for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
      for (const auto& s : opt->get_snames()) names.push_back("-" + s);
    }
  std::vector<std::string> once;  // --help is on every command
  for (const auto& n : names)
    if (std::find(once.begin(), once.end(), n) == once.end()) once.push_back(n);
  return once;
}

bool known_option(const CLI::App* cmd, const std::string& name) {
  for (; cmd; cmd = cmd->get_parent())
    for (const auto* opt : cmd->get_options())
      if (opt->check_name(name)) return true;
  return false;
}

std::string path_of(const CLI::App* cmd) {
  std::string path;
  for (; cmd && cmd->get_parent(); cmd = cmd->get_parent()) path = cmd->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

int unknown(const std::string& what, const std::string& word, const std::vector<std::string>& names,
            const std::string& where) {
  std::cerr << "hotfix-audit: unknown " << what << " '" << word << "'" << where;
  if (const auto near = closest(word, names); !near.empty()) std::cerr << "; did you mean '" << near << "'?";
  std::cerr << "\n" << what << "s: " << join(names) << "\n";
  return 2;
}

}  // namespace

std::optional<int> check_command_line(const CLI::App& app, int argc, char** argv) {
  const CLI::App* cmd = &app;
  bool leaf = false;  // the named command takes no further subcommand
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() > 1 && arg[0] == '-') {
      // "--format=json" and "-j2" are names with their value attached.
      const auto name = arg[1] == '-' ? arg.substr(0, arg.find('=')) : arg.substr(0, 2);
      if (!known_option(cmd, name))
        return unknown("option", name, option_names(cmd),
                       cmd == &app ? "" : " for '" + path_of(cmd) + "' (see hotfix-audit help " + path_of(cmd) + ")");
      continue;
    }
    if (leaf) continue;  // an argument (ROOT, FILE, KB) or an option's value
    const auto names = subcommand_names(*cmd);
    if (names.empty()) {
      leaf = true;
      continue;
    }
    const auto* sub = std::find(names.begin(), names.end(), arg) == names.end() ? nullptr : cmd->get_subcommand(arg);
    // (No command that has subcommands takes an option with a value: `arg` is a command's name.)
    if (!sub) return unknown("command", arg, names, cmd == &app ? "" : " of '" + path_of(cmd) + "'");
    cmd = sub;
  }
  return std::nullopt;
}

}  // namespace hfa::cli
