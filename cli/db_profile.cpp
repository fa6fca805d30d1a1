// --db-profile: a named database shipped beside the executable, loaded after the
// built-in one (so that --db files still add to or replace its articles).
#include <filesystem>
#include <system_error>

#include "cli/commands.h"
#include "core/install_paths.h"

namespace hfa::cli {

namespace {

// nt4-all.xml beside the executable (the build tree) or in ../share/hotfix-audit (an installation).
std::string profile_path(const std::string& profile) {
  const auto path = shipped_file(profile + ".xml", "share/hotfix-audit");
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) return path;
  throw CLI::ValidationError("--db-profile", profile + ".xml is not beside the executable (" + executable_dir() +
                                                 ") nor in ../share/hotfix-audit: build or install it");
}

}  // namespace

void add_db_profile_option(CLI::App* cmd, std::vector<std::string>* dbs) {
  cmd->add_option_function<std::string>(
         "--db-profile", [dbs](const std::string& profile) { dbs->insert(dbs->begin(), profile_path(profile)); },
         "A larger database shipped with the tool, under the --db files: nt4-all (every Windows NT 4.0 article "
         "with a file table or a fixing service pack, about 2,000)")
      ->check(CLI::IsMember({"nt4-all"}));
}

}  // namespace hfa::cli
