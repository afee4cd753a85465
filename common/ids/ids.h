#ifndef ETNIK_COMMON_IDS_IDS_H_
#define ETNIK_COMMON_IDS_IDS_H_

#include <compare>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace etnik {

// A string id that cannot be mixed up with an id of another kind:
//   using HubId = Id<struct HubTag>;
template <typename Tag>
class Id {
 public:
  Id() = default;
  explicit Id(std::string value) : value_(std::move(value)) {}

  const std::string& value() const { return value_; }
  bool empty() const { return value_.empty(); }

  friend auto operator<=>(const Id&, const Id&) = default;
  friend bool operator==(const Id&, const Id&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const Id& id) {
    return H::combine(std::move(h), id.value_);
  }

 private:
  std::string value_;
};

// A new random id: 20 characters of lowercase base32 (100 bits), starting with a letter so it
// is a valid AIP-122 resource id.
std::string NewId();

// True when `id` is a valid user-chosen resource id: [a-z][a-z0-9-]{0,62}, not ending in '-'.
bool IsValidResourceId(absl::string_view id);

}  // namespace etnik

#endif  // ETNIK_COMMON_IDS_IDS_H_
