// etnik-token: mints a development HS256 token for one caller, signed with the platform's secret.
//
//   etnik-token --secret_file=PATH --sub=lead-1 --roles=hub_lead,expert --hubs=h1,h2 --ttl=24h

#include <cstdio>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/auth/identity.h"
#include "common/auth/jwt_config.h"
#include "common/auth/token_minter.h"
#include "common/clock/clock.h"

ABSL_FLAG(std::string, secret_file, "", "File holding the HS256 secret the services verify with (required)");
ABSL_FLAG(std::string, sub, "", "Subject: the caller's stable id (required)");
ABSL_FLAG(std::string, name, "", "Display name");
ABSL_FLAG(std::string, email, "", "Email address");
ABSL_FLAG(std::vector<std::string>, roles, {},
          "Comma-separated roles: organiser, reviewer, hub_lead, expert, participant, service");
ABSL_FLAG(std::vector<std::string>, hubs, {}, "Comma-separated ids of the hubs a hub_lead leads");
ABSL_FLAG(absl::Duration, ttl, absl::Hours(24), "Lifetime of the token, e.g. 30m, 24h");
ABSL_FLAG(std::string, issuer, "etnik", "Issuer (iss) the services expect");
ABSL_FLAG(std::string, audience, "etnik", "Audience (aud) the services expect");

namespace etnik::auth {
namespace {

std::string KnownRoles() {
  std::vector<std::string> names;
  for (Role r : kAllRoles) names.emplace_back(RoleName(r));
  return absl::StrJoin(names, ", ");
}

// Turns the flags into claims; every mistake is an INVALID_ARGUMENT naming the flag.
absl::StatusOr<TokenClaims> ClaimsFromFlags() {
  TokenClaims claims;
  claims.subject = absl::GetFlag(FLAGS_sub);
  if (claims.subject.empty()) return absl::InvalidArgumentError("--sub is required");
  claims.name = absl::GetFlag(FLAGS_name);
  claims.email = absl::GetFlag(FLAGS_email);
  for (const std::string& name : absl::GetFlag(FLAGS_roles)) {
    std::optional<Role> role = ParseRole(name);
    if (!role) {
      return absl::InvalidArgumentError(absl::StrCat("--roles: unknown role '", name, "' (known: ", KnownRoles(), ")"));
    }
    claims.roles.insert(*role);
  }
  for (const std::string& hub : absl::GetFlag(FLAGS_hubs)) {
    if (hub.empty()) return absl::InvalidArgumentError("--hubs: empty hub id");
    claims.hub_ids.insert(hub);
  }
  if (!claims.hub_ids.empty() && claims.roles.count(Role::kHubLead) == 0) {
    return absl::InvalidArgumentError("--hubs only means something with --roles=hub_lead");
  }
  claims.ttl = absl::GetFlag(FLAGS_ttl);
  if (claims.ttl <= absl::ZeroDuration() || claims.ttl == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError("--ttl must be a positive, finite duration such as 24h");
  }
  claims.issuer = absl::GetFlag(FLAGS_issuer);
  claims.audience = absl::GetFlag(FLAGS_audience);
  if (claims.issuer.empty() || claims.audience.empty()) {
    return absl::InvalidArgumentError("--issuer and --audience must not be empty");
  }
  claims.issued_at = SystemClock::Get().Now();
  return claims;
}

int Run() {
  absl::StatusOr<TokenClaims> claims = ClaimsFromFlags();
  if (!claims.ok()) {
    std::cerr << "etnik-token: " << claims.status().message() << "\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_secret_file).empty()) {
    std::cerr << "etnik-token: --secret_file is required\n";
    return 2;
  }
  absl::StatusOr<std::string> secret = ReadSecretFile(absl::GetFlag(FLAGS_secret_file));
  if (!secret.ok()) {
    std::cerr << "etnik-token: " << secret.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<std::string> token = MintHs256Token(*secret, *claims);
  if (!token.ok()) {
    std::cerr << "etnik-token: " << token.status().message() << "\n";
    return 1;
  }
  std::cout << *token << "\n";
  return 0;
}

}  // namespace
}  // namespace etnik::auth

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Mints a development bearer token.\n"
      "  etnik-token --secret_file=PATH --sub=ID [--roles=organiser,hub_lead] [--hubs=h1,h2] [--ttl=24h]");
  std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  if (rest.size() > 1) {
    std::cerr << "etnik-token: unexpected argument '" << rest[1] << "' (flags are --name=value)\n";
    return 2;
  }
  return etnik::auth::Run();
}
