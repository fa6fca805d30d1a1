// The scan of one volume: find its installations, read the evidence of each
// (registry hives, the files the database asks about) and judge it. Evidence is
// gathered by file name only; what the names mean is the analyzer's business.
#pragma once

#include <string>
#include <vector>

#include "analyzer/analyzer.h"
#include "core/digest.h"
#include "image/container.h"
#include "image/installations.h"
#include "image/volume.h"
#include "kbdb/kbdb.h"

namespace hfa::scan {

// What a scan records of the evidence besides what it judges.
struct EvidenceOptions {
  std::vector<std::string> hashes = {"sha256"};  // digest_names() computed of every file read
  bool verify_image = false;                     // a disk image is hashed whole and verified
};

// A file the scan read (a PE file, a hive or its .LOG, boot.ini), hashed
// whole through the volume, so that its digests equal those of the file
// itself, in the folder or extracted from the image.
struct FileRead {
  std::string path;  // as stored on the volume, as the report shows it
  uint64_t size = 0;
  std::optional<int64_t> modified;  // seconds since 1970 UTC
  Digests hashes;                   // empty when it could not be read whole
  std::string error;                // why not
};

// The disk image a target was read from.
struct ImageIdentity {
  std::vector<image::ImageFileInfo> files;  // the files the image is made of
  Digests stored_hashes;                    // as the image stores them (EWF)
  std::optional<Digests> computed_hashes;   // --verify-image: of the data, read whole
  std::optional<bool> verified;             // the stored digests match; unset: nothing to compare
  std::string verify_error;                 // why the data could not be read whole
};

struct Target {
  std::string host;         // the machine, as the user named it (fleet/); "" means `root`
  std::string root;         // the volume as the user named it
  std::string system_root;  // "WINNT" as stored; "" when no installation was found
  std::string found_by;     // "boot.ini line 7", ...
  std::string error;        // the target could not be scanned
  // The installation is not a version the database covers (Windows 2000,
  // XP...): why it was not judged; no findings, and never counted compliant.
  std::string out_of_scope;
  std::vector<std::string> notes;  // what was missing or odd in the evidence
  analyzer::TargetEvidence evidence;
  std::vector<analyzer::Finding> findings;
  std::vector<FileRead> files_read;    // in the order first read
  std::optional<ImageIdentity> image;  // set for a target read from a disk image
};

// Reads the evidence of one installation: its hives as registry/hive_load.h
// recovers them (a dirty hive completed from its .LOG in a private copy, an
// unreadable SYSTEM replaced by SYSTEM.ALT, each said in `notes`), the OS facts
// analyzer/os_facts.h decides from them and ntoskrnl.exe (each value recorded
// with its source in TargetEvidence::sources), and each wanted file. The
// kernels judged (TargetEvidence::kernels) are those the installation's
// boot.ini entries boot, a kernel file present but not booted being named in
// `notes`; with no entry for it (`boot_ini_seen`: a boot.ini was read at all),
// every kernel present, ntoskrnl.exe first.
// A bare file name is looked for in system32, system32/drivers, system and
// %SystemRoot% itself; a name with a '/' is relative to %SystemRoot%. The
// service keys of the current control set and each of `settings` (the
// registry values the articles' fixes need) are read from the same hives.
analyzer::TargetEvidence collect_evidence(const image::Volume& volume, const image::Installation& inst,
                                          bool boot_ini_seen, const std::vector<std::string>& wanted,
                                          const std::vector<kbdb::RequiredSetting>& settings,
                                          std::vector<std::string>& notes);

// Every installation of the volume is one target; a volume without any gives
// one target whose error says what was looked for. `boot_ini`: the entries of
// another partition's boot.ini that name this one (disk images).
std::vector<Target> scan_volume(const image::Volume& volume, const kbdb::Database& db,
                                const std::optional<image::BootIniFile>& boot_ini = std::nullopt,
                                const EvidenceOptions& options = {});

// A root as the user gave it: a folder holding a mounted drive, or a disk
// image file (scan_image). A root that cannot be opened gives one target
// carrying the error.
std::vector<Target> scan_root(const std::string& root, const kbdb::Database& db, const EvidenceOptions& options = {});

// A disk image file: every installation on every NTFS or FAT partition is one
// target ("disk.E01#p1" : "WINNT"). A partition that cannot be read gives a
// target carrying its error; partitions without Windows are left out when
// another partition has an installation. An incomplete image (a missing
// segment, grains past the end, a chunk failing its checksum) says where in
// every target's notes, and gives one more target carrying it as an error.
std::vector<Target> scan_image(const std::string& path, const kbdb::Database& db, const EvidenceOptions& options = {});

// A root that cannot be opened at all: one target carrying the error.
Target failed_target(const std::string& root, const std::string& error);

}  // namespace hfa::scan
