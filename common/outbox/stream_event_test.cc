#include "common/outbox/stream_event.h"

#include <string>

#include "gtest/gtest.h"

namespace etnik::outbox {
namespace {

using redis::Reply;

Reply Entry(const std::string& id, std::vector<std::string> kv) {
  std::vector<Reply> fields;
  for (auto& s : kv) fields.push_back(Reply::String(std::move(s)));
  return Reply::Array({Reply::String(id), Reply::Array(std::move(fields))});
}

TEST(StreamEventTest, ParsesEntriesAndKeepsBinaryValues) {
  const std::string payload("a\0b\xff", 4);
  Reply entries = Reply::Array({Entry("1-0", {"event_id", "e1", "type", "t", "payload", payload}),
                                Reply::Array({Reply::String("2-0"), Reply::Nil()})});
  absl::StatusOr<std::vector<StreamEntry>> parsed = ParseEntries(entries);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].id, "1-0");
  EXPECT_FALSE((*parsed)[0].deleted);
  EXPECT_TRUE((*parsed)[1].deleted);

  absl::StatusOr<StreamEvent> event = ToStreamEvent("s", (*parsed)[0]);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->stream, "s");
  EXPECT_EQ(event->entry_id, "1-0");
  EXPECT_EQ(event->event_id, "e1");
  EXPECT_EQ(event->type, "t");
  EXPECT_EQ(event->payload, payload);
  EXPECT_EQ(event->payload.size(), 4u);

  EXPECT_EQ(ToStreamEvent("s", (*parsed)[1]).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(StreamEventTest, NilIsNoEntries) {
  absl::StatusOr<std::vector<StreamEntry>> parsed = ParseEntries(Reply::Nil());
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->empty());
}

TEST(StreamEventTest, RejectsEntryWithoutEventId) {
  absl::StatusOr<std::vector<StreamEntry>> parsed =
      ParseEntries(Reply::Array({Entry("1-0", {"type", "t"}), Entry("2-0", {"event_id", ""})}));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(ToStreamEvent("s", (*parsed)[0]).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ToStreamEvent("s", (*parsed)[1]).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(StreamEventTest, RejectsMalformedReplies) {
  EXPECT_FALSE(ParseEntries(Reply::Integer(1)).ok());
  EXPECT_FALSE(ParseEntries(Reply::Array({Reply::String("1-0")})).ok());
  EXPECT_FALSE(ParseEntries(Reply::Array({Entry("1-0", {"odd"})})).ok());
}

}  // namespace
}  // namespace etnik::outbox
