// Writes the seed corpora of the fuzz targets from the test fixtures:
// make-fuzz-seeds DIR -> DIR/{pe,registry,bootini,kbdb}/...
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "kbdb/kbdb.h"
#include "testdata/pe_writer.h"
#include "testdata/scenarios.h"

namespace fs = std::filesystem;

namespace {
void put(const fs::path& dir, const std::string& name, const std::vector<uint8_t>& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::string flat(const std::string& path) {
  std::string out = path;
  for (auto& c : out)
    if (c == '/') c = '_';
  return out;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make-fuzz-seeds DIR\n";
    return 2;
  }
  const fs::path out = argv[1];
  int count = 0;
  for (const auto& s : hfa::testdata::all_scenarios()) {
    for (const auto& f : s.files) {
      const auto lower = f.path;
      std::string kind;
      if (f.path.find("boot.ini") != std::string::npos) kind = "bootini";
      else if (f.path.find("onfig/") != std::string::npos || f.path.find("ONFIG/") != std::string::npos) kind = "registry";
      else if (f.path.size() > 4) kind = "pe";
      if (kind.empty()) continue;
      put(out / kind, s.name + "_" + flat(f.path), f.bytes);
      ++count;
    }
  }
  // The scenarios pad their files to the sizes KB tables print; natural-size
  // images keep the headers and the resources within the fuzzer's -max_len.
  int natural = 0;
  for (const bool plus : {false, true}) {
    for (const uint16_t machine : {uint16_t(0x14c), uint16_t(0x184), uint16_t(0x8664)}) {
      hfa::testdata::PeSpec spec;
      spec.machine = machine;
      spec.pe32_plus = plus;
      spec.link_time = 0x38a0b8d0;
      spec.file_version = hfa::Version{4, 0, 1381, uint16_t(100 + natural)};
      spec.strings = {{"CompanyName", "Microsoft Corporation"}, {"FileVersion", "4.00"}, {"InternalName", "seed"}};
      put(out / "pe", "natural-" + std::to_string(natural++) + ".dll", hfa::testdata::write_pe(spec));
    }
  }
  hfa::testdata::PeSpec bare;
  bare.dll = false;
  put(out / "pe", "natural-no-version.exe", hfa::testdata::write_pe(bare));
  count += natural + 1;
  put(out / "pe", "ne.dll", hfa::testdata::write_ne("DDEML"));
  put(out / "pe", "mz.exe", hfa::testdata::write_mz_only());
  put(out / "pe", "le.vxd", hfa::testdata::write_le(false));
  put(out / "pe", "lx.dll", hfa::testdata::write_le(true));
  const auto xml = hfa::kbdb::builtin_xml();
  put(out / "kbdb", "builtin.xml", std::vector<uint8_t>(xml.begin(), xml.end()));
  std::cout << "wrote " << count + 5 << " seeds below " << out << "\n";
  return 0;
}
