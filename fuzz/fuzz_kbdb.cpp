// libFuzzer target: the database loader, and the writer on what it accepted:
// what load_xml accepts, to_xml must write back into an equal database.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kbdb/kbdb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto loaded = hfa::kbdb::load_xml(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.xml");
  if (!loaded.ok()) return 0;
  const auto again = hfa::kbdb::load_xml(hfa::kbdb::to_xml(loaded.db), "again.xml");
  if (!again.ok() || again.db.articles.size() != loaded.db.articles.size()) std::abort();
  return 0;
}
