// `hotfix-audit report merge FILE...`: the JSONL of several runs (shards of a
// fleet) as one report.
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "cli/commands.h"
#include "core/nt_types.h"
#include "core/text.h"
#include "report/csv_report.h"
#include "report/html_report.h"
#include "report/scan_report.h"

namespace hfa::cli {
namespace {

using nlohmann::ordered_json;

const std::vector<std::string> kFormats = {"json", "jsonl", "csv", "html"};

struct MergeOptions {
  std::vector<std::string> files, outputs, fail_on;
  std::string format = "json";
  OutputSpecs output_specs;  // from outputs and format, once parsed
  bool no_timestamps = false;
};

// Where each host's lines were met, to refuse one given twice.
struct Seen {
  std::map<std::string, std::string> first;  // host -> "FILE:LINE"
  std::string last_host;                     // the host of the line before
};

// Target objects of every file, in file order then line order; "FILE:LINE: why" on the first bad line.
// A host's lines (one per installation) follow one another; the same host met
// again later, in the same file or another (a shard merged twice, shards that
// overlap), is refused: dropping either copy could hide a difference between them.
bool read_jsonl(const std::string& path, ordered_json& targets, Seen& seen) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "hotfix-audit: " << path << ": cannot open\n";
    return false;
  }
  seen.last_host.clear();  // a host's lines never continue into the next file
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto fail = [&](const std::string& why) {
      std::cerr << "hotfix-audit: " << path << ":" << number << ": " << why << "\n";
      return false;
    };
    const auto jsonl_expected = "expected JSONL (one target object per line, as `scan --format jsonl` writes)";
    ordered_json t;
    try {
      t = ordered_json::parse(line);
    } catch (const ordered_json::parse_error& e) {
      // `scan --format json` writes an indented document: its first line is a lone '{'.
      if (number == 1 && line.find_first_not_of(" \t\r{[") == std::string::npos)
        return fail(std::string(jsonl_expected) + ", got what looks like a JSON document (`--format json`)");
      return fail(std::string("not JSON: ") + e.what() + "; " + jsonl_expected);
    }
    if (t.is_object() && t.contains("targets") && !t.contains("root"))
      return fail(std::string(jsonl_expected) + ", got a JSON document (`--format json`) on one line");
    if (!t.is_object() || !t.contains("root") || !t.contains("findings") || !t["findings"].is_array())
      return fail("expected a target object of `scan --format jsonl` (with \"root\" and \"findings\")");
    const auto host = report::host_name(t);
    const auto where = path + ":" + std::to_string(number);
    const auto [it, first] = seen.first.emplace(host, where);
    if (!first && host != seen.last_host)
      return fail("host '" + printable(host) + "' given twice (first at " + it->second +
                  "): the same shard merged twice, or shards that overlap; nothing merged");
    seen.last_host = host;
    targets.push_back(std::move(t));
  }
  if (in.bad()) {
    std::cerr << "hotfix-audit: " << path << ": read error\n";
    return false;
  }
  return true;
}

// JSONL carries no database: the articles are the ones the findings name, in
// the order first met (the analyzer's KB order when every shard used one database).
ordered_json articles_of(const ordered_json& targets) {
  ordered_json articles = ordered_json::array();
  std::set<std::string> seen;
  for (const auto& t : targets)
    for (const auto& f : t["findings"]) {
      const auto kb = f.value("kb", std::string());
      if (seen.insert(kb).second) articles.push_back({{"kb", kb}, {"title", f.value("title", std::string())}});
    }
  return articles;
}

int run_merge(const MergeOptions& o) {
  auto outputs = Outputs::open(o.output_specs);
  if (!outputs) return 2;
  ordered_json targets = ordered_json::array();
  Seen seen;
  for (const auto& f : o.files)
    if (!read_jsonl(f, targets, seen)) return 2;
  for (const auto& t : targets) outputs->write_line(t);
  auto articles = articles_of(targets);
  const auto document = report::document_json(std::move(targets), {"hotfix-audit", HOTFIX_AUDIT_VERSION}, std::move(articles));
  if (outputs->wants("json")) outputs->write("json", dump(document));
  if (outputs->wants("csv")) outputs->write("csv", report::to_csv(document));
  if (outputs->wants("html"))
    outputs->write("html", report::to_html(document, {o.no_timestamps ? "" : format_unix_utc(std::time(nullptr))}));
  if (!outputs->ok()) return 2;
  return report::exit_status_json(document["targets"], o.fail_on);
}

}  // namespace

Runner add_report_command(CLI::App& app) {
  auto o = std::make_shared<MergeOptions>();
  auto* report = app.add_subcommand("report", "Reports from earlier scans");
  report->require_subcommand(1);
  auto* merge = report->add_subcommand("merge", "Combine the JSONL of several scans (shards of a fleet) into one report");
  merge->add_option("FILE", o->files, "JSONL written by `scan --format jsonl`")->required();
  auto* format =
      merge->add_option("--format", o->format, "Output format: json, jsonl, csv, html; alone, the same as -o FORMAT")
          ->check(CLI::IsMember(kFormats));
  merge
      ->add_option("--output,-o", o->outputs,
                   "FORMAT (to stdout), FORMAT=FILE, or FILE ending in .json .jsonl .csv .html; repeatable")
      ->allow_extra_args(false);
  add_fail_on_option(merge, &o->fail_on);
  merge->add_flag("--no-timestamps", o->no_timestamps, "Leave the generation time out of the HTML report");
  return [merge, format, o] {
    if (!*merge) return -1;
    o->output_specs =
        parse_output_specs(o->outputs, format->count() ? std::optional(o->format) : std::nullopt, "json", kFormats);
    return run_merge(*o);
  };
}

}  // namespace hfa::cli
