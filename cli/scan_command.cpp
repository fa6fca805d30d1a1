// `hotfix-audit scan ROOT...`: scans mounted system drives (one host each, or a
// fleet: --targets, --hosts-under) and reports in one or several formats.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <thread>

#include "cli/commands.h"
#include "core/digest.h"
#include "core/nt_types.h"
#include "core/text.h"
#include "fleet/fleet.h"
#include "report/csv_report.h"
#include "report/html_report.h"
#include "report/provenance_json.h"
#include "report/scan_report.h"
#include "report/text_report.h"
#include "scan/scan.h"

namespace hfa::cli {
namespace {

const std::vector<std::string> kFormats = {"text", "json", "jsonl", "csv", "evidence-csv", "html"};

struct ScanOptions {
  std::vector<std::string> roots, dbs, targets_files, hosts_under, outputs;
  std::vector<std::string> fail_on;  // report::exit_status
  std::string format = "text", waivers, colour = "auto", shard, resume;
  OutputSpecs output_specs;  // from outputs and format, once parsed
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  unsigned host_timeout = unsigned(fleet::kDefaultHostTimeout.count());  // seconds; 0: none
  bool quiet = false, no_timestamps = false, all = false;
  // Provenance (report/provenance_json.h).
  std::string hash = "sha256", timestamp, case_name, examiner, evidence_id;
  bool verify_image = false;
};

// "hosts done/total, rate, time left" on one stderr line, only for a person watching.
class Progress {
 public:
  Progress(size_t total, bool enabled) : total_(total), enabled_(enabled && ::isatty(STDERR_FILENO)) {}
  void host_done() {
    ++done_;
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done_ != total_ && !cleared_ && now - shown_ < std::chrono::milliseconds(100)) return;
    cleared_ = false;
    shown_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? done_ / seconds : 0;
    const double left = rate > 0 ? (total_ - done_) / rate : 0;
    std::fprintf(stderr, "\r\x1b[Kscanned %zu/%zu hosts, %.1f hosts/s, %.0f s left", done_, total_, rate, left);
    if (done_ == total_) std::fputc('\n', stderr);
    std::fflush(stderr);
  }
  // Erases the line before a report goes to the same terminal; the next host redraws it.
  void clear() {
    if (!enabled_ || done_ == 0 || done_ == total_) return;
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    cleared_ = true;
  }

 private:
  size_t total_, done_ = 0;
  bool enabled_, cleared_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), shown_;
};

std::optional<std::vector<fleet::Host>> gather_hosts(const ScanOptions& o) {
  std::vector<fleet::Host> hosts;
  std::vector<std::string> errors;
  for (const auto& r : o.roots) hosts.push_back(fleet::host_of_root(r));
  auto take = [&](fleet::HostList list) {
    for (auto& h : list.hosts) hosts.push_back(std::move(h));
    for (auto& e : list.errors) errors.push_back(std::move(e));
    for (const auto& n : list.notes) std::cerr << "hotfix-audit: note: " << printable(n) << "\n";
  };
  for (const auto& f : o.targets_files) take(fleet::read_targets_file(f));
  for (const auto& d : o.hosts_under) take(fleet::hosts_under(d));
  for (const auto& e : errors) std::cerr << "hotfix-audit: " << e << "\n";
  if (!errors.empty()) return std::nullopt;
  if (hosts.empty()) {
    std::cerr << "hotfix-audit: no host to scan: give ROOT..., --targets FILE or --hosts-under DIR\n";
    return std::nullopt;
  }
  return hosts;
}

// What an interrupted run left in --resume FILE: the hosts it holds, and their
// targets (for the exit status).
struct Resumed {
  std::set<std::string> hosts;
  nlohmann::ordered_json targets = nlohmann::ordered_json::array();
};

// Reads FILE and cuts it back to what can be trusted. A run killed mid-way may
// have left a half-written last line, and (a host with several installations
// writes a line each) a last host with only some of its lines: both are
// truncated away, said on stderr, and that host is scanned again. A line that is
// complete but not a target stops the run: FILE is not ours to cut.
std::optional<Resumed> resume_from(const std::string& path) {
  Resumed r;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return r;  // the first run: nothing done yet
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "hotfix-audit: " << path << ": cannot read the file to resume\n";
    return std::nullopt;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t keep = 0;  // bytes of complete lines
  std::string last_host;
  size_t last_host_start = 0;
  int number = 0;
  for (size_t start = 0; start < text.size(); ++number) {
    const auto end = text.find('\n', start);
    if (end == std::string::npos) {
      std::cerr << "hotfix-audit: " << path << ":" << number + 1 << ": discarded a half-written last line ("
                << text.size() - start << " bytes): the run that wrote it was interrupted\n";
      break;
    }
    const auto line = text.substr(start, end - start);
    nlohmann::ordered_json t;
    try {
      t = nlohmann::ordered_json::parse(line);
    } catch (const nlohmann::ordered_json::parse_error&) {
    }
    if (!t.is_object() || !t.contains("host") || !t["host"].is_string()) {
      std::cerr << "hotfix-audit: " << path << ":" << number + 1
                << ": expected a target of `scan --format jsonl` (a JSON object with \"host\" on one line); "
                   "not resuming from this file\n";
      return std::nullopt;
    }
    const auto host = t["host"].get<std::string>();
    if (host != last_host || keep == 0) last_host_start = start;
    last_host = host;
    r.targets.push_back(std::move(t));
    start = keep = end + 1;
  }
  if (keep > 0) {
    std::cerr << "hotfix-audit: " << path << ": scanning host '" << printable(last_host)
              << "' again: the last in the file, its installations may not all have been written\n";
    while (!r.targets.empty() && r.targets.back()["host"] == last_host) r.targets.erase(r.targets.size() - 1);
    keep = last_host_start;
  }
  if (keep != text.size()) {
    std::filesystem::resize_file(path, keep, ec);
    if (ec) {
      std::cerr << "hotfix-audit: " << path << ": cannot truncate: " << ec.message() << "\n";
      return std::nullopt;
    }
  }
  for (const auto& t : r.targets) r.hosts.insert(t["host"].get<std::string>());
  return r;
}

// The time the report states: --timestamp, else SOURCE_DATE_EPOCH (so that
// two runs over the same evidence are byte-identical), else the clock.
struct Clock {
  std::optional<int64_t> fixed;
  int64_t now() const { return fixed ? *fixed : static_cast<int64_t>(std::time(nullptr)); }
};

std::optional<Clock> report_clock(const ScanOptions& o) {
  Clock clock;
  std::string error;
  if (!o.timestamp.empty()) {
    clock.fixed = report::parse_timestamp(o.timestamp, error);
    if (!clock.fixed) {
      std::cerr << "hotfix-audit: --timestamp " << printable(error) << "\n";
      return std::nullopt;
    }
  } else if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    clock.fixed = report::parse_timestamp(std::string("@") + epoch, error);
    if (!clock.fixed) {
      std::cerr << "hotfix-audit: SOURCE_DATE_EPOCH='" << printable(epoch)
                << "' is not a number of seconds since 1970 UTC\n";
      return std::nullopt;
    }
  }
  return clock;
}

report::Provenance provenance_of(const ScanOptions& o, const kbdb::Database& db, const std::vector<std::string>& hashes,
                                 int64_t started) {
  report::Provenance p;
  p.tool_version = HOTFIX_AUDIT_VERSION;
  // The built-in XML alone is what `hotfix-audit version` names; with --db
  // files, the database actually used, as `db export` would write it.
  p.db_sha256 = o.dbs.empty() ? sha256_hex(kbdb::builtin_xml()) : sha256_hex(kbdb::to_xml(db));
  p.db_articles = db.articles.size();
  for (const auto& f : o.dbs) p.db_profile.push_back(f);
  p.started = p.ended = started;
  auto given = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional<std::string>(s); };
  p.case_name = given(o.case_name);
  p.examiner = given(o.examiner);
  p.evidence_id = given(o.evidence_id);
  p.hash_algorithms = hashes;
  return p;
}

// What a run whose outputs all went to files says on stderr.
void print_run_summary(const report::Summary& s, const std::vector<std::string>& not_scanned,
                       const OutputSpecs& specs) {
  const auto& c = s.findings();
  using analyzer::Status;
  std::cerr << "hotfix-audit: " << s.targets() << " target(s): " << s.compliant() << " compliant, "
            << s.needing_action() << " needing action, " << s.not_verifiable() << " not verifiable, " << s.failed()
            << " not scanned, " << s.out_of_scope() << " out of scope; findings: " << c.at(Status::missing)
            << " missing, " << c.at(Status::inconsistent) << " inconsistent, " << c.at(Status::unknown) << " unknown, "
            << c.at(Status::fixed) << " fixed, " << c.at(Status::not_applicable) << " not-applicable, "
            << c.at(Status::waived) << " waived\n";
  for (const auto& n : not_scanned) std::cerr << "hotfix-audit: not scanned: " << n << "\n";
  for (const auto& spec : specs.specs)
    std::cerr << "hotfix-audit: wrote " << spec.format << " to " << printable(spec.path) << "\n";
}

int run_scan(const ScanOptions& o) {
  // Refused before anything is read: a run must not end without the digests asked for.
  std::string hash_error;
  const auto hashes = parse_digest_names(o.hash, hash_error);
  if (!hashes) {
    std::cerr << "hotfix-audit: --hash " << printable(hash_error) << "\n";
    return 2;
  }
  if (hashes->empty() && o.verify_image) {
    std::cerr << "hotfix-audit: --verify-image needs a digest; --hash none computes none\n";
    return 2;
  }
  const auto clock = report_clock(o);
  if (!clock) return 2;
  const int64_t started = clock->now();
  auto hosts = gather_hosts(o);
  if (!hosts) return 2;
  if (!o.shard.empty()) {
    const auto shard = fleet::parse_shard(o.shard);
    if (!shard) {
      std::cerr << "hotfix-audit: --shard " << printable(o.shard) << ": expected K/N with 1 <= K <= N, e.g. 2/8\n";
      return 2;
    }
    hosts = fleet::shard_of(std::move(*hosts), *shard);
  }
  std::optional<Resumed> resumed;
  if (!o.resume.empty()) {
    // Read and cut back before the output is opened (for appending).
    resumed = resume_from(o.resume);
    if (!resumed) return 2;
    std::vector<fleet::Host> rest;
    for (auto& h : *hosts)
      if (!resumed->hosts.count(h.name)) rest.push_back(std::move(h));
    std::cerr << "hotfix-audit: " << o.resume << ": " << hosts->size() - rest.size() << " host(s) already done, "
              << rest.size() << " to scan\n";
    hosts = std::move(rest);
  }
  auto outputs = Outputs::open(o.output_specs);
  if (!outputs) return 2;
  const auto db = load_database(o.dbs);
  if (!db) return 2;
  Waivers waivers;
  if (!o.waivers.empty() && !waivers.load(o.waivers)) return 2;

  // Every format is written host by host: what a run keeps is counts (and, for
  // HTML, rows waiting in temporary files), never the fleet's targets.
  auto sink = [&outputs](const char* format) {
    return [&outputs, format](std::string_view text) { outputs->write(format, text); };
  };
  auto provenance = provenance_of(o, *db, *hashes, started);
  const auto head = report::document_head({"hotfix-audit", HOTFIX_AUDIT_VERSION}, report::articles_json(*db));
  std::optional<report::JsonWriter> json;
  std::optional<report::HtmlWriter> html;
  std::optional<report::TextWriter> text;
  if (outputs->wants("json")) json.emplace(sink("json"), head);
  if (outputs->wants("csv")) outputs->write("csv", report::csv_header());
  if (outputs->wants("evidence-csv")) outputs->write("evidence-csv", report::evidence_csv_header());
  try {
    if (outputs->wants("html"))
      html.emplace(sink("html"), head, report::HtmlOptions{o.no_timestamps ? "" : format_unix_utc(started)});
  } catch (const std::runtime_error& e) {
    std::cerr << "hotfix-audit: " << e.what() << "\n";
    return 2;
  }
  if (outputs->wants("text")) {
    outputs->write("text", report::provenance_text_head(report::provenance_json(provenance)));
    text.emplace(sink("text"),
                 report::TextOptions{outputs->to_stdout("text") && colour_wanted(o.colour, STDOUT_FILENO), o.all});
  }
  // With every output in files, the terminal still hears how the run went.
  std::optional<report::Summary> run_summary;
  std::vector<std::string> not_scanned;
  if (!outputs->to_stdout() && !o.quiet) run_summary.emplace();
  const bool csv = outputs->wants("csv"), evidence_csv = outputs->wants("evidence-csv");

  int streamed_status = 0;
  Progress progress(hosts->size(), !o.quiet);
  const bool shares_terminal = outputs->to_stdout();
  fleet::RunOptions run_options;
  run_options.jobs = o.jobs;
  run_options.host_timeout = std::chrono::seconds(o.host_timeout);
  run_options.evidence.hashes = *hashes;
  run_options.evidence.verify_image = o.verify_image;
  const bool jsonl = outputs->wants("jsonl");
  fleet::run(*hosts, *db, run_options, [&](size_t, std::vector<scan::Target>&& targets) {
    for (auto& t : targets) waivers.apply(t);
    streamed_status = report::worse_exit_status(streamed_status, report::exit_status(targets, o.fail_on));
    if (shares_terminal) progress.clear();
    for (const auto& t : targets) {
      const auto target = report::target_json(t);
      if (jsonl) {
        // A JSONL line stands alone: it carries the run's provenance, ended
        // when the line is written.
        auto line = target;
        provenance.ended = clock->now();
        line["provenance"] = report::provenance_json(provenance);
        outputs->write_line(line);
      }
      // The typed model, read once for every renderer.
      const auto item = report::target_from_json(target);
      if (json) json->add(target, item);
      if (csv) outputs->write("csv", report::csv_rows(item));
      if (evidence_csv) outputs->write("evidence-csv", report::evidence_csv_rows(item));
      if (html) html->add(item);
      if (text) text->add(item);
      if (run_summary) {
        run_summary->add(item);
        if (item.error) not_scanned.push_back(printable(item.host) + ": " + printable(*item.error));
      }
    }
    progress.host_done();
  });

  const auto unused = waivers.report_unused();
  provenance.ended = clock->now();
  nlohmann::ordered_json tail = nlohmann::ordered_json::object();
  // After the targets: the scan's end is known only now.
  tail["provenance"] = report::provenance_json(provenance);
  if (!o.waivers.empty()) tail["waivers"] = {{"file", o.waivers}, {"unused", unused}};
  if (json) json->finish(tail);
  try {
    if (html) html->finish(tail);
  } catch (const std::runtime_error& e) {
    std::cerr << "hotfix-audit: " << e.what() << "\n";
    return 2;
  }
  if (text) {
    // Before the count line, which stays the report's last.
    outputs->write("text", report::provenance_text_tail(report::provenance_json(provenance)));
    text->finish();
  }
  if (run_summary) print_run_summary(*run_summary, not_scanned, o.output_specs);
  if (!outputs->ok()) return 2;
  // A resumed run exits as the whole run would have.
  if (resumed) return report::worse_exit_status(streamed_status, report::exit_status_json(resumed->targets, o.fail_on));
  return streamed_status;
}

}  // namespace

Runner add_scan_command(CLI::App& app) {
  auto o = std::make_shared<ScanOptions>();
  auto* scan = app.add_subcommand("scan", "Scan mounted system drives (folders) or disk image files for missing fixes");
  scan->add_option("ROOT", o->roots,
                   "Folder holding a mounted Windows NT system drive, or a disk image file (one host each)");
  scan->add_option("--targets", o->targets_files,
                   "File naming one host per line: ROOT or NAME=ROOT; '#' starts a comment (repeatable)")
      ->allow_extra_args(false);
  scan->add_option("--hosts-under", o->hosts_under, "Every sub-folder of DIR is a host named after it (repeatable)")
      ->allow_extra_args(false);
  scan->add_option("--jobs,-j", o->jobs, "Hosts scanned in parallel (default: the number of cores)")
      ->check(CLI::Range(1u, 1024u));
  scan->add_option("--host-timeout", o->host_timeout,
                   "Seconds a host may take before it is reported as not scanned and the fleet goes on "
                   "(default: " +
                       std::to_string(fleet::kDefaultHostTimeout.count()) + "; 0: no limit)")
      ->check(CLI::Range(0u, 86400u * 7));
  // One value per occurrence: the roots that follow are not more databases or outputs.
  scan->add_option("--db", o->dbs, "Database XML adding or replacing articles by id (repeatable)")
      ->allow_extra_args(false);
  add_db_profile_option(scan, &o->dbs);
  auto* format = scan->add_option("--format", o->format,
                                  "Output format: text, json, jsonl (one line per host as it is done), csv (a row per "
                                  "host and article), evidence-csv (a row per file examined), html; alone, the same "
                                  "as -o FORMAT")
                     ->check(CLI::IsMember(kFormats));
  scan->add_option("--output,-o", o->outputs,
                   "FORMAT (to stdout), FORMAT=FILE, or FILE ending in .txt .json .jsonl .csv .html; repeatable, "
                   "e.g. -o json -o report.html -o evidence-csv=files.csv")
      ->allow_extra_args(false);
  add_colour_option(scan, &o->colour);
  add_fail_on_option(scan, &o->fail_on);
  scan->add_option("--waivers", o->waivers, "Waivers file (docs/waivers.md): approved exceptions")
      ->allow_extra_args(false);
  scan->add_flag("--quiet,-q", o->quiet, "No progress line on stderr (nor the run's summary when outputs go to files)");
  scan->add_flag("--all", o->all, "Text output: every finding, not only those needing action");
  scan->add_option("--shard", o->shard,
                   "K/N: scan only the K-th of N contiguous parts of the host list (a Slurm array task, an indexed "
                   "job); `report merge` of parts 1..N in order equals one run")
      ->allow_extra_args(false);
  scan->add_option("--resume", o->resume,
                   "FILE.jsonl: skip the hosts an interrupted run already wrote there and append the rest "
                   "(a half-written last line, and the last host, are cut away and scanned again)")
      ->allow_extra_args(false);
  scan->add_flag("--no-timestamps", o->no_timestamps, "Leave the generation time out of the HTML report");
  scan->add_option("--hash", o->hash,
                   "Digests of every file read and of --verify-image: md5,sha1,sha256 or some of them, or "
                   "none (default: sha256)")
      ->allow_extra_args(false);
  scan->add_flag("--verify-image", o->verify_image,
                 "Hash each disk image whole (--hash) and check it against the digests it stores (E01)");
  scan->add_option("--timestamp", o->timestamp,
                   "The scan's start and end times as reported: 2026-11-30T12:00:00Z or @SECONDS "
                   "(default: SOURCE_DATE_EPOCH, else the clock); two runs are then byte-identical")
      ->allow_extra_args(false);
  scan->add_option("--case", o->case_name, "Case name or number, shown in every output")->allow_extra_args(false);
  scan->add_option("--examiner", o->examiner, "Examiner, shown in every output")->allow_extra_args(false);
  scan->add_option("--evidence-id", o->evidence_id, "Evidence item identifier, shown in every output")
      ->allow_extra_args(false);
  return [scan, format, o] {
    if (!*scan) return -1;
    if (!o->resume.empty()) {
      // Other outputs would hold only the hosts scanned this time.
      if (!o->outputs.empty() || (format->count() && o->format != "jsonl")) {
        std::cerr << "hotfix-audit: --resume FILE writes JSONL to FILE only; leave out -o and --format (merge the "
                     "result with `report merge` for other formats)\n";
        return 2;
      }
      o->output_specs.specs = {{"jsonl", o->resume, true}};
      return run_scan(*o);
    }
    o->output_specs =
        parse_output_specs(o->outputs, format->count() ? std::optional(o->format) : std::nullopt, "text", kFormats);
    return run_scan(*o);
  };
}

}  // namespace hfa::cli
