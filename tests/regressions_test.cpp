// Inputs the fuzz targets found (fuzz/README.md), kept under
// testdata/regressions/: each must now end in its clear problem. Run under
// the sanitizer build (scripts/test.sh --sanitize) they also prove the
// out-of-bounds read or undefined behaviour is gone.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "pe/pe_evidence.h"
#include "registry/os_profile.h"

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

// fuzz_registry: a 1 s timeout, stopped inside open(2) of the target's temp
// file on a disk shared with other builds; replayed, the input takes 50 ms.
// The target now writes inputs to a memfd. The hive itself must read as it
// did: through hivex, to its facts or a clear error.
TEST(FuzzRegressions, RegistryTimeoutInput) {
  const auto path = std::filesystem::path(HFA_SOURCE_DIR) / "testdata/regressions/registry-timeout-stalled-open.hive";
  const auto sw = registry::read_software_hive(path.string());
  const auto sys = registry::read_system_hive(path.string());
  ASSERT_TRUE(sw.facts) << sw.error;
  EXPECT_FALSE(sw.facts->csd_version);
  const std::vector<std::string> sw_notes{"no value Microsoft\\Windows NT\\CurrentVersion\\CSDVersion",
                                          // Never hivex's errno text ("Bad address", "Numerical result out of
                                          // range"): what it means.
                                          "a subkey name of Microsoft\\Windows NT\\CurrentVersion\\Hotfix "
                                          "unreadable: the hive is damaged there (its "
                                          "cells cannot be followed)",
                                          "no value Microsoft\\Windows "
                                          "NT\\CurrentVersion\\Hotfix\\Q147222\\Installed",
                                          "value Microsoft\\Windows NT\\CurrentVersion\\Hotfix\\Q225095\\Installed "
                                          "unreadable: the hive is damaged "
                                          "there (its cells cannot be followed)",
                                          "no value Microsoft\\Windows "
                                          "NT\\CurrentVersion\\Hotfix\\Q257647\\Installed"};
  EXPECT_EQ(sw.notes, sw_notes);
  ASSERT_TRUE(sys.facts) << sys.error;
  EXPECT_EQ(sys.notes.front(), "no key Select");
  // No Select and no control set at all: none is guessed (issue 11).
  EXPECT_EQ(sys.notes.back(),
            "Select\\Current unknown and the hive holds 0 control sets: which one Windows booted is not known, so "
            "ProductOptions and PROCESSOR_ARCHITECTURE are not read");
  EXPECT_EQ(sys.facts->current_control_set, "");
}

}  // namespace
}  // namespace hfa
