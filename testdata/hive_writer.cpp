#include "testdata/hive_writer.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include "core/text.h"

namespace hfa::testdata {
namespace {

// Layout constants of the regf format. Every cell offset stored in the hive
// counts from the first hbin, which starts right after the 4 KiB base block.
constexpr size_t kBaseBlock = 4096;
constexpr size_t kBinHeader = 32;
constexpr uint32_t kNil = 0xFFFFFFFF;
// 2000-01-01 00:00:00 UTC as a FILETIME: a fixed time keeps fixtures byte-identical between runs.
constexpr uint64_t kFileTime = 125911584000000000ULL;
// One fast leaf filling a whole 4 KiB bin: header, cell size, "lf" + count, 8 bytes per entry.
// Keys with more subkeys get an index root over several leaves, as Windows builds them.
constexpr size_t kLeafMax = (4096 - kBinHeader - 4 - 4) / 8;

constexpr uint16_t kKeyHiveEntry = 0x0004;
constexpr uint16_t kKeyNoDelete = 0x0008;
constexpr uint16_t kKeyCompName = 0x0020;
constexpr uint16_t kValueCompName = 0x0001;
constexpr uint32_t kDataInline = 0x80000000;


void put16(std::vector<uint8_t>& b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v);
  b[at + 1] = static_cast<uint8_t>(v >> 8);
}

void put32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

void put64(std::vector<uint8_t>& b, size_t at, uint64_t v) {
  for (int i = 0; i < 8; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

void put_bytes(std::vector<uint8_t>& b, size_t at, const void* data, size_t n) {
  std::copy_n(static_cast<const uint8_t*>(data), n, b.begin() + static_cast<std::ptrdiff_t>(at));
}

// Registry strings are UTF-16LE; callers hand over UTF-8, the form hivex returns them in.
// Malformed UTF-8 becomes U+FFFD rather than failing a fixture.
void append_utf16le(std::vector<uint8_t>& out, const std::string& text) {
  auto unit = [&out](uint32_t u) {
    out.push_back(static_cast<uint8_t>(u));
    out.push_back(static_cast<uint8_t>(u >> 8));
  };
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t len = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    uint32_t cp = len == 1 ? lead : lead & (0x7F >> len);
    bool ok = len != 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      ok = (c & 0xC0) == 0x80;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (!ok) {
      unit(0xFFFD);
      ++i;
      continue;
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 | (cp >> 10));
      unit(0xDC00 | (cp & 0x3FF));
    } else {
      unit(cp);
    }
  }
}

struct Node {
  std::string name;  // ASCII: stored as a compressed (one byte per character) name
  std::vector<HiveValue> values;
  std::vector<Node> children;

  // Registry names are case-insensitive: the first spelling added stays.
  Node& child(const std::string& child_name) {
    const auto key = ascii_upper(child_name);
    for (auto& c : children)
      if (ascii_upper(c.name) == key) return c;
    children.push_back(Node{child_name, {}, {}});
    return children.back();
  }

  // Setting a value again keeps its place and first spelling, as RegSetValueEx does.
  void set(HiveValue v) {
    const auto key = ascii_upper(v.name);
    for (auto& old : values)
      if (ascii_upper(old.name) == key) {
        old.type = v.type;
        old.data = std::move(v.data);
        return;
      }
    values.push_back(std::move(v));
  }
};

Node& walk(Node& root, const std::string& path) {
  Node* n = &root;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('\\', start), path.size());
    if (end > start) n = &n->child(path.substr(start, end - start));
    start = end + 1;
  }
  return *n;
}

// Cells packed into hbins. Offsets returned and taken are relative to the first
// hbin; a cell's payload starts 4 bytes in, after its (negative) size.
class Bins {
 public:
  uint32_t alloc(size_t payload) {
    const size_t cell = (payload + 4 + 7) & ~size_t{7};
    if (bytes_.empty() || cursor_ + cell > bin_end_) open_bin(cell);
    const size_t at = cursor_;
    cursor_ += cell;
    put32(bytes_, at, static_cast<uint32_t>(-static_cast<int64_t>(cell)));
    return static_cast<uint32_t>(at);
  }

  void u16(uint32_t cell, size_t field, uint16_t v) { put16(bytes_, cell + 4 + field, v); }
  void u32(uint32_t cell, size_t field, uint32_t v) { put32(bytes_, cell + 4 + field, v); }
  void u64(uint32_t cell, size_t field, uint64_t v) { put64(bytes_, cell + 4 + field, v); }
  void raw(uint32_t cell, size_t field, const void* data, size_t n) { put_bytes(bytes_, cell + 4 + field, data, n); }

  std::vector<uint8_t> finish() {
    close_bin();
    return std::move(bytes_);
  }

 private:
  // A cell never straddles bins, so a cell bigger than 4 KiB gets a bin of its own size.
  void open_bin(size_t cell) {
    close_bin();
    const size_t start = bytes_.size();
    const size_t size = (kBinHeader + cell + 4095) & ~size_t{4095};
    bytes_.resize(start + size);
    put_bytes(bytes_, start, "hbin", 4);
    put32(bytes_, start + 4, static_cast<uint32_t>(start));
    put32(bytes_, start + 8, static_cast<uint32_t>(size));
    put64(bytes_, start + 0x14, kFileTime);
    cursor_ = start + kBinHeader;
    bin_end_ = start + size;
  }

  // The rest of a bin is one free cell (positive size), as readers walk every cell.
  void close_bin() {
    if (cursor_ < bin_end_) put32(bytes_, cursor_, static_cast<uint32_t>(bin_end_ - cursor_));
    cursor_ = bin_end_;
  }

  std::vector<uint8_t> bytes_;
  size_t cursor_ = 0;
  size_t bin_end_ = 0;
};

class CellWriter {
 public:
  std::vector<uint8_t> write(const Node& root) {
    sk_ = write_security();
    root_ = write_key(root, kNil, kKeyHiveEntry | kKeyNoDelete | kKeyCompName);
    bins_.u32(sk_, 0x0C, keys_);  // reference count: every key shares this one descriptor
    return bins_.finish();
  }

  uint32_t root() const { return root_; }

 private:
  // One self-relative security descriptor: owner Administrators, group SYSTEM,
  // a DACL giving Administrators and SYSTEM full control and Everyone read.
  uint32_t write_security() {
    const uint8_t admins[] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0};  // S-1-5-32-544
    const uint8_t system[] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};                     // S-1-5-18
    const uint8_t everyone[] = {1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};                    // S-1-1-0
    std::vector<uint8_t> acl(8);
    auto ace = [&acl](uint32_t mask, const uint8_t* sid, size_t sid_len) {
      const size_t at = acl.size();
      acl.resize(at + 8 + sid_len);
      acl[at] = 0;     // ACCESS_ALLOWED_ACE_TYPE
      acl[at + 1] = 2;  // CONTAINER_INHERIT_ACE: subkeys inherit it
      put16(acl, at + 2, static_cast<uint16_t>(8 + sid_len));
      put32(acl, at + 4, mask);
      put_bytes(acl, at + 8, sid, sid_len);
    };
    ace(0xF003F, admins, sizeof admins);  // KEY_ALL_ACCESS
    ace(0xF003F, system, sizeof system);
    ace(0x20019, everyone, sizeof everyone);  // KEY_READ
    acl[0] = 2;  // ACL_REVISION
    put16(acl, 2, static_cast<uint16_t>(acl.size()));
    put16(acl, 4, 3);

    std::vector<uint8_t> sd(20);
    sd[0] = 1;                  // revision
    put16(sd, 2, 0x8004);       // SE_SELF_RELATIVE | SE_DACL_PRESENT
    put32(sd, 4, 20);           // owner
    put32(sd, 8, 20 + sizeof admins);  // group
    put32(sd, 16, static_cast<uint32_t>(20 + sizeof admins + sizeof system));  // DACL
    sd.insert(sd.end(), admins, admins + sizeof admins);
    sd.insert(sd.end(), system, system + sizeof system);
    sd.insert(sd.end(), acl.begin(), acl.end());

    const uint32_t sk = bins_.alloc(0x14 + sd.size());
    bins_.raw(sk, 0, "sk", 2);
    bins_.u32(sk, 0x04, sk);  // the only descriptor: its list of descriptors loops to itself
    bins_.u32(sk, 0x08, sk);
    bins_.u32(sk, 0x10, static_cast<uint32_t>(sd.size()));
    bins_.raw(sk, 0x14, sd.data(), sd.size());
    return sk;
  }

  uint32_t write_key(const Node& n, uint32_t parent, uint16_t flags) {
    ++keys_;
    const uint32_t nk = bins_.alloc(0x4C + n.name.size());
    bins_.raw(nk, 0, "nk", 2);
    bins_.u16(nk, 0x02, flags);
    bins_.u64(nk, 0x04, kFileTime);
    bins_.u32(nk, 0x10, parent);
    bins_.u32(nk, 0x1C, kNil);  // subkey list
    bins_.u32(nk, 0x20, kNil);  // volatile subkey list: never on disk
    bins_.u32(nk, 0x28, kNil);  // value list
    bins_.u32(nk, 0x2C, sk_);
    bins_.u32(nk, 0x30, kNil);  // class name
    bins_.u16(nk, 0x48, static_cast<uint16_t>(n.name.size()));
    bins_.raw(nk, 0x4C, n.name.data(), n.name.size());

    if (!n.values.empty()) {
      const uint32_t list = bins_.alloc(4 * n.values.size());
      size_t max_name = 0, max_data = 0;
      for (size_t i = 0; i < n.values.size(); ++i) {
        bins_.u32(list, 4 * i, write_value(n.values[i]));
        max_name = std::max(max_name, n.values[i].name.size());
        max_data = std::max(max_data, n.values[i].data.size());
      }
      bins_.u32(nk, 0x24, static_cast<uint32_t>(n.values.size()));
      bins_.u32(nk, 0x28, list);
      bins_.u32(nk, 0x3C, static_cast<uint32_t>(2 * max_name));  // lengths count UTF-16 bytes
      bins_.u32(nk, 0x40, static_cast<uint32_t>(max_data));
    }

    if (!n.children.empty()) {
      // Windows binary-searches subkey lists, so they must be in upper-case name order.
      std::vector<const Node*> sorted;
      for (const auto& c : n.children) sorted.push_back(&c);
      std::sort(sorted.begin(), sorted.end(),
                [](const Node* a, const Node* b) { return ascii_upper(a->name) < ascii_upper(b->name); });
      std::vector<std::pair<uint32_t, const Node*>> subkeys;
      size_t max_name = 0;
      for (const Node* c : sorted) {
        subkeys.emplace_back(write_key(*c, nk, kKeyCompName), c);
        max_name = std::max(max_name, c->name.size());
      }
      bins_.u32(nk, 0x14, static_cast<uint32_t>(subkeys.size()));
      bins_.u32(nk, 0x1C, write_subkey_list(subkeys));
      bins_.u32(nk, 0x34, static_cast<uint32_t>(2 * max_name));
    }
    return nk;
  }

  uint32_t write_subkey_list(const std::vector<std::pair<uint32_t, const Node*>>& subkeys) {
    std::vector<uint32_t> leaves;
    for (size_t first = 0; first < subkeys.size(); first += kLeafMax) {
      const size_t count = std::min(kLeafMax, subkeys.size() - first);
      const uint32_t lf = bins_.alloc(4 + 8 * count);
      bins_.raw(lf, 0, "lf", 2);
      bins_.u16(lf, 2, static_cast<uint16_t>(count));
      for (size_t i = 0; i < count; ++i) {
        const auto& [offset, node] = subkeys[first + i];
        bins_.u32(lf, 4 + 8 * i, offset);
        // The hint is the name's first four characters, zero-padded.
        bins_.raw(lf, 4 + 8 * i + 4, node->name.data(), std::min<size_t>(4, node->name.size()));
      }
      leaves.push_back(lf);
    }
    if (leaves.size() == 1) return leaves.front();
    const uint32_t ri = bins_.alloc(4 + 4 * leaves.size());
    bins_.raw(ri, 0, "ri", 2);
    bins_.u16(ri, 2, static_cast<uint16_t>(leaves.size()));
    for (size_t i = 0; i < leaves.size(); ++i) bins_.u32(ri, 4 + 4 * i, leaves[i]);
    return ri;
  }

  uint32_t write_value(const HiveValue& v) {
    const uint32_t vk = bins_.alloc(0x14 + v.name.size());
    bins_.raw(vk, 0, "vk", 2);
    bins_.u16(vk, 0x02, static_cast<uint16_t>(v.name.size()));
    const auto size = static_cast<uint32_t>(v.data.size());
    if (size <= 4) {
      // Small data lives in the offset field itself.
      bins_.u32(vk, 0x04, size | kDataInline);
      bins_.raw(vk, 0x08, v.data.data(), size);
    } else {
      // NT 4.0 (format 1.3) predates "db" big-data cells: data of any size is one cell.
      const uint32_t data = bins_.alloc(size);
      bins_.raw(data, 0, v.data.data(), size);
      bins_.u32(vk, 0x04, size);
      bins_.u32(vk, 0x08, data);
    }
    bins_.u32(vk, 0x0C, v.type);
    bins_.u16(vk, 0x10, kValueCompName);
    bins_.raw(vk, 0x14, v.name.data(), v.name.size());
    return vk;
  }

  Bins bins_;
  uint32_t sk_ = 0;
  uint32_t keys_ = 0;
  uint32_t root_ = 0;
};

}  // namespace

HiveValue HiveValue::sz(std::string name, const std::string& text) {
  HiveValue v{std::move(name), 1, {}};
  append_utf16le(v.data, text);
  v.data.insert(v.data.end(), {0, 0});
  return v;
}

HiveValue HiveValue::dword(std::string name, uint32_t value) {
  HiveValue v{std::move(name), 4, std::vector<uint8_t>(4)};
  put32(v.data, 0, value);
  return v;
}

HiveValue HiveValue::multi_sz(std::string name, const std::vector<std::string>& items) {
  HiveValue v{std::move(name), 7, {}};
  for (const auto& item : items) {
    append_utf16le(v.data, item);
    v.data.insert(v.data.end(), {0, 0});
  }
  v.data.insert(v.data.end(), {0, 0});
  return v;
}

HiveBuilder& HiveBuilder::key(const std::string& path) {
  keys_.emplace_back(path, std::vector<HiveValue>{});
  return *this;
}

HiveBuilder& HiveBuilder::value(const std::string& key_path, HiveValue v) {
  keys_.emplace_back(key_path, std::vector<HiveValue>{std::move(v)});
  return *this;
}

namespace {

uint32_t get32(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 | uint32_t{b[at + 3]} << 24;
}

void checksum(std::vector<uint8_t>& b) {
  uint32_t sum = 0;
  for (size_t at = 0; at < 0x1FC; at += 4) sum ^= get32(b, at);
  put32(b, 0x1FC, sum);
}

}  // namespace

DirtyHive make_dirty(const std::vector<uint8_t>& before, const std::vector<uint8_t>& after) {
  constexpr size_t kSector = 512, kBlock = 4096;
  DirtyHive out;
  const uint32_t sequence = get32(before, 0x04) + 1;

  out.primary = before;
  put32(out.primary, 0x04, sequence);  // raised before the pages are written; the secondary never was
  checksum(out.primary);

  std::vector<uint8_t> head(after.begin(), after.begin() + kSector);
  put32(head, 0x04, sequence);
  put32(head, 0x08, sequence);
  put32(head, 0x1C, 1);  // file type: transaction log
  checksum(head);
  out.log = head;

  const size_t bins = after.size() - kBaseBlock;
  const size_t pages = bins / kSector;
  std::vector<uint8_t> vector(4 + (pages + 7) / 8, 0);
  put_bytes(vector, 0, "DIRT", 4);
  std::vector<uint8_t> dirty;
  for (size_t block = 0; block * kBlock < bins; ++block) {
    const size_t at = kBaseBlock + block * kBlock;
    const bool same = at + kBlock <= before.size() &&
                      std::equal(after.begin() + at, after.begin() + at + kBlock, before.begin() + at);
    if (same) continue;
    for (size_t p = block * 8; p < block * 8 + 8 && p < pages; ++p) {
      vector[4 + p / 8] |= static_cast<uint8_t>(1u << (p % 8));
      dirty.insert(dirty.end(), after.begin() + kBaseBlock + p * kSector, after.begin() + kBaseBlock + (p + 1) * kSector);
      ++out.dirty_pages;
    }
  }
  vector.resize((vector.size() + kSector - 1) / kSector * kSector, 0);
  out.log.insert(out.log.end(), vector.begin(), vector.end());
  out.log.insert(out.log.end(), dirty.begin(), dirty.end());
  return out;
}

std::vector<uint8_t> HiveBuilder::build() const {
  // Windows' own hives are grown from a prototype hive and keep its root name.
  Node root{"$$$PROTO.HIV", {}, {}};
  for (const auto& [path, values] : keys_) {
    Node& n = walk(root, path);
    for (const auto& v : values) n.set(v);
  }

  CellWriter cells;
  auto bins = cells.write(root);

  std::vector<uint8_t> out(kBaseBlock);
  out.reserve(kBaseBlock + bins.size());  // also keeps GCC 12 from a false -Warray-bounds on the insert below
  put_bytes(out, 0x00, "regf", 4);
  put32(out, 0x04, 1);  // primary and secondary sequence numbers equal: the hive was saved cleanly
  put32(out, 0x08, 1);
  put64(out, 0x0C, kFileTime);
  put32(out, 0x14, 1);  // format 1.3, as NT 4.0 writes it
  put32(out, 0x18, 3);
  put32(out, 0x1C, 0);  // primary file
  put32(out, 0x20, 1);  // direct memory load
  put32(out, 0x24, cells.root());
  put32(out, 0x28, static_cast<uint32_t>(bins.size()));
  put32(out, 0x2C, 1);  // clustering factor
  uint32_t sum = 0;
  for (size_t at = 0; at < 0x1FC; at += 4)
    sum ^= uint32_t{out[at]} | uint32_t{out[at + 1]} << 8 | uint32_t{out[at + 2]} << 16 | uint32_t{out[at + 3]} << 24;
  put32(out, 0x1FC, sum);
  out.insert(out.end(), bins.begin(), bins.end());
  return out;
}

}  // namespace hfa::testdata
