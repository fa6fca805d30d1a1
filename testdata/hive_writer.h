// Writes registry hive files (regf) that hivex and Windows read: a base block,
// hbins, nk/vk/sk/lf cells, with the header checksum set. Enough of the format
// for the tests' NT 4.0 SOFTWARE and SYSTEM hives, and for damaged variants.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hfa::testdata {

struct HiveValue {
  std::string name;  // "" is the key's default value
  uint32_t type = 1;  // REG_SZ 1, REG_EXPAND_SZ 2, REG_BINARY 3, REG_DWORD 4, REG_MULTI_SZ 7
  std::vector<uint8_t> data;

  static HiveValue sz(std::string name, const std::string& text);  // UTF-16LE, NUL-terminated
  static HiveValue dword(std::string name, uint32_t v);
  static HiveValue multi_sz(std::string name, const std::vector<std::string>& items);
};

class HiveBuilder {
 public:
  // Keys are '\\'-separated paths below the root ("Select", "ControlSet001\\Control").
  // Intermediate keys are created as needed; adding a key twice is harmless.
  HiveBuilder& key(const std::string& path);
  HiveBuilder& value(const std::string& key_path, HiveValue v);
  std::vector<uint8_t> build() const;

 private:
  std::vector<std::pair<std::string, std::vector<HiveValue>>> keys_;  // in insertion order
};

// A hive as Windows NT 4.0 leaves it when a flush is cut short: the primary
// still holds `before` but its primary sequence number was already raised (so
// the two differ: dirty), and the .LOG holds the base block of `after` and
// every 512-byte page of the hive bins that differs (whole 4 KiB blocks, as
// Windows tracks them), behind a "DIRT" vector.
struct DirtyHive {
  std::vector<uint8_t> primary;
  std::vector<uint8_t> log;
  size_t dirty_pages = 0;
};
DirtyHive make_dirty(const std::vector<uint8_t>& before, const std::vector<uint8_t>& after);

}  // namespace hfa::testdata
