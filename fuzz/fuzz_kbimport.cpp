// libFuzzer target: the KB article importer on arbitrary text, and the
// database article it makes of what it read: whatever comes out must write as
// database XML without failing.
#include <cstdint>
#include <string_view>

#include "kbdb/kbdb.h"
#include "kbimport/kbimport.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto imported = hfa::kbimport::import_article(text, "fuzz.txt");
  (void)hfa::kbimport::is_nt4_leak_article(text, imported);
  (void)hfa::kbimport::missing_fix_evidence(imported);
  hfa::kbdb::Database db;
  db.articles.push_back(hfa::kbimport::to_article(imported));
  (void)hfa::kbdb::to_xml(db);
  return 0;
}
