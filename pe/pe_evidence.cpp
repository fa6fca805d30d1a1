#include "pe/pe_evidence.h"

#include <LIEF/PE/Binary.hpp>
#include <LIEF/PE/Parser.hpp>
#include <LIEF/PE/ResourceData.hpp>
#include <LIEF/PE/ResourceNode.hpp>
#include <LIEF/logging.hpp>

#include <algorithm>
#include <cstdio>
#include <map>

namespace hfa::pe {
namespace {

// Bounds-checked little-endian reads; every read is preceded by has().
class Reader {
 public:
  explicit Reader(const std::vector<uint8_t>& bytes) : data_(bytes.data()), size_(bytes.size()) {}
  uint64_t size() const { return size_; }
  bool has(uint64_t offset, uint64_t length) const { return offset <= size_ && length <= size_ - offset; }
  uint8_t u8(uint64_t offset) const { return data_[offset]; }
  uint16_t u16(uint64_t offset) const { return uint16_t(data_[offset] | data_[offset + 1] << 8); }
  uint32_t u32(uint64_t offset) const { return uint32_t(u16(offset)) | uint32_t(u16(offset + 2)) << 16; }

 private:
  const uint8_t* data_;
  uint64_t size_;
};

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string past_end(const std::string& what, uint64_t size) {
  return what + " runs past the end of the file (size " + std::to_string(size) + ")";
}

uint64_t align4(uint64_t v) { return (v + 3) & ~uint64_t(3); }

// Up to `length` bytes of a name in the file, up to a NUL, as printable ASCII.
std::string printable(const Reader& r, uint64_t at, uint64_t length) {
  std::string out;
  for (uint64_t i = 0; i < length && r.has(at + i, 1) && r.u8(at + i) != 0; ++i) {
    const char c = char(r.u8(at + i));
    out += c >= 0x20 && c < 0x7f ? c : '?';
  }
  return out;
}

struct Section {
  std::string name;
  uint32_t virtual_size, rva, raw_size, raw_offset;
};

// What the hand-made header checks established about a PE image.
struct Headers {
  uint64_t coff = 0, optional = 0, section_table = 0;
  uint16_t optional_size = 0;
  uint32_t fixed_optional_size = 0;  // optional header without its data directories
  uint32_t file_alignment = 0, section_alignment = 0;
  uint32_t resource_rva = 0;  // 0: no resource directory
  std::vector<Section> sections;
};

// Binary::rva_to_offset of LIEF 0.9, so that the checks below look at the bytes
// LIEF will read: the first section whose [rva, rva + VirtualSize) holds the
// RVA, both bases rounded up to their alignments; outside every section the
// RVA is taken for an offset.
uint64_t lief_rva_to_offset(const Headers& h, uint32_t rva) {
  const uint64_t section_align = h.section_alignment < 0x1000 ? h.file_alignment : h.section_alignment;
  auto round_up = [](uint64_t v, uint64_t a) { return a == 0 || v % a == 0 ? v : v + a - v % a; };
  for (const auto& s : h.sections) {
    if (rva >= s.rva && rva < uint64_t(s.rva) + s.virtual_size)
      return rva - round_up(s.rva, section_align) + round_up(s.raw_offset, h.file_alignment);
  }
  return rva;
}

// The first section whose data in the file holds [offset, offset + length).
std::optional<size_t> section_holding(const Headers& h, uint64_t offset, uint64_t length) {
  for (size_t i = 0; i < h.sections.size(); ++i) {
    const Section& s = h.sections[i];
    if (offset >= s.raw_offset && offset + length <= uint64_t(s.raw_offset) + s.raw_size) return i;
  }
  return std::nullopt;
}

struct TreeCheck {
  std::string refused;  // why LIEF must not be given the tree
  std::string damage;   // the first entry leading out of the file (LIEF skips such entries)
};

// LIEF 0.9 walks the resource tree recursively, makes a node of every entry and
// copies every leaf's data: a chain of thousands of nested directories, or
// leaves re-using the same large data, would exhaust its stack or the memory.
// Walk it first, breadth first, with the same reading rules. Every directory
// entry must lead one level down, so no path through the tree (LIEF's
// recursion) is longer than the deepest level.
TreeCheck check_resource_tree(const Reader& r, uint64_t root) {
  constexpr unsigned kMaxLevel = 8;  // Windows itself looks 3 levels deep
  constexpr uint64_t kMaxEntries = 1 << 18;
  const uint64_t max_leaf_bytes = 2 * std::max<uint64_t>(r.size(), 1 << 20);
  TreeCheck check;
  std::map<uint64_t, unsigned> level{{root, 0}};
  std::vector<uint64_t> queue{root};
  uint64_t entries = 0, leaf_bytes = 0;
  for (size_t next = 0; next < queue.size(); ++next) {
    const uint64_t dir = queue[next];
    const unsigned below = level[dir] + 1;
    const uint32_t count = uint32_t(r.u16(dir + 12)) + r.u16(dir + 14);
    for (uint32_t i = 0; i < count; ++i) {
      const uint64_t entry = dir + 16 + 8ull * i;
      if (!r.has(entry, 8)) break;
      if (++entries > kMaxEntries) {
        check.refused = "it has more than " + std::to_string(kMaxEntries) + " entries";
        return check;
      }
      const uint32_t target = r.u32(entry + 4);
      const uint64_t child = root + (target & 0x7fffffff);
      if (!r.has(child, 16)) {
        if (check.damage.empty()) check.damage = "the entry at " + hex(entry) + " points past the end of the file";
      } else if (target & 0x80000000) {
        const auto [it, added] = level.emplace(child, below);
        if (it->second != below) {
          check.refused = "the entry at " + hex(entry) + " leads back up the tree";
          return check;
        }
        if (below > kMaxLevel) {
          check.refused = "its directories nest more than " + std::to_string(kMaxLevel) + " deep";
          return check;
        }
        if (added) queue.push_back(child);
      } else {
        // LIEF copies any leaf that fits in the file, wherever it maps it.
        const uint32_t size = r.u32(child + 4);
        if (size <= r.size() && (leaf_bytes += size) > max_leaf_bytes) {
          check.refused = "its data entries add up to more than " + std::to_string(max_leaf_bytes) + " bytes";
          return check;
        }
      }
    }
  }
  return check;
}

// UTF-16LE code units from `at` up to a NUL or `end`; `terminated` says which.
std::u16string read_utf16(const Reader& r, uint64_t at, uint64_t end, bool* terminated = nullptr) {
  std::u16string out;
  for (; at + 2 <= end && r.has(at, 2); at += 2) {
    const char16_t c = r.u16(at);
    if (c == 0) {
      if (terminated) *terminated = true;
      return out;
    }
    out += c;
  }
  if (terminated) *terminated = false;
  return out;
}

std::string to_utf8(const std::u16string& s) {
  std::string out;
  auto put = [&out](char32_t cp) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xc0 | cp >> 6);
      out += char(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += char(0xe0 | cp >> 12);
      out += char(0x80 | (cp >> 6 & 0x3f));
      out += char(0x80 | (cp & 0x3f));
    } else {
      out += char(0xf0 | cp >> 18);
      out += char(0x80 | (cp >> 12 & 0x3f));
      out += char(0x80 | (cp >> 6 & 0x3f));
      out += char(0x80 | (cp & 0x3f));
    }
  };
  for (size_t i = 0; i < s.size(); ++i) {
    const char16_t c = s[i];
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.size() && s[i + 1] >= 0xdc00 && s[i + 1] < 0xe000) {
      put(0x10000 + ((char32_t(c) - 0xd800) << 10) + (s[i + 1] - 0xdc00));
      ++i;
    } else {
      put(c >= 0xd800 && c < 0xe000 ? 0xfffd : c);  // a lone surrogate
    }
  }
  return out;
}

// One node of a VS_VERSIONINFO tree: wLength, wValueLength, wType, szKey, then
// the value and the children, each on a DWORD boundary.
struct Block {
  uint64_t end;  // start + wLength, clipped to the parent
  uint16_t value_length;
  std::u16string key;
  uint64_t value;
  uint64_t children() const { return align4(value + value_length); }
};

// nullopt for a malformed node; a zero wLength (padding after the last child)
// is reported through `padding` so it does not pass for damage.
std::optional<Block> read_block(const Reader& r, uint64_t at, uint64_t limit, bool* padding = nullptr) {
  if (!r.has(at, 6) || at + 6 > limit) return std::nullopt;
  const uint16_t length = r.u16(at);
  if (padding) *padding = length == 0;
  if (length < 6) return std::nullopt;
  Block b;
  b.end = std::min<uint64_t>(at + length, limit);
  b.value_length = r.u16(at + 2);
  bool terminated = false;
  b.key = read_utf16(r, at + 6, b.end, &terminated);
  if (!terminated) return std::nullopt;
  b.value = align4(at + 6 + 2 * (b.key.size() + 1));
  return b;
}

// Reads VS_VERSIONINFO by hand: LIEF 0.9's ResourcesManager::version()
// dereferences a null node on a malformed tree and misreads blocks whose
// lengths disagree, so only the resource tree comes from LIEF. Returns the
// problem, "" when the resource is sound.
std::string read_version_info(const std::vector<uint8_t>& data, PeEvidence& ev) {
  const Reader r(data);
  const auto root = read_block(r, 0, r.size());
  if (!root) return "the version resource is damaged: no VS_VERSIONINFO header";
  if (root->key != u"VS_VERSION_INFO") return "the version resource is damaged: its key is not VS_VERSION_INFO";
  if (root->value_length == 0) return "the version resource has no VS_FIXEDFILEINFO";
  const uint64_t fixed = root->value;
  if (root->value_length < 52 || fixed + 52 > root->end)
    return "the version resource is damaged: VS_FIXEDFILEINFO is cut short";
  if (r.u32(fixed) != 0xfeef04bd)
    return "the version resource is damaged: VS_FIXEDFILEINFO signature " + hex(r.u32(fixed)) +
           ", expected 0xfeef04bd";
  ev.has_version_resource = true;
  ev.file_version = Version::from_ms_ls(r.u32(fixed + 8), r.u32(fixed + 12));
  ev.product_version = Version::from_ms_ls(r.u32(fixed + 16), r.u32(fixed + 20));

  const std::string damaged = "the version resource is damaged: a block at ";
  for (uint64_t at = root->children(); at < root->end;) {
    bool padding = false;
    const auto info = read_block(r, at, root->end, &padding);
    if (!info) return padding ? "" : damaged + hex(at) + " is malformed";
    if (info->key == u"StringFileInfo") {
      const auto table = read_block(r, info->children(), info->end);
      if (!table) return damaged + hex(info->children()) + " is malformed";
      for (uint64_t s = table->children(); s < table->end;) {
        const auto string = read_block(r, s, table->end, &padding);
        if (!string) return padding ? "" : damaged + hex(s) + " is malformed";
        ev.strings.emplace(to_utf8(string->key), to_utf8(read_utf16(r, string->value, string->end)));
        s = align4(string->end);
      }
      return {};
    }
    at = align4(info->end);
  }
  return {};
}

// The bytes of the first RT_VERSION entry (its first name, first language) as
// Windows' and pefile's lookups take it; nullopt when there is no RT_VERSION,
// or with `problem` set when the tree leads nowhere.
std::optional<std::vector<uint8_t>> version_resource(const LIEF::PE::Binary& binary, std::string& problem) {
  if (!binary.has_resources()) {
    problem = "the resource directory could not be read";
    return std::nullopt;
  }
  constexpr uint32_t kRtVersion = 16;
  for (const auto& type : binary.resources().childs()) {
    if (type.id() != kRtVersion) continue;
    const auto names = type.childs();
    if (names.size() > 0) {
      const auto languages = names[0].childs();
      if (languages.size() > 0 && languages[0].is_data())
        return static_cast<const LIEF::PE::ResourceData&>(languages[0]).content();
    }
    problem = "the version resource is damaged: RT_VERSION leads to no data entry";
    return std::nullopt;
  }
  return std::nullopt;
}

// A copy of the image for LIEF with every data directory but the resources
// cleared, and no COFF symbol table: LIEF 0.9 parses them all, and its import,
// TLS and relocation readers loop or abort on hostile values we never need.
// LIEF also copies every section's data, so only the resource section keeps a
// SizeOfRawData; VirtualSizes are the ones the checks used (read_pe_image).
std::vector<uint8_t> resources_only_view(const std::vector<uint8_t>& bytes, const Headers& h,
                                         size_t resource_section) {
  std::vector<uint8_t> view(bytes);
  auto put32 = [&view](uint64_t at, uint32_t v) {
    for (int k = 0; k < 4; ++k) view[at + k] = uint8_t(v >> (8 * k));
  };
  put32(h.coff + 8, 0);   // PointerToSymbolTable
  put32(h.coff + 12, 0);  // NumberOfSymbols
  const uint64_t directories = h.optional + h.fixed_optional_size;
  for (uint64_t i = 0; i < 16; ++i) {
    if (i == 2) continue;
    put32(directories + 8 * i, 0);
    put32(directories + 8 * i + 4, 0);
  }
  for (size_t i = 0; i < h.sections.size(); ++i) {
    put32(h.section_table + 40 * i + 8, h.sections[i].virtual_size);
    if (i != resource_section) put32(h.section_table + 40 * i + 16, 0);
  }
  return view;
}

// The version resource, through LIEF, of an image whose headers are sound.
void read_resources(const std::vector<uint8_t>& bytes, const Headers& h, PeEvidence& ev) {
  const Reader r(bytes);
  // LIEF 0.9 reads all 16 directory slots after the fixed optional header
  // whatever NumberOfRvaAndSizes says; a shorter header would hand it the
  // section table as directories.
  if (h.optional_size < h.fixed_optional_size + 16 * 8) {
    ev.problem = "the optional header has room for only " +
                 std::to_string((h.optional_size - h.fixed_optional_size) / 8) +
                 " data directories; the resources were not read";
    return;
  }
  const uint64_t root = lief_rva_to_offset(h, h.resource_rva);
  const auto section = section_holding(h, root, 16);
  if (!section) {
    ev.problem = "the resource directory (RVA " + hex(h.resource_rva) + ") lies in no section's data in the file";
    return;
  }
  const auto tree = check_resource_tree(r, root);
  if (!tree.refused.empty()) {
    ev.problem = "the resource directory is damaged: " + tree.refused;
    return;
  }
  static const bool quiet = (LIEF::Logger::disable(), true);
  (void)quiet;
  std::string problem;
  std::optional<std::vector<uint8_t>> version;
  try {
    const auto binary = LIEF::PE::Parser::parse(resources_only_view(bytes, h, *section), ev.name);
    if (binary)
      version = version_resource(*binary, problem);
    else
      problem = "LIEF could not read the image";
  } catch (const std::exception& e) {
    problem = std::string("LIEF could not read the resources: ") + e.what();
  } catch (...) {
    problem = "LIEF could not read the resources";
  }
  if (version) problem = read_version_info(*version, ev);
  if (!tree.damage.empty())
    problem = "the resource directory is damaged: " + tree.damage + (problem.empty() ? "" : "; " + problem);
  ev.problem = problem;
}

// The COFF and optional headers and the section table, checked by hand.
void read_pe_image(const std::vector<uint8_t>& bytes, uint64_t pe_offset, PeEvidence& ev) {
  const Reader r(bytes);
  const uint64_t size = r.size();
  Headers h;
  h.coff = pe_offset + 4;
  if (!r.has(h.coff, 20)) {
    ev.kind = Kind::truncated;
    ev.problem = past_end("the COFF header (20 bytes at " + hex(h.coff) + ")", size);
    return;
  }
  const uint16_t machine = r.u16(h.coff), section_count = r.u16(h.coff + 2);
  const uint32_t link_time = r.u32(h.coff + 4);
  h.optional = h.coff + 20;
  h.optional_size = r.u16(h.coff + 16);
  if (h.optional_size < 2) {
    ev.kind = Kind::unreadable;
    ev.problem = "no optional header (SizeOfOptionalHeader " + std::to_string(h.optional_size) + ")";
    return;
  }
  if (!r.has(h.optional, h.optional_size)) {
    ev.kind = Kind::truncated;
    ev.problem =
        past_end("the optional header (" + hex(h.optional_size) + " bytes at " + hex(h.optional) + ")", size);
    return;
  }
  const uint16_t magic = r.u16(h.optional);
  if (magic != 0x10b && magic != 0x20b) {
    ev.kind = Kind::unreadable;
    ev.problem = "optional header magic " + hex(magic) + " is neither PE32 (0x10b) nor PE32+ (0x20b)";
    return;
  }
  const bool plus = magic == 0x20b;
  h.fixed_optional_size = plus ? 112 : 96;
  if (h.optional_size < h.fixed_optional_size) {
    ev.kind = Kind::unreadable;
    ev.problem = "the optional header is " + std::to_string(h.optional_size) + " bytes, a " +
                 (plus ? "PE32+" : "PE32") + " one needs " + std::to_string(h.fixed_optional_size);
    return;
  }
  const uint64_t table = h.section_table = h.optional + h.optional_size;
  if (!r.has(table, 40ull * section_count)) {
    ev.kind = Kind::truncated;
    ev.problem = past_end("the section table (" + std::to_string(section_count) + " entries at " + hex(table) + ")",
                          size);
    return;
  }
  for (uint64_t at = table; at < table + 40ull * section_count; at += 40) {
    Section s;
    s.name = printable(r, at, 8);
    s.rva = r.u32(at + 12);
    s.raw_size = r.u32(at + 16);
    // Old linkers leave VirtualSize 0, which the loader reads as SizeOfRawData.
    s.virtual_size = r.u32(at + 8) ? r.u32(at + 8) : s.raw_size;
    s.raw_offset = r.u32(at + 20);
    if (s.raw_size > 0 && !r.has(s.raw_offset, s.raw_size)) {
      ev.kind = Kind::truncated;
      ev.problem = past_end("section " + s.name + " (" + hex(s.raw_size) + " bytes at " + hex(s.raw_offset) + ")",
                            size);
      return;
    }
    h.sections.push_back(std::move(s));
  }

  ev.kind = plus ? Kind::pe32_plus : Kind::pe32;
  ev.machine = machine;
  ev.link_time = link_time;
  h.section_alignment = r.u32(h.optional + 32);
  h.file_alignment = r.u32(h.optional + 36);
  const uint32_t directory_count = r.u32(h.optional + h.fixed_optional_size - 4);
  const uint64_t resource_slot = h.optional + h.fixed_optional_size + 2 * 8;
  if (directory_count > 2 && resource_slot + 8 <= table) h.resource_rva = r.u32(resource_slot);
  if (h.resource_rva != 0) read_resources(bytes, h, ev);
}

void read_into(const std::vector<uint8_t>& bytes, PeEvidence& ev) {
  const Reader r(bytes);
  const uint64_t size = r.size();
  if (!r.has(0, 2) || r.u8(0) != 'M' || r.u8(1) != 'Z') {
    ev.kind = Kind::not_executable;
    ev.problem = "no MZ signature";
    return;
  }
  if (!r.has(0, 64)) {
    ev.kind = Kind::truncated;
    ev.problem = "the DOS header needs 64 bytes, the file has " + std::to_string(size);
    return;
  }
  const uint32_t e_lfanew = r.u32(0x3c);
  if (e_lfanew < 0x40) {
    ev.kind = Kind::mz_only;
    ev.problem = "DOS program: e_lfanew " + hex(e_lfanew) + " names no new-style header";
    return;
  }
  if (!r.has(e_lfanew, 2)) {
    // A DOS program's header may end before 0x3c, leaving code or relocations
    // there; only a header that announces a new-style one (relocations from
    // 0x40 on) makes a far e_lfanew a sign of truncation.
    if (r.u16(0x18) < 0x40) {
      ev.kind = Kind::mz_only;
      ev.problem = "DOS program: e_lfarlc " + hex(r.u16(0x18)) + " announces no new-style header";
      return;
    }
    ev.kind = Kind::truncated;
    ev.problem = "e_lfanew " + hex(e_lfanew) + " points past the end of the file (size " + std::to_string(size) + ")";
    return;
  }
  const std::string signature{char(r.u8(e_lfanew)), char(r.u8(e_lfanew + 1))};
  if (signature == "PE") {
    if (!r.has(e_lfanew, 4)) {
      ev.kind = Kind::truncated;
      ev.problem = past_end("the PE signature at " + hex(e_lfanew), size);
    } else if (r.u16(e_lfanew + 2) != 0) {
      ev.kind = Kind::mz_only;
      ev.problem = "the signature at e_lfanew " + hex(e_lfanew) + " is not PE\\0\\0";
    } else {
      read_pe_image(bytes, e_lfanew, ev);
    }
    return;
  }
  if (signature == "NE") {
    if (!r.has(e_lfanew, 0x40)) {
      ev.kind = Kind::truncated;
      ev.problem = past_end("the NE header (64 bytes at " + hex(e_lfanew) + ")", size);
      return;
    }
    ev.kind = Kind::ne;
    ev.problem = "16-bit NE module";
    // The first resident name is the module name.
    const uint64_t names = e_lfanew + r.u16(e_lfanew + 0x26);
    if (r.has(names, 1) && r.u8(names) > 0 && r.has(names + 1, r.u8(names)))
      ev.problem += " " + printable(r, names + 1, r.u8(names));
    return;
  }
  if (signature == "LE" || signature == "LX") {
    constexpr uint64_t kHeader = 0xc4;
    if (!r.has(e_lfanew, kHeader)) {
      ev.kind = Kind::truncated;
      ev.problem = past_end("the " + signature + " header (196 bytes at " + hex(e_lfanew) + ")", size);
      return;
    }
    ev.kind = signature == "LE" ? Kind::le : Kind::lx;
    ev.problem = signature == "LE" ? "LE module (a VxD or an OS/2 2.x module)" : "OS/2 LX module";
    return;
  }
  ev.kind = Kind::mz_only;
  ev.problem = "DOS program: e_lfanew " + hex(e_lfanew) + " points at \"" + printable(r, e_lfanew, 2) +
               "\", not a PE, NE, LE or LX signature";
}

}  // namespace

std::string to_string(Kind k) {
  switch (k) {
    case Kind::pe32: return "PE32";
    case Kind::pe32_plus: return "PE32+";
    case Kind::mz_only: return "MZ";
    case Kind::ne: return "NE";
    case Kind::le: return "LE";
    case Kind::lx: return "LX";
    case Kind::truncated: return "truncated";
    case Kind::not_executable: return "not-executable";
    case Kind::unreadable: return "unreadable";
  }
  return "unreadable";
}

std::string machine_name(uint16_t machine) {
  switch (machine) {
    case 0x14c: return "x86";
    case 0x184: return "alpha";
    case 0x166: return "mips";
    case 0x1f0: return "ppc";
    case 0x8664: return "x64";
    case 0x200: return "ia64";
    case 0x1c0: return "arm";
    case 0xaa64: return "arm64";
  }
  return hex(machine);
}

std::optional<Platform> machine_platform(uint16_t machine) {
  switch (machine) {
    case 0x14c: return Platform::x86;
    case 0x184: return Platform::alpha;
    case 0x166: return Platform::mips;
    case 0x1f0: return Platform::ppc;
    case 0x200: return Platform::ia64;
    case 0x8664: return Platform::x64;
  }
  return std::nullopt;
}

PeEvidence read_pe(const std::vector<uint8_t>& bytes, const std::string& name) {
  PeEvidence ev;
  ev.name = name;
  ev.size = bytes.size();
  try {
    read_into(bytes, ev);
  } catch (const std::exception& e) {  // only an allocation failure gets here
    PeEvidence failed;
    failed.name = name;
    failed.size = bytes.size();
    failed.kind = Kind::unreadable;
    failed.problem = std::string("cannot be read: ") + e.what();
    return failed;
  }
  return ev;
}

}  // namespace hfa::pe
