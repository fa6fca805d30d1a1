// VHD and VHDX through libvhdi, opened by the project through the checked
// descriptor (/proc/self/fd/N), read like the other containers so that a
// block libvhdi cannot read is a named read error. A differencing disk
// needs its parent: it is named, with whether it is beside it, and not read.
#include <libvhdi.h>

#include <mutex>

#include "image/container.h"

namespace hfa::image {
namespace {

std::string libvhdi_says(libvhdi_error_t*& error) {
  if (!error) return "no reason given";
  char text[1024] = {};
  libvhdi_error_sprint(error, text, sizeof text);
  libvhdi_error_free(&error);
  std::string out = text;
  for (auto& c : out)
    if (c == '\n') c = ' ';
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

class VhdiDisk final : public Container {
 public:
  VhdiDisk(libvhdi_file_t* file, uint64_t size, std::shared_ptr<ImageFile> held)
      : file_(file), size_(size), held_(std::move(held)) {}
  ~VhdiDisk() override {
    libvhdi_file_close(file_, nullptr);
    libvhdi_file_free(&file_, nullptr);
  }
  uint64_t size() const override { return size_; }
  uint64_t read(uint64_t offset, uint64_t length, uint8_t* out, std::string& error) override {
    std::lock_guard<std::mutex> hold(mutex_);
    libvhdi_error_t* e = nullptr;
    const ssize_t got =
        libvhdi_file_read_buffer_at_offset(file_, out, static_cast<size_t>(length), static_cast<off64_t>(offset), &e);
    if (got < 0 || static_cast<uint64_t>(got) < length) {
      error = "disk bytes " + std::to_string(offset) + "-" + std::to_string(offset + length - 1) +
              " cannot be read: libvhdi: " + (got < 0 ? libvhdi_says(e) : std::string("the data ends early"));
      if (e) libvhdi_error_free(&e);
      return got < 0 ? 0 : static_cast<uint64_t>(got);
    }
    return length;
  }

 private:
  libvhdi_file_t* file_;
  uint64_t size_;
  std::shared_ptr<ImageFile> held_;  // the descriptor libvhdi reads through
  std::mutex mutex_;
};

}  // namespace

OpenedContainer open_vhdi(const std::string& path, std::shared_ptr<ImageFile> file, const std::string& format) {
  OpenedContainer out;
  out.format = format;
  libvhdi_file_t* vhdi = nullptr;
  libvhdi_error_t* e = nullptr;
  if (libvhdi_file_initialize(&vhdi, &e) != 1) {
    out.error = path + ": libvhdi cannot start: " + libvhdi_says(e);
    return out;
  }
  const std::string fd_path = "/proc/self/fd/" + std::to_string(file->fd());
  if (libvhdi_file_open(vhdi, fd_path.c_str(), LIBVHDI_OPEN_READ, &e) != 1) {
    out.error = path + ": not a readable " + format + " image (damaged or truncated?): libvhdi: " + libvhdi_says(e);
    libvhdi_file_free(&vhdi, nullptr);
    return out;
  }
  uint32_t type = 0;
  libvhdi_file_get_disk_type(vhdi, &type, nullptr);
  if (type == LIBVHDI_DISK_TYPE_DIFFERENTIAL) {
    size_t size = 0;
    std::string parent;
    if (libvhdi_file_get_utf8_parent_filename_size(vhdi, &size, nullptr) == 1 && size > 1 && size < 4096) {
      std::string name(size, '\0');
      if (libvhdi_file_get_utf8_parent_filename(vhdi, reinterpret_cast<uint8_t*>(name.data()), size, nullptr) == 1)
        parent = name.substr(0, name.find('\0'));
    }
    for (auto& c : parent)
      if (c == '\\') c = '/';
    std::string where = "(not named: damaged header)";
    if (!parent.empty()) {
      const auto beside = open_beside(folder_of(path), name_of(parent));
      where = "\"" + name_of(parent) + "\" (" +
              (beside.file     ? "found beside it"
               : beside.absent ? "not found beside it"
                               : beside.error) +
              ")";
    }
    out.error = path + ": a differencing " + format + " whose unchanged sectors are in its parent " + where +
                ": differencing " + format + "s are not supported; merge it into its parent first";
    libvhdi_file_close(vhdi, nullptr);
    libvhdi_file_free(&vhdi, nullptr);
    return out;
  }
  size64_t media = 0;
  libvhdi_file_get_media_size(vhdi, &media, nullptr);
  out.container = std::make_unique<VhdiDisk>(vhdi, media, std::move(file));
  return out;
}

}  // namespace hfa::image
