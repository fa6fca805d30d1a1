// The disk a disk image file holds, read through the project's own readers
// of the container formats (split raw, sparse and descriptor VMDK, EWF
// through libewf), so that exactly the files the user named are read and
// every gap in the evidence (a missing segment, a grain past the end of a
// cut file, a chunk failing its checksum) is named instead of read as zeros.

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/digest.h"
#include "image/image_files.h"

namespace hfa::image {

// An image's data hashed whole, and checked against the digests its format
// stores (EWF's MD5 and SHA-1).
struct Verification {
  bool done = false;     // digests were stored and checked: the data read, or not
                         // readable to the end
  bool matches = false;  // every stored digest matches the data
  std::string result;    // "stored MD5 … matches the data", "… differs: computed
                         // …", or why not done
  Digests stored;        // as the image stores them
  Digests computed;      // of the data read to the end; empty when it could not be
  std::string error;     // why the data could not be read to the end
};

// A file an image is made of, for the record: "disk.E01", 1048576 bytes.
struct ImageFileInfo {
  std::string name;
  uint64_t size = 0;
};

class Container {
 public:
  virtual ~Container() = default;
  virtual uint64_t size() const = 0;
  // Reads up to `length` bytes at `offset` (within size()) into `out`; returns
  // how many were read, fewer only at a fault, which `error` then names
  // ("disk bytes 1048576-1081343: EWF chunk 32 fails its checksum").
  virtual uint64_t read(uint64_t offset, uint64_t length, uint8_t* out, std::string& error) = 0;
  // The digests the format stores of the data (EWF's MD5, SHA-1); none for
  // most formats.
  virtual Digests stored_digests() { return {}; }
  // The files read for the disk, in order; empty when the format does not say.
  virtual std::vector<ImageFileInfo> files() const { return {}; }
};

struct OpenedContainer {
  std::unique_ptr<Container> container;  // null on error
  std::string format;                    // "raw", "ewf", "vmdk", "vhd", "vhdx"
  std::string error;                     // the image cannot be read at all
  // The evidence is incomplete: each note says what is missing and where.
  std::vector<std::string> incomplete;
};

// Opens the file the user named and the files that belong with it.
OpenedContainer open_container(const std::string& path);

// The VMDK readers (vmdk.cpp): a sparse extent file (KDMV) read from itself
// whatever its name, or a descriptor file and its extents beside it.
OpenedContainer open_vmdk(const std::string& path, std::shared_ptr<ImageFile> file);

// VHD and VHDX through libvhdi (vhdi.cpp); `format` is "vhd" or "vhdx".
OpenedContainer open_vhdi(const std::string& path, std::shared_ptr<ImageFile> file, const std::string& format);

// QCOW and QCOW2 through libqcow (qcow.cpp); `format` is "qcow" or "qcow2".
OpenedContainer open_qcow(const std::string& path, std::shared_ptr<ImageFile> file, const std::string& format);

// EWF segments through libewf (ewf.cpp): the segments beside `path` with the
// same stem, checked against the segment numbers in their headers.
OpenedContainer open_ewf(const std::string& path, std::shared_ptr<ImageFile> first);

// Reads the whole disk once, computing `algorithms` and every digest the
// format stores, and compares the stored ones with the data.
Verification verify_container(Container& container, const std::vector<std::string>& algorithms);

uint32_t le32(const uint8_t* p);
uint64_t le64(const uint8_t* p);

}  // namespace hfa::image
