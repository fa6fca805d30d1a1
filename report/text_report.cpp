#include "report/text_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "report/provenance_json.h"

namespace hfa::report {
namespace {

using analyzer::Status;

// Every value that comes from the evidence goes through printable(): an
// escape sequence or a newline in a hive value or a folder name must never
// reach the terminal raw, nor forge a line of the report.
std::string p(const std::string& s) { return printable(s); }
std::string p(const std::optional<std::string>& s) { return s ? printable(*s) : std::string(); }

const char* colour_of(Status s) {
  switch (s) {
    case Status::fixed:
      return "\x1b[32m";
    case Status::missing:
      return "\x1b[31m";
    case Status::inconsistent:
      return "\x1b[35m";
    case Status::unknown:
      return "\x1b[33m";
    case Status::not_applicable:
      return "\x1b[2m";
    case Status::waived:
      return "\x1b[36m";
  }
  return "";
}

// "4 missing, 1 unknown" of the statuses given, those with a count only.
std::string counts_text(const std::map<Status, int>& c, std::initializer_list<Status> which) {
  std::vector<std::string> parts;
  for (auto s : which)
    if (const auto it = c.find(s); it != c.end() && it->second > 0)
      parts.push_back(fmt::format("{} {}", it->second, to_string(s)));
  return fmt::format("{}", fmt::join(parts, ", "));
}

constexpr std::initializer_list<Status> kCounted = {Status::missing, Status::inconsistent, Status::unknown};
constexpr std::initializer_list<Status> kRest = {Status::fixed, Status::not_applicable, Status::waived};

std::string os_text(const OsItem& os) {
  std::string s = "Windows NT " + (os.version ? p(*os.version) : std::string("?"));
  if (os.build) s += " build " + p(*os.build);
  s += ", " + (os.service_pack ? (*os.service_pack == "0" ? std::string("no service pack") : "SP" + p(*os.service_pack))
                               : std::string("service pack unknown"));
  s += ", " + (os.product ? p(*os.product) : std::string("product unknown"));
  if (os.terminal_server()) s += " (Terminal Server Edition)";
  s += ", " + (os.platform ? p(*os.platform) : std::string("platform unknown"));
  return s;
}

std::string found_text(const EvidenceItem& r) {
  const auto& f = r.found;
  if (!f.present) return "not installed";
  std::vector<std::string> parts{p(f.path ? *f.path : r.file)};
  if (f.kind) parts.push_back(p(*f.kind));
  if (f.file_version) parts.push_back("version " + p(*f.file_version));
  if (f.link_time) parts.push_back("linked " + p(*f.link_time));
  if (f.modified) parts.push_back("modified " + p(*f.modified));
  if (f.size) parts.push_back(std::to_string(*f.size) + " bytes");
  if (f.problem) parts.push_back("problem: " + p(*f.problem));
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string required_text(const Requirement& q) {
  switch (q.kind) {
    case Requirement::Kind::service_pack:
      return "Service Pack " + p(q.service_pack);
    case Requirement::Kind::file_row: {
      std::string s = q.date ? p(*q.date) : std::string("no readable date");
      if (q.time) s += " " + p(*q.time);
      if (q.size) s += ", " + std::to_string(*q.size) + " bytes";
      if (q.version) s += ", version " + p(*q.version);
      return s + ", " + p(q.platform);
    }
    case Requirement::Kind::none:
      return "";
  }
  return "";
}

// One finding as a block: status, KB and title, then labelled lines.
std::string finding_block(const FindingItem& f, bool colour) {
  const std::string status(to_string(f.status));
  const char* on = colour ? colour_of(f.status) : "";
  const char* off = colour ? "\x1b[0m" : "";
  // The status word is padded outside the colour codes, so columns line up.
  std::string out = fmt::format("   {}{}{}{} {}", on, status, off,
                                std::string(15 - std::min<size_t>(status.size(), 14), ' '), p(f.kb));
  out = wrap(out + "  ", std::string(29, ' '), p(f.title));
  const std::string label_indent(6, ' ');
  auto line = [&](const char* label, const std::string& text) {
    out += wrap(fmt::format("{}{:<9}", label_indent, label), std::string(15, ' '), text);
  };
  line("why", p(f.reason));
  if (const auto& w = f.waiver)
    line("waived", fmt::format("{} until {}: {}; approved by {}, {}", p(w->waived_status), p(w->expires), p(w->reason),
                               p(w->approver), p(w->source)));
  for (const auto& n : f.notes) line("note", p(n));
  for (const auto& r : f.evidence) {
    std::string e = p(r.file) + " " + p(r.status) + ": " + found_text(r);
    if (const auto req = required_text(r.required); !req.empty()) e += "; required " + req;
    if (!r.note.empty() && r.status != "absent") e += "; " + p(r.note);
    line("file", e);
  }
  if (f.remediation)
    line("to fix", p(f.remediation->text));
  else if (f.counts_against())
    line("to fix", "nothing can be named until the evidence that decides it can be read (see why)");
  return out;
}

std::string plan_block(const std::vector<analyzer::PlanStep>& plan) {
  std::string out;
  int n = 0;
  for (const auto& s : plan) {
    const std::string text = fmt::format("{} {} ({}): fixes {}", to_string(s.remedy.kind), p(s.remedy.id),
                                         p(s.remedy.title), p(fmt::format("{}", fmt::join(s.fixes, ", "))));
    out += wrap(n == 0 ? fmt::format("   plan:  {}. ", ++n) : fmt::format("          {}. ", ++n), std::string(13, ' '),
                text);
  }
  return out;
}

}  // namespace

std::string wrap(std::string_view first, std::string_view rest, std::string_view text) {
  std::string out(first);
  size_t col = first.size();
  // Colour codes take no column.
  for (size_t i = 0; i + 1 < first.size(); ++i)
    if (first[i] == '\x1b')
      for (size_t j = i; j < first.size(); ++j)
        if (first[j] == 'm') {
          col -= j - i + 1;
          break;
        }
  bool line_has_word = false;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    if (i == j) break;
    const auto word = text.substr(i, j - i);
    if (line_has_word && col + 1 + word.size() > kTextWidth) {
      out += "\n";
      out += rest;
      col = rest.size();
      line_has_word = false;
    }
    if (line_has_word) {
      out += ' ';
      ++col;
    }
    out += word;
    col += word.size();
    line_has_word = true;
    i = j;
  }
  return out + "\n";
}

TextWriter::TextWriter(Sink sink, TextOptions options) : sink_(std::move(sink)), options_(options) {}

void TextWriter::add(const TargetItem& t) {
  summary_.add(t);
  const char* reset = options_.colour ? "\x1b[0m" : "";
  const std::string name = t.host.empty() || t.host == t.root ? p(t.root) : p(t.host) + " (" + p(t.root) + ")";
  std::string head = "== " + name + (t.system_root ? " : " + p(*t.system_root) : "");
  std::string out;
  if (t.error) {
    out += wrap(head + "  ", "   ", "not scanned");
    out += wrap(fmt::format("   {}error:{} ", options_.colour ? "\x1b[31m" : "", reset), "          ", p(*t.error));
    for (const auto& n : t.notes) out += wrap("   note: ", "         ", p(n));
    sink_(out + "\n");
    return;
  }
  const auto c = t.counts();
  const std::string counted = counts_text(c, kCounted);
  std::string facts = t.os ? os_text(*t.os) : std::string("operating system unknown");
  facts += t.out_of_scope ? "; out of scope" : "; " + (counted.empty() ? std::string("nothing needs action") : counted);
  out += wrap(head + " | ", "   ", facts);
  if (t.found_by) out += wrap("   found by ", "   ", p(*t.found_by));
  if (t.out_of_scope)
    out +=
        wrap(fmt::format("   {}out of scope:{} ", options_.colour ? "\x1b[33m" : "", reset), "   ", p(*t.out_of_scope));
  for (const auto& n : t.notes) out += wrap("   note: ", "         ", p(n));
  bool any = false;
  for (const auto& f : t.findings)
    if (f.counts_against()) {
      out += (any ? "" : "\n") + finding_block(f, options_.colour);
      any = true;
    }
  if (options_.all)
    for (const auto& f : t.findings)
      if (!f.counts_against()) out += finding_block(f, options_.colour);
  if (!t.plan.empty()) out += "\n" + plan_block(t.plan);
  if (!options_.all) {
    const auto rest = counts_text(c, kRest);
    if (!rest.empty()) out += wrap("\n   also: ", "         ", rest + " (--all lists them)");
  }
  sink_(out + "\n");
}

void TextWriter::finish() {
  const auto& s = summary_;
  std::string out;
  if (s.targets() > 1) {
    out += wrap(
        "", "   ",
        fmt::format("== fleet of {} targets: {} compliant, {} needing action, {} not verifiable (unknown "
                    "only), {} not scanned, {} out of scope",
                    s.targets(), s.compliant(), s.needing_action(), s.not_verifiable(), s.failed(), s.out_of_scope()));
    out += fmt::format("   {:<40} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}\n", "HOST", "MISSING", "INCONS.", "UNKNOWN",
                       "FIXED", "N/A", "WAIVED");
    for (const auto& [host, c] : s.per_host()) {
      std::string h = p(host);
      if (h.size() > 40) {  // the name on its own line, never cut
        out += "   " + h + "\n";
        h.clear();
      }
      out += fmt::format("   {:<40} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}\n", h, c.at(Status::missing),
                         c.at(Status::inconsistent), c.at(Status::unknown), c.at(Status::fixed),
                         c.at(Status::not_applicable), c.at(Status::waived));
    }
    const auto needing = s.hosts_needing_action();
    if (!needing.empty()) {
      std::vector<std::string> names;
      for (const auto& [host, n] : needing) names.push_back(fmt::format("{} ({})", p(host), n));
      out += wrap("\n   needing action or not verifiable, worst first: ", std::string(6, ' '),
                  fmt::format("{}", fmt::join(names, ", ")));
    }
    const auto plan = s.fleet_plan();
    if (!plan.empty()) out += "\n   fleet plan, by findings fixed:\n";
    for (const auto& step : plan)
      out += wrap("     ", std::string(7, ' '),
                  fmt::format("{} {} ({}) on {} host(s) fixes {} finding(s)", to_string(step.remedy.kind),
                              p(step.remedy.id), p(step.remedy.title), step.hosts, step.findings));
    out += "\n";
  }
  const auto& c = s.findings();
  out += wrap("", "   ",
              fmt::format("{} target{}, {} not scanned: {} fixed, {} missing, {} inconsistent, {} unknown, {} "
                          "not-applicable, {} waived",
                          s.targets(), s.targets() == 1 ? "" : "s", s.failed(), c.at(Status::fixed),
                          c.at(Status::missing), c.at(Status::inconsistent), c.at(Status::unknown),
                          c.at(Status::not_applicable), c.at(Status::waived)));
  sink_(out);
}

std::string to_text(const nlohmann::ordered_json& document, TextOptions options) {
  static const nlohmann::ordered_json none;
  const auto& provenance = document.contains("provenance") ? document["provenance"] : none;
  std::string out = provenance_text_head(provenance);
  TextWriter w([&out](std::string_view s) { out += s; }, options);
  if (document.contains("targets"))
    for (const auto& t : document["targets"]) w.add(target_from_json(t));
  out += provenance_text_tail(provenance);
  w.finish();
  return out;
}

}  // namespace hfa::report
