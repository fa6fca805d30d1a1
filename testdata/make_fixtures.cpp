// Writes the test scenarios as folders: make-fixtures OUTDIR [NAME...].
// With no NAME every scenario is written, each in OUTDIR/NAME; "demo" is the
// README's demo image. --list prints the names with their descriptions;
// --realsize OUTDIR writes the real-sized demo for bench/realsize.sh. A
// scenario that needs more articles gets OUTDIR/NAME.kbdb.xml, for --db.
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "testdata/scenarios.h"

int main(int argc, char** argv) {
  using namespace hfa::testdata;
  auto scenarios = all_scenarios();
  scenarios.push_back(demo_scenario());
  // The real-sized demo and its small-directory twin (bench/realsize.sh):
  // large, so never among the scenarios written by default.
  if (argc == 3 && std::strcmp(argv[1], "--realsize") == 0) {
    try {
      for (const bool small : {false, true}) {
        const auto s = realsize_scenario(small);
        write_scenario(s, std::string(argv[2]) + "/" + s.name);
      }
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "make-fixtures: " << e.what() << "\n";
      return 1;
    }
  }
  if (argc >= 2 && std::strcmp(argv[1], "--list") == 0) {
    for (const auto& s : scenarios) std::cout << s.name << "\t" << s.description << "\n";
    return 0;
  }
  // An option is never taken for the output folder (a "--help" folder of
  // fixtures once reached a commit that way).
  if (argc < 2 || argv[1][0] == '-') {
    const bool help = argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0);
    (help ? std::cout : std::cerr) << "usage: make-fixtures OUTDIR [NAME...] | --list | --realsize OUTDIR\n";
    return help ? 0 : 2;
  }
  const std::string out = argv[1];
  int written = 0;
  for (const auto& s : scenarios) {
    bool wanted = argc == 2;
    for (int i = 2; i < argc; ++i) wanted = wanted || s.name == argv[i];
    if (!wanted) continue;
    try {
      write_scenario(s, out + "/" + s.name);
      if (!s.extra_db.empty()) {
        std::ofstream db(out + "/" + s.name + ".kbdb.xml", std::ios::binary);
        db << s.extra_db;
        if (!db.flush()) throw std::runtime_error(out + "/" + s.name + ".kbdb.xml: cannot write");
      }
      ++written;
    } catch (const std::exception& e) {
      std::cerr << "make-fixtures: " << e.what() << "\n";
      return 1;
    }
  }
  if (written == 0 || (argc > 2 && written != argc - 2)) {
    std::cerr << "make-fixtures: unknown scenario name (see --list)\n";
    return 2;
  }
  return 0;
}
