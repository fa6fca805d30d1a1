#include "core/digest.h"

#include <dlfcn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "core/install_paths.h"

namespace hfa {
namespace {

// libcrypto is loaded on the first digest, not linked: its 4.7 MB and 18,000
// relocations were most of the start-up of commands that hash nothing
// (--version, inspect, explain; issue 14, point 7). The prototypes come from
// OpenSSL's own header, so a mismatch fails to compile.
struct Crypto {
  decltype(&EVP_get_digestbyname) get_digestbyname = nullptr;
  decltype(&EVP_MD_CTX_new) ctx_new = nullptr;
  decltype(&EVP_MD_CTX_free) ctx_free = nullptr;
  decltype(&EVP_DigestInit_ex) init = nullptr;
  decltype(&EVP_DigestUpdate) update = nullptr;
  decltype(&EVP_DigestFinal_ex) final = nullptr;
  decltype(&OpenSSL_version) version = nullptr;
  std::string error;  // why libcrypto could not be loaded
};

template <typename Fn>
void bind(void* handle, const char* name, Fn& fn, std::string& error) {
  fn = reinterpret_cast<Fn>(::dlsym(handle, name));
  if (!fn && error.empty()) error = std::string(HFA_LIBCRYPTO_SONAME " lacks ") + name;
}

const Crypto& crypto() {
  static Crypto c;
  static std::once_flag once;
  std::call_once(once, [] {
    // Never closed: contexts may outlive any one caller.
    void* handle = ::dlopen(HFA_LIBCRYPTO_SONAME, kModuleBinding | RTLD_LOCAL);
    if (!handle) {
      const char* why = ::dlerror();
      c.error = "digests are not available: " + std::string(why ? why : HFA_LIBCRYPTO_SONAME);
      return;
    }
    bind(handle, "EVP_get_digestbyname", c.get_digestbyname, c.error);
    bind(handle, "EVP_MD_CTX_new", c.ctx_new, c.error);
    bind(handle, "EVP_MD_CTX_free", c.ctx_free, c.error);
    bind(handle, "EVP_DigestInit_ex", c.init, c.error);
    bind(handle, "EVP_DigestUpdate", c.update, c.error);
    bind(handle, "EVP_DigestFinal_ex", c.final, c.error);
    bind(handle, "OpenSSL_version", c.version, c.error);
  });
  return c;
}

const EVP_MD* algorithm(const std::string& name) {
  const auto& c = crypto();
  if (!c.error.empty()) return nullptr;
  if (name == "md5") return c.get_digestbyname("MD5");
  if (name == "sha1") return c.get_digestbyname("SHA1");
  if (name == "sha256") return c.get_digestbyname("SHA256");
  return nullptr;
}

}  // namespace

const std::vector<std::string>& digest_names() {
  static const std::vector<std::string> names = {"md5", "sha1", "sha256"};
  return names;
}

std::optional<std::vector<std::string>> parse_digest_names(std::string_view list, std::string& error) {
  std::vector<std::string> out;
  // "none": no digests at all, for audits that need no provenance of the bytes.
  if (list == "none") return out;
  size_t start = 0;
  while (true) {
    const auto comma = list.find(',', start);
    std::string name(list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    const auto& known = digest_names();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      error = "'" + name + "' is not a digest this tool computes (md5, sha1, sha256; or none alone)";
      return std::nullopt;
    }
    if (!crypto().error.empty()) {
      error = crypto().error;
      return std::nullopt;
    }
    out.push_back(name);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string hex(const uint8_t* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(2 * size);
  for (size_t i = 0; i < size; ++i) {
    s += kDigits[data[i] >> 4];
    s += kDigits[data[i] & 15];
  }
  return s;
}

struct Digester::State {
  std::vector<std::pair<std::string, EVP_MD_CTX*>> contexts;
  ~State() {
    for (auto& c : contexts) crypto().ctx_free(c.second);
  }
};

Digester::Digester(const std::vector<std::string>& names) : state_(std::make_unique<State>()) {
  for (const auto& name : names) {
    const EVP_MD* md = algorithm(name);
    if (!md) continue;
    const auto& c = crypto();
    EVP_MD_CTX* ctx = c.ctx_new();
    if (!ctx) continue;
    if (c.init(ctx, md, nullptr) != 1) {
      c.ctx_free(ctx);
      continue;
    }
    state_->contexts.emplace_back(name, ctx);
  }
}

Digester::~Digester() = default;
Digester::Digester(Digester&&) noexcept = default;
Digester& Digester::operator=(Digester&&) noexcept = default;

void Digester::update(const void* data, size_t size) {
  if (!state_ || size == 0) return;
  for (auto& c : state_->contexts) crypto().update(c.second, data, size);
}

Digests Digester::finish() {
  Digests out;
  if (!state_) return out;
  for (auto& c : state_->contexts) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (crypto().final(c.second, md, &size) == 1) out[c.first] = hex(md, size);
  }
  state_.reset();
  return out;
}

std::string sha256_hex(std::string_view data) {
  Digester d({"sha256"});
  d.update(data.data(), data.size());
  auto out = d.finish();
  return out.count("sha256") ? out["sha256"] : "unavailable";
}

std::string digest_library() {
  const auto& c = crypto();
  return c.error.empty() ? c.version(OPENSSL_VERSION) : c.error;
}

}  // namespace hfa
