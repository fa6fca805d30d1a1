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

std::string make_mbr_disk(const std::vector<PartitionSpec>& partitions, const std::string& disk) {
  constexpr uint64_t kMiB = 1 << 20;
  std::string script = "label: dos\n";
  uint64_t offset = kMiB;
  std::vector<uint64_t> offsets;
  for (const auto& p : partitions) {
    std::error_code ec;
    const uint64_t size = fs::file_size(p.image, ec);
    if (ec) return p.image + ": " + ec.message();
    const uint64_t sectors = (size + 511) / 512;
    script += "start=" + std::to_string(offset / 512) + ", size=" + std::to_string(sectors) + ", type=" + p.type + "\n";
    offsets.push_back(offset);
    offset += (sectors * 512 + kMiB - 1) / kMiB * kMiB;
  }
  if (auto e = sized_file(disk, offset); !e.empty()) return e;
  const std::string script_file = disk + ".sfdisk";
  std::ofstream(script_file) << script;
  auto e = run("sfdisk --no-reread --no-tell-kernel -q " + quote(disk) + " < " + quote(script_file));
  std::error_code ec;
  fs::remove(script_file, ec);
  if (!e.empty()) return e;
  std::fstream out(disk, std::ios::binary | std::ios::in | std::ios::out);
  for (size_t i = 0; i < partitions.size(); ++i) {
    std::ifstream in(partitions[i].image, std::ios::binary);
    out.seekp(static_cast<std::streamoff>(offsets[i]));
    out << in.rdbuf();
  }
  return out.flush() ? "" : disk + ": cannot write the partitions";
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
