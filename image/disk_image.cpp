// A disk image: its container read by the project's readers (container.h),
// its partition table and file systems by TSK, each NTFS or FAT one a Volume
// (tsk_volume.h).
#include "image/disk_image.h"

#include <tsk/libtsk.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <regex>
#include <set>
#include <tuple>

#include "core/text.h"
#include "image/container.h"
#include "image/tsk_volume.h"

namespace hfa::image {

namespace {

// TSK reads our containers through its "external image": a TSK_IMG_INFO
// first, then what the read callback needs.
struct ExternalImage {
  TSK_IMG_INFO info;
  Container* container;
  ReadFaults* faults;
};

ssize_t external_read(TSK_IMG_INFO* img, TSK_OFF_T offset, char* buf, size_t length) {
  auto* e = reinterpret_cast<ExternalImage*>(img);
  const uint64_t size = e->container->size();
  if (offset < 0 || static_cast<uint64_t>(offset) >= size) return 0;
  length = static_cast<size_t>(std::min<uint64_t>(length, size - static_cast<uint64_t>(offset)));
  std::string error;
  const uint64_t got =
      e->container->read(static_cast<uint64_t>(offset), length, reinterpret_cast<uint8_t*>(buf), error);
  if (!error.empty()) e->faults->add(error);
  if (got > 0) return static_cast<ssize_t>(got);  // short: the next read names the fault
  tsk_error_reset();
  tsk_error_set_errno(TSK_ERR_IMG_READ);
  tsk_error_set_errstr("%s", error.c_str());
  return -1;
}

void external_close(TSK_IMG_INFO* img) { delete reinterpret_cast<ExternalImage*>(img); }

void external_imgstat(TSK_IMG_INFO*, FILE*) {}

// The container, the TSK image over it and the partition table, shared by the
// volumes opened on it so that it outlives the last of them.
struct ImageHandle {
  std::unique_ptr<Container> container;
  std::shared_ptr<ReadFaults> faults;
  TSK_IMG_INFO* img = nullptr;
  TSK_VS_INFO* vs = nullptr;
  ~ImageHandle() {
    if (vs) tsk_vs_close(vs);
    if (img) tsk_img_close(img);
  }
};

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
  p.volume = make_tsk_volume(p.name, handle, fs);
}

std::string where(const Partition& p) {
  return "partition " + std::to_string(p.number) + " (" + p.description + ", at byte " + std::to_string(p.offset) +
         ", " + std::to_string(p.length) + " bytes)";
}

// GPT partition types by GUID, as the GPT's entries give them (TSK shows the
// partition's own name only).
std::string gpt_type_name(const std::string& guid) {
  static const std::map<std::string, std::string> names = {
      {"EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "Microsoft basic data"},
      {"E3C9E316-0B5C-4DB8-817D-F92DF00215AE", "Microsoft reserved"},
      {"DE94BBA4-06D1-4D40-A16A-BFD50179D6AC", "Windows recovery"},
      {"5808C8AA-7E8F-42E0-85D2-E1E90434CFB3", "Windows LDM metadata"},
      {"AF9B60A0-1431-4F62-BC68-3311714A69AD", "Windows LDM data"},
      {"C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EFI system"},
      {"21686148-6449-6E6F-744E-656564454649", "BIOS boot"},
      {"0FC63DAF-8483-4772-8E79-3D69D8477DE4", "Linux file system"},
      {"0657FD6D-A4AB-43C4-84E5-0933C84B4F4F", "Linux swap"},
      {"E6D6D379-F507-44C2-A23C-238F2A3DF928", "Linux LVM"},
      {"A19D880F-05FC-4D3B-A006-743F0F84911E", "Linux RAID"},
      {"48465300-0000-11AA-AA11-00306543ECAC", "Apple HFS+"},
      {"516E7CB4-6ECF-11D6-8FF8-00022D09712B", "FreeBSD data"},
  };
  const auto it = names.find(guid);
  return it == names.end() ? "unknown type" : it->second;
}

std::string guid_text(const uint8_t* g) {
  char out[37];
  std::snprintf(out, sizeof out, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X", le32(g),
                static_cast<unsigned>(g[4] | g[5] << 8), static_cast<unsigned>(g[6] | g[7] << 8), g[8], g[9], g[10],
                g[11], g[12], g[13], g[14], g[15]);
  return out;
}

// First sector -> "GPT Microsoft basic data (EBD0A0A2-...)", from the GPT's
// entries.
std::map<uint64_t, std::string> gpt_types(TSK_IMG_INFO* img, uint64_t sector) {
  std::map<uint64_t, std::string> out;
  uint8_t h[512];
  if (tsk_img_read(img, static_cast<TSK_OFF_T>(sector), reinterpret_cast<char*>(h), sizeof h) != sizeof h ||
      std::memcmp(h, "EFI PART", 8) != 0) {
    tsk_error_reset();
    return out;
  }
  const uint64_t entries = le64(h + 72);
  const uint32_t count = std::min<uint32_t>(le32(h + 80), 1024), size = le32(h + 84);
  if (size < 128 || size > 4096) return out;
  std::vector<uint8_t> e(size);
  for (uint32_t i = 0; i < count; ++i) {
    if (tsk_img_read(img, static_cast<TSK_OFF_T>(entries * sector + uint64_t(i) * size),
                     reinterpret_cast<char*>(e.data()), size) != static_cast<ssize_t>(size)) {
      tsk_error_reset();
      break;
    }
    static const uint8_t zero[16] = {};
    if (std::memcmp(e.data(), zero, 16) == 0) continue;
    const auto guid = guid_text(e.data());
    out[le64(&e[32])] = "GPT " + gpt_type_name(guid) + " (" + guid + ")";
  }
  return out;
}

// A partition whose type says it holds a Windows file system (FAT, NTFS,
// their hidden and fault-tolerant variants, GPT basic data): one that cannot
// be read is an error, any other is listed as not scanned.
bool typed_for_windows(const std::string& description) {
  static const std::regex dos(R"(\(0x([0-9a-fA-F]{2})\)$)");
  std::smatch m;
  if (std::regex_search(description, m, dos)) {
    switch (std::stoi(m[1].str(), nullptr, 16) & 0x6f) {  // the hidden (0x10) and FT (0x80) bits aside
      case 0x01:
      case 0x04:
      case 0x06:
      case 0x07:
      case 0x0b:
      case 0x0c:
      case 0x0e:
        return true;
      default:
        return false;
    }
  }
  if (description.rfind("GPT ", 0) == 0) return description.find("Microsoft basic data") != std::string::npos;
  return true;  // a table whose types we do not know: assume it could
}

bool extended_type(uint8_t t) { return t == 0x05 || t == 0x0f || t == 0x85; }

// The logical drives of the MBR's extended-partition chain, counted up to
// `limit` + 1 before TSK is given the table: TSK walks the whole chain with
// work that grows with the square of its length.
uint64_t logical_drives(TSK_IMG_INFO* img, uint64_t limit) {
  uint8_t s[512];
  if (tsk_img_read(img, 0, reinterpret_cast<char*>(s), sizeof s) != sizeof s || s[510] != 0x55 || s[511] != 0xaa) {
    tsk_error_reset();
    return 0;
  }
  uint64_t base = 0;
  for (int i = 0; i < 4 && !base; ++i)
    if (extended_type(s[446 + 16 * i + 4])) base = le32(s + 446 + 16 * i + 8);
  uint64_t count = 0, at = base;
  std::set<uint64_t> seen;
  while (base && count <= limit && seen.insert(at).second) {
    if (tsk_img_read(img, static_cast<TSK_OFF_T>(at * 512), reinterpret_cast<char*>(s), sizeof s) != sizeof s ||
        s[510] != 0x55 || s[511] != 0xaa) {
      tsk_error_reset();
      break;
    }
    if (s[446 + 4] != 0) ++count;
    if (!extended_type(s[446 + 16 + 4])) break;
    at = base + le32(s + 446 + 16 + 8);
  }
  return count;
}

// An MBR whose chain is over the cap: its primary partitions only, opened
// by offset, and the chain named as not examined.
void primary_partitions_only(DiskImage& out, const std::shared_ptr<ImageHandle>& handle, uint64_t logicals) {
  uint8_t s[512];
  tsk_img_read(handle->img, 0, reinterpret_cast<char*>(s), sizeof s);
  int number = 0;
  for (int i = 0; i < 4; ++i) {
    const uint8_t* e = s + 446 + 16 * i;
    if (e[4] == 0 || extended_type(e[4])) continue;
    Partition p;
    p.number = ++number;
    p.arc_number = p.number;  // primaries only: NT counts them in slot order
    p.name = out.path + "#p" + std::to_string(p.number);
    p.offset = uint64_t(le32(e + 8)) * 512;
    p.length = uint64_t(le32(e + 12)) * 512;
    char type[8];
    std::snprintf(type, sizeof type, "0x%02x", e[4]);
    p.description = std::string("DOS primary partition (") + type + ")";
    if (p.offset + p.length > out.size) {
      p.error = p.name + ": " + where(p) + " ends past the end of the image (" + std::to_string(out.size) +
                " bytes): the image is truncated or the partition table is wrong";
    } else if (TSK_FS_INFO* fs = tsk_fs_open_img(handle->img, static_cast<TSK_OFF_T>(p.offset), TSK_FS_TYPE_DETECT)) {
      attach(p, handle, fs);
    } else if (typed_for_windows(p.description)) {
      p.error = p.name + ": " + where(p) + ": no file system recognised: " + tsk_says();
    } else {
      tsk_error_reset();
      p.skipped =
          "no file system recognised, and its type (" + p.description + ") is not one Windows NT is installed on";
    }
    out.partitions.push_back(std::move(p));
  }
  Partition chain;
  chain.number = number + 1;
  chain.name = out.path + "#p" + std::to_string(chain.number);
  chain.description = "extended partition";
  chain.error = out.path + ": the dos partition table chains over " + std::to_string(logicals - 1) +
                " logical drives in its extended partition, over the limit of " + std::to_string(kMaxPartitions) +
                " partitions per image (a damaged or hostile table): its logical drives "
                "are not examined";
  out.partitions.push_back(std::move(chain));
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
  auto opened = open_container(path);
  out.format = opened.format;
  out.incomplete = opened.incomplete;
  if (opened.container) {
    out.files = opened.container->files();
    out.stored_digests = opened.container->stored_digests();
  }
  if (!opened.error.empty()) {
    out.error = opened.error;
    return out;
  }
  auto handle = std::make_shared<ImageHandle>();
  handle->faults = out.faults;
  auto* ext = new ExternalImage{};
  ext->container = opened.container.get();
  ext->faults = out.faults.get();
  handle->container = std::move(opened.container);
  handle->img = tsk_img_open_external(ext, static_cast<TSK_OFF_T>(handle->container->size()), 512, external_read,
                                      external_close, external_imgstat);
  if (!handle->img) {
    delete ext;
    out.error = path + ": TSK cannot take the image: " + tsk_says();
    return out;
  }
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
      out.error = path + ": cannot read the first " + std::to_string(head.size()) + " bytes of the disk (" +
                  out.format + " image damaged or truncated?): " + tsk_says();
      for (const auto& i : out.incomplete) out.error += "; " + i;
      out.incomplete.clear();
      return out;
    }
  }

  if (const auto logicals = logical_drives(handle->img, kMaxPartitions); logicals > kMaxPartitions) {
    out.partition_table = "dos";
    primary_partitions_only(out, handle, logicals);
    return out;
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
      out.error = path +
                  ": neither a partition table nor a file system (NTFS, FAT) "
                  "at byte 0: " +
                  fs_error;
      return out;
    }
    attach(p, handle, fs);
    out.partitions.push_back(std::move(p));
    return out;
  }
  const char* vs_name = tsk_vs_type_toname(handle->vs->vstype);
  out.partition_table = vs_name ? vs_name : "unknown";
  const uint64_t block = handle->vs->block_size;
  const auto gpt = out.partition_table == "gpt" ? gpt_types(handle->img, block) : std::map<uint64_t, std::string>{};
  int number = 0;
  std::vector<std::pair<int, int>> table_slot;  // per partition: TSK's table (0: the MBR) and slot
  // The table's own list, walked once (tsk_vs_part_get walks it from the
  // start).
  for (const TSK_VS_PART_INFO* part = handle->vs->part_list; part; part = part->next) {
    if (!(part->flags & TSK_VS_PART_FLAG_ALLOC)) continue;
    if (number == kMaxPartitions) {
      uint64_t more = 0;
      for (const TSK_VS_PART_INFO* q = part; q; q = q->next)
        if (q->flags & TSK_VS_PART_FLAG_ALLOC) ++more;
      Partition p;
      p.number = number + 1;
      p.name = path + "#p" + std::to_string(p.number);
      p.description = "partitions past the " + std::to_string(kMaxPartitions) + "th";
      p.error = path + ": the " + out.partition_table + " partition table lists " + std::to_string(number + more) +
                " partitions, over the limit of " + std::to_string(kMaxPartitions) +
                " per image (a damaged or hostile table): partitions " + std::to_string(number + 1) + " to " +
                std::to_string(number + more) + " are not examined";
      out.partitions.push_back(std::move(p));
      table_slot.emplace_back(INT32_MAX, INT32_MAX);
      break;
    }
    table_slot.emplace_back(part->table_num, part->slot_num);
    Partition p;
    p.number = ++number;
    p.name = path + "#p" + std::to_string(p.number);
    p.offset = part->start * block;
    p.length = part->len * block;
    p.description = part->desc ? part->desc : "";
    if (const auto it = gpt.find(part->start); it != gpt.end())
      p.description = it->second + (p.description.empty() ? "" : ", named \"" + p.description + "\"");
    if (out.size && p.offset + p.length > out.size) {
      p.error = p.name + ": " + where(p) + " ends past the end of the image (" + std::to_string(out.size) +
                " bytes): the image is truncated or the partition table is wrong";
      out.partitions.push_back(std::move(p));
      continue;
    }
    TSK_FS_INFO* fs = tsk_fs_open_vol(part, TSK_FS_TYPE_DETECT);
    if (fs) {
      attach(p, handle, fs);
    } else if (typed_for_windows(p.description)) {
      p.error = p.name + ": " + where(p) + ": no file system recognised: " + tsk_says();
    } else {
      tsk_error_reset();
      p.skipped =
          "no file system recognised, and its type (" + p.description + ") is not one Windows NT is installed on";
    }
    out.partitions.push_back(std::move(p));
  }
  if (out.partitions.empty()) out.error = path + ": the " + out.partition_table + " partition table lists no partition";
  if (handle->vs->vstype == TSK_VS_TYPE_DOS) number_as_nt_does(out.partitions, table_slot);
  return out;
}

ImageVerification verify_disk_image(const std::string& path, const std::vector<std::string>& algorithms) {
  ImageVerification out;
  auto opened = open_container(path);
  if (!opened.error.empty()) {
    out.result = "not verified: " + opened.error;
    out.error = opened.error;
    return out;
  }
  auto v = verify_container(*opened.container, algorithms);
  out.done = v.done;
  out.matches = v.matches;
  out.result = std::move(v.result);
  out.stored = std::move(v.stored);
  out.computed = std::move(v.computed);
  out.error = std::move(v.error);
  return out;
}

}  // namespace hfa::image
