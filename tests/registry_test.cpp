// The regf writer checked against hivex and against the format itself, and the
// OS profile reader run on hives the writer produced, damaged ones included.
#include <gtest/gtest.h>
#include <hivex.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>

#include "registry/hive_file.h"
#include "registry/os_profile.h"
#include "testdata/hive_writer.h"
#include "tests/test_util.h"

namespace hfa {
namespace {

using registry::read_software_hive;
using registry::read_system_hive;
using testdata::HiveBuilder;
using testdata::HiveValue;

const std::string kCv = "Microsoft\\Windows NT\\CurrentVersion";

std::string write_file(const test::TempDir& dir, const std::string& name, const std::vector<uint8_t>& bytes) {
  const auto path = (dir.path() / name).string();
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return path;
}

uint32_t le32(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 | uint32_t{b[at + 3]} << 24;
}

uint16_t le16(const std::vector<uint8_t>& b, size_t at) { return static_cast<uint16_t>(b[at] | b[at + 1] << 8); }

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool has_note(const std::vector<std::string>& notes, const std::string& part) {
  return std::any_of(notes.begin(), notes.end(),
                     [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

struct Free {
  void operator()(void* p) const { std::free(p); }
};

// A written hive opened read-only with hivex: the round trip goes through the
// same library the reader uses, and through nothing of the writer's.
class Hivex {
 public:
  explicit Hivex(const std::string& path) : h_(hivex_open(path.c_str(), 0)) {}
  ~Hivex() {
    if (h_) hivex_close(h_);
  }
  Hivex(const Hivex&) = delete;
  Hivex& operator=(const Hivex&) = delete;

  bool ok() const { return h_ != nullptr; }

  hive_node_h key(const std::string& path) const {
    hive_node_h n = hivex_root(h_);
    for (size_t start = 0; n != 0 && start < path.size();) {
      const size_t end = std::min(path.find('\\', start), path.size());
      n = hivex_node_get_child(h_, n, path.substr(start, end - start).c_str());
      start = end + 1;
    }
    return n;
  }

  std::string name(hive_node_h n) const {
    std::unique_ptr<char, Free> s(hivex_node_name(h_, n));
    return s ? s.get() : "<error>";
  }

  std::vector<std::string> subkeys(const std::string& path) const {
    std::vector<std::string> out;
    std::unique_ptr<hive_node_h, Free> list(hivex_node_children(h_, key(path)));
    for (const hive_node_h* c = list.get(); c && *c; ++c) out.push_back(name(*c));
    return out;
  }

  std::vector<std::string> value_names(const std::string& path) const {
    std::vector<std::string> out;
    std::unique_ptr<hive_value_h, Free> list(hivex_node_values(h_, key(path)));
    for (const hive_value_h* v = list.get(); v && *v; ++v) {
      std::unique_ptr<char, Free> s(hivex_value_key(h_, *v));
      out.push_back(s ? s.get() : "<error>");
    }
    return out;
  }

  hive_value_h value(const std::string& path, const std::string& name) const {
    const hive_node_h n = key(path);
    return n ? hivex_node_get_value(h_, n, name.c_str()) : 0;
  }

  // Type and raw bytes, as stored.
  std::pair<int, std::vector<uint8_t>> raw(const std::string& path, const std::string& name) const {
    hive_type t{};
    size_t len = 0;
    std::unique_ptr<char, Free> data(hivex_value_value(h_, value(path, name), &t, &len));
    if (!data) return {-1, {}};
    return {t, std::vector<uint8_t>(data.get(), data.get() + len)};
  }

  std::string string(const std::string& path, const std::string& name) const {
    std::unique_ptr<char, Free> s(hivex_value_string(h_, value(path, name)));
    return s ? s.get() : "<error>";
  }

  int32_t dword(const std::string& path, const std::string& name) const {
    return hivex_value_dword(h_, value(path, name));
  }

  std::vector<std::string> strings(const std::string& path, const std::string& name) const {
    std::vector<std::string> out;
    char** list = hivex_value_multiple_strings(h_, value(path, name));
    for (char** s = list; s && *s; ++s) {
      if (**s) out.emplace_back(*s);  // hivex 1.3 adds the final NUL as an empty string
      std::free(*s);
    }
    std::free(list);
    return out;
  }

 private:
  hive_h* h_;
};

std::vector<uint8_t> utf16(const std::string& ascii) {
  std::vector<uint8_t> out;
  for (char c : ascii) out.insert(out.end(), {static_cast<uint8_t>(c), 0});
  return out;
}

// ---------------------------------------------------------------- the writer

TEST(HiveWriter, ValueConstructorsEncodeAsWindowsDoes) {
  const auto sz = HiveValue::sz("CSDVersion", "SP6");
  EXPECT_EQ(sz.type, 1u);
  EXPECT_EQ(sz.data, (std::vector<uint8_t>{'S', 0, 'P', 0, '6', 0, 0, 0}));
  const auto dw = HiveValue::dword("Current", 0x01020304);
  EXPECT_EQ(dw.type, 4u);
  EXPECT_EQ(dw.data, (std::vector<uint8_t>{4, 3, 2, 1}));
  const auto multi = HiveValue::multi_sz("ProductSuite", {"A", "BC"});
  EXPECT_EQ(multi.type, 7u);
  EXPECT_EQ(multi.data, (std::vector<uint8_t>{'A', 0, 0, 0, 'B', 0, 'C', 0, 0, 0, 0, 0}));
  // UTF-8 in, UTF-16LE out, including a surrogate pair.
  EXPECT_EQ(HiveValue::sz("", "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80").data,
            (std::vector<uint8_t>{0xE9, 0x00, 0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE, 0, 0}));
}

TEST(HiveWriter, EveryValueTypeReadsBackThroughHivex) {
  test::TempDir dir;
  HiveValue expand = HiveValue::sz("Path", "%SystemRoot%\\system32");
  expand.type = 2;
  HiveBuilder b;
  b.value("Values", HiveValue::sz("", "the default"))
      .value("Values", HiveValue::sz("Text", "Service Pack 6"))
      .value("Values", HiveValue::sz("Empty", ""))
      .value("Values", HiveValue::sz("Accents", "Mise \xC3\xA0 jour \xE2\x82\xAC"))
      .value("Values", expand)
      .value("Values", HiveValue::dword("Zero", 0))
      .value("Values", HiveValue::dword("Max", 0xFFFFFFFF))
      .value("Values", HiveValue::multi_sz("Suites", {"Terminal Server", "Enterprise"}))
      .value("Values", HiveValue::multi_sz("NoSuites", {}))
      .value("Values", HiveValue{"Three", 3, {1, 2, 3}})
      .value("Values", HiveValue{"Nothing", 3, {}})
      .value("Values", HiveValue{"Big", 3, std::vector<uint8_t>(20000, 0xA5)});
  Hivex h(write_file(dir, "h", b.build()));
  ASSERT_TRUE(h.ok());

  EXPECT_EQ(h.value_names("Values"), (std::vector<std::string>{"", "Text", "Empty", "Accents", "Path", "Zero", "Max",
                                                               "Suites", "NoSuites", "Three", "Nothing", "Big"}));
  EXPECT_EQ(h.string("Values", ""), "the default");
  EXPECT_EQ(h.string("Values", "Text"), "Service Pack 6");
  EXPECT_EQ(h.raw("Values", "Text"), std::make_pair(1, HiveValue::sz("", "Service Pack 6").data));
  EXPECT_EQ(h.string("Values", "Empty"), "");
  EXPECT_EQ(h.string("Values", "Accents"), "Mise \xC3\xA0 jour \xE2\x82\xAC");
  EXPECT_EQ(h.raw("Values", "Path").first, 2);
  EXPECT_EQ(h.string("Values", "Path"), "%SystemRoot%\\system32");
  EXPECT_EQ(h.raw("Values", "Zero"), std::make_pair(4, std::vector<uint8_t>{0, 0, 0, 0}));
  EXPECT_EQ(h.dword("Values", "Max"), -1);
  EXPECT_EQ(h.raw("Values", "Suites").first, 7);
  EXPECT_EQ(h.raw("Values", "Suites").second.size(), (15 + 1 + 10 + 1 + 1) * 2u);
  EXPECT_EQ(h.strings("Values", "Suites"), (std::vector<std::string>{"Terminal Server", "Enterprise"}));
  EXPECT_TRUE(h.strings("Values", "NoSuites").empty());
  EXPECT_EQ(h.raw("Values", "Three"), std::make_pair(3, std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(h.raw("Values", "Nothing"), std::make_pair(3, std::vector<uint8_t>{}));
  EXPECT_EQ(h.raw("Values", "Big"), std::make_pair(3, std::vector<uint8_t>(20000, 0xA5)));
}

TEST(HiveWriter, KeysAreCaseInsensitiveAndListedInWindowsOrder) {
  test::TempDir dir;
  HiveBuilder b;
  b.key("Zeta").key("a_b").key("AB").key("alpha").key("Q246009\\Sub").key("zeta\\Inner");
  b.value("ALPHA", HiveValue::dword("V", 1)).value("alpha", HiveValue::dword("v", 2));  // same key, same value
  Hivex h(write_file(dir, "h", b.build()));
  ASSERT_TRUE(h.ok());
  // Windows binary-searches upper-cased names: '_' (0x5F) sorts after the letters.
  EXPECT_EQ(h.subkeys(""), (std::vector<std::string>{"AB", "alpha", "a_b", "Q246009", "Zeta"}));
  EXPECT_EQ(h.subkeys("ZETA"), std::vector<std::string>{"Inner"});
  EXPECT_EQ(h.subkeys("q246009"), std::vector<std::string>{"Sub"});
  EXPECT_EQ(h.value_names("alpha"), std::vector<std::string>{"V"});
  EXPECT_EQ(h.dword("Alpha", "V"), 2);
  EXPECT_TRUE(h.subkeys("a_b").empty());
  EXPECT_TRUE(h.value_names("a_b").empty());
  EXPECT_EQ(h.name(h.key("")), "$$$PROTO.HIV");
}

TEST(HiveWriter, ManySubkeysAndValuesAllReadBack) {
  test::TempDir dir;
  HiveBuilder b;
  std::vector<std::string> hotfixes, many;
  for (int i = 300; i-- > 0;) {
    hotfixes.push_back("Q" + std::to_string(100000 + i * 677));
    b.value(kCv + "\\Hotfix\\" + hotfixes.back(), HiveValue::dword("Installed", i % 2));
  }
  // More than one 4 KiB leaf holds: an index root over several leaves.
  for (int i = 0; i < 1500; ++i) {
    many.push_back("Key" + std::to_string(i));
    b.key("Many\\" + many.back());
  }
  for (int i = 0; i < 300; ++i) b.value("Values", HiveValue::sz("Value" + std::to_string(i), std::to_string(i)));
  Hivex h(write_file(dir, "h", b.build()));
  ASSERT_TRUE(h.ok());

  auto windows_order = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return upper(x) < upper(y); });
    return v;
  };
  EXPECT_EQ(h.subkeys(kCv + "\\Hotfix"), windows_order(hotfixes));
  EXPECT_EQ(h.subkeys("Many"), windows_order(many));
  for (int i = 0; i < 300; ++i)
    EXPECT_EQ(h.dword(kCv + "\\Hotfix\\Q" + std::to_string(100000 + i * 677), "Installed"), i % 2) << i;
  for (const auto& k : many) ASSERT_NE(h.key("Many\\" + k), 0u) << k;
  const auto names = h.value_names("Values");
  ASSERT_EQ(names.size(), 300u);
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(names[i], "Value" + std::to_string(i));
    EXPECT_EQ(h.string("Values", "Value" + std::to_string(i)), std::to_string(i));
  }
}

// What hivex does not check but Windows relies on: the base block, bins that
// tile the file, 8-byte cells, one shared sk, the root flags.
TEST(HiveWriter, LayoutFollowsTheNt4RegfFormat) {
  HiveBuilder b;
  b.value(kCv, HiveValue::sz("CSDVersion", "Service Pack 6"));
  b.value("Big", HiveValue{"Blob", 3, std::vector<uint8_t>(9000, 1)});
  for (int i = 0; i < 700; ++i) b.key("Many\\K" + std::to_string(i));
  const auto hive = b.build();

  ASSERT_GE(hive.size(), 8192u);
  EXPECT_EQ(std::string(hive.begin(), hive.begin() + 4), "regf");
  EXPECT_EQ(le32(hive, 0x04), le32(hive, 0x08));       // sequence numbers: saved cleanly
  EXPECT_NE(le32(hive, 0x0C) | le32(hive, 0x10), 0u);  // last written
  EXPECT_EQ(le32(hive, 0x14), 1u);
  EXPECT_EQ(le32(hive, 0x18), 3u);
  EXPECT_EQ(le32(hive, 0x1C), 0u);
  EXPECT_EQ(le32(hive, 0x20), 1u);
  EXPECT_EQ(le32(hive, 0x28), hive.size() - 4096);
  EXPECT_EQ(le32(hive, 0x2C), 1u);
  uint32_t sum = 0;
  for (size_t at = 0; at < 508; at += 4) sum ^= le32(hive, at);
  EXPECT_EQ(le32(hive, 0x1FC), sum);

  const size_t root = 4096 + le32(hive, 0x24);
  EXPECT_EQ(std::string(hive.begin() + root + 4, hive.begin() + root + 6), "nk");
  std::vector<uint32_t> nk_security;
  size_t sk_cells = 0, ri_cells = 0, bins = 0;
  uint32_t sk_at = 0, sk_references = 0;
  for (size_t bin = 4096; bin < hive.size(); bin += le32(hive, bin + 8)) {
    ++bins;
    ASSERT_EQ(std::string(hive.begin() + bin, hive.begin() + bin + 4), "hbin") << bin;
    EXPECT_EQ(le32(hive, bin + 4), bin - 4096);
    const size_t size = le32(hive, bin + 8);
    ASSERT_TRUE(size > 0 && size % 4096 == 0 && bin + size <= hive.size()) << bin;
    size_t cell = bin + 32;
    while (cell < bin + size) {
      const auto raw = static_cast<int32_t>(le32(hive, cell));
      const size_t len = static_cast<size_t>(raw < 0 ? -static_cast<int64_t>(raw) : raw);
      ASSERT_TRUE(len >= 8 && len % 8 == 0) << "cell at " << cell;
      const size_t at = cell + 4;  // the cell's payload
      const std::string sig(hive.begin() + at, hive.begin() + at + 2);
      if (raw < 0 && sig == "nk") {
        nk_security.push_back(le32(hive, at + 0x2C));
        EXPECT_EQ(le16(hive, at + 2), cell == root ? 0x2C : 0x20) << "flags of the nk at " << cell;
        if (le32(hive, at + 0x14) == 0) {
          EXPECT_EQ(le32(hive, at + 0x1C), 0xFFFFFFFFu) << "no subkey list at " << cell;
        }
        if (le32(hive, at + 0x24) == 0) {
          EXPECT_EQ(le32(hive, at + 0x28), 0xFFFFFFFFu) << "no value list at " << cell;
        }
        EXPECT_EQ(le32(hive, at + 0x20), 0xFFFFFFFFu);  // no volatile subkeys
        EXPECT_EQ(le32(hive, at + 0x30), 0xFFFFFFFFu);  // no class name
      } else if (raw < 0 && sig == "sk") {
        ++sk_cells;
        sk_at = static_cast<uint32_t>(cell - 4096);
        EXPECT_EQ(le32(hive, at + 4), sk_at);  // the list of descriptors loops to itself
        EXPECT_EQ(le32(hive, at + 8), sk_at);
        sk_references = le32(hive, at + 0x0C);
      } else if (raw < 0 && sig == "ri") {
        ++ri_cells;
      }
      cell += len;
    }
    EXPECT_EQ(cell, bin + size) << "cells must tile bin " << bin;
  }
  EXPECT_GT(bins, 2u);
  EXPECT_EQ(ri_cells, 1u) << "700 subkeys take two leaves under an index root";
  // root, Microsoft, Windows NT, CurrentVersion, Big, Many and its 700 subkeys
  EXPECT_EQ(nk_security.size(), 706u);
  EXPECT_EQ(sk_cells, 1u);
  EXPECT_EQ(sk_references, nk_security.size());
  for (const auto sk : nk_security) EXPECT_EQ(sk, sk_at);
}

TEST(HiveWriter, SameInputSameBytes) {
  HiveBuilder b;
  b.value(kCv, HiveValue::sz("CurrentVersion", "4.0")).key("Select");
  EXPECT_EQ(b.build(), b.build());
}

// ---------------------------------------------------------------- the reader

HiveBuilder nt4_software() {
  HiveBuilder b;
  b.value(kCv, HiveValue::sz("CurrentVersion", "4.0"))
      .value(kCv, HiveValue::sz("CurrentBuildNumber", "1381"))
      .value(kCv, HiveValue::sz("CSDVersion", "Service Pack 6"))
      .value(kCv, HiveValue::sz("SystemRoot", "C:\\WINNT"))
      .value(kCv + "\\Hotfix\\Q299444", HiveValue::dword("Installed", 1))
      .value(kCv + "\\Hotfix\\Q299444", HiveValue::sz("Fix Description", "Security Rollup Package"))
      .value(kCv + "\\Hotfix\\Q123456", HiveValue::dword("Installed", 0))
      .value(kCv + "\\Hotfix\\Q246009", HiveValue::dword("Installed", 1));
  return b;
}

// ControlSet002 is current; ControlSet001 differs in every fact, so any value
// read from it shows.
HiveBuilder nt4_system(const std::string& product = "ServerNT") {
  const std::string cs1 = "ControlSet001\\Control\\", cs2 = "ControlSet002\\Control\\";
  HiveBuilder b;
  b.value("Select", HiveValue::dword("Current", 2))
      .value("Select", HiveValue::dword("Default", 2))
      .value("Select", HiveValue::dword("LastKnownGood", 1))
      .value(cs1 + "ProductOptions", HiveValue::sz("ProductType", "WrongNT"))
      .value(cs1 + "ProductOptions", HiveValue::multi_sz("ProductSuite", {"Small Business"}))
      .value(cs1 + "Session Manager\\Environment", HiveValue::sz("PROCESSOR_ARCHITECTURE", "x86"))
      .value(cs2 + "ProductOptions", HiveValue::sz("ProductType", product))
      .value(cs2 + "ProductOptions", HiveValue::multi_sz("ProductSuite", {"Terminal Server"}))
      .value(cs2 + "Session Manager\\Environment", HiveValue::sz("PROCESSOR_ARCHITECTURE", "ALPHA"))
      // ControlSet001 (last known good) still has a service since removed.
      .key("ControlSet001\\Services\\ClusSvc")
      .value("ControlSet001\\Services\\LanmanWorkstation\\Parameters", HiveValue::dword("KeepConn", 1))
      .key("ControlSet002\\Services\\LanmanServer")
      .value("ControlSet002\\Services\\LanmanWorkstation\\Parameters", HiveValue::dword("KeepConn", 0))
      .value("ControlSet002\\Services\\LanmanWorkstation\\Parameters", HiveValue::sz("OtherDomains", "LAB"))
      .value("ControlSet002\\Services\\LanmanWorkstation\\Parameters", HiveValue{"Blob", 3, {1, 2, 3}})
      .key("ControlSet002\\Services\\Spooler");
  return b;
}

TEST(RegistryProfile, SoftwareFactsOfAnNt4Sp6Server) {
  test::TempDir dir;
  const auto r = read_software_hive(write_file(dir, "SOFTWARE", nt4_software().build()));
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.facts->current_version, "4.0");
  EXPECT_EQ(r.facts->current_build_number, "1381");
  EXPECT_EQ(r.facts->csd_version, "Service Pack 6");
  // Installed=0 is a removed hotfix.
  EXPECT_EQ(r.facts->installed_hotfixes, (std::vector<std::string>{"Q246009", "Q299444"}));
  EXPECT_TRUE(r.notes.empty()) << testing::PrintToString(r.notes);
}

TEST(RegistryProfile, SystemFactsComeFromTheSetSelectCurrentNames) {
  test::TempDir dir;
  const auto r = read_system_hive(write_file(dir, "SYSTEM", nt4_system().build()));
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_EQ(r.facts->current_control_set, "ControlSet002");
  EXPECT_EQ(r.facts->product_type, "ServerNT");
  EXPECT_EQ(r.facts->product_suite, std::vector<std::string>{"Terminal Server"});
  EXPECT_EQ(r.facts->processor_architecture, "ALPHA");
  EXPECT_TRUE(r.notes.empty()) << testing::PrintToString(r.notes);
}

// The services installed and the values a fix needs come from the current
// set only; CurrentControlSet in a query means that set, as on a running system.
TEST(RegistryProfile, ServicesAndQueriedValuesOfTheCurrentSet) {
  test::TempDir dir;
  const std::string params = "CurrentControlSet\\Services\\LanmanWorkstation\\Parameters";
  const auto r = read_system_hive(write_file(dir, "SYSTEM", nt4_system().build()),
                                  {{params, "KeepConn"},
                                   {params, "OtherDomains"},
                                   {params, "Absent"},
                                   {"CurrentControlSet\\Services\\NoSuchService", "X"},
                                   {params, "Blob"}});
  ASSERT_TRUE(r.facts) << r.error;
  ASSERT_TRUE(r.facts->services);
  auto services = *r.facts->services;
  std::sort(services.begin(), services.end());
  EXPECT_EQ(services, (std::vector<std::string>{"LanmanServer", "LanmanWorkstation", "Spooler"}));
  const auto& v = r.facts->values;
  ASSERT_EQ(v.size(), 5u);
  EXPECT_TRUE(v[0].read);
  EXPECT_EQ(v[0].data, "0");
  EXPECT_EQ(v[0].where, "ControlSet002\\Services\\LanmanWorkstation\\Parameters\\KeepConn");
  EXPECT_EQ(v[1].data, "LAB");
  EXPECT_TRUE(v[2].read);
  EXPECT_EQ(v[2].data, std::nullopt);
  EXPECT_TRUE(v[3].read);
  EXPECT_EQ(v[3].data, std::nullopt);
  EXPECT_FALSE(v[4].read);
  EXPECT_EQ(
      v[4].problem,
      "value ControlSet002\\Services\\LanmanWorkstation\\Parameters\\Blob is REG_BINARY, not a string or REG_DWORD");
  EXPECT_TRUE(r.notes.empty()) << testing::PrintToString(r.notes);
}

// Without Select\Current and with two sets, no service is known absent and
// no CurrentControlSet value is read from a guessed set.
TEST(RegistryProfile, NoCurrentSetNoServicesNorValues) {
  test::TempDir dir;
  HiveBuilder b;
  b.key("ControlSet001\\Services\\Spooler").key("ControlSet002\\Services\\Spooler");
  const auto r =
      read_system_hive(write_file(dir, "SYSTEM", b.build()), {{"CurrentControlSet\\Services\\Spooler", "Start"}});
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_EQ(r.facts->services, std::nullopt);
  ASSERT_EQ(r.facts->values.size(), 1u);
  EXPECT_FALSE(r.facts->values[0].read);
  EXPECT_EQ(r.facts->values[0].problem, "which control set Windows booted is not known (Select\\Current)");
}

// Select\Current naming a set the hive lacks: a value of the current set is
// unknown with that reason, never "absent"; no service is known either.
TEST(RegistryProfile, CurrentSetMissingLeavesValuesUnknown) {
  test::TempDir dir;
  HiveBuilder b;
  b.value("Select", HiveValue::dword("Current", 3)).key("ControlSet001\\Services\\Spooler");
  const auto r = read_system_hive(write_file(dir, "SYSTEM", b.build()),
                                  {{"CurrentControlSet\\Services\\LanmanWorkstation\\Parameters", "KeepConn"}});
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_EQ(r.facts->services, std::nullopt);
  ASSERT_EQ(r.facts->values.size(), 1u);
  EXPECT_FALSE(r.facts->values[0].read);
  EXPECT_EQ(r.facts->values[0].problem, "Select\\Current names ControlSet003, which the hive does not hold");
}

TEST(RegistryProfile, NothingIsTakenFromAnotherControlSet) {
  // The current set lacks what ControlSet001 has: the facts stay empty.
  test::TempDir dir;
  HiveBuilder b;
  b.value("Select", HiveValue::dword("Current", 2))
      .value("ControlSet001\\Control\\ProductOptions", HiveValue::sz("ProductType", "WinNT"))
      .value("ControlSet001\\Control\\ProductOptions", HiveValue::multi_sz("ProductSuite", {"Small Business"}))
      .value("ControlSet001\\Control\\Session Manager\\Environment", HiveValue::sz("PROCESSOR_ARCHITECTURE", "x86"))
      .key("ControlSet002\\Control\\ProductOptions")
      .key("ControlSet002\\Control\\Session Manager\\Environment");
  const auto r = read_system_hive(write_file(dir, "SYSTEM", b.build()));
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_EQ(r.facts->current_control_set, "ControlSet002");
  EXPECT_FALSE(r.facts->product_type);
  EXPECT_TRUE(r.facts->product_suite.empty());
  EXPECT_FALSE(r.facts->processor_architecture);
  EXPECT_TRUE(has_note(r.notes, "no value ControlSet002\\Control\\ProductOptions\\ProductType"))
      << testing::PrintToString(r.notes);
  EXPECT_TRUE(
      has_note(r.notes, "no value ControlSet002\\Control\\Session Manager\\Environment\\PROCESSOR_ARCHITECTURE"))
      << testing::PrintToString(r.notes);
  EXPECT_FALSE(has_note(r.notes, "ProductSuite")) << "an absent ProductSuite means no suite";
}

class RegistryProfileProductType : public testing::TestWithParam<const char*> {};

TEST_P(RegistryProfileProductType, IsReadAsStored) {
  test::TempDir dir;
  const auto r = read_system_hive(write_file(dir, "SYSTEM", nt4_system(GetParam()).build()));
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_EQ(r.facts->product_type, GetParam());
}

INSTANTIATE_TEST_SUITE_P(RegistryProfile, RegistryProfileProductType, testing::Values("WinNT", "ServerNT", "LanmanNT"),
                         [](const auto& param_info) { return std::string(param_info.param); });

TEST(RegistryProfile, MissingSelectFallsBackToControlSet001AndSaysSo) {
  test::TempDir dir;
  HiveBuilder b;
  b.value("ControlSet001\\Control\\ProductOptions", HiveValue::sz("ProductType", "WinNT"))
      .value("ControlSet001\\Control\\Session Manager\\Environment", HiveValue::sz("PROCESSOR_ARCHITECTURE", "x86"));
  const auto r = read_system_hive(write_file(dir, "SYSTEM", b.build()));
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_EQ(r.facts->current_control_set, "ControlSet001");
  EXPECT_EQ(r.facts->product_type, "WinNT");
  EXPECT_EQ(r.facts->processor_architecture, "x86");
  EXPECT_TRUE(has_note(r.notes, "no key Select")) << testing::PrintToString(r.notes);
  EXPECT_TRUE(has_note(r.notes, "Select\\Current unknown: read ControlSet001, the only control set of the hive"))
      << testing::PrintToString(r.notes);
}

// Several sets and no pointer: which one booted is not guessed (issue 11: no default).
TEST(RegistryProfile, MissingSelectWithSeveralSetsReadsNone) {
  test::TempDir dir;
  HiveBuilder b;
  b.value("ControlSet001\\Control\\ProductOptions", HiveValue::sz("ProductType", "WinNT"))
      .value("ControlSet002\\Control\\ProductOptions", HiveValue::sz("ProductType", "ServerNT"));
  const auto r = read_system_hive(write_file(dir, "SYSTEM", b.build()));
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_EQ(r.facts->current_control_set, "");
  EXPECT_FALSE(r.facts->product_type);
  EXPECT_FALSE(r.facts->product_options_key);
  EXPECT_TRUE(has_note(r.notes,
                       "Select\\Current unknown and the hive holds 2 control sets (ControlSet001, "
                       "ControlSet002): which one Windows booted is not known, so ProductOptions and "
                       "PROCESSOR_ARCHITECTURE are not read"))
      << testing::PrintToString(r.notes);
}

TEST(RegistryProfile, MissingCurrentFallsBackToControlSet001AndSaysSo) {
  test::TempDir dir;
  HiveBuilder b;
  b.value("Select", HiveValue::dword("Default", 1))
      .value("ControlSet001\\Control\\ProductOptions", HiveValue::sz("ProductType", "LanmanNT"));
  const auto r = read_system_hive(write_file(dir, "SYSTEM", b.build()));
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_EQ(r.facts->current_control_set, "ControlSet001");
  EXPECT_EQ(r.facts->product_type, "LanmanNT");
  EXPECT_TRUE(has_note(r.notes, "no value Select\\Current")) << testing::PrintToString(r.notes);
  EXPECT_TRUE(has_note(r.notes, "read ControlSet001")) << testing::PrintToString(r.notes);
}

TEST(RegistryProfile, AMissingCurrentSetIsNotedNotReplaced) {
  test::TempDir dir;
  auto b = nt4_system();
  b.value("Select", HiveValue::dword("Current", 3));
  const auto r = read_system_hive(write_file(dir, "SYSTEM", b.build()));
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.facts->current_control_set, "ControlSet003");
  EXPECT_FALSE(r.facts->product_type);
  EXPECT_TRUE(r.facts->product_suite.empty());
  EXPECT_FALSE(r.facts->processor_architecture);
  EXPECT_TRUE(has_note(r.notes, "no key ControlSet003")) << testing::PrintToString(r.notes);
  EXPECT_FALSE(has_note(r.notes, "ControlSet001")) << testing::PrintToString(r.notes);
}

TEST(RegistryProfile, MissingKeysAndValuesAreNoted) {
  test::TempDir dir;
  HiveBuilder sw;
  sw.value(kCv, HiveValue::sz("CurrentVersion", "4.0"));
  auto r = read_software_hive(write_file(dir, "SOFTWARE", sw.build()));
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_EQ(r.facts->current_version, "4.0");
  EXPECT_FALSE(r.facts->current_build_number);
  EXPECT_FALSE(r.facts->csd_version);
  EXPECT_TRUE(r.facts->installed_hotfixes.empty());
  EXPECT_TRUE(has_note(r.notes, "no value " + kCv + "\\CurrentBuildNumber")) << testing::PrintToString(r.notes);
  EXPECT_TRUE(has_note(r.notes, "no value " + kCv + "\\CSDVersion")) << testing::PrintToString(r.notes);
  EXPECT_EQ(r.notes.size(), 2u) << "no Hotfix key is an installation without hotfixes: "
                                << testing::PrintToString(r.notes);

  HiveBuilder empty_sw;
  empty_sw.key("Classes");
  r = read_software_hive(write_file(dir, "SOFTWARE2", empty_sw.build()));
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_FALSE(r.facts->current_version);
  EXPECT_TRUE(has_note(r.notes, "no key Microsoft")) << testing::PrintToString(r.notes);

  HiveBuilder sys;
  sys.value("Select", HiveValue::dword("Current", 1)).key("ControlSet001\\Control\\ProductOptions");
  const auto s = read_system_hive(write_file(dir, "SYSTEM", sys.build()));
  ASSERT_TRUE(s.facts) << s.error;
  EXPECT_EQ(s.facts->current_control_set, "ControlSet001");
  EXPECT_TRUE(has_note(s.notes, "no value ControlSet001\\Control\\ProductOptions\\ProductType"))
      << testing::PrintToString(s.notes);
  EXPECT_TRUE(has_note(s.notes, "no key ControlSet001\\Control\\Session Manager")) << testing::PrintToString(s.notes);
  EXPECT_FALSE(has_note(s.notes, "read ControlSet001")) << "Select\\Current named it: no fallback";
}

TEST(RegistryProfile, OddValueTypesAreNotedNotFatal) {
  test::TempDir dir;
  HiveBuilder sw;
  sw.value(kCv, HiveValue::dword("CurrentVersion", 4))
      .value(kCv, HiveValue::sz("CurrentBuildNumber", "1381"))
      .value(kCv, HiveValue{"CSDVersion", 3, utf16("Service Pack 6")})
      .value(kCv + "\\Hotfix\\Q111111", HiveValue::sz("Installed", "1"))
      .value(kCv + "\\Hotfix\\Q222222", HiveValue{"Installed", 3, {1, 0, 0, 0}})
      .value(kCv + "\\Hotfix\\Q333333", HiveValue::sz("Comments", "no Installed value"))
      .value(kCv + "\\Hotfix\\Q444444", HiveValue{"Installed", 4, {1, 0}})
      .value(kCv + "\\Hotfix\\Q555555", HiveValue{"Installed", 5, {0, 0, 0, 1}});  // big-endian 1
  const auto r = read_software_hive(write_file(dir, "SOFTWARE", sw.build()));
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_FALSE(r.facts->current_version);
  EXPECT_EQ(r.facts->current_build_number, "1381");
  EXPECT_FALSE(r.facts->csd_version);
  EXPECT_EQ(r.facts->installed_hotfixes, (std::vector<std::string>{"Q111111", "Q555555"}));
  EXPECT_TRUE(has_note(r.notes, "value " + kCv + "\\CurrentVersion is REG_DWORD, not a string"))
      << testing::PrintToString(r.notes);
  EXPECT_TRUE(has_note(r.notes, "value " + kCv + "\\CSDVersion is REG_BINARY, not a string"))
      << testing::PrintToString(r.notes);
  EXPECT_TRUE(has_note(r.notes, "Hotfix\\Q222222\\Installed is REG_BINARY, not REG_DWORD"))
      << testing::PrintToString(r.notes);
  EXPECT_TRUE(has_note(r.notes, "no value " + kCv + "\\Hotfix\\Q333333\\Installed")) << testing::PrintToString(r.notes);
  EXPECT_TRUE(has_note(r.notes, "Hotfix\\Q444444\\Installed unreadable")) << testing::PrintToString(r.notes);

  HiveBuilder sys;
  sys.value("Select", HiveValue::sz("Current", "2"))
      .value("ControlSet001\\Control\\ProductOptions", HiveValue::sz("ProductSuite", "Terminal Server"))
      .value("ControlSet001\\Control\\ProductOptions", HiveValue::dword("ProductType", 1))
      .value("ControlSet001\\Control\\Session Manager\\Environment",
             HiveValue::multi_sz("PROCESSOR_ARCHITECTURE", {"x86"}));
  const auto s = read_system_hive(write_file(dir, "SYSTEM", sys.build()));
  ASSERT_TRUE(s.facts) << s.error;
  EXPECT_EQ(s.facts->current_control_set, "ControlSet001");
  EXPECT_FALSE(s.facts->product_type);
  EXPECT_EQ(s.facts->product_suite, std::vector<std::string>{"Terminal Server"});  // REG_SZ tolerated
  EXPECT_FALSE(s.facts->processor_architecture);
  EXPECT_TRUE(has_note(s.notes, "value Select\\Current is REG_SZ, not REG_DWORD")) << testing::PrintToString(s.notes);
  EXPECT_TRUE(has_note(s.notes, "read ControlSet001")) << testing::PrintToString(s.notes);
  EXPECT_TRUE(has_note(s.notes, "PROCESSOR_ARCHITECTURE is REG_MULTI_SZ, not a string"))
      << testing::PrintToString(s.notes);
}

TEST(RegistryProfile, NamesMatchCaseInsensitivelyAndHotfixesKeepTheirSpelling) {
  test::TempDir dir;
  HiveBuilder sw;
  sw.value("MICROSOFT\\windows nt\\currentVERSION", HiveValue::sz("currentversion", "4.0"))
      .value("MICROSOFT\\windows nt\\currentVERSION\\HOTFIX\\q246009", HiveValue::dword("INSTALLED", 1))
      .value("MICROSOFT\\windows nt\\currentVERSION\\HOTFIX\\Q147222", HiveValue::dword("installed", 1));
  const auto r = read_software_hive(write_file(dir, "SOFTWARE", sw.build()));
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_EQ(r.facts->current_version, "4.0");
  EXPECT_EQ(r.facts->installed_hotfixes, (std::vector<std::string>{"Q147222", "q246009"}));

  HiveBuilder sys;
  sys.value("SELECT", HiveValue::dword("current", 1))
      .value("controlset001\\CONTROL\\productoptions", HiveValue::sz("producttype", "WinNT"));
  const auto s = read_system_hive(write_file(dir, "SYSTEM", sys.build()));
  ASSERT_TRUE(s.facts) << s.error;
  EXPECT_EQ(s.facts->product_type, "WinNT");
}

TEST(RegistryProfile, ManyHotfixesAreAllCounted) {
  test::TempDir dir;
  HiveBuilder sw = nt4_software();
  std::vector<std::string> expected{"Q246009", "Q299444"};
  for (int i = 0; i < 300; ++i) {
    const auto name = "Q" + std::to_string(300000 + i);
    sw.value(kCv + "\\Hotfix\\" + name, HiveValue::dword("Installed", 1));
    expected.push_back(name);
  }
  std::sort(expected.begin(), expected.end());
  const auto r = read_software_hive(write_file(dir, "SOFTWARE", sw.build()));
  ASSERT_TRUE(r.facts) << r.error;
  EXPECT_EQ(r.facts->installed_hotfixes, expected);
}

// ------------------------------------------------------ files hivex refuses

struct Unreadable {
  const char* what;
  std::vector<uint8_t> bytes;  // not written at all when `absent`
  bool absent;
  const char* says;
};

std::vector<Unreadable> unreadable_files() {
  const auto good = nt4_software().build();
  std::vector<uint8_t> garbage(good.size());
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<uint8_t>(i * 131 + 7);
  auto truncated = std::vector<uint8_t>(good.begin(), good.begin() + 4096 + 100);
  auto bad_sum = good;
  bad_sum[0x30] ^= 0xFF;
  auto version2 = good;
  version2[0x14] = 2;
  auto log = good;  // a transaction log's base block given as the hive
  log[0x1C] = 1;
  registry::set_checksum(log);
  std::vector<uint8_t> creg{'C', 'R', 'E', 'G', 0, 0, 1, 0};  // Windows 95's SYSTEM.DAT
  creg.resize(8192, 0);
  // Whatever hivex's errno said ("Bad address", "Operation not supported"),
  // the error says what the file is, never the errno text.
  return {{"garbage", garbage, false, "not a registry hive (no \"regf\" signature at offset 0)"},
          {"empty", {}, false, "empty file: not a registry hive"},
          {"truncated", truncated, false, "truncated at offset 0x1064: the header announces 8192 bytes"},
          {"checksum", bad_sum, false, "damaged: the base block's checksum at offset 0x1FC is wrong"},
          {"version", version2, false, "registry hive format 2.3 not supported"},
          {"log", log, false,
           "a registry transaction log (file type 1, as SYSTEM.LOG), not a hive: "
           "not read as one"},
          {"creg", creg, false,
           "a Windows 9x registry file (CREG, as SYSTEM.DAT and USER.DAT), not a "
           "Windows NT hive: not read"},
          {"absent", {}, true, "cannot be opened"}};
}

TEST(RegistryProfile, UnreadableHivesAreClearErrorsNamingTheFile) {
  test::TempDir dir;
  for (const auto& u : unreadable_files()) {
    const auto path = (dir.path() / u.what).string();
    if (!u.absent) write_file(dir, u.what, u.bytes);
    const auto sw = read_software_hive(path);
    EXPECT_FALSE(sw.facts) << u.what;
    EXPECT_EQ(sw.error.rfind("SOFTWARE hive " + path + ": ", 0), 0u) << sw.error;
    EXPECT_EQ(sw.error, "SOFTWARE hive " + path + ": " + u.says);
    EXPECT_EQ(sw.error.find("hivex"), std::string::npos) << sw.error;
    const auto sys = read_system_hive(path);
    EXPECT_FALSE(sys.facts) << u.what;
    EXPECT_EQ(sys.error.rfind("SYSTEM hive " + path + ": ", 0), 0u) << sys.error;
    EXPECT_EQ(sys.error, "SYSTEM hive " + path + ": " + u.says);
  }
}

TEST(RegistryProfile, AFolderIsNotAHive) {
  test::TempDir dir;
  const auto r = read_system_hive(dir.str());
  EXPECT_FALSE(r.facts);
  EXPECT_EQ(r.error, "SYSTEM hive " + dir.str() + ": not a regular file");
}

// Hives come from untrusted images: damaged cells must end in notes or an
// error, never in a crash (run under ASan/UBSan to make this test bite).
TEST(RegistryProfile, DamagedCellsNeverCrash) {
  test::TempDir dir;
  const auto sw_good = nt4_software().build();
  const auto sys_good = nt4_system().build();
  std::mt19937 rng(1381);
  const auto path = (dir.path() / "hive").string();
  for (int round = 0; round < 400; ++round) {
    auto bytes = round % 2 ? sw_good : sys_good;
    std::uniform_int_distribution<size_t> where(4096, bytes.size() - 1);
    const int hits = 1 + round % 16;
    for (int i = 0; i < hits; ++i) bytes[where(rng)] = static_cast<uint8_t>(rng());
    write_file(dir, "hive", bytes);
    const auto sw = read_software_hive(path);
    const auto sys = read_system_hive(path);
    EXPECT_EQ(sw.facts.has_value(), sw.error.empty()) << round;
    EXPECT_EQ(sys.facts.has_value(), sys.error.empty()) << round;
  }
}

}  // namespace
}  // namespace hfa
