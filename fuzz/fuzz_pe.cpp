// libFuzzer target: the PE evidence reader on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "pe/pe_evidence.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  const auto ev = hfa::pe::read_pe(bytes, "fuzz");
  // Whatever is not a PE image must say why.
  if (!hfa::pe::is_pe(ev.kind) && ev.kind != hfa::pe::Kind::ne && ev.kind != hfa::pe::Kind::le &&
      ev.kind != hfa::pe::Kind::lx && ev.kind != hfa::pe::Kind::mz_only && ev.problem.empty())
    std::abort();
  return 0;
}
