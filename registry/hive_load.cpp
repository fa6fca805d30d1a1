#include "registry/hive_load.h"

#include "registry/hive_file.h"

namespace hfa::registry {
namespace {

Diagnostic note(const char* code, std::string message) {
  return {code, "", std::nullopt, std::nullopt, std::move(message)};
}

// The later log format (Windows XP and later) that this tool does not apply:
// named when it stands beside a dirty hive, so that "no .LOG" is not read as
// "no log at all".
void name_new_format_logs(const ReadConfigFile& read, const std::string& file, std::vector<Diagnostic>& notes) {
  for (const char* suffix : {".LOG1", ".LOG2"}) {
    const auto log = read(file + suffix);
    if (!log.found) continue;
    notes.push_back(note(code::kNewFormatLog, file + " hive: " + log.path +
                                                  " is a transaction log of the format Windows XP and later write, "
                                                  "which this tool does not apply: not used"));
  }
}

// The whole of a file given by its descriptor (ConfigFile::source): read
// only when a private copy must be made, once.
std::string read_whole(const ConfigFile& f, std::vector<uint8_t>& out) {
  out.resize(f.source->size());
  const auto error = f.source->read(0, out.size(), out.data());
  if (!error.empty()) out.clear();
  return error;
}

// One copy of a hive, as Windows left it. A dirty primary (sequence numbers
// differ: a flush was cut short) is completed with its .LOG in a private copy.
// A clean one open as a descriptor goes to hivex as it is.
template <typename Facts, typename ReadBytes, typename ReadFd>
std::optional<Facts> load_copy(const ReadConfigFile& read, const std::string& file, ReadBytes read_bytes,
                               ReadFd read_fd, std::string& used, std::vector<Diagnostic>& notes,
                               std::string& failure) {
  auto hive = read(file);
  if (!hive.found || !hive.error.empty()) {
    failure = file + " hive: " + (hive.path.empty() ? "" : hive.path + ": ") + hive.error;
    return std::nullopt;
  }
  HiveResult<Facts> r;
  used = hive.path;
  const auto base = read_base_block(hive.data);
  if (base && base->file_type == 0 && base->dirty()) {
    notes.push_back(
        note(code::kHiveDirty, file + " hive " + hive.path + " is dirty (" +
                                   (base->checksum_ok ? "sequence numbers " + std::to_string(base->primary_sequence) +
                                                            " and " + std::to_string(base->secondary_sequence)
                                                      : std::string("wrong header checksum")) +
                                   "): Windows did not finish writing it"));
    auto log = read(file + ".LOG");
    std::string log_problem;
    const char* problem_code = code::kNoLog;
    if (log.found && log.error.empty()) {
      // The log and the primary are needed whole, in memory, to be applied.
      if (log.source) log.error = read_whole(log, log.data);
      if (log.error.empty() && hive.source) {
        if (const auto error = read_whole(hive, hive.data); !error.empty()) {
          failure = file + " hive: " + hive.path + ": " + error;
          return std::nullopt;
        }
      }
    }
    if (log.found && log.error.empty()) {
      auto recovered = apply_log(hive.data, log.data);
      if (recovered.error.empty()) {
        used = hive.path + " with " + log.path + " applied";
        notes.push_back(note(code::kLogApplied, file + " hive: applied " + log.path + " (" +
                                                    std::to_string(recovered.pages) +
                                                    " pages of 512 bytes) to a private copy; the files on the "
                                                    "image are unchanged"));
        r = read_bytes(recovered.hive, used);
      } else {
        problem_code = code::kLogNotApplied;
        log_problem = log.path + " cannot be applied: " + recovered.error;
      }
    } else if (log.found) {
      problem_code = code::kLogNotApplied;
      log_problem = log.path + " cannot be read: " + log.error;
    } else {
      log_problem = "no " + file + ".LOG next to it";
    }
    if (!log_problem.empty()) {
      name_new_format_logs(read, file, notes);
      notes.push_back(
          note(problem_code, file + " hive: " + log_problem + "; read as it is, possibly without the last changes"));
      r = hive.source ? read_fd(hive.source->descriptor(), hive.path) : read_bytes(hive.data, hive.path);
    }
  } else {
    r = hive.source ? read_fd(hive.source->descriptor(), hive.path) : read_bytes(hive.data, hive.path);
  }
  for (const auto& n : r.notes) notes.push_back(note(code::kContent, file + " hive: " + n));
  if (!r.facts) failure = r.error;
  return r.facts;
}

}  // namespace

LoadedHive<SoftwareFacts> load_software_hive(const ReadConfigFile& read, const std::vector<ValueQuery>& values) {
  LoadedHive<SoftwareFacts> out;
  out.facts = load_copy<SoftwareFacts>(
      read, "SOFTWARE",
      [&](const std::vector<uint8_t>& b, const std::string& n) { return read_software_hive(b, n, values); },
      [&](int fd, const std::string& n) { return read_software_hive_fd(fd, n, values); }, out.used, out.notes,
      out.failure);
  if (!out.facts) out.notes.push_back(note(code::kUnreadable, out.failure));
  return out;
}

LoadedHive<SystemFacts> load_system_hive(const ReadConfigFile& read, const std::vector<ValueQuery>& values) {
  LoadedHive<SystemFacts> out;
  auto read_system = [&](const std::vector<uint8_t>& b, const std::string& n) {
    return read_system_hive(b, n, values);
  };
  auto read_system_fd = [&](int fd, const std::string& n) { return read_system_hive_fd(fd, n, values); };
  out.facts = load_copy<SystemFacts>(read, "SYSTEM", read_system, read_system_fd, out.used, out.notes, out.failure);
  if (out.facts) return out;
  std::string alt_failure;
  out.facts = load_copy<SystemFacts>(read, "SYSTEM.ALT", read_system, read_system_fd, out.used, out.notes, alt_failure);
  if (out.facts) {
    out.notes.push_back(
        note(code::kMirrorUsed, "SYSTEM hive: read the mirror copy " + out.used + ", because " + out.failure));
    out.failure.clear();
  } else {
    out.notes.push_back(note(code::kUnreadable, out.failure));
    out.notes.push_back(note(code::kUnreadable, alt_failure));
  }
  return out;
}

}  // namespace hfa::registry
