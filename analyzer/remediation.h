// What to install: the remedy of one finding, and the ordered plan that fixes
// every counted finding of an installation. Pure, like the rest of analyzer/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/evidence.h"

namespace hfa::analyzer {

enum class RemedyKind { service_pack, package, hotfix };
std::string_view to_string(RemedyKind k);  // "service-pack", "package", "hotfix"
std::optional<RemedyKind> remedy_kind_from_string(std::string_view s);

// One thing to install, with the article that says it fixes the finding.
struct Remedy {
  RemedyKind kind = RemedyKind::hotfix;
  // "SP6a" for a service pack (the line's edition in `title`), else the
  // article's id: "Q299444".
  std::string id;
  std::string title;   // "Service Pack 5 of Terminal Server Edition", or the article's title
  std::string source;  // where the relation is written: "Q299444 line 184"; "" when it is the article itself
  std::string text;    // the whole advice in words, as the text report prints it
  // A package or hotfix whose fix a service pack of the installation's line
  // also carries: a plan that installs the line's last service pack anyway
  // folds it into that step (Q225095, a Server SP4 roll-up, after SP6a would
  // put older files back). Decided by the analyzer; not part of the outputs.
  bool carried_by_service_pack = false;
  bool operator==(const Remedy& o) const { return kind == o.kind && id == o.id; }
};

// One step of a plan: what to install and the findings (KB ids) it fixes.
struct PlanStep {
  Remedy remedy;
  std::vector<std::string> fixes;
};

// The last service pack of the installation's line ("6a" for Windows NT 4.0,
// "6" for Terminal Server Edition): service packs are cumulative, so the plan
// installs the last one rather than the first that carries each fix.
std::string last_service_pack(bool terminal_server);

// KB ids ("Q259042") in numeric order, case aside: the order of findings
// and of the plan's hotfix steps.
bool kb_less(const std::string& x, const std::string& y);

struct FindingRemedy {
  std::string kb;
  Remedy remedy;
};

// The install list that fixes every finding given (those that count against
// compliance, with their remedy): one service-pack step first (the line's
// last, fixing every finding a service pack fixes, and, once there is such a
// step, those whose package or hotfix it carries too), then the packages
// (roll-ups) by findings fixed, then the single hotfixes in KB order.

std::vector<PlanStep> remediation_plan(const std::vector<FindingRemedy>& findings, bool terminal_server);

}  // namespace hfa::analyzer
