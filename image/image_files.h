// The files a disk image is made of (the file the user named, its split
// segments, a VMDK's extents), opened once and read through their descriptors:
// each opened O_NONBLOCK and checked with fstat before any read, so a FIFO or
// device never blocks a scan, and a segment or extent beside the image is
// opened relative to the image's folder and never through a link leading out
// of it. Errors say what errno said: not found, permission denied, refused.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace hfa::image {

class ImageFile {
 public:
  ImageFile(std::string name, int fd, uint64_t size) : name_(std::move(name)), fd_(fd), size_(size) {}
  ~ImageFile();
  ImageFile(const ImageFile&) = delete;
  ImageFile& operator=(const ImageFile&) = delete;
  // The path as given, or the image's folder joined with the sibling's name.
  const std::string& name() const { return name_; }
  int fd() const { return fd_; }
  uint64_t size() const { return size_; }
  // Reads [offset, offset + length) whole: "" or why not (an I/O error, or
  // "ends at byte N" when the file is shorter).
  std::string read(uint64_t offset, uint64_t length, void* out) const;

 private:
  std::string name_;
  int fd_;
  uint64_t size_;
};

struct Opened {
  std::shared_ptr<ImageFile> file;
  std::string error;    // "PATH: not found", "PATH: permission denied"...
  bool absent = false;  // nothing of that name: the error is "not found"
};

// The file the user named: a regular file (or a block device). Links in the
// path are the user's own choice and are followed.
Opened open_named(const std::string& path);

// A file beside the image, in `folder` (the named file's folder): `name` is
// resolved beneath `folder` only; a link leading out of it is refused.
Opened open_beside(const std::string& folder, const std::string& name);

// The folder part of a path ("." for a bare name) and the name part.
std::string folder_of(const std::string& path);
std::string name_of(const std::string& path);

}  // namespace hfa::image
