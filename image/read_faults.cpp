// ReadFaults is filled by the disk image readers and read by the scan: it lives
// with the volume code, which is always linked, so that the executable does not
// need the disk image module (disk_images_loader.cpp) to list a scan's faults.
#include <algorithm>

#include "image/disk_image.h"

namespace hfa::image {

void ReadFaults::add(const std::string& fault) {
  std::lock_guard<std::mutex> hold(mutex_);
  if (faults_.size() < 1000 && std::find(faults_.begin(), faults_.end(), fault) == faults_.end())
    faults_.push_back(fault);
}

std::vector<std::string> ReadFaults::list() const {
  std::lock_guard<std::mutex> hold(mutex_);
  return faults_;
}

}  // namespace hfa::image
