// Message digests (MD5, SHA-1, SHA-256) through Nettle, the one
// way the project computes them: of the database, of every file a scan
// reads, and of disk images.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hfa {

// Names as the outputs and --hash spell them: "md5", "sha1", "sha256".
using Digests = std::map<std::string, std::string>;  // name -> lower-case hex

// The names --hash accepts, in that order.
const std::vector<std::string>& digest_names();
// "md5,sha1" -> {"md5", "sha1"}, sorted and without duplicates; "none" -> {};
// nullopt with `error` set for an unknown or empty name.
std::optional<std::vector<std::string>> parse_digest_names(std::string_view list, std::string& error);

// Lower-case hex of `size` bytes.
std::string hex(const uint8_t* data, size_t size);

// Several digests of one stream of bytes, fed piece by piece, so that a file
// is hashed as it is read.
class Digester {
 public:
  // `names` from digest_names(); an unknown one is left out.
  explicit Digester(const std::vector<std::string>& names);
  ~Digester();
  Digester(Digester&&) noexcept;
  Digester& operator=(Digester&&) noexcept;
  Digester(const Digester&) = delete;
  Digester& operator=(const Digester&) = delete;
  void update(const void* data, size_t size);
  // The digests of everything fed; the digester is spent afterwards.
  Digests finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The SHA-256 of `data` in hex.
std::string sha256_hex(std::string_view data);

}  // namespace hfa
