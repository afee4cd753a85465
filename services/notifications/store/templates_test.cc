// Templates and reminder settings on both engines: seeding keeps edits, etags guard updates.

#include "services/notifications/store/templates.h"

#include "common/db/db_test_fixture.h"
#include "common/db/migrations.h"
#include "gtest/gtest.h"
#include "services/notifications/store/preferences.h"
#include "services/notifications/store/reminder_settings.h"
#include "services/notifications/store/schema.h"

namespace etnik::notifications::store {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

class TemplatesTest : public db::DbContractTest {
 protected:
  void SetUp() override {
    db::DbContractTest::SetUp();
    ASSERT_TRUE(db::ApplyMigrations(*db_, NotificationsMigrations()).ok());
  }
};

v1::Template Make(const std::string& id, int channel, const std::string& body) {
  v1::Template t;
  t.set_name("templates/" + id);
  t.set_event_type("etnik.events.v1.SessionBooked");
  t.set_channel(static_cast<etnik::common::v1::Channel>(channel));
  t.set_language(etnik::common::v1::LANGUAGE_RU);
  t.set_subject("Тема");
  t.set_body(body);
  return t;
}

TEST_P(TemplatesTest, SeedKeepsEditsAndUpdateChecksTheEtag) {
  std::vector<v1::Template> defaults = {Make("a-email-ru", 1, "раз"), Make("a-telegram-ru", 3, "два")};
  EXPECT_EQ(*SeedTemplates(*db_, defaults, kNow), 2);
  TemplateStore store(*db_);
  v1::Template edited = *store.Get("a-email-ru");
  EXPECT_EQ(edited.etag(), "1");
  edited.set_body("изменено");
  absl::StatusOr<v1::Template> saved = store.Update(edited, kNow);
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->etag(), "2");
  EXPECT_EQ(store.Update(edited, kNow).status().code(), absl::StatusCode::kAborted);  // stale etag
  EXPECT_EQ(*SeedTemplates(*db_, defaults, kNow), 0);
  EXPECT_EQ(store.Get("a-email-ru")->body(), "изменено");
  EXPECT_EQ(store.Get("nope").status().code(), absl::StatusCode::kNotFound);

  TemplateFilter f;
  f.channel = 3;
  std::string next;
  absl::StatusOr<std::vector<v1::Template>> list = store.List(f, 10, "", &next);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name(), "templates/a-telegram-ru");
  list = store.List({}, 1, "", &next);
  EXPECT_EQ(next, "a-email-ru");
  list = store.List({}, 1, next, &next);
  EXPECT_EQ((*list)[0].name(), "templates/a-telegram-ru");
  EXPECT_TRUE(next.empty());
}

TEST_P(TemplatesTest, ReminderSettingsDefaultThenStored) {
  ReminderSettingsStore store(*db_);
  ReminderConfig c = *store.Get("programmes/p");
  EXPECT_EQ(c.offsets, (std::vector<absl::Duration>{absl::Hours(24), absl::Hours(1)}));
  EXPECT_EQ(c.version, 0);
  c.offsets = {absl::Hours(2)};
  c.remind_hosts = false;
  absl::StatusOr<ReminderConfig> saved = store.Update("programmes/p", c, "", kNow);
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->offsets, std::vector<absl::Duration>{absl::Hours(2)});
  EXPECT_FALSE(saved->remind_hosts);
  EXPECT_EQ(store.Update("programmes/p", c, "7", kNow).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(store.Update("programmes/p", c, "1", kNow)->version, 2);
}

TEST_P(TemplatesTest, PreferencesUpsertUnsubscribeAndList) {
  PreferenceStore store(*db_);
  v1::Preference p;
  p.set_recipient("subj-anna");
  p.set_email("Anna@Example.org");
  v1::ChannelConsent* c = p.add_channels();
  c->set_channel(etnik::common::v1::CHANNEL_TELEGRAM);
  c->set_enabled(true);
  c->set_address("12345");
  EXPECT_EQ(store.Upsert(p, false, kNow).status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<v1::Preference> made = store.Upsert(p, true, kNow);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->email(), "anna@example.org");
  ASSERT_EQ(made->channels_size(), 1);
  EXPECT_EQ(made->channels(0).address(), "12345");
  EXPECT_EQ(made->etag(), "1");
  v1::Preference stale = *made;
  absl::StatusOr<v1::Preference> off = store.Unsubscribe("subj-anna", kNow);
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_TRUE(off->unsubscribed());
  EXPECT_EQ(off->name(), made->name());
  EXPECT_EQ(store.Upsert(stale, false, kNow).status().code(), absl::StatusCode::kAborted);
  // Someone known only by e-mail gets a preference on unsubscribing.
  ASSERT_TRUE(store.Unsubscribe("mailto:bob@example.org", kNow).ok());
  std::string next;
  absl::StatusOr<std::vector<v1::Preference>> list = store.List("bob@example.org", "", 10, "", &next);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE((*list)[0].unsubscribed());
  EXPECT_EQ(store.List("", "", 1, "", &next)->size(), 1u);
  EXPECT_FALSE(next.empty());
}

TEST_P(TemplatesTest, AllowMissingCreatesUnderTheNameAskedForOncePerRecipient) {
  PreferenceStore store(*db_);
  v1::Preference p;
  p.set_name("preferences/participant-7");
  p.set_recipient("participant-7");
  p.set_language(etnik::common::v1::LANGUAGE_EN);
  absl::StatusOr<v1::Preference> made = store.Upsert(p, true, kNow);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->name(), "preferences/participant-7");
  // The same call again updates it (no second row, no constraint error).
  absl::StatusOr<v1::Preference> again = store.Upsert(p, true, kNow);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->etag(), "2");
  // Another name for the same recipient is a clear conflict naming the existing one.
  p.set_name("preferences/other");
  absl::Status dup = store.Upsert(p, true, kNow).status();
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists) << dup;
  EXPECT_EQ(dup.message(), "the recipient already has a preference");
}

ETNIK_INSTANTIATE_DB_CONTRACT(TemplatesTest);

}  // namespace
}  // namespace etnik::notifications::store
