// `hotfix-audit explain ROOT KB`: the analyzer's reasoning for one finding,
// step by step, on every installation of ROOT.
#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "core/text.h"
#include "fleet/fleet.h"
#include "kbdb/catalogue.h"

namespace hfa::cli {
namespace {

struct ExplainOptions {
  std::string root, kb, waivers;
  std::vector<std::string> dbs, fail_on;
};

int run_explain(const ExplainOptions& o) {
  const auto db = load_database(o.dbs);
  if (!db) return 2;
  const auto kb = kbdb::normalize_kb_id(o.kb);
  const auto* article = kb ? db->find(*kb) : nullptr;
  if (!article) {
    std::cerr << "hotfix-audit: no article " << o.kb << " in the database (see `hotfix-audit db list`)\n";
    return 2;
  }
  Waivers waivers;
  if (!o.waivers.empty() && !waivers.load(o.waivers)) return 2;
  auto targets = fleet::scan_host(fleet::host_of_root(o.root), *db);
  for (auto& t : targets) waivers.apply(t);
  std::string out;
  int status = 0;
  // Evidence values are shown through printable(): no escape sequence or
  // newline from a hive, a folder name or boot.ini reaches the terminal raw.
  const auto p = [](const std::string& s) { return printable(s); };
  for (const auto& t : targets) {
    out += "== " + p(t.root) + (t.system_root.empty() ? "" : " : " + p(t.system_root)) + "\n";
    if (!t.error.empty()) {
      status = 2;
      out += "   error: " + p(t.error) + "\n\n";
      continue;
    }
    out += "installation: %SystemRoot% " + p(t.system_root) + ", found by " + p(t.found_by) + "\n";
    for (const auto& n : t.notes) out += "evidence note: " + p(n) + "\n";
    for (const auto& f : t.findings) {
      if (!iequals(f.kb, article->id)) continue;
      const auto& fail_on = o.fail_on;
      if (std::find(fail_on.begin(), fail_on.end(), to_string(f.status)) != fail_on.end() && status == 0) status = 1;
      out += "reasoning for " + f.kb + ":\n";
      int step = 0;
      for (const auto& line : f.trace) out += "  " + std::to_string(++step) + ". " + p(line) + "\n";
      out += "result: " + f.kb + " " + std::string(to_string(f.status)) + ": " + p(f.reason) + "\n";
      if (f.remediation) out += "remediation: " + p(f.remediation->text) + "\n";
      if (f.waiver)
        out += "waived: was " + std::string(to_string(f.waiver->waived_status)) + "; " + p(f.waiver->reason) +
               " (approved by " + p(f.waiver->approver) + ", expires " + to_string(f.waiver->expires) + ", " +
               p(f.waiver->source) + ")\n";
    }
    out += "\n";
  }
  if (!emit(out, "")) return 2;
  // Like scan's, for this finding alone: 1 when its status is one of --fail-on.
  return status;
}

}  // namespace

Runner add_explain_command(CLI::App& app) {
  auto o = std::make_shared<ExplainOptions>();
  auto* cmd = app.add_subcommand("explain", "Show the whole chain of reasoning behind one finding");
  cmd->add_option("ROOT", o->root, "Folder holding a mounted Windows NT system drive")->required();
  cmd->add_option("KB", o->kb, "Article id, e.g. Q259042")->required();
  cmd->add_option("--db", o->dbs, "Database XML adding or replacing articles by id (repeatable)");
  add_db_profile_option(cmd, &o->dbs);
  cmd->add_option("--waivers", o->waivers, "Waivers file (docs/waivers.md)");
  add_fail_on_option(cmd, &o->fail_on);
  return [cmd, o] { return *cmd ? run_explain(*o) : -1; };
}

}  // namespace hfa::cli
