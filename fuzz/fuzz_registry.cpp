// libFuzzer target: the registry profile reader (hivex) on arbitrary hive
// files. hivex opens files by name, so each input is written to a memfd and
// opened through /proc/self/fd: no disk write whose stall (a shared machine's
// I/O) could pass for a hang of the reader.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "registry/os_profile.h"

namespace {
int hive_fd() {
  static const int fd = ::memfd_create("hfa-fuzz-hive", MFD_CLOEXEC);
  if (fd < 0) std::abort();
  return fd;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int fd = hive_fd();
  if (::ftruncate(fd, 0) != 0) std::abort();
  for (size_t done = 0; done < size;) {
    const ssize_t n = ::pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    if (n <= 0) std::abort();
    done += static_cast<size_t>(n);
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  (void)hfa::registry::read_software_hive(path);
  (void)hfa::registry::read_system_hive(path);
  return 0;
}
