// libFuzzer target: the registry profile reader (hivex) on arbitrary hive
// files. hivex opens files by name, so each input goes through a temp file.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "registry/os_profile.h"

namespace {
std::string temp_path() {
  static const std::string path = [] {
    std::string p = "/tmp/hfa-fuzz-hive-XXXXXX";
    const int fd = ::mkstemp(p.data());
    if (fd >= 0) ::close(fd);
    return p;
  }();
  return path;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = temp_path();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  (void)hfa::registry::read_software_hive(path);
  (void)hfa::registry::read_system_hive(path);
  return 0;
}
