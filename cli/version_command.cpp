// `hotfix-audit version`: what produced a report, for the record of an audit:
// the tool, the identity of its built-in database and the libraries it reads with.
#include <fmt/format.h>
#include <nettle/version.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "cli/commands.h"
#include "core/digest.h"

namespace hfa::cli {
namespace {

int run_version() {
  const auto xml = kbdb::builtin_xml();
  std::cout << "hotfix-audit " << HOTFIX_AUDIT_VERSION << "\n"
            << "database: built in, " << kbdb::builtin().articles.size() << " articles, sha256 " << sha256_hex(xml)
            << " (of kbdb/builtin.xml)\n"
            << "libraries:\n"
            << "  CLI11 " << CLI11_VERSION << "\n"
            << "  pugixml " << PUGIXML_VERSION / 1000 << "." << PUGIXML_VERSION % 1000 / 10 << "\n"
            << "  hivex " << HFA_HIVEX_VERSION << "\n"
            << "  libtsk " << HFA_TSK_VERSION << "\n"
            << "  libewf " << HFA_EWF_VERSION << "\n"
            << "  fmt " << FMT_VERSION / 10000 << "." << FMT_VERSION / 100 % 100 << "." << FMT_VERSION % 100 << "\n"
            << "  nlohmann_json " << NLOHMANN_JSON_VERSION_MAJOR << "." << NLOHMANN_JSON_VERSION_MINOR << "."
            << NLOHMANN_JSON_VERSION_PATCH << "\n"
            << "  nettle " << nettle_version_major() << "." << nettle_version_minor() << "\n";
  return std::cout.flush() ? 0 : 2;
}

}  // namespace

Runner add_version_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("version", "Print the version, the built-in database's identity and the libraries");
  return [cmd] { return *cmd ? run_version() : -1; };
}

Runner add_help_command(CLI::App& app) {
  auto topic = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("help", "Print the help of hotfix-audit, or of COMMAND (e.g. help db show)");
  cmd->add_option("COMMAND", *topic, "A command and its subcommand");
  return [cmd, topic, &app] {
    if (!*cmd) return -1;
    const CLI::App* about = &app;
    std::string path;  // "hotfix-audit db", for the usage line of "show"
    for (const auto& name : *topic) {
      path += (path.empty() ? "" : " ") + about->get_name();
      const auto subs = about->get_subcommands([&](const CLI::App* s) { return s->get_name() == name; });
      if (subs.empty()) {
        std::cerr << "hotfix-audit: no command '" << name << "'; see hotfix-audit help\n";
        return 2;
      }
      about = subs.front();
    }
    path += (path.empty() ? "" : " ") + about->get_name();
    // Not about->help(): the application's help delegates to the subcommand parsed, `help` itself.
    std::cout << about->get_formatter()->make_help(about, path, CLI::AppFormatMode::Normal);
    return 0;
  };
}

}  // namespace hfa::cli
