// Disk images of scenario trees, made with Debian's own tools (no mount, no
// root): FAT16 with mkfs.fat + mtools, NTFS with mkntfs + ntfs-populate
// (libntfs-3g), an MBR disk with sfdisk, and conversions of a raw disk to
// VMDK and VHD (qemu-img) and EWF (ewfacquire). Each returns "" on success,
// else what failed: the command and what it printed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hfa::testdata {

// The first of `tools` not found on PATH, or "" when all are there.
std::string missing_tool(const std::vector<std::string>& tools);

// A FAT16 file system of `mib` MiB filling `image`, holding the tree below
// `folder` with its modification times (mcopy -m; written as UTC wall clock),
// labelled NTSYSTEM as a real system drive would be.
std::string make_fat16_image(const std::string& folder, const std::string& image, uint64_t mib);

// An NTFS file system (mkntfs) filling `image`, filled by `populate_tool`
// (the ntfs-populate program built with the tests) with folders, files and
// modification times.
std::string make_ntfs_image(const std::string& folder, const std::string& image, uint64_t mib,
                            const std::string& populate_tool);

struct PartitionSpec {
  std::string image;  // a file system image, placed as it is
  std::string type;   // sfdisk's MBR type: "6" FAT16, "7" NTFS
};
// A DOS (MBR) partitioned disk holding the file system images in order, the
// first at 1 MiB, each following the previous one.
std::string make_mbr_disk(const std::vector<PartitionSpec>& partitions, const std::string& disk);

// NT 4.0's usual disk: `system_tree` (boot.ini) on a small FAT16 system
// partition p1, `boot_tree` (the installation) on the boot partition p2,
// FAT16 or NTFS (filled by `populate_tool`). The file system images are
// written beside `disk` and removed.
std::string make_system_and_boot_disk(const std::string& system_tree, const std::string& boot_tree, bool ntfs_boot,
                                      const std::string& populate_tool, const std::string& disk);

// `raw` converted to "vmdk", "vhd" (qemu-img) or "E01" (ewfacquire); `out`
// is the file to write, ending in the format's extension. E01 is written
// uncompressed in segments of `segment_bytes` (.E01, .E02...) when non-zero.
std::string convert_image(const std::string& raw, const std::string& out, const std::string& format,
                          uint64_t segment_bytes = 0);

// The container-layer fixtures (tests/image_container_test.cpp, fuzz seeds).

// A FAT12 file system of `kib` KiB filling `image`, holding the files below
// `folder`: small enough to be a fuzzer's input.
std::string make_small_fat_image(const std::string& folder, const std::string& image, uint64_t kib);

// `raw` as a VMDK of the given qemu-img subformat: "monolithicSparse",
// "streamOptimized" or "monolithicFlat" (a descriptor `out` and OUT-flat.vmdk).
std::string convert_to_vmdk(const std::string& raw, const std::string& out, const std::string& subformat);

// `raw` converted by qemu-img to another container: "qcow2", "vhdx", "vdi".
std::string convert_with_qemu(const std::string& raw, const std::string& out, const std::string& format);

// A differencing VHD of `sectors` 512-byte sectors whose parent is named
// `parent` in its dynamic header (the footer copy, the header, an empty block
// table and the footer; written by hand: qemu-img makes no VHD children).
std::string write_differencing_vhd(const std::string& out, const std::string& parent, uint64_t sectors);

// A GPT disk holding the file system images in order from 1 MiB, each with
// its type GUID (sfdisk).
struct GptPartitionSpec {
  std::string image;  // a file system image, or "" for `sectors` of zeros
  std::string type;   // the type GUID
  uint64_t sectors = 0;
};
std::string make_gpt_disk(const std::vector<GptPartitionSpec>& partitions, const std::string& disk);

// An MBR disk whose one extended partition chains `logicals` logical drives
// of one sector each (EBR, drive, EBR, drive...), as a hostile image may.
std::string make_extended_chain_disk(const std::string& disk, uint32_t logicals);

}  // namespace hfa::testdata
