#include "services/hubs/api/names.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"

namespace etnik::hubs::api {
namespace {

absl::Status BadName(const std::string& field, const std::string& pattern) {
  return InvalidArgumentError(absl::StrCat(field, " must be ", pattern), {{field, absl::StrCat("expected ", pattern)}});
}

absl::StatusOr<std::string> ParseSimple(const std::string& name, const std::string& collection,
                                        const std::string& field) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != collection || !IsValidResourceId(parts[1])) {
    return BadName(field, absl::StrCat(collection, "/{id}"));
  }
  return parts[1];
}

}  // namespace

absl::StatusOr<std::string> ParseHubName(const std::string& name, const std::string& field) {
  return ParseSimple(name, "hubs", field);
}

absl::StatusOr<std::string> ParseExpertName(const std::string& name, const std::string& field) {
  return ParseSimple(name, "experts", field);
}

absl::StatusOr<std::pair<std::string, std::string>> ParseHubChildName(const std::string& name,
                                                                      const std::string& collection,
                                                                      const std::string& field) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "hubs" || parts[2] != collection || !IsValidResourceId(parts[1]) ||
      !IsValidResourceId(parts[3])) {
    return BadName(field, absl::StrCat("hubs/{hub}/", collection, "/{id}"));
  }
  return std::make_pair(parts[1], parts[3]);
}

}  // namespace etnik::hubs::api
