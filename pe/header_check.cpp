// The check of LIEF's header reading against the one made by hand: apart from
// lief_headers.cpp so that it is linked without LIEF (the executable loads
// LIEF as a module, lief_loader.cpp).
#include <cstdio>

#include "pe/lief_headers.h"

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
    if (l.name == h.name && l.virtual_address == h.virtual_address && l.virtual_size == h.virtual_size) continue;
    const std::string which = "section " + std::to_string(i + 1) + "'s ";
    if (l.name != h.name)
      return "LIEF reads " + which + "name " + quoted(l.name) + ", the header bytes say " + quoted(h.name);
    if (l.virtual_address != h.virtual_address)
      return differ(which + "VirtualAddress", l.virtual_address, h.virtual_address);
    if (l.virtual_size != h.virtual_size) return differ(which + "VirtualSize", l.virtual_size, h.virtual_size);
  }
  return {};
}

}  // namespace hfa::pe
