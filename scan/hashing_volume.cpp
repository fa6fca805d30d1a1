#include "scan/hashing_volume.h"

#include <algorithm>

namespace hfa::scan {

HashingVolume::HashingVolume(const image::Volume& inner, std::vector<std::string> algorithms)
    : inner_(inner), algorithms_(std::move(algorithms)) {}

void HashingVolume::record(const image::Entry& file, Digests hashes, std::string error) const {
  std::lock_guard<std::mutex> hold(mutex_);
  auto& r = read_[file.path];
  if (r.path.empty() || (r.hashes.empty() && !hashes.empty())) {
    r.path = file.path;
    r.size = file.size;
    r.modified = file.modified;
    r.hashes = std::move(hashes);
    r.error = std::move(error);
  }
  if (std::find(since_take_.begin(), since_take_.end(), file.path) == since_take_.end())
    since_take_.push_back(file.path);
}

image::Bytes HashingVolume::read(const image::Entry& file, uint64_t max_bytes) const {
  auto bytes = inner_.read(file, max_bytes);
  if (!bytes.error.empty()) {
    record(file, {}, bytes.error);
    return bytes;
  }
  {
    std::lock_guard<std::mutex> hold(mutex_);
    const auto it = read_.find(file.path);
    if (it != read_.end() && !it->second.hashes.empty()) {
      if (std::find(since_take_.begin(), since_take_.end(), file.path) == since_take_.end())
        since_take_.push_back(file.path);
      return bytes;
    }
  }
  if (algorithms_.empty()) {  // --hash none
    record(file, {}, "");
    return bytes;
  }
  Digester digester(algorithms_);
  digester.update(bytes.data.data(), bytes.data.size());
  record(file, digester.finish(), "");
  return bytes;
}

std::unique_ptr<ByteSource> HashingVolume::open(const image::Entry& file, std::string& error) const {
  auto source = inner_.open(file, error);
  if (!source) {
    record(file, {}, error);
    return source;
  }
  {
    std::lock_guard<std::mutex> hold(mutex_);
    const auto it = read_.find(file.path);
    if (it != read_.end() && !it->second.hashes.empty()) {
      if (std::find(since_take_.begin(), since_take_.end(), file.path) == since_take_.end())
        since_take_.push_back(file.path);
      return source;
    }
  }
  if (algorithms_.empty()) {  // --hash none: listed, not read whole
    record(file, {}, "");
    return source;
  }
  Digester digester(algorithms_);
  std::vector<uint8_t> buf(size_t(1) << 20);
  const uint64_t size = source->size();
  std::string problem;
  for (uint64_t at = 0; at < size;) {
    const uint64_t n = std::min<uint64_t>(buf.size(), size - at);
    problem = source->read(at, n, buf.data());
    if (!problem.empty()) break;
    digester.update(buf.data(), size_t(n));
    at += n;
  }
  auto hashes = digester.finish();
  if (!problem.empty()) hashes.clear();
  record(file, std::move(hashes), problem);
  return source;
}

std::vector<FileRead> HashingVolume::take() const {
  std::lock_guard<std::mutex> hold(mutex_);
  std::vector<FileRead> out;
  for (const auto& path : since_take_) out.push_back(read_.at(path));
  since_take_.clear();
  return out;
}

Digests HashingVolume::digests_of(const std::string& path) const {
  std::lock_guard<std::mutex> hold(mutex_);
  const auto it = read_.find(path);
  return it == read_.end() ? Digests{} : it->second.hashes;
}

}  // namespace hfa::scan
