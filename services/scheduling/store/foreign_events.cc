#include "services/scheduling/store/foreign_events.h"

#include "absl/strings/str_cat.h"
#include "common/db/db_errors.h"
#include "common/log/log.h"
#include "common/outbox/outbox_proto.h"
#include "services/scheduling/domain/availability.h"
#include "services/scheduling/domain/read_models.h"
#include "services/scheduling/store/sql_query.h"
#include "services/scheduling/store/sql_tx.h"

namespace etnik::scheduling::store {
namespace {

namespace ev = etnik::events::v1;
namespace cpb = etnik::common::v1;

absl::Time TimeOf(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

LocalizedText TextOf(const cpb::LocalizedText& t) { return {t.ru(), t.en()}; }

Language LanguageOf(int value) {
  return value >= 0 && value <= 2 ? static_cast<Language>(value) : Language::kUnspecified;
}

PersonRef PersonOf(const ev::Person& p) {
  return {p.id(), p.full_name(), p.contact().email(), p.time_zone(), LanguageOf(p.language())};
}

LocalMinute MinuteOf(const cpb::TimeOfDay& t) { return t.hours() * 60 + t.minutes(); }

ExpertProfile ProfileOf(const ev::ExpertSnapshot& s) {
  ExpertProfile p;
  p.expert = s.expert();
  p.full_name = TextOf(s.full_name());
  p.subject = s.subject();
  p.email = s.contact().email();
  p.language = LanguageOf(s.language());
  p.time_zone = s.time_zone();
  for (const cpb::AvailabilityWindow& w : s.weekly_availability()) {
    // DAY_OF_WEEK_MONDAY = 1 .. SUNDAY = 7; absl::Weekday monday = 0 .. sunday = 6.
    if (w.day_of_week() < 1 || w.day_of_week() > 7) continue;
    p.weekly.push_back({static_cast<absl::Weekday>(w.day_of_week() - 1), MinuteOf(w.start()),
                        MinuteOf(w.end())});
  }
  for (const cpb::AvailabilityException& e : s.availability_exceptions()) {
    AvailabilityException x;
    x.date = absl::CivilDay(e.date().year(), e.date().month(), e.date().day());
    x.available = e.available();
    if (e.has_start() || e.has_end()) {
      x.start = MinuteOf(e.start());
      x.end = MinuteOf(e.end());
    }
    x.note = e.note();
    p.exceptions.push_back(std::move(x));
  }
  p.hubs = {s.hubs().begin(), s.hubs().end()};
  return p;
}

// A read-model update refused by the domain's validation: logged, then acknowledged.
absl::Status Skip(const ev::DomainEvent& event, const absl::Status& why) {
  log::Warning("skipped an event scheduling cannot use",
               {{"event_id", event.event_id()}, {"type", event.type()},
                {"error", std::string(why.message())}});
  return absl::OkStatus();
}

absl::Status ApplyExpert(SqlTx& tx, const ev::DomainEvent& event, const ev::ExpertSnapshot& snapshot) {
  ExpertProfile profile = ProfileOf(snapshot);
  if (absl::Status s = ValidateExpertProfile(profile); !s.ok()) return Skip(event, s);
  // The per-expert weekly limit is scheduling's own setting: keep it.
  absl::StatusOr<std::optional<ExpertProfile>> current = tx.GetExpert(profile.expert);
  if (!current.ok()) return current.status();
  if (current->has_value()) profile.weekly_session_limit = (*current)->weekly_session_limit;
  return tx.PutExpert(profile);
}

// Records `event` as the newest applied change of its aggregate; false when an event of the same
// or a later version was applied already (delivery out of order, or a replay). One statement, so
// two consumers racing on one aggregate cannot both win. Events without a version always apply.
absl::StatusOr<bool> ClaimVersion(soci::session& session, const ev::DomainEvent& event) {
  if (event.aggregate_id().empty() || event.aggregate_version() <= 0) return true;
  return db::CatchDbErrors([&]() -> absl::StatusOr<bool> {
    SqlQuery q;
    q << "INSERT INTO sched_applied_versions (aggregate, version) VALUES (";
    q.Bind(event.aggregate_id()) << ", ";
    q.Bind(static_cast<long long>(event.aggregate_version()))
        << ") ON CONFLICT (aggregate) DO UPDATE SET version = excluded.version"
           " WHERE sched_applied_versions.version < excluded.version";
    return q.Exec(session) > 0;
  });
}

bool IsReadModelEvent(const ev::DomainEvent& event) {
  switch (event.payload_case()) {
    case ev::DomainEvent::kProgrammeStageChanged:
    case ev::DomainEvent::kExpertAdded:
    case ev::DomainEvent::kExpertRemoved:
    case ev::DomainEvent::kExpertAvailabilityChanged:
    case ev::DomainEvent::kHubPublished:
    case ev::DomainEvent::kHubLeadChanged:
    case ev::DomainEvent::kHubClosed:
      return true;
    default:
      return false;
  }
}

absl::Status ApplyPayload(SqlTx& tx, const ev::DomainEvent& event) {
  switch (event.payload_case()) {
    case ev::DomainEvent::kProgrammeStageChanged: {
      const ev::ProgrammeStageChanged& m = event.programme_stage_changed();
      StageWindow stage;
      stage.stage = m.stage();
      stage.programme = m.programme();
      stage.kind = m.kind();
      stage.title = TextOf(m.title());
      stage.window = {TimeOf(m.window().start_time()), TimeOf(m.window().end_time())};
      stage.time_zone = m.time_zone();
      for (const cpb::Target& t : m.targets()) stage.targets.push_back({t.metric(), t.value()});
      stage.removed = m.removed();
      if (absl::Status s = ValidateStage(stage); !s.ok()) return Skip(event, s);
      return tx.PutStage(stage);
    }
    case ev::DomainEvent::kExpertAdded:
      return ApplyExpert(tx, event, event.expert_added().expert());
    case ev::DomainEvent::kExpertRemoved:
      return ApplyExpert(tx, event, event.expert_removed().expert());
    case ev::DomainEvent::kExpertAvailabilityChanged:
      return ApplyExpert(tx, event, event.expert_availability_changed().expert());
    case ev::DomainEvent::kHubPublished: {
      const ev::HubPublished& m = event.hub_published();
      HubInfo hub;
      hub.hub = m.hub();
      hub.programme = m.programme();
      hub.title = TextOf(m.title());
      for (const ev::Person& p : m.leads()) hub.leads.push_back(PersonOf(p));
      if (absl::Status s = ValidateHub(hub); !s.ok()) return Skip(event, s);
      return tx.PutHub(hub);
    }
    case ev::DomainEvent::kHubLeadChanged: {
      const ev::HubLeadChanged& m = event.hub_lead_changed();
      absl::StatusOr<std::optional<HubInfo>> current = tx.GetHub(m.hub());
      if (!current.ok()) return current.status();
      HubInfo hub = current->value_or(HubInfo{});
      hub.hub = m.hub();
      hub.programme = m.programme();
      hub.leads.clear();
      for (const ev::Person& p : m.leads()) hub.leads.push_back(PersonOf(p));
      if (absl::Status s = ValidateHub(hub); !s.ok()) return Skip(event, s);
      return tx.PutHub(hub);
    }
    case ev::DomainEvent::kHubClosed: {
      const ev::HubClosed& m = event.hub_closed();
      absl::StatusOr<std::optional<HubInfo>> current = tx.GetHub(m.hub());
      if (!current.ok()) return current.status();
      HubInfo hub = current->value_or(HubInfo{});
      hub.hub = m.hub();
      hub.programme = m.programme();
      hub.title = TextOf(m.title());
      hub.closed = true;
      if (absl::Status s = ValidateHub(hub); !s.ok()) return Skip(event, s);
      return tx.PutHub(hub);
    }
    default:
      return absl::OkStatus();  // not a fact scheduling keeps
  }
}

}  // namespace

absl::Status ApplyForeignEvent(soci::session& session, const Clock& clock,
                               const ev::DomainEvent& event) {
  if (!IsReadModelEvent(event)) return absl::OkStatus();
  // Events are snapshots of their aggregate: an older one must not undo a newer one.
  absl::StatusOr<bool> newest = ClaimVersion(session, event);
  if (!newest.ok()) return newest.status();
  if (!*newest) {
    log::Info("skipped an event older than the one applied",
              {{"event_id", event.event_id()}, {"aggregate", event.aggregate_id()},
               {"aggregate_version", absl::StrCat(event.aggregate_version())}});
    return absl::OkStatus();
  }
  SqlTx tx(session, clock);
  return ApplyPayload(tx, event);
}

outbox::EventHandler ForeignEventHandler(const Clock& clock) {
  return [&clock](soci::session& session, const outbox::StreamEvent& entry) -> absl::Status {
    absl::StatusOr<ev::DomainEvent> event = outbox::ToDomainEvent(entry);
    if (!event.ok()) return event.status();
    return ApplyForeignEvent(session, clock, *event);
  };
}

}  // namespace etnik::scheduling::store
