// `hotfix-audit scan ROOT...`: scans mounted system drives and reports.
#include <unistd.h>

#include <cstdlib>

#include "cli/commands.h"
#include "report/scan_report.h"
#include "scan/scan.h"

namespace hfa::cli {
namespace {

struct ScanOptions {
  std::vector<std::string> roots, dbs;
  std::string format = "text", output;
};

int run_scan(const ScanOptions& o) {
  const auto db = load_database(o.dbs);
  if (!db) return 2;
  std::vector<scan::Target> targets;
  for (const auto& root : o.roots) {
    auto scanned = scan::scan_root(root, *db);
    for (auto& t : scanned) targets.push_back(std::move(t));
  }
  std::string text;
  if (o.format == "json") {
    text = dump(report::to_json(targets, {"hotfix-audit", HOTFIX_AUDIT_VERSION}, *db));
  } else {
    const bool colour = o.output.empty() && ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
    text = report::to_text(targets, colour);
  }
  if (!emit(text, o.output)) return 2;
  return report::exit_status(targets);
}

}  // namespace

Runner add_scan_command(CLI::App& app) {
  auto o = std::make_shared<ScanOptions>();
  auto* scan = app.add_subcommand("scan", "Scan mounted system drives (folders) or disk image files for missing fixes");
  scan->add_option("ROOT", o->roots, "Folder holding a mounted Windows NT system drive, or a disk image file")->required();
  scan->add_option("--db", o->dbs, "Database XML adding or replacing articles by id (repeatable)");
  scan->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  scan->add_option("--output,-o", o->output, "Write the report to FILE instead of stdout");
  return [scan, o] { return *scan ? run_scan(*o) : -1; };
}

}  // namespace hfa::cli
