#include "core/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hfa {
namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

FileSource::FileSource(const std::string& path) : FileSource(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)) {}

FileSource::FileSource(int fd) : fd_(fd) {
  struct stat st {};
  if (fd_ < 0) {
    error_ = std::strerror(errno);
  } else if (::fstat(fd_, &st) != 0) {
    error_ = std::strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {
    error_ = "not a regular file";
  } else {
    size_ = static_cast<uint64_t>(st.st_size);
  }
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::string FileSource::read(uint64_t offset, uint64_t length, uint8_t* out) const {
  if (!error_.empty()) return error_;
  while (length > 0) {
    const ssize_t got = ::pread(fd_, out, length, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return "read error at offset " + hex(offset) + ": " + std::strerror(errno);
    if (got == 0) return "the file ended at offset " + hex(offset) + " while being read";
    out += got;
    offset += static_cast<uint64_t>(got);
    length -= static_cast<uint64_t>(got);
  }
  return {};
}

}  // namespace hfa
