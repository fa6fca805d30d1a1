// `hotfix-audit db list|show|validate|import`: the KB database.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "core/fd.h"
#include "core/text.h"
#include "kbdb/catalogue.h"
#include "kbimport/kbimport.h"

namespace hfa::cli {
namespace {

int run_db_list(const std::vector<std::string>& dbs) {
  const auto db = load_database(dbs);
  if (!db) return 2;
  std::printf("%-9s %-10s %-5s %-14s %s\n", "KB", "MODIFIED", "ROWS", "FIXED-IN", "TITLE");
  for (const auto& a : db->articles) {
    std::string fixed;
    // "SP6,TSE-SP6": Terminal Server Edition numbers its own service packs.
    for (const auto& f : a.fixed_in)
      fixed += std::string(fixed.empty() ? "" : ",") + (f.edition == kbdb::Edition::terminal_server ? "TSE-SP" : "SP") +
               f.service_pack;
    std::printf("%-9s %-10s %-5zu %-14s %s\n", a.id.c_str(), to_string(a.modified).c_str(), a.files.size(),
                fixed.empty() ? "-" : fixed.c_str(), a.title.c_str());
  }
  return 0;
}

int run_db_show(const std::string& id, const std::vector<std::string>& dbs) {
  const auto db = load_database(dbs);
  if (!db) return 2;
  const auto kb = kbdb::normalize_kb_id(id);
  const auto* a = kb ? db->find(*kb) : nullptr;
  if (!a) {
    std::cerr << "hotfix-audit: no article " << id << " in the database"
              << (kb ? "" : " (not a KB number: Q259042, KB259042 or 259042)") << "\n";
    return 2;
  }
  kbdb::Database one;
  one.articles.push_back(*a);
  std::cout << kbdb::to_xml(one);
  // The relations both ways, derived from the whole database.
  const kbdb::Catalogue catalogue(*db);
  std::cout << "\nrelations of " << a->id << ":\n";
  for (const auto& line : kbdb::describe_relations(catalogue, *a)) std::cout << "  " << line << "\n";
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

struct Source {
  std::string name, text;
};

constexpr uint64_t kMaxArticleBytes = 4ull << 20;

// Every FILE given, and every *.txt file of every DIR given (sorted by name).
bool read_sources(const std::vector<std::string>& inputs, std::vector<Source>& out) {
  namespace fs = std::filesystem;
  bool ok = true;
  // Articles are read like evidence: a FIFO or /dev/zero among them must not
  // hang the import. No real article comes near the limit.
  const auto read = [&](const fs::path& p) {
    auto file = read_small_file(p.string(), kMaxArticleBytes);
    if (!file.error.empty()) {
      std::cerr << "hotfix-audit: cannot read " << p.string() << ": " << file.error << "\n";
      ok = false;
      return;
    }
    out.push_back({p.string(), std::move(file.text)});
  };
  for (const auto& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(input, ec))
        if (e.is_regular_file(ec) && e.path().extension() == ".txt") files.push_back(e.path());
      if (ec) {
        std::cerr << "hotfix-audit: cannot list " << input << ": " << ec.message() << "\n";
        ok = false;
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) read(f);
    } else if (fs::exists(input, ec)) {
      read(input);
    } else {
      std::cerr << "hotfix-audit: no such file or folder: " << input << "\n";
      ok = false;
    }
  }
  return ok;
}

nlohmann::ordered_json to_json(const kbimport::ImportResult& r) {
  using nlohmann::ordered_json;
  const auto ref = [](const kbdb::SourceRef& s) { return ordered_json{{"article", s.article}, {"line", s.line}}; };
  ordered_json a;
  a["id"] = r.id;
  a["title"] = r.title;
  a["modified"] = r.modified ? ordered_json(to_string(*r.modified)) : ordered_json(nullptr);
  a["applies_to"] = r.applies_to;
  const kbimport::FixedIn* nt_sp = nullptr;
  for (const auto& f : r.fixed_in)
    if (f.nt4 && !f.edition && !nt_sp) nt_sp = &f;
  a["fixed_in_service_pack"] = nt_sp ? ordered_json(nt_sp->service_pack) : ordered_json(nullptr);
  a["packages"] = ordered_json::array();
  for (const auto& p : r.packages) a["packages"].push_back({{"id", p.id}, {"title", p.title}});
  a["files"] = ordered_json::array();
  for (const auto& f : r.files) {
    ordered_json row;
    row["section"] = f.section;
    row["date"] = f.date ? ordered_json(to_string(*f.date)) : ordered_json(nullptr);
    row["time"] = f.time ? ordered_json(to_string(*f.time)) : ordered_json(nullptr);
    row["size"] = f.size ? ordered_json(*f.size) : ordered_json(nullptr);
    row["name"] = f.name;
    row["platform"] = f.platform ? ordered_json(std::string(to_string(*f.platform))) : ordered_json(nullptr);
    row["version"] = f.version.empty() ? ordered_json(nullptr) : ordered_json(f.version);
    row["size_text"] = f.size_text.empty() ? ordered_json(nullptr) : ordered_json(f.size_text);
    row["platform_text"] = f.platform_text.empty() ? ordered_json(nullptr) : ordered_json(f.platform_text);
    row["note"] = f.note.empty() ? ordered_json(nullptr) : ordered_json(f.note);
    row["component"] = f.component;
    row["line"] = f.line;
    row["problems"] = f.problems;  // cells that could not be read; the row is kept
    row["location"] = f.location;
    a["files"].push_back(row);
  }
  a["problems"] = to_strings(r.problems);
  a["notes"] = r.notes;
  // Beyond the extraction itself: where it came from and what else was found.
  a["source"] = r.name;
  a["versions"] = r.versions;
  a["platforms"] = ordered_json::array();
  for (const auto p : r.platforms) a["platforms"].push_back(std::string(to_string(p)));
  a["fixed_in"] = ordered_json::array();
  for (const auto& f : r.fixed_in)
    a["fixed_in"].push_back(
        {{"product", f.product},
         {"edition", f.edition ? ordered_json(std::string(to_string(*f.edition))) : ordered_json(nullptr)},
         {"service_pack", f.service_pack},
         {"nt4", f.nt4},
         {"source", f.source},
         {"from", ref(f.from)}});
  // "status" or "keywords": where fixed_in_service_pack came from.
  a["fixed_in_service_pack_source"] = nt_sp ? ordered_json(nt_sp->source) : ordered_json(nullptr);
  a["keywords"] = r.keywords;
  // Relations (kbimport/relations.h), each with its article and line.
  a["kind"] = r.kind;
  a["lists"] = r.lists
                   ? ordered_json{{"edition", r.lists->edition ? ordered_json(std::string(to_string(*r.lists->edition)))
                                                               : ordered_json(nullptr)},
                                  {"service_pack", r.lists->service_pack}}
                   : ordered_json(nullptr);
  a["contains"] = ordered_json::array();
  for (const auto& l : r.listed)
    a["contains"].push_back({{"id", l.member.id},
                             {"service_pack", l.in ? ordered_json(l.in->service_pack) : ordered_json(nullptr)},
                             {"from", ref(l.member.from)}});
  a["supersedes"] = ordered_json::array();
  for (const auto& m : r.supersedes) a["supersedes"].push_back({{"id", m.id}, {"from", ref(m.from)}});
  a["components"] = ordered_json::array();
  for (const auto& c : r.components)
    a["components"].push_back({{"name", c.name}, {"services", c.services}, {"files", c.files}, {"from", ref(c.from)}});
  a["settings"] = ordered_json::array();
  for (const auto& st : r.settings)
    a["settings"].push_back(
        {{"hive", st.hive}, {"key", st.key}, {"value", st.value}, {"data", st.data}, {"from", ref(st.from)}});
  a["tables"] = ordered_json::array();
  for (const auto& t : r.tables)
    a["tables"].push_back({{"line", t.line},
                           {"section", t.section},
                           {"component", t.component},
                           {"columns", t.columns},
                           {"headerless", t.headerless},
                           {"rows", t.rows},
                           {"problems", t.problems},
                           {"notes", t.notes}});
  return a;
}

struct ImportOptions {
  std::vector<std::string> inputs;
  std::string output, format = "xml", select, curated;
  bool stats = false;
};

// The coverage report: what was read, and every failure with its reason.
std::string stats_text(const std::vector<kbimport::ImportResult>& results) {
  size_t complete = 0, tables = 0, tables_ok = 0, tables_noted = 0, rows = 0, rows_partial = 0, untabled = 0;
  std::ostringstream failures;
  for (const auto& r : results) {
    if (r.complete()) ++complete;
    for (const auto& t : r.tables) {
      ++tables;
      rows += t.rows;
      if (t.problems.empty()) ++tables_ok;
      if (t.problems.empty() && !t.notes.empty()) ++tables_noted;
    }
    for (const auto& f : r.files)
      if (!f.problems.empty()) ++rows_partial;
    for (const auto& p : r.problems) {
      if (p.code == kbimport::code::kUntabledPhrase) ++untabled;
      failures << r.name << ": " << to_string(p) << "\n";
    }
  }
  std::ostringstream out;
  out << "articles read:          " << results.size() << "\n"
      << "articles read fully:    " << complete << "\n"
      << "tables found:           " << tables << "\n"
      << "tables read fully:      " << tables_ok << "\n"
      << "  of which with a value not in the database's units (size in KB, platform not a processor): " << tables_noted
      << "\n"
      << "rows extracted:         " << rows << "\n"
      << "rows read fully:        " << rows - rows_partial << " (the others kept with the cells not read)\n"
      << "attribute phrases without a readable table: " << untabled << "\n";
  if (tables > 0) {
    char pct[32];
    std::snprintf(pct, sizeof pct, "%.2f", 100.0 * double(tables_ok) / double(tables + untabled));
    out << "tables read fully / (tables found + phrases without a table): " << pct << "%\n";
  }
  const auto f = failures.str();
  out << "failures:" << (f.empty() ? " none\n" : "\n" + f);
  return out.str();
}

int run_db_import(const ImportOptions& o) {
  std::vector<Source> sources;
  const bool inputs_ok = read_sources(o.inputs, sources);
  std::vector<kbimport::ImportResult> results;
  for (const auto& s : sources) results.push_back(kbimport::import_article(s.text, s.name));
  // Facts one article gives about others: fix lists' service packs, packages' contents.
  kbimport::link_relations(results);

  if (o.stats) {
    if (!emit(stats_text(results), o.output)) return 2;
    if (!inputs_ok) return 2;
    return std::all_of(results.begin(), results.end(), [](const auto& r) { return r.complete(); }) ? 0 : 1;
  }

  bool all_complete = true;
  std::vector<const kbimport::ImportResult*> chosen;
  size_t topical = 0, partly_read = 0, no_evidence = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    if (!o.select.empty()) {
      // The built-in database's selection: NT 4.0 leak articles read fully
      // that carry evidence the analyzer can judge (nt4-all: every NT 4.0
      // article with such evidence, rows partly read too).
      if (r.kind == "fix-list") continue;  // added below when they list a selected article
      const bool all = o.select == "nt4-all";
      if (all ? !kbimport::is_nt4_article(r) : !kbimport::is_nt4_leak_article(sources[i].text, r)) continue;
      ++topical;
      if (!r.complete() && !all) {
        ++partly_read;
        std::cerr << r.name << ": left out, not read fully:\n";
        for (const auto& p : r.problems) std::cerr << "  " << to_string(p) << "\n";
        continue;
      }
      if (const auto why = kbimport::missing_fix_evidence(r); !why.empty()) {
        ++no_evidence;
        std::cerr << r.name << ": left out, no fix evidence: " << why << "\n";
        continue;
      }
    } else if (!r.complete()) {
      all_complete = false;
      for (const auto& p : r.problems) std::cerr << r.name << ": " << to_string(p) << "\n";
    }
    chosen.push_back(&r);
  }

  if (!o.select.empty()) {
    // The fix lists and packages that contain a selected article: the
    // relations its verdicts use (contained in, delivered by).
    std::vector<std::string> selected;
    for (const auto* r : chosen) selected.push_back(ascii_lower(r->id));
    std::sort(selected.begin(), selected.end());
    size_t lists = 0;
    for (const auto& r : results) {
      if (r.kind == "fix" || r.id.empty() || std::find(chosen.begin(), chosen.end(), &r) != chosen.end()) continue;
      if (std::none_of(r.listed.begin(), r.listed.end(), [&](const kbimport::Listed& l) {
            return std::binary_search(selected.begin(), selected.end(), ascii_lower(l.member.id));
          }))
        continue;
      chosen.push_back(&r);
      ++lists;
    }
    std::cerr << "added " << lists << " fix lists and packages containing selected articles\n";
    // Rule 9 of docs/verdicts.md reads what SP6a changed from Q246009 and the
    // tables of the fixes it contains: without them an SP6a article could
    // never be judged on an SP6 installation.
    auto by_id = [&](std::string_view id) -> const kbimport::ImportResult* {
      for (const auto& r : results)
        if (iequals(r.id, id)) return &r;
      return nullptr;
    };
    auto add = [&](const kbimport::ImportResult* r) {
      if (r && std::find(chosen.begin(), chosen.end(), r) == chosen.end()) chosen.push_back(r);
    };
    if (const auto* sp6a = by_id("Q246009")) {
      add(sp6a);
      for (const auto& l : sp6a->listed) add(by_id(l.member.id));
    }
    // A seed given after the corpus replaces the corpus's copy: count articles by id too.
    std::vector<std::string> ids;
    for (const auto* r : chosen) ids.push_back(ascii_lower(r->id));
    std::sort(ids.begin(), ids.end());
    const auto distinct = size_t(std::unique(ids.begin(), ids.end()) - ids.begin());
    std::cerr << "selected " << chosen.size() << " of " << topical << " " << o.select << " article texts (" << distinct
              << " distinct articles); left out: " << partly_read << " not read fully, " << no_evidence
              << " without fix evidence\n";
  }

  if (o.format == "json") {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto* r : chosen) list.push_back(to_json(*r));
    if (!emit(dump(list), o.output)) return 2;
  } else {
    kbdb::Database db;
    for (const auto* r : chosen) {
      if (r->id.empty()) continue;  // reported above: nothing to key it by
      std::vector<std::string> omitted;
      kbdb::Database one;
      one.articles.push_back(kbimport::to_article(*r, &omitted));
      for (const auto& m : omitted) std::cerr << "note: " << m << "\n";
      if (db.find(r->id)) std::cerr << "note: " << r->name << " replaces an earlier article " << r->id << "\n";
      kbdb::merge(db, one);
    }
    if (!o.curated.empty()) {
      // Curated facts the article text does not give (modules added by hand).
      const auto cur = kbdb::load_file(o.curated);
      for (const auto& d : cur.diagnostics) std::cerr << to_string(d) << "\n";
      if (!cur.ok()) return 2;
      for (const auto& c : cur.db.articles) {
        auto it =
            std::find_if(db.articles.begin(), db.articles.end(), [&](const auto& a) { return iequals(a.id, c.id); });
        if (it == db.articles.end()) {
          std::cerr << "hotfix-audit: curated article " << c.id << " was not imported\n";
          return 2;
        }
        for (const auto& m : c.modules)
          if (m.curated) it->modules.push_back(m);
      }
    }
    // A selection is written in the order of the ids, as reports list articles.
    if (!o.select.empty())
      std::stable_sort(db.articles.begin(), db.articles.end(), [](const kbdb::Article& a, const kbdb::Article& b) {
        return ascii_lower(a.id) < ascii_lower(b.id);
      });
    // What is written must load back without errors.
    const auto xml = kbdb::to_xml(db);
    const auto check = kbdb::load_xml(xml, "(imported)");
    for (const auto& d : check.diagnostics) std::cerr << "hotfix-audit: internal: " << to_string(d) << "\n";
    if (!check.ok()) return 2;
    if (!emit(xml, o.output)) return 2;
  }
  if (!inputs_ok) return 2;
  return all_complete ? 0 : 1;
}

struct DbOptions {
  std::vector<std::string> dbs, files;
  std::string id;
  ImportOptions import;
};

}  // namespace

Runner add_db_command(CLI::App& app) {
  auto o = std::make_shared<DbOptions>();
  auto* db = app.add_subcommand("db", "The KB database");
  db->require_subcommand(1);
  auto* list = db->add_subcommand("list", "List the articles");
  list->add_option("--db", o->dbs, "Database XML adding or replacing articles (repeatable)");
  add_db_profile_option(list, &o->dbs);
  auto* show = db->add_subcommand("show", "Print one article as database XML");
  show->add_option("ID", o->id, "Article id, e.g. Q259042")->required();
  show->add_option("--db", o->dbs, "Database XML adding or replacing articles (repeatable)");
  add_db_profile_option(show, &o->dbs);
  auto* validate = db->add_subcommand("validate", "Check database XML files");
  validate->add_option("FILE", o->files, "Database XML")->required();
  auto* import = db->add_subcommand("import", "Read KB article texts into database XML");
  import->add_option("FILE", o->import.inputs, "Article text, or a folder of them (*.txt)")->required();
  import->add_option("-o,--output", o->import.output, "Write to FILE instead of stdout");
  import->add_option("--format", o->import.format, "xml (the database) or json (what was extracted)")
      ->check(CLI::IsMember({"xml", "json"}));
  import->add_flag("--stats", o->import.stats, "Print what was read, and every failure with its reason");
  import
      ->add_option("--select", o->import.select,
                   "nt4-leak: only Windows NT 4.0 memory/handle leak articles read fully, with a file row or a "
                   "fixing service pack (the built-in set); nt4-all: every Windows NT 4.0 article with one (the "
                   "nt4-all profile); both add the fix lists and packages containing them; the others are listed "
                   "on stderr with the reason")
      ->check(CLI::IsMember({"nt4-leak", "nt4-all"}));
  import->add_option("--curated", o->import.curated,
                     "Database XML whose curated modules are added to the imported articles of the same id");
  return [=] {
    if (*import) return run_db_import(o->import);
    if (*list) return run_db_list(o->dbs);
    if (*show) return run_db_show(o->id, o->dbs);
    if (*validate) return run_db_validate(o->files);
    return -1;
  };
}

}  // namespace hfa::cli
