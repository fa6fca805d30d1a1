#include "core/digest.h"

#include <nettle/nettle-meta.h>
#include <nettle/sha2.h>

#include <algorithm>
#include <cctype>

namespace hfa {
namespace {

const nettle_hash* algorithm(const std::string& name) {
  if (name == "md5") return &nettle_md5;
  if (name == "sha1") return &nettle_sha1;
  if (name == "sha256") return &nettle_sha256;
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
  struct Context {
    std::string name;
    const nettle_hash* hash;
    // Nettle's contexts are plain structs of context_size bytes; 16-byte
    // aligned storage holds any of them.
    std::unique_ptr<std::max_align_t[]> storage;
    void* get() { return storage.get(); }
  };
  std::vector<Context> contexts;
};

Digester::Digester(const std::vector<std::string>& names) : state_(std::make_unique<State>()) {
  for (const auto& name : names) {
    const nettle_hash* hash = algorithm(name);
    if (!hash) continue;
    const size_t units = (hash->context_size + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t);
    State::Context c{name, hash, std::make_unique<std::max_align_t[]>(units)};
    hash->init(c.get());
    state_->contexts.push_back(std::move(c));
  }
}

Digester::~Digester() = default;
Digester::Digester(Digester&&) noexcept = default;
Digester& Digester::operator=(Digester&&) noexcept = default;

void Digester::update(const void* data, size_t size) {
  if (!state_ || size == 0) return;
  for (auto& c : state_->contexts) c.hash->update(c.get(), size, static_cast<const uint8_t*>(data));
}

Digests Digester::finish() {
  Digests out;
  if (!state_) return out;
  for (auto& c : state_->contexts) {
    uint8_t md[SHA256_DIGEST_SIZE];  // the longest of algorithm()'s
    c.hash->digest(c.get(), c.hash->digest_size, md);
    out[c.name] = hex(md, c.hash->digest_size);
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
