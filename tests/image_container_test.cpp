// The container layer of disk images (image/container.h): exactly the files
// the user named are read, gaps in the evidence are named rather than read as
// zeros, formats the tool does not read are named as what they are, and the
// files beside an image (segments, extents) never lead out of its folder.
// Every image is written here with Debian's tools (qemu-img, ewfacquire,
// sfdisk, mkfs) or the project's writers (testdata/disk_images.h).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "image/disk_image.h"
#include "tests/disk_image_util.h"

namespace hfa {
namespace {

using nlohmann::json;
using test::Fs;
using test::image_of;
using test::kNtfsPopulate;
using test::scan_json;
using test::scenario;
namespace fs = std::filesystem;

std::string q(const std::string& s) { return test::shell_quote(s); }

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// What a scan found on each target, its root aside: the same evidence read
// through two containers gives the same.
json findings_of(const json& doc) {
  json out = json::array();
  for (const auto& t : doc.at("targets"))
    out.push_back({{"system_root", t.at("system_root")},
                   {"error", t.at("error")},
                   {"os", t.at("os")},
                   {"findings", t.at("findings")}});
  return out;
}

std::string error_of(const json& doc, size_t i = 0) {
  const auto& e = doc.at("targets").at(i).at("error");
  return e.is_null() ? "" : e.get<std::string>();
}

// The demo's FAT16 file system alone: the smallest image holding an
// installation.
struct DemoDisk {
  test::TempDir dir;
  std::string raw;
  json want;
  DemoDisk() {
    raw = image_of(scenario("demo"), dir, Fs::fat16, "demo.img");
    want = findings_of(scan_json(q(raw)));
  }
};

TEST(ImageContainer, SingleFileVmdkIsReadFromItselfWhateverItsNameAndWhateverItsDescriptorNames) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "qemu-img");
  DemoDisk demo;
  ASSERT_EQ(demo.want.at(0).at("system_root"), "WINNT");
  test::TempDir other;
  const auto decoy_raw = image_of(scenario("no-windows"), other, Fs::fat16, "decoy.img");
  for (const std::string subformat : {"monolithicSparse", "streamOptimized"}) {
    // Written as nt4.vmdk (its embedded descriptor names "nt4.vmdk"), then
    // renamed; a different disk now sits beside it under the old name.
    const auto written = (demo.dir.path() / "nt4.vmdk").string();
    ASSERT_EQ(testdata::convert_to_vmdk(demo.raw, written, subformat), "");
    EXPECT_NE(test::read_text(written).find("\"nt4.vmdk\""), std::string::npos) << subformat;
    const auto renamed = (demo.dir.path() / ("evidence-" + subformat + ".vmdk")).string();
    fs::rename(written, renamed);
    ASSERT_EQ(testdata::convert_to_vmdk(decoy_raw, written, subformat), "");
    int code = -1;
    const auto doc = scan_json(q(renamed), &code);
    EXPECT_EQ(code, 1) << doc.dump(2);
    EXPECT_EQ(findings_of(doc), demo.want) << subformat;
    const auto ls = json::parse(test::run_tool("images ls --format json " + q(renamed)).out);
    EXPECT_EQ(ls.at("images").at(0).at("format"), "vmdk");
    EXPECT_EQ(ls.at("images").at(0).at("size"), fs::file_size(demo.raw));
  }
}

// VHDX (libvhdi) and QCOW2 (libqcow) give the raw disk's findings; a QCOW2
// whose sectors are partly in a backing file names it.
TEST(ImageContainer, VhdxAndQcow2AreRead) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "qemu-img");
  DemoDisk demo;
  for (const std::string format : {"vhdx", "qcow2"}) {
    const auto out = (demo.dir.path() / ("disk." + format)).string();
    ASSERT_EQ(testdata::convert_with_qemu(demo.raw, out, format), "");
    int code = -1;
    EXPECT_EQ(findings_of(scan_json(q(out), &code)), demo.want) << format;
    EXPECT_EQ(code, 1);
    const auto ls = json::parse(test::run_tool("images ls --format json " + q(out)).out);
    EXPECT_EQ(ls.at("images").at(0).at("format"), format);
    EXPECT_EQ(ls.at("images").at(0).at("size"), fs::file_size(demo.raw));
  }
  const auto child = (demo.dir.path() / "child.qcow2").string();
  ASSERT_EQ(
      std::system(
          ("cd " + q(demo.dir.str()) + " && qemu-img create -q -f qcow2 -b disk.qcow2 -F qcow2 child.qcow2").c_str()),
      0);
  int code = -1;
  const auto doc = scan_json(q(child), &code);
  EXPECT_EQ(code, 2);
  EXPECT_EQ(error_of(doc), child +
                               ": a qcow2 image whose unchanged sectors are in its backing file \"disk.qcow2\" "
                               "(found beside it): images with a backing file are not supported; convert the "
                               "chain to one image first (qemu-img convert)");
}

TEST(ImageContainer, DescriptorVmdkExtentsAreOpenedBesideItOrNamed) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "qemu-img");
  DemoDisk demo;
  test::TempDir outside;
  const auto vmdk = (demo.dir.path() / "flat.vmdk").string();
  const auto extent = (demo.dir.path() / "flat-flat.vmdk").string();
  ASSERT_EQ(testdata::convert_to_vmdk(demo.raw, vmdk, "monolithicFlat"), "");
  ASSERT_TRUE(fs::exists(extent));
  EXPECT_EQ(findings_of(scan_json(q(vmdk))), demo.want);

  const auto size = std::to_string(fs::file_size(demo.raw));
  const auto prefix = vmdk + ": extent 1 (\"flat-flat.vmdk\", FLAT, " + size + " bytes) cannot be opened: " + extent;
  // Not there.
  const auto moved = (outside.path() / "flat-flat.vmdk").string();
  fs::rename(extent, moved);
  int code = -1;
  auto doc = scan_json(q(vmdk), &code);
  EXPECT_EQ(code, 2);
  EXPECT_EQ(error_of(doc), prefix + ": not found");
  // A link leading out of the image's folder: refused, without saying where.
  fs::create_symlink(moved, extent);
  doc = scan_json(q(vmdk), &code);
  EXPECT_EQ(code, 2);
  EXPECT_EQ(error_of(doc), prefix + ": a link leading outside the image's folder: refused");
  EXPECT_EQ(doc.dump().find(outside.str()), std::string::npos);
  // A FIFO: refused at once, never waited on.
  fs::remove(extent);
  ASSERT_EQ(::mkfifo(extent.c_str(), 0600), 0);
  const auto started = std::chrono::steady_clock::now();
  doc = scan_json(q(vmdk), &code);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
  EXPECT_EQ(error_of(doc), prefix + ": a FIFO, not a disk image file: refused");
  // A link within the folder is the image's own file: read.
  fs::remove(extent);
  fs::rename(moved, demo.dir.path() / "renamed-flat.vmdk");
  fs::create_symlink("renamed-flat.vmdk", extent);
  EXPECT_EQ(findings_of(scan_json(q(vmdk))), demo.want);
}

TEST(ImageContainer, SparseVmdkCutInHalfNamesItsMissingGrains) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "qemu-img");
  DemoDisk demo;
  const auto vmdk = (demo.dir.path() / "cut.vmdk").string();
  ASSERT_EQ(testdata::convert_to_vmdk(demo.raw, vmdk, "monolithicSparse"), "");
  fs::resize_file(vmdk, fs::file_size(vmdk) / 2);
  int code = -1;
  const auto doc = scan_json(q(vmdk), &code);
  EXPECT_EQ(code, 2);
  const auto& targets = doc.at("targets");
  // The files whose clusters were in the lost grains: unreadable, saying why.
  int unreadable = 0;
  for (const auto& f : targets.at(0).at("findings"))
    for (const auto& row : f.at("evidence"))
      if (row.at("status") == "unreadable") {
        EXPECT_NE(row.at("found").at("problem").get<std::string>().find("the grain lies past the end of the file (" +
                                                                        std::to_string(fs::file_size(vmdk)) +
                                                                        " bytes): the file is truncated"),
                  std::string::npos)
            << row.dump(2);
        ++unreadable;
      }
  EXPECT_GT(unreadable, 0) << doc.dump(2);
  ASSERT_GE(targets.size(), 1u);
  const auto last = targets.back().at("error").get<std::string>();
  EXPECT_EQ(last.rfind("the evidence is incomplete: " + vmdk + ": ", 0), 0u) << last;
  EXPECT_NE(last.find(" grains lie past the end of the file (the file is "
                      "truncated): disk bytes "),
            std::string::npos)
      << last;
  const auto ls = test::run_tool("images ls " + q(vmdk));
  EXPECT_EQ(ls.exit_code, 2);
  EXPECT_NE(ls.out.find("   incomplete: " + vmdk + ": "), std::string::npos) << ls.out;
}

TEST(ImageContainer, SplitE01WithASegmentMissingNamesIt) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "sfdisk", "ewfacquire");
  SKIP_WITHOUT_NTFS();
  test::TempDir dir;
  const auto raw = test::two_partition_disk(dir);
  const auto e01 = (dir.path() / "split.E01").string();
  ASSERT_EQ(testdata::convert_image(raw, e01, "E01", 4 << 20), "");
  ASSERT_TRUE(fs::exists(dir.path() / "split.E03"));
  std::string last = "E03";
  while (fs::exists(dir.path() / ("split.E0" + std::to_string(last.back() - '0' + 1))))
    last = "E0" + std::to_string(last.back() - '0' + 1);
  const auto stem = (dir.path() / "split.").string();

  // The second segment alone: the first is needed.
  int code = -1;
  auto doc = scan_json(q(stem + "E02"), &code);
  EXPECT_EQ(code, 2);
  EXPECT_EQ(error_of(doc), stem +
                               "E02: segment 2 of a split EWF image: it is read from its "
                               "first segment, split.E01 "
                               "(found beside it), which brings the others: give that one");

  // A segment in the middle, then the last one.
  for (const std::string& gone : {std::string("E02"), last}) {
    test::TempDir keep;
    fs::rename(stem + gone, keep.path() / gone);
    const auto missing = gone == "E02" ? stem + "E02" : stem + last + " and any after it";
    const auto ls = test::run_tool("images ls " + q(e01));
    EXPECT_EQ(ls.exit_code, 2) << ls.out;
    EXPECT_NE(ls.out.find(e01 + ": the EWF image is incomplete: missing segments: " + missing), std::string::npos)
        << ls.out;
    doc = scan_json(q(e01), &code);
    EXPECT_EQ(code, 2);
    EXPECT_NE(doc.dump().find(e01 + ": the EWF image is incomplete: missing segments: " + missing), std::string::npos)
        << doc.dump(2);
    EXPECT_EQ(doc.dump().find("no Windows installation on any partition"), std::string::npos) << doc.dump(2);
    fs::rename(keep.path() / gone, stem + gone);
  }
}

// The bytes of a file the scenario wrote, found in an uncompressed E01 and
// changed there: the chunk holding them fails its checksum.
TEST(ImageContainer, E01ChunkFailingItsChecksumMakesTheFileUnreadable) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "ewfacquire");
  DemoDisk demo;
  const auto e01 = (demo.dir.path() / "demo.E01").string();
  ASSERT_EQ(testdata::convert_image(demo.raw, e01, "E01", 1u << 30),
            "");  // one uncompressed segment

  // --verify-image on the intact image: the stored MD5 is the raw disk's.
  const auto md5 = [&] {
    test::TempDir t;
    std::system(("md5sum " + q(demo.raw) + " >" + q(t.str() + "/sum")).c_str());
    return test::read_text(t.path() / "sum").substr(0, 32);
  }();
  auto ls = test::run_tool("images ls --verify-image " + q(e01));
  EXPECT_EQ(ls.exit_code, 0) << ls.out;
  EXPECT_NE(ls.out.find("   verification: stored MD5 " + md5 + " matches the data"), std::string::npos) << ls.out;

  std::string bytes = test::read_text(e01);
  std::string winlogon;
  for (const auto& f : scenario("demo").files)
    if (f.path == "WINNT/system32/winlogon.exe") winlogon.assign(f.bytes.begin(), f.bytes.end());
  ASSERT_GT(winlogon.size(), 8192u);
  // The first 64 bytes of its headers found nowhere else in the image (its
  // headers are what the scan reads): the chunk holding them is changed.
  size_t at = std::string::npos;
  for (size_t from = 0; from + 64 <= 4096 && at == std::string::npos; from += 16) {
    const auto window = winlogon.substr(from, 64);
    const auto first = bytes.find(window);
    if (first != std::string::npos && bytes.find(window, first + 1) == std::string::npos) at = first;
  }
  ASSERT_NE(at, std::string::npos);
  bytes[at + 10] = static_cast<char>(bytes[at + 10] ^ 0x5a);
  write_bytes(e01, bytes);

  int code = -1;
  const auto doc = scan_json(q(e01), &code);
  EXPECT_EQ(code, 2);
  const auto text = doc.dump();
  EXPECT_EQ(text.find("no MZ signature"), std::string::npos) << doc.dump(2);
  bool unreadable = false;
  for (const auto& f : doc.at("targets").at(0).at("findings"))
    for (const auto& row : f.at("evidence"))
      if (row.at("file") == "winlogon.exe") {
        EXPECT_EQ(row.at("status"), "unreadable") << row.dump(2);
        EXPECT_EQ(row.at("found").at("kind"), "unreadable") << row.dump(2);
        EXPECT_NE(row.at("found").at("problem").get<std::string>().find(
                      "fail their EWF chunk checksum: the image is damaged there"),
                  std::string::npos)
            << row.dump(2);
        unreadable = true;
      }
  EXPECT_TRUE(unreadable) << doc.dump(2);
  EXPECT_NE(error_of(doc, doc.at("targets").size() - 1).find("the evidence is incomplete: cannot be read: disk bytes "),
            std::string::npos)
      << doc.dump(2);

  ls = test::run_tool("images ls --verify-image " + q(e01));
  EXPECT_EQ(ls.exit_code, 2) << ls.out;
  EXPECT_NE(ls.out.find("   verification: FAILED: the data could not be read "
                        "to the end to check the stored digests: "
                        "disk bytes "),
            std::string::npos)
      << ls.out;
}

// A hive inside a disk image is copied once into memory for hivex (issue 14,
// point 3): a chunk of SOFTWARE failing its checksum must leave what that hive
// tells unknown, saying why, never a default service pack. (In this small FAT
// image the 32 KiB chunk also holds the config folder's entries; a read failing
// inside the copy itself is MemoryFile.ASourceThatCannotBeReadGivesNoCopy...)
TEST(ImageContainer, E01ChunkFailingInsideAHiveLeavesItsFactsUnknown) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "ewfacquire");
  DemoDisk demo;
  const auto e01 = (demo.dir.path() / "demo.E01").string();
  ASSERT_EQ(testdata::convert_image(demo.raw, e01, "E01", 1u << 30), "");  // one uncompressed segment
  std::string bytes = test::read_text(e01);
  std::string software;
  for (const auto& f : scenario("demo").files)
    if (f.path == "WINNT/system32/config/SOFTWARE") software.assign(f.bytes.begin(), f.bytes.end());
  ASSERT_GT(software.size(), 4096u);
  // 64 bytes of the hive found once in the image, past its base block: the
  // chunk holding them is changed.
  size_t at = std::string::npos;
  for (size_t from = 4096; from + 64 <= software.size() && at == std::string::npos; from += 16) {
    const auto window = software.substr(from, 64);
    const auto first = bytes.find(window);
    if (first != std::string::npos && bytes.find(window, first + 1) == std::string::npos) at = first;
  }
  ASSERT_NE(at, std::string::npos);
  bytes[at + 10] = static_cast<char>(bytes[at + 10] ^ 0x5a);
  write_bytes(e01, bytes);

  const auto doc = scan_json(q(e01));
  const auto& t = doc.at("targets").at(0);
  ASSERT_EQ(t.at("system_root"), "WINNT") << t.dump(2);
  const auto& os = t.at("os");
  EXPECT_TRUE(os.at("service_pack").is_null()) << os.dump(2);
  ASSERT_TRUE(os.at("unknown").contains("service_pack")) << os.dump(2);
  const auto why = os.at("unknown").at("service_pack").get<std::string>();
  EXPECT_NE(why.find("SOFTWARE"), std::string::npos) << why;
  EXPECT_NE(why.find("fail their EWF chunk checksum"), std::string::npos) << why;
  for (const auto& f : t.at("findings")) EXPECT_NE(f.at("status"), "fixed") << f.dump(2);
}

TEST(ImageContainer, OtherContainersAreNamedAsWhatTheyAre) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "qemu-img");
  DemoDisk demo;
  const std::string how =
      ": not a format this tool reads (raw, split raw, "
      "E01, VMDK, VHD, VHDX, QCOW2); convert it to raw first "
      "(qemu-img convert -O raw, or ewfexport)";
  std::vector<std::pair<std::string, std::string>> want;
  for (const auto& [format, what] :
       std::vector<std::pair<std::string, std::string>>{{"vdi", "a VDI image (VirtualBox)"}}) {
    const auto out = (demo.dir.path() / ("disk." + format)).string();
    ASSERT_EQ(testdata::convert_with_qemu(demo.raw, out, format), "");
    want.emplace_back(out, out + ": " + what + how);
  }
  // A DMG is known by its trailer ("koly" in the last 512 bytes).
  const auto dmg = (demo.dir.path() / "disk.dmg").string();
  std::string trailer(1 << 20, '\0');
  trailer.replace(trailer.size() - 512, 4, "koly");
  write_bytes(dmg, trailer);
  want.emplace_back(dmg, dmg + ": a DMG image (Apple)" + how);
  // A differencing VHD names its parent and whether it is there.
  for (const bool parent_there : {false, true}) {
    const auto child = (demo.dir.path() / (parent_there ? "child2.vhd" : "child1.vhd")).string();
    const std::string parent = parent_there ? "base.vhd" : "gone.vhd";
    ASSERT_EQ(testdata::write_differencing_vhd(child, parent, 16384), "");
    if (parent_there) {
      ASSERT_EQ(testdata::convert_image(demo.raw, (demo.dir.path() / "base.vhd").string(), "vhd"), "");
    }
    want.emplace_back(child, child +
                                 ": a differencing VHD whose unchanged sectors "
                                 "are in its parent \"" +
                                 parent + "\" (" + (parent_there ? "found" : "not found") +
                                 " beside it): differencing VHDs are not "
                                 "supported; merge it into its parent first");
  }
  // A disk's first sector alone.
  const auto mbr = (demo.dir.path() / "mbr.bin").string();
  std::string sector(512, '\0');
  sector[510] = '\x55';
  sector[511] = '\xaa';
  sector[446 + 4] = '\x06';
  write_bytes(mbr, sector);
  want.emplace_back(mbr, mbr +
                             ": 512 bytes, a disk's first sector alone (a "
                             "boot sector or MBR) without the disk "
                             "behind it: the image is truncated");
  std::string roots;
  for (const auto& w : want) roots += q(w.first) + " ";
  int code = -1;
  const auto doc = scan_json(roots, &code);
  EXPECT_EQ(code, 2);
  ASSERT_EQ(doc.at("targets").size(), want.size()) << doc.dump(2);
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(error_of(doc, i), want[i].second);
  const auto ls = json::parse(test::run_tool("images ls --format json " + q(want[0].first)).out);
  EXPECT_EQ(ls.at("images").at(0).at("error"), want[0].second);
}

// Point 9: the file cannot be read (permission), is not there, or is damaged:
// three errors, from errno, never "damaged or truncated?" for the first two.
TEST(ImageContainer, PermissionDeniedNotFoundAndDamagedAreDifferentErrors) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "ewfacquire", "setpriv");
  DemoDisk demo;
  const auto e01 = (demo.dir.path() / "demo.E01").string();
  ASSERT_EQ(testdata::convert_image(demo.raw, e01, "E01"), "");
  ::chmod(demo.dir.str().c_str(), 0755);
  ::chmod(e01.c_str(), 0600);
  const auto missing = (demo.dir.path() / "absent.E01").string();
  const auto damaged = (demo.dir.path() / "damaged.E01").string();
  write_bytes(damaged, test::read_text(e01).substr(0, 4096));
  ::chmod(damaged.c_str(), 0644);
  // Root reads any file: the unreadable one is tried as an unprivileged user.
  const std::string as_nobody = "setpriv --reuid=65534 --regid=65534 --clear-groups " + q(HFA_BINARY);
  test::TempDir out;
  ::chmod(out.str().c_str(), 0777);
  const auto report = out.str() + "/r.json";
  const int status = std::system((as_nobody + " scan --format json -o " + q(report) + " " + q(e01) + " " + q(missing) +
                                  " " + q(damaged) + " >/dev/null 2>&1")
                                     .c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const auto doc = json::parse(test::read_text(report));
  ASSERT_EQ(doc.at("targets").size(), 3u) << doc.dump(2);
  EXPECT_EQ(error_of(doc, 0), e01 + ": permission denied");
  EXPECT_EQ(error_of(doc, 1), missing + ": not found");
  EXPECT_EQ(error_of(doc, 2).rfind(damaged + ": cannot read the first 65536 bytes of "
                                             "the disk (ewf image damaged or "
                                             "truncated?): ",
                                   0),
            0u)
      << error_of(doc, 2);
  EXPECT_NE(error_of(doc, 2).find("; " + damaged + ": it ends at byte 4096 where a section was due at byte "),
            std::string::npos)
      << error_of(doc, 2);
}

// Issue 14: segments that are links leading out of the image's folder are
// refused; a FIFO in their place is refused at once.
TEST(ImageContainer, SegmentsLeadingOutOrFifosAreRefused) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "sfdisk", "ewfacquire");
  SKIP_WITHOUT_NTFS();
  test::TempDir dir, outside;
  const auto raw = test::two_partition_disk(dir);
  const auto bytes = test::read_text(raw);
  const auto stem = (dir.path() / "split.raw.").string();
  write_bytes(stem + "001", bytes.substr(0, 6 << 20));
  write_bytes(outside.str() + "/002", bytes.substr(6 << 20));
  fs::create_symlink(outside.str() + "/002", stem + "002");
  int code = -1;
  auto doc = scan_json(q(stem + "001"), &code);
  EXPECT_EQ(code, 2);
  EXPECT_EQ(error_of(doc),
            stem + "001: its segment " + stem + "002: a link leading outside the image's folder: refused");
  EXPECT_EQ(doc.dump().find(outside.str()), std::string::npos);
  fs::remove(stem + "002");
  ASSERT_EQ(::mkfifo((stem + "002").c_str(), 0600), 0);
  doc = scan_json(q(stem + "001"), &code);
  EXPECT_EQ(error_of(doc), stem + "001: its segment " + stem + "002: a FIFO, not a disk image file: refused");
  // The named file itself as a FIFO.
  doc = scan_json(q(stem + "002"), &code);
  EXPECT_EQ(error_of(doc), stem + "002: a FIFO, not a disk image file: refused");

  const auto e01 = (dir.path() / "ewf.E01").string();
  ASSERT_EQ(testdata::convert_image(raw, e01, "E01", 4 << 20), "");
  fs::rename(dir.path() / "ewf.E02", outside.path() / "ewf.E02");
  fs::create_symlink(outside.path() / "ewf.E02", dir.path() / "ewf.E02");
  doc = scan_json(q(e01), &code);
  EXPECT_EQ(code, 2);
  EXPECT_EQ(error_of(doc), e01 + ": its segment " + (dir.path() / "ewf.E02").string() +
                               ": a link leading outside the image's folder: refused");
}

// A split raw image with a segment missing in the middle: read up to the gap,
// the gap named (a missing last segment shows only as a short disk).
TEST(ImageContainer, SplitRawWithAGapNamesTheMissingSegment) {
  SKIP_WITHOUT("mkfs.fat", "mcopy");
  DemoDisk demo;
  const auto bytes = test::read_text(demo.raw);
  const auto stem = (demo.dir.path() / "split.raw.").string();
  const size_t third = bytes.size() / 3;
  write_bytes(stem + "001", bytes.substr(0, third));
  write_bytes(stem + "003", bytes.substr(2 * third));
  int code = -1;
  const auto doc = scan_json(q(stem + "001"), &code);
  EXPECT_EQ(code, 2);
  EXPECT_EQ(error_of(doc, doc.at("targets").size() - 1),
            "the evidence is incomplete: " + stem + "001: split raw segment " + stem +
                "002 is missing (1 later segment is there, from split.raw.003): the disk is read only up to it");
  // The second segment given alone: the first is needed.
  write_bytes(stem + "002", bytes.substr(third, third));
  EXPECT_EQ(error_of(scan_json(q(stem + "002"))),
            stem +
                "002: segment 2 of a split raw image: it is read from its first segment, split.raw.001 (found "
                "beside it), which brings the others: give that one");
}

// Point 7: a swap partition and one of unknown bytes beside the installation
// are listed in the notes; the host is scanned. GPT types are named.
TEST(ImageContainer, NonWindowsPartitionsAreNotesAndGptTypesAreNamed) {
  SKIP_WITHOUT("mkfs.fat", "mcopy", "sfdisk", "mkswap");
  test::TempDir dir, a;
  const auto p1 = image_of(scenario("demo"), a, Fs::fat16, "p1.img");
  const auto swap = (dir.path() / "swap.img").string();
  write_bytes(swap, std::string(1 << 20, '\0'));
  ASSERT_EQ(std::system(("PATH=\"$PATH:/usr/sbin:/sbin\" mkswap -q " + q(swap) + " >/dev/null 2>&1").c_str()), 0);
  const auto noise = (dir.path() / "noise.img").string();
  write_bytes(noise, std::string(1 << 20, '\x5c'));

  const auto mbr = (dir.path() / "mbr.raw").string();
  ASSERT_EQ(testdata::make_mbr_disk({{p1, "7"}, {swap, "82"}, {noise, "83"}}, mbr), "");
  int code = -1;
  auto doc = scan_json(q(mbr), &code);
  EXPECT_EQ(code, 1) << doc.dump(2);
  ASSERT_EQ(doc.at("targets").size(), 1u) << doc.dump(2);
  auto notes = doc.at("targets")[0].at("notes").dump();
  EXPECT_NE(notes.find("not scanned: " + mbr +
                       "#p2: no file system recognised, and its type (Linux "
                       "Swap / Solaris x86 "
                       "(0x82)) is not one Windows NT is installed on"),
            std::string::npos)
      << notes;
  EXPECT_NE(notes.find("not scanned: " + mbr +
                       "#p3: no file system recognised, and its type (Linux (0x83)) is not "
                       "one Windows NT is installed on"),
            std::string::npos)
      << notes;

  const std::string basic = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", linux_swap = "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F",
                    unknown = "01234567-89AB-CDEF-0123-456789ABCDEF";
  const auto gpt = (dir.path() / "gpt.raw").string();
  ASSERT_EQ(testdata::make_gpt_disk({{p1, basic, 0}, {"", linux_swap, 2048}, {noise, unknown, 0}}, gpt), "");
  doc = scan_json(q(gpt), &code);
  EXPECT_EQ(code, 1) << doc.dump(2);
  ASSERT_EQ(doc.at("targets").size(), 1u) << doc.dump(2);
  notes = doc.at("targets")[0].at("notes").dump();
  EXPECT_NE(notes.find("not scanned: " + gpt + "#p2: no file system recognised, and its type (GPT Linux swap (" +
                       linux_swap + ")"),
            std::string::npos)
      << notes;
  EXPECT_NE(notes.find("#p3: no file system recognised, and its type (GPT unknown type (" + unknown + ")"),
            std::string::npos)
      << notes;
  const auto ls = test::run_tool("images ls " + q(gpt));
  EXPECT_NE(ls.out.find(gpt + "#p1: GPT Microsoft basic data (" + basic + "), at byte 1048576"), std::string::npos)
      << ls.out;
  // A FAT-typed partition that holds no file system is an error: it should.
  const auto bad = (dir.path() / "bad.raw").string();
  ASSERT_EQ(testdata::make_mbr_disk({{p1, "6"}, {noise, "7"}}, bad), "");
  doc = scan_json(q(bad), &code);
  EXPECT_EQ(code, 2);
  EXPECT_EQ(error_of(doc, 1).rfind(bad + "#p2: partition 2 (NTFS / exFAT (0x07), "
                                         "at byte 9437184, 1048576 bytes): no "
                                         "file system recognised: ",
                                   0),
            0u)
      << doc.dump(2);
}

// Issue 14 point 7: an extended-partition chain of 8,000 logical drives is cut
// at the cap with a named error, in bounded time.
TEST(ImageContainer, PartitionsPerImageAreCapped) {
  test::TempDir dir;
  const auto disk = (dir.path() / "chain.raw").string();
  ASSERT_EQ(testdata::make_extended_chain_disk(disk, 8000), "");
  const auto started = std::chrono::steady_clock::now();
  int code = -1;
  const auto doc = scan_json(q(disk), &code);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  EXPECT_EQ(code, 2);
  ASSERT_EQ(doc.at("targets").size(), 1u) << doc.dump(2);
  EXPECT_EQ(error_of(doc), disk +
                               ": the dos partition table chains over 128 "
                               "logical drives in its extended partition, "
                               "over the limit of " +
                               std::to_string(image::kMaxPartitions) +
                               " partitions per image (a damaged or hostile "
                               "table): its logical drives are not examined");
  // Under the cap, TSK's own walk of the chain: every drive listed.
  const auto small = (dir.path() / "small.raw").string();
  ASSERT_EQ(testdata::make_extended_chain_disk(small, 100), "");
  const auto ls = json::parse(test::run_tool("images ls --format json " + q(small)).out);
  EXPECT_EQ(ls.at("images").at(0).at("partitions").size(), 100u);
}

}  // namespace
}  // namespace hfa
