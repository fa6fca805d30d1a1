// Provenance (issue 12, point 4): what a report examined and with what. The
// run's identity (tool, database, scan times, case) and, per target, every file
// read with its digests and the disk image it came from, as JSON and as the
// text report's header.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest.h"
#include "scan/scan.h"

namespace hfa::report {

struct Provenance {
  std::string tool_name = "hotfix-audit", tool_version;
  std::optional<std::string> db_version;  // the XML's own version, when it has one
  std::string db_sha256;                  // of the database's XML (docs/outputs.md)
  size_t db_articles = 0;
  std::vector<std::string> db_profile = {"builtin"};  // "builtin", then each --db file in load order
  int64_t started = 0, ended = 0;                     // seconds since 1970 UTC
  std::optional<std::string> case_name, examiner, evidence_id;
  std::vector<std::string> hash_algorithms = {"sha256"};
};

// --timestamp TIME: "2026-11-30T12:00:00Z" (the Z, and the time, optional) or
// "@1764504000". nullopt, with `error` set, for anything else.
std::optional<int64_t> parse_timestamp(std::string_view text, std::string& error);

// {"tool","database","scan","case","examiner","evidence_id","hash_algorithms"}.
nlohmann::ordered_json provenance_json(const Provenance& p);
// {"sha256": "..."}; null when the file was not hashed.
nlohmann::ordered_json hashes_json(const Digests& hashes);
// [{"path","size","modified","hashes"}] of a target.
nlohmann::ordered_json files_read_json(const std::vector<scan::FileRead>& files);
// {"files","stored_hashes","computed_hashes","verified"} of a disk image.
nlohmann::ordered_json image_json(const scan::ImageIdentity& image);
// Adds "files_read" and, for a disk image, "image" to a target object.
void add_target_provenance(nlohmann::ordered_json& target, const scan::Target& t);

// The "provenance" JSONL lines carry, taken out of the target objects of
// `report merge`: the first line's, its scan spanning from the earliest start
// to the latest end, so that a run's JSONL merged alone gives its document.
// null when no line carries one.
nlohmann::ordered_json lift_provenance(nlohmann::ordered_json& targets);

// The text report's header: tool, database, scan start, case; and its last
// line, the scan's end.
// From the "provenance" object (provenance_json's, or a saved document's);
// "" when it is not an object.
std::string provenance_text_head(const nlohmann::ordered_json& provenance);
std::string provenance_text_tail(const nlohmann::ordered_json& provenance);

}  // namespace hfa::report
