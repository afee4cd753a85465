#include "services/registration/api/service_context.h"

#include "absl/strings/str_cat.h"
#include "common/ids/ids.h"
#include "common/outbox/outbox.h"
#include "common/outbox/outbox_proto.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/server_context.h"

namespace etnik::registration {

bool IsOrganiser(const auth::Identity& who) { return auth::HasRole(who, auth::Role::kOrganiser); }
bool IsReviewer(const auth::Identity& who) { return auth::HasRole(who, auth::Role::kReviewer); }

Language CallLanguage(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("accept-language");
  if (it == metadata.end()) return Language::kRussian;
  return LanguageFromTag(absl::string_view(it->second.data(), it->second.size()));
}

absl::Status EnqueueEvent(soci::session& s, const ServiceContext& ctx, const Caller& caller,
                          absl::string_view aggregate_id, etnik::events::v1::DomainEvent event) {
  event.set_event_id(NewId());
  const google::protobuf::OneofDescriptor* payload = event.GetDescriptor()->FindOneofByName("payload");
  const google::protobuf::FieldDescriptor* set =
      event.GetReflection()->GetOneofFieldDescriptor(event, payload);
  if (set == nullptr) return absl::InternalError("a domain event without a payload");
  event.set_type(set->message_type()->full_name());
  *event.mutable_occur_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(ctx.clock.Now()));
  event.set_producer(kProducer);
  event.set_aggregate_id(std::string(aggregate_id));
  event.set_request_id(caller.request_id);
  event.set_actor(caller.identity.subject);
  return outbox::Enqueue(s, outbox::FromDomainEvent(event, kRegistrationEventStream));
}

}  // namespace etnik::registration
