#include <algorithm>
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

std::string dump_line(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::optional<Outputs> Outputs::open(const std::vector<std::string>& values, const std::string& format,
                                     const std::vector<std::string>& formats) {
  Outputs o;
  int plain = 0;
  for (const auto& v : values) {
    const auto eq = v.find('=');
    const std::string prefix = eq == std::string::npos ? "" : v.substr(0, eq);
    if (std::find(formats.begin(), formats.end(), prefix) != formats.end()) {
      o.outputs_.push_back({prefix, v.substr(eq + 1), nullptr});
    } else {
      ++plain;
      o.outputs_.push_back({format, v, nullptr});
    }
  }
  if (plain > 1) {
    std::cerr << "hotfix-audit: more than one --output FILE; name the format of each: --output FORMAT=FILE\n";
    return std::nullopt;
  }
  if (o.outputs_.empty()) o.outputs_.push_back({format, "-", nullptr});
  int to_stdout = 0;
  for (auto& out : o.outputs_) {
    if (out.path.empty() || out.path == "-") {
      ++to_stdout;
      continue;
    }
    out.file = std::make_shared<std::ofstream>(out.path, std::ios::binary | std::ios::trunc);
    if (!*out.file) {
      std::cerr << "hotfix-audit: cannot write " << out.path << "\n";
      return std::nullopt;
    }
  }
  if (to_stdout > 1) {
    std::cerr << "hotfix-audit: only one output can go to stdout\n";
    return std::nullopt;
  }
  return o;
}

bool Outputs::wants(const std::string& format) const {
  for (const auto& o : outputs_)
    if (o.format == format) return true;
  return false;
}

bool Outputs::to_stdout() const {
  for (const auto& o : outputs_)
    if (!o.file) return true;
  return false;
}

std::ostream& Outputs::stream(const Output& o) { return o.file ? *o.file : std::cout; }

void Outputs::write_line(const nlohmann::ordered_json& target) {
  if (wants("jsonl")) write("jsonl", dump_line(target));
}

bool Outputs::write(const std::string& format, std::string_view text) {
  bool ok = true;
  for (auto& o : outputs_) {
    if (o.format != format || o.failed) continue;
    if (!(stream(o) << text << std::flush)) {
      std::cerr << "hotfix-audit: cannot write " << (o.file ? o.path : "stdout") << "\n";
      o.failed = true;
      ok = false;
    }
  }
  ok_ = ok_ && ok;
  return ok;
}

bool Outputs::ok() const {
  if (!ok_) std::cerr << "hotfix-audit: an output could not be written completely\n";
  return ok_;
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
