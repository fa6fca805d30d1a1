// libFuzzer target: the boot.ini parser.
#include <cstdint>
#include <string_view>

#include "image/installations.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)hfa::image::parse_boot_ini(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
