#include "core/nt_types.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>
#include "core/text.h"

namespace hfa {
namespace {


// Reads an unsigned decimal of at most max_digits digits; nullopt otherwise.
std::optional<long> read_number(std::string_view s, size_t max_digits) {
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

std::string_view to_string(Platform p) {
  switch (p) {
    case Platform::x86: return "x86";
    case Platform::alpha: return "alpha";
    case Platform::mips: return "mips";
    case Platform::ppc: return "ppc";
    case Platform::ia64: return "ia64";
    case Platform::x64: return "x64";
  }
  return "x86";
}

std::optional<Platform> parse_platform(std::string_view text) {
  const std::string s = ascii_lower(text);
  if (s == "x86" || s == "i386" || s == "intel" || s == "i486" || s == "i586") return Platform::x86;
  if (s == "alpha" || s == "axp") return Platform::alpha;
  if (s == "mips") return Platform::mips;
  if (s == "ppc" || s == "powerpc") return Platform::ppc;
  if (s == "ia64" || s == "itanium") return Platform::ia64;
  if (s == "x64" || s == "amd64" || s == "x86_64") return Platform::x64;
  return std::nullopt;
}

Version Version::from_ms_ls(uint32_t ms, uint32_t ls) {
  return Version{static_cast<uint16_t>(ms >> 16), static_cast<uint16_t>(ms & 0xffff),
                 static_cast<uint16_t>(ls >> 16), static_cast<uint16_t>(ls & 0xffff)};
}

bool operator==(const Version& a, const Version& b) {
  return a.major == b.major && a.minor == b.minor && a.build == b.build && a.revision == b.revision;
}

bool operator<(const Version& a, const Version& b) {
  const std::array<uint16_t, 4> x{a.major, a.minor, a.build, a.revision};
  const std::array<uint16_t, 4> y{b.major, b.minor, b.build, b.revision};
  return x < y;
}

std::string to_string(const Version& v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.build) +
         "." + std::to_string(v.revision);
}

std::optional<Version> parse_version(std::string_view text) {
  std::array<uint16_t, 4> parts{0, 0, 0, 0};
  size_t count = 0;
  size_t start = 0;
  while (true) {
    const size_t dot = text.find('.', start);
    const auto piece = text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    const auto n = read_number(piece, 5);
    if (!n || *n > 0xffff || count == 4) return std::nullopt;
    parts[count++] = static_cast<uint16_t>(*n);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (count < 2) return std::nullopt;
  return Version{parts[0], parts[1], parts[2], parts[3]};
}

bool is_valid_date(int year, int month, int day) {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int limit = days[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= limit;
}

std::string to_string(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::optional<Date> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto y = read_number(text.substr(0, 4), 4);
  const auto m = read_number(text.substr(5, 2), 2);
  const auto d = read_number(text.substr(8, 2), 2);
  if (!y || !m || !d || !is_valid_date(int(*y), int(*m), int(*d))) return std::nullopt;
  return Date{int(*y), int(*m), int(*d)};
}

std::string to_string(const TimeOfDay& t) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", t.hour, t.minute);
  return buf;
}

std::optional<TimeOfDay> parse_hhmm(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const auto h = read_number(text.substr(0, 2), 2);
  const auto m = read_number(text.substr(3, 2), 2);
  if (!h || !m || *h > 23 || *m > 59) return std::nullopt;
  return TimeOfDay{int(*h), int(*m)};
}

int64_t to_unix_seconds(const Date& d, const TimeOfDay& t) {
  return days_from_civil(d.year, unsigned(d.month), unsigned(d.day)) * 86400 + t.hour * 3600 +
         t.minute * 60;
}

std::string format_unix_utc(int64_t seconds) {
  const std::time_t tt = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (!gmtime_r(&tt, &tm)) return std::to_string(seconds);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace hfa
