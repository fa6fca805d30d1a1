#include "waivers/waivers.h"

#include <fnmatch.h>

#include <fstream>
#include <sstream>
#include <tuple>

#include "core/fd.h"
#include "core/text.h"
#include "kbdb/catalogue.h"

namespace hfa::waivers {
namespace {

bool is_compliant(analyzer::Status s) {
  return s == analyzer::Status::fixed || s == analyzer::Status::not_applicable || s == analyzer::Status::waived;
}

bool before(const Date& a, const Date& b) {
  return std::tie(a.year, a.month, a.day) < std::tie(b.year, b.month, b.day);
}

}  // namespace

ParseResult parse(std::string_view text, const std::string& source_name) {
  ParseResult out;
  int line_no = 0;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto error = [&](size_t column, const std::string& message) {
      out.errors.push_back(source_name + ":" + std::to_string(line_no) + ":" + std::to_string(column + 1) + ": " +
                           message);
    };
    size_t i = 0;
    auto skip_space = [&] {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    };
    skip_space();
    if (i == line.size() || line[i] == '#') {
      if (end == text.size()) break;
      continue;
    }
    analyzer::Waiver w;
    w.source = source_name + ":" + std::to_string(line_no);
    const size_t kb_at = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    w.kb = kbdb::normalize_kb_id(line.substr(kb_at, i - kb_at)).value_or("");
    bool ok = true;
    if (w.kb.empty()) {
      error(kb_at, "expected a KB id (Q259042, KB259042 or 259042) at the start of the line, found '" +
                       std::string(line.substr(kb_at, i - kb_at)) + "'");
      ok = false;
    }
    bool has_expires = false, has_approver = false, has_reason = false, has_host = false;
    while (ok) {
      skip_space();
      if (i == line.size() || line[i] == '#') break;
      const size_t key_at = i;
      while (i < line.size() && line[i] != '=' && line[i] != ' ' && line[i] != '\t') ++i;
      const std::string key = ascii_lower(line.substr(key_at, i - key_at));
      if (i == line.size() || line[i] != '=') {
        error(key_at, "expected key=value, found '" + std::string(line.substr(key_at, i - key_at)) + "'");
        ok = false;
        break;
      }
      ++i;
      const size_t value_at = i;
      std::string value;
      if (i < line.size() && line[i] == '"') {
        ++i;
        bool closed = false;
        while (i < line.size()) {
          if (line[i] == '\\' && i + 1 < line.size()) {
            value += line[i + 1];
            i += 2;
          } else if (line[i] == '"') {
            ++i;
            closed = true;
            break;
          } else {
            value += line[i++];
          }
        }
        if (!closed) {
          error(value_at, "the quoted value of " + key + " has no closing quote");
          ok = false;
          break;
        }
      } else {
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') value += line[i++];
      }
      auto once = [&](bool& seen) {
        if (seen) {
          error(key_at, key + " given twice");
          ok = false;
        }
        seen = true;
      };
      if (key == "expires") {
        once(has_expires);
        if (const auto d = parse_iso_date(value)) w.expires = *d;
        else {
          error(value_at, "expires must be a date YYYY-MM-DD, found '" + value + "'");
          ok = false;
        }
      } else if (key == "approver") {
        once(has_approver);
        w.approver = value;
      } else if (key == "reason") {
        once(has_reason);
        w.reason = value;
      } else if (key == "host") {
        once(has_host);
        w.host_pattern = value;
      } else {
        error(key_at, "unknown key '" + key + "' (expected expires, approver, reason or host)");
        ok = false;
      }
      if (ok && value.empty()) {
        error(value_at, key + " is empty");
        ok = false;
      }
    }
    if (ok) {
      std::string missing;
      if (!has_expires) missing += " expires";
      if (!has_approver) missing += " approver";
      if (!has_reason) missing += " reason";
      if (!missing.empty()) {
        error(line.size(), "waiver for " + w.kb + " lacks:" + missing);
        ok = false;
      }
    }
    if (ok) out.waivers.push_back(std::move(w));
    if (end == text.size()) break;
  }
  return out;
}

ParseResult load_file(const std::string& path) {
  // Read like evidence: a FIFO or /dev/zero given by mistake must not hang.
  const auto file = read_small_file(path, kMaxWaiversBytes);
  if (!file.error.empty()) {
    ParseResult r;
    r.errors.push_back(path + ": cannot read the waivers file: " + file.error);
    return r;
  }
  return parse(file.text, path);
}

bool host_matches(std::string_view pattern, std::string_view host) {
  return ::fnmatch(std::string(pattern).c_str(), std::string(host).c_str(), FNM_CASEFOLD) == 0;
}

std::vector<bool> apply(const std::vector<analyzer::Waiver>& waivers, std::vector<analyzer::Finding>& findings,
                        std::string_view host, const Date& today) {
  std::vector<bool> matched(waivers.size(), false);
  for (auto& f : findings) {
    for (size_t i = 0; i < waivers.size(); ++i) {
      const auto& w = waivers[i];
      if (!iequals(w.kb, f.kb) || !host_matches(w.host_pattern, host)) continue;
      matched[i] = true;
      const std::string which = "waiver " + w.source + " (approved by " + w.approver + ", expires " +
                                to_string(w.expires) + ")";
      if (before(w.expires, today)) {
        f.notes.push_back(which + " expired on " + to_string(w.expires) + ": not applied");
        f.trace.push_back("waiver: " + which + " matches host '" + std::string(host) + "' by '" + w.host_pattern +
                          "' but expired before " + to_string(today) + ": not applied");
      } else if (is_compliant(f.status)) {
        if (f.status != analyzer::Status::waived)
          f.notes.push_back(which + " not needed: the finding is " + std::string(to_string(f.status)));
      } else {
        analyzer::Waiver applied = w;
        applied.waived_status = f.status;
        f.trace.push_back("waiver: " + which + " matches host '" + std::string(host) + "' by '" + w.host_pattern +
                          "': " + std::string(to_string(f.status)) + " becomes waived; reason: " + w.reason);
        f.status = analyzer::Status::waived;
        f.waiver = std::move(applied);
      }
    }
  }
  return matched;
}

std::string describe_unused(const analyzer::Waiver& w) {
  return w.source + ": waiver for " + w.kb + " (host " + w.host_pattern + ") matched no finding";
}

}  // namespace hfa::waivers
