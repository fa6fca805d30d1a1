#include "analyzer/os_facts.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/text.h"

namespace hfa::analyzer {
namespace {

const std::string kCurrentVersion = "Microsoft\\Windows NT\\CurrentVersion";

Diagnostic note(const char* code, std::string message) {
  return {code, "", std::nullopt, std::nullopt, std::move(message)};
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// What Microsoft called each NT version, for messages only.
std::string product_name(const std::string& version) {
  static const std::pair<const char*, const char*> names[] = {{"3.1", "Windows NT 3.1"},
                                                              {"3.5", "Windows NT 3.5"},
                                                              {"3.51", "Windows NT 3.51"},
                                                              {"4.0", "Windows NT 4.0"},
                                                              {"5.0", "Windows 2000"},
                                                              {"5.1", "Windows XP"},
                                                              {"5.2", "Windows Server 2003 or Windows XP x64"},
                                                              {"6.0", "Windows Vista or Server 2008"},
                                                              {"6.1", "Windows 7 or Server 2008 R2"},
                                                              {"6.2", "Windows 8 or Server 2012"},
                                                              {"6.3", "Windows 8.1, Server 2012 R2 or later"},
                                                              {"10.0", "Windows 10 or later"}};
  for (const auto& [v, name] : names)
    if (version == v) return name;
  return "";
}

class Decider {
 public:
  explicit Decider(const OsEvidence& e) : e_(e) {}

  DecidedOs run() {
    version_and_build();
    service_pack();
    product_and_suites();
    platform();
    kernel_and_edition();
    return std::move(out_);
  }

 private:
  OsFacts& os() { return out_.os; }
  void source(std::string fact, std::string value, std::string where) {
    out_.sources.push_back({std::move(fact), std::move(value), std::move(where)});
  }
  void unknown(const std::string& fact, std::string why) {
    out_.notes.push_back(note(code::kFactUnknown, fact_words(fact) + " unknown: " + why));
    os().unknown[fact] = std::move(why);
  }
  static std::string fact_words(const std::string& fact) {
    if (fact == "service_pack") return "service pack";
    return fact == "version" ? "OS version" : fact;
  }

  // Why nothing of CurrentVersion is known, or "" when the key was read.
  std::string no_current_version_key() const {
    if (!e_.software) return "no readable SOFTWARE hive (" + e_.software_failure + ")";
    if (!e_.software->current_version_key)
      return "the SOFTWARE hive " + e_.software_read + " has no key " + kCurrentVersion +
             " (a damaged hive, or not this installation's SOFTWARE)";
    return "";
  }
  std::string cv_where(const std::string& value) const {
    return e_.software_read + ": " + kCurrentVersion + (value.empty() ? "" : "\\" + value);
  }

  void version_and_build() {
    const auto why = no_current_version_key();
    const auto* sw = e_.software ? &*e_.software : nullptr;
    if (sw && sw->current_version) {
      os().version = sw->current_version;
      source("CurrentVersion", *sw->current_version, cv_where("CurrentVersion"));
    }
    if (sw && sw->current_build_number) {
      os().build = sw->current_build_number;
      source("CurrentBuildNumber", *sw->current_build_number, cv_where("CurrentBuildNumber"));
    }
    const auto* k = e_.kernel && e_.kernel->version ? &*e_.kernel : nullptr;
    // The kernel's own version is evidence of the same fact: used, and said,
    // when the hive gives none.
    if (!os().version && k) {
      os().version = std::to_string(k->version->major) + "." + std::to_string(k->version->minor);
      source("CurrentVersion", *os().version,
             "the file version of " + k->path + " (no CurrentVersion in the registry)");
      out_.notes.push_back(note(code::kFromKernel, "OS version " + *os().version + " from the file version of " +
                                                       k->path + ": " +
                                                       (why.empty() ? "no CurrentVersion value" : why)));
    }
    if (!os().build && k) {
      os().build = std::to_string(k->version->build);
      source("CurrentBuildNumber", *os().build,
             "the file version of " + k->path + " (no CurrentBuildNumber in the registry)");
    }
    const std::string no_kernel = " and no version resource in a readable ntoskrnl.exe";
    if (!os().version)
      unknown("version", (why.empty() ? "no CurrentVersion value in " + cv_where("") : why) + no_kernel);
    if (!os().build)
      unknown("build", (why.empty() ? "no CurrentBuildNumber value in " + cv_where("") : why) + no_kernel);
    if (os().version && k &&
        *os().version != std::to_string(k->version->major) + "." + std::to_string(k->version->minor))
      out_.notes.push_back(note(code::kDisagreement, "CurrentVersion says " + *os().version + " but " + k->path +
                                                         " is version " + to_string(*k->version)));
  }

  void service_pack() {
    const auto why = no_current_version_key();
    if (!why.empty()) return unknown("service_pack", why);
    const auto& sw = *e_.software;
    std::string list;
    for (const auto& h : sw.installed_hotfixes) {
      os().installed_hotfixes.push_back(ascii_upper(h));
      list += (list.empty() ? "" : ", ") + ascii_upper(h);
      source(ascii_upper(h), "Installed = 1", cv_where("Hotfix\\") + h);
    }
    source("installed hotfixes", list, cv_where("Hotfix"));
    os().csd_version = sw.csd_version;
    source("CSDVersion", sw.csd_version.value_or(""), cv_where("CSDVersion") + (sw.csd_version ? "" : " (absent)"));
    // An installation without a service pack has no CSDVersion; a key holding
    // neither that nor CurrentVersion tells nothing.
    if (!sw.csd_version && !sw.current_version)
      return unknown("service_pack", "the key " + cv_where("") + " holds neither CSDVersion nor CurrentVersion");
    const auto reading = read_csd_version(sw.csd_version.value_or(""));
    if (!reading.note.empty())
      out_.notes.push_back(note(reading.service_pack ? code::kOddValue : code::kFactUnknown, reading.note));
    if (!reading.service_pack) {
      os().unknown["service_pack"] = "CSDVersion '" + *sw.csd_version + "' names no service pack";
      return;
    }
    os().service_pack = reading.service_pack;
    // SP6a is SP6 re-released for NT 4.0: CSDVersion stays "Service Pack 6",
    // Q246009 marks it.
    if (os().service_pack == "6" && os().version == std::optional<std::string>("4.0"))
      for (const auto& h : os().installed_hotfixes)
        if (h == "Q246009") os().service_pack = "6a";
  }

  void product_and_suites() {
    if (!e_.system) return unknown("product", "no readable SYSTEM hive (" + e_.system_failure + ")");
    const auto& sys = *e_.system;
    if (sys.current_control_set.empty())
      return unknown("product", "the SYSTEM hive " + e_.system_read +
                                    " tells no current control set (no Select\\Current, and more than one set)");
    const std::string options = sys.current_control_set + "\\Control\\ProductOptions";
    const std::string where = e_.system_read + ": " + options;
    if (!sys.product_options_key)
      return unknown("product", "the SYSTEM hive " + e_.system_read + " was read but has no key " + options);
    if (!sys.product_type) return unknown("product", "no ProductType value in " + where);
    source("ProductType", *sys.product_type, where + "\\ProductType");
    const auto type = ascii_lower(*sys.product_type);
    if (type == "winnt")
      os().product = Product::workstation;
    else if (type == "servernt" || type == "lanmannt")
      os().product = Product::server;
    else
      unknown("product", "ProductType '" + *sys.product_type + "' in " + where + " is not WinNT, ServerNT or LanmanNT");
    os().suites = sys.product_suite;
    if (!os().suites.empty()) {
      std::string list;
      for (const auto& x : os().suites) list += (list.empty() ? "" : ", ") + x;
      source("ProductSuite", list, where + "\\ProductSuite");
    }
  }

  void platform() {
    const auto* sys = e_.system ? &*e_.system : nullptr;
    std::string why = sys ? "" : "no readable SYSTEM hive";
    if (sys && sys->processor_architecture) {
      const std::string where = e_.system_read + ": " + sys->current_control_set +
                                "\\Control\\Session Manager\\Environment\\PROCESSOR_ARCHITECTURE";
      source("PROCESSOR_ARCHITECTURE", *sys->processor_architecture, where);
      os().platform = parse_platform(*sys->processor_architecture);
      if (os().platform) {
        source("platform", std::string(to_string(*os().platform)),
               "PROCESSOR_ARCHITECTURE '" + *sys->processor_architecture + "' in " + where);
      } else {
        why = "PROCESSOR_ARCHITECTURE '" + *sys->processor_architecture + "' is not known";
        out_.notes.push_back(note(code::kOddValue, why));
      }
    } else if (sys) {
      why = sys->current_control_set.empty() ? "no current control set in the SYSTEM hive"
                                             : "no PROCESSOR_ARCHITECTURE value";
    }
    const auto* k = e_.kernel ? &*e_.kernel : nullptr;
    if (!os().platform && k && k->machine) {
      os().platform = k->machine;
      out_.notes.push_back(note(code::kFromKernel, "platform " + std::string(to_string(*k->machine)) + " from " +
                                                       "ntoskrnl.exe's PE machine"));
      source("platform", std::string(to_string(*k->machine)), "the PE machine of " + k->path);
    } else if (os().platform && k && k->machine && *k->machine != *os().platform) {
      out_.notes.push_back(
          note(code::kDisagreement, "PROCESSOR_ARCHITECTURE says " + std::string(to_string(*os().platform)) +
                                        " but ntoskrnl.exe is built for " + std::string(to_string(*k->machine))));
    }
    if (!os().platform) unknown("platform", why + " and no readable ntoskrnl.exe");
  }

  void kernel_and_edition() {
    const auto* k = e_.kernel && e_.kernel->version ? &*e_.kernel : nullptr;
    if (k) {
      os().kernel_version = k->version;
      source("kernel version", to_string(*k->version), k->path + " (VS_FIXEDFILEINFO)");
    }
    const bool tse_kernel = os().terminal_server() &&
                            !(os().version == std::optional<std::string>("4.0") && os().suite_names_terminal_server());
    if (tse_kernel)
      out_.notes.push_back(note(code::kOddValue, "ntoskrnl.exe version " + to_string(*os().kernel_version) +
                                                     " is a Terminal Server Edition build (revision bit 0x8000) "
                                                     "though ProductSuite does not name Terminal Server: read as "
                                                     "Terminal Server Edition"));
    if (!os().terminal_server() && !os().version && os().suite_names_terminal_server())
      unknown("edition",
              "ProductSuite names Terminal Server, which only NT "
              "4.0 means as Terminal Server Edition, "
              "and the OS version is unknown");
    else if (!os().terminal_server() && !os().product)
      os().unknown["edition"] = os().unknown.count("product") ? os().unknown["product"] : "product unknown";
  }

  const OsEvidence& e_;
  DecidedOs out_;
};

}  // namespace

ServicePackReading read_csd_version(std::string_view csd) {
  ServicePackReading r;
  const std::string text = ascii_lower(trimmed(csd));
  if (text.empty()) {
    r.service_pack = "0";
    return r;
  }
  const std::string prefix = "service pack";
  if (text.compare(0, prefix.size(), prefix) == 0) {
    size_t i = prefix.size();
    while (i < text.size() && text[i] == ' ') ++i;
    const size_t start = i;
    while (i < text.size() && i - start < 2 && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start && (i == text.size() || !std::isdigit(static_cast<unsigned char>(text[i])))) {
      // A letter is part of the number ("6a") only when nothing alphabetic
      // follows it.
      if (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])) &&
          (i + 1 == text.size() || !std::isalpha(static_cast<unsigned char>(text[i + 1]))))
        ++i;
      r.service_pack = text.substr(start, i - start);
      if (i < text.size()) r.note = "CSDVersion '" + std::string(csd) + "' read as Service Pack " + *r.service_pack;
      return r;
    }
  }
  r.note = "CSDVersion '" + std::string(csd) + "' is not a service pack name: service pack unknown";
  return r;
}

DecidedOs decide_os_facts(const OsEvidence& e) { return Decider(e).run(); }

std::vector<std::string> versions_in_scope(const kbdb::Database& db) {
  std::set<std::string> versions;
  for (const auto& a : db.articles)
    for (const auto& line : a.applies_to) versions.insert(line.os_version);
  return {versions.begin(), versions.end()};
}

std::optional<std::string> out_of_scope(const OsFacts& os, const std::vector<std::string>& versions) {
  if (!os.version || versions.empty()) return std::nullopt;
  if (std::find(versions.begin(), versions.end(), *os.version) != versions.end()) return std::nullopt;
  std::string covered;
  for (const auto& v : versions) covered += (covered.empty() ? "Windows NT " : ", ") + v;
  const auto name = product_name(*os.version);
  return "Windows NT " + *os.version + (name.empty() || name == "Windows NT " + *os.version ? "" : " (" + name + ")") +
         " is outside the database, which covers " + covered + " only: not judged";
}

}  // namespace hfa::analyzer
