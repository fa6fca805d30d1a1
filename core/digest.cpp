#include "core/digest.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace hfa {
namespace {

const EVP_MD* algorithm(const std::string& name) {
  if (name == "md5") return EVP_md5();
  if (name == "sha1") return EVP_sha1();
  if (name == "sha256") return EVP_sha256();
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
    if (!algorithm(name)) {
      error = "'" + name + "' is not a digest this tool computes (md5, sha1, sha256; or none alone)";
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
    for (auto& c : contexts) EVP_MD_CTX_free(c.second);
  }
};

Digester::Digester(const std::vector<std::string>& names) : state_(std::make_unique<State>()) {
  for (const auto& name : names) {
    const EVP_MD* md = algorithm(name);
    if (!md) continue;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (!ctx) continue;
    if (EVP_DigestInit_ex(ctx, md, nullptr) != 1) {
      EVP_MD_CTX_free(ctx);
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
  for (auto& c : state_->contexts) EVP_DigestUpdate(c.second, data, size);
}

Digests Digester::finish() {
  Digests out;
  if (!state_) return out;
  for (auto& c : state_->contexts) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(c.second, md, &size) == 1) out[c.first] = hex(md, size);
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

}  // namespace hfa
