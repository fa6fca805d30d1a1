#include "core/fd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>

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

SmallFile read_small_file(const std::string& path, uint64_t max_bytes) {
  SmallFile out;
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0) {
    out.error = std::strerror(errno);
    return out;
  }
  if (!S_ISREG(st.st_mode)) {
    out.error = S_ISDIR(st.st_mode)    ? "it is a directory"
                : S_ISFIFO(st.st_mode) ? "not a regular file (a FIFO)"
                : S_ISCHR(st.st_mode)  ? "not a regular file (a character device)"
                : S_ISBLK(st.st_mode)  ? "not a regular file (a block device)"
                                       : "not a regular file";
    return out;
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes) {
    out.error = std::to_string(size) + " bytes, over the limit of " + std::to_string(max_bytes);
    return out;
  }
  out.text.resize(size);
  uint64_t got = 0;
  while (got < size) {
    const ssize_t n = ::pread(fd.get(), out.text.data() + got, size - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      out.error = n < 0 ? std::string(std::strerror(errno)) : "the file shrank while being read";
      out.text.clear();
      return out;
    }
    got += static_cast<uint64_t>(n);
  }
  return out;
}

}  // namespace hfa
