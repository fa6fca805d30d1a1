#include "scan/scan.h"

#include <algorithm>
#include <filesystem>

#include "analyzer/os_facts.h"
#include "core/text.h"
#include "pe/pe_evidence.h"
#include "registry/hive_load.h"
#include "scan/hashing_volume.h"

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

analyzer::FileFact find_file(const image::Volume& volume, const std::string& system_root, const std::string& wanted,
                             std::vector<std::string>& notes) {
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

// A file of the installation's system32/config, for the registry's recovery
// policy (registry/hive_load.h), which decides what to read.
registry::ConfigFile read_config_file(const image::Volume& volume, const std::string& system_root,
                                      const std::string& name) {
  registry::ConfigFile f;
  const auto found = volume.find(image::join_path(image::join_path(system_root, "system32/config"), name));
  if (!found.entry) {
    f.error = found.error;
    return f;
  }
  f.found = true;
  f.path = found.entry->path;
  if (!found.entry->regular) {
    f.error = "not a regular file";
    return f;
  }
  if (found.entry->size <= registry::kMaxHiveBytes) {
    // A local file goes to hivex through its checked descriptor, not copied:
    // only its base block is read here (issue 14, point 3); a file inside a
    // disk image is copied once.
    std::string open_error;
    std::shared_ptr<const ByteSource> source = volume.open(*found.entry, open_error);
    if (source && source->descriptor() < 0 && source->size() <= registry::kMaxHiveBytes) {
      // A file inside a disk image: hivex opens files by name only, so its
      // bytes go once into an in-memory file, read like a local one.
      std::string copy_error;
      source = copy_to_memory_file(*source, copy_error);
      if (!source) {
        f.error = copy_error;
        return f;
      }
    }
    if (source && source->descriptor() >= 0 && source->size() <= registry::kMaxHiveBytes) {
      f.data.resize(std::min<uint64_t>(source->size(), 4096));
      f.error = source->read(0, f.data.size(), f.data.data());
      if (f.error.empty())
        f.source = std::move(source);
      else
        f.data.clear();
      return f;
    }
  }
  auto bytes = volume.read(*found.entry, registry::kMaxHiveBytes);
  f.data = std::move(bytes.data);
  f.error = std::move(bytes.error);
  return f;
}

// The kernel files NT 4.0 can boot from system32.
constexpr const char* kKernelFiles[] = {"ntoskrnl.exe", "ntkrnlmp.exe"};

// The kernels judged for the installation. With boot.ini entries, the kernels
// they load (ntoskrnl.exe, or the file a /KERNEL= switch names), and any other
// kernel file present is named in a note; without any, every kernel present,
// ntoskrnl.exe first, since any of them could be booted.
std::vector<analyzer::BootKernel> boot_kernels(const image::Volume& volume, const image::Installation& inst,
                                               bool boot_ini_seen, std::vector<std::string>& notes) {
  std::vector<analyzer::BootKernel> out;
  auto add = [&](std::string file, std::string why) {
    for (const auto& k : out)
      if (k.file == file) return;
    out.push_back({std::move(file), std::move(why)});
  };
  auto present = [&](const std::string& name) -> std::string {
    const auto found = volume.find(image::join_path(inst.system_root, "system32/" + name));
    return found.entry && !found.entry->directory ? found.entry->path : "";
  };
  if (!inst.boot_entries.empty()) {
    for (const auto& e : inst.boot_entries) {
      std::string problem;
      const auto kernel = image::boot_kernel(e, problem);
      const auto where = image::boot_line(inst.boot_ini, e.line);
      if (!kernel) {
        notes.push_back(inst.boot_ini + " " + problem);
        continue;
      }
      const auto at = ascii_lower(e.options).find("/kernel=");
      add(*kernel, where + (at == std::string::npos ? ": no /KERNEL switch"
                                                    : ": /KERNEL=" + e.options.substr(at + 8, kernel->size())));
    }
    for (const char* name : kKernelFiles) {
      const auto path = present(name);
      if (path.empty() || std::any_of(out.begin(), out.end(), [&](const auto& k) { return k.file == name; })) continue;
      notes.push_back(path + " is present but no " + inst.boot_ini +
                      " entry boots it: not judged (a hotfix may "
                      "leave a stale kernel behind)");
    }
    return out;
  }
  const std::string why = boot_ini_seen ? "no boot.ini entry boots this installation" : "no boot.ini on the evidence";
  for (const char* name : kKernelFiles)
    if (!present(name).empty()) add(name, why + ": every kernel present is judged, since any could be booted");
  return out;
}

// The values the database's articles need, as the hives gave them (in the
// order of `settings`, SOFTWARE and SYSTEM queries each in that order).
std::vector<analyzer::RegistryValue> registry_values(const std::vector<kbdb::RequiredSetting>& settings,
                                                     const registry::LoadedHive<registry::SoftwareFacts>& software,
                                                     const registry::LoadedHive<registry::SystemFacts>& system) {
  std::vector<analyzer::RegistryValue> out;
  size_t next_software = 0, next_system = 0;
  for (const auto& s : settings) {
    const bool in_system = iequals(s.hive, "SYSTEM");
    analyzer::RegistryValue v;
    v.hive = s.hive;
    v.key = s.key;
    v.value = s.value;
    const std::vector<registry::ValueRead>* reads = nullptr;
    if (in_system && system.facts) reads = &system.facts->values;
    if (!in_system && software.facts) reads = &software.facts->values;
    const size_t index = in_system ? next_system++ : next_software++;
    if (!reads || index >= reads->size()) {
      v.problem = "no readable " + std::string(in_system ? "SYSTEM" : "SOFTWARE") +
                  " hive: " + (in_system ? system.failure : software.failure);
      out.push_back(std::move(v));
      continue;
    }
    const auto& r = (*reads)[index];
    v.hive_read = r.read;
    v.data = r.data;
    v.problem = r.problem;
    v.where = (in_system ? system.used : software.used) + ": " + r.where;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

analyzer::TargetEvidence collect_evidence(const image::Volume& volume, const image::Installation& inst,
                                          bool boot_ini_seen, const std::vector<std::string>& wanted,
                                          const std::vector<kbdb::RequiredSetting>& settings,
                                          std::vector<std::string>& notes) {
  const auto& system_root = inst.system_root;
  analyzer::TargetEvidence ev;
  const registry::ReadConfigFile read = [&](const std::string& name) {
    return read_config_file(volume, system_root, name);
  };
  std::vector<registry::ValueQuery> software_queries, system_queries;
  for (const auto& s : settings)
    (iequals(s.hive, "SYSTEM") ? system_queries : software_queries).push_back({s.key, s.value});
  auto software = registry::load_software_hive(read, software_queries);
  auto system = registry::load_system_hive(read, system_queries);
  ev.registry_values = registry_values(settings, software, system);
  if (system.facts && system.facts->services) {
    ev.services = system.facts->services;
    ev.services_where = system.used + ": " + system.facts->current_control_set + "\\Services";
  }
  for (const auto* hive_notes : {&software.notes, &system.notes})
    for (const auto& n : *hive_notes) notes.push_back(to_string(n));

  analyzer::OsEvidence os;
  os.software = std::move(software.facts);
  os.software_read = software.used;
  os.software_failure = software.failure;
  os.system = std::move(system.facts);
  os.system_read = system.used;
  os.system_failure = system.failure;
  const auto kernel = find_file(volume, system_root, "system32/ntoskrnl.exe", notes);
  if (kernel.pe && pe::is_pe(kernel.pe->kind))
    os.kernel = analyzer::KernelFacts{kernel.path, pe::machine_platform(kernel.pe->machine), kernel.pe->file_version};
  auto decided = analyzer::decide_os_facts(os);
  ev.os = std::move(decided.os);
  ev.sources = std::move(decided.sources);
  for (const auto& n : decided.notes) notes.push_back(to_string(n));

  for (const auto& name : wanted) ev.files[ascii_lower(name)] = find_file(volume, system_root, name, notes);
  ev.kernels = boot_kernels(volume, inst, boot_ini_seen, notes);
  for (const auto& k : ev.kernels)
    if (!ev.file(k.file)) ev.files[k.file] = find_file(volume, system_root, k.file, notes);
  return ev;
}

std::vector<Target> scan_volume(const image::Volume& plain_volume, const kbdb::Database& db,
                                const std::optional<image::BootIniFile>& boot_ini, const EvidenceOptions& options) {
  std::vector<Target> out;
  // Every file read below is recorded and hashed as it is read.
  const HashingVolume volume(plain_volume, options.hashes);
  const auto discovery = image::find_installations(volume, boot_ini);
  const auto discovery_read = volume.take();
  if (discovery.installations.empty()) {
    auto t = failed_target(volume.name(), std::string(image::Discovery::kLookedFor));
    t.notes = discovery.notes;
    out.push_back(std::move(t));
    return out;
  }
  const auto wanted = analyzer::files_of_interest(db);
  const auto settings = analyzer::settings_of_interest(db);
  const auto versions = analyzer::versions_in_scope(db);
  for (const auto& inst : discovery.installations) {
    Target t;
    t.root = volume.name();
    t.system_root = inst.system_root;
    t.found_by = inst.found_by;
    t.notes = discovery.notes;
    t.evidence = collect_evidence(volume, inst, discovery.boot_ini, wanted, settings, t.notes);
    t.files_read = discovery_read;
    for (auto& f : volume.take())
      if (std::none_of(t.files_read.begin(), t.files_read.end(), [&](const FileRead& r) { return r.path == f.path; }))
        t.files_read.push_back(std::move(f));
    for (auto& [name, file] : t.evidence.files)
      if (!file.path.empty()) file.hashes = volume.digests_of(file.path);
    if (const auto why = analyzer::out_of_scope(t.evidence.os, versions))
      t.out_of_scope = *why;
    else
      t.findings = analyzer::analyze(db, t.evidence);
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<Target> scan_root(const std::string& root, const kbdb::Database& db, const EvidenceOptions& options) {
  std::error_code ec;
  // Anything but a folder is read as a disk image file, whose opening says
  // what stands there (not found, permission denied, a FIFO refused...).
  if (!std::filesystem::is_directory(root, ec)) return scan_image(root, db, options);
  auto opened = image::open_folder(root);
  if (!opened.volume) return {failed_target(root, opened.error)};
  return scan_volume(*opened.volume, db, std::nullopt, options);
}

Target failed_target(const std::string& root, const std::string& error) {
  Target t;
  t.root = root;
  t.error = error;
  return t;
}

}  // namespace hfa::scan
