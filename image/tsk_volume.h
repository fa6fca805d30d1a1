// Internal to image/: a TSK file system as a Volume (tsk_volume.cpp).
#pragma once

#include <tsk/libtsk.h>

#include <memory>
#include <string>

#include "image/volume.h"

namespace hfa::image {

// TSK's last error as one line, and the error cleared.
std::string tsk_says();

// Takes ownership of `fs`; `image` is kept alive as long as the volume (the
// image and partition table the file system is read through).
std::unique_ptr<Volume> make_tsk_volume(std::string name, std::shared_ptr<const void> image, TSK_FS_INFO* fs);

}  // namespace hfa::image
