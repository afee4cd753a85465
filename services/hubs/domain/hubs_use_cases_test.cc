// The use cases on the in-memory store: rules, events, idempotency, etags, cache invalidation.

#include "services/hubs/domain/hubs_use_cases.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/clock/clock.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/hubs/domain/errors.h"
#include "services/hubs/domain/in_memory_store.h"

namespace etnik::hubs {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const CallContext kOrganiser{"organiser-1", "trace-1"};
const std::string kProgramme = "programmes/etnik-2021";

// Remembers what it was told to invalidate; caches nothing.
class RecordingCache final : public CatalogueCache {
 public:
  absl::StatusOr<std::string> GetOrLoad(const std::string& key, const Loader& loader) override { return loader(); }
  void Invalidate(const std::vector<std::string>& keys) override {
    invalidated.insert(invalidated.end(), keys.begin(), keys.end());
  }
  std::vector<std::string> invalidated;
};

std::string Reason(const absl::Status& status) {
  std::optional<ErrorInfo> info = GetErrorInfo(status);
  return info ? info->reason : "";
}

std::vector<std::string> ViolationFields(const absl::Status& status) {
  std::vector<std::string> out;
  for (const FieldViolation& v : GetFieldViolations(status)) out.push_back(v.field);
  return out;
}

Hub NewHub(const std::string& title, const std::string& theme = "media") {
  Hub hub;
  hub.programme = kProgramme;
  hub.title = {title, ""};
  hub.theme = theme;
  hub.theme_title = {"Информационные и медиа-проекты", "Information and media projects"};
  hub.contact.email = "hub@etnik.example.org";
  return hub;
}

Expert NewExpert(const std::string& name, const std::string& email = "") {
  Expert e;
  e.full_name = {name, ""};
  e.time_zone = "Europe/Moscow";
  e.contact.email = email;
  e.topics = {"медиа"};
  e.weekly_availability = {{2, {10, 0}, {17, 0}}};
  return e;
}

class HubsUseCasesTest : public ::testing::Test {
 protected:
  Hub MakeHub(const std::string& id, const std::string& title = "Медиа-хаб") {
    absl::StatusOr<Hub> hub = use_cases_.CreateHub(kOrganiser, NewHub(title), id, "");
    EXPECT_TRUE(hub.ok()) << hub.status();
    return hub.ok() ? *hub : Hub{};
  }
  std::string MakeExpert(const std::string& id) {
    absl::StatusOr<Expert> e = use_cases_.CreateExpert(kOrganiser, NewExpert("Эксперт " + id), id, "");
    EXPECT_TRUE(e.ok()) << e.status();
    return id;
  }
  void AddExperts(const std::string& hub_id, int n) {
    for (int i = 0; i < n; ++i) {
      std::string id = MakeExpert(absl::StrCat(hub_id, "-e", i));
      ASSERT_TRUE(use_cases_.AddExpert(kOrganiser, hub_id, id, "").ok());
    }
  }

  FakeClock clock_{absl::FromUnixSeconds(1617700000)};
  InMemoryHubsStore store_;
  RecordingCache cache_;
  HubsUseCases use_cases_{store_, cache_, clock_};
};

TEST_F(HubsUseCasesTest, CreatesADraftHub) {
  Hub hub = MakeHub("media");
  EXPECT_EQ(hub.id, "media");
  EXPECT_EQ(hub.state, HubState::kDraft);
  EXPECT_EQ(hub.version, 1);
  EXPECT_EQ(hub.create_time, clock_.Now());
  absl::StatusOr<Hub> read = use_cases_.GetHub("media");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->title.ru, "Медиа-хаб");
}

TEST_F(HubsUseCasesTest, ServerPicksAnIdWhenNoneGiven) {
  absl::StatusOr<Hub> hub = use_cases_.CreateHub(kOrganiser, NewHub("Хаб"), "", "");
  ASSERT_TRUE(hub.ok());
  EXPECT_EQ(hub->id.size(), 20u);
}

TEST_F(HubsUseCasesTest, BadHubGetsEveryFieldViolation) {
  Hub bad = NewHub("");
  bad.programme = "etnik";
  bad.contact.email = "hub at example";
  absl::StatusOr<Hub> hub = use_cases_.CreateHub(kOrganiser, bad, "Bad Id", "");
  ASSERT_EQ(hub.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(hub.status()),
              UnorderedElementsAre("hub.title.ru", "hub.programme", "hub.contact.email", "hub_id"));
}

TEST_F(HubsUseCasesTest, TakenHubIdIsAlreadyExists) {
  MakeHub("media");
  absl::StatusOr<Hub> again = use_cases_.CreateHub(kOrganiser, NewHub("Другой"), "media", "");
  ASSERT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(ViolationFields(again.status()), ElementsAre("hub_id"));
}

TEST_F(HubsUseCasesTest, CreateWithRequestIdIsIdempotent) {
  absl::StatusOr<Hub> first = use_cases_.CreateHub(kOrganiser, NewHub("Хаб"), "", "req-1");
  ASSERT_TRUE(first.ok());
  clock_.Advance(absl::Seconds(5));
  absl::StatusOr<Hub> retry = use_cases_.CreateHub(kOrganiser, NewHub("Хаб"), "", "req-1");
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->id, first->id);
  EXPECT_EQ(store_.state().hubs.size(), 1u);
  absl::StatusOr<Hub> other = use_cases_.CreateHub(kOrganiser, NewHub("Не тот"), "", "req-1");
  ASSERT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Reason(other.status()), kReasonRequestIdReused);
}

TEST_F(HubsUseCasesTest, BadExpertInput) {
  Expert e = NewExpert("");
  e.time_zone = "Europe/Smolensk";
  absl::StatusOr<Expert> created = use_cases_.CreateExpert(kOrganiser, e, "", "");
  ASSERT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(created.status()), UnorderedElementsAre("expert.full_name.ru", "expert.time_zone"));
  EXPECT_THAT(store_.state().experts, IsEmpty());
}

TEST_F(HubsUseCasesTest, DuplicateExpertEmailIsAlreadyExists) {
  ASSERT_TRUE(use_cases_.CreateExpert(kOrganiser, NewExpert("Анна", "anna@example.org"), "anna", "").ok());
  absl::StatusOr<Expert> twin =
      use_cases_.CreateExpert(kOrganiser, NewExpert("Анна П.", "Anna@Example.ORG"), "anna2", "");
  ASSERT_EQ(twin.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Reason(twin.status()), kReasonDuplicateExpert);
  EXPECT_THAT(ViolationFields(twin.status()), ElementsAre("expert.contact.email"));
  EXPECT_EQ(GetErrorInfo(twin.status())->metadata.at("expert"), "experts/anna");
}

TEST_F(HubsUseCasesTest, HubHoldsAtMostFiveExperts) {
  MakeHub("crafts");
  AddExperts("crafts", 5);
  std::string sixth = MakeExpert("sixth");
  size_t events = store_.events().size();
  absl::StatusOr<Membership> m = use_cases_.AddExpert(kOrganiser, "crafts", sixth, "");
  ASSERT_EQ(m.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(m.status()), kReasonTooManyExperts);
  EXPECT_EQ(GetErrorInfo(m.status())->metadata.at("max_experts"), "5");
  EXPECT_EQ(use_cases_.GetHub("crafts")->expert_count, 5);
  EXPECT_EQ(store_.events().size(), events) << "a refused change leaves no event";
}

TEST_F(HubsUseCasesTest, SameExpertTwiceIsAlreadyExists) {
  MakeHub("crafts");
  std::string id = MakeExpert("ivan");
  ASSERT_TRUE(use_cases_.AddExpert(kOrganiser, "crafts", id, "").ok());
  absl::StatusOr<Membership> again = use_cases_.AddExpert(kOrganiser, "crafts", id, "");
  ASSERT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Reason(again.status()), kReasonExpertAlreadyInHub);
  EXPECT_THAT(ViolationFields(again.status()), ElementsAre("expert"));
}

TEST_F(HubsUseCasesTest, AddExpertWithRequestIdIsIdempotent) {
  MakeHub("crafts");
  std::string id = MakeExpert("ivan");
  absl::StatusOr<Membership> first = use_cases_.AddExpert(kOrganiser, "crafts", id, "add-1");
  ASSERT_TRUE(first.ok());
  absl::StatusOr<Membership> retry = use_cases_.AddExpert(kOrganiser, "crafts", id, "add-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->create_time, first->create_time);
  EXPECT_EQ(use_cases_.GetHub("crafts")->expert_count, 1);
}

TEST_F(HubsUseCasesTest, PublishNeedsThreeExperts) {
  MakeHub("migrants");
  AddExperts("migrants", 2);
  absl::StatusOr<Hub> hub = use_cases_.PublishHub(kOrganiser, "migrants", "", "");
  ASSERT_EQ(hub.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(hub.status()), kReasonTooFewExperts);
  EXPECT_EQ(GetErrorInfo(hub.status())->metadata.at("expert_count"), "2");
  EXPECT_EQ(use_cases_.GetHub("migrants")->state, HubState::kDraft);
}

TEST_F(HubsUseCasesTest, PublishEmitsTheHubWithItsExpertsAndLeads) {
  MakeHub("migrants");
  AddExperts("migrants", 3);
  HubLead lead;
  lead.subject = "lead-1";
  lead.full_name = "Ольга Смирнова";
  lead.time_zone = "Europe/Moscow";
  ASSERT_TRUE(use_cases_.AddHubLead(kOrganiser, "migrants", lead, "").ok());
  cache_.invalidated.clear();
  absl::StatusOr<Hub> hub = use_cases_.PublishHub(kOrganiser, "migrants", "", "");
  ASSERT_TRUE(hub.ok()) << hub.status();
  EXPECT_EQ(hub->state, HubState::kPublished);
  EXPECT_EQ(hub->publish_time, clock_.Now());
  const DomainEvent event = store_.events().back();
  ASSERT_TRUE(std::holds_alternative<HubPublishedEvent>(event.payload));
  const auto& published = std::get<HubPublishedEvent>(event.payload);
  EXPECT_THAT(published.expert_ids, ElementsAre("migrants-e0", "migrants-e1", "migrants-e2"));
  ASSERT_EQ(published.leads.size(), 1u);
  EXPECT_EQ(published.leads[0].subject, "lead-1");
  EXPECT_EQ(event.aggregate, "hubs/migrants");
  EXPECT_EQ(event.aggregate_version, hub->version);
  EXPECT_EQ(event.actor, "organiser-1");
  EXPECT_EQ(event.request_id, "trace-1");
  EXPECT_THAT(cache_.invalidated, UnorderedElementsAre("hub:migrants", "programme:programmes/etnik-2021",
                                                       "programme:-"));
  // Published twice: the hub is no longer a draft.
  absl::StatusOr<Hub> again = use_cases_.PublishHub(kOrganiser, "migrants", "", "");
  EXPECT_EQ(Reason(again.status()), kReasonWrongHubState);
}

TEST_F(HubsUseCasesTest, PublishedHubKeepsThreeExperts) {
  MakeHub("training");
  AddExperts("training", 4);
  ASSERT_TRUE(use_cases_.PublishHub(kOrganiser, "training", "", "").ok());
  ASSERT_TRUE(use_cases_.RemoveExpert(kOrganiser, "training", "training-e3", "").ok());
  const DomainEvent removed = store_.events().back();
  ASSERT_TRUE(std::holds_alternative<ExpertRemovedEvent>(removed.payload));
  EXPECT_THAT(std::get<ExpertRemovedEvent>(removed.payload).expert.hubs, IsEmpty());
  absl::Status status = use_cases_.RemoveExpert(kOrganiser, "training", "training-e2", "");
  ASSERT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(status), kReasonTooFewExperts);
  EXPECT_EQ(use_cases_.GetHub("training")->expert_count, 3);
}

TEST_F(HubsUseCasesTest, ExpertAddedEventCarriesTheSnapshot) {
  MakeHub("media");
  std::string id = MakeExpert("anna");
  ASSERT_TRUE(use_cases_.AddExpert(kOrganiser, "media", id, "").ok());
  const DomainEvent event = store_.events().back();
  ASSERT_TRUE(std::holds_alternative<ExpertAddedEvent>(event.payload));
  const Expert& snapshot = std::get<ExpertAddedEvent>(event.payload).expert;
  EXPECT_EQ(snapshot.time_zone, "Europe/Moscow");
  EXPECT_THAT(snapshot.hubs, ElementsAre("media"));
  EXPECT_EQ(snapshot.weekly_availability.size(), 1u);
}

TEST_F(HubsUseCasesTest, ClosedHubTakesNoMembers) {
  MakeHub("media");
  AddExperts("media", 3);
  ASSERT_TRUE(use_cases_.CloseHub(kOrganiser, "media", "", "").ok());
  absl::StatusOr<Membership> m = use_cases_.AddExpert(kOrganiser, "media", MakeExpert("late"), "");
  EXPECT_EQ(Reason(m.status()), kReasonWrongHubState);
  EXPECT_TRUE(std::holds_alternative<HubClosedEvent>(store_.events().back().payload));
}

TEST_F(HubsUseCasesTest, StaleEtagIsAborted) {
  Hub hub = MakeHub("media");
  const std::string etag = EtagOf(hub.version, hub.create_time);
  Hub changes;
  changes.id = "media";
  changes.title.en = "Media hub";
  absl::StatusOr<Hub> updated = use_cases_.UpdateHub(kOrganiser, changes, {"title.en"}, etag);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->title.ru, "Медиа-хаб");
  EXPECT_EQ(updated->title.en, "Media hub");
  EXPECT_EQ(updated->version, 2);
  absl::StatusOr<Hub> stale = use_cases_.UpdateHub(kOrganiser, changes, {"title.en"}, etag);
  ASSERT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Reason(stale.status()), kReasonEtagMismatch);
}

TEST_F(HubsUseCasesTest, UpdateMaskRefusesUnknownAndImmutableFields) {
  MakeHub("media");
  Hub changes;
  changes.id = "media";
  for (const char* path : {"programme", "state", "colour"}) {
    absl::StatusOr<Hub> updated = use_cases_.UpdateHub(kOrganiser, changes, {path}, "");
    ASSERT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_THAT(ViolationFields(updated.status()), ElementsAre("update_mask"));
  }
}

TEST_F(HubsUseCasesTest, EmptyMaskReplacesWritableFieldsAndValidates) {
  MakeHub("media");
  Hub changes = NewHub("");
  changes.id = "media";
  absl::StatusOr<Hub> updated = use_cases_.UpdateHub(kOrganiser, changes, {}, "");
  ASSERT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(updated.status()), ElementsAre("hub.title.ru"));
}

TEST_F(HubsUseCasesTest, AvailabilityChangeIsAnnouncedAndInvalidatesTheExpertsHubs) {
  MakeHub("media");
  AddExperts("media", 1);
  size_t events = store_.events().size();
  Expert changes;
  changes.id = "media-e0";
  changes.city = "Смоленск";
  ASSERT_TRUE(use_cases_.UpdateExpert(kOrganiser, changes, {"city"}, "", nullptr).ok());
  EXPECT_EQ(store_.events().size(), events) << "a city is not part of the snapshot";
  cache_.invalidated.clear();
  changes.weekly_availability = {{3, {9, 0}, {13, 0}}};
  absl::StatusOr<Expert> updated = use_cases_.UpdateExpert(kOrganiser, changes, {"weekly_availability"}, "", nullptr);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->city, "Смоленск");
  const DomainEvent event = store_.events().back();
  ASSERT_TRUE(std::holds_alternative<ExpertChangedEvent>(event.payload));
  EXPECT_EQ(std::get<ExpertChangedEvent>(event.payload).expert.weekly_availability[0].day_of_week, 3);
  EXPECT_EQ(event.aggregate, "experts/media-e0");
  EXPECT_THAT(cache_.invalidated, UnorderedElementsAre("hub:media", "programme:programmes/etnik-2021",
                                                       "programme:-"));
}

TEST_F(HubsUseCasesTest, GuardSeesTheCurrentExpert) {
  MakeHub("media");
  AddExperts("media", 1);
  Expert changes;
  changes.id = "media-e0";
  changes.city = "Тверь";
  absl::StatusOr<Expert> denied = use_cases_.UpdateExpert(
      kOrganiser, changes, {"city"}, "", [](const Expert& current) {
        return current.hubs == std::vector<std::string>{"other"} ? absl::OkStatus()
                                                                 : absl::PermissionDeniedError("not yours");
      });
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(use_cases_.GetExpert("media-e0")->city, "");
}

TEST_F(HubsUseCasesTest, ExpertInAHubCannotBeDeleted) {
  MakeHub("media");
  AddExperts("media", 1);
  absl::Status status = use_cases_.DeleteExpert(kOrganiser, "media-e0", "");
  EXPECT_EQ(Reason(status), kReasonExpertHasHubs);
  ASSERT_TRUE(use_cases_.RemoveExpert(kOrganiser, "media", "media-e0", "").ok());
  EXPECT_TRUE(use_cases_.DeleteExpert(kOrganiser, "media-e0", "").ok());
  EXPECT_EQ(use_cases_.GetExpert("media-e0").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(HubsUseCasesTest, OnlyConfirmedParticipantsOfTheProgrammeAreAssigned) {
  Hub hub = MakeHub("media");
  const std::string p1 = kProgramme + "/participants/nko-1";
  absl::StatusOr<Assignment> refused = use_cases_.AssignParticipant(kOrganiser, "media", p1, "");
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(refused.status()), kReasonParticipantNotConfirmed);

  ASSERT_TRUE(use_cases_.RecordParticipantConfirmed({p1, kProgramme, "АНО «Диалог»", clock_.Now()}).ok());
  const std::string other = "programmes/etnik-2020/participants/nko-2";
  ASSERT_TRUE(use_cases_.RecordParticipantConfirmed({other, "programmes/etnik-2020", "НКО", clock_.Now()}).ok());
  EXPECT_EQ(Reason(use_cases_.AssignParticipant(kOrganiser, "media", other, "").status()),
            kReasonParticipantNotConfirmed);

  absl::StatusOr<Assignment> assigned = use_cases_.AssignParticipant(kOrganiser, "media", p1, "");
  ASSERT_TRUE(assigned.ok()) << assigned.status();
  EXPECT_EQ(assigned->participant_id, "nko-1");
  EXPECT_EQ(assigned->organisation_name, "АНО «Диалог»");
  EXPECT_EQ(use_cases_.GetHub("media")->participant_count, 1);
  ASSERT_TRUE(std::holds_alternative<ParticipantAssignedEvent>(store_.events().back().payload));
  EXPECT_EQ(use_cases_.AssignParticipant(kOrganiser, "media", p1, "").status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(HubsUseCasesTest, ParticipantCapacityIsKept) {
  Hub hub = NewHub("Медиа");
  hub.participant_capacity = 1;
  ASSERT_TRUE(use_cases_.CreateHub(kOrganiser, hub, "media", "").ok());
  for (int i = 1; i <= 2; ++i) {
    std::string p = absl::StrCat(kProgramme, "/participants/nko-", i);
    ASSERT_TRUE(use_cases_.RecordParticipantConfirmed({p, kProgramme, "НКО", clock_.Now()}).ok());
  }
  ASSERT_TRUE(use_cases_.AssignParticipant(kOrganiser, "media", kProgramme + "/participants/nko-1", "").ok());
  absl::StatusOr<Assignment> full =
      use_cases_.AssignParticipant(kOrganiser, "media", kProgramme + "/participants/nko-2", "");
  EXPECT_EQ(Reason(full.status()), kReasonHubFull);
  ASSERT_TRUE(use_cases_.UnassignParticipant(kOrganiser, "media", "nko-1", "").ok());
  EXPECT_TRUE(use_cases_.AssignParticipant(kOrganiser, "media", kProgramme + "/participants/nko-2", "").ok());
}

TEST_F(HubsUseCasesTest, ListsPageByTitleAndRefuseTokensOfOtherFilters) {
  const char* titles[] = {"Ярмарка", "Анимация", "Журналистика", "Гончарное дело", "Вышивка", "Бисер", "Дизайн"};
  for (int i = 0; i < 7; ++i) MakeHub(absl::StrCat("hub", i), titles[i]);
  std::vector<std::string> seen;
  PageRequest page{3, ""};
  HubFilter filter;
  filter.programme = kProgramme;
  int pages = 0;
  do {
    absl::StatusOr<Page<Hub>> p = use_cases_.ListHubs(filter, page);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->total_size, 7);
    for (const Hub& h : p->items) seen.push_back(h.title.ru);
    page.page_token = p->next_page_token;
    ++pages;
  } while (!page.page_token.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(seen, ElementsAre("Анимация", "Бисер", "Вышивка", "Гончарное дело", "Дизайн", "Журналистика",
                                "Ярмарка"));
  absl::StatusOr<Page<Hub>> first = use_cases_.ListHubs(filter, {3, ""});
  filter.theme = "crafts";
  EXPECT_EQ(use_cases_.ListHubs(filter, {3, first->next_page_token}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(HubsUseCasesTest, CatalogueShowsOnlyPublishedHubsWithExperts) {
  MakeHub("media", "Медиа");
  AddExperts("media", 3);
  MakeHub("draft", "Черновик");
  ASSERT_TRUE(use_cases_.PublishHub(kOrganiser, "media", "", "").ok());
  absl::StatusOr<std::vector<CatalogueEntry>> catalogue = use_cases_.PublishedCatalogue(kProgramme);
  ASSERT_TRUE(catalogue.ok());
  ASSERT_EQ(catalogue->size(), 1u);
  EXPECT_EQ((*catalogue)[0].hub.id, "media");
  EXPECT_EQ((*catalogue)[0].experts.size(), 3u);
  EXPECT_EQ(use_cases_.PublishedHub("draft").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(use_cases_.PublishedHub("media").ok());
}

TEST_F(HubsUseCasesTest, ProgressCountsAgainstTargets) {
  for (int i = 0; i < 3; ++i) {
    std::string id = absl::StrCat("hub", i);
    MakeHub(id, id);
    AddExperts(id, 3);
  }
  ASSERT_TRUE(use_cases_.PublishHub(kOrganiser, "hub0", "", "").ok());
  ASSERT_TRUE(use_cases_.PublishHub(kOrganiser, "hub1", "", "").ok());
  ASSERT_TRUE(use_cases_
                  .RecordStageTargets(kProgramme + "/stages/training",
                                      {{kProgramme + "/stages/training", kProgramme, TargetMetric::kHubs, 10}})
                  .ok());
  absl::StatusOr<HubsProgress> progress = use_cases_.Progress(kProgramme);
  ASSERT_TRUE(progress.ok()) << progress.status();
  EXPECT_EQ(progress->published_hubs, 2);
  EXPECT_EQ(progress->draft_hubs, 1);
  EXPECT_EQ(progress->experts, 6);
  ASSERT_EQ(progress->targets.size(), 1u);
  EXPECT_EQ(progress->targets[0].target, 10);
  EXPECT_EQ(progress->targets[0].actual, 2);
}

TEST_F(HubsUseCasesTest, LeadsChangeIsAnnouncedWithTheWholeSet) {
  MakeHub("media");
  HubLead a;
  a.subject = "lead-a";
  a.full_name = "А";
  HubLead b = a;
  b.subject = "lead-b";
  ASSERT_TRUE(use_cases_.AddHubLead(kOrganiser, "media", a, "").ok());
  absl::StatusOr<HubLead> added = use_cases_.AddHubLead(kOrganiser, "media", b, "");
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(use_cases_.AddHubLead(kOrganiser, "media", b, "").status().code(), absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(use_cases_.RemoveHubLead(kOrganiser, "media", added->id, "").ok());
  const auto event = std::get<HubLeadsChangedEvent>(store_.events().back().payload);
  ASSERT_EQ(event.leads.size(), 1u);
  EXPECT_EQ(event.leads[0].subject, "lead-a");
  EXPECT_THAT(event.removed_subjects, ElementsAre("lead-b"));
}

TEST_F(HubsUseCasesTest, OnlyDraftsAreDeleted) {
  MakeHub("media");
  AddExperts("media", 3);
  ASSERT_TRUE(use_cases_.PublishHub(kOrganiser, "media", "", "").ok());
  EXPECT_EQ(Reason(use_cases_.DeleteHub(kOrganiser, "media", "")), kReasonWrongHubState);
  MakeHub("draft");
  AddExperts("draft", 1);
  ASSERT_TRUE(use_cases_.DeleteHub(kOrganiser, "draft", "").ok());
  EXPECT_EQ(use_cases_.GetHub("draft").status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(use_cases_.GetExpert("draft-e0")->hubs, IsEmpty());
}

}  // namespace
}  // namespace etnik::hubs
