#include "common/ids/ids.h"

#include "absl/random/random.h"
#include "absl/strings/ascii.h"

namespace etnik {

std::string NewId() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  thread_local absl::BitGen gen;
  std::string id(20, 'a');
  id[0] = kAlphabet[absl::Uniform(gen, 0, 26)];
  for (size_t i = 1; i < id.size(); ++i) id[i] = kAlphabet[absl::Uniform(gen, 0, 32)];
  return id;
}

bool IsValidResourceId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || !absl::ascii_islower(id.front()) || id.back() == '-') return false;
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') return false;
  }
  return true;
}

}  // namespace etnik
