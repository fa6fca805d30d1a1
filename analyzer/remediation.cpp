#include "analyzer/remediation.h"

#include <algorithm>
#include <map>

#include "core/text.h"

namespace hfa::analyzer {

std::string_view to_string(RemedyKind k) {
  switch (k) {
    case RemedyKind::service_pack:
      return "service-pack";
    case RemedyKind::package:
      return "package";
    case RemedyKind::hotfix:
      return "hotfix";
  }
  return "hotfix";
}

std::optional<RemedyKind> remedy_kind_from_string(std::string_view s) {
  for (auto k : {RemedyKind::service_pack, RemedyKind::package, RemedyKind::hotfix})
    if (s == to_string(k)) return k;
  return std::nullopt;
}

std::string last_service_pack(bool terminal_server) { return terminal_server ? "6" : "6a"; }

bool kb_less(const std::string& x, const std::string& y) {
  const auto a = ascii_upper(x), b = ascii_upper(y);
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

std::vector<PlanStep> remediation_plan(const std::vector<FindingRemedy>& findings, bool terminal_server) {
  std::vector<PlanStep> plan;
  // Service packs are cumulative: one step, the line's last, whatever the
  // first service pack each fix came in.
  PlanStep sp;
  // One step per article, whichever finding named it; a package if any did.
  std::map<std::string, PlanStep> articles;
  const bool service_pack_step = std::any_of(findings.begin(), findings.end(), [](const FindingRemedy& f) {
    return f.remedy.kind == RemedyKind::service_pack;
  });
  for (const auto& f : findings) {
    if (f.remedy.kind == RemedyKind::service_pack || (service_pack_step && f.remedy.carried_by_service_pack)) {
      sp.fixes.push_back(f.kb);
      continue;
    }
    auto& step = articles[ascii_upper(f.remedy.id)];
    if (step.fixes.empty() || (f.remedy.kind == RemedyKind::package && step.remedy.kind != RemedyKind::package))
      step.remedy = f.remedy;
    step.fixes.push_back(f.kb);
  }
  if (!sp.fixes.empty()) {
    const auto last = last_service_pack(terminal_server);
    sp.remedy.kind = RemedyKind::service_pack;
    sp.remedy.id = "SP" + last;
    sp.remedy.title = "Service Pack " + last + (terminal_server ? " of Terminal Server Edition" : " of Windows NT 4.0");
    sp.remedy.text = "install " + sp.remedy.title +
                     ", the last of the line: service packs are cumulative, so it carries every fix of the "
                     "earlier ones";
    plan.push_back(std::move(sp));
  }
  std::vector<PlanStep> by_package, by_hotfix;
  for (auto& [id, step] : articles)
    (step.remedy.kind == RemedyKind::package ? by_package : by_hotfix).push_back(std::move(step));
  std::stable_sort(by_package.begin(), by_package.end(), [](const PlanStep& a, const PlanStep& b) {
    return a.fixes.size() != b.fixes.size() ? a.fixes.size() > b.fixes.size() : kb_less(a.remedy.id, b.remedy.id);
  });
  for (auto& s : by_package) plan.push_back(std::move(s));
  std::sort(by_hotfix.begin(), by_hotfix.end(),
            [](const PlanStep& a, const PlanStep& b) { return kb_less(a.remedy.id, b.remedy.id); });
  for (auto& s : by_hotfix) plan.push_back(std::move(s));
  for (auto& s : plan) std::sort(s.fixes.begin(), s.fixes.end(), kb_less);
  return plan;
}

}  // namespace hfa::analyzer
