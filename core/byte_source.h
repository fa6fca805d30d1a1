// Random access to the bytes of one file, a range at a time. The PE reader
// needs a few pages of each file; over a file share or from a disk image the
// bytes read are the cost, so every reader of files goes through this.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace hfa {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  // Fills out[0, length) with the bytes at [offset, offset + length), which
  // lies within size(); returns "" or why the bytes could not be read.
  virtual std::string read(uint64_t offset, uint64_t length, uint8_t* out) const = 0;
  // The open local file behind the bytes, or -1 (a file inside a disk image).
  // hivex opens files by name only: /proc/self/fd/N of this descriptor hands
  // it the very file that was checked, without a copy.
  virtual int descriptor() const { return -1; }
};

// A local file, read with pread(2).
class FileSource final : public ByteSource {
 public:
  explicit FileSource(const std::string& path);
  // Takes over a descriptor already opened and checked by the caller (the
  // folder volume opens each file beneath its root); closed on destruction.
  explicit FileSource(int fd);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  // Why the file could not be opened ("No such file or directory", "not a
  // regular file"); "" when it is open.
  const std::string& error() const { return error_; }
  uint64_t size() const override { return size_; }
  std::string read(uint64_t offset, uint64_t length, uint8_t* out) const override;
  int descriptor() const override { return fd_; }

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
  std::string error_;
};

// The bytes of `from` (or of [data, data + size)) copied once into an anonymous
// in-memory file (memfd): a library that opens files by name only (hivex) reads
// it as /proc/self/fd/N of descriptor(). Nothing is written to disk. Null, with
// `error` set, when the copy cannot be made or `from` cannot be read.
std::unique_ptr<FileSource> copy_to_memory_file(const ByteSource& from, std::string& error);
std::unique_ptr<FileSource> copy_to_memory_file(const uint8_t* data, uint64_t size, std::string& error);

}  // namespace hfa
