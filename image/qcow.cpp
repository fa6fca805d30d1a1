// QCOW and QCOW2 through libqcow, opened by the project through the checked
// descriptor (/proc/self/fd/N) and read like the other containers. An image
// with a backing file needs it: the backing file is named, with whether it is
// beside it, and the image is not read; an encrypted one is named as such.
#include <libqcow.h>

#include <mutex>

#include "image/container.h"

namespace hfa::image {
namespace {

std::string libqcow_says(libqcow_error_t*& error) {
  if (!error) return "no reason given";
  char text[1024] = {};
  libqcow_error_sprint(error, text, sizeof text);
  libqcow_error_free(&error);
  std::string out = text;
  for (auto& c : out)
    if (c == '\n') c = ' ';
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void close_qcow(libqcow_file_t*& file) {
  libqcow_file_close(file, nullptr);
  libqcow_file_free(&file, nullptr);
}

class QcowDisk final : public Container {
 public:
  QcowDisk(libqcow_file_t* file, uint64_t size, std::shared_ptr<ImageFile> held)
      : file_(file), size_(size), held_(std::move(held)) {}
  ~QcowDisk() override { close_qcow(file_); }
  uint64_t size() const override { return size_; }
  uint64_t read(uint64_t offset, uint64_t length, uint8_t* out, std::string& error) override {
    std::lock_guard<std::mutex> hold(mutex_);
    libqcow_error_t* e = nullptr;
    const ssize_t got =
        libqcow_file_read_buffer_at_offset(file_, out, static_cast<size_t>(length), static_cast<off64_t>(offset), &e);
    if (got < 0 || static_cast<uint64_t>(got) < length) {
      error = "disk bytes " + std::to_string(offset) + "-" + std::to_string(offset + length - 1) +
              " cannot be read: libqcow: " + (got < 0 ? libqcow_says(e) : std::string("the data ends early"));
      if (e) libqcow_error_free(&e);
      return got < 0 ? 0 : static_cast<uint64_t>(got);
    }
    return length;
  }

 private:
  libqcow_file_t* file_;
  uint64_t size_;
  std::shared_ptr<ImageFile> held_;  // the descriptor libqcow reads through
  std::mutex mutex_;
};

}  // namespace

OpenedContainer open_qcow(const std::string& path, std::shared_ptr<ImageFile> file, const std::string& format) {
  OpenedContainer out;
  out.format = format;
  libqcow_file_t* qcow = nullptr;
  libqcow_error_t* e = nullptr;
  if (libqcow_file_initialize(&qcow, &e) != 1) {
    out.error = path + ": libqcow cannot start: " + libqcow_says(e);
    return out;
  }
  const std::string fd_path = "/proc/self/fd/" + std::to_string(file->fd());
  if (libqcow_file_open(qcow, fd_path.c_str(), LIBQCOW_OPEN_READ, &e) != 1) {
    out.error = path + ": not a readable " + format + " image (damaged or truncated?): libqcow: " + libqcow_says(e);
    libqcow_file_free(&qcow, nullptr);
    return out;
  }
  uint32_t encryption = 0;
  if (libqcow_file_get_encryption_method(qcow, &encryption, nullptr) == 1 && encryption != 0) {
    out.error = path + ": an encrypted " + format + " image: not supported; decrypt it to raw first (qemu-img convert)";
    close_qcow(qcow);
    return out;
  }
  size_t size = 0;
  if (libqcow_file_get_utf8_backing_filename_size(qcow, &size, nullptr) == 1 && size > 1) {
    std::string backing(std::min<size_t>(size, 4096), '\0');
    libqcow_file_get_utf8_backing_filename(qcow, reinterpret_cast<uint8_t*>(backing.data()), backing.size(), nullptr);
    backing = backing.substr(0, backing.find('\0'));
    const auto beside = open_beside(folder_of(path), name_of(backing));
    out.error = path + ": a " + format + " image whose unchanged sectors are in its backing file \"" +
                name_of(backing) + "\" (" +
                (beside.file     ? "found beside it"
                 : beside.absent ? "not found beside it"
                                 : beside.error) +
                "): images with a backing file are not supported; convert the chain to one image first (qemu-img "
                "convert)";
    close_qcow(qcow);
    return out;
  }
  size64_t media = 0;
  libqcow_file_get_media_size(qcow, &media, nullptr);
  out.container = std::make_unique<QcowDisk>(qcow, media, std::move(file));
  return out;
}

}  // namespace hfa::image
