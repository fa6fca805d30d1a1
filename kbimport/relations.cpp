#include "kbimport/relations.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/text.h"
#include "kbimport/text.h"

namespace hfa::kbimport::detail {

namespace {

// "Q224345" at the start of s: its length, 0 when none.
size_t id_at(std::string_view s) {
  if (s.size() < 5 || (s[0] != 'Q' && s[0] != 'q')) return 0;
  size_t k = 1;
  while (k < s.size() && is_digit(s[k])) ++k;
  if (k < 5 || k > 7) return 0;
  if (k < s.size() && is_alpha(s[k])) return 0;
  return k;
}

std::string normal_id(std::string_view s) { return "Q" + std::string(s.substr(1)); }

// A reference to a how-to, another list or a download, not to a fix.
bool is_not_a_fix(const Reference& ref) {
  const auto t = ascii_lower(ref.title);
  for (const char* w : {"how to", "howto", "list of bugs", "obtain", "when to reinstall", "qchain", "available",
                        "info:", "readme", "download"})
    if (t.find(w) != std::string::npos) return true;
  return false;
}

// The word or words alone, not inside another word; "clusapi*": at a word's start.
bool has_word(std::string_view text, std::string_view word) {
  const bool prefix = !word.empty() && word.back() == '*';
  if (prefix) word.remove_suffix(1);
  const auto lower = ascii_lower(text);
  const auto w = ascii_lower(word);
  for (size_t p = lower.find(w); p != std::string::npos; p = lower.find(w, p + 1)) {
    const bool left = p == 0 || !std::isalnum(static_cast<unsigned char>(lower[p - 1]));
    const size_t e = p + w.size();
    const bool right = prefix || e >= lower.size() || !std::isalnum(static_cast<unsigned char>(lower[e]));
    if (left && right) return true;
  }
  return false;
}

// The optional components of Windows NT 4.0: the words that name one in a
// title, the service keys and files that show it installed.
struct KnownComponent {
  const char* name;
  std::vector<const char*> words;
  std::vector<const char*> unless;  // words that make it something every installation has
  std::vector<std::string> services, files;
};
const std::vector<KnownComponent>& known_components() {
  static const std::vector<KnownComponent> k = {
      {"Cluster Server", {"cluster server", "clustering", "mscs", "clussvc", "cluster service", "cluster administrator",
                          "cluster resource", "clusterresource*", "clusapi*"},
       {}, {"ClusSvc"}, {"cluster/clussvc.exe"}},
      {"FPNW", {"fpnw", "file and print services for netware"}, {}, {"FPNW"}, {"system32/fpnwclnt.dll"}},
      {"SNMP", {"snmp"}, {}, {"SNMP"}, {"system32/snmp.exe"}},
      {"RRAS", {"rras", "routing and remote access"}, {}, {"RemoteAccess"}, {"system32/mprdim.dll"}},
      {"DHCP Server", {"dhcp server", "dhcp manager"}, {"client"}, {"DhcpServer"}, {"system32/dhcpssvc.dll"}},
      {"WINS", {"wins server", "wins service", "wins database", "wins replication", "wins manager"}, {"client"},
       {"WINS"}, {"system32/wins.exe"}},
      {"DNS Server", {"dns server", "dns manager", "dnsadmin*", "dns service"}, {"client", "resolver"}, {"DNS"},
       {"system32/dns.exe"}},
      {"IIS", {"iis", "internet information server", "internet information services"}, {}, {"W3SVC", "MSFTPSVC"},
       {"system32/inetsrv/inetinfo.exe"}},
  };
  return k;
}

// Files that live in %SystemRoot%\System32\Inetsrv with IIS 3.0/4.0.
bool is_inetsrv_file(std::string_view name) {
  static const char* const files[] = {"w3svc.dll",   "infocomm.dll", "isatq.dll",    "asp.dll",      "httpext.dll",
                                      "ftpsvc2.dll", "iislog.dll",   "inetinfo.exe", "ssinc.dll",    "httpodbc.dll",
                                      "w3ctrs.dll",  "infoadmn.dll", "iisadmin.dll", "smtpsvc.dll",  "nntpsvc.dll",
                                      "fscfg.dll",   "iisrtl.dll",   "coadmin.dll",  "admwprox.dll", "metadata.dll",
                                      "wam.dll",     "ism.dll",      "ftpctrs2.dll", "ftpmib.dll",   "httpmib.dll",
                                      "spmsg.dll",   "iisext.dll",   "iscomlog.dll", "logscrpt.dll", "davfs.dll"};
  return std::any_of(std::begin(files), std::end(files), [&](const char* f) { return iequals(name, f); });
}

// Printer driver files of Windows NT 4.0, kept per processor in the spooler's folder.
bool is_printer_driver_file(std::string_view name) {
  static const char* const files[] = {"rasdd.dll", "rasddui.dll", "pscript.dll", "pscrptui.dll", "plotter.dll",
                                      "plotui.dll"};
  return std::any_of(std::begin(files), std::end(files), [&](const char* f) { return iequals(name, f); });
}

bool is_cluster_file(std::string_view name) {
  const auto n = ascii_lower(name);
  if (n == "clusapi.dll") return false;  // the client API: system32
  if (n == "resrcmon.exe" || n == "resutils.dll") return true;
  const auto ext = n.size() > 4 ? n.substr(n.size() - 4) : "";
  return n.rfind("clus", 0) == 0 && (ext == ".exe" || ext == ".dll");
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

// Words of a title reporting a problem, not naming a package.
const char* const kProblemWords[] = {"after", "occurs", "may", "cannot", "not", "stop", "stops", "hang", "hangs",
                                     "fail", "fails", "notes", "with", "causes", "cause", "error", "reset"};

}  // namespace

std::vector<Reference> references(const std::vector<std::string>& L) {
  std::vector<Reference> out;
  std::string section, subsection;
  for (size_t i = 0; i < L.size(); ++i) {
    const auto t = trim(L[i]);
    const std::string next = i + 1 < L.size() ? std::string(trim(L[i + 1])) : std::string();
    if (!t.empty() && next.size() >= 3 && next.size() < 60 && is_rule(next, '=')) {
      section = std::string(t);
      subsection.clear();
      ++i;
      continue;
    }
    if (!t.empty() && next.size() >= 3 && is_rule(next, '-') && t.size() <= 80) {
      subsection = std::string(t);
      ++i;
      continue;
    }
    // Release notes name them on two lines: "Article-ID: Q182713", then
    // "Title : Multiple Entries in Zone File Cause Memory Leak in Dnsadmin.exe".
    for (const char* label : {"Article-ID:", "Article ID:"}) {
      if (!starts_with_ci(t, label)) continue;
      const auto rest = trim(t.substr(std::string_view(label).size()));
      const size_t n = id_at(rest);
      if (n == 0 || n != rest.size()) break;
      Reference ref;
      ref.id = normal_id(rest);
      ref.line = int(i) + 1;
      ref.section = section;
      ref.subsection = subsection;
      if (starts_with_ci(next, "Title") && next.find(':') != std::string::npos)
        ref.title = collapse_spaces(trim(std::string_view(next).substr(next.find(':') + 1)));
      out.push_back(std::move(ref));
      break;
    }
    const size_t k = id_at(t);
    if (k == 0 || k >= t.size() || t[k] != ' ') continue;
    Reference ref;
    ref.id = normal_id(t.substr(0, k));
    ref.title = collapse_spaces(t.substr(k));
    ref.line = int(i) + 1;
    ref.section = section;
    ref.subsection = subsection;
    // A title wraps onto the following lines, up to a blank line or the next reference.
    for (size_t j = i + 1; j < L.size(); ++j) {
      const auto u = trim(L[j]);
      if (u.empty() || id_at(u) || j > i + 3) break;
      ref.title += " " + collapse_spaces(u);
    }
    out.push_back(std::move(ref));
  }
  return out;
}

std::string title_service_pack(std::string_view title) {
  const auto lower = ascii_lower(title);
  size_t p = lower.find("service pack ");
  std::string sp;
  if (p != std::string::npos) {
    p += 13;
    while (p < lower.size() && (is_digit(lower[p]) || is_alpha(lower[p]))) sp += lower[p++];
    // "6/6a": the list of 6 (6a carries the same fixes); "1, 2, and 3": several.
    if (p < lower.size() && lower[p] == ',') return "";
  } else if ((p = lower.find(" sp")) != std::string::npos) {
    p += 3;
    while (p < lower.size() && (is_digit(lower[p]) || lower[p] == 'a')) sp += lower[p++];
  }
  if (sp.empty() || !is_digit(sp[0]) || sp.size() > 3) return "";
  return sp;
}

std::string install_location(std::string_view name, Platform platform,
                             const std::vector<kbdb::OptionalComponent>& components) {
  if (is_printer_driver_file(name)) {
    if (platform == Platform::x86) return "system32/spool/drivers/w32x86/2";
    if (platform == Platform::alpha) return "system32/spool/drivers/w32alpha/2";
    if (platform == Platform::mips) return "system32/spool/drivers/w32mips/2";
    if (platform == Platform::ppc) return "system32/spool/drivers/w32ppc/2";
    return "";
  }
  const auto concerns = [&](const char* c) {
    return std::any_of(components.begin(), components.end(), [&](const auto& x) { return x.name == c; });
  };
  if (is_cluster_file(name) && (concerns("Cluster Server") || ascii_lower(name).rfind("clus", 0) == 0))
    return "cluster";
  if (is_inetsrv_file(name)) return "system32/inetsrv";
  if (ends_with_ci(name, ".sys") && !iequals(name, "win32k.sys")) return "system32/drivers";
  return "";
}

void read_relations(const std::vector<std::string>& L, ImportResult& r) {
  const auto refs = references(L);
  const auto lower_title = ascii_lower(r.title);
  const auto from = [&](int line) { return kbdb::SourceRef{r.id, line}; };
  const auto add_listed = [&](const Reference& ref, std::optional<kbdb::ServicePackList> in, bool also_tse) {
    if (iequals(ref.id, r.id) || is_not_a_fix(ref)) return;
    if (std::any_of(r.listed.begin(), r.listed.end(), [&](const Listed& l) { return l.member.id == ref.id; })) return;
    r.listed.push_back({{ref.id, from(ref.line)}, std::move(in), also_tse});
  };
  const bool tse_title = lower_title.find("terminal server") != std::string::npos || has_word(lower_title, "tse");
  const bool nt_and_tse = lower_title.find("windows nt 4.0 and") != std::string::npos;

  // A service pack's fix list: "List of Bugs Fixed in Windows NT 4.0 Service
  // Pack 6/6a (Part 1)"; its fixes are the references of MORE INFORMATION, by
  // service pack when its headings name one ("Service Pack 3").
  if (lower_title.find("list of bugs fixed") != std::string::npos ||
      lower_title.find("list of fixes") != std::string::npos) {
    r.kind = "fix-list";
    const auto sp = title_service_pack(r.title);
    std::optional<kbdb::Edition> edition;
    if (tse_title && !nt_and_tse) edition = kbdb::Edition::terminal_server;
    if (!sp.empty()) r.lists = kbdb::ServicePackList{edition, sp};
    for (const auto& ref : refs) {
      if (!iequals(ref.section, "MORE INFORMATION")) continue;
      std::optional<kbdb::ServicePackList> in = r.lists;
      if (sp.empty()) {
        const auto under = title_service_pack(ref.subsection);
        if (!under.empty() && starts_with_ci(ref.subsection, "Service Pack")) in = kbdb::ServicePackList{edition, under};
      }
      add_listed(ref, in, tse_title && nt_and_tse);
    }
  }
  // "Windows NT 4.0 Service Pack 6a Available": what the service pack changed.
  else if (!title_service_pack(r.title).empty() &&
           lower_title.find("service pack " + title_service_pack(r.title) + " available") != std::string::npos) {
    r.kind = "fix-list";
    r.lists = kbdb::ServicePackList{tse_title ? std::optional<kbdb::Edition>(kbdb::Edition::terminal_server)
                                              : std::nullopt,
                                    title_service_pack(r.title)};
    for (const auto& ref : refs)
      if (iequals(ref.section, "SUMMARY") || iequals(ref.section, "MORE INFORMATION")) add_listed(ref, r.lists, false);
  }
  // "DNS/DHCP/WINS Release Notes for Windows NT 4.0 SP4 Update": "This service
  // pack update release includes several fixes", each named in SUMMARY; those
  // fixes ship in that service pack.
  else if (lower_title.find("release notes") != std::string::npos && !title_service_pack(r.title).empty() &&
           std::any_of(L.begin(), L.end(), [](const std::string& line) {
             return contains_ci(line, "service pack update release includes");
           })) {
    r.kind = "fix-list";
    r.lists = kbdb::ServicePackList{std::nullopt, title_service_pack(r.title)};
    for (const auto& ref : refs)
      if (iequals(ref.section, "SUMMARY")) add_listed(ref, r.lists, false);
  }
  // A roll-up: its fixes are listed under "Fixes Included in the SRP", else
  // named in its CAUSE ("This rollup fix was backported from ...: Q224345").
  // (Not an article about a problem the package causes: "... After You Apply the SRP".)
  else if ((lower_title.find("rollup") != std::string::npos || lower_title.find("roll-up") != std::string::npos ||
            has_word(r.title, "srp")) &&
           std::none_of(std::begin(kProblemWords), std::end(kProblemWords),
                        [&](const char* w) { return has_word(lower_title, w); })) {
    r.kind = "package";
    const bool included = std::any_of(refs.begin(), refs.end(), [](const Reference& ref) {
      return contains_ci(ref.subsection, "included") && contains_ci(ref.subsection, "fix");
    });
    for (const auto& ref : refs) {
      const bool member = included ? contains_ci(ref.subsection, "included") && contains_ci(ref.subsection, "fix")
                                   : iequals(ref.section, "CAUSE");
      if (member) add_listed(ref, std::nullopt, false);
    }
  }

  // "This fix supersedes Q123456", "replaces the fix in Q123456".
  for (size_t i = 0; i < L.size(); ++i) {
    const auto lower = ascii_lower(L[i]);
    if (lower.find("supersede") == std::string::npos && lower.find("replaces") == std::string::npos) continue;
    for (size_t j = i; j < L.size() && j <= i + 1; ++j) {
      const std::string& text = L[j];
      for (size_t p = 0; p < text.size(); ++p) {
        if (p > 0 && std::isalnum(static_cast<unsigned char>(text[p - 1]))) continue;
        const size_t k = id_at(std::string_view(text).substr(p));
        if (k == 0) continue;
        const auto id = normal_id(std::string_view(text).substr(p, k));
        p += k;
        if (iequals(id, r.id)) continue;
        if (std::any_of(r.supersedes.begin(), r.supersedes.end(), [&](const auto& m) { return m.id == id; })) continue;
        r.supersedes.push_back({id, from(int(j) + 1)});
      }
    }
  }

  // The optional component the title names.
  int title_line = 0;
  for (size_t i = 0; i < L.size() && title_line == 0; ++i)
    if (starts_with_ci(trim(L[i]), "## ")) title_line = int(i) + 1;
  for (const auto& k : known_components()) {
    if (std::none_of(k.words.begin(), k.words.end(), [&](const char* w) { return has_word(r.title, w); })) continue;
    if (std::any_of(k.unless.begin(), k.unless.end(), [&](const char* w) { return has_word(r.title, w); })) continue;
    kbdb::OptionalComponent c;
    c.name = k.name;
    c.services = k.services;
    c.files = k.files;
    c.from = from(title_line);
    r.components.push_back(c);
  }

  // A registry value the fix needs: a HKEY_LOCAL_MACHINE key followed by
  // "Value Name: X" and "Value: Y" in RESOLUTION or MORE INFORMATION.
  std::string section;
  for (size_t i = 0; i < L.size(); ++i) {
    const auto t = trim(L[i]);
    if (!t.empty() && i + 1 < L.size() && is_rule(L[i + 1], '=') && trim(L[i + 1]).size() < 60) section = std::string(t);
    if (!iequals(section, "RESOLUTION") && !iequals(section, "MORE INFORMATION")) continue;
    if (!starts_with_ci(t, "HKEY_LOCAL_MACHINE\\")) continue;
    std::string key(t.substr(19));
    std::string hive;
    for (const char* h : {"SYSTEM", "SOFTWARE"})
      if (starts_with_ci(key, std::string(h) + "\\")) hive = h;
    if (hive.empty()) continue;
    key = key.substr(hive.size() + 1);
    while (!key.empty() && key.back() == '\\') key.pop_back();
    std::string value, data;
    int line = 0;
    for (size_t j = i + 1; j < L.size() && j <= i + 10; ++j) {
      const auto u = trim(L[j]);
      if (starts_with_ci(u, "HKEY_")) break;
      if (starts_with_ci(u, "Value Name:")) {
        value = std::string(trim(u.substr(11)));
        line = int(j) + 1;
      } else if (!value.empty() && (starts_with_ci(u, "Value:") || starts_with_ci(u, "Data:"))) {
        data = std::string(trim(u.substr(u.find(':') + 1)));
        break;
      }
    }
    // Only a definite value is a requirement: "0", "1F4". Prose ("0 (default)
    // to 5 as defined above") or a range ("0-FFFFFFFF") describes a choice
    // the administrator makes, which no installation can be found to miss.
    const bool definite = !data.empty() && std::all_of(data.begin(), data.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_';
    });
    if (value.empty() || !definite) continue;
    r.settings.push_back({hive, key, value, data, from(line)});
  }

  for (auto& row : r.files)
    if (row.platform && row.location.empty()) row.location = install_location(row.name, *row.platform, r.components);
}

}  // namespace hfa::kbimport::detail

namespace hfa::kbimport {

void link_relations(std::vector<ImportResult>& results) {
  std::map<std::string, size_t> by_id;
  for (size_t i = 0; i < results.size(); ++i)
    if (!results[i].id.empty()) by_id[ascii_lower(results[i].id)] = i;  // a later copy (a seed) wins
  for (const auto& list : results) {
    if (list.kind == "fix") continue;
    for (const auto& l : list.listed) {
      const auto it = by_id.find(ascii_lower(l.member.id));
      if (it == by_id.end()) continue;
      auto& fix = results[it->second];
      if (&fix == &list) continue;
      const auto add_fixed = [&](std::optional<kbdb::Edition> edition, const std::string& sp) {
        FixedIn f;
        f.product = edition ? "Windows NT Server 4.0, Terminal Server Edition" : "Windows NT 4.0";
        f.edition = edition;
        f.nt4 = true;
        f.service_pack = sp;
        f.source = list.kind;
        f.from = l.member.from;
        if (std::none_of(fix.fixed_in.begin(), fix.fixed_in.end(), [&](const FixedIn& x) {
              return x.edition == f.edition && x.service_pack == f.service_pack && x.source == f.source;
            }))
          fix.fixed_in.push_back(f);
      };
      if (l.in) {
        add_fixed(l.in->edition, l.in->service_pack);
        if (l.also_tse) add_fixed(kbdb::Edition::terminal_server, l.in->service_pack);
      }
      if (list.kind == "package" &&
          std::none_of(fix.packages.begin(), fix.packages.end(), [&](const auto& p) { return iequals(p.id, list.id); })) {
        kbdb::Package p;
        p.id = list.id;
        p.title = list.title;
        p.relation = "delivers";
        p.from = l.member.from;
        fix.packages.push_back(p);
      }
    }
  }
}

}  // namespace hfa::kbimport
