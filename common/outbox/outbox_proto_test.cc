#include "common/outbox/outbox_proto.h"

#include "gtest/gtest.h"

namespace etnik::outbox {
namespace {

using etnik::events::v1::DomainEvent;

DomainEvent SessionBooked() {
  DomainEvent e;
  e.set_event_id("ev-1");
  e.set_type("etnik.events.v1.SessionBooked");
  e.set_producer("scheduling");
  e.set_aggregate_id("events/1/sessions/2");
  e.mutable_occur_time()->set_seconds(1617235200);
  e.mutable_occur_time()->set_nanos(5000);
  e.mutable_session_booked();
  return e;
}

TEST(OutboxProtoTest, FromDomainEventCarriesEnvelope) {
  DomainEvent e = SessionBooked();
  OutboxMessage m = FromDomainEvent(e, "etnik:events:scheduling");
  EXPECT_EQ(m.event_id, "ev-1");
  EXPECT_EQ(m.stream, "etnik:events:scheduling");
  EXPECT_EQ(m.type, "etnik.events.v1.SessionBooked");
  EXPECT_EQ(m.created, absl::FromUnixSeconds(1617235200) + absl::Microseconds(5));
  DomainEvent back;
  ASSERT_TRUE(back.ParseFromString(m.payload));
  EXPECT_EQ(back.SerializeAsString(), e.SerializeAsString());
}

TEST(OutboxProtoTest, UnsetOccurTimeLeavesCreatedForEnqueue) {
  DomainEvent e = SessionBooked();
  e.clear_occur_time();
  EXPECT_EQ(FromDomainEvent(e, "s").created, absl::InfinitePast());
}

TEST(OutboxProtoTest, ToDomainEventParsesAndChecksTheId) {
  DomainEvent e = SessionBooked();
  StreamEvent ev{"s", "1-0", "ev-1", e.type(), e.SerializeAsString(), 1};
  absl::StatusOr<DomainEvent> parsed = ToDomainEvent(ev);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->has_session_booked());
  EXPECT_EQ(parsed->aggregate_id(), "events/1/sessions/2");

  ev.event_id = "other";
  EXPECT_EQ(ToDomainEvent(ev).status().code(), absl::StatusCode::kInvalidArgument);
  ev.event_id = "ev-1";
  ev.payload = "\xff\xff\xff";
  EXPECT_EQ(ToDomainEvent(ev).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace etnik::outbox
