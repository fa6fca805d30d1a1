// VMDK read by the project itself: a sparse extent (the "KDMV" header of
// monolithicSparse and streamOptimized disks, and of the extents of split
// sparse disks) is read from the file it is in, whatever its name and
// whatever file its embedded descriptor names; a descriptor file's extents
// are opened beside it (image_files.h: never through a link leading out),
// and one that is not there is an error naming it. Grains that lie past the
// end of a cut file are counted when the disk is opened and are read errors,
// never zeros.
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <sstream>

#include "core/text.h"
#include "image/container.h"

namespace hfa::image {
namespace {

constexpr uint64_t kSector = 512;
constexpr uint32_t kMagic = 0x564d444b;  // "KDMV"
constexpr uint64_t kGdAtEnd = ~uint64_t(0);
constexpr uint32_t kFlagCompressed = 1u << 16;

std::string bytes_range(uint64_t from, uint64_t length) {
  return "disk bytes " + std::to_string(from) + "-" + std::to_string(from + length - 1);
}

// Ranges of the disk that cannot be read, merged as they are added.
struct Gaps {
  std::vector<std::pair<uint64_t, uint64_t>> ranges;  // [from, to)
  uint64_t count = 0;
  void add(uint64_t from, uint64_t length) {
    ++count;
    if (!ranges.empty() && ranges.back().second == from)
      ranges.back().second += length;
    else
      ranges.emplace_back(from, from + length);
  }
  std::string where() const {
    std::string out;
    for (size_t i = 0; i < ranges.size() && i < 5; ++i)
      out += (i ? ", " : "") + bytes_range(ranges[i].first, ranges[i].second - ranges[i].first);
    if (ranges.size() > 5) out += " and " + std::to_string(ranges.size() - 5) + " more ranges";
    return out;
  }
};

// One sparse extent file: its grain directory, grain tables read on demand.
class SparseExtent {
 public:
  // "" or why the file is not a readable sparse extent.
  std::string open(std::shared_ptr<ImageFile> file) {
    file_ = std::move(file);
    uint8_t h[kSector];
    if (auto e = file_->read(0, kSector, h); !e.empty()) return e;
    if (le32(h) != kMagic) return file_->name() + ": no sparse VMDK header (KDMV) at byte 0";
    if (!parse(h)) return file_->name() + ": " + why_;
    if (gd_sector_ == kGdAtEnd) {
      // streamOptimized: the header written first has no directory yet; the
      // footer, a copy of the header 1024 bytes before the end, has it.
      uint8_t f[kSector];
      if (file_->size() < 3 * kSector || !file_->read(file_->size() - 2 * kSector, kSector, f).empty() ||
          le32(f) != kMagic || !parse(f) || gd_sector_ == kGdAtEnd)
        return file_->name() +
               ": a streamOptimized VMDK without its footer "
               "(the end of the file is missing: "
               "the file is truncated)";
    }
    const uint64_t span = grain_bytes_ * entries_per_table_;
    const uint64_t tables = (capacity_ + span - 1) / span;
    if (gd_sector_ > file_->size() / kSector || tables * 4 > file_->size() - gd_sector_ * kSector)
      return file_->name() + ": the grain directory (at byte " + std::to_string(gd_sector_ * kSector) + ", " +
             std::to_string(tables * 4) + " bytes) lies past the end of the file (" + std::to_string(file_->size()) +
             " bytes): the file is truncated";
    std::vector<uint8_t> gd(tables * 4);
    if (auto e = file_->read(gd_sector_ * kSector, gd.size(), gd.data()); !e.empty()) return e;
    directory_.resize(tables);
    for (uint64_t i = 0; i < tables; ++i) directory_[i] = le32(&gd[i * 4]);
    find_missing();
    return "";
  }

  uint64_t size() const { return capacity_; }
  const Gaps& missing() const { return missing_; }
  std::string descriptor() const {
    if (desc_sector_ == 0 || desc_sectors_ == 0 || desc_sectors_ > 2048) return "";
    std::string text(desc_sectors_ * kSector, '\0');
    if (!file_->read(desc_sector_ * kSector, text.size(), text.data()).empty()) return "";
    return text.substr(0, text.find('\0'));
  }

  uint64_t read(uint64_t offset, uint64_t length, uint8_t* out, std::string& error) {
    uint64_t done = 0;
    while (done < length) {
      const uint64_t at = offset + done, grain = at / grain_bytes_, within = at % grain_bytes_;
      const uint64_t n = std::min(length - done, grain_bytes_ - within);
      if (auto e = read_in_grain(grain, within, n, out + done); !e.empty()) {
        error = file_->name() + ": " + bytes_range(grain * grain_bytes_, grain_bytes_) + " (grain " +
                std::to_string(grain) + "): " + e;
        return done;
      }
      done += n;
    }
    return done;
  }

 private:
  bool parse(const uint8_t* h) {
    flags_ = le32(h + 8);
    const uint64_t capacity = le64(h + 12), grain = le64(h + 20);
    desc_sector_ = le64(h + 28);
    desc_sectors_ = le64(h + 36);
    entries_per_table_ = le32(h + 44);
    gd_sector_ = le64(h + 56);
    compression_ = static_cast<uint16_t>(h[77] | h[78] << 8);
    // Bounds that any real disk keeps (VMware writes 128-sector grains and
    // 512-entry tables): beyond them the header is damaged or hostile.
    if (grain == 0 || grain > 2048 || entries_per_table_ == 0 || entries_per_table_ > 65536 ||
        capacity > (uint64_t(1) << 42)) {
      why_ = "the sparse header's geometry is impossible (grain " + std::to_string(grain) + " sectors, " +
             std::to_string(entries_per_table_) + " entries per grain table, " + std::to_string(capacity) +
             " sectors): damaged";
      return false;
    }
    if ((flags_ & kFlagCompressed) && compression_ != 1) {
      why_ = "grains compressed with an unknown algorithm (" + std::to_string(compression_) + ")";
      return false;
    }
    capacity_ = capacity * kSector;
    grain_bytes_ = grain * kSector;
    return true;
  }

  bool compressed() const { return flags_ & kFlagCompressed; }

  // The bytes a grain takes in the file from its sector: the grain itself, or
  // for a compressed one its marker (LBA, size) and the size it gives.
  uint64_t stored_bytes(uint32_t sector) const {
    if (!compressed()) return grain_bytes_;
    uint8_t marker[12];
    if (!file_->read(uint64_t(sector) * kSector, sizeof marker, marker).empty()) return ~uint64_t(0);
    return 12 + le32(marker + 8);
  }

  bool in_file(uint64_t from, uint64_t length) const { return from <= file_->size() && length <= file_->size() - from; }

  const std::vector<uint32_t>* table(uint64_t index, std::string* why) {
    const uint32_t sector = directory_[index];
    if (auto it = tables_.find(sector); it != tables_.end()) return &it->second;
    // Checked before anything is allocated: a damaged directory may point
    // every entry past the end, and each read would pay for it again.
    if (!in_file(uint64_t(sector) * kSector, uint64_t(entries_per_table_) * 4)) {
      if (why)
        *why = "its grain table (at byte " + std::to_string(uint64_t(sector) * kSector) +
               ") lies past the end of the file: the file is truncated";
      return nullptr;
    }
    std::vector<uint8_t> raw(uint64_t(entries_per_table_) * 4);
    if (auto e = file_->read(uint64_t(sector) * kSector, raw.size(), raw.data()); !e.empty()) {
      if (why) *why = e;
      return nullptr;
    }
    auto& t = tables_[sector];
    t.resize(entries_per_table_);
    for (uint32_t i = 0; i < entries_per_table_; ++i) t[i] = le32(&raw[i * 4]);
    return &t;
  }

  void find_missing() {
    const uint64_t span = grain_bytes_ * entries_per_table_;
    for (uint64_t d = 0; d < directory_.size(); ++d) {
      if (directory_[d] == 0) continue;
      const auto* t = table(d, nullptr);
      if (!t) {
        missing_.add(d * span, std::min(span, capacity_ - d * span));
        continue;
      }
      for (uint64_t i = 0; i < t->size() && d * span + i * grain_bytes_ < capacity_; ++i) {
        const uint32_t s = (*t)[i];
        if (s > 1 && !in_file(uint64_t(s) * kSector, stored_bytes(s)))
          missing_.add(d * span + i * grain_bytes_, grain_bytes_);
      }
    }
  }

  std::string read_in_grain(uint64_t grain, uint64_t within, uint64_t n, uint8_t* out) {
    const uint64_t d = grain / entries_per_table_;
    if (d >= directory_.size() || directory_[d] == 0) {
      std::memset(out, 0,
                  n);  // never written: reads as zeros, as VMware reads it
      return "";
    }
    std::string why;
    const auto* t = table(d, &why);
    if (!t) return why;
    const uint32_t s = (*t)[grain % entries_per_table_];
    if (s <= 1) {  // 0: never written; 1: written as zeros
      std::memset(out, 0, n);
      return "";
    }
    const uint64_t at = uint64_t(s) * kSector;
    if (!compressed()) {
      if (!in_file(at, grain_bytes_))
        return "the grain lies past the end of the file (" + std::to_string(file_->size()) +
               " bytes): the file is truncated";
      return file_->read(at + within, n, out);
    }
    if (cached_grain_ != grain) {
      const uint64_t stored = stored_bytes(s);
      if (stored == ~uint64_t(0) || !in_file(at, stored))
        return "the grain lies past the end of the file (" + std::to_string(file_->size()) +
               " bytes): the file is truncated";
      if (stored - 12 > 2 * grain_bytes_ + 1024) return "a compressed grain larger than the grain: damaged";
      std::vector<uint8_t> packed(stored - 12);
      if (auto e = file_->read(at + 12, packed.size(), packed.data()); !e.empty()) return e;
      grain_.assign(grain_bytes_, 0);
      uLongf size = static_cast<uLongf>(grain_bytes_);
      const int z = ::uncompress(grain_.data(), &size, packed.data(), static_cast<uLong>(packed.size()));
      if (z != Z_OK && z != Z_BUF_ERROR) {
        cached_grain_ = ~uint64_t(0);
        return "the compressed grain does not decompress (zlib error " + std::to_string(z) + "): damaged";
      }
      cached_grain_ = grain;
    }
    std::memcpy(out, grain_.data() + within, n);
    return "";
  }

  std::shared_ptr<ImageFile> file_;
  uint32_t flags_ = 0;
  uint16_t compression_ = 0;
  uint64_t capacity_ = 0, grain_bytes_ = 0, desc_sector_ = 0, desc_sectors_ = 0, gd_sector_ = 0;
  uint32_t entries_per_table_ = 0;
  std::vector<uint32_t> directory_;
  std::map<uint32_t, std::vector<uint32_t>> tables_;
  std::vector<uint8_t> grain_;
  uint64_t cached_grain_ = ~uint64_t(0);
  Gaps missing_;
  std::string why_;
};

// A descriptor's extent line: RW 16384 FLAT "disk-flat.vmdk" 0
struct ExtentLine {
  uint64_t sectors = 0;
  std::string type, file;
  uint64_t offset = 0;
};

struct Descriptor {
  std::string create_type;
  std::string parent_hint;  // parentFileNameHint of a differencing (child) disk
  bool child = false;       // parentCID is not ffffffff
  std::vector<ExtentLine> extents;
  std::string error;
};

std::string value_of(const std::string& line) {
  auto v = line.substr(line.find('=') + 1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(0, 1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\r' || v.back() == '\t')) v.pop_back();
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return v;
}

Descriptor parse_descriptor(const std::string& text) {
  Descriptor d;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line) && ++number < 10000) {
    const auto key = ascii_lower(line.substr(0, line.find('=')));
    if (key.rfind("createtype", 0) == 0) d.create_type = value_of(line);
    if (key.rfind("parentfilenamehint", 0) == 0) d.parent_hint = value_of(line);
    if (key.rfind("parentcid", 0) == 0) d.child = ascii_lower(value_of(line)) != "ffffffff";
    if (line.rfind("RW ", 0) == 0 || line.rfind("RDONLY ", 0) == 0 || line.rfind("NOACCESS ", 0) == 0) {
      ExtentLine e;
      std::istringstream words(line);
      std::string access, sectors;
      words >> access >> sectors >> e.type;
      const auto q1 = line.find('"'), q2 = line.rfind('"');
      if (q1 != std::string::npos && q2 > q1) e.file = line.substr(q1 + 1, q2 - q1 - 1);
      if (q2 != std::string::npos && q2 + 1 < line.size()) {
        std::istringstream rest(line.substr(q2 + 1));
        rest >> e.offset;
      }
      char* end = nullptr;
      e.sectors = std::strtoull(sectors.c_str(), &end, 10);
      if (sectors.empty() || *end || e.sectors > (uint64_t(1) << 40)) {
        d.error = "line " + std::to_string(number) + ": an extent line without a sector count: \"" + line + "\"";
        return d;
      }
      d.extents.push_back(e);
    }
  }
  return d;
}

// The extents of a disk laid end to end.
class VmdkDisk final : public Container {
 public:
  struct Part {
    uint64_t bytes = 0;
    std::shared_ptr<ImageFile> flat;  // FLAT / VMFS: raw bytes from `offset`
    uint64_t offset = 0;
    std::unique_ptr<SparseExtent> sparse;  // SPARSE
  };                                       // neither: ZERO
  std::vector<Part> parts;

  uint64_t size() const override {
    uint64_t total = 0;
    for (const auto& p : parts) total += p.bytes;
    return total;
  }
  uint64_t read(uint64_t offset, uint64_t length, uint8_t* out, std::string& error) override {
    uint64_t done = 0, start = 0;
    for (auto& p : parts) {
      if (done == length) break;
      const uint64_t at = offset + done;
      if (at >= start + p.bytes) {
        start += p.bytes;
        continue;
      }
      const uint64_t within = at - start, n = std::min(length - done, p.bytes - within);
      if (p.sparse) {
        const uint64_t got = within < p.sparse->size()
                                 ? p.sparse->read(within, std::min(n, p.sparse->size() - within), out + done, error)
                                 : 0;
        if (!error.empty()) return done + got;
        std::memset(out + done + got, 0,
                    n - got);  // past the extent's own capacity
      } else if (p.flat) {
        if (auto e = p.flat->read(p.offset + within, n, out + done); !e.empty()) {
          error = e + " (" + bytes_range(at, n) + ")";
          return done;
        }
      } else {
        std::memset(out + done, 0, n);
      }
      done += n;
      start += p.bytes;
    }
    return done;
  }
};

void note_missing(const SparseExtent& e, const std::string& name, std::vector<std::string>& incomplete) {
  if (e.missing().count == 0) return;
  incomplete.push_back(name + ": " + std::to_string(e.missing().count) +
                       (e.missing().count == 1 ? " grain lies" : " grains lie") +
                       " past the end of the file (the file is truncated): " + e.missing().where() + " cannot be read");
}

OpenedContainer from_descriptor(const std::string& path, const Descriptor& d) {
  OpenedContainer out;
  out.format = "vmdk";
  if (!d.error.empty()) {
    out.error = path + ": the VMDK descriptor is damaged: " + d.error;
    return out;
  }
  const std::string folder = folder_of(path);
  if (d.child) {
    std::string parent = d.parent_hint.empty() ? "a parent it does not name" : "\"" + d.parent_hint + "\"";
    if (!d.parent_hint.empty()) {
      const auto p = open_beside(folder, d.parent_hint);
      parent += p.file ? " (found beside it)" : p.absent ? " (not found beside it)" : " (" + p.error + ")";
    }
    out.error = path +
                ": a differencing (child) VMDK whose unchanged sectors are in "
                "its parent " +
                parent +
                ": differencing VMDKs are not supported; convert the chain to "
                "one disk (qemu-img convert)";
    return out;
  }
  if (d.extents.empty()) {
    out.error = path + ": the VMDK descriptor lists no extent";
    return out;
  }
  auto disk = std::make_unique<VmdkDisk>();
  for (size_t i = 0; i < d.extents.size(); ++i) {
    const auto& x = d.extents[i];
    VmdkDisk::Part part;
    part.bytes = x.sectors * kSector;
    const std::string which = "extent " + std::to_string(i + 1) + " (\"" + x.file + "\", " + x.type + ", " +
                              std::to_string(part.bytes) + " bytes)";
    if (x.type == "ZERO") {
      disk->parts.push_back(std::move(part));
      continue;
    }
    if (x.type != "FLAT" && x.type != "VMFS" && x.type != "SPARSE") {
      out.error = path + ": " + which + " is of a kind this tool does not read";
      return out;
    }
    auto f = open_beside(folder, x.file);
    if (!f.file) {
      out.error = path + ": " + which + " cannot be opened: " + f.error;
      return out;
    }
    if (x.type == "SPARSE") {
      part.sparse = std::make_unique<SparseExtent>();
      if (auto e = part.sparse->open(f.file); !e.empty()) {
        out.error = path + ": " + which + ": " + e;
        return out;
      }
      note_missing(*part.sparse, f.file->name(), out.incomplete);
    } else {
      part.flat = f.file;
      part.offset = x.offset * kSector;
      if (part.offset > f.file->size() || part.bytes > f.file->size() - part.offset)
        out.incomplete.push_back(f.file->name() + ": " + std::to_string(f.file->size()) + " bytes, short of the " +
                                 std::to_string(part.offset + part.bytes) +
                                 " its descriptor gives: the file is truncated");
    }
    disk->parts.push_back(std::move(part));
  }
  out.container = std::move(disk);
  return out;
}

}  // namespace

OpenedContainer open_vmdk(const std::string& path, std::shared_ptr<ImageFile> file) {
  uint8_t head[4] = {};
  if (file->size() >= 4) file->read(0, 4, head);
  if (le32(head) != kMagic) {
    // A descriptor file: text naming the extents.
    if (file->size() > (1 << 20)) {
      OpenedContainer out;
      out.format = "vmdk";
      out.error = path +
                  ": neither a sparse VMDK (KDMV) nor a descriptor file "
                  "(over 1 MiB of text)";
      return out;
    }
    std::string text(file->size(), '\0');
    file->read(0, text.size(), text.data());
    return from_descriptor(path, parse_descriptor(text));
  }
  OpenedContainer out;
  out.format = "vmdk";
  auto extent = std::make_unique<SparseExtent>();
  if (auto e = extent->open(file); !e.empty()) {
    out.error = e;
    return out;
  }
  const auto text = extent->descriptor();
  if (text.empty()) {
    out.error = path +
                ": a sparse VMDK extent without a descriptor: it is one "
                "piece of a split disk; give the "
                "disk's descriptor file (.vmdk) instead";
    return out;
  }
  const auto d = parse_descriptor(text);
  if (d.child || !d.error.empty()) return from_descriptor(path, d);
  // A monolithic disk is this one file, whatever name its descriptor gives it.
  if (d.extents.size() > 1) {
    out.error = path + ": its embedded descriptor lists " + std::to_string(d.extents.size()) +
                " extents; a single-file VMDK has one";
    return out;
  }
  note_missing(*extent, path, out.incomplete);
  auto disk = std::make_unique<VmdkDisk>();
  VmdkDisk::Part part;
  part.bytes = extent->size();
  part.sparse = std::move(extent);
  disk->parts.push_back(std::move(part));
  out.container = std::move(disk);
  return out;
}

}  // namespace hfa::image
