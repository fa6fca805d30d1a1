#include "pe/lief_headers.h"

#include <LIEF/PE/Binary.hpp>
#include <LIEF/PE/Parser.hpp>
#include <LIEF/logging.hpp>

#include <cstdio>
#include <stdexcept>

namespace hfa::pe {
namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c >= 0x20 && c < 0x7f) {
      out += c;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
      out += buf;
    }
  }
  return out + "\"";
}

}  // namespace

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

std::string disagreement(const HeaderFacts& by_hand, const HeaderFacts& by_lief) {
  auto differ = [](const std::string& what, uint64_t lief, uint64_t hand) {
    return "LIEF reads " + what + " " + hex(lief) + ", the header bytes say " + hex(hand);
  };
  if (by_lief.machine != by_hand.machine) return differ("machine", by_lief.machine, by_hand.machine);
  if (by_lief.link_time != by_hand.link_time) return differ("TimeDateStamp", by_lief.link_time, by_hand.link_time);
  if (by_lief.magic != by_hand.magic) return differ("optional header magic", by_lief.magic, by_hand.magic);
  if (by_lief.section_alignment != by_hand.section_alignment)
    return differ("SectionAlignment", by_lief.section_alignment, by_hand.section_alignment);
  if (by_lief.file_alignment != by_hand.file_alignment)
    return differ("FileAlignment", by_lief.file_alignment, by_hand.file_alignment);
  if (by_lief.sections.size() != by_hand.sections.size())
    return "LIEF reads " + std::to_string(by_lief.sections.size()) + " sections, the header bytes have " +
           std::to_string(by_hand.sections.size());
  for (size_t i = 0; i < by_hand.sections.size(); ++i) {
    const SectionFacts& h = by_hand.sections[i];
    const SectionFacts& l = by_lief.sections[i];
    const std::string which = "section " + std::to_string(i + 1) + "'s ";
    if (l.name != h.name) return "LIEF reads " + which + "name " + quoted(l.name) + ", the header bytes say " + quoted(h.name);
    if (l.virtual_address != h.virtual_address)
      return differ(which + "VirtualAddress", l.virtual_address, h.virtual_address);
    if (l.virtual_size != h.virtual_size) return differ(which + "VirtualSize", l.virtual_size, h.virtual_size);
  }
  return {};
}

}  // namespace hfa::pe
