// Read-only access to the files of one volume: a mounted drive's folder
// (open_folder) or a file system in a disk image file (disk_image.h). Paths are
// relative to the volume root, separated by '/' or '\', and matched
// case-insensitively, as Windows does. Nothing outside the root is ever opened:
// ".." and links that lead out of the root are refused, and the refusal says
// so.
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
  std::string path;  // as stored on the volume, '/'-separated:
                     // "WINNT/System32/winlogon.exe"
  bool directory = false;
  bool regular = false;  // a plain file: not a directory, FIFO or device
  uint64_t size = 0;
  std::optional<int64_t> modified;  // seconds since 1970 UTC
};

// Why a lookup gave no entry. Only `not_found` means that nothing stands at
// the path; every other kind means something is there that cannot be read,
// and a reader must say so rather than take the file for absent.
enum class Miss {
  not_found,          // no such name (ENOENT), or a folder on the way is missing
  refused,            // the path would leave the volume: '..', a link leading outside
  permission_denied,  // EACCES/EPERM on the file or on a folder on the way
  unreadable,         // a link loop, a link leading nowhere, a file where a folder
                      // should be, an I/O error
  too_deep,           // more folders than Windows NT can address (kMaxPathComponents)
};

struct Lookup {
  std::optional<Entry> entry;
  std::string error;            // why there is no entry, naming the path as stored
  bool refused = false;         // the path would have left the volume
  Miss miss = Miss::not_found;  // set with `error`
  // Nothing stands at the path (as opposed to something unreadable).
  bool absent() const { return !entry && !refused && miss == Miss::not_found; }
};

// A path of more components is refused (Miss::too_deep): NT's MAX_PATH of 260
// characters holds at most 130, and resolving a crafted 1,000-level path would
// only cost time.
constexpr size_t kMaxPathComponents = 130;

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
// readable directory. Every file is then opened through descriptors, one
// component at a time beneath the root (docs/evidence.md, "Folders"); with
// `follow_link` false the root itself must not be a symbolic link (the hosts of
// --hosts-under).
struct OpenResult {
  std::unique_ptr<Volume> volume;
  std::string error;
};
OpenResult open_folder(const std::string& root, bool follow_link = true);

// Joins volume paths with '/'.
std::string join_path(std::string_view a, std::string_view b);
// The components of a volume path, split at '/' and '\', without empty and "."
// ones.
std::vector<std::string> split_path(std::string_view path);

}  // namespace hfa::image
