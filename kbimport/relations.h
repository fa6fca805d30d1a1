// Relations: what an article's text says about other articles and about the
// installation it applies to. A service pack's fix list and the articles it
// lists, a roll-up or security roll-up package and the fixes it contains, the
// articles it supersedes, the optional component it concerns (Cluster Server,
// FPNW, SNMP, RRAS, DHCP Server, WINS, IIS), a registry value the fix needs, and
// where Windows installs each file of its table. Each with the line saying so.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kbdb/kbdb.h"
#include "kbimport/kbimport.h"

namespace hfa::kbimport::detail {

// A "Qnnnnnn Title" line of an article: a reference to another article.
struct Reference {
  std::string id;     // "Q224345"
  std::string title;  // wrapped lines joined
  int line = 0;       // 1-based
  std::string section, subsection;  // the '='-underlined section and '-'-underlined heading above it
};
std::vector<Reference> references(const std::vector<std::string>& lines);

// The service pack a fix-list title names ("List of Bugs Fixed in Windows NT
// 4.0 Service Pack 6/6a" -> "6"; "... Service Pack 1, 2, and 3" -> "").
std::string title_service_pack(std::string_view title);

// Reads every relation above into r (kind, lists, listed, supersedes,
// components, settings, and each row's location).
void read_relations(const std::vector<std::string>& lines, ImportResult& r);

// Where Windows NT 4.0 installs a file of a table, relative to %SystemRoot%,
// when that is not the default search ("" then).
std::string install_location(std::string_view name, Platform platform, const std::vector<kbdb::OptionalComponent>& c);

}  // namespace hfa::kbimport::detail
