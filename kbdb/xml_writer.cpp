// Writes a Database in the format kbdb.cpp reads (docs/kbdb.md), every field,
// so that load_xml(to_xml(db)) gives db back.
#include <pugixml.hpp>
#include <sstream>

#include "core/text.h"
#include "kbdb/kbdb.h"

namespace hfa::kbdb {
namespace {

constexpr const char* kNamespace = "urn:hotfix-audit:kbdb:1";
constexpr const char* kFormat = "1";

void set(pugi::xml_node n, const char* name, const std::string& value) {
  n.append_attribute(name).set_value(value.c_str());
}

pugi::xml_node set_id(pugi::xml_node n, const std::string& id) {
  set(n, "id", id);
  return n;
}

void set_source(pugi::xml_node n, const SourceRef& from) {
  if (from.article.empty()) return;
  set(n, "from", from.article);
  if (from.line > 0) set(n, "line", std::to_string(from.line));
}

}  // namespace

std::string to_xml(const Database& db) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  set(decl, "version", "1.0");
  set(decl, "encoding", "UTF-8");
  auto root = doc.append_child("kbdb");
  set(root, "xmlns", kNamespace);
  set(root, "format", kFormat);
  for (const auto& a : db.articles) {
    auto n = root.append_child("article");
    set(n, "id", a.id);
    set(n, "modified", to_string(a.modified));
    if (a.kind != "fix") set(n, "kind", a.kind);
    n.append_child("title").text().set(a.title.c_str());
    if (a.lists) {
      auto c = n.append_child("lists");
      if (a.lists->edition) set(c, "edition", std::string(to_string(*a.lists->edition)));
      set(c, "service-pack", a.lists->service_pack);
    }
    for (const auto& t : a.applies_to) {
      auto c = n.append_child("applies-to");
      set(c, "edition", std::string(to_string(t.edition)));
      set(c, "os", t.os_version);
      if (!t.service_packs.empty()) set(c, "service-packs", join(t.service_packs, " "));
    }
    for (const auto p : a.platforms) n.append_child("platform").text().set(std::string(to_string(p)).c_str());
    for (const auto& f : a.fixed_in) {
      auto c = n.append_child("fixed-in");
      if (f.edition) set(c, "edition", std::string(to_string(*f.edition)));
      set(c, "service-pack", f.service_pack);
      if (f.source != "status") set(c, "source", f.source);
      set_source(c, f.from);
    }
    for (const auto& p : a.packages) {
      auto c = n.append_child("package");
      set(c, "id", p.id);
      set(c, "relation", p.relation);
      set_source(c, p.from);
      c.text().set(p.title.c_str());
    }
    for (const auto& m : a.contains) set_source(set_id(n.append_child("contains"), m.id), m.from);
    for (const auto& m : a.supersedes) set_source(set_id(n.append_child("supersedes"), m.id), m.from);
    for (const auto& comp : a.components) {
      auto c = n.append_child("component");
      set(c, "name", comp.name);
      set_source(c, comp.from);
      for (const auto& s : comp.services) set(c.append_child("service"), "name", s);
      for (const auto& f : comp.files) set(c.append_child("evidence-file"), "path", f);
    }
    for (const auto& s : a.settings) {
      auto c = n.append_child("setting");
      set(c, "hive", s.hive);
      set(c, "key", s.key);
      set(c, "value", s.value);
      set(c, "data", s.data);
      set_source(c, s.from);
    }
    for (const auto& m : a.modules) {
      auto c = n.append_child("module");
      set(c, "path", m.path);
      set(c, "format", m.format);
      set(c, "curated", m.curated ? "true" : "false");
    }
    for (const auto& f : a.files) {
      auto c = n.append_child("file");
      set(c, "name", f.name);
      set(c, "platform", std::string(to_string(f.platform)));
      if (f.date) set(c, "date", to_string(*f.date));
      if (f.time) set(c, "time", to_string(*f.time));
      if (f.size) set(c, "size", std::to_string(*f.size));
      if (f.version) set(c, "version", to_string(*f.version));
      if (!f.version_text.empty()) set(c, "version-text", f.version_text);
      if (!f.section.empty()) set(c, "section", f.section);
      if (!f.component.empty()) set(c, "component", f.component);
      if (!f.size_text.empty()) set(c, "size-text", f.size_text);
      if (!f.location.empty()) set(c, "location", f.location);
      for (const auto& p : f.problems) c.append_child("problem").text().set(p.c_str());
    }
  }
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

}  // namespace hfa::kbdb
