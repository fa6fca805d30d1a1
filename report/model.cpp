#include "report/model.h"

#include <algorithm>

#include "core/text.h"

namespace hfa::report {
namespace {

using analyzer::Status;
using nlohmann::ordered_json;

// Typed reads of one object, each naming the JSON path on failure.
class Reader {
 public:
  Reader(const ordered_json& j, std::string where) : j_(j), where_(std::move(where)) {
    if (!j_.is_object()) throw ModelError(where_.empty() ? "/" : where_, "expected an object");
  }
  const ordered_json* get(const char* key) const {
    const auto it = j_.find(key);
    return it == j_.end() || it->is_null() ? nullptr : &*it;
  }
  std::string path(const char* key) const { return where_ + "/" + key; }
  std::string str(const char* key) const {
    const auto s = opt_str(key);
    if (!s) throw ModelError(path(key), "expected a string");
    return *s;
  }
  std::optional<std::string> opt_str(const char* key) const {
    const auto* v = get(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) throw ModelError(path(key), "expected a string or null");
    return v->get<std::string>();
  }
  std::optional<uint64_t> opt_uint(const char* key) const {
    const auto* v = get(key);
    if (!v) return std::nullopt;
    if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<int64_t>() >= 0))
      throw ModelError(path(key), "expected a non-negative integer or null");
    return v->get<uint64_t>();
  }
  std::vector<std::string> strings(const char* key) const {
    std::vector<std::string> out;
    const auto* v = get(key);
    if (!v) return out;
    if (!v->is_array()) throw ModelError(path(key), "expected an array of strings");
    for (size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) throw ModelError(path(key) + "/" + std::to_string(i), "expected a string");
      out.push_back((*v)[i].get<std::string>());
    }
    return out;
  }
  std::map<std::string, std::string> string_map(const char* key) const {
    std::map<std::string, std::string> out;
    const auto* v = get(key);
    if (!v) return out;
    if (!v->is_object()) throw ModelError(path(key), "expected an object");
    for (const auto& [k, value] : v->items()) {
      if (!value.is_string()) throw ModelError(path(key) + "/" + k, "expected a string");
      out[k] = value.get<std::string>();
    }
    return out;
  }
  // Each element of an array, as a Reader.
  template <typename F>
  void each(const char* key, F f) const {
    const auto* v = get(key);
    if (!v) return;
    if (!v->is_array()) throw ModelError(path(key), "expected an array");
    for (size_t i = 0; i < v->size(); ++i) f(Reader((*v)[i], path(key) + "/" + std::to_string(i)));
  }
  std::optional<Reader> object(const char* key) const {
    const auto* v = get(key);
    if (!v) return std::nullopt;
    return Reader(*v, path(key));
  }
  const ordered_json& json() const { return j_; }

 private:
  const ordered_json& j_;
  std::string where_;
};

analyzer::Remedy read_remedy(const Reader& r) {
  analyzer::Remedy out;
  const auto kind = analyzer::remedy_kind_from_string(r.str("kind"));
  if (!kind) throw ModelError(r.path("kind"), "expected service-pack, package or hotfix");
  out.kind = *kind;
  out.id = r.str("id");
  out.title = r.opt_str("title").value_or("");
  out.source = r.opt_str("source").value_or("");
  out.text = r.opt_str("text").value_or("");
  return out;
}

FoundFile read_found(const Reader& r) {
  FoundFile f;
  if (const auto* p = r.get("present")) {
    if (!p->is_boolean()) throw ModelError(r.path("present"), "expected true or false");
    f.present = p->get<bool>();
  }
  f.path = r.opt_str("path");
  f.size = r.opt_uint("size");
  f.modified = r.opt_str("modified");
  f.kind = r.opt_str("kind");
  f.machine = r.opt_str("machine");
  f.link_time = r.opt_str("link_time");
  f.file_version = r.opt_str("file_version");
  f.version_string = r.opt_str("version_string");
  f.problem = r.opt_str("problem");
  f.hashes = r.string_map("hashes");
  return f;
}

Requirement read_required(const Reader& r) {
  Requirement q;
  const auto kind = r.opt_str("kind");
  if (kind == std::string("file-row"))
    q.kind = Requirement::Kind::file_row;
  else if (kind == std::string("service-pack"))
    q.kind = Requirement::Kind::service_pack;
  else if (kind)
    throw ModelError(r.path("kind"), "expected file-row or service-pack");
  q.platform = r.opt_str("platform");
  q.date = r.opt_str("date");
  q.time = r.opt_str("time");
  q.version = r.opt_str("version");
  q.service_pack = r.opt_str("service_pack");
  q.size = r.opt_uint("size");
  if (!kind)
    q.kind = q.service_pack ? Requirement::Kind::service_pack
                            : (q.platform ? Requirement::Kind::file_row : Requirement::Kind::none);
  return q;
}

FindingItem read_finding(const Reader& r) {
  FindingItem f;
  f.kb = r.str("kb");
  f.title = r.opt_str("title").value_or("");
  const auto status = analyzer::status_from_string(r.str("status"));
  if (!status) throw ModelError(r.path("status"), "expected a status (fixed, missing, not-applicable, ...)");
  f.status = *status;
  f.reason = r.opt_str("reason").value_or("");
  f.notes = r.strings("notes");
  if (const auto* rem = r.get("remediation")) {
    // Schema 1 wrote the advice as a sentence.
    if (rem->is_string())
      f.remediation = analyzer::Remedy{analyzer::RemedyKind::hotfix, f.kb, "", "", rem->get<std::string>()};
    else if (const auto o = r.object("remediation"))
      f.remediation = read_remedy(*o);
  }
  if (const auto w = r.object("waiver"))
    f.waiver = WaiverItem{w->opt_str("source").value_or(""),   w->opt_str("host").value_or(""),
                          w->opt_str("reason").value_or(""),   w->opt_str("expires").value_or(""),
                          w->opt_str("approver").value_or(""), w->opt_str("waived_status").value_or("")};
  r.each("evidence", [&](const Reader& e) {
    EvidenceItem item;
    item.file = e.opt_str("file").value_or("");
    item.path = e.opt_str("path");
    item.status = e.opt_str("status").value_or("");
    if (const auto found = e.object("found")) item.found = read_found(*found);
    if (const auto req = e.object("required")) item.required = read_required(*req);
    item.note = e.opt_str("note").value_or("");
    f.evidence.push_back(std::move(item));
  });
  return f;
}

std::string step_key(const analyzer::Remedy& r) { return ascii_upper(r.id); }

}  // namespace

std::string_view to_string(Requirement::Kind k) {
  switch (k) {
    case Requirement::Kind::none:
      return "";
    case Requirement::Kind::file_row:
      return "file-row";
    case Requirement::Kind::service_pack:
      return "service-pack";
  }
  return "";
}

bool OsItem::terminal_server() const {
  return std::any_of(suites.begin(), suites.end(), [](const std::string& s) { return iequals(s, "Terminal Server"); });
}

std::map<Status, int> TargetItem::counts() const {
  std::map<Status, int> c;
  for (auto s : analyzer::kAllStatuses) c[s] = 0;
  for (const auto& f : findings) ++c[f.status];
  return c;
}

int TargetItem::counted() const {
  return int(std::count_if(findings.begin(), findings.end(), [](const FindingItem& f) { return f.counts_against(); }));
}

TargetItem target_from_json(const ordered_json& j) {
  const Reader r(j, "");
  TargetItem t;
  t.root = r.opt_str("root").value_or("");
  t.host = r.opt_str("host").value_or(t.root);
  if (t.host.empty() && t.root.empty()) throw ModelError("/host", "expected the target's host or root");
  t.system_root = r.opt_str("system_root");
  t.found_by = r.opt_str("found_by");
  t.error = r.opt_str("error");
  t.out_of_scope = r.opt_str("out_of_scope");
  if (const auto os = r.object("os")) {
    OsItem o;
    o.version = os->opt_str("version");
    o.build = os->opt_str("build");
    o.service_pack = os->opt_str("service_pack");
    o.csd_version = os->opt_str("csd_version");
    o.product = os->opt_str("product");
    o.platform = os->opt_str("platform");
    o.suites = os->strings("suites");
    o.installed_hotfixes = os->strings("installed_hotfixes");
    o.unknown = os->string_map("unknown");
    t.os = std::move(o);
  }
  t.notes = r.strings("notes");
  r.each("findings", [&](const Reader& f) { t.findings.push_back(read_finding(f)); });
  r.each("plan", [&](const Reader& s) {
    analyzer::PlanStep step;
    step.remedy = read_remedy(s);
    step.fixes = s.strings("fixes");
    t.plan.push_back(std::move(step));
  });
  r.each("files_read", [&](const Reader& f) {
    t.files_read.push_back(FileRead{f.str("path"), f.opt_uint("size"), f.opt_str("modified"), f.string_map("hashes")});
  });
  if (const auto* image = r.get("image")) t.image = *image;
  return t;
}

ordered_json remedy_json(const analyzer::Remedy& r) {
  return {{"kind", std::string(analyzer::to_string(r.kind))},
          {"id", r.id},
          {"title", r.title},
          {"source", r.source.empty() ? ordered_json(nullptr) : ordered_json(r.source)},
          {"text", r.text}};
}

ordered_json plan_json(const std::vector<analyzer::PlanStep>& plan) {
  ordered_json out = ordered_json::array();
  int n = 0;
  for (const auto& s : plan) {
    ordered_json j;
    j["step"] = ++n;
    const auto remedy = remedy_json(s.remedy);
    for (const auto& [k, v] : remedy.items()) j[k] = v;
    j["fixes"] = s.fixes;
    out.push_back(std::move(j));
  }
  return out;
}

Summary::Summary() {
  for (auto s : analyzer::kAllStatuses) findings_[s] = 0;
}

void Summary::add(const TargetItem& t) {
  ++targets_;
  const auto c = t.counts();
  for (const auto& [s, n] : c) findings_[s] += n;
  per_host_.emplace_back(t.host, c);
  if (t.error)
    ++failed_;
  else if (t.out_of_scope)
    ++out_of_scope_;
  else if (const int n = t.counted(); n > 0) {
    if (c.at(Status::missing) + c.at(Status::inconsistent) > 0)
      ++needing_action_;
    else
      ++not_verifiable_;
    needing_.emplace_back(t.host, n);
  } else {
    ++compliant_;
  }
  for (const auto& s : t.plan) {
    auto& step = steps_[step_key(s.remedy)];
    if (step.hosts == 0) step.remedy = s.remedy;
    ++step.hosts;
    step.findings += int(s.fixes.size());
  }
}

std::vector<FleetStep> Summary::fleet_plan() const {
  std::vector<FleetStep> out;
  for (const auto& [k, s] : steps_) out.push_back(s);
  std::sort(out.begin(), out.end(), [](const FleetStep& a, const FleetStep& b) {
    if (a.findings != b.findings) return a.findings > b.findings;
    return a.hosts != b.hosts ? a.hosts > b.hosts : a.remedy.id < b.remedy.id;
  });
  return out;
}

std::vector<std::pair<std::string, int>> Summary::hosts_needing_action() const {
  auto out = needing_;
  // Worst first; ties by name, so that a merge of shards lists them as one run does.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return out;
}

}  // namespace hfa::report
