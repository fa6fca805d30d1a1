// libFuzzer target: the container layer of disk images (image/disk_image.h)
// on arbitrary bytes: the format sniffing, the EWF (libewf), sparse and
// descriptor VMDK and VHD headers, the MBR/GPT partition tables, and the
// file systems TSK finds behind them, whose root folder and boot.ini are read.
// The bytes are handed over as a memfd (/proc/self/fd/N): no disk write whose
// stall could pass for a hang, and no sibling file can be found beside it.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "image/disk_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int fd = ::memfd_create("fuzz-image", MFD_CLOEXEC);
  if (fd < 0) return 0;
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const auto image = hfa::image::open_disk_image("/proc/self/fd/" + std::to_string(fd));
  for (const auto& p : image.partitions) {
    if (!p.volume) continue;
    for (const auto& e : p.volume->list("")) (void)e;
    const auto found = p.volume->find("boot.ini");
    if (found.entry && found.entry->regular) (void)p.volume->read(*found.entry, 1 << 16);
  }
  (void)image.faults->list();
  ::close(fd);
  return 0;
}
