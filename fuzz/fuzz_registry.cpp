// libFuzzer target: the registry profile reader (hivex) on arbitrary hive
// bytes, through the same in-memory path a scan takes (registry's memfd copy):
// no disk write whose stall (a shared machine's I/O) could pass for a hang.
#include <cstdint>
#include <vector>

#include "registry/os_profile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  (void)hfa::registry::read_software_hive(bytes, "fuzz-SOFTWARE");
  (void)hfa::registry::read_system_hive(bytes, "fuzz-SYSTEM");
  return 0;
}
