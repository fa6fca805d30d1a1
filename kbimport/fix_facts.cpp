#include "kbimport/fix_facts.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "core/text.h"
#include "kbimport/text.h"

namespace hfa::kbimport::detail {

// Windows NT lines of the applies-to list: edition, OS versions, service packs.
void read_applies_line(const std::string& line, std::vector<kbdb::AppliesTo>& out) {
  const auto lower = ascii_lower(line);
  std::string os_family;
  std::vector<kbdb::Edition> editions;
  if (lower.find("windows nt") != std::string::npos) {
    if (lower.find("terminal server") != std::string::npos) editions = {kbdb::Edition::terminal_server};
    else if (lower.find("workstation") != std::string::npos) editions = {kbdb::Edition::workstation};
    else if (lower.find("server") != std::string::npos) editions = {kbdb::Edition::server};
    else editions = {kbdb::Edition::workstation, kbdb::Edition::server};
    os_family = "nt";
  } else if (lower.find("windows 2000") != std::string::npos) {
    if (lower.find("professional") != std::string::npos) editions = {kbdb::Edition::workstation};
    else if (lower.find("server") != std::string::npos) editions = {kbdb::Edition::server};
    else return;
    os_family = "2000";
  } else {
    return;
  }
  // Versions and their service packs, in order: "versions 4.0 SP6, 4.0 SP6a",
  // "3.51, 4.0", "4.0, 4.0 SP4" (a bare version covers every service pack).
  struct Named {
    std::string version;
    std::vector<std::string> sps;
    bool bare = false;
  };
  std::vector<Named> versions;
  if (os_family == "2000") versions.push_back({"5.0", {}, true});
  const auto toks = tokenize(line);
  const auto sp_at = [&](size_t i, size_t& used) -> std::string {
    std::string t(toks[i].text);
    while (!t.empty() && !std::isalnum(static_cast<unsigned char>(t.back()))) t.pop_back();
    std::string sp;
    used = 1;
    if (t.size() > 2 && iequals(t.substr(0, 2), "SP") && is_digit(t[2])) sp = ascii_lower(t.substr(2));
    else if (iequals(t, "Service") && i + 2 < toks.size() && iequals(toks[i + 1].text, "Pack")) {
      std::string n(toks[i + 2].text);
      while (!n.empty() && !std::isalnum(static_cast<unsigned char>(n.back()))) n.pop_back();
      sp = ascii_lower(n);
      used = 3;
    }
    if (sp.size() > 2 && sp.substr(sp.size() - 2) == ".0") sp.resize(sp.size() - 2);
    bool ok = !sp.empty() && is_digit(sp[0]);
    for (size_t k = 0; ok && k < sp.size(); ++k)
      if (!(is_digit(sp[k]) || (k + 1 == sp.size() && sp[k] >= 'a' && sp[k] <= 'z'))) ok = false;
    return ok ? sp : std::string();
  };
  for (size_t i = 0; i < toks.size(); ++i) {
    std::string t(toks[i].text);
    while (!t.empty() && (t.back() == ',' || t.back() == ';' || t.back() == ')')) t.pop_back();
    if (os_family == "nt" && (t == "3.1" || t == "3.5" || t == "3.51" || t == "4.0" || t == "4.00")) {
      const std::string v = t == "4.00" ? "4.0" : t;
      auto it = std::find_if(versions.begin(), versions.end(), [&](const auto& p) { return p.version == v; });
      if (it == versions.end()) {
        versions.push_back({v, {}, false});
        it = versions.end() - 1;
      }
      size_t used = 0;
      const bool followed = i + 1 < toks.size() && !toks[i].text.empty() && toks[i].text.back() != ',' &&
                            !sp_at(i + 1, used).empty();
      if (!followed) it->bare = true;
      continue;
    }
    size_t used = 1;
    const std::string sp = sp_at(i, used);
    if (!sp.empty() && !versions.empty()) {
      versions.back().sps.push_back(sp);
      i += used - 1;
    }
  }
  if (versions.empty()) return;
  for (const auto e : editions)
    for (const auto& v : versions) {
      kbdb::AppliesTo a;
      a.edition = e;
      a.os_version = v.version;
      if (!v.bare) a.service_packs = v.sps;
      out.push_back(a);
    }
}

// "first corrected in Windows NT 4.0 Service Pack 4.0 and Windows NT Server
// 4.0, Terminal Server Edition Service Pack 4."
void read_fixed_in(const std::string& status, const std::string& heading, std::vector<FixedIn>& out) {
  const auto lower = ascii_lower(status);
  size_t pos = 0;
  static const std::string key = "first corrected in ";
  while ((pos = lower.find(key, pos)) != std::string::npos) {
    size_t start = pos + key.size();
    // The sentence ends at a '.' not inside a number.
    size_t end = start;
    while (end < status.size()) {
      if (status[end] == '.' && (end + 1 == status.size() || !is_digit(status[end + 1]))) break;
      ++end;
    }
    const std::string sentence = status.substr(start, end - start);
    pos = end;
    std::string product = heading;
    size_t p = 0;
    const auto ls = ascii_lower(sentence);
    while (true) {
      const size_t sp = ls.find("service pack ", p);
      if (sp == std::string::npos) break;
      std::string before = std::string(trim(sentence.substr(p, sp - p)));
      for (const char* lead : {"and ", "the ", "in "})
        if (starts_with_ci(before, lead)) before = std::string(trim(std::string_view(before).substr(std::strlen(lead))));
      if (!before.empty()) product = before;
      size_t q = sp + 13;
      std::string n;
      while (q < sentence.size() && (std::isalnum(static_cast<unsigned char>(sentence[q])) || sentence[q] == '.')) n += sentence[q++];
      if (n.size() > 2 && n.substr(n.size() - 2) == ".0") n.resize(n.size() - 2);
      n = ascii_lower(n);
      if (!n.empty() && is_digit(n[0])) {
        FixedIn f;
        f.product = product.empty() ? "Windows NT" : product;
        f.service_pack = n;
        const auto lp = ascii_lower(f.product);
        const bool nt = lp.find("windows nt") != std::string::npos || lp.find("terminal server") != std::string::npos;
        const bool other_version = lp.find("3.51") != std::string::npos || lp.find("3.5 ") != std::string::npos;
        f.nt4 = nt && !other_version;
        if (lp.find("terminal server") != std::string::npos) f.edition = kbdb::Edition::terminal_server;
        out.push_back(f);
      }
      p = q;
    }
  }
  // "This problem was corrected in the U.S. Service Pack 2 for Windows NT 4.0":
  // the product written after the service pack.
  static const std::string plain = "problem was corrected in ";
  for (size_t at = lower.find(plain); at != std::string::npos; at = lower.find(plain, at + 1)) {
    const size_t sp = lower.find("service pack ", at);
    if (sp == std::string::npos || sp > at + plain.size() + 12) continue;
    size_t q = sp + 13;
    std::string n;
    while (q < lower.size() && (is_digit(lower[q]) || is_alpha(lower[q]))) n += lower[q++];
    static const std::string nt4 = " for windows nt 4.0";
    if (n.empty() || !is_digit(n[0]) || lower.compare(q, nt4.size(), nt4) != 0) continue;
    FixedIn f;
    f.product = "Windows NT 4.0";
    f.service_pack = n;
    f.nt4 = true;
    out.push_back(f);
  }
}

// "kbWinNT400sp4fix", "kbWinNT4sp6fix", "kbOSWinNT400sp5fix": Microsoft's tag
// for a Windows NT 4.0 fix shipped in that service pack. Returns the service
// pack ("4"), or "" for any other tag: other products' (kbWin2000sp3fix,
// kbVS600sp4fix, kbSNA400sp4fix) and hotfixes with no service pack
// (kbWinNT400PreSP7Fix, kbWinNT400nospFix).
std::string nt4_keyword_service_pack(std::string_view tag) {
  auto lower = ascii_lower(tag);
  std::string_view t = lower;
  for (const char* prefix : {"kboswinnt400sp", "kbwinnt400sp", "kbwinnt4sp"})
    if (t.substr(0, std::strlen(prefix)) == prefix) {
      t.remove_prefix(std::strlen(prefix));
      if (t.size() < 4 || t.substr(t.size() - 3) != "fix") return "";
      t.remove_suffix(3);
      size_t k = 0;
      while (k < t.size() && is_digit(t[k])) ++k;
      if (k == 0 || k > 2 || t.size() - k > 1 || (k < t.size() && !is_alpha(t[k]))) return "";
      return std::string(t);
    }
  return "";
}

// "6" < "6a" < "7".
bool sp_before(const std::string& a, const std::string& b) {
  const auto num = [](const std::string& s) { return std::atoi(s.c_str()); };
  if (num(a) != num(b)) return num(a) < num(b);
  return a < b;
}

// The Keywords line's service pack for the Windows NT 4.0 line (workstation
// and server), when the article applies to that line and STATUS named none for
// it. Terminal Server Edition numbers its service packs on its own line and
// has its own tags (kbTSE400preSP7fix), so a kbWinNT400 tag says nothing of it.
void read_keyword_fix(ImportResult& r) {
  std::string sp;
  for (const auto& k : r.keywords) {
    const auto s = nt4_keyword_service_pack(k);
    if (!s.empty() && (sp.empty() || sp_before(s, sp))) sp = s;  // the earliest: "first corrected in"
  }
  if (sp.empty()) return;
  if (std::any_of(r.fixed_in.begin(), r.fixed_in.end(), [](const FixedIn& f) { return f.nt4 && !f.edition; })) return;
  const bool nt4_line =
      r.nt_applies_to.empty() || std::any_of(r.nt_applies_to.begin(), r.nt_applies_to.end(), [](const kbdb::AppliesTo& a) {
        return a.os_version == "4.0" && a.edition != kbdb::Edition::terminal_server;
      });
  if (!nt4_line) return;
  FixedIn f;
  f.product = "Windows NT 4.0";
  f.nt4 = true;
  f.service_pack = sp;
  f.source = "keywords";
  r.fixed_in.push_back(f);
}

}  // namespace hfa::kbimport::detail
