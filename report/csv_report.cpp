#include "report/csv_report.h"

#include <fmt/format.h>

#include <set>
#include <vector>

#include "report/scan_report.h"

namespace hfa::report {
namespace {

using nlohmann::ordered_json;

constexpr const char* kColumns[] = {"host", "root",   "system_root", "service_pack", "product",  "platform",
                                    "kb",   "status", "reason",      "notes",        "evidence", "details"};

std::string str(const ordered_json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const auto& v = j[key];
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string joined(const ordered_json& list, const char* separator) {
  std::vector<std::string> parts;
  if (list.is_array())
    for (const auto& v : list) parts.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  return fmt::format("{}", fmt::join(parts, separator));
}

// "winlogon.exe older: WINNT/system32/winlogon.exe, version 4.0.1381.100, ...; required 2000-04-04 00:46, ..."
std::string evidence_brief(const ordered_json& finding) {
  std::vector<std::string> rows;
  if (!finding.contains("evidence")) return "";
  for (const auto& r : finding["evidence"]) {
    const auto& found = r.contains("found") ? r["found"] : ordered_json();
    std::vector<std::string> parts;
    if (found.is_object() && found.value("present", false)) {
      parts.push_back(str(found, "path"));
      if (!str(found, "file_version").empty()) parts.push_back("version " + str(found, "file_version"));
      if (!str(found, "link_time").empty()) parts.push_back("linked " + str(found, "link_time"));
      if (!str(found, "modified").empty()) parts.push_back("modified " + str(found, "modified"));
      parts.push_back(str(found, "size") + " bytes");
      if (!str(found, "problem").empty()) parts.push_back("problem: " + str(found, "problem"));
    } else {
      parts.push_back("not installed");
    }
    std::string row = str(r, "file") + " " + str(r, "status") + ": " + fmt::format("{}", fmt::join(parts, ", "));
    const auto& req = r.contains("required") ? r["required"] : ordered_json();
    std::vector<std::string> wanted;
    if (!str(req, "service_pack").empty()) wanted.push_back("Service Pack " + str(req, "service_pack"));
    if (!str(req, "date").empty())
      wanted.push_back(str(req, "date") + (str(req, "time").empty() ? "" : " " + str(req, "time")));
    if (!str(req, "size").empty()) wanted.push_back(str(req, "size") + " bytes");
    if (!str(req, "version").empty()) wanted.push_back("version " + str(req, "version"));
    if (!str(req, "platform").empty()) wanted.push_back(str(req, "platform"));
    if (!wanted.empty()) row += "; required " + fmt::format("{}", fmt::join(wanted, ", "));
    rows.push_back(row);
  }
  return fmt::format("{}", fmt::join(rows, " | "));
}

// Keys of a finding this writer does not know (a waiver, say) still reach the reader.
std::string details(const ordered_json& finding) {
  static const std::set<std::string> known = {"kb", "title", "status", "reason", "notes", "evidence"};
  std::vector<std::string> parts;
  for (const auto& [key, value] : finding.items())
    if (!known.count(key) && !value.is_null())
      parts.push_back(key + ": " +
                      (value.is_string() ? value.get<std::string>()
                                         : value.dump(-1, ' ', false, ordered_json::error_handler_t::replace)));
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string row(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csv_cell(cells[i]);
  return out + "\r\n";
}

}  // namespace

std::string csv_cell(std::string_view raw) {
  std::string value = valid_utf8(std::string(raw));
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' || value[0] == '\t' ||
                         value[0] == '\r'))
    value.insert(0, "'");
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string csv_header() {
  std::vector<std::string> cells(std::begin(kColumns), std::end(kColumns));
  return row(cells);
}

std::string csv_rows(const ordered_json& t) {
  const auto& os = t.contains("os") ? t["os"] : ordered_json();
  const std::vector<std::string> target_cells = {host_name(t),          str(t, "root"),
                                                 str(t, "system_root"), str(os, "service_pack"),
                                                 str(os, "product"),    str(os, "platform")};
  auto with = [&](std::vector<std::string> rest) {
    auto cells = target_cells;
    cells.insert(cells.end(), rest.begin(), rest.end());
    return row(cells);
  };
  if (!str(t, "error").empty())
    return with({"", "error", str(t, "error"), joined(t.value("notes", ordered_json()), "; "), "", ""});
  if (!str(t, "out_of_scope").empty())
    return with({"", "out-of-scope", str(t, "out_of_scope"), joined(t.value("notes", ordered_json()), "; "), "", ""});
  const auto& findings = t.contains("findings") ? t["findings"] : ordered_json::array();
  if (findings.empty())
    return with({"", "", "no article in the database applies", joined(t.value("notes", ordered_json()), "; "), "", ""});
  std::string out;
  for (const auto& f : findings)
    out += with({str(f, "kb"), str(f, "status"), str(f, "reason"), joined(f.value("notes", ordered_json()), "; "),
                 evidence_brief(f), details(f)});
  return out;
}

std::string to_csv(const ordered_json& document) {
  std::string out = csv_header();
  if (document.contains("targets"))
    for (const auto& t : document["targets"]) out += csv_rows(t);
  return out;
}

}  // namespace hfa::report
