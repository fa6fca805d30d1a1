// A disk image as a scan root: each NTFS or FAT partition is scanned as a
// volume, exactly as a mounted folder is.
#include "core/text.h"
#include "image/disk_image.h"
#include "image/installations.h"
#include "scan/scan.h"

namespace hfa::scan {
namespace {

// NT's system partition (a small FAT one, say p1) holds boot.ini; its entries'
// partition(N) name the boot partitions that hold the installations, on the
// same disk. For each partition, the entries of another partition's boot.ini
// that name it ("boot.ini on p1").
std::vector<std::optional<image::BootIniFile>> boot_ini_for_each(const image::DiskImage& image,
                                                                 std::vector<std::string>& notes) {
  std::vector<std::optional<image::BootIniFile>> out(image.partitions.size());
  for (size_t i = 0; i < image.partitions.size(); ++i) {
    const auto& system = image.partitions[i];
    if (!system.volume || system.arc_number == 0) continue;
    std::vector<std::string> ignored;  // the partition's own scan reports them
    const auto ini = image::read_boot_ini(*system.volume, ignored);
    if (!ini) continue;
    for (const auto& e : ini->ini.entries) {
      const auto n = image::arc_partition(e.arc_path);
      if (!n || *n == system.arc_number || e.folder.empty()) continue;  // its own partition reads it itself
      size_t target = image.partitions.size();
      for (size_t j = 0; j < image.partitions.size(); ++j)
        if (image.partitions[j].arc_number == *n) target = j;
      const std::string where = "boot.ini on p" + std::to_string(system.number);
      if (target == image.partitions.size()) {
        notes.push_back(image::boot_line(where, e.line) + ": " + e.arc_path +
                        " names a partition this disk does not have");
        continue;
      }
      auto& file = out[target];
      if (!file) file = image::BootIniFile{where, {}};
      // One boot.ini per boot partition: the first system partition's.
      if (file->where == where) file->ini.entries.push_back(e);
    }
  }
  return out;
}

}  // namespace

std::vector<Target> scan_image(const std::string& path, const kbdb::Database& db, const EvidenceOptions& options) {
  const auto image = image::open_disk_image(path);
  ImageIdentity identity;
  identity.files = image.files;
  identity.stored_hashes = image.stored_digests;
  if (options.verify_image) {
    // A second pass over the whole image, apart from the scan's reads of a
    // few files: asked for, since it costs the image's size in reading.
    auto v = image::verify_disk_image(path, options.hashes);
    if (!v.computed.empty()) identity.computed_hashes = v.computed;
    if (!v.stored.empty()) identity.verified = v.done && v.matches;
    identity.verify_error = v.error;
  }
  if (!image.error.empty()) {
    auto t = failed_target(path, image.error);
    t.image = identity;
    return {t};
  }
  std::vector<Target> out, without_windows;
  std::vector<std::string> skipped, boot_notes;
  const auto boot_ini = boot_ini_for_each(image, boot_notes);
  for (size_t i = 0; i < image.partitions.size(); ++i) {
    const auto& p = image.partitions[i];
    if (!p.error.empty()) {
      out.push_back(failed_target(p.name, p.error));
      continue;
    }
    if (!p.volume) {
      skipped.push_back(p.name + ": " + p.skipped);
      continue;
    }
    for (auto& t : scan_volume(*p.volume, db, boot_ini[i], options)) {
      if (t.system_root.empty() && t.error == image::Discovery::kLookedFor)
        without_windows.push_back(std::move(t));
      else
        out.push_back(std::move(t));
    }
  }
  bool any_installation = false;
  for (const auto& t : out) any_installation = any_installation || !t.system_root.empty();
  // A data partition beside the system one is normal; an image with no
  // installation at all is a failed target, naming what each partition held.
  if (!any_installation) {
    for (auto& t : without_windows) out.push_back(std::move(t));
    if (out.empty()) {
      auto t = failed_target(path, std::string(image::Discovery::kLookedFor) + " on any partition");
      t.notes = skipped;
      out.push_back(std::move(t));
    }
  }
  for (auto& t : out)
    if (!t.system_root.empty()) {
      for (const auto& s : skipped) t.notes.push_back("not scanned: " + s);
      for (const auto& n : boot_notes) t.notes.push_back(n);
    }
  for (auto& t : out) t.image = identity;
  // Incomplete evidence is never absent evidence: each target read from the
  // image says where the image is incomplete (known when it was opened, or
  // met while files were read), and one more target carries it as an error,
  // so that the exit status says the evidence was not all there.
  auto incomplete = image.incomplete;
  for (const auto& f : image.faults->list()) incomplete.push_back("cannot be read: " + f);
  if (!incomplete.empty()) {
    for (auto& t : out)
      for (const auto& i : incomplete) t.notes.push_back("evidence incomplete: " + i);
    std::string all;
    for (const auto& i : incomplete) all += (all.empty() ? "" : "; ") + i;
    out.push_back(failed_target(path, "the evidence is incomplete: " + all));
    out.back().image = identity;
  }
  return out;
}

}  // namespace hfa::scan
