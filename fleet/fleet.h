// Many hosts in one run: the lists that name them (a targets file, a folder of
// mounted drives) and the runner that scans them in parallel. One host that
// cannot be read never stops the others, and results come back in the order
// the hosts were given, whatever the number of jobs.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kbdb/kbdb.h"
#include "scan/scan.h"

namespace hfa::fleet {

struct Host {
  std::string name;  // how every output names it
  std::string root;  // what scan::scan_root opens
  // False for a folder found by --hosts-under: the root is opened only if it
  // is still a folder, not a symbolic link swapped in since it was listed.
  bool follow_link = true;
};

struct HostList {
  std::vector<Host> hosts;
  std::vector<std::string> errors;  // "FILE:LINE: what was expected"; the list is unusable when any
  std::vector<std::string> notes;   // entries left out, and why
};

// A root given on the command line: the host is named after it as given.
Host host_of_root(const std::string& root);

// One root per line, or NAME=ROOT; blank lines and lines starting with '#' are
// skipped, surrounding spaces trimmed. A line is split at its first '=', so a
// root whose path holds '=' needs a name in front: "NAME=/mnt/a=b".
HostList parse_targets(const std::string& text, const std::string& file_name);
// A targets file is read like evidence (core/fd.h read_small_file): a FIFO or
// a device is refused, and so is a file over kMaxTargetsBytes.
inline constexpr uint64_t kMaxTargetsBytes = 64ull << 20;  // a million hosts of 60-character lines
HostList read_targets_file(const std::string& path);

// Every sub-folder of `dir` is a host, named after the folder, sorted by name
// so that the order does not depend on the file system. Names starting with
// '.' are skipped; so are symbolic links, each said in `notes` (a link could
// lead anywhere on the examiner's machine: `DIR/evil -> /`).
HostList hosts_under(const std::string& dir);

// `--shard K/N`: shard K of N (1 <= K <= N) is the K-th of N contiguous runs
// of the host list, as even as can be (sizes differ by at most one). Contiguous
// rather than by a hash of the name or by index mod N: the same list cut the
// same way always gives the same hosts, and the shards' outputs, concatenated
// in shard order (`report merge` 1..N), are in input order, so the merged report
// is the single run's byte for byte. The list must be the same in every shard.
struct Shard {
  size_t index = 1, count = 1;  // K, N
};
// nullopt when `text` is not "K/N" with 1 <= K <= N.
std::optional<Shard> parse_shard(const std::string& text);
std::vector<Host> shard_of(std::vector<Host> hosts, const Shard& shard);

// A host whose scan has not ended after this long is reported as not scanned
// (a real host takes well under a second, a disk image seconds; a FIFO or a
// hung file share would otherwise stop the fleet for ever).
inline constexpr std::chrono::seconds kDefaultHostTimeout{600};

// How one host is scanned: scan_host with the run's database unless a test
// gives another.
using ScanFunction = std::function<std::vector<scan::Target>(const Host&)>;

struct RunOptions {
  unsigned jobs = 1;
  // 0: no deadline. A host past it gets one target whose error says so; its
  // worker is abandoned (left to end on its own, its result dropped) and
  // replaced, so the fleet goes on and the run ends.
  std::chrono::milliseconds host_timeout = kDefaultHostTimeout;
  ScanFunction scan;  // empty: scan_host(host, db, evidence)
  scan::EvidenceOptions evidence;
  // How many hosts may be finished but not yet handed over while an earlier
  // one is still being scanned; bounds memory whatever the fleet size.
  // 0: 4 x jobs.
  size_t window = 0;
};

// Called on the caller's thread, in input order, once per host with its
// targets (every one carries the host's name; a host that failed gives one
// target with its error).
using HostDone = std::function<void(size_t index, std::vector<scan::Target>&& targets)>;

// Scans each host with scan::scan_root (options.scan), `jobs` at a time.
void run(const std::vector<Host>& hosts, const kbdb::Database& db, const RunOptions& options, const HostDone& done);

// The scan of one host, never throwing: an exception becomes the host's error.
std::vector<scan::Target> scan_host(const Host& host, const kbdb::Database& db,
                                    const scan::EvidenceOptions& options = {});

}  // namespace hfa::fleet
