// Helpers shared by the tests: a fresh temporary folder, and running the
// built executable.
#pragma once

#include <filesystem>
#include <string>

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
std::string shell_quote(const std::string& s);
std::string read_text(const std::filesystem::path& p);

}  // namespace hfa::test
