// Writes the seed corpora of the fuzz targets from the test fixtures:
// make-fuzz-seeds DIR [ARTICLES_DIR] -> DIR/{pe,registry,bootini,kbdb,kbimport,image}/...
// (the KB article texts of ARTICLES_DIR, e.g. ../shared/seeds, join the
// importer's one written here).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <unistd.h>

#include "kbdb/kbdb.h"
#include "testdata/disk_images.h"
#include "testdata/pe_writer.h"
#include "testdata/scenarios.h"

namespace fs = std::filesystem;

namespace {
void put(const fs::path& dir, const std::string& name, const std::vector<uint8_t>& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::vector<uint8_t> file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// The container layer's seeds: a small FAT12 file system holding the demo's
// boot.ini, bare, behind an MBR, and in each container the project writes
// (sparse and stream-optimized VMDK, fixed VHD, E01), a differencing VHD and
// a short chain of logical partitions. Made with Debian's tools; left out,
// saying so, without them.
int image_seeds(const fs::path& out) {
  namespace td = hfa::testdata;
  if (const auto missing = td::missing_tool({"mkfs.fat", "mcopy", "qemu-img", "ewfacquire"}); !missing.empty()) {
    std::cerr << "image seeds left out: " << missing << " is not installed (scripts/setup.sh --fuzz)\n";
    return 0;
  }
  const fs::path tmp = fs::temp_directory_path() / ("hfa-image-seeds-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp / "tree");
  for (const auto& f : hfa::testdata::demo_scenario().files)
    if (f.path == "boot.ini")
      std::ofstream(tmp / "tree" / "boot.ini", std::ios::binary)
          .write(reinterpret_cast<const char*>(f.bytes.data()), static_cast<std::streamsize>(f.bytes.size()));
  const auto fat = (tmp / "fat.img").string();
  int count = 0;
  const auto keep = [&](const std::string& error, const fs::path& file, const std::string& name) {
    if (!error.empty()) {
      std::cerr << "image seed " << name << " left out: " << error << "\n";
      return;
    }
    put(out / "image", name, file_bytes(file));
    ++count;
  };
  keep(td::make_small_fat_image((tmp / "tree").string(), fat, 40), fat, "fat12.img");
  if (count == 0) return 0;
  // An MBR whose one partition (FAT12, type 0x01) starts at sector 1.
  auto disk = file_bytes(fat);
  std::vector<uint8_t> mbr(512, 0);
  mbr[446 + 4] = 0x01;
  mbr[446 + 8] = 1;
  const uint32_t sectors = static_cast<uint32_t>(disk.size() / 512);
  for (int i = 0; i < 4; ++i) mbr[446 + 12 + i] = static_cast<uint8_t>(sectors >> (8 * i));
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  disk.insert(disk.begin(), mbr.begin(), mbr.end());
  put(out / "image", "mbr-fat12.raw", disk);
  ++count;
  const auto raw = (tmp / "mbr.raw").string();
  put(tmp, "mbr.raw", disk);
  keep(td::convert_to_vmdk(raw, (tmp / "sparse.vmdk").string(), "monolithicSparse"), tmp / "sparse.vmdk", "sparse.vmdk");
  keep(td::convert_to_vmdk(raw, (tmp / "stream.vmdk").string(), "streamOptimized"), tmp / "stream.vmdk", "stream.vmdk");
  keep(td::convert_with_qemu(raw, (tmp / "fixed.vhd").string(), "vhd-fixed"), tmp / "fixed.vhd", "fixed.vhd");
  keep(td::convert_image(raw, (tmp / "disk.E01").string(), "E01"), tmp / "disk.E01", "disk.E01");
  keep(td::write_differencing_vhd((tmp / "child.vhd").string(), "parent.vhd", 128), tmp / "child.vhd", "child.vhd");
  keep(td::make_extended_chain_disk((tmp / "chain.raw").string(), 20), tmp / "chain.raw", "chain.raw");
  fs::remove_all(tmp);
  return count;
}

std::string flat(const std::string& path) {
  std::string out = path;
  for (auto& c : out)
    if (c == '/') c = '_';
  return out;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::cerr << "usage: make-fuzz-seeds DIR [ARTICLES_DIR]\n";
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
  count += 5;
  // An article in the corpus's layout: front matter, tab-indented text, a
  // file-attribute table, STATUS and the keyword and hardware lines.
  const std::string article =
      "---\nlayout: page\ntitle: \"Q999999: Handle Leak in Example.dll\"\n---\n{% raw %}\n"
      "\tArticle: Q999999\n\tProduct(s): Microsoft Windows NT\n\tVersion(s): winnt:4.0\n"
      "\tKeyword(s): kbWinNT400sp5fix\n\tLast Modified: 16-MAY-2002\n"
      "\t-------------------------------------------------------------------------------\n"
      "\tThe information in this article applies to:\n\t- Microsoft Windows NT Server version 4.0\n"
      "\t-------------------------------------------------------------------------------\n"
      "\tRESOLUTION\n\t==========\n"
      "\tThe English version of this fix should have the following file attributes or\n\tlater:\n\n"
      "\t   Date      Time    Size    File name     Platform\n"
      "\t   -------------------------------------------------\n"
      "\t   04/04/00  12:46a  192,272 Example.dll   x86\n"
      "\t   04/04/00  12:46a  331,024 Example.dll   Alpha\n\n"
      "\tSTATUS\n\t======\n\tMicrosoft has confirmed this to be a problem. This problem was first corrected in\n"
      "\tWindows NT 4.0 Service Pack 5.\n"
      "\t======================================================================\n"
      "\tKeywords          : kbWinNT400sp5fix\n\tHardware          : ALPHA x86\n{% endraw %}\n";
  put(out / "kbimport", "Q999999.txt", std::vector<uint8_t>(article.begin(), article.end()));
  ++count;
  count += image_seeds(out);
  if (argc == 3 && fs::is_directory(argv[2])) {
    for (const auto& e : fs::directory_iterator(argv[2])) {
      if (e.path().extension() != ".txt") continue;
      std::ifstream in(e.path(), std::ios::binary);
      put(out / "kbimport", e.path().filename().string(),
          std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {}));
      ++count;
    }
  }
  std::cout << "wrote " << count << " seeds below " << out << "\n";
  return 0;
}
