#include "services/notifications/api/notifications_api.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/identity.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/util/time_util.h"
#include "services/notifications/api/unsubscribe_token.h"
#include "services/notifications/domain/template_engine.h"

namespace etnik::notifications {
namespace {

using auth::Role;
using google::protobuf::util::TimeUtil;

constexpr char kCustomEventType[] = "Custom";

absl::Status RequireOrganiser(const auth::Identity& who) { return auth::RequireRole(who, {Role::kOrganiser}); }
absl::Status RequireSender(const auth::Identity& who) {
  return auth::RequireRole(who, {Role::kOrganiser, Role::kService});
}

google::protobuf::Timestamp Ts(absl::Time t) { return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t)); }
absl::Time FromTs(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

absl::StatusOr<int> PageSize(int requested, const char* field) {
  if (requested < 0) return InvalidArgumentError("page_size must not be negative", {{field, "must be >= 0"}});
  if (requested == 0) return 50;
  return std::min(requested, 1000);
}

// "prefix/{id}" -> id, or INVALID_ARGUMENT naming `field`.
absl::StatusOr<std::string> IdOf(const std::string& name, absl::string_view prefix, const char* field) {
  if (!absl::StartsWith(name, prefix) || name.size() == prefix.size() ||
      name.find('/', prefix.size()) != std::string::npos) {
    return InvalidArgumentError(absl::StrCat(field, " is not a ", prefix, "{id} name"),
                                {{field, absl::StrCat("expected ", prefix, "{id}")}});
  }
  return name.substr(prefix.size());
}

void ToProto(const store::DeliveryRow& r, v1::Delivery* d) {
  d->set_name(absl::StrCat("deliveries/", r.id));
  d->set_event_id(r.event_id);
  d->set_event_type(r.event_type);
  d->set_recipient(r.recipient);
  d->set_channel(static_cast<etnik::common::v1::Channel>(r.channel));
  d->set_address(r.address);
  d->set_subject(r.subject);
  d->set_session(r.session);
  d->set_state(static_cast<v1::DeliveryState>(r.state));
  d->set_attempts(r.attempts);
  d->set_last_error(r.last_error);
  d->set_idempotency_key(r.idempotency_key);
  *d->mutable_due_time() = Ts(r.due_time);
  if (r.state == store::kPending || r.state == store::kFailed) *d->mutable_next_attempt_time() = Ts(r.next_attempt_time);
  if (r.state == store::kSent) *d->mutable_send_time() = Ts(r.send_time);
  *d->mutable_create_time() = Ts(r.create_time);
  *d->mutable_update_time() = Ts(r.update_time);
}

void WithVariables(v1::Template* t) {
  t->clear_variables();
  for (const std::string& v : AllowedVariables(t->event_type())) t->add_variables(v);
}

void ToProto(const std::string& name, const store::ReminderConfig& c, v1::ReminderSettings* out) {
  out->set_name(name);
  for (absl::Duration d : c.offsets) out->add_offsets()->set_seconds(absl::ToInt64Seconds(d));
  out->set_remind_attendees(c.remind_attendees);
  out->set_remind_hosts(c.remind_hosts);
  if (c.version > 0) *out->mutable_update_time() = Ts(c.update_time);
  out->set_etag(absl::StrCat(c.version));
}

// programmes/{programme}/reminderSettings -> programmes/{programme}.
absl::StatusOr<std::string> ProgrammeOf(const std::string& name, const char* field) {
  constexpr absl::string_view kSuffix = "/reminderSettings";
  if (!absl::StartsWith(name, "programmes/") || !absl::EndsWith(name, kSuffix) ||
      name.size() <= 11 + kSuffix.size() ||
      name.substr(11, name.size() - 11 - kSuffix.size()).find('/') != std::string::npos) {
    return InvalidArgumentError("not a reminder settings name",
                                {{field, "expected programmes/{programme}/reminderSettings"}});
  }
  return name.substr(0, name.size() - kSuffix.size());
}

}  // namespace

template <typename Handler>
NotificationsApi::Reactor* NotificationsApi::Serve(Ctx* ctx, Handler&& handler) {
  Reactor* reactor = ctx->DefaultReactor();
  absl::StatusOr<auth::Identity> who = auth_.Authenticate(*ctx);
  reactor->Finish(ToGrpcStatus(who.ok() ? handler(*who) : who.status()));
  return reactor;
}

NotificationsApi::Reactor* NotificationsApi::GetTemplate(Ctx* ctx, In<v1::GetTemplateRequest> req, v1::Template* resp) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = RequireOrganiser(who); !s.ok()) return s;
    absl::StatusOr<std::string> id = IdOf(req->name(), "templates/", "name");
    if (!id.ok()) return id.status();
    absl::StatusOr<v1::Template> t = templates_.Get(*id);
    if (!t.ok()) return t.status();
    *resp = *t;
    WithVariables(resp);
    return absl::OkStatus();
  });
}

NotificationsApi::Reactor* NotificationsApi::ListTemplates(Ctx* ctx, In<v1::ListTemplatesRequest> req,
                                                           v1::ListTemplatesResponse* resp) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = RequireOrganiser(who); !s.ok()) return s;
    absl::StatusOr<int> size = PageSize(req->page_size(), "page_size");
    if (!size.ok()) return size.status();
    store::TemplateFilter f;
    f.event_type = req->event_type();
    f.channel = req->channel();
    f.language = req->language();
    std::string next;
    absl::StatusOr<std::vector<v1::Template>> list = templates_.List(f, *size, req->page_token(), &next);
    if (!list.ok()) return list.status();
    for (v1::Template& t : *list) {
      WithVariables(&t);
      *resp->add_templates() = std::move(t);
    }
    resp->set_next_page_token(next);
    return absl::OkStatus();
  });
}

NotificationsApi::Reactor* NotificationsApi::UpdateTemplate(Ctx* ctx, In<v1::UpdateTemplateRequest> req,
                                                            v1::Template* resp) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = RequireOrganiser(who); !s.ok()) return s;
    absl::StatusOr<std::string> id = IdOf(req->template_().name(), "templates/", "template.name");
    if (!id.ok()) return id.status();
    for (const std::string& path : req->update_mask().paths()) {
      if (path != "subject" && path != "body" && path != "essential") {
        return InvalidArgumentError("update_mask names a field that cannot change",
                                    {{"update_mask", absl::StrCat("'", path, "' is not subject, body or essential")}});
      }
    }
    absl::StatusOr<v1::Template> current = templates_.Get(*id);
    if (!current.ok()) return current.status();
    v1::Template next = *current;
    const auto& paths = req->update_mask().paths();
    auto wants = [&](const char* f) { return paths.empty() || std::find(paths.begin(), paths.end(), f) != paths.end(); };
    if (wants("subject")) next.set_subject(req->template_().subject());
    if (wants("body")) next.set_body(req->template_().body());
    if (wants("essential")) next.set_essential(req->template_().essential());
    next.set_etag(req->template_().etag());
    // A template that would not render is refused now rather than failing at send time.
    std::vector<FieldViolation> violations = ValidateTemplate(next);
    if (!violations.empty()) return InvalidArgumentError("the template does not render", std::move(violations));
    absl::StatusOr<v1::Template> saved = templates_.Update(next, clock_.Now());
    if (!saved.ok()) return saved.status();
    *resp = *saved;
    WithVariables(resp);
    return absl::OkStatus();
  });
}

NotificationsApi::Reactor* NotificationsApi::SendNotification(Ctx* ctx, In<v1::SendNotificationRequest> req,
                                                              v1::SendNotificationResponse* resp) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = RequireSender(who); !s.ok()) return s;
    std::vector<FieldViolation> bad;
    if (req->request_id().empty()) bad.push_back({"request_id", "required: it makes the call idempotent"});
    if (req->recipients().empty()) bad.push_back({"recipients", "at least one recipient is required"});
    if (req->channel() != etnik::common::v1::CHANNEL_UNSPECIFIED && req->channel() != etnik::common::v1::CHANNEL_EMAIL) {
      bad.push_back({"channel", "only e-mail is sent on request"});
    }
    for (int i = 0; i < req->recipients_size(); ++i) {
      const std::string& email = req->recipients(i).email();
      if (email.empty() || email.find('@') == std::string::npos || email.find_first_of("\r\n<> ") != std::string::npos) {
        bad.push_back({absl::StrCat("recipients[", i, "].email"), "a valid e-mail address is required"});
      }
    }
    std::string subject = req->subject(), body = req->body();
    std::string event_type = kCustomEventType;
    if (!req->template_().empty()) {
      absl::StatusOr<std::string> id = IdOf(req->template_(), "templates/", "template");
      if (!id.ok()) return id.status();
      absl::StatusOr<v1::Template> t = templates_.Get(*id);
      if (!t.ok()) return t.status();
      subject = t->subject();
      body = t->body();
      event_type = t->event_type();
    } else {
      if (subject.empty() || subject.find_first_of("\r\n") != std::string::npos) {
        bad.push_back({"subject", "one line is required when no template is given"});
      }
      if (body.empty()) bad.push_back({"body", "required when no template is given"});
      for (const auto& [field, text] : {std::pair<const char*, const std::string*>{"subject", &subject}, {"body", &body}}) {
        for (TemplateError& e : CheckText(field, *text, nullptr)) bad.push_back({e.field, e.description});
      }
    }
    if (!bad.empty()) return InvalidArgumentError("the notification cannot be sent", std::move(bad));
    const absl::Time now = clock_.Now();
    std::vector<store::DeliveryRow> rows;
    absl::Status st = db_.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
      rows.clear();
      for (const v1::Recipient& r : req->recipients()) {
        std::map<std::string, std::string> vars(req->variables().begin(), req->variables().end());
        vars["recipient_name"] = r.full_name();
        absl::StatusOr<std::string> rs = Render(subject, vars);
        absl::StatusOr<std::string> rb = Render(body, vars);
        if (!rs.ok()) return InvalidArgumentError("the subject does not render", {{"subject", std::string(rs.status().message())}});
        if (!rb.ok()) return InvalidArgumentError("the body does not render", {{"body", std::string(rb.status().message())}});
        store::DeliveryRow row;
        row.event_id = req->request_id();
        row.event_type = event_type;
        row.recipient = r.recipient().empty() ? absl::StrCat("mailto:", r.email()) : r.recipient();
        row.recipient_name = r.full_name();
        row.channel = etnik::common::v1::CHANNEL_EMAIL;
        row.address = r.email();
        row.subject = *rs;
        row.body = *rb;
        row.due_time = now;
        row.idempotency_key = store::IdempotencyKey(row.event_id, row.recipient, row.channel);
        absl::StatusOr<bool> inserted = store::InsertDelivery(s, row, now);
        if (!inserted.ok()) return inserted.status();
        rows.push_back(row);
      }
      return absl::OkStatus();
    });
    if (!st.ok()) return st;
    // A repeated request answers with the deliveries the first one queued.
    for (const store::DeliveryRow& row : rows) {
      store::DeliveryFilter f;
      f.event_id = row.event_id;
      f.recipient = row.recipient;
      absl::StatusOr<store::DeliveryPage> page = deliveries_.List(f, 10, "");
      if (!page.ok()) return page.status();
      for (const store::DeliveryRow& d : page->rows) {
        if (d.idempotency_key == row.idempotency_key) ToProto(d, resp->add_deliveries());
      }
    }
    return absl::OkStatus();
  });
}

NotificationsApi::Reactor* NotificationsApi::GetDelivery(Ctx* ctx, In<v1::GetDeliveryRequest> req, v1::Delivery* resp) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = RequireOrganiser(who); !s.ok()) return s;
    absl::StatusOr<std::string> id = IdOf(req->name(), "deliveries/", "name");
    if (!id.ok()) return id.status();
    absl::StatusOr<store::DeliveryRow> row = deliveries_.Get(*id);
    if (!row.ok()) return row.status();
    ToProto(*row, resp);
    return absl::OkStatus();
  });
}

NotificationsApi::Reactor* NotificationsApi::ListDeliveries(Ctx* ctx, In<v1::ListDeliveriesRequest> req,
                                                            v1::ListDeliveriesResponse* resp) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = RequireOrganiser(who); !s.ok()) return s;
    absl::StatusOr<int> size = PageSize(req->page_size(), "page_size");
    if (!size.ok()) return size.status();
    store::DeliveryFilter f;
    f.recipient = req->recipient();
    f.state = req->state();
    f.channel = req->channel();
    f.event_id = req->event_id();
    f.session = req->session();
    if (req->has_start_time()) f.start_time = FromTs(req->start_time());
    if (req->has_end_time()) f.end_time = FromTs(req->end_time());
    if (f.start_time && f.end_time && *f.end_time < *f.start_time) {
      return InvalidArgumentError("the time range is empty", {{"end_time", "must not be before start_time"}});
    }
    absl::StatusOr<store::DeliveryPage> page = deliveries_.List(f, *size, req->page_token());
    if (!page.ok()) return page.status();
    for (const store::DeliveryRow& r : page->rows) ToProto(r, resp->add_deliveries());
    resp->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

NotificationsApi::Reactor* NotificationsApi::RetryDelivery(Ctx* ctx, In<v1::RetryDeliveryRequest> req,
                                                           v1::Delivery* resp) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = RequireOrganiser(who); !s.ok()) return s;
    absl::StatusOr<std::string> id = IdOf(req->name(), "deliveries/", "name");
    if (!id.ok()) return id.status();
    absl::StatusOr<store::DeliveryRow> row = deliveries_.Retry(*id, clock_.Now());
    if (!row.ok()) return row.status();
    ToProto(*row, resp);
    return absl::OkStatus();
  });
}

NotificationsApi::Reactor* NotificationsApi::GetReminderSettings(Ctx* ctx, In<v1::GetReminderSettingsRequest> req,
                                                                 v1::ReminderSettings* resp) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = RequireOrganiser(who); !s.ok()) return s;
    absl::StatusOr<std::string> programme = ProgrammeOf(req->name(), "name");
    if (!programme.ok()) return programme.status();
    absl::StatusOr<store::ReminderConfig> c = settings_.Get(*programme);
    if (!c.ok()) return c.status();
    ToProto(req->name(), *c, resp);
    return absl::OkStatus();
  });
}

NotificationsApi::Reactor* NotificationsApi::UpdateReminderSettings(Ctx* ctx,
                                                                    In<v1::UpdateReminderSettingsRequest> req,
                                                                    v1::ReminderSettings* resp) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = RequireOrganiser(who); !s.ok()) return s;
    const v1::ReminderSettings& in = req->reminder_settings();
    absl::StatusOr<std::string> programme = ProgrammeOf(in.name(), "reminder_settings.name");
    if (!programme.ok()) return programme.status();
    std::vector<FieldViolation> bad;
    std::set<int64_t> seen;
    store::ReminderConfig c;
    c.offsets.clear();
    for (int i = 0; i < in.offsets_size(); ++i) {
      const int64_t seconds = in.offsets(i).seconds();
      if (seconds < 60 || seconds > 30 * 24 * 3600 || in.offsets(i).nanos() != 0 || seconds % 60 != 0) {
        bad.push_back({absl::StrCat("reminder_settings.offsets[", i, "]"), "whole minutes from 1 minute to 30 days"});
      } else if (!seen.insert(seconds).second) {
        bad.push_back({absl::StrCat("reminder_settings.offsets[", i, "]"), "repeats another offset"});
      }
      c.offsets.push_back(absl::Seconds(seconds));
    }
    if (in.offsets_size() > 5) bad.push_back({"reminder_settings.offsets", "at most 5 offsets"});
    if (!bad.empty()) return InvalidArgumentError("the reminder settings are not valid", std::move(bad));
    c.remind_attendees = in.remind_attendees();
    c.remind_hosts = in.remind_hosts();
    absl::StatusOr<store::ReminderConfig> saved = settings_.Update(*programme, c, in.etag(), clock_.Now());
    if (!saved.ok()) return saved.status();
    ToProto(in.name(), *saved, resp);
    return absl::OkStatus();
  });
}

}  // namespace etnik::notifications

namespace etnik::notifications {
namespace {

// Organisers see everyone's preference; a person sees their own (recipient key = subject).
absl::Status RequirePreferenceReader(const auth::Identity& who, const std::string& recipient) {
  if (auth::HasRole(who, Role::kOrganiser)) return absl::OkStatus();
  if (absl::Status s = auth::RequireAuthenticated(who); !s.ok()) return s;
  if (!recipient.empty() && who.subject == recipient) return absl::OkStatus();
  return ErrorWithInfo(absl::StatusCode::kPermissionDenied, "only organisers and the person may see a preference",
                       "NOT_OWN_PREFERENCE");
}

std::vector<FieldViolation> CheckPreference(const v1::Preference& p) {
  std::vector<FieldViolation> bad;
  if (p.name().empty() && p.recipient().empty()) bad.push_back({"preference.recipient", "required without a name"});
  if (!p.email().empty() && (p.email().find('@') == std::string::npos ||
                             p.email().find_first_of("\r\n<> ") != std::string::npos)) {
    bad.push_back({"preference.email", "not an e-mail address"});
  }
  if (!p.time_zone().empty()) {
    absl::TimeZone tz;
    if (!absl::LoadTimeZone(p.time_zone(), &tz)) bad.push_back({"preference.time_zone", "not an IANA time zone"});
  }
  for (int i = 0; i < p.channels_size(); ++i) {
    const v1::ChannelConsent& c = p.channels(i);
    if (c.channel() == etnik::common::v1::CHANNEL_UNSPECIFIED || !etnik::common::v1::Channel_IsValid(c.channel())) {
      bad.push_back({absl::StrCat("preference.channels[", i, "].channel"), "a channel is required"});
    }
    if (c.channel() == etnik::common::v1::CHANNEL_TELEGRAM && c.enabled() && c.address().empty()) {
      bad.push_back({absl::StrCat("preference.channels[", i, "].address"), "the Telegram chat id is required"});
    }
    if (c.address().find_first_of("\r\n|") != std::string::npos) {
      bad.push_back({absl::StrCat("preference.channels[", i, "].address"), "must be one line without '|'"});
    }
  }
  return bad;
}

}  // namespace

NotificationsApi::Reactor* NotificationsApi::GetPreference(Ctx* ctx, In<v1::GetPreferenceRequest> req,
                                                           v1::Preference* resp) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = auth::RequireAuthenticated(who); !s.ok()) return s;
    absl::StatusOr<std::string> id = IdOf(req->name(), "preferences/", "name");
    if (!id.ok()) return id.status();
    absl::StatusOr<v1::Preference> p = preferences_.Get(*id);
    // A person asking for someone else's learns nothing, not even whether it exists.
    if (!p.ok()) return auth::HasRole(who, Role::kOrganiser) ? p.status() : RequirePreferenceReader(who, "");
    if (absl::Status s = RequirePreferenceReader(who, p->recipient()); !s.ok()) return s;
    *resp = *p;
    return absl::OkStatus();
  });
}

NotificationsApi::Reactor* NotificationsApi::ListPreferences(Ctx* ctx, In<v1::ListPreferencesRequest> req,
                                                             v1::ListPreferencesResponse* resp) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = RequireOrganiser(who); !s.ok()) return s;
    absl::StatusOr<int> size = PageSize(req->page_size(), "page_size");
    if (!size.ok()) return size.status();
    std::string next;
    absl::StatusOr<std::vector<v1::Preference>> list =
        preferences_.List(req->email(), req->recipient(), *size, req->page_token(), &next);
    if (!list.ok()) return list.status();
    for (v1::Preference& p : *list) *resp->add_preferences() = std::move(p);
    resp->set_next_page_token(next);
    return absl::OkStatus();
  });
}

NotificationsApi::Reactor* NotificationsApi::UpdatePreference(Ctx* ctx, In<v1::UpdatePreferenceRequest> req,
                                                              v1::Preference* resp) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = auth::RequireAuthenticated(who); !s.ok()) return s;
    const v1::Preference& in = req->preference();
    std::vector<FieldViolation> bad = CheckPreference(in);
    if (!in.name().empty()) {
      absl::StatusOr<std::string> id = IdOf(in.name(), "preferences/", "preference.name");
      if (!id.ok()) return id.status();
    }
    static const std::set<std::string> kWritable = {"email", "channels", "time_zone", "language", "unsubscribed"};
    for (const std::string& path : req->update_mask().paths()) {
      if (!kWritable.count(path)) bad.push_back({"update_mask", absl::StrCat("'", path, "' cannot be changed")});
    }
    if (!bad.empty()) return InvalidArgumentError("the preference is not valid", std::move(bad));
    // The current state, to merge the mask into and to authorise against.
    std::optional<v1::Preference> current;
    if (!in.name().empty()) {
      absl::StatusOr<v1::Preference> p = preferences_.Get(in.name().substr(12));
      if (p.ok()) {
        current = *p;
      } else if (p.status().code() != absl::StatusCode::kNotFound) {
        return p.status();
      }
    } else {
      std::string next;
      absl::StatusOr<std::vector<v1::Preference>> list = preferences_.List("", in.recipient(), 1, "", &next);
      if (!list.ok()) return list.status();
      if (!list->empty()) current = list->front();
    }
    const std::string recipient = current ? current->recipient() : in.recipient();
    if (absl::Status s = RequirePreferenceReader(who, recipient); !s.ok()) return s;
    if (!current && !req->allow_missing()) {
      return ErrorWithInfo(absl::StatusCode::kNotFound, "no such preference", "PREFERENCE_NOT_FOUND",
                           {{"preference", in.name().empty() ? in.recipient() : in.name()}});
    }
    v1::Preference next = current ? *current : in;
    if (current) {
      const auto& paths = req->update_mask().paths();
      auto wants = [&](const char* f) {
        return paths.empty() || std::find(paths.begin(), paths.end(), f) != paths.end();
      };
      if (wants("email")) next.set_email(in.email());
      if (wants("channels")) *next.mutable_channels() = in.channels();
      if (wants("time_zone")) next.set_time_zone(in.time_zone());
      if (wants("language")) next.set_language(in.language());
      if (wants("unsubscribed")) next.set_unsubscribed(in.unsubscribed());
      next.set_etag(in.etag());
    }
    absl::StatusOr<v1::Preference> saved = preferences_.Upsert(next, req->allow_missing(), clock_.Now());
    if (!saved.ok()) return saved.status();
    *resp = *saved;
    return absl::OkStatus();
  });
}

NotificationsApi::Reactor* NotificationsApi::Unsubscribe(Ctx* ctx, In<v1::UnsubscribeRequest> req,
                                                         v1::Preference* resp) {
  // Anonymous by design: the signed token is the authority.
  return Serve(ctx, [&](const auth::Identity&) -> absl::Status {
    absl::StatusOr<std::string> recipient = ParseUnsubscribeToken(unsubscribe_secret_, req->token());
    if (!recipient.ok()) return recipient.status();
    absl::StatusOr<v1::Preference> p = preferences_.Unsubscribe(*recipient, clock_.Now());
    if (!p.ok()) return p.status();
    *resp = *p;
    return absl::OkStatus();
  });
}

}  // namespace etnik::notifications

namespace etnik::notifications {
namespace {

// Absolute https, or http to a loopback host (local receivers, tests).
bool IsAllowedWebhookUri(const std::string& uri) {
  if (uri.find_first_of(" \r\n\t") != std::string::npos) return false;
  if (absl::StartsWith(uri, "https://")) return uri.size() > 8;
  for (const char* p : {"http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/",
                        "http://[::1]:", "http://[::1]/"}) {
    if (absl::StartsWith(uri, p)) return true;
  }
  return false;
}

}  // namespace

NotificationsApi::Reactor* NotificationsApi::CreateWebhookSubscription(Ctx* ctx,
                                                                       In<v1::CreateWebhookSubscriptionRequest> req,
                                                                       v1::WebhookSubscription* resp) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = RequireOrganiser(who); !s.ok()) return s;
    const v1::WebhookSubscription& w = req->webhook_subscription();
    std::vector<FieldViolation> bad;
    if (!IsAllowedWebhookUri(w.uri())) {
      bad.push_back({"webhook_subscription.uri", "an absolute https URI (or http to a loopback host) is required"});
    }
    if (w.secret().size() < 16) bad.push_back({"webhook_subscription.secret", "at least 16 characters are required"});
    for (int i = 0; i < w.event_types_size(); ++i) {
      const std::string& t = w.event_types(i);
      if (t.empty() || t.find_first_of(", ") != std::string::npos) {
        bad.push_back({absl::StrCat("webhook_subscription.event_types[", i, "]"), "a DomainEvent payload name"});
      }
    }
    if (!req->webhook_subscription_id().empty() && !IsValidResourceId(req->webhook_subscription_id())) {
      bad.push_back({"webhook_subscription_id", "[a-z][a-z0-9-]{0,62}"});
    }
    if (!bad.empty()) return InvalidArgumentError("the webhook subscription is not valid", std::move(bad));
    std::string id = req->webhook_subscription_id();
    if (id.empty()) id = req->request_id().empty() ? NewId() : absl::StrCat("w", absl::Hex(std::hash<std::string>{}(req->request_id())));
    absl::StatusOr<v1::WebhookSubscription> made = webhooks_.Create(w, id, clock_.Now());
    if (!made.ok()) return made.status();
    *resp = *made;
    resp->clear_secret();
    return absl::OkStatus();
  });
}

NotificationsApi::Reactor* NotificationsApi::ListWebhookSubscriptions(Ctx* ctx,
                                                                      In<v1::ListWebhookSubscriptionsRequest> req,
                                                                      v1::ListWebhookSubscriptionsResponse* resp) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = RequireOrganiser(who); !s.ok()) return s;
    absl::StatusOr<int> size = PageSize(req->page_size(), "page_size");
    if (!size.ok()) return size.status();
    std::string next;
    absl::StatusOr<std::vector<v1::WebhookSubscription>> list = webhooks_.List(*size, req->page_token(), &next);
    if (!list.ok()) return list.status();
    for (v1::WebhookSubscription& w : *list) *resp->add_webhook_subscriptions() = std::move(w);
    resp->set_next_page_token(next);
    return absl::OkStatus();
  });
}

NotificationsApi::Reactor* NotificationsApi::DeleteWebhookSubscription(Ctx* ctx,
                                                                       In<v1::DeleteWebhookSubscriptionRequest> req,
                                                                       google::protobuf::Empty*) {
  return Serve(ctx, [&](const auth::Identity& who) -> absl::Status {
    if (absl::Status s = RequireOrganiser(who); !s.ok()) return s;
    absl::StatusOr<std::string> id = IdOf(req->name(), "webhookSubscriptions/", "name");
    if (!id.ok()) return id.status();
    return webhooks_.Delete(*id);
  });
}

}  // namespace etnik::notifications
