// A disk image file (raw or split raw, EWF .E01, VMDK, VHD, VHDX, QCOW2),
// without mounting it: its container read by the project's readers
// (container.h), its partition table (or a bare file system) and a Volume for
// each NTFS or FAT file system on it through The Sleuth Kit. Every file of the
// image is opened read-only; nothing is ever written next to it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "image/container.h"
#include "image/volume.h"

namespace hfa::image {

struct Partition {
  // Volume name for messages and targets: "disk.E01#p1", or "disk.E01" for a
  // file system that fills the image (no partition table).
  std::string name;
  int number = 0;  // 1, 2... in table order; 0 for a bare file system
  // N of boot.ini's partition(N): NT 4.0 counts a DOS table's primary
  // partitions first (in their MBR slots' order), then the logical ones; 0 when
  // the image has no DOS partition table.
  int arc_number = 0;
  uint64_t offset = 0;  // bytes from the start of the image
  uint64_t length = 0;  // bytes
  // The table's words: "DOS FAT16 (0x06)", "NTFS / exFAT (0x07)"; for GPT the
  // type by its GUID: "GPT Microsoft basic data (EBD0A0A2-...), named
  // \"data\"".
  std::string description;
  std::string file_system;         // "fat16", "ntfs", ...; "" when none was recognised
  std::string error;               // why a partition that should hold Windows cannot be read
  std::string skipped;             // why a partition is not scanned: "ext4 is not ...", "no
                                   // file system ..."
  std::unique_ptr<Volume> volume;  // set for an NTFS or FAT file system that opened
};

// Read errors met while files were read (a chunk failing its checksum, a
// grain past the end of a cut file), each said once: the evidence is
// incomplete there, which the scan says beside the findings.
class ReadFaults {
 public:
  void add(const std::string& fault);
  std::vector<std::string> list() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> faults_;
};

struct DiskImage {
  std::string path;
  std::string format;           // "raw", "ewf", "vmdk", "vhd"; "" when not even the file opened
  uint64_t size = 0;            // bytes of the disk the image holds
  std::string partition_table;  // "dos", "gpt"...; "" for a bare file system
  std::vector<Partition> partitions;
  std::string error;  // the image as a whole could not be read: no partitions
  // The evidence is incomplete (missing segments, grains past the end of a
  // cut file), each with where; the partitions are read as far as they can be.
  std::vector<std::string> incomplete;
  std::shared_ptr<ReadFaults> faults = std::make_shared<ReadFaults>();
  // The image's identity, for the record: the files read for it, and the
  // digests its format stores of its data (EWF's MD5, SHA-1).
  std::vector<ImageFileInfo> files;
  Digests stored_digests;
};

// Over this many partitions in one table (an extended-partition chain of
// thousands of logical drives) the rest are not examined: a named error.
constexpr int kMaxPartitions = 128;

// Never throws; every failure is named in `error` (the image's or a
// partition's).
DiskImage open_disk_image(const std::string& path);

// The image's data hashed whole (`algorithms`, and every digest it stores) and
// its own digests (EWF's stored MD5/SHA-1) checked against it.
struct ImageVerification {
  bool done = false;     // the image stores digests and they were checked
  bool matches = false;  // all of them match the data, read to the end
  std::string result;
  Digests stored, computed;  // computed: empty when the data could not be read to the end
  std::string error;         // the image could not be opened, or read to the end
};
ImageVerification verify_disk_image(const std::string& path, const std::vector<std::string>& algorithms = {});

}  // namespace hfa::image
