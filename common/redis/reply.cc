#include "common/redis/reply.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace etnik::redis {

std::string DebugString(const Reply& reply) {
  switch (reply.type) {
    case Reply::Type::kNil:
      return "(nil)";
    case Reply::Type::kInteger:
      return absl::StrCat(":", reply.integer);
    case Reply::Type::kString:
      return absl::StrCat("\"", absl::CEscape(reply.str), "\"");
    case Reply::Type::kStatus:
      return absl::StrCat("+", reply.str);
    case Reply::Type::kError:
      return absl::StrCat("-", reply.str);
    case Reply::Type::kArray: {
      std::vector<std::string> parts;
      parts.reserve(reply.elements.size());
      for (const Reply& e : reply.elements) parts.push_back(DebugString(e));
      return absl::StrCat("[", absl::StrJoin(parts, ", "), "]");
    }
  }
  return "?";
}

}  // namespace etnik::redis
