// The outputs of `inspect`: what one file says about itself, as a JSON object
// (keys in a fixed order) and as a sigcheck-like text block.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "pe/pe_evidence.h"

namespace hfa::report {

// {"file","size","kind","machine","machine_code","link_time","link_time_raw",
//  "file_version","product_version","version_resource","strings","problem"};
// what a non-PE file cannot have is null.
nlohmann::ordered_json to_json(const pe::PeEvidence& ev);

// "path:" then one indented "Label: value" line per fact, ending in a newline.
std::string to_text(const pe::PeEvidence& ev);

}  // namespace hfa::report
