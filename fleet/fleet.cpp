#include "fleet/fleet.h"

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

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
  std::ifstream in(path, std::ios::binary);
  if (!in) return {{}, {path + ": cannot open the targets file"}, {}};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return {{}, {path + ": read error"}, {}};
  return parse_targets(text.str(), path);
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

std::vector<scan::Target> scan_host(const Host& host, const kbdb::Database& db) {
  std::vector<scan::Target> targets;
  try {
    if (host.follow_link) {
      targets = scan::scan_root(host.root, db);
    } else {
      // Opened without following a link in its last place, so a folder
      // swapped for a link since it was listed is not scanned.
      auto opened = image::open_folder(host.root, false);
      targets = opened.volume ? scan::scan_volume(*opened.volume, db)
                              : std::vector<scan::Target>{scan::failed_target(host.root, opened.error)};
    }
  } catch (const std::exception& e) {
    targets = {scan::failed_target(host.root, std::string("the scan failed: ") + e.what())};
  }
  if (targets.empty()) targets.push_back(scan::failed_target(host.root, "the scan gave no result"));
  for (auto& t : targets) t.host = host.name;
  return targets;
}

void run(const std::vector<Host>& hosts, const kbdb::Database& db, const RunOptions& options, const HostDone& done) {
  const unsigned jobs = std::max(1u, std::min<unsigned>(options.jobs, unsigned(std::max<size_t>(hosts.size(), 1))));
  if (jobs == 1) {
    for (size_t i = 0; i < hosts.size(); ++i) done(i, scan_host(hosts[i], db));
    return;
  }
  const size_t window = options.window ? options.window : 4 * size_t(jobs);

  // Workers take hosts in order but never run further ahead of the oldest
  // unfinished host than `window`; the caller hands results over in order.
  std::mutex mutex;
  std::condition_variable changed;
  size_t next_to_start = 0, next_to_hand = 0;
  std::map<size_t, std::vector<scan::Target>> finished;

  auto worker = [&] {
    for (;;) {
      size_t i;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return next_to_start >= hosts.size() || next_to_start < next_to_hand + window; });
        if (next_to_start >= hosts.size()) return;
        i = next_to_start++;
      }
      auto targets = scan_host(hosts[i], db);
      {
        std::lock_guard lock(mutex);
        finished.emplace(i, std::move(targets));
      }
      changed.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(worker);
  while (next_to_hand < hosts.size()) {
    std::vector<scan::Target> targets;
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return finished.count(next_to_hand) != 0; });
      auto node = finished.extract(next_to_hand);
      targets = std::move(node.mapped());
    }
    const size_t index = next_to_hand;
    {
      std::lock_guard lock(mutex);
      ++next_to_hand;
    }
    changed.notify_all();
    done(index, std::move(targets));
  }
  for (auto& t : threads) t.join();
}

}  // namespace hfa::fleet
