// Which container a disk image file is, by its signature (the name only
// confirms it), and the split raw reader. Formats this tool does not read are
// named as what they are, never taken for a raw disk without a file system.
#include "image/container.h"

#include <dirent.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "core/text.h"

namespace hfa::image {

uint32_t le32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | uint32_t(p[3]) << 24; }
uint64_t le64(const uint8_t* p) { return le32(p) | uint64_t(le32(p + 4)) << 32; }

namespace {

uint32_t be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
uint64_t be64(const uint8_t* p) { return uint64_t(be32(p)) << 32 | be32(p + 4); }

constexpr size_t kMaxRawSegments = 10000;

// Split raw: the segments laid end to end.
class RawDisk final : public Container {
 public:
  explicit RawDisk(std::vector<std::shared_ptr<ImageFile>> files) : files_(std::move(files)) {
    for (const auto& f : files_) size_ += f->size();
  }
  uint64_t size() const override { return size_; }
  std::vector<ImageFileInfo> files() const override {
    std::vector<ImageFileInfo> out;
    for (const auto& f : files_) out.push_back({f->name(), f->size()});
    return out;
  }
  uint64_t read(uint64_t offset, uint64_t length, uint8_t* out, std::string& error) override {
    uint64_t done = 0, start = 0;
    for (const auto& f : files_) {
      if (done == length) break;
      const uint64_t at = offset + done;
      if (at < start + f->size()) {
        const uint64_t n = std::min(length - done, start + f->size() - at);
        if (auto e = f->read(at - start, n, out + done); !e.empty()) {
          error = e;
          return done;
        }
        done += n;
      }
      start += f->size();
    }
    return done;
  }

 private:
  std::vector<std::shared_ptr<ImageFile>> files_;
  uint64_t size_ = 0;
};

std::string extension_of(const std::string& name) {
  const auto dot = name.rfind('.');
  return dot == std::string::npos ? "" : ascii_lower(name.substr(dot + 1));
}

bool three_digits(const std::string& ext) {
  return ext.size() == 3 && std::all_of(ext.begin(), ext.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string found_beside(const std::string& folder, const std::string& name) {
  const auto f = open_beside(folder, name);
  return f.file ? "found beside it" : f.absent ? "not found beside it" : f.error;
}

// name.001 and the segments after it, numbered by their names.
OpenedContainer open_split_raw(const std::string& path, std::shared_ptr<ImageFile> first) {
  OpenedContainer out;
  out.format = "raw";
  const std::string folder = folder_of(path), name = name_of(path);
  const std::string stem = name.substr(0, name.size() - 3);
  std::map<unsigned, bool> present;
  if (DIR* dir = ::opendir(folder.c_str())) {
    while (const dirent* entry = ::readdir(dir)) {
      const std::string n = entry->d_name;
      if (n.size() == name.size() && n.compare(0, stem.size(), stem) == 0 && three_digits(n.substr(stem.size())))
        present[static_cast<unsigned>(std::stoul(n.substr(stem.size())))] = true;
      if (present.size() > kMaxRawSegments) break;
    }
    ::closedir(dir);
  }
  std::vector<std::shared_ptr<ImageFile>> files{std::move(first)};
  const auto segment = [&](unsigned n) {
    std::string digits = std::to_string(n);
    return stem + std::string(3 - std::min<size_t>(3, digits.size()), '0') + digits;
  };
  unsigned n = 2;
  for (; n <= 999 && present.count(n); ++n) {
    auto f = open_beside(folder, segment(n));
    if (!f.file) {
      out.error = path + ": its segment " + f.error;
      return out;
    }
    files.push_back(f.file);
  }
  std::vector<std::string> missing, after;
  for (const auto& [k, _] : present)
    if (k > n) after.push_back(segment(k));
  if (!after.empty())
    out.incomplete.push_back(path + ": split raw segment " + folder_of(path) + "/" + segment(n) + " is missing (" +
                             std::to_string(after.size()) + " later segment" + (after.size() > 1 ? "s are" : " is") +
                             " there, from " + after.front() + "): the disk is read only up to it");
  out.container = std::make_unique<RawDisk>(std::move(files));
  return out;
}

std::string utf16be_name(const uint8_t* p, size_t bytes) {
  std::string out;
  for (size_t i = 0; i + 1 < bytes; i += 2) {
    const unsigned c = unsigned(p[i]) << 8 | p[i + 1];
    if (c == 0) break;
    out += c < 0x80 && c >= 0x20 ? static_cast<char>(c) : '?';
  }
  return out;
}

// A VHD: fixed and dynamic disks are read by TSK (libvhdi); a differencing
// one needs its parent, which is named, with whether it is beside it.
OpenedContainer open_vhd(const std::string& path, std::shared_ptr<ImageFile> file, const uint8_t* footer) {
  OpenedContainer out;
  out.format = "vhd";
  const uint32_t type = be32(footer + 60);
  if (type == 4) {
    const uint64_t dynamic = be64(footer + 16);
    uint8_t header[1024] = {};
    std::string parent;
    if (dynamic < file->size() && file->read(dynamic, sizeof header, header).empty() &&
        std::memcmp(header, "cxsparse", 8) == 0)
      parent = utf16be_name(header + 64, 512);
    const std::string parent_name = name_of(parent);
    out.error = path + ": a differencing VHD whose unchanged sectors are in its parent " +
                (parent.empty() ? std::string("(not named: damaged header)")
                                : "\"" + parent + "\" (" + found_beside(folder_of(path), parent_name) + ")") +
                ": differencing VHDs are not supported; merge it into its parent first";
    return out;
  }
  return open_vhdi(path, std::move(file), "vhd");
}

struct Unsupported {
  const char* ext;
  const char* what;
};

}  // namespace

OpenedContainer open_container(const std::string& path) {
  OpenedContainer out;
  auto opened = open_named(path);
  if (!opened.file) {
    out.error = opened.error;
    return out;
  }
  auto file = opened.file;
  uint8_t head[512] = {}, tail[512] = {};
  const uint64_t size = file->size();
  if (auto e = file->read(0, std::min<uint64_t>(size, sizeof head), head); !e.empty()) {
    out.error = e;
    return out;
  }
  if (size >= 512 && !file->read(size - 512, 512, tail).empty()) std::memset(tail, 0, sizeof tail);
  const auto starts = [&](const uint8_t* at, const char* sig, size_t n) { return std::memcmp(at, sig, n) == 0; };
  const std::string ext = extension_of(name_of(path));

  // Containers this tool does not read: said as such, with the way out.
  std::string unsupported;
  if (size >= 0x48 && starts(head, "<<< ", 4) && le32(head + 0x40) == 0xbeda107f)
    unsupported = "a VDI image (VirtualBox)";
  else if (size >= 512 && starts(tail, "koly", 4))
    unsupported = "a DMG image (Apple)";
  else if (starts(head, "EVF2\r\n\x81\x00", 8))
    unsupported = "an EWF2 (Ex01) image";
  else if (starts(head, "LVF\x09\x0d\x0a\xff\x00", 8))
    unsupported = "an EWF logical evidence file (L01), which holds files, not a disk,";
  else if (starts(head, "COWD", 4))
    unsupported = "a VMware ESX sparse disk (COWD)";
  if (!unsupported.empty()) {
    out.error = path + ": " + unsupported +
                ": not a format this tool reads (raw, split raw, E01, VMDK, VHD, VHDX, QCOW2); "
                "convert it to raw first (qemu-img convert -O raw, or ewfexport)";
    return out;
  }
  if (starts(head, "EVF\x09\x0d\x0a\xff\x00", 8)) {
    out.format = "ewf";
    const unsigned segment = head[9] | head[10] << 8;
    if (segment != 1) {
      const std::string name = name_of(path);
      const std::string first =
          name.size() > 3 ? name.substr(0, name.size() - 3) +
                                (std::islower(static_cast<unsigned char>(name[name.size() - 3])) ? "e01" : "E01")
                          : "";
      out.error = path + ": segment " + std::to_string(segment) +
                  " of a split EWF image: it is read from its first segment" +
                  (first.empty() ? std::string() : ", " + first + " (" + found_beside(folder_of(path), first) + ")") +
                  ", which brings the others: give that one";
      return out;
    }
    return open_ewf(path, file);
  }
  if (starts(head, "vhdxfile", 8)) return open_vhdi(path, file, "vhdx");
  if (starts(head, "QFI\xfb", 4)) return open_qcow(path, file, head[7] == 1 ? "qcow" : "qcow2");
  if (starts(head, "KDMV", 4) || starts(head, "# Disk DescriptorFile", 21)) return open_vmdk(path, file);
  if (starts(head, "conectix", 8)) return open_vhd(path, file, head);
  if (size >= 512 && starts(tail, "conectix", 8)) return open_vhd(path, file, tail);

  static const Unsupported named[] = {{"e01", "EWF"},     {"vmdk", "VMDK"}, {"vhd", "VHD"}, {"vhdx", "VHDX"},
                                      {"qcow2", "QCOW2"}, {"qcow", "QCOW"}, {"vdi", "VDI"}, {"dmg", "DMG"}};
  for (const auto& n : named)
    if (ext == n.ext) {
      out.format = ascii_lower(n.what);
      out.error = path + ": named ." + ext + " but without the " + n.what +
                  " signature: damaged or truncated, or not a " + n.what + " image";
      return out;
    }

  out.format = "raw";
  if (three_digits(ext) && ext != "001" && ext != "000") {
    const std::string first = name_of(path).substr(0, name_of(path).size() - 3) + "001";
    const auto f = open_beside(folder_of(path), first);
    if (f.file) {
      out.error = path + ": segment " + std::to_string(std::stoul(ext)) +
                  " of a split raw image: it is read from its first segment, " + first +
                  " (found beside it), which brings the others: give that one";
      return out;
    }
  }
  if (size == 512 && head[510] == 0x55 && head[511] == 0xAA) {
    out.error = path +
                ": 512 bytes, a disk's first sector alone (a boot "
                "sector or MBR) without the disk behind it: "
                "the image is truncated";
    return out;
  }
  if (ext == "001") return open_split_raw(path, file);
  out.container = std::make_unique<RawDisk>(std::vector<std::shared_ptr<ImageFile>>{file});
  return out;
}

namespace {

std::string digest_label(const std::string& name) {
  if (name == "md5") return "MD5";
  if (name == "sha1") return "SHA-1";
  if (name == "sha256") return "SHA-256";
  return name;
}

}  // namespace

Verification verify_container(Container& container, const std::vector<std::string>& algorithms) {
  Verification v;
  v.stored = container.stored_digests();
  auto names = algorithms;
  for (const auto& [name, value] : v.stored) names.push_back(name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  Digester digester(names);
  std::vector<uint8_t> buf(1 << 20);
  const uint64_t size = container.size();
  for (uint64_t at = 0; at < size;) {
    const uint64_t n = std::min<uint64_t>(buf.size(), size - at);
    std::string error;
    const uint64_t got = container.read(at, n, buf.data(), error);
    if (got != n) {
      v.error = error.empty() ? "the data ends at byte " + std::to_string(at + got) : error;
      break;
    }
    digester.update(buf.data(), n);
    at += n;
  }
  if (v.stored.empty()) {
    v.result = "this image format stores no digest of its data";
    if (v.error.empty()) v.computed = digester.finish();
    return v;
  }
  v.done = true;
  if (!v.error.empty()) {
    v.result = "FAILED: the data could not be read to the end to check the stored digests: " + v.error;
    return v;
  }
  v.computed = digester.finish();
  v.matches = true;
  for (const auto& [name, stored] : v.stored) {
    const auto& computed = v.computed[name];
    std::string part = "stored " + digest_label(name) + " " + stored;
    if (computed == stored) {
      part += " matches the data";
    } else {
      v.matches = false;
      part += " DIFFERS from the data's " + computed + ": the image was altered or damaged after acquisition";
    }
    v.result += (v.result.empty() ? "" : "; ") + part;
  }
  // Only the digests asked for are reported as computed.
  for (auto it = v.computed.begin(); it != v.computed.end();)
    it = std::find(algorithms.begin(), algorithms.end(), it->first) == algorithms.end() ? v.computed.erase(it)
                                                                                        : std::next(it);
  return v;
}

}  // namespace hfa::image
