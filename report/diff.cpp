#include "report/diff.h"

#include <map>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "core/text.h"
#include "report/scan_report.h"

namespace hfa::report {
namespace {

using nlohmann::ordered_json;

// The verdicts a regression moves into (issue 13: "newly missing or inconsistent").
bool bad(const std::string& status) { return status == "missing" || status == "inconsistent"; }

std::string str(const ordered_json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

std::string key_of(const HostKey& k) { return k.host + '\n' + k.system_root; }

HostKey host_key(const ordered_json& t) { return {host_name(t), str(t, "system_root")}; }

// The facts of a found file that say which bytes are there: a file put back
// from the CD changes some of these while the verdict may stay. Hash fields
// are compared when a scan carries them.
const char* const kFoundFields[] = {"present",      "path",   "size", "modified", "link_time",
                                    "file_version", "sha256", "sha1", "md5",      "hashes"};

std::string shown(const ordered_json& v) {
  if (v.is_null()) return "none";
  if (v.is_string()) return valid_utf8(v.get<std::string>());
  return v.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

// Each evidence field that differs, matched by the entry's "file".
std::vector<std::string> evidence_changes(const ordered_json& old_finding, const ordered_json& new_finding) {
  std::map<std::string, ordered_json> before;
  if (old_finding.contains("evidence") && old_finding["evidence"].is_array())
    for (const auto& e : old_finding["evidence"]) before.emplace(str(e, "file"), e.value("found", ordered_json()));
  std::vector<std::string> changes;
  if (!new_finding.contains("evidence") || !new_finding["evidence"].is_array()) return changes;
  for (const auto& e : new_finding["evidence"]) {
    const auto file = str(e, "file");
    const auto it = before.find(file);
    if (it == before.end()) continue;  // a row the other database did not have: the database diff says so
    const auto& was = it->second;
    const auto now = e.value("found", ordered_json());
    for (const char* field : kFoundFields) {
      const auto a = was.is_object() && was.contains(field) ? was[field] : ordered_json();
      const auto b = now.is_object() && now.contains(field) ? now[field] : ordered_json();
      if (a != b) changes.push_back(file + ": " + field + " " + shown(a) + " -> " + shown(b));
    }
  }
  return changes;
}

HostDiff diff_host(const HostKey& key, const ordered_json& old_t, const ordered_json& new_t) {
  HostDiff h{key.host, key.system_root, {}, {}, {}, {}, str(old_t, "error"), str(new_t, "error")};
  if (!h.new_error.empty()) return h;  // nothing judged: no article moved
  std::map<std::string, const ordered_json*> before;
  if (old_t.contains("findings") && old_t["findings"].is_array())
    for (const auto& f : old_t["findings"]) before.emplace(str(f, "kb"), &f);
  if (!new_t.contains("findings") || !new_t["findings"].is_array()) return h;
  for (const auto& f : new_t["findings"]) {
    const auto kb = str(f, "kb");
    const auto it = before.find(kb);
    FindingChange c{kb, str(f, "title"), it == before.end() ? "" : str(*it->second, "status"), str(f, "status"), {}};
    if (it != before.end()) c.evidence = evidence_changes(*it->second, f);
    if (bad(c.new_status) && !bad(c.old_status))
      h.regressions.push_back(c);
    else if (bad(c.old_status) && !bad(c.new_status))
      h.fixed.push_back(c);
    else if (bad(c.old_status) && bad(c.new_status))
      h.still_missing.push_back(c);
    // Still missing on different bytes is listed twice: the same gap, but a reinstall happened.
    if (c.old_status == c.new_status && !c.evidence.empty()) h.evidence_changed.push_back(c);
  }
  return h;
}

DatabaseDiff diff_database(const ordered_json& old_db, const ordered_json& new_db) {
  DatabaseDiff d;
  if (!old_db.is_object() || !new_db.is_object()) return d;
  d.compared = true;
  auto titles = [](const ordered_json& db) {
    std::map<std::string, std::string> m;
    if (db.contains("articles") && db["articles"].is_array())
      for (const auto& a : db["articles"]) m[str(a, "kb")] = str(a, "title");
    return m;
  };
  const auto a = titles(old_db), b = titles(new_db);
  for (const auto& [kb, title] : b) {
    const auto it = a.find(kb);
    if (it == a.end())
      d.added.push_back(kb);
    else if (it->second != title)
      d.retitled.push_back(kb);
  }
  for (const auto& [kb, title] : a)
    if (!b.count(kb)) d.removed.push_back(kb);
  return d;
}

std::string host_label(const std::string& host, const std::string& system_root) {
  return system_root.empty() ? host : host + " (" + system_root + ")";
}

std::string status_move(const FindingChange& c) {
  return (c.old_status.empty() ? std::string("not judged") : c.old_status) + " -> " + c.new_status;
}

// "" when the databases are the same.
std::string database_line(const DatabaseDiff& d) {
  auto list = [](const std::vector<std::string>& kbs) { return kbs.empty() ? std::string("none") : join(kbs); };
  if (!d.compared) return "database: not compared (JSONL carries no database)";
  if (!d.changed()) return "";
  return "database changed: added " + list(d.added) + "; removed " + list(d.removed) + "; retitled " + list(d.retitled);
}

struct Section {
  const char* name;
  std::vector<FindingChange> HostDiff::*list;
};
const Section kSections[] = {{"regressions", &HostDiff::regressions},
                             {"fixed", &HostDiff::fixed},
                             {"still_missing", &HostDiff::still_missing},
                             {"evidence_changed", &HostDiff::evidence_changed}};

ordered_json keys_json(const std::vector<HostKey>& keys) {
  ordered_json a = ordered_json::array();
  for (const auto& k : keys)
    a.push_back(
        {{"host", k.host}, {"system_root", k.system_root.empty() ? ordered_json() : ordered_json(k.system_root)}});
  return a;
}

}  // namespace

size_t Diff::regression_count() const {
  size_t n = 0;
  for (const auto& h : hosts) n += h.regressions.size();
  return n;
}

bool Diff::any_change() const {
  if (!hosts_added.empty() || !hosts_removed.empty() || database.changed()) return true;
  for (const auto& h : hosts)
    if (!h.regressions.empty() || !h.fixed.empty() || !h.evidence_changed.empty() || h.old_error != h.new_error)
      return true;
  return false;
}

Diff diff_scans(const ordered_json& old_targets, const ordered_json& new_targets, const ordered_json& old_database,
                const ordered_json& new_database) {
  Diff d;
  std::map<std::string, const ordered_json*> before, after;
  for (const auto& t : old_targets) before.emplace(key_of(host_key(t)), &t);
  for (const auto& t : new_targets) after.emplace(key_of(host_key(t)), &t);
  for (const auto& t : new_targets) {
    const auto key = host_key(t);
    const auto it = before.find(key_of(key));
    if (it == before.end())
      d.hosts_added.push_back(key);
    else if (after[key_of(key)] == &t)  // a host listed twice is compared once
      d.hosts.push_back(diff_host(key, *it->second, t));
  }
  for (const auto& t : old_targets)
    if (!after.count(key_of(host_key(t))) && before[key_of(host_key(t))] == &t) d.hosts_removed.push_back(host_key(t));
  d.database = diff_database(old_database, new_database);
  return d;
}

std::string diff_text(const Diff& d) {
  std::string out;
  for (const auto& h : d.hosts) {
    if (h.empty()) continue;
    out += host_label(h.host, h.system_root) + "\n";
    if (!h.new_error.empty()) out += "  not scanned: " + valid_utf8(h.new_error) + "\n";
    if (!h.old_error.empty()) out += "  not scanned before: " + valid_utf8(h.old_error) + "\n";
    for (const auto& s : kSections)
      for (const auto& c : h.*s.list) {
        out += "  " + std::string(s.name) + "  " + c.kb + "  " + status_move(c) + "  " + valid_utf8(c.title) + "\n";
        if (s.list != &HostDiff::still_missing)
          for (const auto& e : c.evidence) out += "      " + e + "\n";
      }
  }
  for (const auto& k : d.hosts_added) out += "host added: " + host_label(k.host, k.system_root) + "\n";
  for (const auto& k : d.hosts_removed) out += "host removed: " + host_label(k.host, k.system_root) + "\n";
  if (const auto line = database_line(d.database); !line.empty()) out += line + "\n";
  size_t fixed = 0, still = 0, evidence = 0;
  for (const auto& h : d.hosts) {
    fixed += h.fixed.size();
    still += h.still_missing.size();
    evidence += h.evidence_changed.size();
  }
  out += d.any_change() ? "" : "no change\n";
  out += std::to_string(d.hosts.size()) + " host(s) compared: " + std::to_string(d.regression_count()) +
         " regression(s), " + std::to_string(fixed) + " fixed, " + std::to_string(still) + " still missing, " +
         std::to_string(evidence) + " with changed evidence; " + std::to_string(d.hosts_added.size()) + " added, " +
         std::to_string(d.hosts_removed.size()) + " removed\n";
  return out;
}

ordered_json diff_json(const Diff& d) {
  ordered_json j;
  j["regressions"] = d.regression_count();
  j["hosts"] = ordered_json::array();
  for (const auto& h : d.hosts) {
    ordered_json hj;
    hj["host"] = h.host;
    hj["system_root"] = h.system_root.empty() ? ordered_json() : ordered_json(h.system_root);
    hj["old_error"] = h.old_error.empty() ? ordered_json() : ordered_json(h.old_error);
    hj["new_error"] = h.new_error.empty() ? ordered_json() : ordered_json(h.new_error);
    for (const auto& s : kSections) {
      hj[s.name] = ordered_json::array();
      for (const auto& c : h.*s.list)
        hj[s.name].push_back({{"kb", c.kb},
                              {"title", c.title},
                              {"old_status", c.old_status.empty() ? ordered_json() : ordered_json(c.old_status)},
                              {"new_status", c.new_status},
                              {"evidence", c.evidence}});
    }
    j["hosts"].push_back(std::move(hj));
  }
  j["hosts_added"] = keys_json(d.hosts_added);
  j["hosts_removed"] = keys_json(d.hosts_removed);
  j["database"] = d.database.compared ? ordered_json{{"changed", d.database.changed()},
                                                     {"added", d.database.added},
                                                     {"removed", d.database.removed},
                                                     {"retitled", d.database.retitled}}
                                      : ordered_json();
  return j;
}

// Built as a pugixml tree, as html_report is: host names and titles come from
// images and must stay text.
std::string diff_html(const Diff& d) {
  pugi::xml_document doc;
  auto html = doc.append_child("html");
  auto head = html.append_child("head");
  head.append_child("meta").append_attribute("charset") = "utf-8";
  head.append_child("title").text() = "hotfix-audit diff";
  head.append_child("style").text() =
      "body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
      ".regressions{color:#b00}.fixed{color:#070}";
  auto body = html.append_child("body");
  body.append_child("h1").text() = "Changes between two scans";
  body.append_child("p").text() = (std::to_string(d.regression_count()) + " regression(s)").c_str();
  for (const auto& h : d.hosts) {
    if (h.empty()) continue;
    body.append_child("h2").text() = valid_utf8(host_label(h.host, h.system_root)).c_str();
    if (!h.new_error.empty()) body.append_child("p").text() = ("not scanned: " + valid_utf8(h.new_error)).c_str();
    if (!h.old_error.empty())
      body.append_child("p").text() = ("not scanned before: " + valid_utf8(h.old_error)).c_str();
    auto table = body.append_child("table");
    auto tr = table.append_child("tr");
    for (const char* c : {"change", "KB", "title", "verdict", "evidence"}) tr.append_child("th").text() = c;
    for (const auto& s : kSections)
      for (const auto& c : h.*s.list) {
        auto row = table.append_child("tr");
        row.append_attribute("class") = s.name;
        row.append_child("td").text() = s.name;
        row.append_child("td").text() = valid_utf8(c.kb).c_str();
        row.append_child("td").text() = valid_utf8(c.title).c_str();
        row.append_child("td").text() = status_move(c).c_str();
        row.append_child("td").text() = valid_utf8(join(c.evidence, "; ")).c_str();
      }
  }
  auto list = [&](const char* heading, const std::vector<HostKey>& keys) {
    if (keys.empty()) return;
    body.append_child("h2").text() = heading;
    auto ul = body.append_child("ul");
    for (const auto& k : keys) ul.append_child("li").text() = valid_utf8(host_label(k.host, k.system_root)).c_str();
  };
  list("Hosts added", d.hosts_added);
  list("Hosts removed", d.hosts_removed);
  if (const auto line = database_line(d.database); !line.empty()) body.append_child("p").text() = line.c_str();
  std::ostringstream out;
  out << "<!DOCTYPE html>\n";
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration);
  out << "\n";
  return out.str();
}

}  // namespace hfa::report
