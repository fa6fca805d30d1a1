#include "core/byte_source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/fd.h"

namespace hfa {
namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// A memfd of `size` bytes, mapped, filled by `fill` (which returns "" or why it
// failed): the bytes are written once, straight into the file's pages.
template <typename Fill>
std::unique_ptr<FileSource> memory_file(uint64_t size, std::string& error, Fill fill) {
  Fd fd(::memfd_create("hotfix-audit", MFD_CLOEXEC));
  if (!fd || ::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) {
    error = std::string("cannot make an in-memory file: ") + std::strerror(errno);
    return nullptr;
  }
  if (size > 0) {
    void* map = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
    if (map == MAP_FAILED) {
      error = std::string("cannot map an in-memory file: ") + std::strerror(errno);
      return nullptr;
    }
    error = fill(static_cast<uint8_t*>(map));
    ::munmap(map, size);
    if (!error.empty()) return nullptr;
  }
  return std::make_unique<FileSource>(fd.release());
}

}  // namespace

std::unique_ptr<FileSource> copy_to_memory_file(const ByteSource& from, std::string& error) {
  return memory_file(from.size(), error, [&](uint8_t* out) { return from.read(0, from.size(), out); });
}

std::unique_ptr<FileSource> copy_to_memory_file(const uint8_t* data, uint64_t size, std::string& error) {
  return memory_file(size, error, [&](uint8_t* out) {
    std::memcpy(out, data, size);
    return std::string();
  });
}

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
