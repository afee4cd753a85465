#ifndef ETNIK_SERVICES_SCHEDULING_DOMAIN_ACTOR_H_
#define ETNIK_SERVICES_SCHEDULING_DOMAIN_ACTOR_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace etnik::scheduling {

// Who asks, as the use cases need it. The API builds it from the verified token.
struct Actor {
  bool anonymous = true;
  std::string subject;
  std::string name;
  std::string email;
  bool organiser = false;
  bool service = false;
  bool hub_lead = false;
  bool expert = false;
  bool participant = false;
  // True when the caller may manage the hub with this id (organisers: every hub).
  std::function<bool(absl::string_view hub_id)> manages_hub;
  std::string request_id;  // the call's request id, for tracing facts

  bool staff() const { return organiser || service; }
  // True for organisers and services, and for leads of `hub` (a hubs/{hub} name).
  bool CanManageHub(absl::string_view hub) const;
};

// UNAUTHENTICATED for an anonymous caller, PERMISSION_DENIED (reason PERMISSION_DENIED) otherwise.
absl::Status Denied(const Actor& actor, absl::string_view what);

}  // namespace etnik::scheduling

#endif  // ETNIK_SERVICES_SCHEDULING_DOMAIN_ACTOR_H_
