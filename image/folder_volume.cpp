// A mounted drive seen through a local folder. Every path is resolved one
// component at a time so that case can be matched as Windows would and every
// symbolic link is checked before it is followed.
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "image/volume.h"
#include "core/text.h"

namespace fs = std::filesystem;

namespace hfa::image {
namespace {

bool within(const fs::path& inner, const fs::path& root) {
  auto r = root.begin();
  auto i = inner.begin();
  for (; r != root.end(); ++r, ++i)
    if (i == inner.end() || *i != *r) return false;
  return true;
}

struct Resolved {
  fs::path real;       // canonical local path
  std::string stored;  // volume path with the names as stored
  std::string error;
  bool refused = false;
};

class FolderVolume final : public Volume {
 public:
  FolderVolume(std::string name, fs::path root) : name_(std::move(name)), root_(std::move(root)) {}

  std::string name() const override { return name_; }

  Lookup find(std::string_view path) const override {
    Lookup out;
    const auto r = resolve(path);
    if (!r.error.empty()) {
      out.error = r.error;
      out.refused = r.refused;
      return out;
    }
    out.entry = describe(r);
    if (!out.entry) out.error = std::string(path) + ": cannot stat: " + std::strerror(errno);
    return out;
  }

  std::vector<Entry> list(std::string_view directory) const override {
    std::vector<Entry> out;
    const auto dir = resolve(directory);
    if (!dir.error.empty()) return out;
    std::error_code ec;
    for (fs::directory_iterator it(dir.real, ec), end; !ec && it != end; it.increment(ec)) {
      Resolved child;
      child.stored = join_path(dir.stored, it->path().filename().string());
      child.real = fs::canonical(it->path(), ec);
      if (ec) {
        ec.clear();
        continue;
      }
      if (!within(child.real, root_)) continue;
      if (auto e = describe(child)) out.push_back(std::move(*e));
    }
    std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.path < b.path; });
    return out;
  }

  Bytes read(const Entry& file, uint64_t max_bytes) const override {
    Bytes out;
    const auto r = resolve(file.path);
    if (!r.error.empty()) {
      out.error = r.error;
      return out;
    }
    std::error_code ec;
    // A FIFO or device on a crafted image would block or never end.
    if (!fs::is_regular_file(r.real, ec)) {
      out.error = r.stored + ": not a regular file";
      return out;
    }
    const auto size = fs::file_size(r.real, ec);
    if (ec) {
      out.error = r.stored + ": " + ec.message();
      return out;
    }
    if (size > max_bytes) {
      out.error = r.stored + ": " + std::to_string(size) + " bytes, over the limit of " +
                  std::to_string(max_bytes) + " for this kind of file";
      return out;
    }
    std::FILE* f = std::fopen(r.real.c_str(), "rb");
    if (!f) {
      out.error = r.stored + ": cannot open: " + std::strerror(errno);
      return out;
    }
    out.data.resize(size);
    const size_t got = size ? std::fread(out.data.data(), 1, size, f) : 0;
    const bool failed = std::ferror(f);
    std::fclose(f);
    if (failed || got != size) {
      out.error = r.stored + ": read " + std::to_string(got) + " of " + std::to_string(size) + " bytes";
      out.data.clear();
    }
    return out;
  }

  std::unique_ptr<ByteSource> open(const Entry& file, std::string& error) const override {
    const auto r = resolve(file.path);
    if (!r.error.empty()) {
      error = r.error;
      return nullptr;
    }
    auto source = std::make_unique<FileSource>(r.real.string());
    if (!source->error().empty()) {
      error = r.stored + ": cannot open: " + source->error();
      return nullptr;
    }
    return source;
  }

 private:
  Resolved resolve(std::string_view path) const {
    Resolved r;
    r.real = root_;
    for (const auto& part : split_path(path)) {
      if (part == "..") {
        r.error = "refused '" + std::string(path) + "': '..' would leave the image root";
        r.refused = true;
        return r;
      }
      const auto name = match(r.real, part);
      if (name.empty()) {
        r.error = join_path(r.stored, part) + ": not found";
        return r;
      }
      const fs::path candidate = r.real / name;
      std::error_code ec;
      const fs::path real = fs::canonical(candidate, ec);
      r.stored = join_path(r.stored, name);
      if (ec) {
        r.error = r.stored + ": " + (fs::is_symlink(candidate) ? "symbolic link leads nowhere" : ec.message());
        return r;
      }
      if (!within(real, root_)) {
        r.error = "refused '" + r.stored + "': a symbolic link leading outside the image root (to " +
                  real.string() + ")";
        r.refused = true;
        return r;
      }
      r.real = real;
    }
    return r;
  }

  // The stored name of `part` in `dir`: the exact name if present, else the
  // first case-insensitive match in name order, else "".
  static std::string match(const fs::path& dir, const std::string& part) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(dir / part, ec))) return part;
    const auto want = ascii_lower(part);
    std::string best;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const auto n = it->path().filename().string();
      if (ascii_lower(n) == want && (best.empty() || n < best)) best = n;
    }
    return best;
  }

  std::optional<Entry> describe(const Resolved& r) const {
    struct stat st {};
    if (::stat(r.real.c_str(), &st) != 0) return std::nullopt;
    Entry e;
    e.path = r.stored;
    e.directory = S_ISDIR(st.st_mode);
    e.regular = S_ISREG(st.st_mode);
    e.size = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
    e.modified = static_cast<int64_t>(st.st_mtime);
    return e;
  }

  std::string name_;
  fs::path root_;
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

OpenResult open_folder(const std::string& root) {
  OpenResult out;
  std::error_code ec;
  const auto real = fs::canonical(root, ec);
  if (ec) {
    out.error = root + ": " + ec.message();
    return out;
  }
  if (!fs::is_directory(real, ec)) {
    out.error = root + ": not a directory";
    return out;
  }
  fs::directory_iterator probe(real, ec);
  if (ec) {
    out.error = root + ": cannot list: " + ec.message();
    return out;
  }
  out.volume = std::make_unique<FolderVolume>(root, real);
  return out;
}

}  // namespace hfa::image
