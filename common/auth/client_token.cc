#include "common/auth/client_token.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/auth/authenticator.h"

namespace etnik::auth {

void AttachBearerToken(grpc::ClientContext& context, absl::string_view token) {
  if (token.empty()) return;
  context.AddMetadata(kAuthorizationMetadataKey, absl::StrCat("Bearer ", token));
}

}  // namespace etnik::auth
