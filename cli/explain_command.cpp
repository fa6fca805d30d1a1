// `hotfix-audit explain ROOT KB`: the analyzer's reasoning for one finding,
// step by step, on every installation of ROOT.
#include <iostream>

#include "cli/commands.h"
#include "core/text.h"
#include "fleet/fleet.h"

namespace hfa::cli {
namespace {

struct ExplainOptions {
  std::string root, kb, waivers;
  std::vector<std::string> dbs;
};

int run_explain(const ExplainOptions& o) {
  const auto db = load_database(o.dbs);
  if (!db) return 2;
  const auto* article = db->find(o.kb);
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
  for (const auto& t : targets) {
    out += "== " + t.root + (t.system_root.empty() ? "" : " : " + t.system_root) + "\n";
    if (!t.error.empty()) {
      status = 2;
      out += "   error: " + t.error + "\n\n";
      continue;
    }
    out += "installation: %SystemRoot% " + t.system_root + ", found by " + t.found_by + "\n";
    for (const auto& n : t.notes) out += "evidence note: " + n + "\n";
    for (const auto& f : t.findings) {
      if (!iequals(f.kb, article->id)) continue;
      using analyzer::Status;
      if ((f.status == Status::missing || f.status == Status::inconsistent || f.status == Status::unknown) &&
          status == 0)
        status = 1;
      out += "reasoning for " + f.kb + ":\n";
      int step = 0;
      for (const auto& line : f.trace) out += "  " + std::to_string(++step) + ". " + line + "\n";
      out += "result: " + f.kb + " " + std::string(to_string(f.status)) + ": " + f.reason + "\n";
      if (f.waiver)
        out += "waived: was " + std::string(to_string(f.waiver->waived_status)) + "; " + f.waiver->reason +
               " (approved by " + f.waiver->approver + ", expires " + to_string(f.waiver->expires) + ", " +
               f.waiver->source + ")\n";
    }
    out += "\n";
  }
  if (!emit(out, "")) return 2;
  // Like scan's, for this finding alone: 1 when it is missing, inconsistent or unknown.
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
  return [cmd, o] { return *cmd ? run_explain(*o) : -1; };
}

}  // namespace hfa::cli
