#include <ctime>
#include <iostream>

#include "cli/commands.h"
#include "waivers/waivers.h"

namespace hfa::cli {

bool Waivers::load(const std::string& file) {
  const auto loaded = waivers::load_file(file);
  for (const auto& e : loaded.errors) std::cerr << e << "\n";
  if (!loaded.ok()) {
    std::cerr << "hotfix-audit: the waivers file has errors; nothing scanned\n";
    return false;
  }
  waivers_ = loaded.waivers;
  matched_.assign(waivers_.size(), false);
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  today_ = Date{utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday};
  return true;
}

void Waivers::apply(scan::Target& target) {
  if (waivers_.empty()) return;
  const auto here = waivers::apply(waivers_, target.findings, target.host.empty() ? target.root : target.host, today_);
  for (size_t i = 0; i < here.size(); ++i) matched_[i] = matched_[i] || here[i];
}

std::vector<std::string> Waivers::report_unused() const {
  std::vector<std::string> unused;
  for (size_t i = 0; i < matched_.size(); ++i)
    if (!matched_[i]) {
      unused.push_back(waivers::describe_unused(waivers_[i]));
      std::cerr << "hotfix-audit: " << unused.back() << "\n";
    }
  return unused;
}

}  // namespace hfa::cli
