// Descriptors: an owner that closes, and one way to open a name beneath a
// folder without the kernel following any link (image/ resolves every path of
// the evidence through these).
#pragma once

#include <cstdint>
#include <string>

namespace hfa {

// Owns a file descriptor; -1 when empty.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.release();
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset();

 private:
  int fd_ = -1;
};

// Opens `name`, one component (no '/', not ".."), in the folder `dirfd` with
// `flags` | O_CLOEXEC | O_NOFOLLOW: openat2 with RESOLVE_BENEATH,
// RESOLVE_NO_SYMLINKS and RESOLVE_NO_MAGICLINKS where the kernel has it, else
// openat. A symbolic link is never followed: the open fails with ELOOP (or
// ENOTDIR with O_DIRECTORY) and the caller decides. -1 with errno on failure.
int open_beneath(int dirfd, const std::string& name, int flags);

// A file named on the command line (a targets list, waivers), read whole the
// way evidence is: opened O_NONBLOCK and read only if fstat on that descriptor
// says it is a regular file (a FIFO would wait for ever, /dev/zero never end),
// and not over `max_bytes`.
struct SmallFile {
  std::string text;
  std::string error;  // "" when read: "not a regular file (a FIFO)", "N bytes, over the limit of M", strerror
};
SmallFile read_small_file(const std::string& path, uint64_t max_bytes);

}  // namespace hfa
