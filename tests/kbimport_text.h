// Articles in the archive's format written by the importer's tests: front
// matter, then the tab-indented text with its header block, applies-to list and
// closing rule.
#pragma once

#include <sstream>
#include <string>

namespace hfa::kbimport {

// An article in the archive's format: front matter, then tab-indented text.
inline std::string article(const std::string& id, const std::string& title, const std::string& body,
                           const std::string& hardware = "ALPHA x86") {
  std::string text = "---\nlayout: page\ntitle: \"" + id + ": " + title + "\"\n---\n\n## " + id + ": " + title + "\n\n";
  std::string block = "Article: " + id +
                      "\nProduct(s): Microsoft Windows NT\nVersion(s): winnt:4.0\nLast Modified: 08-MAY-2002\n\n"
                      "-------------------------------------------------------------------------------\n"
                      "The information in this article applies to:\n\n"
                      "- Microsoft Windows NT Server version 4.0 SP4 \n"
                      "- Microsoft Windows NT Workstation versions 3.51, 4.0 \n"
                      "-------------------------------------------------------------------------------\n\n" +
                      body + "\n======================================================================\n" +
                      "Hardware          : " + hardware + "\n";
  std::istringstream in(block);
  for (std::string line; std::getline(in, line);) text += "\t" + line + "\n";
  return text;
}

inline std::string resolution(const std::string& table) {
  return "RESOLUTION\n==========\n\nThe English version of this fix should have the following file attributes or\n"
         "later:\n\n" +
         table + "\n\nSTATUS\n======\n\nMicrosoft has confirmed this to be a problem.\n";
}

}  // namespace hfa::kbimport
