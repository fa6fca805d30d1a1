// A hive file as Windows left it: clean, or dirty (its primary and secondary
// sequence numbers differ because a flush was cut short) with the NT 4.0
// transaction log (SYSTEM.LOG, SOFTWARE.LOG) that completes it. Pure byte
// work: the caller reads the files; nothing here writes to them. The
// recovered hive is a private copy in memory.
//
// NT 4.0's log ("old format"): sector 0 holds a copy of the hive's 512-byte
// base block with file type 1 and equal sequence numbers; sector 1 starts a
// dirty vector, "DIRT" and a bitmap with one bit per 512-byte page of the hive
// bins data; from the next sector on, one 512-byte copy of each dirty page, in
// bitmap order. Page k goes to file offset 4096 + 512 * k.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hfa::registry {

struct BaseBlock {
  uint32_t primary_sequence = 0, secondary_sequence = 0;
  uint64_t last_written = 0;  // FILETIME
  uint32_t major = 0, minor = 0;
  uint32_t file_type = 0;  // 0 primary, 1 transaction log
  uint32_t bins_size = 0;  // hive bins data size
  bool checksum_ok = false;
  bool dirty() const { return !checksum_ok || primary_sequence != secondary_sequence; }
};

// nullopt when the bytes do not start with a regf base block.
std::optional<BaseBlock> read_base_block(const std::vector<uint8_t>& bytes);

struct Recovery {
  std::vector<uint8_t> hive;  // the primary with the log's pages applied
  size_t pages = 0;           // 512-byte pages replaced
  std::string error;          // set when the log cannot be applied; `hive` is then empty
};

// Applies an old-format log to a copy of the dirty primary. Refuses (error
// set, naming the offset) a log whose base block is not a valid log copy, whose
// timestamp is not the primary's, whose dirty vector is short, or whose result
// has a damaged hive bin where a dirty page landed.
Recovery apply_log(const std::vector<uint8_t>& primary, const std::vector<uint8_t>& log);

// Sets the XOR checksum of a base block (the first 508 bytes' dwords).
void set_checksum(std::vector<uint8_t>& bytes);

}  // namespace hfa::registry
