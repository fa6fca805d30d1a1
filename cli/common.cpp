#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "report/scan_report.h"

namespace hfa::cli {

void add_fail_on_option(CLI::App* cmd, std::vector<std::string>* fail_on) {
  *fail_on = report::default_fail_on();
  cmd->add_option("--fail-on", *fail_on,
                  "Finding statuses that make the exit status 1, comma-separated (default: "
                  "missing,inconsistent,unknown); 2 and 3 do not depend on it")
      ->delimiter(',')
      ->allow_extra_args(false)  // the roots that follow are not statuses
      ->check(CLI::IsMember(report::default_fail_on()));
}

void add_colour_option(CLI::App* cmd, std::string* mode) {
  cmd->add_option("--color,--colour", *mode,
                  "Colour the text report: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

bool colour_wanted(const std::string& mode, int fd) {
  if (mode != "auto") return mode == "always";
  const char* no_colour = std::getenv("NO_COLOR");  // no-color.org: set and not empty
  const char* term = std::getenv("TERM");
  return ::isatty(fd) && !(no_colour && *no_colour) && !(term && std::string(term) == "dumb");
}

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

std::optional<Outputs> Outputs::open(const OutputSpecs& parsed) {
  if (!parsed.error.empty()) {
    std::cerr << "hotfix-audit: " << parsed.error << "\n";
    return std::nullopt;
  }
  Outputs o;
  for (const auto& spec : parsed.specs) o.outputs_.push_back({spec.format, spec.path, nullptr});
  int to_stdout = 0;
  for (size_t i = 0; i < o.outputs_.size(); ++i) {
    auto& out = o.outputs_[i];
    if (out.path.empty() || out.path == "-") {
      ++to_stdout;
      continue;
    }
    const auto mode = parsed.specs[i].append ? std::ios::app : std::ios::trunc;
    out.file = std::make_shared<std::ofstream>(out.path, std::ios::binary | mode);
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

bool Outputs::to_stdout(const std::string& format) const {
  for (const auto& o : outputs_)
    if (o.format == format && !o.file) return true;
  return false;
}

bool Outputs::to_stdout() const {
  for (const auto& o : outputs_)
    if (!o.file) return true;
  return false;
}

std::ostream& Outputs::stream(const Output& o) { return o.file ? *o.file : std::cout; }

void Outputs::write_line(const nlohmann::ordered_json& target) {
  if (wants("jsonl")) write("jsonl", dump_line(report::jsonl_line(target)));
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
