#include "fleet/fleet.h"

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "core/fd.h"

namespace hfa::fleet {
namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

}  // namespace

Host host_of_root(const std::string& root) { return {root, root, true}; }

HostList parse_targets(const std::string& text, const std::string& file_name) {
  HostList out;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    Host h = host_of_root(line);
    const auto eq = line.find('=');
    if (eq != std::string::npos) {
      h.name = trim(line.substr(0, eq));
      h.root = trim(line.substr(eq + 1));
      if (h.name.empty() || h.root.empty()) {
        out.errors.push_back(file_name + ":" + std::to_string(number) + ": expected ROOT or NAME=ROOT, got '" + line +
                             "'");
        continue;
      }
    }
    out.hosts.push_back(std::move(h));
  }
  return out;
}

HostList read_targets_file(const std::string& path) {
  const auto file = read_small_file(path, kMaxTargetsBytes);
  if (!file.error.empty()) return {{}, {path + ": cannot read the targets file: " + file.error}, {}};
  return parse_targets(file.text, path);
}

std::optional<Shard> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto number = [](const std::string& digits) -> std::optional<size_t> {
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    return size_t(std::stoul(digits));
  };
  const auto k = number(text.substr(0, slash)), n = number(text.substr(slash + 1));
  if (!k || !n || *k < 1 || *k > *n) return std::nullopt;
  return Shard{*k, *n};
}

std::vector<Host> shard_of(std::vector<Host> hosts, const Shard& shard) {
  const size_t size = hosts.size();
  // Computed in 64 bits: the host count times N stays far below 2^64.
  const auto begin = uint64_t(shard.index - 1) * size / shard.count, end = uint64_t(shard.index) * size / shard.count;
  return {std::make_move_iterator(hosts.begin() + begin), std::make_move_iterator(hosts.begin() + end)};
}

HostList hosts_under(const std::string& dir) {
  namespace fs = std::filesystem;
  HostList out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return {{}, {dir + ": " + ec.message()}, {}};
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    const auto name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;  // .snapshot and the like are not machines
    if (it->is_symlink(type_ec)) {
      out.notes.push_back(dir + ": skipped '" + name +
                          "': a symbolic link, not a folder (give its target "
                          "as a ROOT to scan it)");
      continue;
    }
    if (!it->is_directory(type_ec)) continue;
    out.hosts.push_back({name, (fs::path(dir) / name).string(), false});
  }
  if (ec) out.errors.push_back(dir + ": " + ec.message());
  std::sort(out.hosts.begin(), out.hosts.end(), [](const Host& a, const Host& b) { return a.name < b.name; });
  return out;
}

std::vector<scan::Target> scan_host(const Host& host, const kbdb::Database& db, const scan::EvidenceOptions& options) {
  std::vector<scan::Target> targets;
  try {
    if (host.follow_link) {
      targets = scan::scan_root(host.root, db, options);
    } else {
      // Opened without following a link in its last place, so a folder
      // swapped for a link since it was listed is not scanned.
      auto opened = image::open_folder(host.root, false);
      targets = opened.volume ? scan::scan_volume(*opened.volume, db, std::nullopt, options)
                              : std::vector<scan::Target>{scan::failed_target(host.root, opened.error)};
    }
  } catch (const std::exception& e) {
    targets = {scan::failed_target(host.root, std::string("the scan failed: ") + e.what())};
  }
  if (targets.empty()) targets.push_back(scan::failed_target(host.root, "the scan gave no result"));
  for (auto& t : targets) t.host = host.name;
  return targets;
}

namespace {

using Clock = std::chrono::steady_clock;

// What the workers share with the caller. Held by shared_ptr: an abandoned
// worker may outlive run() and must still find it when its scan ends.
struct Shared {
  std::mutex mutex;
  std::condition_variable changed;
  size_t next_to_start = 0, next_to_hand = 0;
  std::map<size_t, std::vector<scan::Target>> finished;
  struct Running {
    Clock::time_point started;
    size_t worker;
  };
  std::map<size_t, Running> running;  // hosts being scanned
  std::set<size_t> abandoned;         // hosts past the deadline
  bool stop = false;
  std::vector<Host> hosts;
  ScanFunction scan;
  size_t window = 0;
};

void work(const std::shared_ptr<Shared>& s, size_t worker) {
  for (;;) {
    size_t i;
    Host host;
    {
      std::unique_lock lock(s->mutex);
      s->changed.wait(lock, [&] {
        return s->stop || s->next_to_start >= s->hosts.size() || s->next_to_start < s->next_to_hand + s->window;
      });
      if (s->stop || s->next_to_start >= s->hosts.size()) return;
      i = s->next_to_start++;
      host = s->hosts[i];
      s->running[i] = {Clock::now(), worker};
    }
    auto targets = s->scan(host);
    {
      std::lock_guard lock(s->mutex);
      // Replaced while it scanned: the host was reported, this worker is done.
      if (s->abandoned.count(i)) return;
      s->running.erase(i);
      s->finished.emplace(i, std::move(targets));
    }
    s->changed.notify_all();
  }
}

}  // namespace

void run(const std::vector<Host>& hosts, const kbdb::Database& db, const RunOptions& options, const HostDone& done) {
  ScanFunction scan = options.scan ? options.scan : [&db, evidence = options.evidence](const Host& h) {
    return scan_host(h, db, evidence);
  };
  const unsigned jobs = std::max(1u, std::min<unsigned>(options.jobs, unsigned(std::max<size_t>(hosts.size(), 1))));
  const auto timeout = options.host_timeout;
  if (jobs == 1 && timeout.count() == 0) {
    for (size_t i = 0; i < hosts.size(); ++i) done(i, scan(hosts[i]));
    return;
  }
  // Workers take hosts in order but never run further ahead of the oldest
  // unfinished host than `window`; the caller hands results over in order and
  // watches the deadline.
  auto s = std::make_shared<Shared>();
  s->hosts = hosts;
  s->scan = std::move(scan);
  s->window = options.window ? options.window : 4 * size_t(jobs);
  std::map<size_t, std::thread> threads;  // by worker number
  size_t workers = 0;
  auto start_worker = [&] {
    const size_t id = workers++;
    threads.emplace(id, std::thread(work, s, id));
  };
  for (unsigned j = 0; j < jobs; ++j) start_worker();

  while (s->next_to_hand < hosts.size()) {
    std::vector<scan::Target> targets;
    {
      std::unique_lock lock(s->mutex);
      for (;;) {
        if (auto node = s->finished.extract(s->next_to_hand)) {
          targets = std::move(node.mapped());
          break;
        }
        if (timeout.count() == 0) {
          s->changed.wait(lock);
          continue;
        }
        const auto now = Clock::now();
        auto earliest = Clock::time_point::max();
        for (auto it = s->running.begin(); it != s->running.end();) {
          const auto deadline = it->second.started + timeout;
          if (deadline > now) {
            earliest = std::min(earliest, deadline);
            ++it;
            continue;
          }
          const size_t i = it->first;
          const auto& host = s->hosts[i];
          auto t = scan::failed_target(
              host.root, "not scanned: the scan did not end within the host timeout of " +
                             std::to_string(std::chrono::duration_cast<std::chrono::seconds>(timeout).count()) +
                             " s (--host-timeout); its worker was abandoned and the fleet went on");
          t.host = host.name;
          s->abandoned.insert(i);
          s->finished[i].push_back(std::move(t));
          // The worker may be blocked for ever: let it go, start another.
          threads.at(it->second.worker).detach();
          threads.erase(it->second.worker);
          it = s->running.erase(it);
          start_worker();
        }
        if (s->finished.count(s->next_to_hand)) continue;
        if (earliest == Clock::time_point::max())
          s->changed.wait(lock);
        else
          s->changed.wait_until(lock, earliest);
      }
    }
    const size_t index = s->next_to_hand;
    {
      std::lock_guard lock(s->mutex);
      ++s->next_to_hand;
    }
    s->changed.notify_all();
    done(index, std::move(targets));
  }
  {
    std::lock_guard lock(s->mutex);
    s->stop = true;
  }
  s->changed.notify_all();
  for (auto& [id, t] : threads) t.join();
}

}  // namespace hfa::fleet
