#include "pe/pe_evidence.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <stdexcept>

#include "pe/lief_headers.h"

namespace hfa::pe {
namespace {

constexpr uint64_t kWindow = 4096;  // bytes fetched at a time: one page

// A failed read of the source (an I/O error, not a malformed file).
struct ReadFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Bounds-checked little-endian reads of a Source; every read is preceded by
// has(). Bytes come from the source a window at a time, so that looking at a
// header or a directory entry costs one read of the page holding it.
class Reader {
 public:
  explicit Reader(const Source& source) : source_(source), size_(source.size()) {}
  uint64_t size() const { return size_; }
  bool has(uint64_t offset, uint64_t length) const { return offset <= size_ && length <= size_ - offset; }
  uint8_t u8(uint64_t offset) const { return *at(offset, 1); }
  uint16_t u16(uint64_t offset) const {
    const uint8_t* p = at(offset, 2);
    return uint16_t(p[0] | p[1] << 8);
  }
  uint32_t u32(uint64_t offset) const {
    const uint8_t* p = at(offset, 4);
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
  }
  std::vector<uint8_t> bytes(uint64_t offset, uint64_t length) const {
    std::vector<uint8_t> out(length);
    fetch(offset, out);
    return out;
  }
  // Appends [offset, offset + length) to `out` through the window, so that
  // header bytes just looked at are usually not read again.
  void append(uint64_t offset, uint64_t length, std::vector<uint8_t>& out) const {
    const uint8_t* p = at(offset, length);
    out.insert(out.end(), p, p + length);
  }
  // The bytes of [offset, offset + length), valid until the next read: for
  // scanning a string without a bounds check per character.
  const uint8_t* view(uint64_t offset, uint64_t length) const { return at(offset, length); }

 private:
  const uint8_t* at(uint64_t offset, uint64_t length) const {
    // Callers check has() first; this keeps a missed check from reading
    // outside the window.
    if (!has(offset, length)) throw ReadFailed("read past the end of the file at " + std::to_string(offset));
    if (offset < base_ || offset - base_ + length > window_.size()) {
      window_.resize(std::min(std::max(kWindow, length), size_ - offset));
      fetch(offset, window_);
      base_ = offset;
    }
    return window_.data() + (offset - base_);
  }
  void fetch(uint64_t offset, std::vector<uint8_t>& out) const {
    if (auto error = source_.read(offset, out.size(), out.data()); !error.empty()) throw ReadFailed(error);
  }

  const Source& source_;
  uint64_t size_;
  mutable uint64_t base_ = 0;
  mutable std::vector<uint8_t> window_;
};

class MemorySource final : public Source {
 public:
  explicit MemorySource(const std::vector<uint8_t>& bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  std::string read(uint64_t offset, uint64_t length, uint8_t* out) const override {
    if (length > 0) std::memcpy(out, bytes_.data() + offset, length);
    return {};
  }

 private:
  const std::vector<uint8_t>& bytes_;
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
  if (at >= r.size()) return out;
  length = std::min(length, r.size() - at);
  const uint8_t* p = length ? r.view(at, length) : nullptr;
  for (uint64_t i = 0; i < length && p[i] != 0; ++i) {
    const char c = char(p[i]);
    out += c >= 0x20 && c < 0x7f ? c : '?';
  }
  return out;
}

struct Section {
  std::string name;
  uint32_t virtual_size, rva, raw_size, raw_offset;
};

// What the header checks established about a PE image.
struct Headers {
  uint32_t file_alignment = 0, section_alignment = 0;
  uint32_t resource_rva = 0;  // 0: no resource directory
  std::vector<Section> sections;
};

// The file offset of an RVA: in the first section whose [rva, rva +
// VirtualSize) holds it, both bases rounded up to their alignments, as LIEF
// 0.9's Binary::rva_to_offset maps it; outside every section the RVA is
// taken for an offset, as LIEF and pefile both do. nullopt when the rounding
// leaves the RVA before its section's data.
std::optional<uint64_t> rva_to_offset(const Headers& h, uint32_t rva) {
  const uint64_t section_align = h.section_alignment < 0x1000 ? h.file_alignment : h.section_alignment;
  auto round_up = [](uint64_t v, uint64_t a) { return a == 0 || v % a == 0 ? v : v + a - v % a; };
  for (const auto& s : h.sections) {
    if (rva >= s.rva && rva < uint64_t(s.rva) + s.virtual_size) {
      const uint64_t va = round_up(s.rva, section_align);
      if (rva < va) return std::nullopt;
      return rva - va + round_up(s.raw_offset, h.file_alignment);
    }
  }
  return rva;
}

// UTF-16LE code units from `at` up to a NUL or `end`; `terminated` says which.
std::u16string read_utf16(const Reader& r, uint64_t at, uint64_t end, bool* terminated = nullptr) {
  std::u16string out;
  const uint64_t stop = std::min(end, r.size());
  const uint64_t length = stop > at ? (stop - at) & ~uint64_t(1) : 0;
  // A window at a time: a crafted block may claim to run to the end of a large file.
  for (uint64_t done = 0; done < length;) {
    const uint64_t n = std::min(length - done, kWindow);
    const uint8_t* p = r.view(at + done, n);
    for (uint64_t i = 0; i < n; i += 2) {
      const auto c = char16_t(p[i] | p[i + 1] << 8);
      if (c == 0) {
        if (terminated) *terminated = true;
        return out;
      }
      out += c;
    }
    done += n;
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
  uint64_t end;  // start + wLength
  uint16_t value_length;
  std::u16string key;
  uint64_t value;
  uint64_t children() const { return align4(value + value_length); }
};

// A node within [at, limit), or why there is none: `why` stays empty for a
// zero wLength, the padding after the last child.
std::optional<Block> read_block(const Reader& r, uint64_t at, uint64_t limit, std::string& why) {
  why.clear();
  if (!r.has(at, 6) || at + 6 > limit) {
    why = "the block at " + hex(at) + " has no room for its header before " + hex(limit);
    return std::nullopt;
  }
  const uint16_t length = r.u16(at);
  if (length == 0) return std::nullopt;
  if (length < 6) {
    why = "the block at " + hex(at) + " claims " + std::to_string(length) + " bytes, less than its header";
    return std::nullopt;
  }
  // A length that lies is refused, not clipped: clipping would silently drop
  // the blocks after it.
  if (at + length > limit) {
    why = "the block at " + hex(at) + " claims " + std::to_string(length) + " bytes, past the end of its parent at " +
          hex(limit);
    return std::nullopt;
  }
  Block b;
  b.end = at + length;
  b.value_length = r.u16(at + 2);
  bool terminated = false;
  b.key = read_utf16(r, at + 6, b.end, &terminated);
  if (!terminated) {
    why = "the key of the block at " + hex(at) + " runs past the block's end";
    return std::nullopt;
  }
  b.value = align4(at + 6 + 2 * (b.key.size() + 1));
  return b;
}

// Reads VS_VERSIONINFO: wLength, wValueLength, wType, szKey, value and
// children, each length checked against its parent's, since a crafted file's
// lengths lie. Written by hand rather than with LIEF 0.9's
// ResourcesManager::version(), which trusts those lengths (it misreads blocks
// whose lengths disagree with their contents), dereferences a null node on a
// tree without the expected levels, and needs the whole resource tree parsed
// first (found when this reader used it). Returns the problem, "" when the
// resource is sound.
std::string read_version_info(const std::vector<uint8_t>& data, PeEvidence& ev) {
  const MemorySource source(data);
  const Reader r(source);
  const std::string damaged = "the version resource is damaged: ";
  std::string why;
  const auto root = read_block(r, 0, r.size(), why);
  if (!root) return damaged + "no VS_VERSIONINFO header" + (why.empty() ? "" : " (" + why + ")");
  if (root->key != u"VS_VERSION_INFO") return damaged + "its key is not VS_VERSION_INFO";
  if (root->value_length == 0) return "the version resource has no VS_FIXEDFILEINFO";
  const uint64_t fixed = root->value;
  if (root->value_length < 52 || fixed + 52 > root->end) return damaged + "VS_FIXEDFILEINFO is cut short";
  if (r.u32(fixed) != 0xfeef04bd)
    return damaged + "VS_FIXEDFILEINFO signature " + hex(r.u32(fixed)) + ", expected 0xfeef04bd";
  ev.has_version_resource = true;
  ev.file_version = Version::from_ms_ls(r.u32(fixed + 8), r.u32(fixed + 12));
  ev.product_version = Version::from_ms_ls(r.u32(fixed + 16), r.u32(fixed + 20));

  for (uint64_t at = root->children(); at < root->end;) {
    const auto info = read_block(r, at, root->end, why);
    if (!info) return why.empty() ? "" : damaged + why;
    if (info->key == u"StringFileInfo") {
      const auto table = read_block(r, info->children(), info->end, why);
      if (!table) return why.empty() ? "" : damaged + why;
      for (uint64_t s = table->children(); s < table->end;) {
        const auto string = read_block(r, s, table->end, why);
        if (!string) return why.empty() ? "" : damaged + why;
        ev.strings.emplace(to_utf8(string->key), to_utf8(read_utf16(r, string->value, string->end)));
        s = align4(string->end);
      }
      return {};
    }
    at = align4(info->end);
  }
  return {};
}

// The resource tree is read only along the path Windows' and pefile's lookups
// take: the root's RT_VERSION entry, its first name, that name's first
// language, which must be a data entry. Three directories at most, each read
// once, so that a tree whose entries loop or nest without end costs no more
// than a sound one; the rest of the tree is never read. LIEF 0.9 would parse
// the whole tree, recursively and copying every leaf's data, from the whole
// file in memory: a looping or deeply nested tree exhausts its stack.
struct VersionLookup {
  std::optional<uint64_t> offset;  // of the version resource's data in the file
  uint32_t size = 0;
  std::string problem;
};

VersionLookup find_version_resource(const Reader& r, const Headers& h) {
  constexpr uint32_t kRtVersion = 16;
  const char* const kLevel[] = {"the root directory", "RT_VERSION's name directory", "RT_VERSION's language directory"};
  VersionLookup out;
  const auto root = rva_to_offset(h, h.resource_rva);
  if (!root || !r.has(*root, 16)) {
    out.problem = "the resource directory (RVA " + hex(h.resource_rva) + ") lies in no section's data in the file";
    return out;
  }
  const std::string damaged = "the resource directory is damaged: ";
  uint64_t dir = *root;
  for (int level = 0; level < 3; ++level) {
    if (!r.has(dir, 16)) {
      out.problem = damaged + past_end(std::string(kLevel[level]) + " at " + hex(dir), r.size());
      return out;
    }
    const uint32_t named = r.u16(dir + 12), ids = r.u16(dir + 14);
    if (!r.has(dir + 16, 8ull * (named + ids))) {
      out.problem = damaged + past_end("the entry table of " + std::string(kLevel[level]) + " (" +
                                           std::to_string(named + ids) + " entries at " + hex(dir + 16) + ")",
                                       r.size());
      return out;
    }
    std::optional<uint64_t> entry;
    if (level == 0) {
      // ID entries follow the named ones; the first with ID 16 is RT_VERSION.
      for (uint32_t i = named; i < named + ids && !entry; ++i) {
        const uint64_t at = dir + 16 + 8ull * i;
        if (!r.has(at, 8)) break;
        if (r.u32(at) == kRtVersion) entry = at;
      }
      if (!entry) return out;  // no version resource: nothing to report
    } else if (named + ids > 0 && r.has(dir + 16, 8)) {
      entry = dir + 16;
    }
    if (!entry) {
      out.problem = "the version resource is damaged: RT_VERSION leads to no data entry";
      return out;
    }
    const uint32_t target = r.u32(*entry + 4);
    const bool subdirectory = target & 0x80000000;
    const uint64_t child = *root + (target & 0x7fffffff);
    if (level < 2 && !subdirectory) {
      out.problem = "the version resource is damaged: RT_VERSION leads to no data entry";
      return out;
    }
    if (level == 2 && subdirectory) {
      // A sound tree has three levels; a fourth directory is a loop or an
      // endless nesting, which is not followed.
      out.problem = "the version resource is damaged: RT_VERSION leads to no data entry (the language entry at " +
                    hex(*entry) + " leads to a fourth directory level)";
      return out;
    }
    dir = child;
  }
  if (!r.has(dir, 16)) {
    out.problem = damaged + past_end("the version resource's data entry at " + hex(dir), r.size());
    return out;
  }
  const uint32_t rva = r.u32(dir), size = r.u32(dir + 4);
  if (size > kMaxVersionBytes) {
    out.problem = "the version resource is " + std::to_string(size) + " bytes, over the limit of " +
                  std::to_string(kMaxVersionBytes) + "; not read";
    return out;
  }
  const auto data = rva_to_offset(h, rva);
  if (!data) {
    out.problem = "the version resource is damaged: its data (RVA " + hex(rva) + ") lies in no section";
    return out;
  }
  if (!r.has(*data, size)) {
    out.problem = "the version resource is damaged: " +
                  past_end("its data (" + hex(size) + " bytes at " + hex(*data) + ")", r.size());
    return out;
  }
  out.offset = data;
  out.size = size;
  return out;
}

void read_resources(const Reader& r, const Headers& h, PeEvidence& ev) {
  const auto found = find_version_resource(r, h);
  if (!found.offset) {
    ev.problem = found.problem;
    return;
  }
  ev.problem = read_version_info(r.bytes(*found.offset, found.size), ev);
}

void put16(std::vector<uint8_t>& b, uint64_t at, uint16_t v) {
  b[at] = uint8_t(v);
  b[at + 1] = uint8_t(v >> 8);
}
void put32(std::vector<uint8_t>& b, uint64_t at, uint32_t v) {
  for (int k = 0; k < 4; ++k) b[at + k] = uint8_t(v >> (8 * k));
}

// Where the hand-checked header structures lie in the file.
struct HeaderLayout {
  uint64_t pe;                   // the PE signature (e_lfanew)
  uint64_t optional;             // the optional header
  uint32_t fixed_optional_size;  // without the data directories
  uint64_t table;                // the section table
  uint16_t section_count;
};

// The headers alone, as a small image LIEF 0.9 can parse without harm: the DOS
// header with e_lfanew 0x40 (no DOS stub, so no Rich header to scan), the PE
// signature, the COFF header without its symbol table (LIEF parses the COFF
// symbols and string table wherever they point), the fixed optional header
// followed by 16 zeroed data directories (LIEF 0.9 reads all 16 slots whatever
// NumberOfRvaAndSizes says and follows them; its import, TLS and relocation
// readers loop or abort on hostile values), then the section table with every
// SizeOfRawData and PointerToRawData 0, since LIEF copies each section's data
// into the Binary, and no COFF relocations or line numbers. About a kilobyte,
// in place of the whole file the old LIEF reader was given.
std::vector<uint8_t> compact_headers(const Reader& r, const HeaderLayout& l) {
  constexpr uint64_t kPe = 0x40;
  const uint64_t coff = kPe + 4, optional = coff + 20;
  const uint64_t table = optional + l.fixed_optional_size + 16 * 8;
  std::vector<uint8_t> image;
  image.reserve(table + 40ull * l.section_count);
  r.append(0, 0x40, image);
  put32(image, 0x3c, uint32_t(kPe));
  r.append(l.pe, 24, image);                            // signature and COFF header
  put32(image, coff + 8, 0);                            // PointerToSymbolTable
  put32(image, coff + 12, 0);                           // NumberOfSymbols
  put16(image, coff + 2, l.section_count);              // the entries read, up to a zero entry
  put16(image, coff + 16, uint16_t(table - optional));  // SizeOfOptionalHeader
  r.append(l.optional, l.fixed_optional_size, image);
  put32(image, optional + l.fixed_optional_size - 4, 16);  // NumberOfRvaAndSizes
  image.resize(table, 0);
  r.append(l.table, 40ull * l.section_count, image);
  for (uint64_t at = table; at < image.size(); at += 40) {
    put32(image, at + 16, 0);  // SizeOfRawData
    put32(image, at + 20, 0);  // PointerToRawData
    put32(image, at + 24, 0);  // PointerToRelocations
    put32(image, at + 28, 0);  // PointerToLinenumbers
  }
  return image;
}

// The COFF and optional headers and the section table: checked by hand so
// that LIEF is given only bytes it parses safely, then parsed by LIEF, whose
// reading is the one used once it agrees with the hand-read one.
void read_pe_image(const Reader& r, uint64_t pe_offset, PeEvidence& ev) {
  const uint64_t size = r.size();
  Headers h;
  HeaderFacts by_hand;
  const uint64_t coff = pe_offset + 4;
  if (!r.has(coff, 20)) {
    ev.kind = Kind::truncated;
    ev.problem = past_end("the COFF header (20 bytes at " + hex(coff) + ")", size);
    return;
  }
  const uint16_t section_count = r.u16(coff + 2);
  by_hand.machine = r.u16(coff);
  by_hand.link_time = r.u32(coff + 4);
  // The optional header is read where it starts whatever SizeOfOptionalHeader
  // says; the section table follows SizeOfOptionalHeader, so a smaller value
  // (0 in minimal images) makes it overlap the optional header, as the loader
  // and pefile read it.
  const uint64_t optional = coff + 20;
  const uint16_t optional_size = r.u16(coff + 16);
  if (!r.has(optional, 2)) {
    ev.kind = Kind::truncated;
    ev.problem = past_end("the optional header (at " + hex(optional) + ")", size);
    return;
  }
  const uint16_t magic = r.u16(optional);
  if (magic != 0x10b && magic != 0x20b) {
    ev.kind = Kind::unreadable;
    ev.problem = "optional header magic " + hex(magic) + " is neither PE32 (0x10b) nor PE32+ (0x20b)";
    return;
  }
  by_hand.magic = magic;
  const bool plus = magic == 0x20b;
  const uint32_t fixed_optional_size = plus ? 112 : 96;  // without the data directories
  if (!r.has(optional, fixed_optional_size)) {
    ev.kind = Kind::truncated;
    ev.problem =
        past_end("the optional header (" + hex(fixed_optional_size) + " bytes at " + hex(optional) + ")", size);
    return;
  }
  std::vector<std::string> notes;
  if (optional_size < fixed_optional_size)
    notes.push_back("SizeOfOptionalHeader is " + std::to_string(optional_size) + ", less than the " +
                    std::to_string(fixed_optional_size) + " bytes of a " + (plus ? "PE32+" : "PE32") +
                    " optional header: the section table overlaps it");
  const uint64_t table = optional + optional_size;
  // The table is read as pefile and the loader read it: up to an entry of
  // zeros, so an overstated NumberOfSections is no truncation.
  uint16_t usable = 0;
  for (; usable < section_count; ++usable) {
    const uint64_t at = table + 40ull * usable;
    // pefile stops quietly where the file ends; a file cut inside its section
    // table is called truncated here, so that a cut file is never judged.
    if (!r.has(at, 40)) {
      ev.kind = Kind::truncated;
      ev.problem = past_end("section table entry " + std::to_string(usable) + " (40 bytes at " + hex(at) + ")", size);
      return;
    }
    bool zeros = true;
    for (uint64_t i = 0; i < 40 && zeros; ++i) zeros = r.u8(at + i) == 0;
    if (zeros) {
      notes.push_back("the section table announces " + std::to_string(section_count) + " sections; entry " +
                      std::to_string(usable) + " (at " + hex(at) +
                      ") is all zeros and ends it: " + std::to_string(usable) + " read");
      break;
    }
  }
  by_hand.section_alignment = r.u32(optional + 32);
  by_hand.file_alignment = r.u32(optional + 36);
  std::vector<Section> raw;  // the sections' raw_size and raw_offset, which LIEF is not given
  raw.reserve(usable);
  for (uint64_t at = table; at < table + 40ull * usable; at += 40) {
    SectionFacts f;
    for (uint64_t i = 0; i < 8 && r.u8(at + i) != 0; ++i) f.name += char(r.u8(at + i));
    f.virtual_size = r.u32(at + 8);
    f.virtual_address = r.u32(at + 12);
    Section s;
    s.name = printable(r, at, 8);
    s.raw_size = r.u32(at + 16);
    s.raw_offset = r.u32(at + 20);
    if (s.raw_size > 0 && !r.has(s.raw_offset, s.raw_size)) {
      ev.kind = Kind::truncated;
      ev.problem =
          past_end("section " + s.name + " (" + hex(s.raw_size) + " bytes at " + hex(s.raw_offset) + ")", size);
      return;
    }
    by_hand.sections.push_back(std::move(f));
    raw.push_back(std::move(s));
  }
  const uint16_t section_count_read = usable;

  HeaderFacts by_lief;
  std::string refused;
  try {
    by_lief = lief_header_facts(
        compact_headers(r, {pe_offset, optional, fixed_optional_size, table, section_count_read}), ev.name);
    refused = disagreement(by_hand, by_lief);
  } catch (const ReadFailed&) {
    throw;
  } catch (const std::exception& e) {
    refused = std::string("LIEF could not parse the headers: ") + e.what();
  } catch (...) {
    refused = "LIEF could not parse the headers";
  }
  if (!refused.empty()) {
    // When the two readings differ, neither is reported: the file is
    // unreadable, and the problem says on what they differ.
    ev.kind = Kind::unreadable;
    ev.problem = refused;
    return;
  }

  ev.kind = by_lief.magic == 0x20b ? Kind::pe32_plus : Kind::pe32;
  ev.machine = by_lief.machine;
  ev.link_time = by_lief.link_time;
  h.section_alignment = by_lief.section_alignment;
  h.file_alignment = by_lief.file_alignment;
  h.sections = std::move(raw);
  for (size_t i = 0; i < h.sections.size(); ++i) {
    Section& s = h.sections[i];
    s.rva = by_lief.sections[i].virtual_address;
    // Old linkers leave VirtualSize 0, which the loader reads as SizeOfRawData.
    s.virtual_size = by_lief.sections[i].virtual_size ? by_lief.sections[i].virtual_size : s.raw_size;
  }
  // The data directories are read by hand: LIEF was given none of them.
  const uint32_t directory_count = r.u32(optional + fixed_optional_size - 4);
  // The directories follow the fixed optional header whatever
  // SizeOfOptionalHeader says, as pefile and the loader read them.
  const uint64_t resource_slot = optional + fixed_optional_size + 2 * 8;
  if (directory_count > 2 && r.has(resource_slot, 8)) h.resource_rva = r.u32(resource_slot);
  if (h.resource_rva != 0) read_resources(r, h, ev);
  // What is unusual about the layout, after what could not be read.
  for (const auto& n : notes) ev.problem += (ev.problem.empty() ? "" : "; ") + n;
}

void read_into(const Reader& r, PeEvidence& ev) {
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
  // The PE header may start inside the DOS header (e_lfanew 4, as minimal
  // images have it): the loader and pefile read it there. Any other small
  // e_lfanew is a DOS program's.
  if (e_lfanew >= 4 && e_lfanew < 0x40 && r.has(e_lfanew, 4) && r.u8(e_lfanew) == 'P' && r.u8(e_lfanew + 1) == 'E' &&
      r.u16(e_lfanew + 2) == 0) {
    read_pe_image(r, e_lfanew, ev);
    return;
  }
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
      read_pe_image(r, e_lfanew, ev);
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
    case Kind::pe32:
      return "PE32";
    case Kind::pe32_plus:
      return "PE32+";
    case Kind::mz_only:
      return "MZ";
    case Kind::ne:
      return "NE";
    case Kind::le:
      return "LE";
    case Kind::lx:
      return "LX";
    case Kind::truncated:
      return "truncated";
    case Kind::not_executable:
      return "not-executable";
    case Kind::unreadable:
      return "unreadable";
  }
  return "unreadable";
}

std::string machine_name(uint16_t machine) {
  switch (machine) {
    case 0x14c:
      return "x86";
    case 0x184:
      return "alpha";
    case 0x166:
      return "mips";
    case 0x1f0:
      return "ppc";
    case 0x8664:
      return "x64";
    case 0x200:
      return "ia64";
    case 0x1c0:
      return "arm";
    case 0xaa64:
      return "arm64";
  }
  return hex(machine);
}

std::optional<Platform> machine_platform(uint16_t machine) {
  switch (machine) {
    case 0x14c:
      return Platform::x86;
    case 0x184:
      return Platform::alpha;
    case 0x166:
      return Platform::mips;
    case 0x1f0:
      return Platform::ppc;
    case 0x200:
      return Platform::ia64;
    case 0x8664:
      return Platform::x64;
  }
  return std::nullopt;
}

PeEvidence read_pe(const Source& source, const std::string& name) {
  PeEvidence ev;
  ev.name = name;
  ev.size = source.size();
  if (ev.size > kMaxFileBytes) {
    ev.kind = Kind::unreadable;
    ev.problem = std::to_string(ev.size) + " bytes, over the limit of " + std::to_string(kMaxFileBytes) +
                 " for a PE file; not read";
    return ev;
  }
  try {
    read_into(Reader(source), ev);
  } catch (const std::exception& e) {  // a failed read, or an allocation failure
    PeEvidence failed;
    failed.name = name;
    failed.size = ev.size;
    failed.kind = Kind::unreadable;
    failed.problem = std::string("cannot be read: ") + e.what();
    return failed;
  }
  return ev;
}

PeEvidence read_pe(const std::vector<uint8_t>& bytes, const std::string& name) {
  return read_pe(MemorySource(bytes), name);
}

}  // namespace hfa::pe
