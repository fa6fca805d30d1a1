#include "core/install_paths.h"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>

namespace hfa {

std::string executable_dir() {
  char exe[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return ".";
  std::string dir(exe, static_cast<size_t>(n));
  const auto slash = dir.rfind('/');
  return slash == std::string::npos ? "." : dir.substr(0, slash);
}

std::string shipped_file(std::string_view name, std::string_view installed) {
  const auto dir = executable_dir();
  const std::string beside = dir + "/" + std::string(name);
  const std::string in_tree = dir + "/../" + std::string(installed) + "/" + std::string(name);
  struct stat st {};
  if (::stat(beside.c_str(), &st) == 0) return beside;
  if (::stat(in_tree.c_str(), &st) == 0) return in_tree;
  return beside;
}

}  // namespace hfa
