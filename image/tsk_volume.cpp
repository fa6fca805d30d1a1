// A file system in a disk image as a Volume, through The Sleuth Kit. Paths
// are resolved through the file system's own directories, so nothing outside
// it can be reached: there is no host path to escape to, and ".." is refused
// before any lookup, as the folder volume does.
#include "image/tsk_volume.h"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>

#include "core/text.h"

namespace hfa::image {

std::string tsk_says() {
  const char* e = tsk_error_get();
  std::string out = e ? e : "no reason given";
  tsk_error_reset();
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  for (auto& c : out)
    if (c == '\n') c = ' ';
  return out;
}

namespace {

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// FAT keeps local wall-clock time with no zone; TSK turns it into seconds with
// the examiner's zone (mktime). Undoing that gives the clock reading itself,
// reported as UTC, which is how the KB tables' times are read too.
int64_t fat_wall_clock(time_t t) {
  struct tm local {};
  if (!localtime_r(&t, &local)) return t;
  return static_cast<int64_t>(timegm(&local));
}

struct Child {
  std::string name;
  TSK_INUM_T inum = 0;
  Entry entry;  // path filled in by the caller
};

// One file of a TSK file system, read a range at a time under its volume's
// lock (TSK's handles are not safe to share between threads).
class TskFile final : public ByteSource {
 public:
  TskFile(TSK_FS_FILE* file, Entry entry, std::mutex& lock) : file_(file), entry_(std::move(entry)), lock_(lock) {}
  ~TskFile() override {
    std::lock_guard<std::mutex> hold(lock_);
    tsk_fs_file_close(file_);
  }
  uint64_t size() const override { return entry_.size; }
  std::string read(uint64_t offset, uint64_t length, uint8_t* out) const override {
    std::lock_guard<std::mutex> hold(lock_);
    while (length > 0) {
      const ssize_t got = tsk_fs_file_read(file_, static_cast<TSK_OFF_T>(offset), reinterpret_cast<char*>(out),
                                           static_cast<size_t>(length), TSK_FS_FILE_READ_FLAG_NONE);
      if (got <= 0)
        return entry_.path + ": cannot read at byte " + std::to_string(offset) + ": " +
               (got < 0 ? tsk_says() : "the data ends early");
      out += got;
      offset += static_cast<uint64_t>(got);
      length -= static_cast<uint64_t>(got);
    }
    return {};
  }

 private:
  TSK_FS_FILE* file_;
  Entry entry_;
  std::mutex& lock_;
};

class TskVolume final : public Volume {
 public:
  TskVolume(std::string name, std::shared_ptr<const void> image, TSK_FS_INFO* fs)
      : name_(std::move(name)), image_(std::move(image)), fs_(fs), fat_(TSK_FS_TYPE_ISFAT(fs->ftype)) {}

  ~TskVolume() override { tsk_fs_close(fs_); }

  std::string name() const override { return name_; }

  Lookup find(std::string_view path) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    Lookup out;
    const auto r = resolve(path);
    if (!r.error.empty()) {
      out.error = r.error;
      out.refused = r.refused;
      return out;
    }
    out.entry = r.entry;
    return out;
  }

  std::vector<Entry> list(std::string_view directory) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Entry> out;
    const auto dir = resolve(directory);
    if (!dir.error.empty() || !dir.entry.directory) return out;
    for (const auto& c : children(dir.inum, nullptr)) {
      Entry e = c.entry;
      e.path = join_path(dir.entry.path, c.name);
      out.push_back(std::move(e));
    }
    return out;
  }

  Bytes read(const Entry& file, uint64_t max_bytes) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    Bytes out;
    const auto r = resolve(file.path);
    if (!r.error.empty()) {
      out.error = r.error;
      return out;
    }
    if (!r.entry.regular) {
      out.error = r.entry.path + ": not a regular file";
      return out;
    }
    if (r.entry.size > max_bytes) {
      out.error = r.entry.path + ": " + std::to_string(r.entry.size) + " bytes, over the limit of " +
                  std::to_string(max_bytes) + " for this kind of file";
      return out;
    }
    out.data.resize(r.entry.size);
    out.error = copy_out(r, [&](const char* buf, size_t n, uint64_t at) {
      std::memcpy(out.data.data() + at, buf, n);
      return true;
    });
    if (!out.error.empty()) out.data.clear();
    return out;
  }

  std::unique_ptr<ByteSource> open(const Entry& file, std::string& error) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto r = resolve(file.path);
    if (!r.error.empty()) {
      error = r.error;
      return nullptr;
    }
    TSK_FS_FILE* f = tsk_fs_file_open_meta(fs_, nullptr, r.inum);
    if (!f) {
      error = r.entry.path + ": cannot open: " + tsk_says();
      return nullptr;
    }
    return std::make_unique<TskFile>(f, r.entry, mutex_);
  }

 private:
  struct Resolved {
    TSK_INUM_T inum = 0;
    Entry entry;
    std::string error;
    bool refused = false;
  };

  Resolved resolve(std::string_view path) const {
    Resolved r;
    r.inum = fs_->root_inum;
    r.entry.directory = true;
    for (const auto& part : split_path(path)) {
      if (part == "..") {
        r.error = "refused '" + std::string(path) + "': '..' would leave the image root";
        r.refused = true;
        return r;
      }
      if (!r.entry.directory) {
        r.error = join_path(r.entry.path, part) + ": not found (" + r.entry.path + " is not a folder)";
        return r;
      }
      std::string why;
      const auto& list = children(r.inum, &why);
      if (!why.empty()) {
        r.error = why;
        return r;
      }
      // The exact name if present, else the first case-insensitive match in
      // name order (the list is sorted), as the folder volume does.
      const Child* hit = nullptr;
      for (const auto& c : list)
        if (c.name == part) hit = &c;
      if (!hit) {
        const auto want = ascii_lower(part);
        for (const auto& c : list)
          if (ascii_lower(c.name) == want) {
            hit = &c;
            break;
          }
      }
      if (!hit) {
        r.error = join_path(r.entry.path, part) + ": not found";
        return r;
      }
      const std::string stored = join_path(r.entry.path, hit->name);
      r.inum = hit->inum;
      r.entry = hit->entry;
      r.entry.path = stored;
    }
    return r;
  }

  // The allocated entries of a directory, in name order; cached, since every
  // wanted file is looked for in the same few folders.
  const std::vector<Child>& children(TSK_INUM_T dir_inum, std::string* why) const {
    if (auto it = dirs_.find(dir_inum); it != dirs_.end()) return it->second;
    auto& out = dirs_[dir_inum];
    TSK_FS_DIR* dir = tsk_fs_dir_open_meta(fs_, dir_inum);
    if (!dir) {
      const auto reason = tsk_say_dir(dir_inum);
      if (why) *why = reason;
      dirs_.erase(dir_inum);
      static const std::vector<Child> none;
      return none;
    }
    const size_t n = tsk_fs_dir_getsize(dir);
    for (size_t i = 0; i < n; ++i) {
      TSK_FS_FILE* f = tsk_fs_dir_get(dir, i);
      if (!f) {
        tsk_error_reset();
        continue;
      }
      const TSK_FS_NAME* nm = f->name;
      const TSK_FS_META* meta = f->meta;
      // Deleted names, "." and "..", TSK's own virtual files ($MBR, $FAT1,
      // $OrphanFiles) and FAT's volume label, which TSK shows as an empty file
      // named "LABEL (Volume Label Entry)", are not files of the installation.
      const bool keep = nm && nm->name && (nm->flags & TSK_FS_NAME_FLAG_ALLOC) && meta &&
                        std::strcmp(nm->name, ".") != 0 && std::strcmp(nm->name, "..") != 0 &&
                        meta->type != TSK_FS_META_TYPE_VIRT && meta->type != TSK_FS_META_TYPE_VIRT_DIR &&
                        std::strchr(nm->name, '/') == nullptr &&
                        !(fat_ && meta->size == 0 && ends_with(nm->name, " (Volume Label Entry)"));
      if (keep) {
        Child c;
        c.name = nm->name;
        c.inum = meta->addr;
        c.entry.directory = meta->type == TSK_FS_META_TYPE_DIR;
        c.entry.regular = meta->type == TSK_FS_META_TYPE_REG;
        c.entry.size = c.entry.regular && meta->size > 0 ? static_cast<uint64_t>(meta->size) : 0;
        c.entry.modified = fat_ ? fat_wall_clock(meta->mtime) : static_cast<int64_t>(meta->mtime);
        out.push_back(std::move(c));
      }
      tsk_fs_file_close(f);
    }
    tsk_fs_dir_close(dir);
    std::sort(out.begin(), out.end(), [](const Child& a, const Child& b) { return a.name < b.name; });
    return out;
  }

  std::string tsk_say_dir(TSK_INUM_T inum) const {
    return name_ + ": cannot read the folder at inode " + std::to_string(inum) + ": " + tsk_says();
  }

  // Reads the file's default data in chunks, through its own clusters only.
  template <typename Sink>
  std::string copy_out(const Resolved& r, Sink sink) const {
    TSK_FS_FILE* f = tsk_fs_file_open_meta(fs_, nullptr, r.inum);
    if (!f) return r.entry.path + ": cannot open: " + tsk_says();
    std::vector<char> buf(1 << 20);
    uint64_t done = 0;
    std::string error;
    while (done < r.entry.size) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), r.entry.size - done));
      const ssize_t got =
          tsk_fs_file_read(f, static_cast<TSK_OFF_T>(done), buf.data(), want, TSK_FS_FILE_READ_FLAG_NONE);
      if (got <= 0) {
        error = r.entry.path + ": read " + std::to_string(done) + " of " + std::to_string(r.entry.size) +
                " bytes: " + (got < 0 ? tsk_says() : "the data ends early");
        break;
      }
      if (!sink(buf.data(), static_cast<size_t>(got), done)) {
        error = r.entry.path + ": cannot keep what was read";
        break;
      }
      done += static_cast<uint64_t>(got);
    }
    tsk_fs_file_close(f);
    return error;
  }

  std::string name_;
  std::shared_ptr<const void> image_;  // the image and table, kept open while the volume lives
  TSK_FS_INFO* fs_;
  bool fat_;
  mutable std::mutex mutex_;
  mutable std::map<TSK_INUM_T, std::vector<Child>> dirs_;
};

}  // namespace

std::unique_ptr<Volume> make_tsk_volume(std::string name, std::shared_ptr<const void> image, TSK_FS_INFO* fs) {
  return std::make_unique<TskVolume>(std::move(name), std::move(image), fs);
}

}  // namespace hfa::image
