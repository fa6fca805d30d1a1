// NT 4.0 system drives for the tests and the demo: each scenario is a tree of
// real files (PE images, regf hives, boot.ini) with modification times set,
// and the status every seed article must get on each installation. The
// expectations are written by hand from the articles, never computed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hfa::testdata {

struct FileSpec {
  std::string path;  // relative to the scenario root, '/'-separated
  std::vector<uint8_t> bytes;
  int64_t modified = 0;  // seconds since 1970 UTC
};

struct LinkSpec {
  std::string path;    // the link, relative to the root
  std::string target;  // what it points at, verbatim
};

struct Scenario {
  std::string name;
  std::string description;
  std::vector<FileSpec> files;
  std::vector<std::string> directories;  // empty folders to create
  std::vector<LinkSpec> links;
  // system root -> KB id -> status ("fixed", "missing", ...), for every article.
  std::map<std::string, std::map<std::string, std::string>> expected;
  int expected_exit = 0;
  std::string expected_error;  // a substring of the single target's error, when it fails
  // Articles the scenario needs besides the built-in ones (kbdb XML), passed
  // with --db; its articles are in `expected` too. "" when none.
  std::string extra_db;
};

std::vector<Scenario> all_scenarios();
// Installations whose OS facts are awkward (issue 11): scanned by their own
// tests (os_facts_test), not by the generic one.
std::vector<Scenario> os_fact_scenarios();
// Which kernels are judged (issue 11, point 1): no boot.ini, a stale
// ntkrnlmp.exe, boot.ini naming partition(2) with a /KERNEL= entry.
std::vector<Scenario> kernel_scenarios();
// The README's demo: a Server SP6a x86 installation with some fixes missing.
Scenario demo_scenario();
// The demo at a real system's size, for bench/realsize.sh: mixed-case names,
// 2,000 more files in system32 and 100 in WINNT (none with small_directories),
// SOFTWARE of 8 MiB and SYSTEM of 3 MiB through filler keys.
Scenario realsize_scenario(bool small_directories);

// Writes the tree below `directory` (created if needed); the extra database,
// when there is one, is not part of the tree (see make-fixtures). Throws
// std::runtime_error naming the path on failure.
void write_scenario(const Scenario& s, const std::string& directory);

}  // namespace hfa::testdata
