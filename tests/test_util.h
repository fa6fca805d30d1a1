// Helpers shared by the tests: a fresh temporary folder, and running the
// built executable.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace hfa::test {

// A new empty folder below the system's temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

struct RunResult {
  int exit_code = -1;  // -1: killed by a signal
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs build/hotfix-audit with `args` (already shell-quoted where needed).
RunResult run_tool(const std::string& args);
// Runs a shell command line, stdin from /dev/null.
RunResult run_command(const std::string& command);
std::string shell_quote(const std::string& s);
std::string read_text(const std::filesystem::path& p);
// A text report with its wrapped lines joined and its columns closed up
// (every run of spaces and newlines is one space), so that a phrase can be
// looked for whole.
std::string unwrapped(const std::string& text);

// The five seed articles, whose statuses the scenarios state by hand; the rest
// of the built-in database (the corpus's NT 4.0 leak articles) is asserted
// only to give each finding a status and a reason.
extern const std::set<std::string> kSeedArticles;

// The exit status a scan's JSON document implies by the README's rules: 2 for a
// target with an error, else 1 for any missing, inconsistent or unknown finding.
int exit_status_implied(const nlohmann::json& document);

// The KBs of a target's findings that count against compliance.
std::set<std::string> findings_against(const nlohmann::json& target);

// RFC 4180 records (CRLF-terminated; quoted fields may hold commas, quotes
// and line breaks), as a spreadsheet reads a CSV report.
std::vector<std::vector<std::string>> parse_csv(const std::string& text);

}  // namespace hfa::test
