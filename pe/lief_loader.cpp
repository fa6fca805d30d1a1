// lief_header_facts for the executable: LIEF is in the module libhfa-lief.so
// beside it (lief_module.cpp), loaded on the first PE file read, so that runs
// that read none (--version, --help, db, report) do not load it. The tests
// link LIEF itself (hfa_pe_lief) instead of this file.
#include <dlfcn.h>

#include <mutex>
#include <stdexcept>

#include "core/install_paths.h"
#include "pe/lief_headers.h"

namespace hfa::pe {
namespace {

using FactsFn = int (*)(const std::vector<uint8_t>*, const std::string*, HeaderFacts*, std::string*);

// What LIEF threw that was not a std::exception: caught as such by the reader.
struct Unknown {};

FactsFn load(std::string& error) {
  const std::string path = shipped_file("libhfa-lief.so", "lib/hotfix-audit");
  // Never closed: LIEF's static state lives as long as the process.
  void* handle = ::dlopen(path.c_str(), kModuleBinding | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    error = "LIEF is not available: " + (why ? std::string(why) : path);
    return nullptr;
  }
  auto fn = reinterpret_cast<FactsFn>(::dlsym(handle, "hfa_lief_header_facts"));
  if (!fn) error = "LIEF is not available: " + path + " lacks its entry point";
  return fn;
}

}  // namespace

HeaderFacts lief_header_facts(const std::vector<uint8_t>& image, const std::string& name) {
  static std::string error;
  static FactsFn fn = nullptr;
  static std::once_flag once;
  std::call_once(once, [] { fn = load(error); });
  if (!fn) throw std::runtime_error(error);
  HeaderFacts out;
  std::string what;
  switch (fn(&image, &name, &out, &what)) {
    case 0:
      return out;
    case 1:
      throw std::runtime_error(what);
    default:
      throw Unknown{};
  }
}

}  // namespace hfa::pe
