#include "image/installations.h"

#include <algorithm>
#include <cctype>
#include "core/text.h"

namespace hfa::image {
namespace {


std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<BootEntry> parse_entry(std::string_view line, int number, std::string& problem) {
  const auto eq = line.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    problem = "line " + std::to_string(number) + ": expected PATH=\"DESCRIPTION\", found '" +
              std::string(line.substr(0, 80)) + "'";
    return std::nullopt;
  }
  BootEntry e;
  e.line = number;
  const auto path = trim(line.substr(0, eq));
  const auto paren = path.rfind(')');
  std::string_view folder;
  if (paren != std::string_view::npos) {
    e.arc_path = std::string(path.substr(0, paren + 1));
    folder = path.substr(paren + 1);
    if (folder.empty() || (folder.front() != '\\' && folder.front() != '/')) {
      problem = "line " + std::to_string(number) + ": ARC path '" + std::string(path) +
                "' names no folder (expected ...partition(N)\\FOLDER)";
      return std::nullopt;
    }
    while (!folder.empty() && (folder.front() == '\\' || folder.front() == '/')) folder.remove_prefix(1);
    while (!folder.empty() && (folder.back() == '\\' || folder.back() == '/')) folder.remove_suffix(1);
    for (char c : folder) e.folder += c == '\\' ? '/' : c;
  } else {
    e.arc_path = std::string(path);  // a DOS-style entry such as C:\ .
  }
  auto rest = trim(line.substr(eq + 1));
  if (!rest.empty() && rest.front() == '"') {
    const auto close = rest.find('"', 1);
    if (close == std::string_view::npos) {
      problem = "line " + std::to_string(number) + ": description has no closing quote";
      e.description = std::string(rest.substr(1));
    } else {
      e.description = std::string(rest.substr(1, close - 1));
      e.options = std::string(trim(rest.substr(close + 1)));
    }
  } else {
    e.description = std::string(rest);
  }
  return e;
}

}  // namespace

BootIni parse_boot_ini(std::string_view text) {
  BootIni out;
  // A boot.ini holds a few dozen lines; thousands only come from a crafted or
  // damaged file, which is refused whole rather than half followed.
  const auto lines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  if (lines > kMaxBootIniLines) {
    out.problems.push_back("has " + std::to_string(lines) + " lines, over the limit of " +
                           std::to_string(kMaxBootIniLines) + "; not read");
    return out;
  }
  std::string section;
  int number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    auto line = trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    ++number;
    start = end == std::string_view::npos ? text.size() + 1 : end + 1;
    if (line.empty() || line.front() == ';') continue;
    if (line.front() == '[') {
      const auto close = line.find(']');
      section = ascii_lower(trim(line.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1)));
      continue;
    }
    if (section != "operating systems") continue;
    std::string problem;
    if (auto e = parse_entry(line, number, problem)) out.entries.push_back(std::move(*e));
    if (!problem.empty()) out.problems.push_back(problem);
  }
  return out;
}

Discovery find_installations(const Volume& volume) {
  Discovery out;
  auto already = [&](const std::string& root) {
    return std::any_of(out.installations.begin(), out.installations.end(),
                       [&](const Installation& i) { return iequals(i.system_root, root); });
  };

  const auto boot = volume.find("boot.ini");
  if (boot.entry && !boot.entry->directory) {
    const auto bytes = volume.read(*boot.entry, kMaxBootIniBytes);
    if (!bytes.error.empty()) {
      out.notes.push_back(bytes.error);  // it names the file
    } else {
      const auto ini = parse_boot_ini(std::string_view(reinterpret_cast<const char*>(bytes.data.data()), bytes.data.size()));
      for (const auto& p : ini.problems) out.notes.push_back(boot.entry->path + " " + p);
      for (const auto& e : ini.entries) {
        const std::string where = boot.entry->path + " line " + std::to_string(e.line);
        if (e.folder.empty()) continue;  // C:\="MS-DOS" and the like: not Windows NT
        const auto system32 = volume.find(join_path(e.folder, "system32"));
        if (!system32.entry || !system32.entry->directory) {
          out.notes.push_back(where + ": " + e.arc_path + "\\" + e.folder + " is not on this volume (" +
                              (system32.error.empty() ? "system32 is not a folder" : system32.error) + ")");
          continue;
        }
        // The folder as stored: everything before the trailing "/system32".
        const auto& stored = system32.entry->path;
        const std::string root = stored.substr(0, stored.size() - std::string("/system32").size());
        if (already(root)) continue;  // /basevideo and /sos variants of one installation
        out.installations.push_back({root, where, e.description});
      }
    }
  }
  if (!out.installations.empty()) return out;

  if (boot.entry) out.notes.push_back("no boot.ini entry is on this volume: looked for folders holding system32/ntoskrnl.exe");
  for (const auto& e : volume.list("")) {
    if (!e.directory) continue;
    const auto kernel = volume.find(join_path(e.path, "system32/ntoskrnl.exe"));
    if (kernel.entry && !kernel.entry->directory && !already(e.path))
      out.installations.push_back({e.path, "folder holding system32/ntoskrnl.exe", ""});
  }
  return out;
}

}  // namespace hfa::image
