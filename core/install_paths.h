// Where the files shipped with the executable are: beside it in the build
// tree, or in the installation's folders relative to its bin/ (the .deb puts
// the modules in lib/hotfix-audit and the databases in share/hotfix-audit).
// Found through /proc/self/exe, so that neither the working directory nor PATH
// decides which copy is used.
#pragma once

#include <dlfcn.h>

#include <string>
#include <string_view>

namespace hfa {

// The folder of the running executable; "." when it cannot be told.
std::string executable_dir();

// executable_dir()/name when it exists, else executable_dir()/../installed/name
// when that exists; else the first, for the error message of whoever opens it.
std::string shipped_file(std::string_view name, std::string_view installed);

// dlopen flags for the modules opened on first use (LIEF, the disk-image
// readers): bound lazily, since a run calls a few of their thousands of
// functions. Bound at once under AddressSanitizer: LeakSanitizer's tracer
// crashed at exit in the E01 tests while they were lazy; the crash was later
// traced to the tracer misreading the dynamic TLS of dlopen'd libraries (see
// cli/CMakeLists.txt), and lazy binding was not tried again under the sanitizer.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr int kModuleBinding = RTLD_NOW;
#else
inline constexpr int kModuleBinding = RTLD_LAZY;
#endif

}  // namespace hfa
