#include "report/inspect.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"

namespace hfa::report {
namespace {

using nlohmann::ordered_json;

std::string version_text(const std::optional<Version>& v) { return v ? to_string(*v) : std::string(); }

ordered_json or_null(const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); }

}  // namespace

ordered_json to_json(const pe::PeEvidence& ev) {
  const bool pe = pe::is_pe(ev.kind);
  ordered_json j;
  j["file"] = ev.name;
  j["size"] = ev.size;
  j["kind"] = pe::to_string(ev.kind);
  j["machine"] = pe ? ordered_json(pe::machine_name(ev.machine)) : ordered_json(nullptr);
  j["machine_code"] = pe ? ordered_json(ev.machine) : ordered_json(nullptr);
  j["link_time"] = ev.link_time ? ordered_json(format_unix_utc(*ev.link_time)) : ordered_json(nullptr);
  j["link_time_raw"] = ev.link_time ? ordered_json(*ev.link_time) : ordered_json(nullptr);
  j["file_version"] = or_null(version_text(ev.file_version));
  j["product_version"] = or_null(version_text(ev.product_version));
  j["version_resource"] = ev.has_version_resource;
  j["strings"] = ordered_json::object();
  for (const auto& [key, value] : ev.strings) j["strings"][key] = value;
  j["problem"] = or_null(ev.problem);
  return j;
}

std::string to_text(const pe::PeEvidence& ev) {
  std::string out = ev.name + ":\n";
  auto line = [&out](const std::string& label, const std::string& value) {
    out += fmt::format("  {:<{}}{}\n", label + ":", std::max<size_t>(17, label.size() + 2), value);
  };
  line("Kind", pe::to_string(ev.kind));
  if (pe::is_pe(ev.kind)) line("Machine", fmt::format("{} ({:#x})", pe::machine_name(ev.machine), ev.machine));
  if (ev.link_time) line("Link date", format_unix_utc(*ev.link_time));
  if (ev.has_version_resource) {
    line("File version", version_text(ev.file_version));
    line("Product version", version_text(ev.product_version));
  } else if (pe::is_pe(ev.kind)) {
    line("Version", "No version resource");
  }
  for (const auto& [key, value] : ev.strings) line(printable(key), printable(value));
  line("Size", std::to_string(ev.size));
  if (!ev.problem.empty()) line("Problem", ev.problem);
  return out;
}

}  // namespace hfa::report
