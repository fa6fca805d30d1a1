#include "testdata/scenarios.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "core/nt_types.h"
#include "core/text.h"
#include "testdata/hive_writer.h"
#include "testdata/pe_writer.h"

namespace fs = std::filesystem;

namespace hfa::testdata {
namespace {

constexpr int64_t kDay = 86400;

// How a file compares with its row of a seed article's file table.
enum class Age { older, exact, newer, much_newer, time_reset, truncated, garbage, ne, absent };

// The file-attribute rows of the seed articles, as printed (times read as UTC).
// Kept here, apart from the database, so that the fixtures check it.
struct Row {
  const char* name;
  Platform platform;
  Date date;
  TimeOfDay time;
  uint64_t size;
};
// Q266762's kernel tables: the standard Windows NT 4.0 one and the Terminal
// Server Edition one.
const Row kKernelRows[] = {
    {"ntkrnlmp.exe", Platform::x86, {2000, 7, 12}, {18, 10}, 955200},
    {"ntoskrnl.exe", Platform::x86, {2000, 7, 12}, {18, 9}, 934720},
};
const Row kTseKernelRows[] = {
    {"ntkrnlmp.exe", Platform::x86, {2000, 7, 27}, {16, 12}, 1002048},
    {"ntoskrnl.exe", Platform::x86, {2000, 7, 27}, {16, 11}, 980864},
};

const Row kRows[] = {
    {"services.exe", Platform::x86, {2000, 4, 4}, {0, 46}, 135440},    // Q259042
    {"winlogon.exe", Platform::x86, {2000, 4, 4}, {0, 46}, 192272},    // Q259042
    {"services.exe", Platform::alpha, {2000, 4, 4}, {0, 45}, 249104},  // Q259042
    {"winlogon.exe", Platform::alpha, {2000, 4, 4}, {0, 45}, 275216},  // Q259042
    {"rasapi32.dll", Platform::x86, {2000, 3, 15}, {17, 15}, 127760},  // Q257647
    {"rasapi32.dll", Platform::alpha, {2000, 3, 15}, {17, 14}, 198416},
    {"localspl.dll", Platform::x86, {1999, 3, 31}, {20, 0}, 145168},  // Q225095
    {"lprmon.dll", Platform::x86, {1999, 3, 17}, {18, 33}, 21776},
    {"win32spl.dll", Platform::x86, {1999, 3, 11}, {17, 21}, 79120},
};

// Q225095 has no Alpha rows: Alpha spooler files take the x86 rows' dates.
const Row& row_for(const std::string& name, Platform platform) {
  for (const auto& r : kRows)
    if (name == r.name && r.platform == platform) return r;
  for (const auto& r : kRows)
    if (name == r.name) return r;
  throw std::logic_error("no row for " + name);
}

struct Install {
  std::string root = "WINNT";
  Platform platform = Platform::x86;
  std::string product = "ServerNT";  // ProductType
  std::vector<std::string> suites;
  std::string version = "4.0";
  std::string build = "1381";
  std::string csd = "Service Pack 6";
  std::vector<std::string> hotfixes;  // registered with Installed = 1
  bool hives = true;
  bool damaged_hives = false;  // SOFTWARE garbage, SYSTEM cut short
  bool mciavi = true;
  Age default_age = Age::older;
  std::map<std::string, Age> ages;  // per row file
  bool mixed_case = false;
  std::string description = "Windows NT Server Version 4.00";
  // SOFTWARE left dirty: the primary holds these older values, SOFTWARE.LOG
  // the current ones (unless without_log).
  bool dirty_software = false;
  bool without_log = false;
  std::string stale_csd;
  std::vector<std::string> stale_hotfixes;
  bool garbage_system_with_alt = false;  // SYSTEM garbage, SYSTEM.ALT good
  // The kernels: by default an SP-time ntoskrnl.exe 4.0.1381.7. With
  // kernel_age, ntoskrnl.exe (and ntkrnlmp.exe with mp_age) are written against
  // Q266762's rows (the TSE table when tse_builds), TSE builds carrying bit
  // 0x8000 in their revision.
  bool tse_builds = false;
  std::optional<Age> kernel_age, mp_age;
  bool boot_mp = false;  // a boot.ini entry with /KERNEL=ntkrnlmp.exe
  // Issue 11's OS facts: a SOFTWARE hive without Microsoft\Windows
  // NT\CurrentVersion, a SYSTEM hive without ProductOptions, a kernel of
  // another Windows version.
  bool no_current_version_key = false;
  bool no_product_options = false;
  std::optional<Version> kernel_version;
  // A real system's size (bench/realsize.sh): this many more files in system32
  // and in the system root, and the hives grown with filler keys to at least
  // these sizes. Filler is never what the database asks about.
  int filler_system32 = 0;
  int filler_root = 0;
  size_t software_size = 0;
  size_t system_size = 0;

  Install& sp6a() {
    csd = "Service Pack 6";
    hotfixes.push_back("Q246009");
    return *this;
  }
};

uint16_t machine_of(Platform p) { return p == Platform::alpha ? 0x184 : 0x14c; }
std::string arch_of(Platform p) { return p == Platform::alpha ? "ALPHA" : "x86"; }

std::vector<uint8_t> pe_file(Platform platform, const std::string& name, uint32_t link_time, Version v, uint64_t size,
                             bool dll) {
  PeSpec spec;
  spec.machine = machine_of(platform);
  spec.dll = dll;
  spec.link_time = link_time;
  spec.file_version = v;
  spec.strings = {{"CompanyName", "Microsoft Corporation"},
                  {"FileDescription", name},
                  {"FileVersion", to_string(v)},
                  {"InternalName", name},
                  {"OriginalFilename", name},
                  {"ProductName", "Microsoft(R) Windows NT(TM) Operating System"},
                  {"ProductVersion", "4.00"}};
  spec.size = size;
  return write_pe(spec);
}

// Names as a mounted drive might keep them: "SYSTEM32", "WinLogon.EXE".
std::string cased(const std::string& name, bool mixed) {
  if (!mixed) return name;
  std::string out = name;
  const auto dot = out.rfind('.');
  for (size_t i = 0; i < out.size(); ++i) {
    const bool up = i == 0 || (dot != std::string::npos && i > dot) || (i == 3 && dot != 3);
    out[i] = static_cast<char>(up ? std::toupper(static_cast<unsigned char>(out[i]))
                                  : std::tolower(static_cast<unsigned char>(out[i])));
  }
  return out;
}

const int64_t kServicePackTime = to_unix_seconds({1999, 10, 15}, {12, 0});

// A file `age` relative to its row: older, the same, newer... As NT keeps
// them; `revision_bits` are OR-ed into the version (0x8000 for TSE builds).
std::optional<std::pair<std::vector<uint8_t>, int64_t>> row_file(Platform platform, const std::string& name,
                                                                 const Row& row, Age age, uint16_t revision_bits) {
  const int64_t t = to_unix_seconds(row.date, row.time);
  const bool dll = name.find(".dll") != std::string::npos;
  auto v = [&](uint16_t r) { return Version{4, 0, 1381, static_cast<uint16_t>(r | revision_bits)}; };
  switch (age) {
    case Age::older:
      return std::make_pair(pe_file(platform, name, uint32_t(t - 61 * kDay), v(100), row.size - 512, dll),
                            t - 60 * kDay);
    case Age::exact:  // five hours off: a local time zone
      return std::make_pair(pe_file(platform, name, uint32_t(t - kDay), v(150), row.size, dll), t + 5 * 3600);
    case Age::newer:
      return std::make_pair(pe_file(platform, name, uint32_t(t + 299 * kDay), v(200), row.size + 1024, dll),
                            t + 300 * kDay);
    case Age::much_newer:  // a later build branch, three years on
      return std::make_pair(pe_file(platform, name, uint32_t(t + 3 * 365 * kDay), v(300), row.size + 4096, dll),
                            t + 3 * 365 * kDay + kDay);
    case Age::time_reset:  // copied with a new time, but the binary is old
      return std::make_pair(pe_file(platform, name, uint32_t(t - 400 * kDay), v(100), row.size, dll), t + 30 * kDay);
    case Age::truncated: {
      auto bytes = pe_file(platform, name, uint32_t(t), v(200), 0, dll);
      bytes.resize(200);
      return std::make_pair(std::move(bytes), t + 300 * kDay);
    }
    case Age::garbage: {
      std::vector<uint8_t> bytes(4096);
      uint32_t x = 2463534242u;
      for (auto& b : bytes) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        b = static_cast<uint8_t>(x);
      }
      return std::make_pair(std::move(bytes), t + 300 * kDay);
    }
    case Age::ne:
      return std::make_pair(write_ne("SERVICES"), t + 300 * kDay);
    case Age::absent:
      break;
  }
  return std::nullopt;
}

// Adds filler keys to `h` in batches until the hive is at least `size` bytes.
template <typename Filler>
std::vector<uint8_t> grown(HiveBuilder& h, size_t size, Filler add_one) {
  auto bytes = h.build();
  for (int i = 0; bytes.size() < size;) {
    for (const int end = i + 2000; i < end; ++i) add_one(h, i);
    bytes = h.build();
  }
  return bytes;
}

void add_install(Scenario& s, const Install& in) {
  const std::string sys32 = in.root + "/" + (in.mixed_case ? "SYSTEM32" : "system32");
  auto add = [&](const std::string& dir, const std::string& name, std::vector<uint8_t> bytes, int64_t modified) {
    s.files.push_back({dir + "/" + cased(name, in.mixed_case), std::move(bytes), modified});
  };
  const auto sp_link = static_cast<uint32_t>(kServicePackTime - 2 * kDay);
  const uint16_t tse_bit = in.tse_builds ? 0x8000 : 0;
  if (!in.kernel_age) {
    const Version kernel = in.kernel_version.value_or(Version{4, 0, 1381, static_cast<uint16_t>(7 | tse_bit)});
    add(sys32, "ntoskrnl.exe", pe_file(in.platform, "ntoskrnl.exe", sp_link, kernel, 0, false), kServicePackTime);
  } else {
    const auto& rows = in.tse_builds ? kTseKernelRows : kKernelRows;
    if (auto f = row_file(in.platform, "ntoskrnl.exe", rows[1], *in.kernel_age, tse_bit))
      add(sys32, "ntoskrnl.exe", std::move(f->first), f->second);
    if (in.mp_age)
      if (auto f = row_file(in.platform, "ntkrnlmp.exe", rows[0], *in.mp_age, tse_bit))
        add(sys32, "ntkrnlmp.exe", std::move(f->first), f->second);
  }
  add(sys32, "user32.dll", pe_file(in.platform, "user32.dll", sp_link, {4, 0, 1381, 7}, 0, true), kServicePackTime);
  if (in.mciavi)
    add(sys32, "mciavi32.dll", pe_file(in.platform, "mciavi32.dll", sp_link, {4, 0, 1381, 7}, 0, true),
        kServicePackTime);
  add(in.root + "/" + (in.mixed_case ? "SYSTEM" : "system"), "ddeml.dll", write_ne("DDEML"), kServicePackTime);

  for (const char* name :
       {"services.exe", "winlogon.exe", "rasapi32.dll", "localspl.dll", "lprmon.dll", "win32spl.dll"}) {
    const auto it = in.ages.find(name);
    const Age age = it == in.ages.end() ? in.default_age : it->second;
    if (auto f = row_file(in.platform, name, row_for(name, in.platform), age, 0))
      add(sys32, name, std::move(f->first), f->second);
  }

  // One small stub shared by every filler file: only names the database asks
  // for are ever read, so their bytes do not matter, only their number.
  const std::vector<uint8_t> stub = {'M', 'Z', 0, 0};
  static const char* const kExtensions[] = {"dll", "exe", "drv", "cpl", "nls", "sys"};
  auto add_filler = [&](const std::string& dir, int count) {
    for (int i = 0; i < count; ++i) {
      // Upper case as setup copied most files ("WINLOGON.EXE"), some lower, some mixed.
      std::string name = "fill" + std::to_string(1000 + i) + "." + kExtensions[i % 6];
      if (i % 3 == 0) name = ascii_upper(name);
      if (i % 3 == 2) name = cased(name, true);
      s.files.push_back({dir + "/" + name, stub, kServicePackTime});
    }
  };
  add_filler(sys32, in.filler_system32);
  add_filler(in.root, in.filler_root);

  if (!in.hives) return;
  auto software_hive = [&](const std::string& csd, const std::vector<std::string>& hotfixes) {
    HiveBuilder software;
    // A hive that opens, with other keys, but not the one the OS facts live in.
    const std::string cv =
        in.no_current_version_key ? "Microsoft\\Windows NT\\OtherKey" : "Microsoft\\Windows NT\\CurrentVersion";
    software.value(cv, HiveValue::sz("CurrentVersion", in.version));
    software.value(cv, HiveValue::sz("CurrentBuildNumber", in.build));
    if (!csd.empty()) software.value(cv, HiveValue::sz("CSDVersion", csd));
    software.key(cv + "\\Hotfix");
    for (const auto& h : hotfixes) software.value(cv + "\\Hotfix\\" + h, HiveValue::dword("Installed", 1));
    // A hotfix that was removed again must not count.
    software.value(cv + "\\Hotfix\\Q147222", HiveValue::dword("Installed", 0));
    return grown(software, in.software_size, [](HiveBuilder& h, int i) {
      // Class registrations, as the bulk of a real SOFTWARE hive is.
      const std::string key = "Classes\\CLSID" + std::to_string(i / 100) + "\\{" + std::to_string(100000 + i) +
                              "-0000-0000-C000-000000000046}\\InprocServer32";
      h.value(key, HiveValue::sz("", "%SystemRoot%\\System32\\fill" + std::to_string(i) + ".dll"));
      h.value(key, HiveValue::sz("ThreadingModel", "Apartment"));
    });
  };

  // The current control set is 002; 001 holds stale values that must be ignored.
  HiveBuilder system;
  system.value("Select", HiveValue::dword("Current", 2));
  system.value("Select", HiveValue::dword("Default", 2));
  system.value("ControlSet001\\Control\\ProductOptions", HiveValue::sz("ProductType", "WinNT"));
  system.value("ControlSet001\\Control\\Session Manager\\Environment",
               HiveValue::sz("PROCESSOR_ARCHITECTURE", in.platform == Platform::alpha ? "x86" : "ALPHA"));
  if (!in.no_product_options)
    system.value("ControlSet002\\Control\\ProductOptions", HiveValue::sz("ProductType", in.product));
  if (!in.suites.empty())
    system.value("ControlSet002\\Control\\ProductOptions", HiveValue::multi_sz("ProductSuite", in.suites));
  system.value("ControlSet002\\Control\\Session Manager\\Environment",
               HiveValue::sz("PROCESSOR_ARCHITECTURE", arch_of(in.platform)));
  // The services every NT 4.0 Server or Workstation has; no optional component.
  for (const char* service : {"Alerter", "Browser", "EventLog", "LanmanServer", "LanmanWorkstation", "Messenger",
                              "Netlogon", "RpcSs", "Spooler", "Tcpip"})
    system.key(std::string("ControlSet002\\Services\\") + service);

  auto software_bytes = software_hive(in.csd, in.hotfixes);
  auto system_bytes = grown(system, in.system_size, [](HiveBuilder& h, int i) {
    // Device instances under Enum, which the scan never reads.
    const std::string key =
        "ControlSet002\\Enum\\Root\\FILL" + std::to_string(i / 100) + "\\" + std::to_string(1000 + i % 100);
    h.value(key, HiveValue::sz("DeviceDesc", "Filler device " + std::to_string(i)));
    h.value(key, HiveValue::sz("Class", "System"));
    h.value(key, HiveValue::dword("ConfigFlags", 0));
  });
  if (in.damaged_hives) {
    for (size_t i = 0; i < software_bytes.size(); ++i) software_bytes[i] = static_cast<uint8_t>(i * 131 + 7);
    system_bytes.resize(4096 + 100);
  }
  const std::string config = sys32 + "/" + (in.mixed_case ? "CONFIG" : "config");
  if (in.dirty_software) {
    auto dirty = make_dirty(software_hive(in.stale_csd, in.stale_hotfixes), software_bytes);
    software_bytes = std::move(dirty.primary);
    if (!in.without_log) s.files.push_back({config + "/SOFTWARE.LOG", std::move(dirty.log), kServicePackTime});
  }
  if (in.garbage_system_with_alt) {
    s.files.push_back({config + "/SYSTEM.ALT", system_bytes, kServicePackTime});
    for (size_t i = 0; i < system_bytes.size(); ++i) system_bytes[i] = static_cast<uint8_t>(i * 37 + 11);
  }
  s.files.push_back(
      {config + "/" + (in.mixed_case ? "software" : "SOFTWARE"), std::move(software_bytes), kServicePackTime});
  s.files.push_back({config + "/" + (in.mixed_case ? "System" : "SYSTEM"), std::move(system_bytes), kServicePackTime});
}

void add_boot_ini(Scenario& s, const std::vector<Install>& installs, const std::vector<std::string>& folders = {}) {
  std::string text = "[boot loader]\r\ntimeout=30\r\ndefault=multi(0)disk(0)rdisk(0)partition(1)\\" +
                     (folders.empty() ? installs.front().root : folders.front()) + "\r\n[operating systems]\r\n";
  for (size_t i = 0; i < installs.size(); ++i) {
    const auto& folder = folders.empty() ? installs[i].root : folders[i];
    const std::string arc = "multi(0)disk(0)rdisk(0)partition(1)\\" + folder;
    text += arc + "=\"" + installs[i].description + "\"\r\n";
    text += arc + "=\"" + installs[i].description + " [VGA mode]\" /basevideo /sos\r\n";
    if (installs[i].boot_mp) text += arc + "=\"" + installs[i].description + " [MP]\" /KERNEL=ntkrnlmp.exe\r\n";
  }
  text += "C:\\=\"MS-DOS\"\r\n";
  s.files.push_back({"boot.ini", std::vector<uint8_t>(text.begin(), text.end()), kServicePackTime});
}

using Statuses = std::map<std::string, std::string>;
// In article order: Q170626, Q223770, Q225095, Q257647, Q259042.
Statuses expect(const char* q170626, const char* q223770, const char* q225095, const char* q257647,
                const char* q259042) {
  return {{"Q170626", q170626}, {"Q223770", q223770}, {"Q225095", q225095}, {"Q257647", q257647}, {"Q259042", q259042}};
}

int exit_for(const std::map<std::string, Statuses>& expected) {
  for (const auto& [root, statuses] : expected)
    for (const auto& [kb, status] : statuses)
      // (an installation expected to be out of scope has no statuses; its
      // scenario sets exit 3)
      if (status == "missing" || status == "inconsistent" || status == "unknown") return 1;
  return 0;
}

Scenario single(std::string name, std::string description, const Install& in, Statuses expected) {
  Scenario s;
  s.name = std::move(name);
  s.description = std::move(description);
  add_boot_ini(s, {in});
  add_install(s, in);
  s.expected[in.root] = std::move(expected);
  s.expected_exit = exit_for(s.expected);
  return s;
}

// Q266762 as its text gives it (a standard table and a Terminal Server
// Edition table, both naming the two kernels), and a fixture article standing
// for a table that names Ntoskrnl.exe alone: no Microsoft article in the
// corpus does, but the rule must hold when one does.
const char* const kKernelArticles = R"(<?xml version="1.0" encoding="UTF-8"?>
<kbdb xmlns="urn:hotfix-audit:kbdb:1" format="1">
  <article id="Q266762" modified="2002-05-08">
    <title>Err Msg: STOP 0x00000050 0xe2000000 0x00000000 0x00000000...</title>
    <applies-to edition="server" os="4.0"/>
    <applies-to edition="workstation" os="4.0"/>
    <applies-to edition="terminal-server" os="4.0"/>
    <platform>alpha</platform>
    <platform>x86</platform>
    <file name="Ntkrnlmp.exe" platform="x86" date="2000-07-12" time="18:10" size="955200" section="Windows NT 4.0"/>
    <file name="Ntoskrnl.exe" platform="x86" date="2000-07-12" time="18:09" size="934720" section="Windows NT 4.0"/>
    <file name="Ntkrnlmp.exe" platform="x86" date="2000-07-27" time="16:12" size="1002048" section="Windows NT Server 4.0, Terminal Server Edition"/>
    <file name="Ntoskrnl.exe" platform="x86" date="2000-07-27" time="16:11" size="980864" section="Windows NT Server 4.0, Terminal Server Edition"/>
  </article>
  <article id="Q999001" modified="2002-05-08">
    <title>Fixture: a kernel fix whose table names only Ntoskrnl.exe</title>
    <applies-to edition="server" os="4.0"/>
    <applies-to edition="workstation" os="4.0"/>
    <platform>x86</platform>
    <file name="Ntoskrnl.exe" platform="x86" date="2000-07-12" time="18:09" size="934720" section="Windows NT 4.0"/>
  </article>
</kbdb>
)";

// Fixture articles for the catalogue rules (docs/verdicts.md, rule 6).
const char* const kCatalogueArticles = R"(<?xml version="1.0" encoding="UTF-8"?>
<kbdb xmlns="urn:hotfix-audit:kbdb:1" format="1">
  <article id="Q999101" modified="2002-05-08">
    <title>Fixture: a printer driver row at its install location</title>
    <applies-to edition="server" os="4.0"/>
    <file name="RASDD.DLL" platform="x86" date="1996-01-01" location="system32/spool/drivers/w32x86/2"/>
  </article>
  <article id="Q999102" modified="2002-05-08">
    <title>Fixture: a Cluster Server fix</title>
    <applies-to edition="server" os="4.0"/>
    <fixed-in service-pack="7"/>
    <component name="Cluster Server" from="Q999102" line="12"><evidence-file path="cluster/clussvc.exe"/></component>
  </article>
  <article id="Q999103" modified="2002-05-08" kind="package">
    <title>Fixture: a roll-up with Alpha rows only</title>
    <applies-to edition="server" os="4.0"/>
    <contains id="Q259042" from="Q999103" line="20"/>
    <file name="winlogon.exe" platform="alpha" date="2000-04-04" size="275216"/>
  </article>
</kbdb>
)";

Scenario with_kernel_articles(Scenario s, const char* q266762, const char* q999001) {
  for (auto& [root, statuses] : s.expected) {
    statuses["Q266762"] = q266762;
    statuses["Q999001"] = q999001;
  }
  s.extra_db = kKernelArticles;
  s.expected_exit = exit_for(s.expected);
  return s;
}

Install server_sp6a() {
  Install in;
  in.sp6a();
  in.ages = {{"localspl.dll", Age::newer}, {"lprmon.dll", Age::newer}, {"win32spl.dll", Age::newer}};
  return in;
}

Install with_all(Install in, Age age) {
  in.ages.clear();
  in.default_age = age;
  return in;
}

Install on(Install in, Platform p) {
  in.platform = p;
  return in;
}

Install sp(Install in, const std::string& csd) {
  in.csd = csd;
  in.hotfixes.clear();
  return in;
}

Install registered(Install in, std::vector<std::string> ids) {
  for (auto& id : ids) in.hotfixes.push_back(std::move(id));
  return in;
}

}  // namespace

Scenario demo_scenario() {
  Install in = registered(server_sp6a(), {"Q225095"});
  in.ages = {{"localspl.dll", Age::exact}, {"lprmon.dll", Age::exact}, {"win32spl.dll", Age::exact}};
  return single("demo", "Server SP6a on x86: the spooler rollup installed, the winlogon and RAS fixes missing", in,
                expect("fixed", "fixed", "fixed", "missing", "missing"));
}

Scenario realsize_scenario(bool small_directories) {
  Install in = registered(server_sp6a(), {"Q225095"});
  in.ages = {{"localspl.dll", Age::exact}, {"lprmon.dll", Age::exact}, {"win32spl.dll", Age::exact}};
  in.mixed_case = true;
  in.filler_system32 = small_directories ? 0 : 2000;
  in.filler_root = small_directories ? 0 : 100;
  in.software_size = 8u << 20;
  in.system_size = 3u << 20;
  return single(small_directories ? "realsize-small" : "realsize",
                "The demo at a real system's size: mixed-case names, 8 MiB SOFTWARE, 3 MiB SYSTEM" +
                    std::string(small_directories ? ", small directories" : ", 2,000 files in system32"),
                in, expect("fixed", "fixed", "fixed", "missing", "missing"));
}

std::vector<Scenario> os_fact_scenarios() {
  std::vector<Scenario> out;
  {
    Install in = server_sp6a();
    in.no_current_version_key = true;
    out.push_back(single("software-without-currentversion",
                         "SOFTWARE opens but has no Microsoft\\Windows NT\\CurrentVersion: "
                         "service pack unknown",
                         in, expect("unknown", "unknown", "unknown", "unknown", "unknown")));
  }
  {
    Install in = server_sp6a();
    in.no_product_options = true;
    out.push_back(single("system-without-productoptions",
                         "SYSTEM read, but ControlSet002\\Control\\ProductOptions is "
                         "absent: product unknown",
                         in, expect("fixed", "unknown", "fixed", "missing", "missing")));
  }
  {
    // Windows XP SP3: ProductSuite names Terminal Server, as on every XP.
    Install in = sp(server_sp6a(), "Service Pack 3");
    in.version = "5.1";
    in.build = "2600";
    in.product = "WinNT";
    in.suites = {"Terminal Server"};
    in.kernel_version = Version{5, 1, 2600, 5512};
    in.description = "Microsoft Windows XP Professional";
    Scenario s = single("windows-xp", "A Windows XP SP3 installation: outside the database, never compliant", in, {});
    s.expected_exit = 3;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Scenario> kernel_scenarios() {
  std::vector<Scenario> out;
  Install in = server_sp6a();
  const auto seeds = expect("fixed", "fixed", "fixed", "missing", "missing");
  {
    // No boot.ini anywhere: any kernel could be booted, so each is judged.
    Install k = in;
    k.kernel_age = Age::older;
    k.mp_age = Age::newer;
    Scenario s;
    s.name = "kernels-without-boot-ini";
    s.description =
        "No boot.ini; ntoskrnl.exe older than Q266762, "
        "ntkrnlmp.exe newer: both judged, missing";
    add_install(s, k);
    s.expected[k.root] = seeds;
    out.push_back(with_kernel_articles(std::move(s), "missing", "missing"));
  }
  {
    // boot.ini boots ntoskrnl.exe only: a stale ntkrnlmp.exe is named, not
    // judged.
    Install k = in;
    k.kernel_age = Age::newer;
    k.mp_age = Age::older;
    out.push_back(with_kernel_articles(single("stale-ntkrnlmp",
                                              "boot.ini boots ntoskrnl.exe (newer); ntkrnlmp.exe, older, is "
                                              "booted by no entry",
                                              k, seeds),
                                       "fixed", "fixed"));
  }
  {
    // NT's usual disk: boot.ini on the system partition p1 names partition(2),
    // the boot partition holding WINNT; its /KERNEL= entry boots the older
    // ntkrnlmp.exe. As a folder (boot.ini beside WINNT) the same entries hold.
    Install k = in;
    k.kernel_age = Age::newer;
    k.mp_age = Age::older;
    Scenario s;
    s.name = "boot-ini-partition-2";
    s.description =
        "boot.ini names partition(2)\\WINNT, one entry with "
        "/KERNEL=ntkrnlmp.exe (older than the fix)";
    const std::string arc = "multi(0)disk(0)rdisk(0)partition(2)\\WINNT";
    const std::string text = "[boot loader]\r\ntimeout=30\r\ndefault=" + arc + "\r\n[operating systems]\r\n" + arc +
                             "=\"Windows NT Server Version 4.00\"\r\n" + arc +
                             "=\"Windows NT Server Version 4.00 [MP]\" /KERNEL=ntkrnlmp.exe\r\n";
    s.files.push_back({"boot.ini", std::vector<uint8_t>(text.begin(), text.end()), kServicePackTime});
    add_install(s, k);
    s.expected[k.root] = seeds;
    out.push_back(with_kernel_articles(std::move(s), "missing", "missing"));
  }
  return out;
}

std::vector<Scenario> all_scenarios() {
  std::vector<Scenario> out;
  const Install sp4 = sp(with_all(Install{}, Age::older), "Service Pack 4");

  // x86, every state of every article.
  out.push_back(single("x86-sp6a-missing", "Server SP6a; winlogon, services and rasapi32 from SP6", server_sp6a(),
                       expect("fixed", "fixed", "fixed", "missing", "missing")));
  out.push_back(single("x86-sp4-missing", "Server SP4; spooler files from SP4", sp4,
                       expect("fixed", "missing", "missing", "not-applicable", "not-applicable")));
  {
    Install in = sp(with_all(Install{}, Age::older), "Service Pack 3");
    in.mciavi = false;
    out.push_back(single("x86-sp3-no-mciavi", "Server SP3 without mciavi32.dll", in,
                         expect("missing", "not-applicable", "not-applicable", "not-applicable", "not-applicable")));
  }
  {
    Install in = registered(sp(with_all(Install{}, Age::older), "Service Pack 3"), {"Q170626", "Q223770"});
    out.push_back(single("x86-sp3-hotfixes-registered",
                         "Server SP3 with the Q170626 and Q223770 hotfixes registered: nothing to verify them by", in,
                         expect("unknown", "unknown", "not-applicable", "not-applicable", "not-applicable")));
  }
  out.push_back(single("x86-hotfix-exact", "Server SP6a; the three hotfixes installed, files exactly the tables'",
                       registered(with_all(server_sp6a(), Age::exact), {"Q225095", "Q257647", "Q259042"}),
                       expect("fixed", "fixed", "fixed", "fixed", "fixed")));
  {
    Install in = registered(sp4, {"Q223770", "Q225095"});
    in.ages = {{"localspl.dll", Age::exact}, {"lprmon.dll", Age::exact}, {"win32spl.dll", Age::exact}};
    out.push_back(single("x86-sp4-hotfixes-registered",
                         "Server SP4 with the Q225095 files, and Q223770 registered (no file table to verify it)", in,
                         expect("fixed", "unknown", "fixed", "not-applicable", "not-applicable")));
  }
  out.push_back(single("x86-later-files", "Server SP6a; every table file later than the fix, nothing registered",
                       with_all(server_sp6a(), Age::newer), expect("fixed", "fixed", "fixed", "fixed", "fixed")));
  out.push_back(single("x86-sp6a-srp", "Server SP6a with the Security Rollup Q299444",
                       registered(with_all(server_sp6a(), Age::newer), {"Q299444"}),
                       expect("fixed", "fixed", "fixed", "fixed", "fixed")));
  {
    Install in = sp(server_sp6a(), "Service Pack 5");
    out.push_back(single("x86-sp5", "Server SP5: fixes Q223770 and Q170626 by service pack", in,
                         expect("fixed", "fixed", "fixed", "not-applicable", "not-applicable")));
  }
  {
    Install in = server_sp6a();
    in.product = "WinNT";
    in.description = "Windows NT Workstation Version 4.00";
    out.push_back(single("x86-workstation-sp6a", "Workstation SP6a: the server-only articles do not apply", in,
                         expect("fixed", "fixed", "not-applicable", "not-applicable", "missing")));
  }
  {
    Install in = registered(with_all(server_sp6a(), Age::newer), {"Q299444"});
    in.ages["winlogon.exe"] = Age::older;
    out.push_back(single("x86-registry-mismatch", "Security Rollup registered, but winlogon.exe is older than the fix",
                         in, expect("fixed", "fixed", "fixed", "fixed", "inconsistent")));
  }
  {
    Install in = with_all(server_sp6a(), Age::newer);
    in.ages["winlogon.exe"] = Age::time_reset;
    in.ages["services.exe"] = Age::exact;
    out.push_back(single("x86-time-reset", "winlogon.exe with a recent time but a link time long before the fix", in,
                         expect("fixed", "fixed", "fixed", "fixed", "missing")));
  }
  {
    Install in = with_all(Install{}, Age::newer);
    in.version = "5.0";
    in.build = "2195";
    in.csd = "Service Pack 1";
    in.description = "Microsoft Windows 2000 Server";
    // Outside the database: reported as such, not judged, never compliant (exit
    // 3).
    Scenario s = single("x86-windows-2000", "Windows 2000: outside the database, not judged", in, {});
    s.expected_exit = 3;
    out.push_back(std::move(s));
  }

  // Alpha: Q257647 and Q259042 have Alpha rows; Q225095 lists Alpha hardware but only x86 rows.
  out.push_back(single("alpha-sp6a-missing", "Alpha Server SP6a, files from SP6",
                       on(with_all(server_sp6a(), Age::older), Platform::alpha),
                       expect("fixed", "fixed", "fixed", "missing", "missing")));
  out.push_back(single("alpha-hotfix-exact", "Alpha Server SP6a; hotfixes installed, files exactly the tables'",
                       registered(on(with_all(server_sp6a(), Age::exact), Platform::alpha), {"Q257647", "Q259042"}),
                       expect("fixed", "fixed", "fixed", "fixed", "fixed")));
  out.push_back(single("alpha-later-files", "Alpha Server SP6a; files later than the fix",
                       on(with_all(server_sp6a(), Age::newer), Platform::alpha),
                       expect("fixed", "fixed", "fixed", "fixed", "fixed")));
  out.push_back(single("alpha-sp6a-srp", "Alpha Server SP6a with the Security Rollup Q299444",
                       registered(on(with_all(server_sp6a(), Age::newer), Platform::alpha), {"Q299444"}),
                       expect("fixed", "fixed", "fixed", "fixed", "fixed")));
  out.push_back(single("alpha-sp4", "Alpha Server SP4", on(sp4, Platform::alpha),
                       expect("fixed", "missing", "missing", "not-applicable", "not-applicable")));
  {
    Install in = on(server_sp6a(), Platform::alpha);
    in.product = "WinNT";
    out.push_back(single("alpha-workstation-sp6a", "Alpha Workstation SP6a, winlogon from SP6", in,
                         expect("fixed", "fixed", "not-applicable", "not-applicable", "missing")));
  }

  // Terminal Server Edition counts its own service packs.
  {
    Install in = sp4;
    in.suites = {"Terminal Server"};
    in.description = "Windows NT Server 4.0, Terminal Server Edition";
    out.push_back(single("tse-sp4", "Terminal Server Edition SP4", in,
                         expect("fixed", "not-applicable", "not-applicable", "not-applicable", "unknown")));
    in.csd = "Service Pack 3";
    out.push_back(single("tse-sp3", "Terminal Server Edition SP3", in,
                         expect("missing", "not-applicable", "not-applicable", "not-applicable", "unknown")));
  }

  {
    Install in = server_sp6a();
    in.root = "Nt40Srv";
    in.mixed_case = true;
    Scenario s;
    s.name = "mixed-case";
    s.description = "SystemRoot Nt40Srv named \\NT40SRV in boot.ini; SYSTEM32/WinLogon.EXE and the like";
    add_boot_ini(s, {in}, {"NT40SRV"});
    add_install(s, in);
    s.expected[in.root] = expect("fixed", "fixed", "fixed", "missing", "missing");
    s.expected_exit = exit_for(s.expected);
    out.push_back(std::move(s));
  }
  {
    Install server = server_sp6a();
    Install wks = sp(with_all(Install{}, Age::older), "Service Pack 3");
    wks.root = "WKSTN";
    wks.product = "WinNT";
    wks.mciavi = false;
    wks.description = "Windows NT Workstation Version 4.00";
    Scenario s;
    s.name = "two-installations";
    s.description = "boot.ini names a Server SP6a in \\WINNT and a Workstation SP3 in \\WKSTN";
    add_boot_ini(s, {server, wks});
    add_install(s, server);
    add_install(s, wks);
    s.expected["WINNT"] = expect("fixed", "fixed", "fixed", "missing", "missing");
    s.expected["WKSTN"] = expect("missing", "not-applicable", "not-applicable", "not-applicable", "not-applicable");
    s.expected_exit = exit_for(s.expected);
    out.push_back(std::move(s));
  }
  {
    Install in = server_sp6a();
    in.hives = false;
    in.ages["rasapi32.dll"] = Age::absent;
    out.push_back(single("no-hives", "No registry hives: service pack and product unknown, platform from ntoskrnl.exe",
                         in, expect("unknown", "unknown", "unknown", "not-applicable", "unknown")));
  }
  {
    Install in = server_sp6a();
    in.damaged_hives = true;
    in.ages["rasapi32.dll"] = Age::absent;
    out.push_back(single("damaged-hives", "SOFTWARE is garbage and SYSTEM cut short: treated as no hives, and said so",
                         in, expect("unknown", "unknown", "unknown", "not-applicable", "unknown")));
  }
  {
    Install in = server_sp6a();
    in.ages["winlogon.exe"] = Age::truncated;
    in.ages["services.exe"] = Age::ne;
    in.ages["rasapi32.dll"] = Age::garbage;
    out.push_back(single("bad-files", "winlogon.exe truncated, services.exe a 16-bit NE module, rasapi32.dll garbage",
                         in, expect("fixed", "fixed", "fixed", "unknown", "unknown")));
  }
  // Registry hives as Windows left them.
  {
    Install in = server_sp6a();
    in.dirty_software = true;
    in.stale_csd = "Service Pack 5";
    out.push_back(single("dirty-software-log",
                         "SOFTWARE is dirty: its primary still says SP5, SOFTWARE.LOG completes it to SP6a", in,
                         expect("fixed", "fixed", "fixed", "missing", "missing")));
    in.without_log = true;
    out.push_back(single("dirty-software-no-log", "SOFTWARE is dirty and has no SOFTWARE.LOG: read as it is (SP5)", in,
                         expect("fixed", "fixed", "fixed", "not-applicable", "not-applicable")));
  }
  {
    Install in = server_sp6a();
    in.garbage_system_with_alt = true;
    out.push_back(single("system-garbage-alt", "SYSTEM is garbage; SYSTEM.ALT, its mirror, is read instead", in,
                         expect("fixed", "fixed", "fixed", "missing", "missing")));
  }
  // Service-pack strings as they occur.
  out.push_back(single("csd-release-candidate", "CSDVersion 'Service Pack 3 RC 1.32': Service Pack 3, with a note",
                       sp(with_all(Install{}, Age::older), "Service Pack 3 RC 1.32"),
                       expect("missing", "missing", "not-applicable", "not-applicable", "not-applicable")));
  out.push_back(single("csd-unparseable", "CSDVersion 'Beta 2 Refresh': the service pack is unknown",
                       sp(server_sp6a(), "Beta 2 Refresh"),
                       expect("unknown", "unknown", "unknown", "unknown", "unknown")));
  // Terminal Server Edition: 0x8000 builds, judged by the TSE table only.
  {
    Install in = sp(with_all(Install{}, Age::older), "Service Pack 6");
    in.suites = {"Terminal Server"};
    in.description = "Windows NT Server 4.0, Terminal Server Edition";
    in.tse_builds = true;
    in.kernel_age = Age::exact;
    in.mp_age = Age::exact;
    out.push_back(with_kernel_articles(
        single("tse-kernel", "Terminal Server Edition SP6, kernels 4.0.1381.33xxx exactly Q266762's TSE rows", in,
               expect("fixed", "not-applicable", "not-applicable", "not-applicable", "unknown")),
        "fixed", "not-applicable"));
    in.suites.clear();
    out.push_back(with_kernel_articles(
        single("tse-by-kernel", "No ProductSuite, but the kernel is a TSE build (revision bit 0x8000)", in,
               expect("fixed", "not-applicable", "not-applicable", "not-applicable", "unknown")),
        "fixed", "not-applicable"));
  }
  // The multiprocessor kernel, booted by /KERNEL=ntkrnlmp.exe.
  {
    Install in = server_sp6a();
    in.kernel_age = Age::newer;
    in.mp_age = Age::older;
    in.boot_mp = true;
    out.push_back(with_kernel_articles(
        single("mp-kernel",
               "boot.ini boots ntkrnlmp.exe (/KERNEL=), which is older than the fix; ntoskrnl.exe is newer", in,
               expect("fixed", "fixed", "fixed", "missing", "missing")),
        "missing", "missing"));
  }
  // A file from a later build branch.
  {
    Install in = with_all(server_sp6a(), Age::newer);
    in.ages["winlogon.exe"] = Age::much_newer;
    out.push_back(single("much-newer", "winlogon.exe from a later build branch, three years past the row", in,
                         expect("fixed", "fixed", "fixed", "fixed", "fixed")));
  }
  {
    Scenario s;
    s.name = "no-windows";
    s.description = "A data drive: no boot.ini, no folder with system32/ntoskrnl.exe";
    const std::string text = "quarterly figures\n";
    s.files.push_back({"Documents/report.txt", std::vector<uint8_t>(text.begin(), text.end()), kServicePackTime});
    s.directories.push_back("Program Files");
    s.expected_exit = 2;
    s.expected_error = "no Windows installation";
    out.push_back(std::move(s));
  }
  {
    Install in = with_all(server_sp6a(), Age::newer);
    in.ages["winlogon.exe"] = Age::absent;
    Scenario s = single("symlink-escape", "system32/winlogon.exe is a symbolic link to /etc/passwd, outside the root",
                        in, expect("fixed", "fixed", "fixed", "fixed", "unknown"));
    s.links.push_back({"WINNT/system32/winlogon.exe", "/etc/passwd"});
    s.links.push_back({"outside", "../../../../../../../../.."});
    out.push_back(std::move(s));
  }
  {
    // Issue 10's catalogue on real bytes: a row at its install location (a copy
    // of the written localspl.dll as the printer driver RASDD.DLL), an absent
    // optional component, and a roll-up without x86 rows following Q259042.
    Scenario s = single("catalogue-relations",
                        "Server SP6a; a driver outside system32, no Cluster Server, a roll-up of the missing Q259042",
                        server_sp6a(), expect("fixed", "fixed", "fixed", "missing", "missing"));
    for (const auto& f : std::vector<FileSpec>(s.files))
      if (f.path == "WINNT/system32/localspl.dll")
        s.files.push_back({"WINNT/system32/spool/drivers/w32x86/2/RASDD.DLL", f.bytes, f.modified});
    auto& statuses = s.expected.begin()->second;
    statuses["Q999101"] = "fixed";
    statuses["Q999102"] = "not-applicable";
    statuses["Q999103"] = "missing";
    s.extra_db = kCatalogueArticles;
    s.expected_exit = exit_for(s.expected);
    out.push_back(std::move(s));
  }
  for (auto& s : kernel_scenarios()) out.push_back(std::move(s));
  return out;
}

void write_scenario(const Scenario& s, const std::string& directory) {
  const fs::path root(directory);
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) throw std::runtime_error(directory + ": " + ec.message());
  for (const auto& d : s.directories) fs::create_directories(root / d);
  for (const auto& f : s.files) {
    const fs::path path = root / f.path;
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(f.bytes.data()), static_cast<std::streamsize>(f.bytes.size()));
    if (!out.flush()) throw std::runtime_error(path.string() + ": cannot write");
    out.close();
    const struct timespec times[2] = {{static_cast<time_t>(f.modified), 0}, {static_cast<time_t>(f.modified), 0}};
    if (::utimensat(AT_FDCWD, path.c_str(), times, 0) != 0)
      throw std::runtime_error(path.string() + ": cannot set the modification time");
  }
  for (const auto& l : s.links) {
    const fs::path path = root / l.path;
    fs::create_directories(path.parent_path());
    fs::remove(path, ec);
    fs::create_symlink(l.target, path, ec);
    if (ec) throw std::runtime_error(path.string() + ": cannot create link: " + ec.message());
  }
}

}  // namespace hfa::testdata
