#include "core/fd.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>

#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#define HFA_HAVE_OPENAT2 1
#endif

namespace hfa {

void Fd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

int open_beneath(int dirfd, const std::string& name, int flags) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    errno = ENOENT;
    return -1;
  }
  flags |= O_CLOEXEC | O_NOFOLLOW;
#if defined(HFA_HAVE_OPENAT2) && defined(SYS_openat2)
  static std::atomic<bool> have_openat2{true};
  if (have_openat2.load(std::memory_order_relaxed)) {
    open_how how{};
    how.flags = static_cast<uint64_t>(flags);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    const long fd = ::syscall(SYS_openat2, dirfd, name.c_str(), &how, sizeof how);
    // ENOSYS: an older kernel; EPERM: a seccomp filter that does not know the
    // call.
    if (fd >= 0 || (errno != ENOSYS && errno != EPERM)) return static_cast<int>(fd);
    have_openat2.store(false, std::memory_order_relaxed);
  }
#endif
  return ::openat(dirfd, name.c_str(), flags);
}

}  // namespace hfa
