// A disk image file (raw or split raw, EWF .E01, VMDK, VHD) read through The
// Sleuth Kit, without mounting it: its partition table (or a bare file system),
// and a Volume for each NTFS or FAT file system on it. The image file is opened
// read-only; nothing is ever written next to it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "image/volume.h"

namespace hfa::image {

struct Partition {
  // Volume name for messages and targets: "disk.E01#p1", or "disk.E01" for a
  // file system that fills the image (no partition table).
  std::string name;
  int number = 0;              // 1, 2... in table order; 0 for a bare file system
  // N of boot.ini's partition(N): NT 4.0 counts a DOS table's primary
  // partitions first (in their MBR slots' order), then the logical ones; 0 when
  // the image has no DOS partition table.
  int arc_number = 0;
  uint64_t offset = 0;         // bytes from the start of the image
  uint64_t length = 0;         // bytes
  std::string description;     // the table's words: "DOS FAT16 (0x06)", "NTFS / exFAT (0x07)"
  std::string file_system;     // "fat16", "ntfs", ...; "" when none was recognised
  std::string error;           // why the partition cannot be read: a bad image or table
  std::string skipped;         // why a readable partition is not scanned: "ext4 is not ..."
  std::unique_ptr<Volume> volume;  // set for an NTFS or FAT file system that opened
};

struct DiskImage {
  std::string path;
  std::string format;           // "raw", "ewf", "vmdk", "vhd"
  uint64_t size = 0;            // bytes of the disk the image holds
  std::string partition_table;  // "dos", "gpt"...; "" for a bare file system
  std::vector<Partition> partitions;
  std::string error;  // the image as a whole could not be read: no partitions
};

// Never throws; every failure is named in `error` (the image's or a partition's).
DiskImage open_disk_image(const std::string& path);

}  // namespace hfa::image
