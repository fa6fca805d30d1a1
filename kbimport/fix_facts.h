// Fix facts: which Windows NT lines an article applies to, the service pack
// its STATUS says first corrected it, and its Keywords tag for one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kbdb/kbdb.h"
#include "kbimport/kbimport.h"

namespace hfa::kbimport::detail {

// Windows NT lines of the applies-to list: edition, OS versions, service packs.
void read_applies_line(const std::string& line, std::vector<kbdb::AppliesTo>& out);
// "first corrected in Windows NT 4.0 Service Pack 4.0 and Windows NT Server
// 4.0, Terminal Server Edition Service Pack 4."
void read_fixed_in(const std::string& status, const std::string& heading, std::vector<FixedIn>& out);
// "kbWinNT400sp4fix" -> "4"; "" for any other tag.
std::string nt4_keyword_service_pack(std::string_view tag);
// "6" < "6a" < "7".
bool sp_before(const std::string& a, const std::string& b);
// Adds the Keywords line's service pack for the Windows NT 4.0 line when STATUS named none.
void read_keyword_fix(ImportResult& r);

}  // namespace hfa::kbimport::detail
