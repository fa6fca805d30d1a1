#include "scan/scan.h"

#include <cctype>
#include <filesystem>

#include <set>

#include "core/text.h"
#include "pe/pe_evidence.h"
#include "registry/hive_file.h"
#include "registry/os_profile.h"

namespace hfa::scan {
namespace {



// Where Windows NT keeps the files KB tables name without a folder.
constexpr const char* kSearchFolders[] = {"system32", "system32/drivers", "system", ""};

analyzer::FileFact read_file(const image::Volume& volume, const image::Entry& entry, const std::string& wanted) {
  analyzer::FileFact f;
  f.wanted = wanted;
  f.path = entry.path;
  f.present = true;
  f.size = entry.size;
  f.modified = entry.modified;
  if (!entry.regular) {
    f.error = entry.path + ": not a regular file";
    return f;
  }
  // The PE reader reads only the parts the verdict needs, a page at a time.
  std::string error;
  const auto file = volume.open(entry, error);
  if (!file) {
    f.error = error;
    return f;
  }
  f.pe = pe::read_pe(*file, entry.path);
  return f;
}

analyzer::FileFact find_file(const image::Volume& volume, const std::string& system_root,
                             const std::string& wanted, std::vector<std::string>& notes) {
  std::vector<std::string> candidates;
  if (wanted.find('/') != std::string::npos || wanted.find('\\') != std::string::npos) {
    candidates.push_back(image::join_path(system_root, wanted));
  } else {
    for (const char* folder : kSearchFolders)
      candidates.push_back(image::join_path(image::join_path(system_root, folder), wanted));
  }
  // The first place where something stands decides, as Windows' search order
  // would: a folder, a link that cannot be followed or a name that cannot be
  // reached there is reported present but unreadable, never taken for absence.
  for (const auto& path : candidates) {
    const auto found = volume.find(path);
    if (found.absent()) continue;
    if (found.entry && !found.entry->directory) return read_file(volume, *found.entry, wanted);
    analyzer::FileFact f;
    f.wanted = wanted;
    f.path = found.entry ? found.entry->path : path;
    f.present = true;
    f.error = found.entry ? found.entry->path + ": a folder stands where the file should be" : found.error;
    if (found.refused) notes.push_back(found.error);
    return f;
  }
  analyzer::FileFact absent;
  absent.wanted = wanted;
  return absent;
}

constexpr uint64_t kMaxHiveBytes = 256ull << 20;
constexpr uint64_t kMaxBootIniBytes = 1ull << 20;

// One copy of a hive, as Windows left it. A dirty primary (sequence numbers
// differ: a flush was cut short) is completed with its .LOG in a private copy;
// the files on the image are only ever read.
template <typename Facts, typename ReadBytes>
std::optional<Facts> read_hive_copy(const image::Volume& volume, const std::string& config, const std::string& file,
                                    ReadBytes read_bytes, std::string& used,
                                    std::vector<std::string>& notes, std::string& failure) {
  const auto path = image::join_path(config, file);
  const auto found = volume.find(path);
  if (!found.entry) {
    failure = file + " hive: " + found.error;
    return std::nullopt;
  }
  if (!found.entry->regular) {
    failure = file + " hive: " + found.entry->path + " is not a regular file";
    return std::nullopt;
  }
  const auto bytes = volume.read(*found.entry, kMaxHiveBytes);
  if (!bytes.error.empty()) {
    failure = file + " hive: " + found.entry->path + ": " + bytes.error;
    return std::nullopt;
  }
  registry::HiveResult<Facts> r;
  used = found.entry->path;
  const auto base = registry::read_base_block(bytes.data);
  if (base && base->dirty()) {
    notes.push_back(file + " hive " + found.entry->path + " is dirty (" +
                    (base->checksum_ok ? "sequence numbers " + std::to_string(base->primary_sequence) + " and " +
                                             std::to_string(base->secondary_sequence)
                                       : std::string("wrong header checksum")) +
                    "): Windows did not finish writing it");
    const auto log = volume.find(path + ".LOG");
    std::string log_problem;
    if (log.entry && log.entry->regular) {
      const auto log_bytes = volume.read(*log.entry, kMaxHiveBytes);
      auto recovered = log_bytes.error.empty() ? registry::apply_log(bytes.data, log_bytes.data)
                                               : registry::Recovery{{}, 0, log_bytes.error};
      if (recovered.error.empty()) {
        used = found.entry->path + " with " + log.entry->path + " applied";
        notes.push_back(file + " hive: applied " + log.entry->path + " (" + std::to_string(recovered.pages) +
                        " pages of 512 bytes) to a private copy; the files on the image are unchanged");
        r = read_bytes(recovered.hive, used);
      } else {
        log_problem = log.entry->path + " cannot be applied: " + recovered.error;
      }
    } else {
      log_problem = "no " + file + ".LOG next to it";
    }
    if (!log_problem.empty()) {
      notes.push_back(file + " hive: " + log_problem + "; read as it is, possibly without the last changes");
      r = read_bytes(bytes.data, found.entry->path);
    }
  } else {
    r = read_bytes(bytes.data, found.entry->path);
  }
  for (const auto& n : r.notes) notes.push_back(file + " hive: " + n);
  if (!r.facts) failure = r.error;
  return r.facts;
}

// SOFTWARE, or SYSTEM with its mirror SYSTEM.ALT (NT 4.0 keeps one for boot
// safety) when SYSTEM itself cannot be read. `used` says which copy was read.
template <typename Facts, typename ReadBytes>
std::optional<Facts> read_hive(const image::Volume& volume, const std::string& system_root, const std::string& hive,
                               bool mirror, ReadBytes read_bytes, std::string& used,
                               std::vector<std::string>& notes) {
  const auto config = image::join_path(system_root, "system32/config");
  std::string failure;
  auto facts = read_hive_copy<Facts>(volume, config, hive, read_bytes, used, notes, failure);
  if (facts || !mirror) {
    if (!facts) notes.push_back(failure);
    return facts;
  }
  std::string alt_failure;
  facts = read_hive_copy<Facts>(volume, config, hive + ".ALT", read_bytes, used, notes, alt_failure);
  if (facts) {
    notes.push_back(hive + " hive: read the mirror copy " + used + ", because " + failure);
  } else {
    notes.push_back(failure);
    notes.push_back(alt_failure);
  }
  return facts;
}

// The kernels the installation's boot.ini entries load: ntoskrnl.exe, or the
// file a /KERNEL= switch names; and ntkrnlmp.exe when it is installed, since
// an entry with the switch can boot it at any time.
std::vector<analyzer::BootKernel> boot_kernels(const image::Volume& volume, const std::string& system_root) {
  std::vector<analyzer::BootKernel> out;
  auto add = [&](std::string file, std::string why) {
    for (const auto& k : out)
      if (k.file == file) return;
    out.push_back({std::move(file), std::move(why)});
  };
  const auto ini = volume.find("boot.ini");
  if (ini.entry && ini.entry->regular) {
    const auto bytes = volume.read(*ini.entry, kMaxBootIniBytes);
    if (bytes.error.empty()) {
      const auto parsed = image::parse_boot_ini(std::string_view(reinterpret_cast<const char*>(bytes.data.data()),
                                                                 bytes.data.size()));
      for (const auto& e : parsed.entries) {
        if (!iequals(e.folder, system_root)) continue;
        const auto options = ascii_lower(e.options);
        const auto at = options.find("/kernel=");
        if (at == std::string::npos) {
          add("ntoskrnl.exe", "boot.ini line " + std::to_string(e.line) + ": no /KERNEL switch");
          continue;
        }
        auto name = options.substr(at + 8, options.find_first_of(" \t", at) - at - 8);
        // A file name in system32, never a path.
        if (name.empty() || name.find_first_of("/\\") != std::string::npos || name == "." || name == "..") continue;
        add(name, "boot.ini line " + std::to_string(e.line) + ": /KERNEL=" + e.options.substr(at + 8, name.size()));
      }
    }
  }
  if (volume.find(image::join_path(system_root, "system32/ntkrnlmp.exe")).entry)
    add("ntkrnlmp.exe", "installed in system32, bootable with /KERNEL=ntkrnlmp.exe");
  return out;
}

// CSDVersion as installations really hold it: "Service Pack 6", but also
// release candidates ("Service Pack 3 RC 1.32") and strings hotfixes altered.
// The number (and a letter right after it) is the service pack; the rest is
// noted. Anything else leaves the service pack unknown.
std::optional<std::string> service_pack_of(const std::string& csd, std::vector<std::string>& notes) {
  std::string text = ascii_lower(csd);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(0, 1);
  if (text.empty()) return "0";
  const std::string prefix = "service pack";
  if (text.compare(0, prefix.size(), prefix) == 0) {
    size_t i = prefix.size();
    while (i < text.size() && text[i] == ' ') ++i;
    const size_t start = i;
    while (i < text.size() && i - start < 2 && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start && (i == text.size() || !std::isdigit(static_cast<unsigned char>(text[i])))) {
      // A letter is part of the number ("6a") only when nothing alphabetic follows it.
      if (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])) &&
          (i + 1 == text.size() || !std::isalpha(static_cast<unsigned char>(text[i + 1]))))
        ++i;
      const std::string sp = text.substr(start, i - start);
      if (i < text.size()) notes.push_back("CSDVersion '" + csd + "' read as Service Pack " + sp);
      return sp;
    }
  }
  notes.push_back("CSDVersion '" + csd + "' is not a service pack name: service pack unknown");
  return std::nullopt;
}

}  // namespace

analyzer::TargetEvidence collect_evidence(const image::Volume& volume, const std::string& system_root,
                                          const std::vector<std::string>& wanted,
                                          std::vector<std::string>& notes) {
  analyzer::TargetEvidence ev;
  auto& os = ev.os;
  auto source = [&](std::string fact, std::string value, std::string where) {
    ev.sources.push_back({std::move(fact), std::move(value), std::move(where)});
  };

  std::string software;
  const auto sw = read_hive<registry::SoftwareFacts>(
      volume, system_root, "SOFTWARE", false, [](const std::vector<uint8_t>& b, const std::string& n) { return registry::read_software_hive(b, n); }, software,
      notes);
  if (sw) {
    const std::string cv = software + ": Microsoft\\Windows NT\\CurrentVersion\\";
    os.version = sw->current_version;
    os.build = sw->current_build_number;
    for (const auto& h : sw->installed_hotfixes) os.installed_hotfixes.push_back(ascii_upper(h));
    os.csd_version = sw->csd_version;
    if (os.version) source("CurrentVersion", *os.version, cv + "CurrentVersion");
    if (os.build) source("CurrentBuildNumber", *os.build, cv + "CurrentBuildNumber");
    source("CSDVersion", os.csd_version.value_or(""), cv + "CSDVersion" + (os.csd_version ? "" : " (absent)"));
    std::string list;
    for (const auto& h : os.installed_hotfixes) {
      list += (list.empty() ? "" : ", ") + h;
      source(h, "Installed = 1", cv + "Hotfix\\" + h);
    }
    source("installed hotfixes", list, cv + "Hotfix");
    os.service_pack = service_pack_of(sw->csd_version.value_or(""), notes);
    // SP6a is SP6 re-released: CSDVersion stays "Service Pack 6", Q246009 marks it.
    if (os.service_pack == "6")
      for (const auto& h : os.installed_hotfixes)
        if (h == "Q246009") os.service_pack = "6a";
  }
  if (!sw) notes.push_back("service pack unknown: no readable SOFTWARE hive");

  std::string system;
  const auto sys = read_hive<registry::SystemFacts>(
      volume, system_root, "SYSTEM", true, [](const std::vector<uint8_t>& b, const std::string& n) { return registry::read_system_hive(b, n); }, system,
      notes);
  if (sys) {
    const std::string ccs = system + ": " + sys->current_control_set;
    const auto type = ascii_lower(sys->product_type.value_or(""));
    if (type == "winnt") os.product = analyzer::Product::workstation;
    else if (type == "servernt" || type == "lanmannt") os.product = analyzer::Product::server;
    else if (sys->product_type) notes.push_back("ProductType '" + *sys->product_type + "' is not known");
    if (sys->product_type)
      source("ProductType", *sys->product_type, ccs + "\\Control\\ProductOptions\\ProductType");
    os.suites = sys->product_suite;
    if (!os.suites.empty()) {
      std::string list;
      for (const auto& x : os.suites) list += (list.empty() ? "" : ", ") + x;
      source("ProductSuite", list, ccs + "\\Control\\ProductOptions\\ProductSuite");
    }
    if (sys->processor_architecture) {
      const std::string where = ccs + "\\Control\\Session Manager\\Environment\\PROCESSOR_ARCHITECTURE";
      source("PROCESSOR_ARCHITECTURE", *sys->processor_architecture, where);
      os.platform = parse_platform(*sys->processor_architecture);
      if (os.platform)
        source("platform", std::string(to_string(*os.platform)),
               "PROCESSOR_ARCHITECTURE '" + *sys->processor_architecture + "' in " + where);
      else
        notes.push_back("PROCESSOR_ARCHITECTURE '" + *sys->processor_architecture + "' is not known");
    }
  }
  if (!os.product) notes.push_back("product unknown: no readable SYSTEM hive or ProductType");

  const auto kernel = find_file(volume, system_root, "system32/ntoskrnl.exe", notes);
  if (kernel.pe && pe::is_pe(kernel.pe->kind)) {
    const auto machine = pe::machine_platform(kernel.pe->machine);
    if (!os.platform) {
      os.platform = machine;
      if (machine) {
        notes.push_back("platform " + std::string(to_string(*machine)) + " from ntoskrnl.exe's PE machine");
        source("platform", std::string(to_string(*machine)), "the PE machine of " + kernel.path);
      }
    } else if (machine && *machine != *os.platform) {
      notes.push_back("PROCESSOR_ARCHITECTURE says " + std::string(to_string(*os.platform)) +
                      " but ntoskrnl.exe is built for " + std::string(to_string(*machine)));
    }
    if (kernel.pe->file_version) {
      os.kernel_version = kernel.pe->file_version;
      source("kernel version", to_string(*os.kernel_version), kernel.path + " (VS_FIXEDFILEINFO)");
      if (analyzer::is_tse_build(*os.kernel_version)) {
        bool suite = false;
        for (const auto& x : os.suites) suite = suite || iequals(x, "Terminal Server");
        if (!suite)
          notes.push_back("ntoskrnl.exe version " + to_string(*os.kernel_version) +
                          " is a Terminal Server Edition build (revision bit 0x8000) though ProductSuite does not "
                          "name Terminal Server: read as Terminal Server Edition");
      }
    }
  }
  if (!os.platform) notes.push_back("platform unknown: no PROCESSOR_ARCHITECTURE and no readable ntoskrnl.exe");

  for (const auto& name : wanted) ev.files[ascii_lower(name)] = find_file(volume, system_root, name, notes);
  ev.kernels = boot_kernels(volume, system_root);
  for (const auto& k : ev.kernels)
    if (!ev.file(k.file)) ev.files[k.file] = find_file(volume, system_root, k.file, notes);
  return ev;
}

std::vector<Target> scan_volume(const image::Volume& volume, const kbdb::Database& db) {
  std::vector<Target> out;
  const auto discovery = image::find_installations(volume);
  if (discovery.installations.empty()) {
    auto t = failed_target(volume.name(), std::string(image::Discovery::kLookedFor));
    t.notes = discovery.notes;
    out.push_back(std::move(t));
    return out;
  }
  const auto wanted = analyzer::files_of_interest(db);
  for (const auto& inst : discovery.installations) {
    Target t;
    t.root = volume.name();
    t.system_root = inst.system_root;
    t.found_by = inst.found_by;
    t.notes = discovery.notes;
    t.evidence = collect_evidence(volume, inst.system_root, wanted, t.notes);
    t.findings = analyzer::analyze(db, t.evidence);
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<Target> scan_root(const std::string& root, const kbdb::Database& db) {
  std::error_code ec;
  // Anything but a folder is read as a disk image file, whose opening says
  // what stands there (not found, permission denied, a FIFO refused...).
  if (!std::filesystem::is_directory(root, ec)) return scan_image(root, db);
  auto opened = image::open_folder(root);
  if (!opened.volume) return {failed_target(root, opened.error)};
  return scan_volume(*opened.volume, db);
}

Target failed_target(const std::string& root, const std::string& error) {
  Target t;
  t.root = root;
  t.error = error;
  return t;
}

}  // namespace hfa::scan
