// Plain value types shared by every library: the facts a KB article and a PE
// file have in common (platform, four-part version, calendar date, time of day).
// Parsing never throws: it returns std::nullopt for text it does not accept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hfa {

enum class Platform { x86, alpha, mips, ppc, ia64, x64 };

// Canonical lower-case name: "x86", "alpha", "mips", "ppc", "ia64", "x64".
std::string_view to_string(Platform p);
// Accepts the spellings of KB tables, registry values and our XML:
// x86, i386, Intel, Alpha, MIPS, PPC, PowerPC, IA64, AMD64, x64 (any case).
std::optional<Platform> parse_platform(std::string_view text);

// A VS_FIXEDFILEINFO-style version a.b.c.d, ordered component by component.
struct Version {
  uint16_t major = 0, minor = 0, build = 0, revision = 0;

  static Version from_ms_ls(uint32_t ms, uint32_t ls);
  friend bool operator==(const Version& a, const Version& b);
  friend bool operator<(const Version& a, const Version& b);
};
inline bool operator!=(const Version& a, const Version& b) { return !(a == b); }
inline bool operator>(const Version& a, const Version& b) { return b < a; }
inline bool operator<=(const Version& a, const Version& b) { return !(b < a); }
inline bool operator>=(const Version& a, const Version& b) { return !(a < b); }
std::string to_string(const Version& v);
// "4.0.1381.7"; 2 to 4 dot-separated numbers below 65536, missing parts are 0.
std::optional<Version> parse_version(std::string_view text);

struct Date {
  int year = 1970, month = 1, day = 1;
  friend bool operator==(const Date& a, const Date& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
};
std::string to_string(const Date& d);  // YYYY-MM-DD
// Strict YYYY-MM-DD, with the day checked against the month (no 31 April).
std::optional<Date> parse_iso_date(std::string_view text);
bool is_valid_date(int year, int month, int day);

struct TimeOfDay {
  int hour = 0, minute = 0;
  friend bool operator==(const TimeOfDay& a, const TimeOfDay& b) {
    return a.hour == b.hour && a.minute == b.minute;
  }
};
std::string to_string(const TimeOfDay& t);  // HH:MM, 24-hour
std::optional<TimeOfDay> parse_hhmm(std::string_view text);

// Seconds since 1970-01-01 00:00 of a date and time read as UTC. KB tables give
// local times in no stated zone; callers allow for that with a tolerance.
int64_t to_unix_seconds(const Date& d, const TimeOfDay& t = {});
// "2000-04-04T00:46:00Z"
std::string format_unix_utc(int64_t seconds);

}  // namespace hfa
