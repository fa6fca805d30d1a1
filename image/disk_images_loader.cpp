// open_disk_image and verify_disk_image for the executable: the readers are in
// the module libhfa-disk-images.so beside it (disk_images_module.cpp), loaded
// on first use, so that a run given only folders never loads TSK and the
// container libraries. The tests link the readers themselves
// (hfa_disk_images) instead of this file.
#include <dlfcn.h>

#include <mutex>

#include "core/install_paths.h"
#include "image/disk_image.h"

namespace hfa::image {
namespace {

using OpenFn = void (*)(const std::string*, DiskImage*);
using VerifyFn = void (*)(const std::string*, const std::vector<std::string>*, ImageVerification*);

struct Module {
  OpenFn open = nullptr;
  VerifyFn verify = nullptr;
  std::string error;  // why the module could not be loaded
};

const Module& module() {
  static Module m;
  static std::once_flag once;
  std::call_once(once, [] {
    const auto path = shipped_file("libhfa-disk-images.so", "lib/hotfix-audit");
    // Never closed: the volumes it makes live as long as the process.
    void* handle = ::dlopen(path.c_str(), kModuleBinding | RTLD_LOCAL);
    if (!handle) {
      const char* why = ::dlerror();
      m.error = "disk image support is not available: " + (why ? std::string(why) : path);
      return;
    }
    m.open = reinterpret_cast<OpenFn>(::dlsym(handle, "hfa_disk_images_open"));
    m.verify = reinterpret_cast<VerifyFn>(::dlsym(handle, "hfa_disk_images_verify"));
    if (!m.open || !m.verify) m.error = "disk image support is not available: " + path + " lacks its entry points";
  });
  return m;
}

}  // namespace

DiskImage open_disk_image(const std::string& path) {
  const auto& m = module();
  DiskImage out;
  if (!m.error.empty()) {
    out.path = path;
    out.error = m.error;
    return out;
  }
  m.open(&path, &out);
  return out;
}

ImageVerification verify_disk_image(const std::string& path, const std::vector<std::string>& algorithms) {
  const auto& m = module();
  ImageVerification out;
  if (!m.error.empty()) {
    out.result = m.error;
    out.error = m.error;
    return out;
  }
  m.verify(&path, &algorithms, &out);
  return out;
}

}  // namespace hfa::image
