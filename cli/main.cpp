// hotfix-audit: parses the command line and wires the libraries together.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "kbdb/kbdb.h"
#include "pe/pe_evidence.h"
#include "report/inspect.h"
#include "report/scan_report.h"
#include "scan/scan.h"

namespace {

using namespace hfa;

constexpr uint64_t kMaxInspectBytes = 256ull << 20;

// Writes to --output FILE, or stdout; false (with a message) when it cannot.
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

// Names and strings come from an untrusted image and need not be UTF-8: bytes
// that are not valid UTF-8 are replaced (U+FFFD) rather than aborting the output.
std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

// The built-in articles, with --db files adding to or replacing them by id.
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

int run_scan(const std::vector<std::string>& roots, const std::vector<std::string>& dbs,
             const std::string& format, const std::string& output) {
  const auto db = load_database(dbs);
  if (!db) return 2;
  std::vector<scan::Target> targets;
  for (const auto& root : roots) {
    auto scanned = scan::scan_root(root, *db);
    for (auto& t : scanned) targets.push_back(std::move(t));
  }
  std::string text;
  if (format == "json") {
    text = dump(report::to_json(targets, {"hotfix-audit", HOTFIX_AUDIT_VERSION}, *db));
  } else {
    const bool colour = output.empty() && ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
    text = report::to_text(targets, colour);
  }
  if (!emit(text, output)) return 2;
  return report::exit_status(targets);
}

int run_inspect(const std::vector<std::string>& files, const std::string& format) {
  int status = 0;
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  std::string text;
  for (const auto& file : files) {
    std::string error;
    std::vector<uint8_t> bytes;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      error = ec ? ec.message() : "not a regular file";
    } else if (std::filesystem::file_size(file, ec) > kMaxInspectBytes) {
      error = "larger than " + std::to_string(kMaxInspectBytes) + " bytes";
    } else {
      std::ifstream in(file, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), {});
      if (!in && !in.eof()) error = "read error";
    }
    if (!error.empty()) {
      status = 2;
      all.push_back({{"file", file}, {"error", error}});
      text += file + ":\n  Error: " + error + "\n\n";
      continue;
    }
    const auto ev = pe::read_pe(bytes, file);
    if (!pe::is_pe(ev.kind) && status == 0) status = 1;
    all.push_back(report::to_json(ev));
    text += report::to_text(ev) + "\n";
  }
  if (format == "json") text = dump(nlohmann::ordered_json{{"files", all}});
  std::cout << text;
  return status;
}

int run_db_list(const std::vector<std::string>& dbs) {
  const auto db = load_database(dbs);
  if (!db) return 2;
  std::printf("%-9s %-10s %-5s %-10s %s\n", "KB", "MODIFIED", "ROWS", "FIXED-IN", "TITLE");
  for (const auto& a : db->articles) {
    std::string fixed;
    for (const auto& f : a.fixed_in) fixed += (fixed.empty() ? "SP" : ",SP") + f.service_pack;
    std::printf("%-9s %-10s %-5zu %-10s %s\n", a.id.c_str(), to_string(a.modified).c_str(), a.files.size(),
                fixed.empty() ? "-" : fixed.c_str(), a.title.c_str());
  }
  return 0;
}

int run_db_show(const std::string& id, const std::vector<std::string>& dbs) {
  const auto db = load_database(dbs);
  if (!db) return 2;
  const auto* a = db->find(id);
  if (!a) {
    std::cerr << "hotfix-audit: no article " << id << " in the database\n";
    return 2;
  }
  kbdb::Database one;
  one.articles.push_back(*a);
  std::cout << kbdb::to_xml(one);
  return 0;
}

int run_db_validate(const std::vector<std::string>& files) {
  int status = 0;
  for (const auto& f : files) {
    const auto loaded = kbdb::load_file(f);
    for (const auto& d : loaded.diagnostics) std::cerr << to_string(d) << "\n";
    if (loaded.ok())
      std::cout << f << ": valid, " << loaded.db.articles.size() << " article(s)\n";
    else
      status = 1;
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hotfix-audit: audits Windows NT images offline for missing hotfixes"};
  app.set_version_flag("--version", std::string("hotfix-audit ") + HOTFIX_AUDIT_VERSION);
  app.require_subcommand(1);

  std::vector<std::string> roots, dbs, files;
  std::string format = "text", output, id;

  auto* scan = app.add_subcommand("scan", "Scan mounted system drives (folders) for missing fixes");
  scan->add_option("ROOT", roots, "Folder holding a mounted Windows NT system drive")->required();
  scan->add_option("--db", dbs, "Database XML adding or replacing articles by id (repeatable)");
  scan->add_option("--format", format, "Output format")->check(CLI::IsMember({"text", "json"}));
  scan->add_option("--output,-o", output, "Write the report to FILE instead of stdout");

  auto* inspect = app.add_subcommand("inspect", "Print what PE files say about themselves (like sigcheck)");
  inspect->add_option("FILE", files, "Executable files")->required();
  inspect->add_option("--format", format, "Output format")->check(CLI::IsMember({"text", "json"}));

  auto* db = app.add_subcommand("db", "The KB database");
  db->require_subcommand(1);
  auto* list = db->add_subcommand("list", "List the articles");
  list->add_option("--db", dbs, "Database XML adding or replacing articles (repeatable)");
  auto* show = db->add_subcommand("show", "Print one article as database XML");
  show->add_option("ID", id, "Article id, e.g. Q259042")->required();
  show->add_option("--db", dbs, "Database XML adding or replacing articles (repeatable)");
  auto* validate = db->add_subcommand("validate", "Check database XML files");
  validate->add_option("FILE", files, "Database XML")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 uses exit code 0 for --help; usage errors become 2 like unusable input.
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  if (*scan) return run_scan(roots, dbs, format, output);
  if (*inspect) return run_inspect(files, format);
  if (*list) return run_db_list(dbs);
  if (*show) return run_db_show(id, dbs);
  if (*validate) return run_db_validate(files);
  return 2;
}
