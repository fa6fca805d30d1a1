// Disk images through The Sleuth Kit. Each file system is a Volume that
// resolves paths through the file system's own directories, so nothing outside
// it can be reached: there is no host path to escape to, and ".." is refused
// before any lookup, as the folder volume does.
#include "image/disk_image.h"

#include <fstream>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tsk/libtsk.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <tuple>

#include "core/text.h"

namespace hfa::image {
namespace {

std::string tsk_says() {
  const char* e = tsk_error_get();
  std::string out = e ? e : "no reason given";
  tsk_error_reset();
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  for (auto& c : out)
    if (c == '\n') c = ' ';
  return out;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The image and its partition table, shared by the volumes opened on it so
// that it outlives the last of them.
struct ImageHandle {
  TSK_IMG_INFO* img = nullptr;
  TSK_VS_INFO* vs = nullptr;
  ~ImageHandle() {
    if (vs) tsk_vs_close(vs);
    if (img) tsk_img_close(img);
  }
};

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
  TskVolume(std::string name, std::shared_ptr<ImageHandle> image, TSK_FS_INFO* fs)
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
      const ssize_t got = tsk_fs_file_read(f, static_cast<TSK_OFF_T>(done), buf.data(), want, TSK_FS_FILE_READ_FLAG_NONE);
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
  std::shared_ptr<ImageHandle> image_;
  TSK_FS_INFO* fs_;
  bool fat_;
  mutable std::mutex mutex_;
  mutable std::map<TSK_INUM_T, std::vector<Child>> dirs_;
};

std::string format_name(TSK_IMG_TYPE_ENUM t) {
  if (TSK_IMG_TYPE_ISRAW(t)) return "raw";
  if (TSK_IMG_TYPE_ISEWF(t)) return "ewf";
  if (t & TSK_IMG_TYPE_VMDK_VMDK) return "vmdk";
  if (t & TSK_IMG_TYPE_VHD_VHD) return "vhd";
  const char* n = tsk_img_type_toname(t);
  return n ? n : "unknown";
}

bool windows_file_system(TSK_FS_TYPE_ENUM t) { return TSK_FS_TYPE_ISNTFS(t) || TSK_FS_TYPE_ISFAT(t); }

void attach(Partition& p, const std::shared_ptr<ImageHandle>& handle, TSK_FS_INFO* fs) {
  const char* n = tsk_fs_type_toname(fs->ftype);
  p.file_system = n ? n : "unknown";
  if (!windows_file_system(fs->ftype)) {
    p.skipped = p.file_system + " is not a file system Windows NT is installed on";
    tsk_fs_close(fs);
    return;
  }
  // Reads past the end come back as zeros or errors, file by file; a cut
  // file system is named once, as a whole, rather than judged on holes.
  if (fs->last_block_act < fs->last_block) {
    const auto bytes = [&](TSK_DADDR_T last) { return std::to_string((last + 1) * fs->block_size); };
    p.error = p.name + ": the " + p.file_system + " file system has " + bytes(fs->last_block) + " bytes but only " +
              bytes(fs->last_block_act) + " are in the " + (p.number ? "partition" : "image") +
              ": the image is truncated";
    tsk_fs_close(fs);
    return;
  }
  p.volume = std::make_unique<TskVolume>(p.name, handle, fs);
}

// The format by its signature, so that TSK is asked for one reader: its
// probing of every format (TSK_IMG_TYPE_DETECT) leaks libvhdi's and libvmdk's
// handles on each file that is not theirs. Raw when no signature matches.
TSK_IMG_TYPE_ENUM sniff_format(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[512] = {}, tail[512] = {};
  in.read(head, sizeof head);
  const auto got = in.gcount();
  in.clear();
  in.seekg(0, std::ios::end);
  const auto size = static_cast<long long>(in.tellg());
  if (size >= 512) {
    in.seekg(size - 512);
    in.read(tail, sizeof tail);
  }
  const std::string_view h(head, static_cast<size_t>(got)), t(tail, sizeof tail);
  if (h.substr(0, 8) == std::string_view("EVF\x09\x0d\x0a\xff\x00", 8)) return TSK_IMG_TYPE_EWF_EWF;
  if (h.substr(0, 4) == "KDMV" || h.substr(0, 4) == "COWD" || h.substr(0, 21) == "# Disk DescriptorFile")
    return TSK_IMG_TYPE_VMDK_VMDK;
  if (h.substr(0, 8) == "conectix" || (size >= 512 && t.substr(0, 8) == "conectix")) return TSK_IMG_TYPE_VHD_VHD;
  return TSK_IMG_TYPE_RAW;
}

std::string where(const Partition& p) {
  return "partition " + std::to_string(p.number) + " (" + p.description + ", at byte " + std::to_string(p.offset) +
         ", " + std::to_string(p.length) + " bytes)";
}

// partition(N) as NT 4.0 counts: the MBR's primary partitions in slot order,
// then the logical ones of the extended partition's chain.
void number_as_nt_does(std::vector<Partition>& partitions, const std::vector<std::pair<int, int>>& table_slot) {
  std::vector<size_t> order(partitions.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto key = [&](size_t i) {
      return std::make_tuple(table_slot[i].first != 0, table_slot[i].first, table_slot[i].second);
    };
    return key(a) < key(b);
  });
  int n = 0;
  for (size_t i : order) partitions[i].arc_number = ++n;
}

}  // namespace

DiskImage open_disk_image(const std::string& path) {
  DiskImage out;
  out.path = path;
  tsk_error_reset();
  // TSK opens every format read-only (O_RDONLY, libewf's read mode).
  auto handle = std::make_shared<ImageHandle>();
  // A file named .e01, .vmdk or .vhd is read as that even without its
  // signature, so that a damaged one is named as such (a raw reading of it
  // would only find "no file system").
  const auto dot = path.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : ascii_lower(path.substr(dot + 1));
  const std::pair<const char*, TSK_IMG_TYPE_ENUM> named[] = {
      {"e01", TSK_IMG_TYPE_EWF_EWF}, {"vmdk", TSK_IMG_TYPE_VMDK_VMDK}, {"vhd", TSK_IMG_TYPE_VHD_VHD}};
  TSK_IMG_TYPE_ENUM type = sniff_format(path);
  bool by_name = false;  // the name says the format, whether or not the signature does
  for (const auto& [suffix, t] : named) {
    if (type == TSK_IMG_TYPE_RAW && ext == suffix) type = t;
    by_name = by_name || (ext == suffix && type == t);
  }
  handle->img = tsk_img_open_utf8_sing(path.c_str(), type, 0);
  if (!handle->img) {
    if (type == TSK_IMG_TYPE_RAW)
      out.error = path + ": not a disk image TSK can read (raw, EWF, VMDK, VHD): " + tsk_says();
    else
      out.error = path + ": " + (by_name ? "named ." + ext : std::string("signed as a ") + format_name(type) + " image") + " but not a readable " +
                  format_name(type) + " image (damaged or truncated?): " + tsk_says();
    return out;
  }
  out.format = format_name(handle->img->itype);
  out.size = handle->img->size > 0 ? static_cast<uint64_t>(handle->img->size) : 0;
  if (out.size < 512) {
    out.error = path + ": " + std::to_string(out.size) + " bytes, too small to hold a disk's first sector";
    return out;
  }
  {
    // Where the partition table and boot sectors are: a container that has
    // lost its first chunks is named here rather than as "no file system".
    std::vector<char> head(static_cast<size_t>(std::min<uint64_t>(out.size, 64 << 10)));
    if (tsk_img_read(handle->img, 0, head.data(), head.size()) != static_cast<ssize_t>(head.size())) {
      out.error = path + ": cannot read the first " + std::to_string(head.size()) + " bytes of the disk (" + out.format +
                  " image damaged or truncated?): " + tsk_says();
      return out;
    }
  }

  handle->vs = tsk_vs_open(handle->img, 0, TSK_VS_TYPE_DETECT);
  if (!handle->vs) {
    tsk_error_reset();
    Partition p;
    p.name = path;
    p.length = out.size;
    p.description = "whole image, no partition table";
    TSK_FS_INFO* fs = tsk_fs_open_img(handle->img, 0, TSK_FS_TYPE_DETECT);
    if (!fs) {
      const std::string fs_error = tsk_says();
      // A boot signature with no file system behind it is an MBR: asking
      // for DOS tables alone makes TSK say what is wrong with it.
      unsigned char sector[512] = {};
      if (tsk_img_read(handle->img, 0, reinterpret_cast<char*>(sector), sizeof sector) == sizeof sector &&
          sector[510] == 0x55 && sector[511] == 0xAA) {
        if (TSK_VS_INFO* dos = tsk_vs_open(handle->img, 0, TSK_VS_TYPE_DOS)) {
          tsk_vs_close(dos);
        } else {
          out.error = path + ": the DOS (MBR) partition table is broken: " + tsk_says();
          return out;
        }
      }
      out.error = path + ": neither a partition table nor a file system (NTFS, FAT) at byte 0: " + fs_error;
      return out;
    }
    attach(p, handle, fs);
    out.partitions.push_back(std::move(p));
    return out;
  }
  const char* vs_name = tsk_vs_type_toname(handle->vs->vstype);
  out.partition_table = vs_name ? vs_name : "unknown";
  const uint64_t block = handle->vs->block_size;
  int number = 0;
  std::vector<std::pair<int, int>> table_slot;  // per partition: TSK's table (0: the MBR) and slot
  for (TSK_PNUM_T i = 0; i < handle->vs->part_count; ++i) {
    const TSK_VS_PART_INFO* part = tsk_vs_part_get(handle->vs, i);
    if (!part || !(part->flags & TSK_VS_PART_FLAG_ALLOC)) continue;
    table_slot.emplace_back(part->table_num, part->slot_num);
    Partition p;
    p.number = ++number;
    p.name = path + "#p" + std::to_string(p.number);
    p.offset = part->start * block;
    p.length = part->len * block;
    p.description = part->desc ? part->desc : "";
    if (out.size && p.offset + p.length > out.size) {
      p.error = p.name + ": " + where(p) + " ends past the end of the image (" + std::to_string(out.size) +
                " bytes): the image is truncated or the partition table is wrong";
      out.partitions.push_back(std::move(p));
      continue;
    }
    TSK_FS_INFO* fs = tsk_fs_open_vol(part, TSK_FS_TYPE_DETECT);
    if (!fs) {
      p.error = p.name + ": " + where(p) + ": no file system recognised: " + tsk_says();
    } else {
      attach(p, handle, fs);
    }
    out.partitions.push_back(std::move(p));
  }
  if (out.partitions.empty()) out.error = path + ": the " + out.partition_table + " partition table lists no partition";
  if (handle->vs->vstype == TSK_VS_TYPE_DOS) number_as_nt_does(out.partitions, table_slot);
  return out;
}

}  // namespace hfa::image
