// registry/hive_load.h: the recovery policy on hives the project writes, each
// step a diagnostic with its code and exact words (issue 11, point 8).
#include "registry/hive_load.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>

#include "testdata/hive_writer.h"

namespace hfa {
namespace {

using testdata::HiveBuilder;
using testdata::HiveValue;

const std::string kCv = "Microsoft\\Windows NT\\CurrentVersion";
const std::string kConfig = "WINNT/system32/config/";

std::vector<uint8_t> software(const std::string& csd) {
  HiveBuilder b;
  b.value(kCv, HiveValue::sz("CurrentVersion", "4.0")).value(kCv, HiveValue::sz("CSDVersion", csd));
  for (int i = 0; i < 60; ++i) b.value("Classes\\Key" + std::to_string(i), HiveValue::sz("", std::string(40, 'x')));
  return b.build();
}

// A system32/config folder in memory.
registry::ReadConfigFile folder(std::map<std::string, std::vector<uint8_t>> files) {
  return [files = std::move(files)](const std::string& name) {
    registry::ConfigFile f;
    const auto it = files.find(name);
    if (it == files.end()) {
      f.error = kConfig + name + ": not found";
      return f;
    }
    f.found = true;
    f.path = kConfig + name;
    f.data = it->second;
    return f;
  };
}

std::vector<std::string> with_code(const std::vector<Diagnostic>& notes, const char* code) {
  std::vector<std::string> out;
  for (const auto& n : notes)
    if (n.code == code) out.push_back(to_string(n));
  return out;
}

TEST(HiveLoad, NewFormatLogsBesideADirtyHiveAreNamedNotApplied) {
  const auto dirty = testdata::make_dirty(software("Service Pack 5"), software("Service Pack 6"));
  // Windows XP's logs: the old .LOG is absent, .LOG1 and .LOG2 are there.
  const auto r = registry::load_software_hive(
      folder({{"SOFTWARE", dirty.primary}, {"SOFTWARE.LOG1", dirty.log}, {"SOFTWARE.LOG2", dirty.log}}));
  ASSERT_TRUE(r.facts);
  EXPECT_EQ(r.facts->csd_version, "Service Pack 5");  // read as it is
  EXPECT_EQ(r.used, kConfig + "SOFTWARE");
  EXPECT_EQ(with_code(r.notes, registry::code::kHiveDirty).size(), 1u);
  EXPECT_EQ(with_code(r.notes, registry::code::kNewFormatLog),
            (std::vector<std::string>{
                "SOFTWARE hive: " + kConfig +
                    "SOFTWARE.LOG1 is a transaction log of the format Windows XP and later write, which this tool "
                    "does not apply: not used",
                "SOFTWARE hive: " + kConfig +
                    "SOFTWARE.LOG2 is a transaction log of the format Windows XP and later write, which this tool "
                    "does not apply: not used"}));
  EXPECT_EQ(with_code(r.notes, registry::code::kNoLog),
            (std::vector<std::string>{"SOFTWARE hive: no SOFTWARE.LOG next to it; read as it is, possibly without "
                                      "the last changes"}));
}

// A system32/config folder whose hives are open descriptors, as a folder
// volume gives them (scan.cpp): `data` holds only the base block, so a hive
// read from `data` instead of the descriptor would not open.
registry::ReadConfigFile by_descriptor(std::map<std::string, std::vector<uint8_t>> files) {
  return [files = std::move(files)](const std::string& name) {
    registry::ConfigFile f;
    const auto it = files.find(name);
    if (it == files.end()) {
      f.error = kConfig + name + ": not found";
      return f;
    }
    f.found = true;
    f.path = kConfig + name;
    const int fd = ::memfd_create("hive", MFD_CLOEXEC);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(::write(fd, it->second.data(), it->second.size()), static_cast<ssize_t>(it->second.size()));
    f.source = std::make_shared<FileSource>(fd);
    f.data.assign(it->second.begin(), it->second.begin() + std::min<size_t>(it->second.size(), 4096));
    return f;
  };
}

TEST(HiveLoad, AHiveByDescriptorIsReadInPlaceOrCompletedFromItsLog) {
  const auto clean = registry::load_software_hive(by_descriptor({{"SOFTWARE", software("Service Pack 6")}}));
  ASSERT_TRUE(clean.facts) << clean.failure;
  EXPECT_EQ(clean.facts->csd_version, "Service Pack 6");
  EXPECT_EQ(clean.used, kConfig + "SOFTWARE");

  const auto dirty = testdata::make_dirty(software("Service Pack 5"), software("Service Pack 6"));
  const auto recovered =
      registry::load_software_hive(by_descriptor({{"SOFTWARE", dirty.primary}, {"SOFTWARE.LOG", dirty.log}}));
  ASSERT_TRUE(recovered.facts) << recovered.failure;
  EXPECT_EQ(recovered.facts->csd_version, "Service Pack 6");
  EXPECT_EQ(recovered.used, kConfig + "SOFTWARE with " + kConfig + "SOFTWARE.LOG applied");

  const auto as_is = registry::load_software_hive(by_descriptor({{"SOFTWARE", dirty.primary}}));
  ASSERT_TRUE(as_is.facts) << as_is.failure;
  EXPECT_EQ(as_is.facts->csd_version, "Service Pack 5");
  EXPECT_EQ(with_code(as_is.notes, registry::code::kNoLog).size(), 1u);
}

TEST(HiveLoad, TheOldLogIsAppliedAndNewOnesAreNotMentioned) {
  const auto dirty = testdata::make_dirty(software("Service Pack 5"), software("Service Pack 6"));
  const auto r = registry::load_software_hive(
      folder({{"SOFTWARE", dirty.primary}, {"SOFTWARE.LOG", dirty.log}, {"SOFTWARE.LOG1", dirty.log}}));
  ASSERT_TRUE(r.facts);
  EXPECT_EQ(r.facts->csd_version, "Service Pack 6");
  EXPECT_EQ(r.used, kConfig + "SOFTWARE with " + kConfig + "SOFTWARE.LOG applied");
  EXPECT_EQ(with_code(r.notes, registry::code::kLogApplied).size(), 1u);
  EXPECT_TRUE(with_code(r.notes, registry::code::kNewFormatLog).empty());
}

TEST(HiveLoad, SystemAltWhenSystemIsACregFile) {
  HiveBuilder system;
  system.value("Select", HiveValue::dword("Current", 1));
  system.value("ControlSet001\\Control\\ProductOptions", HiveValue::sz("ProductType", "WinNT"));
  std::vector<uint8_t> creg{'C', 'R', 'E', 'G', 0, 0, 1, 0};
  creg.resize(8192, 0);
  const auto r = registry::load_system_hive(folder({{"SYSTEM", creg}, {"SYSTEM.ALT", system.build()}}));
  ASSERT_TRUE(r.facts);
  EXPECT_EQ(r.facts->product_type, "WinNT");
  EXPECT_TRUE(r.failure.empty());
  EXPECT_EQ(with_code(r.notes, registry::code::kMirrorUsed),
            (std::vector<std::string>{"SYSTEM hive: read the mirror copy " + kConfig +
                                      "SYSTEM.ALT, because SYSTEM hive " + kConfig +
                                      "SYSTEM: a Windows 9x registry file (CREG, as SYSTEM.DAT and USER.DAT), not a "
                                      "Windows NT hive: not read"}));
  const auto none = registry::load_system_hive(folder({}));
  EXPECT_FALSE(none.facts);
  EXPECT_EQ(none.failure, "SYSTEM hive: " + kConfig + "SYSTEM: not found");
  EXPECT_EQ(with_code(none.notes, registry::code::kUnreadable).size(), 2u);
}

}  // namespace
}  // namespace hfa
