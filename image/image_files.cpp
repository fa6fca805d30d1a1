#include "image/image_files.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hfa::image {
namespace {

std::string why_not_opened(const std::string& name, int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return name + ": not found";
    case EACCES:
    case EPERM:
      return name + ": permission denied";
    case ELOOP:
      return name + ": a link loop, or a link where none is followed: refused";
    case EXDEV:
      return name + ": a link leading outside the image's folder: refused";
    default:
      return name + ": cannot open: " + std::strerror(error);
  }
}

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a link";
  return "not a regular file";
}

// Checks the descriptor itself (never the name again): a regular file, or a
// block device for the file the user named.
Opened checked(std::string name, int fd, bool device_allowed) {
  Opened out;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    out.error = name + ": cannot examine: " + std::strerror(errno);
    ::close(fd);
    return out;
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (S_ISBLK(st.st_mode) && device_allowed) {
    const off_t end = ::lseek(fd, 0, SEEK_END);
    size = end > 0 ? static_cast<uint64_t>(end) : 0;
  } else if (!S_ISREG(st.st_mode)) {
    out.error = name + ": " + kind_of(st.st_mode) + ", not a disk image file: refused";
    ::close(fd);
    return out;
  }
  out.file = std::make_shared<ImageFile>(std::move(name), fd, size);
  return out;
}

}  // namespace

ImageFile::~ImageFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::string ImageFile::read(uint64_t offset, uint64_t length, void* out) const {
  auto* at = static_cast<char*>(out);
  while (length > 0) {
    const ssize_t got = ::pread(fd_, at, static_cast<size_t>(length), static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return name_ + ": cannot read at byte " + std::to_string(offset) + ": " + std::strerror(errno);
    if (got == 0) return name_ + ": ends at byte " + std::to_string(offset);
    at += got;
    offset += static_cast<uint64_t>(got);
    length -= static_cast<uint64_t>(got);
  }
  return "";
}

std::string folder_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Opened open_named(const std::string& path) {
  // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    Opened out;
    out.absent = errno == ENOENT;
    out.error = why_not_opened(path, errno);
    return out;
  }
  return checked(path, fd, true);
}

Opened open_beside(const std::string& folder, const std::string& name) {
  const std::string shown = folder == "." ? name : (folder == "/" ? "/" : folder + "/") + name;
  Opened out;
  const int dir = ::open(folder.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) {
    out.absent = errno == ENOENT;
    out.error = why_not_opened(shown, errno);
    return out;
  }
  // RESOLVE_BENEATH: the kernel refuses any step (a "..", an absolute name, a
  // link) that would leave the folder, in the same walk that opens the file.
  open_how how{};
  how.flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  int fd = static_cast<int>(::syscall(SYS_openat2, dir, name.c_str(), &how, sizeof how));
  if (fd < 0 && errno == ENOSYS) {
    // Older kernels: no link is followed at all, and no name with a folder
    // part.
    if (name.find('/') != std::string::npos) {
      ::close(dir);
      out.error = shown + ": names a file outside the image's folder: refused";
      return out;
    }
    fd = ::openat(dir, name.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
  }
  const int saved = errno;
  ::close(dir);
  if (fd < 0) {
    out.absent = saved == ENOENT;
    out.error = why_not_opened(shown, saved);
    return out;
  }
  return checked(shown, fd, false);
}

}  // namespace hfa::image
