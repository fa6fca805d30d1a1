// A mounted drive seen through a local folder. Every path is resolved one
// component at a time through descriptors: each name is opened relative to its
// folder's descriptor and never followed by the kernel (openat2 with
// RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS where the
// kernel has it, else openat with O_NOFOLLOW). A symbolic link is read with
// readlinkat and its target walked the same way from the folder holding it, so
// a ".." that would climb above the root, or an absolute target, is refused
// before anything is opened. Whatever is swapped in the tree while a scan runs,
// what is opened is beneath the root: there is no check by name followed by an
// open by name. Files are opened O_NONBLOCK and checked with fstat on the
// descriptor they are then read through, so a FIFO or a device never blocks.
//
// Each folder is listed once per volume, into a case-insensitive index built
// the first time a name is looked up in it, so a lookup costs no more in a
// system32 of 2,000 files than in one of 20.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include "core/fd.h"
#include "core/text.h"
#include "image/volume.h"

namespace hfa::image {
namespace {

constexpr int kMaxLinks = 40;             // as Linux allows in one path resolution
constexpr size_t kMaxCachedFolders = 64;  // descriptors a volume keeps open; a scan uses about ten

// An open folder of the volume and the index of its names.
struct Folder {
  Fd fd;
  std::shared_ptr<const Folder> parent;  // the folder holding it; null for the root
  std::string name;                      // its name in the parent, as stored
  std::string key;                       // lower-cased path from the root through folders only
  // (lower-cased name, stored name), sorted: built on first use.
  mutable std::vector<std::pair<std::string, std::string>> names;
  mutable bool indexed = false;
  mutable int list_errno = 0;  // listing failed with this
};
using FolderPtr = std::shared_ptr<const Folder>;

// Where a path leads once every link on it is followed: the name `name` in
// `folder` (never itself a link when it was checked), or the root when
// `folder` is null.
struct Place {
  FolderPtr folder;
  std::string name;
  struct stat st {};
};

struct Failure {
  Miss miss = Miss::not_found;
  std::string error;
};

// The result of a step: a value or a failure.
template <typename T>
struct Step {
  T value{};
  std::optional<Failure> failure;
};

std::string errno_text(int e) {
  switch (e) {
    case ENOENT:
      return "not found";
    case EACCES:
    case EPERM:
      return "permission denied";
    case ELOOP:
      return "a symbolic link loop";
    default:
      return std::strerror(e);
  }
}

Miss miss_of(int e) {
  if (e == ENOENT) return Miss::not_found;
  if (e == EACCES || e == EPERM) return Miss::permission_denied;
  return Miss::unreadable;
}

class FolderVolume final : public Volume {
 public:
  FolderVolume(std::string name, Fd root) : name_(std::move(name)) {
    auto folder = std::make_shared<Folder>();
    folder->fd = std::move(root);
    root_ = std::move(folder);
  }

  std::string name() const override { return name_; }

  Lookup find(std::string_view path) const override {
    std::lock_guard lock(mutex_);
    Lookup out;
    std::string stored;
    const auto place = resolve(path, stored);
    if (place.failure) {
      out.error = place.failure->error;
      out.miss = place.failure->miss;
      out.refused = out.miss == Miss::refused;
      return out;
    }
    out.entry = entry_of(stored, place.value.st);
    return out;
  }

  std::vector<Entry> list(std::string_view directory) const override {
    std::lock_guard lock(mutex_);
    std::vector<Entry> out;
    std::string stored;
    const auto place = resolve(directory, stored);
    if (place.failure || !S_ISDIR(place.value.st.st_mode)) return out;
    const auto folder = folder_at(place.value, stored);
    if (folder.failure || !index(*folder.value).empty()) return out;
    for (const auto& [lower, name] : folder.value->names) {
      int links = 0;
      const std::string child = join_path(stored, name);
      const auto at = settle(folder.value, name, links, child);
      if (!at.failure) out.push_back(entry_of(child, at.value.st));  // links leading out are left out
    }
    std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.path < b.path; });
    return out;
  }

  Bytes read(const Entry& file, uint64_t max_bytes) const override {
    Bytes out;
    std::string stored;
    auto fd = open_file(file.path, stored, out.error);
    if (!fd) return out;
    struct stat st {};
    ::fstat(fd.get(), &st);
    const auto size = static_cast<uint64_t>(st.st_size);
    if (size > max_bytes) {
      out.error = stored + ": " + std::to_string(size) + " bytes, over the limit of " + std::to_string(max_bytes) +
                  " for this kind of file";
      return out;
    }
    out.data.resize(size);
    uint64_t got = 0;
    while (got < size) {
      const ssize_t n = ::pread(fd.get(), out.data.data() + got, size - got, static_cast<off_t>(got));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        out.error = stored + ": read " + std::to_string(got) + " of " + std::to_string(size) + " bytes" +
                    (n < 0 ? std::string(": ") + std::strerror(errno) : std::string());
        out.data.clear();
        return out;
      }
      got += static_cast<uint64_t>(n);
    }
    return out;
  }

  std::unique_ptr<ByteSource> open(const Entry& file, std::string& error) const override {
    std::string stored;
    auto fd = open_file(file.path, stored, error);
    if (!fd) return nullptr;
    return std::make_unique<FileSource>(fd.release());
  }

 private:
  // Opens the regular file at `path` for reading, or says why not.
  Fd open_file(std::string_view path, std::string& stored, std::string& error) const {
    std::lock_guard lock(mutex_);
    const auto place = resolve(path, stored);
    if (place.failure) {
      error = place.failure->error;
      return {};
    }
    if (!S_ISREG(place.value.st.st_mode) || !place.value.folder) {
      error = stored + ": not a regular file";
      return {};
    }
    // O_NONBLOCK: should a FIFO have been swapped in since the check, the open
    // does not wait for a writer; fstat on this descriptor then refuses it.
    Fd fd(open_beneath(place.value.folder->fd.get(), place.value.name, O_RDONLY | O_NONBLOCK));
    if (!fd) {
      error = stored + ": cannot open: " +
              (errno == ELOOP ? std::string("it became a symbolic link while being read") : errno_text(errno));
      return {};
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      error = stored + ": not a regular file";
      return {};
    }
    return fd;
  }

  static Entry entry_of(const std::string& stored, const struct stat& st) {
    Entry e;
    e.path = stored;
    e.directory = S_ISDIR(st.st_mode);
    e.regular = S_ISREG(st.st_mode);
    e.size = e.regular ? static_cast<uint64_t>(st.st_size) : 0;
    e.modified = static_cast<int64_t>(st.st_mtime);
    return e;
  }

  // Follows `path` from the root; `stored` receives it with the names as
  // stored. A link in the last place is followed too.
  Step<Place> resolve(std::string_view path, std::string& stored) const {
    const auto parts = split_path(path);
    stored.clear();
    if (parts.size() > kMaxPathComponents)
      return fail<Place>(Miss::too_deep, "refused a path of " + std::to_string(parts.size()) +
                                             " components: more than " + std::to_string(kMaxPathComponents) +
                                             ", deeper than Windows NT can address");
    FolderPtr folder = root_;
    int links = 0;
    Place place;
    place.folder = nullptr;
    ::fstat(root_->fd.get(), &place.st);
    for (size_t i = 0; i < parts.size(); ++i) {
      const auto& part = parts[i];
      if (part == "..")
        return fail<Place>(Miss::refused, "refused '" + std::string(path) + "': '..' would leave the image root");
      if (i > 0) {
        auto next = folder_at(place, stored);
        if (next.failure) return {{}, next.failure};
        folder = next.value;
      }
      auto name = match(folder, part, join_path(stored, part));
      if (name.failure) return {{}, name.failure};
      stored = join_path(stored, name.value);
      auto at = settle(folder, name.value, links, stored);
      if (at.failure) return at;
      place = at.value;
    }
    return {place, std::nullopt};
  }

  // The folder at `place`, which must be one.
  Step<FolderPtr> folder_at(const Place& place, const std::string& stored) const {
    if (!place.folder) return {root_, std::nullopt};
    if (!S_ISDIR(place.st.st_mode)) return fail<FolderPtr>(Miss::unreadable, stored + ": not a folder");
    return descend(place.folder, place.name, stored);
  }

  // Opens the folder `name` of `parent` (not a link: settle has followed any).
  Step<FolderPtr> descend(const FolderPtr& parent, const std::string& name, const std::string& stored) const {
    const std::string key = parent->key + "/" + ascii_lower(name);
    if (auto it = cache_.find(key); it != cache_.end()) return {it->second, std::nullopt};
    Fd fd(open_beneath(parent->fd.get(), name, O_RDONLY | O_DIRECTORY | O_NONBLOCK));
    if (!fd) {
      if (errno == ELOOP)
        return fail<FolderPtr>(Miss::unreadable, stored + ": became a symbolic link while being read");
      if (errno == ENOTDIR) return fail<FolderPtr>(Miss::unreadable, stored + ": not a folder");
      return fail<FolderPtr>(miss_of(errno), stored + ": " + errno_text(errno));
    }
    auto folder = std::make_shared<Folder>();
    folder->fd = std::move(fd);
    folder->parent = parent;
    folder->name = name;
    folder->key = key;
    if (cache_.size() < kMaxCachedFolders) cache_.emplace(key, folder);
    return {folder, std::nullopt};
  }

  // What `name` in `folder` is, following it when it is a symbolic link.
  // `stored` names it in messages (never where a link leads).
  Step<Place> settle(const FolderPtr& folder, const std::string& name, int& links, const std::string& stored) const {
    Place place{folder, name, {}};
    if (::fstatat(folder->fd.get(), name.c_str(), &place.st, AT_SYMLINK_NOFOLLOW) != 0)
      return fail<Place>(miss_of(errno), stored + ": " + errno_text(errno));
    if (!S_ISLNK(place.st.st_mode)) return {place, std::nullopt};
    if (++links > kMaxLinks)
      return fail<Place>(Miss::unreadable, stored + ": a symbolic link loop (more than " + std::to_string(kMaxLinks) +
                                               " links in a row)");
    std::string target(4096, '\0');
    const ssize_t n = ::readlinkat(folder->fd.get(), name.c_str(), target.data(), target.size());
    if (n < 0) return fail<Place>(miss_of(errno), stored + ": " + errno_text(errno));
    target.resize(static_cast<size_t>(n));
    const auto refused =
        fail<Place>(Miss::refused, "refused '" + stored + "': a symbolic link leading outside the image root");
    // An absolute target means the examiner's machine, never the evidence;
    // refusing all of them also means nothing outside can be probed.
    if (target.empty() || target[0] == '/') return refused;
    const auto parts = split_path(target);
    if (parts.size() > kMaxPathComponents)
      return fail<Place>(Miss::too_deep, stored + ": a symbolic link whose target is too deep");
    // The target is walked from the folder holding the link.
    FolderPtr at = folder;
    for (size_t i = 0; i < parts.size(); ++i) {
      const bool last = i + 1 == parts.size();
      if (parts[i] == "..") {
        if (!at->parent) return refused;
        at = at->parent;
        continue;
      }
      auto hit = match(at, parts[i], stored);
      if (hit.failure) {
        if (hit.failure->miss == Miss::not_found)
          hit.failure = Failure{Miss::unreadable, stored + ": a symbolic link that leads nowhere"};
        return {{}, hit.failure};
      }
      auto next = settle(at, hit.value, links, stored);
      if (next.failure) return next;
      if (last) return next;
      auto into = folder_at(next.value, stored);
      if (into.failure) return {{}, into.failure};
      at = into.value;
    }
    // The target ends at a folder reached by ".." (or is "."): that folder.
    Place self;
    if (at->parent) {
      self.folder = at->parent;
      self.name = at->name;
    }
    ::fstat(at->fd.get(), &self.st);
    return {self, std::nullopt};
  }

  // The stored name of `part` in `folder`: the exact name when present, else
  // the first case-insensitive match in name order.
  Step<std::string> match(const FolderPtr& folder, const std::string& part, const std::string& stored) const {
    if (part.find('/') != std::string::npos || part == "." || part == "..")
      return fail<std::string>(Miss::not_found, stored + ": not found");
    if (const auto problem = index(*folder); !problem.empty()) {
      // A folder that can be searched but not listed: only the exact name can
      // be found.
      struct stat st {};
      if (::fstatat(folder->fd.get(), part.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) return {part, std::nullopt};
      return fail<std::string>(miss_of(folder->list_errno), stored + ": " + problem);
    }
    const auto lower = ascii_lower(part);
    const auto& names = folder->names;
    auto it = std::lower_bound(names.begin(), names.end(), std::make_pair(lower, std::string()));
    const auto first = it;
    for (; it != names.end() && it->first == lower; ++it)
      if (it->second == part) return {part, std::nullopt};
    if (first != names.end() && first->first == lower) return {first->second, std::nullopt};
    return fail<std::string>(Miss::not_found, stored + ": not found");
  }

  // Lists `folder` into its index the first time; "" or why it cannot be
  // listed.
  static std::string index(const Folder& folder) {
    if (!folder.indexed) {
      folder.indexed = true;
      // A duplicate, since closedir closes it (opening "." instead would need
      // search permission, which a listable folder may not give).
      const int fd = ::fcntl(folder.fd.get(), F_DUPFD_CLOEXEC, 0);
      DIR* dir = fd >= 0 ? ::fdopendir(fd) : nullptr;
      if (dir) ::rewinddir(dir);
      if (!dir) {
        folder.list_errno = errno;
        if (fd >= 0) ::close(fd);
      } else {
        errno = 0;
        std::vector<std::pair<std::string, std::string>> read;
        while (const dirent* d = ::readdir(dir)) {
          std::string n = d->d_name;
          if (n != "." && n != "..") {
            std::string lower = ascii_lower(n);
            read.emplace_back(std::move(lower), std::move(n));
          }
        }
        folder.list_errno = errno;
        ::closedir(dir);
        // Sorted through indices: swapping pairs of strings was most of the
        // cost of indexing a real system32 (2,000 entries).
        std::vector<uint32_t> order(read.size());
        for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&read](uint32_t a, uint32_t b) { return read[a] < read[b]; });
        folder.names.reserve(read.size());
        for (const uint32_t i : order) folder.names.push_back(std::move(read[i]));
      }
    }
    return folder.list_errno ? "cannot list the folder: " + errno_text(folder.list_errno) : std::string();
  }

  template <typename T>
  static Step<T> fail(Miss miss, std::string error) {
    return {T{}, Failure{miss, std::move(error)}};
  }

  std::string name_;
  FolderPtr root_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, FolderPtr> cache_;  // by Folder::key
};

}  // namespace

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : path) {
    if (c == '/' || c == '\\') {
      if (!current.empty() && current != ".") parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty() && current != ".") parts.push_back(current);
  return parts;
}

std::string join_path(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  return std::string(a) + "/" + std::string(b);
}

OpenResult open_folder(const std::string& root, bool follow_link) {
  OpenResult out;
  Fd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK | (follow_link ? 0 : O_NOFOLLOW)));
  if (!fd) {
    const int e = errno;
    struct stat st {};
    // With O_NOFOLLOW a link fails as ELOOP or, with O_DIRECTORY, as ENOTDIR.
    const bool link =
        !follow_link && (e == ELOOP || (e == ENOTDIR && ::lstat(root.c_str(), &st) == 0 && S_ISLNK(st.st_mode)));
    if (link)
      out.error = root + ": a symbolic link, not a folder: not followed";
    else if (e == ENOTDIR)
      out.error = root + ": not a directory";
    else
      out.error = root + ": " + std::strerror(e);
    return out;
  }
  // Listed once now, so that an unlistable root fails here with its reason.
  const int probe = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0);
  DIR* dir = probe >= 0 ? ::fdopendir(probe) : nullptr;
  if (!dir) {
    out.error = root + ": cannot list: " + std::strerror(errno);
    if (probe >= 0) ::close(probe);
    return out;
  }
  ::closedir(dir);
  out.volume = std::make_unique<FolderVolume>(root, std::move(fd));
  return out;
}

}  // namespace hfa::image
