// Inputs the fuzz targets found (fuzz/README.md), kept under
// testdata/regressions/: each must now end in its clear problem. Run under
// the sanitizer build (scripts/test.sh --sanitize) they also prove the
// out-of-bounds read or undefined behaviour is gone.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "pe/pe_evidence.h"

namespace hfa {
namespace {

std::vector<uint8_t> regression(const std::string& name) {
  const auto path = std::filesystem::path(HFA_SOURCE_DIR) / "testdata/regressions" / name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return {std::istreambuf_iterator<char>(in), {}};
}

// fuzz_pe: a resource RVA inside a section but before the section's start
// once rounded up to SectionAlignment made the offset wrap below zero, and the
// resource walk read before the buffer (UBSan: pointer overflow).
TEST(FuzzRegressions, ResourceRvaBeforeItsRoundedSection) {
  const auto bytes = regression("pe-resource-rva-before-section.bin");
  ASSERT_EQ(bytes.size(), 1272u);
  const auto ev = pe::read_pe(bytes, "crash.bin");
  EXPECT_EQ(ev.kind, pe::Kind::pe32);
  EXPECT_EQ(ev.machine, 0x184);
  EXPECT_EQ(ev.problem, "the resource directory (RVA 0x2000) lies in no section's data in the file");
}

}  // namespace
}  // namespace hfa
