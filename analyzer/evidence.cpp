#include "analyzer/evidence.h"

#include <cctype>

#include "core/text.h"

namespace hfa::analyzer {
namespace {

// "6a" -> (6, 1); "4" -> (4, 0). Letters after the number are NT's lettered
// re-releases (only 6a shipped), each later than the plain number.
std::optional<std::pair<int, int>> split_service_pack(std::string_view sp) {
  size_t i = 0;
  int number = 0;
  while (i < sp.size() && std::isdigit(static_cast<unsigned char>(sp[i])) && i < 3)
    number = number * 10 + (sp[i++] - '0');
  if (i == 0) return std::nullopt;
  if (i == sp.size()) return std::make_pair(number, 0);
  if (i + 1 == sp.size() && std::isalpha(static_cast<unsigned char>(sp[i])))
    return std::make_pair(number, std::tolower(static_cast<unsigned char>(sp[i])) - 'a' + 1);
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Product p) { return p == Product::workstation ? "workstation" : "server"; }

bool is_tse_build(const Version& v) { return (v.revision & 0x8000) != 0; }

bool OsFacts::suite_names_terminal_server() const {
  for (const auto& s : suites)
    if (ascii_lower(s) == "terminal server") return true;
  return false;
}

bool OsFacts::terminal_server() const {
  if (version == std::optional<std::string>("4.0") && suite_names_terminal_server()) return true;
  return kernel_version && kernel_version->major == 4 && kernel_version->minor == 0 && is_tse_build(*kernel_version);
}

const FactSource* TargetEvidence::source(std::string_view fact) const {
  for (const auto& s : sources)
    if (iequals(s.fact, fact)) return &s;
  return nullptr;
}

const FileFact* TargetEvidence::file(std::string_view wanted) const {
  const auto it = files.find(ascii_lower(wanted));
  return it == files.end() ? nullptr : &it->second;
}

bool TargetEvidence::has_service(std::string_view name) const {
  if (!services) return false;
  for (const auto& s : *services)
    if (iequals(s, name)) return true;
  return false;
}

const RegistryValue* TargetEvidence::registry_value(std::string_view hive, std::string_view key,
                                                    std::string_view value) const {
  for (const auto& v : registry_values)
    if (iequals(v.hive, hive) && iequals(v.key, key) && iequals(v.value, value)) return &v;
  return nullptr;
}

std::optional<int> compare_service_packs(std::string_view a, std::string_view b) {
  const auto x = split_service_pack(a);
  const auto y = split_service_pack(b);
  if (!x || !y) return std::nullopt;
  return *x < *y ? -1 : (*y < *x ? 1 : 0);
}

}  // namespace hfa::analyzer
