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

std::string boot_line(const std::string& where, int line) {
  return where + (where.find(' ') == std::string::npos ? " line " : ", line ") + std::to_string(line);
}

std::optional<int> arc_partition(std::string_view arc_path) {
  const auto lower = ascii_lower(arc_path);
  const auto at = lower.rfind("partition(");
  if (at == std::string::npos) return std::nullopt;
  int n = 0;
  size_t i = at + 10;
  const size_t start = i;
  while (i < lower.size() && i - start < 3 && std::isdigit(static_cast<unsigned char>(lower[i])))
    n = n * 10 + (lower[i++] - '0');
  if (i == start || i >= lower.size() || lower[i] != ')') return std::nullopt;
  return n;
}

std::optional<std::string> boot_kernel(const BootEntry& e, std::string& problem) {
  const auto options = ascii_lower(e.options);
  const auto at = options.find("/kernel=");
  if (at == std::string::npos) return std::string("ntoskrnl.exe");
  auto name = options.substr(at + 8, options.find_first_of(" \t", at) - at - 8);
  // A file name in system32, never a path.
  if (name.empty() || name.find_first_of("/\\") != std::string::npos || name == "." || name == "..") {
    problem = "line " + std::to_string(e.line) + ": /KERNEL= names no file in system32 ('" + name + "')";
    return std::nullopt;
  }
  return name;
}

std::optional<BootIniFile> read_boot_ini(const Volume& volume, std::vector<std::string>& notes) {
  const auto boot = volume.find("boot.ini");
  if (!boot.entry || boot.entry->directory) return std::nullopt;
  const auto bytes = volume.read(*boot.entry, kMaxBootIniBytes);
  if (!bytes.error.empty()) {
    notes.push_back(bytes.error);  // it names the file
    return std::nullopt;
  }
  BootIniFile f;
  f.where = boot.entry->path;
  f.ini = parse_boot_ini(std::string_view(reinterpret_cast<const char*>(bytes.data.data()), bytes.data.size()));
  for (const auto& p : f.ini.problems) notes.push_back(boot.entry->path + " " + p);
  return f;
}

Discovery find_installations(const Volume& volume, const std::optional<BootIniFile>& elsewhere) {
  Discovery out;
  auto find = [&](const std::string& root) -> Installation* {
    for (auto& i : out.installations)
      if (iequals(i.system_root, root)) return &i;
    return nullptr;
  };
  const auto own = read_boot_ini(volume, out.notes);
  // Each boot.ini once: the other partition's (it is the one NT reads on a
  // disk image), then this volume's own.
  for (const auto* file : {elsewhere ? &*elsewhere : nullptr, own ? &*own : nullptr}) {
    if (!file) continue;
    out.boot_ini = true;
    for (const auto& e : file->ini.entries) {
      const std::string where = boot_line(file->where, e.line);
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
      // /basevideo, /sos and /KERNEL= variants of one installation: one target,
      // every entry kept.
      if (auto* known = find(root)) {
        if (known->boot_ini == file->where) known->boot_entries.push_back(e);
        continue;
      }
      out.installations.push_back({root, where, e.description, {e}, file->where});
    }
  }
  if (!out.installations.empty()) return out;

  if (out.boot_ini)
    out.notes.push_back(
        "no boot.ini entry is on this volume: looked for "
        "folders holding system32/ntoskrnl.exe");
  for (const auto& e : volume.list("")) {
    if (!e.directory) continue;
    const auto kernel = volume.find(join_path(e.path, "system32/ntoskrnl.exe"));
    if (kernel.entry && !kernel.entry->directory && !find(e.path))
      out.installations.push_back({e.path, "folder holding system32/ntoskrnl.exe", "", {}, ""});
  }
  return out;
}

}  // namespace hfa::image
