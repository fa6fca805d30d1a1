// lief_header_facts as a module that hotfix-audit loads on its first PE file
// (lief_loader.cpp): loading libLIEF.so and running its static initializers
// costs every run about 5 ms before main, --version included. Built with
// hidden visibility: this C entry point is all it exports.
#include <exception>

#include "pe/lief_headers.h"

// 0 with `out` set; 1 when LIEF threw a std::exception (`error` holds its
// what()), 2 when it threw anything else. Exceptions are not let through the
// C boundary.
extern "C" __attribute__((visibility("default"))) int hfa_lief_header_facts(const std::vector<uint8_t>* image,
                                                                            const std::string* name,
                                                                            hfa::pe::HeaderFacts* out,
                                                                            std::string* error) {
  try {
    *out = hfa::pe::lief_header_facts(*image, *name);
    return 0;
  } catch (const std::exception& e) {
    *error = e.what();
    return 1;
  } catch (...) {
    return 2;
  }
}
