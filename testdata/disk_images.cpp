#include "testdata/disk_images.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace hfa::testdata {
namespace {

// mkfs.fat, mkntfs and sfdisk live in /usr/sbin, off a normal user's PATH.
const std::string kSbinPath = "PATH=\"$PATH:/usr/sbin:/sbin\"; ";

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `command` through the shell with its output kept; "" or the failure.
std::string run(const std::string& command) {
  char log_name[] = "/tmp/hfa-image-tool-XXXXXX";
  const int fd = ::mkstemp(log_name);
  if (fd < 0) return "cannot create a log file";
  ::close(fd);
  const int status =
      std::system((kSbinPath + "(" + command + ") >" + quote(log_name) + " 2>&1 </dev/null").c_str());
  std::ifstream in(log_name);
  std::stringstream log;
  log << in.rdbuf();
  ::unlink(log_name);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  return command + ": exit " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ": " + log.str();
}

std::string sized_file(const std::string& path, uint64_t bytes) {
  std::error_code ec;
  fs::remove(path, ec);
  { std::ofstream create(path, std::ios::binary); }
  fs::resize_file(path, bytes, ec);
  return ec ? path + ": " + ec.message() : "";
}

}  // namespace

std::string missing_tool(const std::vector<std::string>& tools) {
  for (const auto& t : tools)
    if (std::system((kSbinPath + "command -v " + quote(t) + " >/dev/null 2>&1").c_str()) != 0) return t;
  return "";
}

std::string make_fat16_image(const std::string& folder, const std::string& image, uint64_t mib) {
  std::error_code ec;
  fs::remove(image, ec);
  // 512-byte clusters keep a few-MiB file system within FAT16's cluster counts.
  if (auto e = run("mkfs.fat -F 16 -s 1 -n NTSYSTEM -C " + quote(image) + " " + std::to_string(mib * 1024)); !e.empty()) return e;
  if (fs::is_empty(folder, ec)) return "";
  // mtools writes local wall-clock times: UTC here, as the volume reads them back.
  return run("cd " + quote(folder) + " && TZ=UTC MTOOLS_SKIP_CHECK=1 mcopy -s -m -Q -i " + quote(image) + " * ::/");
}

std::string make_ntfs_image(const std::string& folder, const std::string& image, uint64_t mib,
                            const std::string& populate_tool) {
  if (auto e = sized_file(image, mib << 20); !e.empty()) return e;
  if (auto e = run("mkntfs -F -Q -q " + quote(image)); !e.empty()) return e;
  return run(quote(populate_tool) + " " + quote(image) + " " + quote(folder));
}

namespace {

// One partition of a disk being written: a file system image copied in, or
// (no image) `sectors` left as zeros.
struct Slot {
  std::string image;
  uint64_t sectors = 0;
  std::string type;
};

// Lays the partitions out from 1 MiB on, each 1 MiB-aligned, writes sfdisk's
// `label` table over them and copies each image in; `tail` bytes follow the
// last partition (the backup GPT's room).
std::string partitioned_disk(const std::string& label, const std::vector<Slot>& slots, const std::string& disk,
                             uint64_t tail) {
  constexpr uint64_t kMiB = 1 << 20;
  std::string script = "label: " + label + "\n";
  uint64_t offset = kMiB;
  std::vector<uint64_t> offsets;
  for (const auto& p : slots) {
    std::error_code ec;
    const uint64_t size = p.image.empty() ? p.sectors * 512 : fs::file_size(p.image, ec);
    if (ec) return p.image + ": " + ec.message();
    const uint64_t sectors = (size + 511) / 512;
    script += "start=" + std::to_string(offset / 512) + ", size=" + std::to_string(sectors) + ", type=" + p.type + "\n";
    offsets.push_back(offset);
    offset += (sectors * 512 + kMiB - 1) / kMiB * kMiB;
  }
  if (auto e = sized_file(disk, offset + tail); !e.empty()) return e;
  const std::string script_file = disk + ".sfdisk";
  std::ofstream(script_file) << script;
  auto e = run("sfdisk --no-reread --no-tell-kernel -q " + quote(disk) + " < " + quote(script_file));
  std::error_code ec;
  fs::remove(script_file, ec);
  if (!e.empty()) return e;
  std::fstream out(disk, std::ios::binary | std::ios::in | std::ios::out);
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].image.empty()) continue;
    std::ifstream in(slots[i].image, std::ios::binary);
    out.seekp(static_cast<std::streamoff>(offsets[i]));
    out << in.rdbuf();
  }
  return out.flush() ? "" : disk + ": cannot write the partitions";
}

}  // namespace

std::string make_mbr_disk(const std::vector<PartitionSpec>& partitions, const std::string& disk) {
  std::vector<Slot> slots;
  for (const auto& p : partitions) {
    if (p.image.empty()) return disk + ": an MBR partition needs a file system image";
    slots.push_back({p.image, 0, p.type});
  }
  return partitioned_disk("dos", slots, disk, 0);
}

std::string convert_image(const std::string& raw, const std::string& out, const std::string& format,
                          uint64_t segment_bytes) {
  std::error_code ec;
  fs::remove(out, ec);
  if (format == "vmdk") return run("qemu-img convert -f raw -O vmdk " + quote(raw) + " " + quote(out));
  if (format == "vhd") return run("qemu-img convert -f raw -O vpc " + quote(raw) + " " + quote(out));
  if (format == "E01") {
    // ewfacquire adds the extension itself; -u: unattended, defaults for the case data.
    std::string target = out;
    if (target.size() > 4 && target.compare(target.size() - 4, 4, ".E01") == 0) target.resize(target.size() - 4);
    const std::string options =
        segment_bytes ? "-c none -S " + std::to_string(segment_bytes) : std::string("-c deflate:fast");
    return run("ewfacquire -u -q " + options + " -t " + quote(target) + " " + quote(raw));
  }
  return "unknown image format " + format;
}

std::string make_small_fat_image(const std::string& folder, const std::string& image, uint64_t kib) {
  std::error_code ec;
  fs::remove(image, ec);
  if (auto e = run("mkfs.fat -F 12 -s 1 -r 16 -n NTSYSTEM -C " + quote(image) + " " + std::to_string(kib)); !e.empty())
    return e;
  if (fs::is_empty(folder, ec)) return "";
  return run("cd " + quote(folder) + " && TZ=UTC MTOOLS_SKIP_CHECK=1 mcopy -s -m -Q -i " + quote(image) + " * ::/");
}

std::string convert_to_vmdk(const std::string& raw, const std::string& out, const std::string& subformat) {
  std::error_code ec;
  fs::remove(out, ec);
  return run("qemu-img convert -f raw -O vmdk -o subformat=" + quote(subformat) + " " + quote(raw) + " " + quote(out));
}

std::string convert_with_qemu(const std::string& raw, const std::string& out, const std::string& format) {
  std::error_code ec;
  fs::remove(out, ec);
  // "vhd-fixed": a fixed VHD (the raw disk and a footer), no 2 MiB blocks.
  if (format == "vhd-fixed")
    return run("qemu-img convert -f raw -O vpc -o subformat=fixed " + quote(raw) + " " + quote(out));
  return run("qemu-img convert -f raw -O " + quote(format) + " " + quote(raw) + " " + quote(out));
}

namespace {
void put_be32(std::string& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<char>(v >> (24 - 8 * i));
}
void put_be64(std::string& b, size_t at, uint64_t v) {
  put_be32(b, at, static_cast<uint32_t>(v >> 32));
  put_be32(b, at + 4, static_cast<uint32_t>(v));
}
void put_le32(std::string& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<char>(v >> (8 * i));
}
}  // namespace

std::string write_differencing_vhd(const std::string& out, const std::string& parent, uint64_t sectors) {
  const uint64_t size = sectors * 512, block = 2 << 20, blocks = (size + block - 1) / block;
  std::string footer(512, '\0');
  footer.replace(0, 8, "conectix");
  put_be32(footer, 8, 2);            // features: reserved bit
  put_be32(footer, 12, 0x00010000);  // version 1.0
  put_be64(footer, 16, 512);         // the dynamic header follows the footer copy
  footer.replace(28, 4, "qemu");
  put_be64(footer, 40, size);
  put_be64(footer, 48, size);
  put_be32(footer, 60, 4);  // differencing
  uint32_t sum = 0;
  for (char c : footer) sum += static_cast<uint8_t>(c);
  put_be32(footer, 64, ~sum);
  std::string header(1024, '\0');
  header.replace(0, 8, "cxsparse");
  put_be64(header, 8, ~uint64_t(0));
  put_be64(header, 16, 1536);  // the block table
  put_be32(header, 24, 0x00010000);
  put_be32(header, 28, static_cast<uint32_t>(blocks));
  put_be32(header, 32, static_cast<uint32_t>(block));
  for (size_t i = 0; i < parent.size() && i < 256; ++i) header[64 + 2 * i + 1] = parent[i];  // UTF-16BE
  uint32_t hsum = 0;
  for (char c : header) hsum += static_cast<uint8_t>(c);
  put_be32(header, 36, ~hsum);
  std::string table(((blocks * 4 + 511) / 512) * 512, '\xff');
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file << footer << header << table << footer;
  return file ? "" : out + ": cannot write";
}

std::string make_gpt_disk(const std::vector<GptPartitionSpec>& partitions, const std::string& disk) {
  std::vector<Slot> slots;
  for (const auto& p : partitions) slots.push_back({p.image, p.sectors, p.type});
  return partitioned_disk("gpt", slots, disk, 1 << 20);  // room for the backup GPT
}

std::string make_extended_chain_disk(const std::string& disk, uint32_t logicals) {
  // Sector 0: the MBR with one extended partition from sector 1; then for
  // each logical drive its EBR and the drive's one sector.
  const uint64_t sectors = 1 + 2 * uint64_t(logicals);
  std::string bytes(sectors * 512, '\0');
  const auto entry = [&](uint64_t sector, int slot, uint8_t type, uint32_t start, uint32_t count) {
    const size_t at = sector * 512 + 446 + 16 * slot;
    bytes[at + 4] = static_cast<char>(type);
    put_le32(bytes, at + 8, start);
    put_le32(bytes, at + 12, count);
    bytes[sector * 512 + 510] = '\x55';
    bytes[sector * 512 + 511] = '\xaa';
  };
  entry(0, 0, 0x05, 1, static_cast<uint32_t>(sectors - 1));
  for (uint32_t i = 0; i < logicals; ++i) {
    const uint64_t ebr = 1 + 2 * uint64_t(i);
    entry(ebr, 0, 0x83, 1, 1);  // the drive, relative to its EBR
    if (i + 1 < logicals) entry(ebr, 1, 0x05, 2 * (i + 1), 2);  // the next EBR, relative to the extended partition
  }
  std::ofstream out(disk, std::ios::binary | std::ios::trunc);
  out << bytes;
  return out ? "" : disk + ": cannot write";
}

std::string make_system_and_boot_disk(const std::string& system_tree, const std::string& boot_tree, bool ntfs_boot,
                                      const std::string& populate_tool, const std::string& disk) {
  const std::string p1 = disk + ".p1", p2 = disk + ".p2";
  auto e = make_fat16_image(system_tree, p1, 8);
  if (e.empty()) e = ntfs_boot ? make_ntfs_image(boot_tree, p2, 8, populate_tool) : make_fat16_image(boot_tree, p2, 8);
  if (e.empty()) e = make_mbr_disk({{p1, "6"}, {p2, ntfs_boot ? "7" : "6"}}, disk);
  std::error_code ec;
  fs::remove(p1, ec);
  fs::remove(p2, ec);
  return e;
}

}  // namespace hfa::testdata
