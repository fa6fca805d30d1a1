#include <ctime>
#include <iostream>

#include "cli/commands.h"
#include "waivers/waivers.h"

namespace hfa::cli {

WaiverRun apply_waivers(const std::string& file, std::vector<scan::Target>& targets) {
  WaiverRun run;
  const auto loaded = waivers::load_file(file);
  for (const auto& e : loaded.errors) std::cerr << e << "\n";
  if (!loaded.ok()) {
    std::cerr << "hotfix-audit: the waivers file has errors; nothing scanned\n";
    run.ok = false;
    return run;
  }
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  const Date today{utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday};
  std::vector<bool> matched(loaded.waivers.size(), false);
  for (auto& t : targets) {
    const auto here = waivers::apply(loaded.waivers, t.findings, t.root, today);
    for (size_t i = 0; i < here.size(); ++i) matched[i] = matched[i] || here[i];
  }
  for (size_t i = 0; i < matched.size(); ++i)
    if (!matched[i]) {
      run.unused.push_back(waivers::describe_unused(loaded.waivers[i]));
      std::cerr << "hotfix-audit: " << run.unused.back() << "\n";
    }
  return run;
}

}  // namespace hfa::cli
