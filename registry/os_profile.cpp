#include "registry/os_profile.h"

#include <hivex.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>

#include "core/byte_source.h"
#include "core/text.h"
#include "registry/hive_file.h"

namespace hfa::registry {
namespace {

struct CloseHive {
  void operator()(hive_h* h) const { hivex_close(h); }
};
using Hive = std::unique_ptr<hive_h, CloseHive>;

struct Free {
  void operator()(void* p) const { std::free(p); }
};
struct FreeStrings {
  void operator()(char** list) const {
    for (char** s = list; *s; ++s) std::free(*s);
    std::free(list);
  }
};

// hivex answers a broken cell with only an errno ("Bad address", "Operation
// not supported"), which says nothing true about the file: notes say what it
// means.
constexpr const char* kDamagedThere = ": the hive is damaged there (its cells cannot be followed)";

std::string type_name(uint32_t type) {
  static const char* const names[] = {"REG_NONE",
                                      "REG_SZ",
                                      "REG_EXPAND_SZ",
                                      "REG_BINARY",
                                      "REG_DWORD",
                                      "REG_DWORD_BIG_ENDIAN",
                                      "REG_LINK",
                                      "REG_MULTI_SZ",
                                      "REG_RESOURCE_LIST",
                                      "REG_FULL_RESOURCE_DESCRIPTOR",
                                      "REG_RESOURCE_REQUIREMENTS_LIST",
                                      "REG_QWORD"};
  return type < std::size(names) ? names[type] : "type " + std::to_string(type);
}

uint32_t le32(const unsigned char* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llX", static_cast<unsigned long long>(v));
  return buf;
}

// hivex gives only an errno when it refuses a file (its own explanation goes to
// stderr, and only in verbose mode), so look at the file to say what it is and
// what is wrong with it, never hivex's errno text.
std::string why_refused(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot be opened";
  unsigned char head[512] = {};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  const auto got = static_cast<size_t>(in.gcount());
  if (got == 0) return "empty file: not a registry hive";
  if (got >= 4 && std::memcmp(head, "CREG", 4) == 0)
    return "a Windows 9x registry file (CREG, as SYSTEM.DAT and USER.DAT), not "
           "a Windows NT hive: not read";
  if (got < 4 || std::memcmp(head, "regf", 4) != 0) return "not a registry hive (no \"regf\" signature at offset 0)";
  if (got < sizeof head)
    return "truncated at offset " + hex(got) + ": shorter than a hive's base block (" + hex(sizeof head) + " bytes)";
  if (le32(head + 0x1C) == 1)
    return "a registry transaction log (file type 1, as SYSTEM.LOG), not a "
           "hive: not read as one";
  if (le32(head + 0x14) != 1)
    return "registry hive format " + std::to_string(le32(head + 0x14)) + "." + std::to_string(le32(head + 0x18)) +
           " not supported";
  if (const auto base = read_base_block(std::vector<uint8_t>(head, head + got)); base && !base->checksum_ok)
    return "damaged: the base block's checksum at offset 0x1FC is wrong";
  in.clear();
  in.seekg(0, std::ios::end);
  const auto size = static_cast<uint64_t>(in.tellg());
  const uint64_t expected = 4096 + uint64_t{le32(head + 0x28)};
  if (size < expected)
    return "truncated at offset " + hex(size) + ": the header announces " + std::to_string(expected) + " bytes";
  unsigned char bin[4] = {};
  in.clear();
  in.seekg(4096);
  in.read(reinterpret_cast<char*>(bin), sizeof bin);
  if (in.gcount() != 4 || std::memcmp(bin, "hbin", 4) != 0) return "damaged: no hive bin (\"hbin\") at offset 0x1000";
  return "damaged: its hive bins or cells cannot be followed";
}

// A file that is something other than a hive although hivex might open it.
std::string not_a_hive(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char head[0x20] = {};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  if (static_cast<size_t>(in.gcount()) == sizeof head && std::memcmp(head, "regf", 4) == 0 && le32(head + 0x1C) == 1)
    return why_refused(path);
  return "";
}

// Flags 0: read-only and silent. Untrusted images may hold anything at this path.
Hive open_hive(const char* label, const std::string& path, std::string& error) {
  const std::string what = std::string(label) + " hive " + path + ": ";
  struct stat st {};
  // hivex_open would block on a FIFO until some writer came, and map a device whole.
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    error = what + "not a regular file";
    return nullptr;
  }
  // hivex maps the whole file and walks every cell when it opens it.
  if (::stat(path.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_size) > kMaxHiveBytes) {
    error = what + std::to_string(st.st_size) + " bytes, over the limit of " + std::to_string(kMaxHiveBytes) +
            " for a hive; not read";
    return nullptr;
  }
  // hivex would read a transaction log whose bins are whole as if it were the
  // hive: what the file is decides, not whether hivex copes.
  if (const auto what_it_is = not_a_hive(path); !what_it_is.empty()) {
    error = what + what_it_is;
    return nullptr;
  }
  errno = 0;
  Hive h(hivex_open(path.c_str(), 0));
  if (!h) {
    error = what + why_refused(path);
  }
  return h;
}

enum class IfAbsent { note, ignore };

// Lookups that never fail loudly: whatever is missing or odd becomes a note, in
// words naming the key path below the hive's root.
class Reader {
 public:
  Reader(hive_h* h, std::vector<std::string>& notes) : h_(h), notes_(notes) {}

  struct Value {
    hive_value_h handle;
    uint32_t type;      // as stored: any number at all in a hostile hive
    std::string where;  // key path and value name, for notes
  };

  // hivex answers 0 both for "absent" and for a broken hive; only the latter sets errno.
  hive_node_h key(const std::string& path, IfAbsent absent = IfAbsent::note) {
    bool damaged = false;
    return key(path, absent, damaged);
  }

  // `damaged`: the key could not be followed (as opposed to absent).
  hive_node_h key(const std::string& path, IfAbsent absent, bool& damaged) {
    damaged = false;
    errno = 0;
    hive_node_h node = hivex_root(h_);
    if (node == 0) {
      notes_.push_back(std::string("root key unreadable") + kDamagedThere);
      damaged = true;
      return 0;
    }
    for (size_t start = 0; node != 0 && start < path.size();) {
      const size_t end = std::min(path.find('\\', start), path.size());
      errno = 0;
      node = hivex_node_get_child(h_, node, path.substr(start, end - start).c_str());
      if (node == 0 && errno != 0) {
        notes_.push_back("key " + path.substr(0, end) + " unreadable" + kDamagedThere);
        damaged = true;
      } else if (node == 0 && absent == IfAbsent::note) {
        notes_.push_back("no key " + path.substr(0, end));
      }
      start = end + 1;
    }
    return node;
  }

  // A value asked for by a query: absent, read as text, or why it could not be.
  ValueRead query(const ValueQuery& q, const std::string& key_path) {
    ValueRead r;
    r.query = q;
    r.where = key_path + "\\" + q.value;
    bool damaged = false;
    const hive_node_h node = key(key_path, IfAbsent::ignore, damaged);
    if (node == 0) {
      r.read = !damaged;
      if (damaged) r.problem = "key " + key_path + " unreadable" + kDamagedThere;
      return r;
    }
    errno = 0;
    const hive_value_h probe = hivex_node_get_value(h_, node, q.value.c_str());
    if (probe == 0 && errno == 0) {
      r.read = true;
      return r;
    }
    const auto v = value(node, key_path, q.value.c_str(), IfAbsent::ignore);
    if (!v) {
      r.problem = "value " + r.where + " unreadable" + kDamagedThere;
      return r;
    }
    const size_t before = notes_.size();
    if (v->type == hive_t_REG_DWORD || v->type == hive_t_REG_DWORD_BIG_ENDIAN) {
      if (const auto d = dword(*v)) r.data = std::to_string(*d);
    } else if (v->type == hive_t_REG_SZ || v->type == hive_t_REG_EXPAND_SZ) {
      r.data = string(*v);
    } else {
      r.problem = "value " + r.where + " is " + type_name(v->type) + ", not a string or REG_DWORD";
      return r;
    }
    r.read = r.data.has_value();
    if (!r.read) r.problem = notes_.size() > before ? notes_.back() : "value " + r.where + " unreadable";
    return r;
  }

  std::optional<Value> value(hive_node_h key, const std::string& key_path, const char* name,
                             IfAbsent absent = IfAbsent::note) {
    const std::string where = key_path + "\\" + name;
    errno = 0;
    const hive_value_h v = hivex_node_get_value(h_, key, name);
    if (v == 0) {
      if (errno != 0)
        notes_.push_back("value " + where + " unreadable" + kDamagedThere);
      else if (absent == IfAbsent::note)
        notes_.push_back("no value " + where);
      return std::nullopt;
    }
    hive_type stored{};
    size_t size = 0;
    errno = 0;
    if (hivex_value_type(h_, v, &stored, &size) != 0) {
      notes_.push_back("value " + where + " unreadable" + kDamagedThere);
      return std::nullopt;
    }
    // hivex copies the stored number into the enum unchecked; reading it back
    // as a hive_type would be undefined behaviour, copying its bytes is not.
    static_assert(sizeof stored == sizeof(uint32_t));
    uint32_t type = 0;
    std::memcpy(&type, &stored, sizeof type);
    return Value{v, type, where};
  }

  std::optional<std::string> string(const Value& v) {
    if (v.type != hive_t_REG_SZ && v.type != hive_t_REG_EXPAND_SZ) {
      note_wrong_type(v, "a string");
      return std::nullopt;
    }
    errno = 0;
    std::unique_ptr<char, Free> s(hivex_value_string(h_, v.handle));
    if (!s) {
      note_unreadable(v);
      return std::nullopt;
    }
    return std::string(s.get());
  }

  std::optional<uint32_t> dword(const Value& v) {
    if (v.type != hive_t_REG_DWORD && v.type != hive_t_REG_DWORD_BIG_ENDIAN) {
      note_wrong_type(v, "REG_DWORD");
      return std::nullopt;
    }
    errno = 0;
    const int32_t d = hivex_value_dword(h_, v.handle);
    if (d == -1 && errno != 0) {
      note_unreadable(v);
      return std::nullopt;
    }
    return static_cast<uint32_t>(d);
  }

  // ProductSuite is REG_MULTI_SZ, but a single REG_SZ name means the same.
  std::vector<std::string> strings(const Value& v) {
    if (v.type != hive_t_REG_MULTI_SZ) {
      const auto one = string(v);
      return one && !one->empty() ? std::vector<std::string>{*one} : std::vector<std::string>{};
    }
    errno = 0;
    std::unique_ptr<char*, FreeStrings> list(hivex_value_multiple_strings(h_, v.handle));
    if (!list) {
      note_unreadable(v);
      return {};
    }
    // hivex 1.3 also returns the empty string of the final NUL; an empty string ends the list for Windows.
    std::vector<std::string> out;
    for (char** s = list.get(); *s && **s; ++s) out.emplace_back(*s);
    return out;
  }

  std::vector<std::pair<std::string, hive_node_h>> children(hive_node_h key, const std::string& key_path) {
    errno = 0;
    std::unique_ptr<hive_node_h, Free> list(hivex_node_children(h_, key));
    if (!list) {
      notes_.push_back("subkeys of " + key_path + " unreadable" + kDamagedThere);
      return {};
    }
    std::vector<std::pair<std::string, hive_node_h>> out;
    for (const hive_node_h* c = list.get(); *c != 0; ++c) {
      errno = 0;
      std::unique_ptr<char, Free> name(hivex_node_name(h_, *c));
      if (name)
        out.emplace_back(name.get(), *c);
      else
        notes_.push_back("a subkey name of " + key_path + " unreadable" + kDamagedThere);
    }
    return out;
  }

 private:
  void note_wrong_type(const Value& v, const char* wanted) {
    notes_.push_back("value " + v.where + " is " + type_name(v.type) + ", not " + wanted + ": ignored");
  }

  void note_unreadable(const Value& v) { notes_.push_back("value " + v.where + " unreadable" + kDamagedThere); }

  hive_h* h_;
  std::vector<std::string>& notes_;
};

// Installed is REG_DWORD 1 as the hotfix installer writes it; some tools wrote the string "1".
bool installed(Reader& reader, const Reader::Value& v) {
  if (v.type == hive_t_REG_SZ || v.type == hive_t_REG_EXPAND_SZ) return reader.string(v) == "1";
  return reader.dword(v) == 1u;
}

}  // namespace

HiveResult<SoftwareFacts> read_software_hive(const std::string& path, const std::vector<ValueQuery>& values) {
  HiveResult<SoftwareFacts> r;
  const Hive h = open_hive("SOFTWARE", path, r.error);
  if (!h) return r;
  Reader reader(h.get(), r.notes);
  SoftwareFacts f;

  const std::string cv = "Microsoft\\Windows NT\\CurrentVersion";
  if (const hive_node_h key = reader.key(cv)) {
    auto text = [&](const char* name) -> std::optional<std::string> {
      const auto v = reader.value(key, cv, name);
      return v ? reader.string(*v) : std::nullopt;
    };
    f.current_version_key = true;
    f.current_version = text("CurrentVersion");
    f.current_build_number = text("CurrentBuildNumber");
    f.csd_version = text("CSDVersion");

    // No Hotfix key is how an installation with no hotfix looks: nothing to note.
    const std::string hotfix = cv + "\\Hotfix";
    if (const hive_node_h fixes = reader.key(hotfix, IfAbsent::ignore)) {
      for (const auto& [name, node] : reader.children(fixes, hotfix)) {
        const auto v = reader.value(node, hotfix + "\\" + name, "Installed");
        if (v && installed(reader, *v)) f.installed_hotfixes.push_back(name);
      }
      std::sort(f.installed_hotfixes.begin(), f.installed_hotfixes.end());
    }
  }
  for (const auto& q : values) f.values.push_back(reader.query(q, q.key));
  r.facts = std::move(f);
  return r;
}

HiveResult<SystemFacts> read_system_hive(const std::string& path, const std::vector<ValueQuery>& values) {
  HiveResult<SystemFacts> r;
  const Hive h = open_hive("SYSTEM", path, r.error);
  if (!h) return r;
  Reader reader(h.get(), r.notes);
  SystemFacts f;

  std::optional<uint32_t> current;
  if (const hive_node_h select = reader.key("Select"))
    if (const auto v = reader.value(select, "Select", "Current")) current = reader.dword(*v);
  if (current) {
    char name[32];
    std::snprintf(name, sizeof name, "ControlSet%03u", *current);
    f.current_control_set = name;
  } else {
    // Without the pointer, the set is known only when the hive holds a single
    // one; with several, which one booted is not guessed. A set that Current
    // names but that is absent is reported, never replaced by another one.
    std::vector<std::string> sets;
    if (const hive_node_h root = reader.key(""))
      for (const auto& [name, node] : reader.children(root, "the root key"))
        if (name.size() == 13 && ascii_lower(name).rfind("controlset", 0) == 0 &&
            std::all_of(name.begin() + 10, name.end(), [](char c) { return c >= '0' && c <= '9'; }))
          sets.push_back(name);
    if (sets.size() == 1) {
      f.current_control_set = sets.front();
      r.notes.push_back("Select\\Current unknown: read " + sets.front() + ", the only control set of the hive");
    } else {
      std::string list;
      for (const auto& s : sets) list += (list.empty() ? "" : ", ") + s;
      r.notes.push_back("Select\\Current unknown and the hive holds " + std::to_string(sets.size()) + " control sets" +
                        (list.empty() ? "" : " (" + list + ")") +
                        ": which one Windows booted is not known, so ProductOptions and PROCESSOR_ARCHITECTURE "
                        "are not read");
    }
  }

  // Select\Current may name a set the hive does not hold (damaged, or edited
  // by hand): nothing of "the current set" is then known, not even absence.
  const bool set_present = !f.current_control_set.empty() && reader.key(f.current_control_set) != 0;
  if (set_present) {
    const std::string options = f.current_control_set + "\\Control\\ProductOptions";
    if (const hive_node_h key = reader.key(options)) {
      f.product_options_key = true;
      if (const auto v = reader.value(key, options, "ProductType")) f.product_type = reader.string(*v);
      // Written only for the suites (Enterprise, Terminal Server...): absent means none.
      if (const auto v = reader.value(key, options, "ProductSuite", IfAbsent::ignore))
        f.product_suite = reader.strings(*v);
    }
    const std::string env = f.current_control_set + "\\Control\\Session Manager\\Environment";
    if (const hive_node_h key = reader.key(env))
      if (const auto v = reader.value(key, env, "PROCESSOR_ARCHITECTURE")) f.processor_architecture = reader.string(*v);
    // Every NT SYSTEM hive has a Services key (the drivers it boots are
    // there): one without it says nothing about what is installed, so no
    // service is taken for absent.
    const std::string services = f.current_control_set + "\\Services";
    if (const hive_node_h key = reader.key(services)) {
      const size_t notes_before = r.notes.size();
      std::vector<std::string> names;
      for (auto& [name, node] : reader.children(key, services)) names.push_back(std::move(name));
      // A sub-key that could not be read might be the one looked for.
      if (r.notes.size() == notes_before) f.services = std::move(names);
    }
  }
  for (const auto& q : values) {
    constexpr std::string_view ccs = "CurrentControlSet";
    const bool in_current = ascii_lower(q.key.substr(0, ccs.size())) == ascii_lower(ccs) &&
                            (q.key.size() == ccs.size() || q.key[ccs.size()] == '\\');
    if (in_current && !set_present) {
      ValueRead unknown;
      unknown.query = q;
      unknown.where = q.key + "\\" + q.value;
      unknown.problem = f.current_control_set.empty()
                            ? "which control set Windows booted is not known (Select\\Current)"
                            : "Select\\Current names " + f.current_control_set + ", which the hive does not hold";
      f.values.push_back(std::move(unknown));
      continue;
    }
    f.values.push_back(reader.query(q, in_current ? f.current_control_set + q.key.substr(ccs.size()) : q.key));
  }
  r.facts = std::move(f);
  return r;
}

namespace {

// The hive open as `fd`, through its /proc/self/fd path; `name` replaces that
// path in the messages.
template <typename Facts, typename Read>
HiveResult<Facts> read_fd(int fd, const std::string& name, Read read) {
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  HiveResult<Facts> r = read(path);
  auto rename = [&](std::string& s) {
    for (size_t at = s.find(path); at != std::string::npos; at = s.find(path, at + name.size()))
      s.replace(at, path.size(), name);
  };
  rename(r.error);
  for (auto& n : r.notes) rename(n);
  return r;
}

// Runs `read` on an in-memory file (memfd) holding `bytes`, opened through
// /proc/self/fd since hivex opens files by name only, and puts `name` in place
// of that path in its messages. Nothing of the evidence is written to disk.
template <typename Facts, typename Read>
HiveResult<Facts> read_copy(const std::vector<uint8_t>& bytes, const std::string& name, Read read) {
  std::string error;
  const auto copy = copy_to_memory_file(bytes.data(), bytes.size(), error);
  if (!copy) {
    HiveResult<Facts> r;
    r.error = name + ": " + error + " for hivex";
    return r;
  }
  return read_fd<Facts>(copy->descriptor(), name, read);
}

}  // namespace

HiveResult<SoftwareFacts> read_software_hive(const std::vector<uint8_t>& bytes, const std::string& name,
                                             const std::vector<ValueQuery>& values) {
  return read_copy<SoftwareFacts>(bytes, name, [&](const std::string& p) { return read_software_hive(p, values); });
}

HiveResult<SystemFacts> read_system_hive(const std::vector<uint8_t>& bytes, const std::string& name,
                                         const std::vector<ValueQuery>& values) {
  return read_copy<SystemFacts>(bytes, name, [&](const std::string& p) { return read_system_hive(p, values); });
}

HiveResult<SoftwareFacts> read_software_hive_fd(int fd, const std::string& name,
                                                const std::vector<ValueQuery>& values) {
  return read_fd<SoftwareFacts>(fd, name, [&](const std::string& p) { return read_software_hive(p, values); });
}

HiveResult<SystemFacts> read_system_hive_fd(int fd, const std::string& name, const std::vector<ValueQuery>& values) {
  return read_fd<SystemFacts>(fd, name, [&](const std::string& p) { return read_system_hive(p, values); });
}

}  // namespace hfa::registry
