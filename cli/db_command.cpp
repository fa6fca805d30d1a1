// `hotfix-audit db list|show|validate`: the KB database.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"

namespace hfa::cli {
namespace {

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

struct DbOptions {
  std::vector<std::string> dbs, files;
  std::string id;
};

}  // namespace

Runner add_db_command(CLI::App& app) {
  auto o = std::make_shared<DbOptions>();
  auto* db = app.add_subcommand("db", "The KB database");
  db->require_subcommand(1);
  auto* list = db->add_subcommand("list", "List the articles");
  list->add_option("--db", o->dbs, "Database XML adding or replacing articles (repeatable)");
  auto* show = db->add_subcommand("show", "Print one article as database XML");
  show->add_option("ID", o->id, "Article id, e.g. Q259042")->required();
  show->add_option("--db", o->dbs, "Database XML adding or replacing articles (repeatable)");
  auto* validate = db->add_subcommand("validate", "Check database XML files");
  validate->add_option("FILE", o->files, "Database XML")->required();
  return [=] {
    if (*list) return run_db_list(o->dbs);
    if (*show) return run_db_show(o->id, o->dbs);
    if (*validate) return run_db_validate(o->files);
    return -1;
  };
}

}  // namespace hfa::cli
