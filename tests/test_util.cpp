#include "tests/test_util.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace hfa::test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "hfa-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Reports carry the scan's times: a fixed one (unless the caller's
// environment sets its own) keeps two runs comparable byte for byte.
RunResult run_tool(const std::string& args) {
  return run_command("SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH-1764504000} " + shell_quote(HFA_BINARY) + " " + args);
}

RunResult run_command(const std::string& command) {
  TempDir tmp;
  const auto out = tmp.path() / "out", err = tmp.path() / "err";
  const std::string cmd =
      "{ " + command + "; } >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string()) + " </dev/null";
  const int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

const std::set<std::string> kSeedArticles = {"Q170626", "Q223770", "Q225095", "Q257647", "Q259042"};

std::set<std::string> findings_against(const nlohmann::json& target) {
  std::set<std::string> out;
  for (const auto& f : target.at("findings")) {
    const auto status = f.at("status").get<std::string>();
    if (status == "missing" || status == "inconsistent" || status == "unknown")
      out.insert(f.at("kb").get<std::string>());
  }
  return out;
}

int exit_status_implied(const nlohmann::json& document) {
  int status = 0;
  for (const auto& t : document.at("targets")) {
    if (!t.at("error").is_null()) return 2;
    if (t.at("out_of_scope").is_string()) status = 3;
    if (!findings_against(t).empty() && status == 0) status = 1;
  }
  return status;
}

std::string unwrapped(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n';
    if (space && !out.empty() && out.back() == ' ') continue;
    out += space ? ' ' : c;
  }
  return out;
}

// RFC 4180 records: quoted fields may hold commas, quotes and line breaks.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        cell += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        cell += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(cell), cell.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(cell), cell.clear();
      rows.push_back(row), row.clear();
      ++i;
    } else {
      cell += c;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  EXPECT_TRUE(row.empty() && cell.empty()) << "last record without CRLF";
  return rows;
}

}  // namespace hfa::test
