#include <fstream>
#include <iostream>

#include "cli/commands.h"

namespace hfa::cli {

bool emit(const std::string& text, const std::string& output) {
  if (output.empty() || output == "-") {
    std::cout << text;
    return bool(std::cout.flush());
  }
  std::ofstream out(output, std::ios::binary);
  out << text;
  if (!out.flush()) {
    std::cerr << "hotfix-audit: cannot write " << output << "\n";
    return false;
  }
  return true;
}

std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::optional<kbdb::Database> load_database(const std::vector<std::string>& extra) {
  kbdb::Database db = kbdb::builtin();
  bool ok = true;
  for (const auto& path : extra) {
    auto loaded = kbdb::load_file(path);
    for (const auto& d : loaded.diagnostics) std::cerr << to_string(d) << "\n";
    ok = ok && loaded.ok();
    kbdb::merge(db, loaded.db);
  }
  if (!ok) {
    std::cerr << "hotfix-audit: the database has errors; nothing scanned\n";
    return std::nullopt;
  }
  return db;
}

}  // namespace hfa::cli
