#include "pe/lief_headers.h"

#include <LIEF/PE/Binary.hpp>
#include <LIEF/PE/Parser.hpp>
#include <LIEF/logging.hpp>
#include <stdexcept>

namespace hfa::pe {

HeaderFacts lief_header_facts(const std::vector<uint8_t>& image, const std::string& name) {
  // LIEF 0.9 logs every oddity it meets to stderr through easylogging++;
  // the reader reports its own problems, so LIEF is kept quiet, once.
  static const bool quiet = (LIEF::Logger::disable(), true);
  (void)quiet;
  const std::unique_ptr<LIEF::PE::Binary> binary = LIEF::PE::Parser::parse(image, name);
  if (!binary) throw std::runtime_error("LIEF returned no binary");
  HeaderFacts f;
  f.machine = static_cast<uint16_t>(binary->header().machine());
  f.link_time = binary->header().time_date_stamp();
  f.magic = static_cast<uint16_t>(binary->optional_header().magic());
  f.section_alignment = binary->optional_header().section_alignment();
  f.file_alignment = binary->optional_header().file_alignment();
  for (const LIEF::PE::Section& s : binary->sections()) {
    SectionFacts sf;
    // LIEF 0.9 keeps the 8 name bytes, padding NULs included.
    sf.name = s.name().c_str();
    sf.virtual_address = static_cast<uint32_t>(s.virtual_address());
    sf.virtual_size = s.virtual_size();
    f.sections.push_back(std::move(sf));
  }
  return f;
}

}  // namespace hfa::pe
