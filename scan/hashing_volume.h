// A volume that records every file read through it, with its digests, so that
// a report can say exactly what was examined (issue 12, point 4). The readers
// of evidence (installations, hives, PE files) are unaware of it.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/digest.h"
#include "image/volume.h"
#include "scan/scan.h"

namespace hfa::scan {

class HashingVolume final : public image::Volume {
 public:
  HashingVolume(const image::Volume& inner, std::vector<std::string> algorithms);
  std::string name() const override { return inner_.name(); }
  image::Lookup find(std::string_view path) const override { return inner_.find(path); }
  std::vector<image::Entry> list(std::string_view directory) const override { return inner_.list(directory); }
  // Hashes the bytes as they are read: the file is not read again.
  image::Bytes read(const image::Entry& file, uint64_t max_bytes) const override;
  // Callers read only parts of an opened file (the PE reader its headers and
  // resources, hivex through the descriptor): the file is hashed whole here,
  // once, whatever they read.
  std::unique_ptr<ByteSource> open(const image::Entry& file, std::string& error) const override;

  // The files read since the last take(), in the order first read.
  std::vector<FileRead> take() const;
  // The digests of a file read through this volume; empty when none.
  Digests digests_of(const std::string& path) const;

 private:
  void record(const image::Entry& file, Digests hashes, std::string error) const;

  const image::Volume& inner_;
  std::vector<std::string> algorithms_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, FileRead> read_;  // by path, each file hashed once
  mutable std::vector<std::string> since_take_;
};

}  // namespace hfa::scan
