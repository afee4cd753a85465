#include "services/registration/selection/offer_flow.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/ids/ids.h"
#include "common/outbox/outbox.h"
#include "common/outbox/outbox_proto.h"
#include "google/protobuf/util/time_util.h"
#include "services/registration/selection/selection.h"
#include "services/registration/store/registration_store.h"
#include "services/registration/store/selection_store.h"

namespace etnik::registration {

namespace v1 = etnik::registration::v1;
namespace ev = etnik::events::v1;
using google::protobuf::util::TimeUtil;

namespace {

google::protobuf::Timestamp Ts(absl::Time t) { return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t)); }

std::string ProgrammeOf(const std::string& name) {
  const size_t slash = name.find('/', std::string("programmes/").size());
  return slash == std::string::npos ? name : name.substr(0, slash);
}

}  // namespace

absl::Status EmitEvent(soci::session& s, absl::Time now, const FlowActor& actor, absl::string_view aggregate_id,
                       ev::DomainEvent event) {
  event.set_event_id(NewId());
  const google::protobuf::OneofDescriptor* payload = event.GetDescriptor()->FindOneofByName("payload");
  const google::protobuf::FieldDescriptor* set = event.GetReflection()->GetOneofFieldDescriptor(event, payload);
  if (set == nullptr) return absl::InternalError("a domain event without a payload");
  event.set_type(set->message_type()->full_name());
  *event.mutable_occur_time() = Ts(now);
  event.set_producer("registration");
  event.set_aggregate_id(std::string(aggregate_id));
  event.set_request_id(actor.request_id);
  event.set_actor(actor.subject);
  return outbox::Enqueue(s, outbox::FromDomainEvent(event, kFlowEventStream));
}

ev::Person PersonOf(const v1::Application& a) {
  ev::Person p;
  p.set_id(a.applicant());
  p.set_full_name(a.contact_person().full_name());
  *p.mutable_contact() = a.contact_person().contact();
  p.set_time_zone(a.contact_person().time_zone());
  p.set_language(a.contact_person().language());
  return p;
}

Candidate CandidateOf(const v1::Application& a) {
  Candidate c;
  c.application = a.name();
  c.organisation_name = a.organisation().full_name();
  c.region = a.organisation().region();
  for (const v1::Answer& answer : a.answers()) {
    std::vector<std::string> values = AnswerValues(answer);
    auto& slot = c.answers[answer.question_id()];
    slot.insert(slot.end(), values.begin(), values.end());
  }
  c.score = a.score();
  c.review_count = a.review_count();
  c.submit_time = absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(a.submit_time()));
  return c;
}

absl::StatusOr<v1::Offer> MakeOffer(soci::session& s, const v1::Programme& programme, v1::Application& application,
                                    absl::Time now, bool from_waitlist, const FlowActor& actor) {
  absl::Duration reply = kDefaultOfferReplyDuration;
  if (programme.has_offer_reply_duration() && TimeUtil::DurationToMicroseconds(programme.offer_reply_duration()) > 0) {
    reply = absl::Microseconds(TimeUtil::DurationToMicroseconds(programme.offer_reply_duration()));
  }
  v1::Offer offer;
  offer.set_name(absl::StrCat(programme.name(), "/offers/", NewId()));
  offer.set_application(application.name());
  offer.set_state(v1::OFFER_STATE_OPEN);
  *offer.mutable_reply_deadline_time() = Ts(now + reply);
  offer.set_time_zone(programme.time_zone());
  *offer.mutable_create_time() = Ts(now);
  store::StampEtag(offer);
  if (absl::Status st = store::InsertOffer(s, offer, application.applicant()); !st.ok()) return st;
  application.set_state(v1::APPLICATION_STATE_SELECTED);
  application.set_offer(offer.name());
  *application.mutable_update_time() = Ts(now);
  if (absl::Status st = store::SaveApplication(s, application); !st.ok()) return st;
  ev::DomainEvent event;
  ev::OfferMade* made = event.mutable_offer_made();
  made->set_offer(offer.name());
  made->set_application(application.name());
  made->set_programme(programme.name());
  made->set_organisation_name(application.organisation().full_name());
  *made->mutable_contact_person() = PersonOf(application);
  *made->mutable_reply_deadline_time() = offer.reply_deadline_time();
  made->set_time_zone(programme.time_zone());
  made->set_from_waitlist(from_waitlist);
  if (absl::Status st = EmitEvent(s, now, actor, offer.name(), std::move(event)); !st.ok()) return st;
  return offer;
}

absl::StatusOr<std::optional<v1::Offer>> Refill(soci::session& s, const v1::Programme& programme, absl::Time now,
                                                const FlowActor& actor) {
  absl::StatusOr<std::vector<v1::SelectionRun>> runs = store::ListSelectionRuns(s, programme.name(), 0, 1);
  if (!runs.ok()) return runs.status();
  if (runs->empty()) return std::optional<v1::Offer>();
  const v1::SelectionRun& run = runs->front();
  const int seats = run.seats() > 0 ? run.seats() : programme.seats();

  store::ApplicationFilter holding_filter;
  holding_filter.programme = programme.name();
  holding_filter.states = {v1::APPLICATION_STATE_SELECTED, v1::APPLICATION_STATE_CONFIRMED};
  absl::StatusOr<std::vector<v1::Application>> holding = store::ListApplications(s, holding_filter, 0, 1 << 20);
  if (!holding.ok()) return holding.status();
  if (static_cast<int>(holding->size()) >= seats) return std::optional<v1::Offer>();

  absl::StatusOr<std::vector<std::string>> names = store::Waitlist(s, programme.name());
  if (!names.ok()) return names.status();
  std::vector<v1::Application> waiting;
  for (const std::string& name : *names) {
    absl::StatusOr<std::optional<v1::Application>> a = store::LoadApplication(s, name);
    if (!a.ok()) return a.status();
    // Withdrawn (or otherwise moved on) applications keep no claim to a seat.
    if (a->has_value() && (*a)->state() == v1::APPLICATION_STATE_WAITLISTED) waiting.push_back(**a);
  }
  std::vector<Candidate> held, queue;
  for (const v1::Application& a : *holding) held.push_back(CandidateOf(a));
  for (const v1::Application& a : waiting) queue.push_back(CandidateOf(a));
  std::optional<RefillChoice> pick = PickRefill(held, queue, {run.quotas().begin(), run.quotas().end()});
  if (!pick) return std::optional<v1::Offer>();

  v1::Application chosen = waiting[pick->index];
  if (absl::Status st = store::RemoveFromWaitlist(s, chosen.name()); !st.ok()) return st;
  absl::StatusOr<v1::Offer> offer = MakeOffer(s, programme, chosen, now, /*from_waitlist=*/true, actor);
  if (!offer.ok()) return offer.status();
  ev::DomainEvent event;
  ev::ApplicationSelected* selected = event.mutable_application_selected();
  selected->set_application(chosen.name());
  selected->set_programme(programme.name());
  selected->set_organisation_name(chosen.organisation().full_name());
  *selected->mutable_contact_person() = PersonOf(chosen);
  selected->set_score(chosen.score());
  if (absl::Status st = EmitEvent(s, now, actor, chosen.name(), std::move(event)); !st.ok()) return st;
  return std::optional<v1::Offer>(*std::move(offer));
}

absl::Status ReleaseOfferOfWithdrawn(soci::session& s, const v1::Programme& programme,
                                     const v1::Application& withdrawn, absl::Time now, const FlowActor& actor) {
  if (withdrawn.offer().empty()) return absl::OkStatus();
  absl::StatusOr<std::optional<v1::Offer>> loaded = store::LoadOffer(s, withdrawn.offer());
  if (!loaded.ok()) return loaded.status();
  if (!loaded->has_value() || (*loaded)->state() != v1::OFFER_STATE_OPEN) return absl::OkStatus();
  v1::Offer offer = **loaded;
  offer.set_state(v1::OFFER_STATE_DECLINED);
  *offer.mutable_resolve_time() = Ts(now);
  store::StampEtag(offer);
  absl::StatusOr<bool> saved = store::SaveOfferIfState(s, offer, v1::OFFER_STATE_OPEN);
  if (!saved.ok()) return saved.status();
  if (!*saved) return absl::OkStatus();
  ev::DomainEvent event;
  ev::OfferDeclined* e = event.mutable_offer_declined();
  e->set_offer(offer.name());
  e->set_application(withdrawn.name());
  e->set_programme(programme.name());
  e->set_organisation_name(withdrawn.organisation().full_name());
  *e->mutable_contact_person() = PersonOf(withdrawn);
  if (absl::Status st = EmitEvent(s, now, actor, offer.name(), std::move(event)); !st.ok()) return st;
  absl::StatusOr<std::optional<v1::Offer>> refill = Refill(s, programme, now, actor);
  return refill.status();
}

absl::StatusOr<int> ExpireDueOffers(db::Database& db, absl::Time now) {
  std::vector<std::string> due;
  absl::Status listed = db.InTransaction(db::TxMode::kRead, [&](soci::session& s) -> absl::Status {
    absl::StatusOr<std::vector<std::string>> names = store::DueOffers(s, now, 500);
    if (!names.ok()) return names.status();
    due = *std::move(names);
    return absl::OkStatus();
  });
  if (!listed.ok()) return listed;
  int expired = 0;
  const FlowActor timer;
  for (const std::string& name : due) {
    bool did = false;
    absl::Status st = db.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
      did = false;
      absl::StatusOr<std::optional<v1::Offer>> offer = store::LoadOffer(s, name);
      if (!offer.ok()) return offer.status();
      // Answered or expired meanwhile (another replica's sweep): nothing to do.
      if (!offer->has_value() || (*offer)->state() != v1::OFFER_STATE_OPEN) return absl::OkStatus();
      v1::Offer o = **offer;
      o.set_state(v1::OFFER_STATE_EXPIRED);
      *o.mutable_resolve_time() = Ts(now);
      store::StampEtag(o);
      absl::StatusOr<bool> saved = store::SaveOfferIfState(s, o, v1::OFFER_STATE_OPEN);
      if (!saved.ok()) return saved.status();
      if (!*saved) return absl::OkStatus();
      absl::StatusOr<std::optional<v1::Application>> app = store::LoadApplication(s, o.application());
      if (!app.ok()) return app.status();
      if (!app->has_value()) return absl::DataLossError(absl::StrCat(o.name(), " names a missing application"));
      v1::Application a = **app;
      a.set_state(v1::APPLICATION_STATE_EXPIRED);
      *a.mutable_update_time() = Ts(now);
      if (absl::Status sv = store::SaveApplication(s, a); !sv.ok()) return sv;
      absl::StatusOr<std::optional<v1::Programme>> programme = store::LoadProgramme(s, ProgrammeOf(o.name()));
      if (!programme.ok()) return programme.status();
      if (!programme->has_value()) return absl::DataLossError(absl::StrCat(o.name(), " names a missing programme"));
      ev::DomainEvent event;
      ev::OfferExpired* e = event.mutable_offer_expired();
      e->set_offer(o.name());
      e->set_application(a.name());
      e->set_programme((*programme)->name());
      e->set_organisation_name(a.organisation().full_name());
      *e->mutable_contact_person() = PersonOf(a);
      if (absl::Status em = EmitEvent(s, now, timer, o.name(), std::move(event)); !em.ok()) return em;
      absl::StatusOr<std::optional<v1::Offer>> refill = Refill(s, **programme, now, timer);
      if (!refill.ok()) return refill.status();
      did = true;
      return absl::OkStatus();
    });
    if (!st.ok()) return st;
    expired += did ? 1 : 0;
  }
  return expired;
}

}  // namespace etnik::registration
