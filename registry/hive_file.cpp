#include "registry/hive_file.h"

#include <algorithm>
#include <cstring>

namespace hfa::registry {
namespace {

constexpr size_t kBaseBlockSize = 4096;
constexpr size_t kSector = 512;
constexpr size_t kChecksumAt = 0x1FC;

uint32_t le32(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 | uint32_t{b[at + 3]} << 24;
}

void put32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

uint32_t checksum(const std::vector<uint8_t>& b) {
  uint32_t sum = 0;
  for (size_t at = 0; at < kChecksumAt; at += 4) sum ^= le32(b, at);
  return sum;
}

// Windows stores 1 for a sum of 0 and 0xFFFFFFFE for 0xFFFFFFFF; hivex checks the plain sum.
bool checksum_matches(const std::vector<uint8_t>& b) {
  const uint32_t sum = checksum(b), stored = le32(b, kChecksumAt);
  return stored == sum || (sum == 0 && stored == 1) || (sum == 0xFFFFFFFF && stored == 0xFFFFFFFE);
}

std::string hex(size_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%zX", v);
  return buf;
}

}  // namespace

void set_checksum(std::vector<uint8_t>& bytes) { put32(bytes, kChecksumAt, checksum(bytes)); }

std::optional<BaseBlock> read_base_block(const std::vector<uint8_t>& b) {
  if (b.size() < kSector || std::memcmp(b.data(), "regf", 4) != 0) return std::nullopt;
  BaseBlock h;
  h.primary_sequence = le32(b, 0x04);
  h.secondary_sequence = le32(b, 0x08);
  h.last_written = uint64_t{le32(b, 0x0C)} | uint64_t{le32(b, 0x10)} << 32;
  h.major = le32(b, 0x14);
  h.minor = le32(b, 0x18);
  h.file_type = le32(b, 0x1C);
  h.bins_size = le32(b, 0x28);
  h.checksum_ok = checksum_matches(b);
  return h;
}

Recovery apply_log(const std::vector<uint8_t>& primary, const std::vector<uint8_t>& log) {
  Recovery r;
  const auto base = read_base_block(primary);
  const auto head = read_base_block(log);
  if (!head) {
    r.error = "not a registry log: no regf base block at offset 0";
    return r;
  }
  if (head->file_type != 1) {
    r.error = "base block at offset 0 has file type " + std::to_string(head->file_type) + ", not 1 (a log)";
    return r;
  }
  if (!head->checksum_ok) {
    r.error = "base block at offset 0 has a wrong checksum";
    return r;
  }
  if (head->primary_sequence != head->secondary_sequence) {
    r.error = "the log itself was not finished (sequence numbers " + std::to_string(head->primary_sequence) + " and " +
              std::to_string(head->secondary_sequence) + ")";
    return r;
  }
  if (base && base->checksum_ok && base->last_written != head->last_written) {
    r.error = "the log was written for another state of the hive (its timestamp differs from the hive's)";
    return r;
  }
  if (head->bins_size % kSector != 0 || head->bins_size > (1u << 30)) {
    r.error = "base block at offset 0 announces " + std::to_string(head->bins_size) + " bytes of hive bins";
    return r;
  }
  // Pages past the primary's end can only come from the log: a larger size is a lie
  // that would only cost memory.
  if (kBaseBlockSize + uint64_t{head->bins_size} > primary.size() + log.size()) {
    r.error = "base block at offset 0 announces " + std::to_string(head->bins_size) +
              " bytes of hive bins, more than the hive and its log hold";
    return r;
  }
  const size_t bits = head->bins_size / kSector;
  const size_t vector_bytes = 4 + (bits + 7) / 8;
  if (log.size() < kSector + vector_bytes || std::memcmp(log.data() + kSector, "DIRT", 4) != 0) {
    r.error = "no dirty vector (\"DIRT\") at offset " + hex(kSector);
    return r;
  }
  size_t page_at = kSector + (vector_bytes + kSector - 1) / kSector * kSector;

  r.hive = primary;
  r.hive.resize(kBaseBlockSize + head->bins_size, 0);
  for (size_t bit = 0; bit < bits; ++bit) {
    if (!(log[kSector + 4 + bit / 8] >> (bit % 8) & 1)) continue;
    if (page_at + kSector > log.size()) {
      r.hive.clear();
      r.error = "dirty page " + std::to_string(r.pages + 1) + " missing: the log ends at offset " + hex(log.size());
      return r;
    }
    std::copy_n(log.begin() + static_cast<std::ptrdiff_t>(page_at), kSector,
                r.hive.begin() + static_cast<std::ptrdiff_t>(kBaseBlockSize + bit * kSector));
    page_at += kSector;
    ++r.pages;
  }
  // Every hive bin must be whole again: a log that does not match the primary
  // would otherwise hand hivex a hive glued from two states.
  for (size_t at = 0; at < head->bins_size;) {
    const size_t off = kBaseBlockSize + at;
    const uint32_t size = le32(r.hive, off + 8);
    if (std::memcmp(r.hive.data() + off, "hbin", 4) != 0 || le32(r.hive, off + 4) != at || size == 0 ||
        size % 4096 != 0 || at + size > head->bins_size) {
      r.hive.clear();
      r.error = "after applying the log, no valid hive bin at offset " + hex(off);
      return r;
    }
    at += size;
  }
  // The base block becomes the log's, as a clean primary.
  std::copy_n(log.begin(), kSector, r.hive.begin());
  put32(r.hive, 0x1C, 0);
  set_checksum(r.hive);
  return r;
}

}  // namespace hfa::registry
