#ifndef ETNIK_SERVICES_GATEWAY_ROUTES_PATH_TEMPLATE_H_
#define ETNIK_SERVICES_GATEWAY_ROUTES_PATH_TEMPLATE_H_

// URL templates in the google.api.http style: "/v1/{name=hubs/*}:publish". A variable binds a
// request field (possibly nested, "hub.name") to one or more path segments; `*` matches one
// non-empty segment; an optional ":verb" ends the path (AIP-136 custom methods).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace etnik::gateway {

class PathTemplate {
 public:
  // INVALID_ARGUMENT for a malformed template (a programming error in the route table).
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // field -> bound value ("hubs/media") when `path` matches; nullopt otherwise.
  std::optional<std::map<std::string, std::string>> Match(absl::string_view path) const;

  const std::string& text() const { return text_; }
  // The OpenAPI form: "/v1/hubs/{hub}:publish", one parameter per `*` (named after the segment
  // before it, singularised naively), and the parameter names in order.
  std::string OpenApiPath() const;
  std::vector<std::string> OpenApiParameters() const;
  // Request fields bound by the path.
  std::vector<std::string> Fields() const;

 private:
  struct Segment {
    std::string literal;             // set for a literal segment
    std::string field;               // set for a variable
    std::vector<std::string> parts;  // the variable's sub-pattern: literals and "*"
  };
  std::string text_;
  std::vector<Segment> segments_;
  std::string verb_;
};

}  // namespace etnik::gateway

#endif  // ETNIK_SERVICES_GATEWAY_ROUTES_PATH_TEMPLATE_H_
