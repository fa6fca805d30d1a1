// What the subcommands share: where a report goes, how JSON is printed, and
// which database a command works with. Each subcommand lives in its own file and
// registers itself on the application; main() runs the one the user named.
#pragma once

#include <CLI/CLI.hpp>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/output_spec.h"
#include "kbdb/kbdb.h"
#include "scan/scan.h"

namespace hfa::cli {

// Runs the subcommand after parsing; returns the exit status.
using Runner = std::function<int()>;

// Each adds its subcommand (with its options) to `app` and returns how to run it.
Runner add_scan_command(CLI::App& app);
Runner add_inspect_command(CLI::App& app);
Runner add_db_command(CLI::App& app);
Runner add_report_command(CLI::App& app);
Runner add_explain_command(CLI::App& app);
Runner add_images_command(CLI::App& app);
Runner add_version_command(CLI::App& app);
Runner add_help_command(CLI::App& app);  // `help [COMMAND...]`: the help, on stdout, status 0

// Before CLI11 parses: an unknown command or option gets "did you mean" and
// the list of names there are; the exit status (2) then, else nullopt.
std::optional<int> check_command_line(const CLI::App& app, int argc, char** argv);

// Adds --db-profile NAME to a command working with a database: the profile's
// XML (nt4-all.xml beside the executable) goes first into `dbs`.
void add_db_profile_option(CLI::App* cmd, std::vector<std::string>* dbs);

// --fail-on STATUS,... into `fail_on` (report::exit_status): which finding
// statuses make the exit status 1; it starts as all three.
void add_fail_on_option(CLI::App* cmd, std::vector<std::string>* fail_on);

// --color auto|always|never into `mode`.
void add_colour_option(CLI::App* cmd, std::string* mode);
// Whether to colour what goes to `fd`: never, always, or (auto) when it is a
// terminal, NO_COLOR is unset or empty and TERM is not "dumb".
bool colour_wanted(const std::string& mode, int fd);

// Writes to `output` (a file name), or stdout when empty or "-"; false (with a
// message on stderr) when it cannot.
bool emit(const std::string& text, const std::string& output);

// Pretty JSON. Names and strings come from an untrusted image and need not be
// UTF-8: bytes that are not valid UTF-8 are replaced (U+FFFD), never abort.
std::string dump(const nlohmann::ordered_json& j);

// One line of JSONL: compact, invalid UTF-8 replaced as in dump().
std::string dump_line(const nlohmann::ordered_json& j);

// Where reports go, as parse_output_specs (output_spec.h) read -o and --format.
// Every file is opened before any work, so a bad path fails early; every
// format is written piece by piece as the targets are done.
class Outputs {
 public:
  // nullopt, with a message on stderr, when a value is unusable or a file cannot be opened.
  static std::optional<Outputs> open(const OutputSpecs& parsed);
  bool wants(const std::string& format) const;
  bool to_stdout(const std::string& format) const;  // an output of `format` goes to stdout
  // Whether any output goes to stdout (where a progress line must make way).
  bool to_stdout() const;
  void write_line(const nlohmann::ordered_json& target);
  // Writes `text` to each output of `format`; false when a write failed. An
  // output that failed once is said once and written no more.
  bool write(const std::string& format, std::string_view text);
  bool ok() const;  // every write so far succeeded

 private:
  struct Output {
    std::string format, path;
    std::shared_ptr<std::ofstream> file;  // null: stdout
    bool failed = false;
  };
  std::ostream& stream(const Output& o);
  std::vector<Output> outputs_;
  bool ok_ = true;
};

// The built-in articles, with --db files adding to or replacing them by id;
// empty (messages on stderr) when any file has errors.
std::optional<kbdb::Database> load_database(const std::vector<std::string>& extra);

// --waivers FILE, applied host by host as the targets come in (a fleet
// streams), with today's UTC date. A target is matched by its host name (its
// root when it has none).
class Waivers {
 public:
  // False (messages on stderr) when the file has errors: nothing is scanned.
  bool load(const std::string& file);
  void apply(scan::Target& target);
  // The waivers that matched no finding, each also said on stderr.
  std::vector<std::string> report_unused() const;

 private:
  std::vector<analyzer::Waiver> waivers_;
  std::vector<bool> matched_;
  Date today_;
};

}  // namespace hfa::cli
