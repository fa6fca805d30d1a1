// Helpers shared by the disk-image tests (disk_image_test.cpp,
// image_container_test.cpp): scenario images made with Debian's tools, and
// the scan's JSON. A test whose tool is missing skips and names it.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "testdata/disk_images.h"
#include "testdata/scenarios.h"
#include "tests/test_util.h"

namespace hfa::test {

#ifdef HFA_NTFS_POPULATE
inline const std::string kNtfsPopulate = HFA_NTFS_POPULATE;
#else
inline const std::string kNtfsPopulate;
#endif

#define SKIP_WITHOUT(...)                                                           \
  if (const auto missing = testdata::missing_tool({__VA_ARGS__}); !missing.empty()) \
  GTEST_SKIP() << missing << " is not installed (bash scripts/setup.sh --tests installs it)"

#define SKIP_WITHOUT_NTFS() \
  SKIP_WITHOUT("mkntfs");   \
  if (kNtfsPopulate.empty()) GTEST_SKIP() << "ntfs-populate was not built: ntfs-3g-dev is not installed"

inline const testdata::Scenario& scenario(const std::string& name) {
  static const auto all = [] {
    auto v = testdata::all_scenarios();
    v.push_back(testdata::demo_scenario());
    return v;
  }();
  for (const auto& s : all)
    if (s.name == name) return s;
  throw std::runtime_error("no scenario " + name);
}

// The scenario's tree in dir/tree, and an image of it at dir/NAME.
enum class Fs { fat16, ntfs };
inline std::string image_of(const testdata::Scenario& s, const TempDir& dir, Fs kind, const std::string& name) {
  const auto tree = (dir.path() / "tree").string();
  if (!std::filesystem::exists(tree)) testdata::write_scenario(s, tree);
  const auto image = (dir.path() / name).string();
  const auto error = kind == Fs::fat16 ? testdata::make_fat16_image(tree, image, 8)
                                       : testdata::make_ntfs_image(tree, image, 8, kNtfsPopulate);
  if (!error.empty()) throw std::runtime_error(error);
  return image;
}

inline nlohmann::json scan_json(const std::string& roots, int* exit_code = nullptr) {
  const auto r = run_tool("scan --format json " + roots);
  if (exit_code) *exit_code = r.exit_code;
  return nlohmann::json::parse(r.out);
}

// An MBR disk: p1 FAT16 with the demo, p2 NTFS with two installations.
inline std::string two_partition_disk(const TempDir& dir) {
  TempDir a, b;
  const auto p1 = image_of(scenario("demo"), a, Fs::fat16, "p1.img");
  const auto p2 = image_of(scenario("two-installations"), b, Fs::ntfs, "p2.img");
  const auto disk = (dir.path() / "disk.raw").string();
  if (auto e = testdata::make_mbr_disk({{p1, "6"}, {p2, "7"}}, disk); !e.empty()) throw std::runtime_error(e);
  return disk;
}

}  // namespace hfa::test
