// Waivers: approved exceptions that turn a missing, inconsistent or unknown
// finding into `waived` until they expire. A small line-based file format
// (docs/waivers.md), one waiver a line:
//
//   Q259042 expires=2026-12-31 approver="Jane Roe" host="FIN-*" reason="vendor winlogon, see CHG-1234"
//
// Parsing reports every problem as file:line:column; applying is a pure
// function of the findings, the host name and today's date.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/analyzer.h"
#include "core/nt_types.h"

namespace hfa::waivers {

struct ParseResult {
  std::vector<analyzer::Waiver> waivers;  // in file order
  std::vector<std::string> errors;        // "file:line:column: message"
  bool ok() const { return errors.empty(); }
};

ParseResult parse(std::string_view text, const std::string& source_name);
// Refused when it is not a regular file or over kMaxWaiversBytes.
inline constexpr uint64_t kMaxWaiversBytes = 16ull << 20;
ParseResult load_file(const std::string& path);

// Host patterns are globs (* and ?), compared case-insensitively.
bool host_matches(std::string_view pattern, std::string_view host);

// Applies `waivers` to one host's findings: a matching missing, inconsistent
// or unknown finding becomes waived (the waiver, with the status it replaced,
// set on the finding); an expired waiver leaves the finding as it is and says
// so in a note; a waiver for a compliant finding is noted as not needed.
// Returns, per waiver, whether it matched a finding (KB and host) here.
std::vector<bool> apply(const std::vector<analyzer::Waiver>& waivers, std::vector<analyzer::Finding>& findings,
                        std::string_view host, const Date& today);

// "waivers.txt:3: Q259042 for host FIN-* matched no finding"
std::string describe_unused(const analyzer::Waiver& w);

}  // namespace hfa::waivers
