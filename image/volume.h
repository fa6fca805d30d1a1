// Read-only access to the files of one volume: a mounted drive's folder
// (open_folder) or a file system in a disk image file (disk_image.h). Paths are relative to the volume root,
// separated by '/' or '\', and matched case-insensitively, as Windows does.
// Nothing outside the root is ever opened: ".." and links that lead out of the
// root are refused, and the refusal says so.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_source.h"

namespace hfa::image {

struct Entry {
  std::string path;  // as stored on the volume, '/'-separated: "WINNT/System32/winlogon.exe"
  bool directory = false;
  bool regular = false;  // a plain file: not a directory, FIFO or device
  uint64_t size = 0;
  std::optional<int64_t> modified;  // seconds since 1970 UTC
};

struct Lookup {
  std::optional<Entry> entry;
  std::string error;    // why there is no entry: not found, refused, I/O error
  bool refused = false;  // the path would have left the volume
};

struct Bytes {
  std::vector<uint8_t> data;
  std::string error;  // set when the read failed or the file is over the limit
};

class Volume {
 public:
  virtual ~Volume() = default;
  // How the user named the volume, for messages: "/mnt/audit/HOST1".
  virtual std::string name() const = 0;
  virtual Lookup find(std::string_view path) const = 0;
  // Entries of a directory, in name order. Links leading outside are left out.
  virtual std::vector<Entry> list(std::string_view directory) const = 0;
  // The whole file, refused when larger than max_bytes.
  virtual Bytes read(const Entry& file, uint64_t max_bytes) const = 0;
  // The file opened for reading a range at a time (the PE reader reads only
  // the pages it needs); null, with `error` set, when it cannot be opened.
  virtual std::unique_ptr<ByteSource> open(const Entry& file, std::string& error) const = 0;
};

// A folder holding a mounted drive. Fails (error set) when `root` is not a
// readable directory.
struct OpenResult {
  std::unique_ptr<Volume> volume;
  std::string error;
};
OpenResult open_folder(const std::string& root);

// Joins volume paths with '/'.
std::string join_path(std::string_view a, std::string_view b);
// The components of a volume path, split at '/' and '\', without empty and "." ones.
std::vector<std::string> split_path(std::string_view path);

}  // namespace hfa::image
