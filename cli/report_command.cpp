// `hotfix-audit report merge FILE...`: the JSONL of several runs (shards of a
// fleet) as one report; `report diff OLD NEW`: what changed between two saved
// scans; `report convert IN`: a saved scan in another format, without rescanning.
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "cli/commands.h"
#include "core/nt_types.h"
#include "core/text.h"
#include "report/csv_report.h"
#include "report/diff.h"
#include "report/html_report.h"
#include "report/provenance_json.h"
#include "report/scan_report.h"
#include "report/text_report.h"

namespace hfa::cli {
namespace {

using nlohmann::ordered_json;

const std::vector<std::string> kFormats = {"json", "jsonl", "csv", "evidence-csv", "html", "text"};

// Whether a target object has the contract's shape (report/model.h), said as
// "FILE: /targets/2/findings/3/status: expected ..." when it has not (`where`
// is "FILE: /targets/2"): renderers can
// then trust every target they are given.
bool well_formed(const ordered_json& t, const std::string& where) {
  try {
    report::target_from_json(t);
    return true;
  } catch (const report::ModelError& e) {
    std::cerr << "hotfix-audit: " << where << e.what() << "\n";
    return false;
  }
}

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
    // Lines of schema 1 carry no version; a later schema may mean other
    // things by the same keys, so it is refused rather than misread. The
    // version is the line's, not the target's: a document says it once.
    if (const auto v = t.find("schema_version"); v != t.end()) {
      if (!v->is_number_integer() || v->get<int64_t>() < 1 || v->get<int64_t>() > report::kSchemaVersion)
        return fail("schema_version " + v->dump() + ": this hotfix-audit reads schema 1 to " +
                    std::to_string(report::kSchemaVersion) + " (a newer hotfix-audit wrote this line?)");
      t.erase(v);
    }
    // Checked here, where FILE:LINE can be said, rather than where a
    // renderer reads it (report/model.h names the key at fault).
    try {
      report::target_from_json(t);
    } catch (const report::ModelError& e) {
      return fail(std::string("not a target object of `scan --format jsonl`: ") + e.what());
    }
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

// A saved scan: the target objects, and the document (null for JSONL, which
// carries no database or waivers).
struct SavedScan {
  ordered_json targets = ordered_json::array();
  ordered_json document;
};

// A JSON document of `scan -o json` (its "targets") or the JSONL of `scan -o
// jsonl` (line by line); false, with the file and what was expected on stderr.
bool read_saved_scan(const std::string& path, SavedScan& scan) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "hotfix-audit: " << path << ": cannot open\n";
    return false;
  }
  std::string first;
  char c = 0;
  while (in.get(c) && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
  }
  if (in) first = c;
  // A document starts with {"tool" or {"targets", pretty or not; a JSONL line
  // with {"host": telling them apart needs the whole document parsed.
  if (first == "{") {
    std::string text = first + std::string(std::istreambuf_iterator<char>(in), {});
    try {
      auto j = ordered_json::parse(text);
      if (j.is_object() && j.contains("targets")) {
        if (!j["targets"].is_array()) {
          std::cerr << "hotfix-audit: " << path << ": \"targets\" is not an array\n";
          return false;
        }
        for (size_t i = 0; i < j["targets"].size(); ++i)
          if (!well_formed(j["targets"][i], path + ": /targets/" + std::to_string(i))) return false;
        scan.targets = j["targets"];
        scan.document = std::move(j);
        return true;
      }
    } catch (const ordered_json::parse_error&) {
      // Several lines of JSONL are not one JSON value: read them as lines.
    }
  }
  if (first.empty()) {
    std::cerr << "hotfix-audit: " << path
              << ": empty; expected a JSON document of `scan -o json` or the JSONL of `scan -o jsonl`\n";
    return false;
  }
  Seen seen;  // one scan's file: a host in it twice is as wrong as in a merge
  if (read_jsonl(path, scan.targets, seen)) return true;
  std::cerr << "hotfix-audit: " << path
            << ": expected a JSON document of `scan -o json` (with \"targets\") or the JSONL of `scan -o jsonl`\n";
  return false;
}

int run_merge(const MergeOptions& o) {
  auto outputs = Outputs::open(o.output_specs);
  if (!outputs) return 2;
  ordered_json targets = ordered_json::array();
  Seen seen;
  for (const auto& f : o.files)
    if (!read_jsonl(f, targets, seen)) return 2;
  for (const auto& t : targets) outputs->write_line(t);
  auto provenance = report::lift_provenance(targets);
  auto articles = articles_of(targets);
  auto document =
      report::document_json(std::move(targets), {"hotfix-audit", HOTFIX_AUDIT_VERSION}, std::move(articles));
  if (!provenance.is_null()) document["provenance"] = std::move(provenance);
  if (outputs->wants("json")) outputs->write("json", dump(document));
  if (outputs->wants("csv")) outputs->write("csv", report::to_csv(document));
  if (outputs->wants("evidence-csv")) outputs->write("evidence-csv", report::to_evidence_csv(document));
  if (outputs->wants("html"))
    outputs->write("html", report::to_html(document, {o.no_timestamps ? "" : format_unix_utc(std::time(nullptr))}));
  if (outputs->wants("text")) outputs->write("text", report::to_text(document, {}));
  if (!outputs->ok()) return 2;
  return report::exit_status_json(document["targets"], o.fail_on);
}

struct DiffOptions {
  std::string old_file, new_file;
  std::vector<std::string> outputs;
  std::string format = "text";
  OutputSpecs output_specs;
};

const std::vector<std::string> kDiffFormats = {"text", "json", "html"};

int run_diff(const DiffOptions& o) {
  auto outputs = Outputs::open(o.output_specs);
  if (!outputs) return 2;
  SavedScan before, after;
  if (!read_saved_scan(o.old_file, before) || !read_saved_scan(o.new_file, after)) return 2;
  auto database = [](const SavedScan& s) {
    return s.document.is_object() && s.document.contains("database") ? s.document["database"] : ordered_json();
  };
  const auto d = report::diff_scans(before.targets, after.targets, database(before), database(after));
  if (outputs->wants("text")) outputs->write("text", report::diff_text(d));
  if (outputs->wants("json")) outputs->write("json", dump(report::diff_json(d)));
  if (outputs->wants("html")) outputs->write("html", report::diff_html(d));
  if (!outputs->ok()) return 2;
  return report::diff_exit_status(d);
}

struct ConvertOptions {
  std::string file;
  std::vector<std::string> outputs;
  std::string format = "json";
  OutputSpecs output_specs;
  bool no_timestamps = false;
};

int run_convert(const ConvertOptions& o) {
  auto outputs = Outputs::open(o.output_specs);
  if (!outputs) return 2;
  SavedScan scan;
  if (!read_saved_scan(o.file, scan)) return 2;
  for (const auto& t : scan.targets) outputs->write_line(t);
  // A document is rendered as saved (its database and waivers kept); JSONL is
  // summarised as `report merge` does.
  ordered_json document;
  if (scan.document.is_object()) {
    document = scan.document;
  } else {
    // As `report merge` does: the lines' provenance, once, in the document.
    auto provenance = report::lift_provenance(scan.targets);
    document = report::document_json(scan.targets, {"hotfix-audit", HOTFIX_AUDIT_VERSION}, articles_of(scan.targets));
    if (!provenance.is_null()) document["provenance"] = std::move(provenance);
  }
  if (outputs->wants("json")) outputs->write("json", dump(document));
  if (outputs->wants("csv")) outputs->write("csv", report::to_csv(document));
  if (outputs->wants("evidence-csv")) outputs->write("evidence-csv", report::to_evidence_csv(document));
  if (outputs->wants("html"))
    outputs->write("html", report::to_html(document, {o.no_timestamps ? "" : format_unix_utc(std::time(nullptr))}));
  if (outputs->wants("text")) outputs->write("text", report::to_text(document, {}));
  return outputs->ok() ? 0 : 2;
}

}  // namespace

Runner add_report_command(CLI::App& app) {
  auto o = std::make_shared<MergeOptions>();
  auto* report = app.add_subcommand("report", "Reports from earlier scans");
  report->require_subcommand(1);
  auto* merge =
      report->add_subcommand("merge", "Combine the JSONL of several scans (shards of a fleet) into one report");
  merge->add_option("FILE", o->files, "JSONL written by `scan --format jsonl`")->required();
  auto* format =
      merge
          ->add_option("--format", o->format,
                       "Output format: json, jsonl, csv, evidence-csv, html, text; alone, the same as -o FORMAT")
          ->check(CLI::IsMember(kFormats));
  merge
      ->add_option("--output,-o", o->outputs,
                   "FORMAT (to stdout), FORMAT=FILE, or FILE ending in .json .jsonl .csv .html; repeatable")
      ->allow_extra_args(false);
  add_fail_on_option(merge, &o->fail_on);
  merge->add_flag("--no-timestamps", o->no_timestamps, "Leave the generation time out of the HTML report");

  auto d = std::make_shared<DiffOptions>();
  auto* diff = report->add_subcommand(
      "diff", "What changed between two saved scans (JSON or JSONL); exit 1 on any regression, else 0");
  diff->add_option("OLD", d->old_file, "The earlier scan: `scan -o json` or `scan -o jsonl`")->required();
  diff->add_option("NEW", d->new_file, "The later scan, the same way")->required();
  auto* diff_format =
      diff->add_option("--format", d->format, "Output format: text, json, html; alone, the same as -o FORMAT")
          ->check(CLI::IsMember(kDiffFormats));
  diff->add_option("--output,-o", d->outputs,
                   "FORMAT (to stdout), FORMAT=FILE, or FILE ending in .txt .json .html; repeatable")
      ->allow_extra_args(false);

  auto c = std::make_shared<ConvertOptions>();
  auto* convert = report->add_subcommand(
      "convert", "A saved scan (JSON or JSONL) as json, jsonl, csv, evidence-csv, html or text without rescanning");
  convert->add_option("IN", c->file, "`scan -o json` or `scan -o jsonl`")->required();
  auto* convert_format =
      convert
          ->add_option("--format", c->format,
                       "Output format: json, jsonl, csv, evidence-csv, html, text; alone, the same as -o FORMAT")
          ->check(CLI::IsMember(kFormats));
  convert
      ->add_option("--output,-o", c->outputs,
                   "FORMAT (to stdout), FORMAT=FILE, or FILE ending in .json .jsonl .csv .html; repeatable")
      ->allow_extra_args(false);
  convert->add_flag("--no-timestamps", c->no_timestamps, "Leave the generation time out of the HTML report");

  return [merge, format, o, diff, diff_format, d, convert, convert_format, c] {
    auto chosen = [](CLI::Option* f, const std::string& value) {
      return f->count() ? std::optional(value) : std::nullopt;
    };
    if (*diff) {
      d->output_specs = parse_output_specs(d->outputs, chosen(diff_format, d->format), "text", kDiffFormats);
      return run_diff(*d);
    }
    if (*convert) {
      c->output_specs = parse_output_specs(c->outputs, chosen(convert_format, c->format), "json", kFormats);
      return run_convert(*c);
    }
    if (!*merge) return -1;
    o->output_specs = parse_output_specs(o->outputs, chosen(format, o->format), "json", kFormats);
    return run_merge(*o);
  };
}

}  // namespace hfa::cli
