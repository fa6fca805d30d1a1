#include "scan/scan.h"

#include <cctype>

#include "pe/pe_evidence.h"
#include "registry/os_profile.h"
#include "core/text.h"

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
  // The PE reader reads only the parts the verdict needs: from the local file
  // when the volume has one, else from the whole file.
  if (const auto local = volume.local_path(entry); !local.empty()) {
    const pe::FileSource source(local);
    if (source.error().empty()) {
      f.pe = pe::read_pe(source, entry.path);
      return f;
    }
  }
  const auto bytes = volume.read(entry, pe::kMaxFileBytes);
  if (!bytes.error.empty()) {
    f.error = bytes.error;
    return f;
  }
  f.pe = pe::read_pe(bytes.data, entry.path);
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
  for (const auto& path : candidates) {
    const auto found = volume.find(path);
    if (found.refused) {
      // Reported as present but unreadable: a refusal must never pass for absence.
      notes.push_back(found.error);
      analyzer::FileFact f;
      f.wanted = wanted;
      f.path = path;
      f.present = true;
      f.error = found.error;
      return f;
    }
    if (found.entry && !found.entry->directory) return read_file(volume, *found.entry, wanted);
  }
  analyzer::FileFact absent;
  absent.wanted = wanted;
  return absent;
}

// A hive as a local file for hivex, or "" with a note saying why not.
std::string hive_path(const image::Volume& volume, const std::string& system_root, const char* hive,
                      std::vector<std::string>& notes) {
  const auto path = image::join_path(system_root, std::string("system32/config/") + hive);
  const auto found = volume.find(path);
  if (!found.entry) {
    notes.push_back(std::string(hive) + " hive: " + found.error);
    return "";
  }
  if (!found.entry->regular) {
    notes.push_back(std::string(hive) + " hive: " + found.entry->path + " is not a regular file");
    return "";
  }
  return volume.local_path(*found.entry);
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

  if (const auto path = hive_path(volume, system_root, "SOFTWARE", notes); !path.empty()) {
    auto sw = registry::read_software_hive(path);
    for (const auto& n : sw.notes) notes.push_back("SOFTWARE hive: " + n);
    if (!sw.facts) {
      notes.push_back(sw.error);
    } else {
      os.version = sw.facts->current_version;
      os.build = sw.facts->current_build_number;
      for (const auto& h : sw.facts->installed_hotfixes) os.installed_hotfixes.push_back(ascii_upper(h));
      os.csd_version = sw.facts->csd_version;
      os.service_pack = service_pack_of(sw.facts->csd_version.value_or(""), notes);
      // SP6a is SP6 re-released: CSDVersion stays "Service Pack 6", Q246009 marks it.
      if (os.service_pack == "6")
        for (const auto& h : os.installed_hotfixes)
          if (h == "Q246009") os.service_pack = "6a";
    }
  }
  if (!os.service_pack) notes.push_back("service pack unknown: no readable SOFTWARE hive");

  if (const auto path = hive_path(volume, system_root, "SYSTEM", notes); !path.empty()) {
    auto sys = registry::read_system_hive(path);
    for (const auto& n : sys.notes) notes.push_back("SYSTEM hive: " + n);
    if (!sys.facts) {
      notes.push_back(sys.error);
    } else {
      const auto type = ascii_lower(sys.facts->product_type.value_or(""));
      if (type == "winnt") os.product = analyzer::Product::workstation;
      else if (type == "servernt" || type == "lanmannt") os.product = analyzer::Product::server;
      else if (sys.facts->product_type) notes.push_back("ProductType '" + *sys.facts->product_type + "' is not known");
      os.suites = sys.facts->product_suite;
      if (sys.facts->processor_architecture) {
        os.platform = parse_platform(*sys.facts->processor_architecture);
        if (!os.platform)
          notes.push_back("PROCESSOR_ARCHITECTURE '" + *sys.facts->processor_architecture + "' is not known");
      }
    }
  }
  if (!os.product) notes.push_back("product unknown: no readable SYSTEM hive or ProductType");

  const auto kernel = find_file(volume, system_root, "system32/ntoskrnl.exe", notes);
  if (kernel.pe && pe::is_pe(kernel.pe->kind)) {
    const auto machine = pe::machine_platform(kernel.pe->machine);
    if (!os.platform) {
      os.platform = machine;
      if (machine) notes.push_back("platform " + std::string(to_string(*machine)) + " from ntoskrnl.exe's PE machine");
    } else if (machine && *machine != *os.platform) {
      notes.push_back("PROCESSOR_ARCHITECTURE says " + std::string(to_string(*os.platform)) +
                      " but ntoskrnl.exe is built for " + std::string(to_string(*machine)));
    }
  }
  if (!os.platform) notes.push_back("platform unknown: no PROCESSOR_ARCHITECTURE and no readable ntoskrnl.exe");

  for (const auto& name : wanted) ev.files[ascii_lower(name)] = find_file(volume, system_root, name, notes);
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
