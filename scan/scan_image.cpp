// A disk image as a scan root: each NTFS or FAT partition is scanned as a
// volume, exactly as a mounted folder is.
#include "image/disk_image.h"
#include "scan/scan.h"

namespace hfa::scan {

std::vector<Target> scan_image(const std::string& path, const kbdb::Database& db) {
  const auto image = image::open_disk_image(path);
  if (!image.error.empty()) return {failed_target(path, image.error)};
  std::vector<Target> out, without_windows;
  std::vector<std::string> skipped;
  for (const auto& p : image.partitions) {
    if (!p.error.empty()) {
      out.push_back(failed_target(p.name, p.error));
      continue;
    }
    if (!p.volume) {
      skipped.push_back(p.name + ": " + p.skipped);
      continue;
    }
    for (auto& t : scan_volume(*p.volume, db)) {
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
    if (!t.system_root.empty())
      for (const auto& s : skipped) t.notes.push_back("not scanned: " + s);
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
  }
  return out;
}

}  // namespace hfa::scan
