#include "core/diagnostic.h"

#include <algorithm>
#include <cstdio>

namespace hfa {

std::string to_string(const Diagnostic& d) {
  std::string where = d.file;
  auto add = [&](const std::string& part) { where += (where.empty() ? "" : " ") + part; };
  if (d.line) {
    add("line " + std::to_string(*d.line));
  } else if (d.offset) {
    char hex[32];
    std::snprintf(hex, sizeof hex, "0x%llX", static_cast<unsigned long long>(*d.offset));
    add(std::string("at offset ") + hex);
  }
  if (where.empty()) return d.message;
  return d.message.empty() ? where : where + ": " + d.message;
}

std::vector<std::string> to_strings(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  out.reserve(diagnostics.size());
  for (const auto& d : diagnostics) out.push_back(to_string(d));
  return out;
}

size_t count_code(const std::vector<Diagnostic>& diagnostics, std::string_view code) {
  return static_cast<size_t>(
      std::count_if(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) { return d.code == code; }));
}

}  // namespace hfa
