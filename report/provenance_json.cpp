#include "report/provenance_json.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "core/nt_types.h"
#include "core/text.h"

namespace hfa::report {
namespace {

using nlohmann::ordered_json;

ordered_json optional_string(const std::optional<std::string>& s) {
  return s ? ordered_json(*s) : ordered_json(nullptr);
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

std::optional<int64_t> parse_timestamp(std::string_view text, std::string& error) {
  error = "'" + std::string(text) + "' is not a time: expected 2026-11-30T12:00:00Z or @SECONDS (since 1970 UTC)";
  if (!text.empty() && text[0] == '@') {
    const auto n = text.substr(1);
    if (!digits(n) || n.size() > 12) return std::nullopt;
    error.clear();
    return std::stoll(std::string(n));
  }
  std::string s(text);
  if (!s.empty() && (s.back() == 'Z' || s.back() == 'z')) s.pop_back();
  if (s.size() == 10) s += "T00:00:00";
  // YYYY-MM-DDTHH:MM:SS
  if (s.size() != 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
      s[16] != ':')
    return std::nullopt;
  for (size_t i : {0, 5, 8, 11, 14, 17})
    if (!digits(s.substr(i, i == 0 ? 4 : 2))) return std::nullopt;
  std::tm tm{};
  tm.tm_year = std::stoi(s.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(s.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(s.substr(8, 2));
  tm.tm_hour = std::stoi(s.substr(11, 2));
  tm.tm_min = std::stoi(s.substr(14, 2));
  tm.tm_sec = std::stoi(s.substr(17, 2));
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
    return std::nullopt;
  const std::tm asked = tm;
  const int64_t t = ::timegm(&tm);
  // timegm normalises 2026-02-31 to March: such a date is refused.
  if (tm.tm_mday != asked.tm_mday || tm.tm_mon != asked.tm_mon) return std::nullopt;
  error.clear();
  return t;
}

ordered_json provenance_json(const Provenance& p) {
  ordered_json j;
  j["tool"] = {{"name", p.tool_name}, {"version", p.tool_version}};
  j["database"] = {{"version", optional_string(p.db_version)},
                   {"sha256", p.db_sha256},
                   {"articles", p.db_articles},
                   {"profile", p.db_profile}};
  j["scan"] = {{"started", format_unix_utc(p.started)}, {"ended", format_unix_utc(p.ended)}};
  j["case"] = optional_string(p.case_name);
  j["examiner"] = optional_string(p.examiner);
  j["evidence_id"] = optional_string(p.evidence_id);
  j["hash_algorithms"] = p.hash_algorithms;
  return j;
}

ordered_json hashes_json(const Digests& hashes) {
  if (hashes.empty()) return nullptr;
  ordered_json j = ordered_json::object();
  for (const auto& [name, value] : hashes) j[name] = value;
  return j;
}

ordered_json files_read_json(const std::vector<scan::FileRead>& files) {
  ordered_json out = ordered_json::array();
  for (const auto& f : files)
    out.push_back({{"path", f.path},
                   {"size", f.size},
                   {"modified", f.modified ? ordered_json(format_unix_utc(*f.modified)) : ordered_json(nullptr)},
                   {"hashes", hashes_json(f.hashes)}});
  return out;
}

ordered_json image_json(const scan::ImageIdentity& image) {
  ordered_json files = ordered_json::array();
  for (const auto& f : image.files) files.push_back({{"name", f.name}, {"size", f.size}});
  ordered_json j;
  j["files"] = std::move(files);
  j["stored_hashes"] = hashes_json(image.stored_hashes);
  j["computed_hashes"] = image.computed_hashes ? hashes_json(*image.computed_hashes) : ordered_json(nullptr);
  j["verified"] = image.verified ? ordered_json(*image.verified) : ordered_json(nullptr);
  return j;
}

void add_target_provenance(ordered_json& target, const scan::Target& t) {
  target["files_read"] = files_read_json(t.files_read);
  if (t.image) target["image"] = image_json(*t.image);
}

ordered_json lift_provenance(ordered_json& targets) {
  ordered_json out = nullptr;
  auto time_of = [](const ordered_json& p, const char* which) {
    const auto* scan = p.contains("scan") && p["scan"].is_object() ? &p["scan"] : nullptr;
    return scan && scan->contains(which) && (*scan)[which].is_string() ? (*scan)[which].get<std::string>()
                                                                       : std::string();
  };
  for (auto& t : targets) {
    if (!t.is_object() || !t.contains("provenance")) continue;
    auto p = std::move(t["provenance"]);
    t.erase("provenance");
    if (!p.is_object()) continue;
    if (out.is_null()) {
      out = std::move(p);
      continue;
    }
    // ISO-8601 UTC strings of one form sort as the times do.
    const auto started = time_of(p, "started"), ended = time_of(p, "ended");
    if (!started.empty() && started < time_of(out, "started")) out["scan"]["started"] = started;
    if (!ended.empty() && ended > time_of(out, "ended")) out["scan"]["ended"] = ended;
  }
  return out;
}

namespace {

// A string of a provenance object ("" when absent or not a string): the
// text report is also rendered from saved documents.
std::string field(const ordered_json& j, std::initializer_list<const char*> keys) {
  const ordered_json* v = &j;
  for (const char* k : keys) {
    if (!v->is_object() || !v->contains(k)) return "";
    v = &(*v)[k];
  }
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number()) return v->dump();
  if (v->is_array()) {
    std::string out;
    for (const auto& e : *v)
      if (e.is_string()) out += (out.empty() ? "" : ", ") + e.get<std::string>();
    return out;
  }
  return "";
}

}  // namespace

std::string provenance_text_head(const ordered_json& p) {
  if (!p.is_object()) return "";
  // Every value through printable(): case strings are the user's, and a saved
  // document's could be anyone's; none may forge a line.
  std::string out = printable(field(p, {"tool", "name"})) + " " + printable(field(p, {"tool", "version"})) + "\n";
  std::string profile = field(p, {"database", "profile"});
  for (size_t at; (at = profile.find(", ")) != std::string::npos;) profile.replace(at, 2, " + ");
  out +=
      "database: " + printable(profile) + ", " + printable(field(p, {"database", "articles"})) + " articles" +
      (field(p, {"database", "version"}).empty() ? "" : ", version " + printable(field(p, {"database", "version"}))) +
      "\n";
  out += "database sha256: " + printable(field(p, {"database", "sha256"})) + "\n";
  out += "scan started: " + printable(field(p, {"scan", "started"})) + "\n";
  for (const auto& [key, label] : {std::pair{"case", "case"}, {"examiner", "examiner"}, {"evidence_id", "evidence id"}})
    if (const auto v = field(p, {key}); !v.empty()) out += std::string(label) + ": " + printable(v) + "\n";
  out += "file digests: " + printable(field(p, {"hash_algorithms"})) + "\n\n";
  return out;
}

std::string provenance_text_tail(const ordered_json& p) {
  if (!p.is_object()) return "";
  return "scan ended: " + printable(field(p, {"scan", "ended"})) + "\n";
}

}  // namespace hfa::report
