// What the subcommands share: where a report goes, how JSON is printed, and
// which database a command works with. Each subcommand lives in its own file and
// registers itself on the application; main() runs the one the user named.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kbdb/kbdb.h"

namespace hfa::cli {

// Runs the subcommand after parsing; returns the exit status.
using Runner = std::function<int()>;

// Each adds its subcommand (with its options) to `app` and returns how to run it.
Runner add_scan_command(CLI::App& app);
Runner add_inspect_command(CLI::App& app);
Runner add_db_command(CLI::App& app);
Runner add_images_command(CLI::App& app);

// Writes to `output` (a file name), or stdout when empty or "-"; false (with a
// message on stderr) when it cannot.
bool emit(const std::string& text, const std::string& output);

// Pretty JSON. Names and strings come from an untrusted image and need not be
// UTF-8: bytes that are not valid UTF-8 are replaced (U+FFFD), never abort.
std::string dump(const nlohmann::ordered_json& j);

// The built-in articles, with --db files adding to or replacing them by id;
// empty (messages on stderr) when any file has errors.
std::optional<kbdb::Database> load_database(const std::vector<std::string>& extra);

}  // namespace hfa::cli
