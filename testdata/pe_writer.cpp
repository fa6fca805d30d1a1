#include "testdata/pe_writer.h"

#include <stdexcept>

namespace hfa::testdata {
namespace {

using Bytes = std::vector<uint8_t>;

void put16(Bytes& b, size_t at, uint16_t v) {
  b[at] = uint8_t(v);
  b[at + 1] = uint8_t(v >> 8);
}
uint16_t get16(const Bytes& b, size_t at) { return uint16_t(b[at] | b[at + 1] << 8); }

void put32(Bytes& b, size_t at, uint32_t v) {
  put16(b, at, uint16_t(v));
  put16(b, at + 2, uint16_t(v >> 16));
}

void put64(Bytes& b, size_t at, uint64_t v) {
  put32(b, at, uint32_t(v));
  put32(b, at + 4, uint32_t(v >> 32));
}

void append16(Bytes& b, uint16_t v) {
  b.resize(b.size() + 2);
  put16(b, b.size() - 2, v);
}

void append32(Bytes& b, uint32_t v) {
  b.resize(b.size() + 4);
  put32(b, b.size() - 4, v);
}

constexpr size_t align(size_t v, size_t a) { return (v + a - 1) / a * a; }

void pad_to(Bytes& b, size_t multiple) { b.resize(align(b.size(), multiple)); }

// The spec's strings are UTF-8; version resources hold UTF-16LE.
std::u16string utf16(const std::string& s) {
  std::u16string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    if (i + extra >= s.size()) throw std::invalid_argument("truncated UTF-8 in " + s);
    char32_t cp = extra == 0 ? c : c & (0x3f >> extra);
    for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    i += extra + 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += char16_t(0xd800 + (cp >> 10));
      out += char16_t(0xdc00 + (cp & 0x3ff));
    } else {
      out += char16_t(cp);
    }
  }
  return out;
}

void append_utf16z(Bytes& b, const std::u16string& s) {
  for (char16_t c : s) append16(b, c);
  append16(b, 0);
}

// One node of a VS_VERSIONINFO tree: wLength, wValueLength, wType, szKey,
// padding, Value, padding, Children. Every node starts on a DWORD boundary and
// its wLength covers itself and its children but not the padding after it.
Bytes version_node(const std::string& key, const Bytes& value, uint16_t value_length, bool text,
                   const std::vector<Bytes>& children) {
  Bytes b(6);
  append_utf16z(b, utf16(key));
  pad_to(b, 4);
  b.insert(b.end(), value.begin(), value.end());
  for (const auto& child : children) {
    pad_to(b, 4);
    b.insert(b.end(), child.begin(), child.end());
  }
  if (b.size() > 0xffff) throw std::invalid_argument("version block " + key + " exceeds 64 KiB");
  put16(b, 0, uint16_t(b.size()));
  put16(b, 2, value_length);
  put16(b, 4, text ? 1 : 0);
  return b;
}

uint32_t ms(const Version& v) { return uint32_t(v.major) << 16 | v.minor; }
uint32_t ls(const Version& v) { return uint32_t(v.build) << 16 | v.revision; }

Bytes version_info(const PeSpec& spec) {
  const Version file = *spec.file_version;
  const Version product = spec.product_version.value_or(file);
  Bytes fixed(52);
  put32(fixed, 0, 0xfeef04bd);                 // dwSignature
  put32(fixed, 4, 0x00010000);                 // dwStrucVersion 1.0
  put32(fixed, 8, ms(file));
  put32(fixed, 12, ls(file));
  put32(fixed, 16, ms(product));
  put32(fixed, 20, ls(product));
  put32(fixed, 24, 0x3f);                      // dwFileFlagsMask
  put32(fixed, 32, 0x00040004);                // dwFileOS: VOS_NT_WINDOWS32
  put32(fixed, 36, spec.dll ? 2 : 1);          // dwFileType: VFT_DLL / VFT_APP

  std::vector<Bytes> strings;
  for (const auto& [key, text] : spec.strings) {
    Bytes value;
    append_utf16z(value, utf16(text));
    strings.push_back(version_node(key, value, uint16_t(value.size() / 2), true, {}));
  }
  const Bytes table = version_node("040904B0", {}, 0, true, strings);
  Bytes translation;
  append16(translation, 0x0409);  // U.S. English
  append16(translation, 0x04b0);  // Unicode
  const Bytes var = version_node("Translation", translation, 4, false, {});
  return version_node("VS_VERSION_INFO", fixed, 52, false,
                      {version_node("StringFileInfo", {}, 0, true, {table}),
                       version_node("VarFileInfo", {}, 0, true, {var})});
}

// The .rsrc section: RT_VERSION (16) / 1 / 0x409 -> the VS_VERSIONINFO.
Bytes resource_section(const PeSpec& spec, uint32_t section_rva) {
  Bytes b;
  auto directory = [&b](uint32_t id, uint32_t target) {
    b.resize(b.size() + 12);  // Characteristics, TimeDateStamp, Major/MinorVersion
    append16(b, 0);           // NumberOfNamedEntries
    append16(b, 1);           // NumberOfIdEntries
    append32(b, id);
    append32(b, target);
  };
  constexpr uint32_t kSubdirectory = 0x80000000;
  directory(16, kSubdirectory | 0x18);
  directory(1, kSubdirectory | 0x30);
  directory(0x409, 0x48);
  const Bytes info = version_info(spec);
  append32(b, section_rva + 0x58);  // IMAGE_RESOURCE_DATA_ENTRY: OffsetToData
  append32(b, uint32_t(info.size()));
  append32(b, 0);                   // CodePage
  append32(b, 0);                   // Reserved
  b.resize(0x58);
  b.insert(b.end(), info.begin(), info.end());
  return b;
}

// The PE image checksum (what imagehlp's CheckSumMappedFile computes): a
// 16-bit one's-complement-style sum of the file, skipping the field itself,
// plus the file length.
uint32_t pe_checksum(const Bytes& b, size_t checksum_at) {
  uint64_t sum = 0;
  for (size_t i = 0; i < b.size(); i += 2) {
    if (i == checksum_at || i == checksum_at + 2) continue;
    sum += b[i] | (i + 1 < b.size() ? b[i + 1] << 8 : 0);
    sum = (sum & 0xffff) + (sum >> 16);
  }
  sum = (sum & 0xffff) + (sum >> 16);
  return uint32_t(sum + b.size());
}

constexpr uint32_t kNewHeader = 0x80;

// DOS header and the usual "cannot be run in DOS mode" stub, up to e_lfanew.
// e_lfarlc 0x40 is what tells DOS-era tools a new-style header follows.
Bytes dos_part(uint32_t e_lfanew) {
  Bytes b(kNewHeader);
  b[0] = 'M';
  b[1] = 'Z';
  put16(b, 0x02, 0x90);    // e_cblp: bytes on the last page
  put16(b, 0x04, 3);       // e_cp: pages
  put16(b, 0x08, 4);       // e_cparhdr: header paragraphs
  put16(b, 0x0c, 0xffff);  // e_maxalloc
  put16(b, 0x10, 0xb8);    // e_sp
  put16(b, 0x18, 0x40);    // e_lfarlc
  put32(b, 0x3c, e_lfanew);
  static const uint8_t stub[] = {0x0e, 0x1f, 0xba, 0x0e, 0x00, 0xb4, 0x09, 0xcd,
                                 0x21, 0xb8, 0x01, 0x4c, 0xcd, 0x21};
  static const char message[] = "This program cannot be run in DOS mode.\r\r\n$";
  std::copy(std::begin(stub), std::end(stub), b.begin() + 0x40);
  std::copy(message, message + sizeof message - 1, b.begin() + 0x40 + sizeof stub);
  return b;
}

void pad_to_size(Bytes& b, uint64_t size) {
  if (size == 0) return;
  if (size < b.size())
    throw std::invalid_argument("requested size " + std::to_string(size) + " is below the natural size " +
                                std::to_string(b.size()));
  b.resize(size);
}

}  // namespace

std::vector<uint8_t> write_pe(const PeSpec& spec) {
  constexpr uint32_t kFileAlign = 0x200, kSectionAlign = 0x1000;
  constexpr uint32_t kTextRva = 0x1000, kTextRaw = 0x200;
  const bool with_rsrc = spec.file_version.has_value();
  const uint16_t sections = with_rsrc ? 2 : 1;
  const uint32_t fixed_optional = spec.pe32_plus ? 112 : 96;
  const uint32_t optional_size = fixed_optional + 16 * 8;
  const uint32_t coff = kNewHeader + 4, optional = coff + 20, section_table = optional + optional_size;
  const uint32_t headers_size = uint32_t(align(section_table + sections * 40, kFileAlign));

  const uint32_t rsrc_rva = kTextRva + kSectionAlign;
  const Bytes rsrc = with_rsrc ? resource_section(spec, rsrc_rva) : Bytes{};
  const uint32_t rsrc_raw = uint32_t(align(rsrc.size(), kFileAlign));
  const uint32_t image_size = with_rsrc ? uint32_t(align(rsrc_rva + rsrc.size(), kSectionAlign)) : rsrc_rva;

  Bytes b = dos_part(kNewHeader);
  b.resize(headers_size + kTextRaw + rsrc_raw);
  b[kNewHeader] = 'P';
  b[kNewHeader + 1] = 'E';

  put16(b, coff, spec.machine);
  put16(b, coff + 2, sections);
  put32(b, coff + 4, spec.link_time);
  put16(b, coff + 16, uint16_t(optional_size));
  // EXECUTABLE_IMAGE | LINE_NUMS_STRIPPED | LOCAL_SYMS_STRIPPED, then
  // 32BIT_MACHINE or LARGE_ADDRESS_AWARE, and DLL.
  put16(b, coff + 18, uint16_t(0x000e | (spec.pe32_plus ? 0x0020 : 0x0100) | (spec.dll ? 0x2000 : 0)));

  const uint64_t image_base = spec.pe32_plus ? (spec.dll ? 0x180000000ull : 0x140000000ull)
                                             : (spec.dll ? 0x10000000u : 0x400000u);
  put16(b, optional, spec.pe32_plus ? 0x20b : 0x10b);
  b[optional + 2] = 4;  // linker 4.20, as NT 4.0's own files
  b[optional + 3] = 20;
  put32(b, optional + 4, kTextRaw);  // SizeOfCode
  put32(b, optional + 8, rsrc_raw);  // SizeOfInitializedData
  put32(b, optional + 16, spec.dll ? 0 : kTextRva);  // AddressOfEntryPoint: a DLL may have none
  put32(b, optional + 20, kTextRva);                 // BaseOfCode
  if (spec.pe32_plus) {
    put64(b, optional + 24, image_base);
  } else {
    put32(b, optional + 24, rsrc_rva);  // BaseOfData
    put32(b, optional + 28, uint32_t(image_base));
  }
  put32(b, optional + 32, kSectionAlign);
  put32(b, optional + 36, kFileAlign);
  put16(b, optional + 40, 4);  // OperatingSystemVersion 4.0
  put16(b, optional + 44, 4);  // ImageVersion 4.0
  put16(b, optional + 48, 4);  // SubsystemVersion 4.0
  put32(b, optional + 56, image_size);
  put32(b, optional + 60, headers_size);
  put16(b, optional + 68, 2);  // Subsystem: Windows GUI
  const uint32_t sizes = optional + 72;  // stack reserve/commit, heap reserve/commit
  for (int i = 0; i < 4; ++i) {
    const uint64_t v = i % 2 ? 0x1000 : 0x100000;
    if (spec.pe32_plus)
      put64(b, sizes + 8 * i, v);
    else
      put32(b, sizes + 4 * i, uint32_t(v));
  }
  const uint32_t after_sizes = sizes + (spec.pe32_plus ? 32 : 16);  // LoaderFlags, NumberOfRvaAndSizes
  put32(b, after_sizes + 4, 16);
  const uint32_t directories = optional + fixed_optional;
  if (with_rsrc) {
    put32(b, directories + 2 * 8, rsrc_rva);
    put32(b, directories + 2 * 8 + 4, uint32_t(rsrc.size()));
  }

  auto section = [&b](uint32_t at, const char* name, uint32_t virtual_size, uint32_t rva, uint32_t raw_size,
                      uint32_t raw_at, uint32_t characteristics) {
    for (size_t i = 0; name[i]; ++i) b[at + i] = uint8_t(name[i]);
    put32(b, at + 8, virtual_size);
    put32(b, at + 12, rva);
    put32(b, at + 16, raw_size);
    put32(b, at + 20, raw_at);
    put32(b, at + 36, characteristics);
  };
  section(section_table, ".text", 1, kTextRva, kTextRaw, headers_size, 0x60000020);  // code, execute, read
  b[headers_size] = 0xc3;  // the whole program: ret
  if (with_rsrc) {
    section(section_table + 40, ".rsrc", uint32_t(rsrc.size()), rsrc_rva, rsrc_raw, headers_size + kTextRaw,
            0x40000040);  // initialized data, read
    std::copy(rsrc.begin(), rsrc.end(), b.begin() + headers_size + kTextRaw);
  }

  pad_to_size(b, spec.size);
  put32(b, optional + 64, pe_checksum(b, optional + 64));
  return b;
}

std::vector<uint8_t> write_unusual_pe(const PeSpec& spec, PeLayout layout) {
  Bytes b = write_pe(spec);
  const uint32_t coff = kNewHeader + 4, optional = coff + 20;
  const uint32_t headers_end = optional + get16(b, coff + 16) + 40u * get16(b, coff + 2);
  switch (layout) {
    case PeLayout::header_in_dos_header: {
      // The headers move to offset 4; the sections' data stays where it is.
      Bytes moved(b.begin() + kNewHeader, b.begin() + headers_end);
      std::fill(b.begin() + 2, b.begin() + headers_end, uint8_t(0));
      std::copy(moved.begin(), moved.end(), b.begin() + 4);
      const uint32_t new_optional = 4 + 4 + 20;
      put32(b, 0x3c, 4);  // e_lfanew, and SectionAlignment at new_optional + 32
      put32(b, new_optional + 64, 0);
      put32(b, new_optional + 64, pe_checksum(b, new_optional + 64));
      return b;
    }
    case PeLayout::no_optional_header_size:
      // Headers alone, as minimal images are: no section to overlap.
      put16(b, coff + 16, 0);
      put16(b, coff + 2, 0);
      break;
    case PeLayout::overstated_section_count:
      put16(b, coff + 2, 0xffff);
      break;
  }
  put32(b, optional + 64, 0);
  put32(b, optional + 64, pe_checksum(b, optional + 64));
  return b;
}

std::vector<uint8_t> write_ne(const std::string& module_name, uint64_t size) {
  if (module_name.empty() || module_name.size() > 255) throw std::invalid_argument("NE module name length");
  Bytes b = dos_part(kNewHeader);
  Bytes ne(0x40);
  ne[0] = 'N';
  ne[1] = 'E';
  ne[2] = 5;  // linker 5.10
  ne[3] = 10;
  put16(ne, 0x0c, 0x8000 | 0x0002);  // library module, single shared data segment
  put16(ne, 0x22, 0x40);             // segment table (empty)
  put16(ne, 0x24, 0x40);             // resource table: same offset as the next table means none
  put16(ne, 0x26, 0x40);             // resident-name table
  // Resident names: the module name with ordinal 0, then a terminating 0.
  ne.push_back(uint8_t(module_name.size()));
  ne.insert(ne.end(), module_name.begin(), module_name.end());
  append16(ne, 0);
  ne.push_back(0);
  put16(ne, 0x28, uint16_t(ne.size()));  // module-reference table (no entries)
  put16(ne, 0x2a, uint16_t(ne.size()));  // imported-names table: just its empty first string
  ne.push_back(0);
  put16(ne, 0x04, uint16_t(ne.size()));  // entry table: one empty bundle
  put16(ne, 0x06, 2);
  append16(ne, 0);
  // Non-resident names (absolute file offset): the module description.
  const std::string description = module_name + " module";
  put32(ne, 0x2c, uint32_t(kNewHeader + ne.size()));
  put16(ne, 0x20, uint16_t(description.size() + 4));
  ne.push_back(uint8_t(description.size()));
  ne.insert(ne.end(), description.begin(), description.end());
  append16(ne, 0);
  ne.push_back(0);
  put16(ne, 0x32, 4);       // sector alignment shift
  ne[0x36] = 2;             // target OS: Windows
  put16(ne, 0x3e, 0x030a);  // expected Windows version 3.10
  b.insert(b.end(), ne.begin(), ne.end());
  pad_to_size(b, size);
  return b;
}

std::vector<uint8_t> write_mz_only() {
  Bytes b(0x40);
  b[0] = 'M';
  b[1] = 'Z';
  const uint8_t program[] = {0xb8, 0x00, 0x4c, 0xcd, 0x21};  // mov ax,4C00h; int 21h
  for (uint8_t c : program) b.push_back(c);  // insert() trips a GCC 12 -Warray-bounds false positive
  put16(b, 0x02, uint16_t(b.size()));  // e_cblp: the only page is partial
  put16(b, 0x04, 1);                   // e_cp
  put16(b, 0x08, 4);                   // e_cparhdr
  put16(b, 0x0c, 0xffff);              // e_maxalloc
  put16(b, 0x10, 0x100);               // e_sp
  put16(b, 0x18, 0x1c);                // e_lfarlc: a plain DOS header, no relocations
  return b;                            // e_lfanew stays 0
}

std::vector<uint8_t> write_le(bool lx) {
  Bytes b = dos_part(kNewHeader);
  Bytes h(0xc4);
  h[0] = 'L';
  h[1] = lx ? 'X' : 'E';
  put16(h, 0x08, 2);                     // CPU: 80386
  put16(h, 0x0a, lx ? 1 : 4);            // OS: OS/2, or Windows 386 (a VxD)
  put32(h, 0x10, lx ? 0x8000 : 0x38000); // library module / VxD device driver
  put32(h, 0x28, 0x1000);                // page size
  const std::string name = lx ? "SAMPLE" : "SAMPLEVXD";
  const uint32_t tables = uint32_t(h.size());
  put32(h, 0x40, tables);  // object table (no objects)
  put32(h, 0x48, tables);  // object page table
  put32(h, 0x50, tables);  // resource table (no resources)
  put32(h, 0x58, tables);  // resident-name table
  h.push_back(uint8_t(name.size()));
  h.insert(h.end(), name.begin(), name.end());
  append16(h, 0);
  h.push_back(0);
  put32(h, 0x5c, uint32_t(h.size()));  // entry table: one empty bundle
  h.push_back(0);
  put32(h, 0x38, uint32_t(h.size() - tables));  // loader section size
  b.insert(b.end(), h.begin(), h.end());
  return b;
}

}  // namespace hfa::testdata
