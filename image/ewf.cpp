// EWF (.E01) through libewf, opened by the project so that the evidence is
// complete or says where it is not: the segments are found beside the first
// one (image_files.h: never through a link leading out), numbered by their
// headers rather than their names, and a gap in the numbering or a last
// segment that does not end the set ("next" rather than "done") names each
// missing segment. A chunk failing its checksum is a read error for the bytes
// it holds (libewf would give zeros), and --verify-image checks the MD5 and
// SHA-1 the acquisition stored.
#include <dirent.h>
#include <libewf.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>

#include "core/text.h"
#include "image/container.h"

namespace hfa::image {
namespace {

const char kSignature[8] = {'E', 'V', 'F', '\x09', '\x0d', '\x0a', '\xff', '\x00'};
constexpr size_t kMaxSegments = 4000;

std::string libewf_says(libewf_error_t*& error) {
  if (!error) return "no reason given";
  char text[1024] = {};
  libewf_error_sprint(error, text, sizeof text);
  libewf_error_free(&error);
  std::string out = text;
  for (auto& c : out)
    if (c == '\n') c = ' ';
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The file name of segment `n` of the image whose first segment is `first`
// (EWF's naming: .E01-.E99, then .EAA-.EZZ, .FAA...), in the case the first
// segment's extension is written in.
std::string segment_name(const std::string& first, uint32_t n) {
  const std::string stem = first.substr(0, first.size() - 3);
  const bool lower = first.back() != '\0' && std::islower(static_cast<unsigned char>(first[first.size() - 3]));
  std::string ext;
  if (n < 100) {
    ext = std::string(1, 'E') + char('0' + n / 10) + char('0' + n % 10);
  } else {
    const uint32_t k = n - 100;
    ext = std::string(1, char('E' + k / 676)) + char('A' + (k / 26) % 26) + char('A' + k % 26);
  }
  return stem + (lower ? ascii_lower(ext) : ext);
}

// How a segment's section chain ends: "done" (the last segment), "next"
// (more follow), or why it could not be followed.
std::string chain_end(const ImageFile& f, std::string& why) {
  uint64_t at = 13;
  for (int i = 0; i < 100000; ++i) {
    uint8_t d[76];
    if (at > f.size() || f.size() - at < sizeof d) {
      why = "it ends at byte " + std::to_string(f.size()) + " where a section was due at byte " + std::to_string(at) +
            ": the segment is truncated";
      return "";
    }
    if (auto e = f.read(at, sizeof d, d); !e.empty()) {
      why = e;
      return "";
    }
    const std::string type(reinterpret_cast<const char*>(d), strnlen(reinterpret_cast<const char*>(d), 16));
    if (type == "done" || type == "next") return type;
    const uint64_t next = le64(d + 16);
    if (next <= at) {
      why = "its section at byte " + std::to_string(at) + " (\"" + type + "\") points back to byte " +
            std::to_string(next) + ": damaged";
      return "";
    }
    at = next;
  }
  why = "over 100000 sections: damaged";
  return "";
}

class EwfDisk final : public Container {
 public:
  EwfDisk(libewf_handle_t* handle, uint64_t size, uint32_t sector, std::vector<std::shared_ptr<ImageFile>> files)
      : handle_(handle), size_(size), sector_(sector ? sector : 512), files_(std::move(files)) {}
  ~EwfDisk() override {
    libewf_error_t* error = nullptr;
    libewf_handle_close(handle_, &error);
    if (error) libewf_error_free(&error);
    libewf_handle_free(&handle_, nullptr);
  }
  uint64_t size() const override { return size_; }

  uint64_t read(uint64_t offset, uint64_t length, uint8_t* out, std::string& error) override {
    std::lock_guard<std::mutex> hold(mutex_);
    libewf_error_t* e = nullptr;
    const ssize_t got =
        libewf_handle_read_random(handle_, out, static_cast<size_t>(length), static_cast<off64_t>(offset), &e);
    if (got < 0) {
      error = "disk bytes " + std::to_string(offset) + "-" + std::to_string(offset + length - 1) +
              " cannot be read from the EWF image: " + libewf_says(e);
      return 0;
    }
    // libewf hands back a chunk that fails its checksum (as zeros, or as
    // stored) and only lists it: those bytes are not evidence.
    const uint64_t good = checksum_ok_until(offset, static_cast<uint64_t>(got), error);
    return good;
  }

  Digests stored_digests() override {
    Digests out;
    uint8_t md5[16], sha1[20];
    libewf_error_t* e = nullptr;
    if (libewf_handle_get_md5_hash(handle_, md5, sizeof md5, &e) == 1) out["md5"] = hex(md5, sizeof md5);
    if (e) libewf_error_free(&e);
    if (libewf_handle_get_sha1_hash(handle_, sha1, sizeof sha1, &e) == 1) out["sha1"] = hex(sha1, sizeof sha1);
    if (e) libewf_error_free(&e);
    return out;
  }

  std::vector<ImageFileInfo> files() const override {
    std::vector<ImageFileInfo> out;
    for (const auto& f : files_) out.push_back({f->name(), f->size()});
    return out;
  }

 private:
  // The bytes of [offset, offset + length) before the first sector of a
  // chunk libewf lists as failing its checksum; `error` names that chunk.
  uint64_t checksum_ok_until(uint64_t offset, uint64_t length, std::string& error) {
    uint32_t count = 0;
    libewf_error_t* e = nullptr;
    if (libewf_handle_get_number_of_checksum_errors(handle_, &count, &e) != 1) {
      if (e) libewf_error_free(&e);
      return length;
    }
    uint64_t good = length;
    for (uint32_t i = 0; i < count; ++i) {
      uint64_t first = 0, sectors = 0;
      if (libewf_handle_get_checksum_error(handle_, i, &first, &sectors, &e) != 1) {
        if (e) libewf_error_free(&e);
        continue;
      }
      const uint64_t from = first * sector_, to = (first + sectors) * sector_;
      if (to <= offset || from >= offset + length) continue;
      const uint64_t cut = from > offset ? from - offset : 0;
      if (cut < good) {
        good = cut;
        error = "disk bytes " + std::to_string(from) + "-" + std::to_string(to - 1) +
                " fail their EWF chunk checksum: the image is damaged there";
      }
    }
    return good;
  }

  libewf_handle_t* handle_;
  uint64_t size_;
  uint32_t sector_;
  std::vector<std::shared_ptr<ImageFile>> files_;  // held open: libewf reads them through /proc/self/fd
  std::mutex mutex_;
};

}  // namespace

OpenedContainer open_ewf(const std::string& path, std::shared_ptr<ImageFile> first) {
  OpenedContainer out;
  out.format = "ewf";
  const std::string folder = folder_of(path), first_name = name_of(path);
  // The set's segments: FIRST's stem with a three-character extension.
  std::map<uint32_t, std::shared_ptr<ImageFile>> segments;
  segments[1] = first;
  const std::string stem = first_name.size() > 4 ? first_name.substr(0, first_name.size() - 3) : "";
  if (!stem.empty() && stem.back() == '.') {
    if (DIR* dir = ::opendir(folder.c_str())) {
      size_t seen = 0;
      while (const dirent* entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name == first_name || name.size() != first_name.size() || name.compare(0, stem.size(), stem) != 0) continue;
        const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(name[stem.size()])));
        if (c < 'E' || c > 'Z') continue;
        if (++seen > kMaxSegments) {
          out.error = path + ": over " + std::to_string(kMaxSegments) + " files named as its segments: refused";
          ::closedir(dir);
          return out;
        }
        auto f = open_beside(folder, name);
        if (!f.file) {
          out.error = path + ": its segment " + f.error;
          ::closedir(dir);
          return out;
        }
        uint8_t head[13] = {};
        if (f.file->size() < sizeof head || !f.file->read(0, sizeof head, head).empty() ||
            std::memcmp(head, kSignature, 8) != 0)
          continue;  // not an EWF segment: a file that only shares the name
        const uint32_t n = head[9] | head[10] << 8;
        if (n == 0 || segments.count(n)) continue;
        segments[n] = f.file;
      }
      ::closedir(dir);
    }
  }
  const uint32_t last = segments.rbegin()->first;
  std::vector<std::string> missing;
  for (uint32_t n = 1; n < last; ++n)
    if (!segments.count(n)) missing.push_back(segment_name(path, n));
  std::string why;
  const auto end = chain_end(*segments.rbegin()->second, why);
  if (end == "next") missing.push_back(segment_name(path, last + 1) + " and any after it");
  if (!missing.empty())
    out.incomplete.push_back(path + ": the EWF image is incomplete: missing segments: " + join(missing, ", ") +
                             "; the disk bytes they hold cannot be read");
  if (end.empty()) out.incomplete.push_back(segments.rbegin()->second->name() + ": " + why);

  std::vector<std::string> names;
  std::vector<std::shared_ptr<ImageFile>> files;
  for (const auto& [n, f] : segments) {
    names.push_back("/proc/self/fd/" + std::to_string(f->fd()));
    files.push_back(f);
  }
  std::vector<char*> argv;
  for (auto& n : names) argv.push_back(n.data());
  libewf_handle_t* handle = nullptr;
  libewf_error_t* e = nullptr;
  if (libewf_handle_initialize(&handle, &e) != 1) {
    out.error = path + ": libewf cannot start: " + libewf_says(e);
    return out;
  }
  if (libewf_handle_open(handle, argv.data(), static_cast<int>(argv.size()), LIBEWF_OPEN_READ, &e) != 1) {
    out.error =
        path + ": not a readable EWF image" +
        (out.incomplete.empty() ? std::string(" (damaged or truncated)") : " (" + join(out.incomplete, "; ") + ")") +
        ": libewf: " + libewf_says(e);
    out.incomplete.clear();
    libewf_handle_free(&handle, nullptr);
    return out;
  }
  size64_t size = 0;
  uint32_t sector = 512;
  libewf_handle_get_media_size(handle, &size, &e);
  if (e) libewf_error_free(&e);
  libewf_handle_get_bytes_per_sector(handle, &sector, &e);
  if (e) libewf_error_free(&e);
  out.container = std::make_unique<EwfDisk>(handle, size, sector, std::move(files));
  return out;
}

}  // namespace hfa::image
