#include "services/gateway/routes/route_table.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "etnik/hubs/v1/hubs_service.pb.h"
#include "etnik/notifications/v1/notifications_service.pb.h"
#include "etnik/registration/v1/registration_service.pb.h"
#include "etnik/scheduling/v1/scheduling_service.pb.h"

namespace etnik::gateway {

namespace {

constexpr uint32_t kStaff = kOrganiser | kService;
constexpr uint32_t kHubStaff = kOrganiser | kService | kHubLead;

#define HUBS(m) "hubs", "etnik.hubs.v1.HubsService." m
#define SCHED(m) "scheduling", "etnik.scheduling.v1.SchedulingService." m
#define REG(m) "registration", "etnik.registration.v1.RegistrationService." m
#define NOTIF(m) "notifications", "etnik.notifications.v1.NotificationsService." m

// clang-format off
const RouteSpec kSpecs[] = {
    // ---- hubs: hubs, experts, leads, participants (hubs_service.proto)
    {"POST",   "/v1/hubs",                                   HUBS("CreateHub"),      "hub",    kOrganiser,            "",          "", ""},
    {"GET",    "/v1/hubs",                                   HUBS("ListHubs"),       "",       kHubStaff,             "",          "", ""},
    {"GET",    "/v1/{name=hubs/*}",                          HUBS("GetHub"),         "",       kHubStaff,             "name",      "", ""},
    {"PATCH",  "/v1/{hub.name=hubs/*}",                      HUBS("UpdateHub"),      "hub",    kOrganiser | kHubLead, "hub.name",  "", ""},
    {"DELETE", "/v1/{name=hubs/*}",                          HUBS("DeleteHub"),      "",       kOrganiser,            "",          "", ""},
    {"POST",   "/v1/{name=hubs/*}:publish",                  HUBS("PublishHub"),     "*",      kOrganiser | kHubLead, "name",      "", ""},
    {"POST",   "/v1/{name=hubs/*}:close",                    HUBS("CloseHub"),       "*",      kOrganiser,            "",          "", ""},
    {"POST",   "/v1/experts",                                HUBS("CreateExpert"),   "expert", kOrganiser | kHubLead, "",          "", ""},
    {"GET",    "/v1/experts",                                HUBS("ListExperts"),    "",       kHubStaff,             "",          "", ""},
    {"GET",    "/v1/{name=experts/*}",                       HUBS("GetExpert"),      "",       kAnyRole,              "",          "", ""},
    {"PATCH",  "/v1/{expert.name=experts/*}",                HUBS("UpdateExpert"),   "expert", kAnyRole,              "",          "", ""},
    {"DELETE", "/v1/{name=experts/*}",                       HUBS("DeleteExpert"),   "",       kOrganiser,            "",          "", ""},
    {"POST",   "/v1/{hub=hubs/*}/experts",                   HUBS("AddExpert"),      "*",      kOrganiser | kHubLead, "hub",       "", ""},
    {"DELETE", "/v1/{hub=hubs/*}/{expert=experts/*}",        HUBS("RemoveExpert"),   "",       kOrganiser | kHubLead, "hub",       "", ""},
    {"POST",   "/v1/{hub=hubs/*}/leads",                     HUBS("AddHubLead"),     "lead",   kOrganiser,            "",          "", ""},
    {"GET",    "/v1/{parent=hubs/*}/leads",                  HUBS("ListHubLeads"),   "",       kHubStaff,             "parent",    "", ""},
    {"DELETE", "/v1/{name=hubs/*/leads/*}",                  HUBS("RemoveHubLead"),  "",       kOrganiser,            "",          "", ""},
    {"POST",   "/v1/{hub=hubs/*}/participants",              HUBS("AssignParticipant"), "*",   kOrganiser | kHubLead, "hub",       "", ""},
    {"GET",    "/v1/{parent=hubs/*}/participants",           HUBS("ListParticipantAssignments"), "", kHubStaff,       "parent",    "", ""},
    {"DELETE", "/v1/{name=hubs/*/participants/*}",           HUBS("UnassignParticipant"), "",  kOrganiser | kHubLead, "name",      "", ""},
    // ---- hubs: the public catalogue and progress
    {"GET",    "/v1/{programme=programmes/*}/catalogue/hubs", HUBS("ListPublishedHubs"), "",   kPublic,               "",          "", ""},
    {"GET",    "/v1/catalogue/{name=hubs/*}",                HUBS("GetPublishedHub"), "",      kPublic,               "",          "", ""},
    {"GET",    "/v1/{programme=programmes/*}/themes",        HUBS("ListThemes"),     "",       kPublic,               "",          "", ""},
    {"GET",    "/v1/{programme=programmes/*}/catalogue:export", HUBS("ExportCatalogue"), "",   kPublic,               "",          "json_data", ""},
    {"GET",    "/v1/{programme=programmes/*}/hubsProgress",  HUBS("GetHubsProgress"), "",      kStaff,                "",          "", ""},

    // ---- scheduling: venues and events (scheduling_service.proto)
    {"POST",   "/v1/venues",                                 SCHED("CreateVenue"),   "venue",  kOrganiser,            "",          "", ""},
    {"GET",    "/v1/venues",                                 SCHED("ListVenues"),    "",       kPublic,               "",          "", ""},
    {"GET",    "/v1/{name=venues/*}",                        SCHED("GetVenue"),      "",       kPublic,               "",          "", ""},
    {"PATCH",  "/v1/{venue.name=venues/*}",                  SCHED("UpdateVenue"),   "venue",  kOrganiser,            "",          "", ""},
    {"POST",   "/v1/events",                                 SCHED("CreateEvent"),   "event",  kOrganiser | kHubLead, "",          "", ""},
    {"GET",    "/v1/events",                                 SCHED("ListEvents"),    "",       kPublic,               "",          "", ""},
    {"GET",    "/v1/{name=events/*}",                        SCHED("GetEvent"),      "",       kPublic,               "",          "", ""},
    {"PATCH",  "/v1/{event.name=events/*}",                  SCHED("UpdateEvent"),   "event",  kOrganiser | kHubLead, "",          "", ""},
    {"DELETE", "/v1/{name=events/*}",                        SCHED("DeleteEvent"),   "",       kOrganiser | kHubLead, "",          "", ""},
    // ---- scheduling: sessions
    {"POST",   "/v1/{parent=events/*}/sessions",             SCHED("BookSession"),   "session", kOrganiser | kHubLead, "",         "", ""},
    {"POST",   "/v1/{parent=events/*}/sessions:book",        SCHED("BookSession"),   "*",      kOrganiser | kHubLead, "",          "", ""},
    {"GET",    "/v1/{parent=events/*}/sessions",             SCHED("ListSessions"),  "",       kPublic,               "",          "", ""},
    {"GET",    "/v1/{programme=programmes/*}/sessions",      SCHED("ListSessions"),  "",       kPublic,               "",          "", "parent=events/-"},
    {"GET",    "/v1/{hub=hubs/*}/sessions",                  SCHED("ListSessions"),  "",       kPublic,               "",          "", "parent=events/-"},
    {"GET",    "/v1/{name=events/*/sessions/*}",             SCHED("GetSession"),    "",       kPublic,               "",          "", ""},
    {"PATCH",  "/v1/{session.name=events/*/sessions/*}",     SCHED("UpdateSession"), "session", kAnyRole,             "",          "", ""},
    {"POST",   "/v1/{name=events/*/sessions/*}:reschedule",  SCHED("RescheduleSession"), "*",  kAnyRole,              "",          "", ""},
    {"POST",   "/v1/{name=events/*/sessions/*}:cancel",      SCHED("CancelSession"), "*",      kAnyRole,              "",          "", ""},
    {"POST",   "/v1/{name=events/*/sessions/*}:markHeld",    SCHED("MarkSessionHeld"), "*",    kAnyRole,              "",          "", ""},
    {"POST",   "/v1/{event=events/*}:suggestSlots",          SCHED("SuggestSlots"),  "*",      kAnyRole,              "",          "", ""},
    // ---- scheduling: attendees, attendance, progress, calendars
    {"POST",   "/v1/{parent=events/*/sessions/*}/attendees", SCHED("RegisterAttendee"), "attendee", kAnyRole,         "",          "", ""},
    {"GET",    "/v1/{parent=events/*/sessions/*}/attendees", SCHED("ListAttendees"), "",       kAnyRole,              "",          "", ""},
    {"POST",   "/v1/{name=events/*/sessions/*/attendees/*}:cancel", SCHED("CancelRegistration"), "*", kAnyRole,       "",          "", ""},
    {"POST",   "/v1/{name=events/*/sessions/*/attendees/*}:checkIn", SCHED("CheckIn"), "*",    kAnyRole,              "",          "", ""},
    {"GET",    "/v1/{participant=programmes/*/participants/*}/attendance", SCHED("GetAttendance"), "", kAnyRole,      "",          "", ""},
    {"GET",    "/v1/{programme=programmes/*}/schedulingProgress", SCHED("GetProgrammeProgress"), "", kStaff | kHubLead,        "",          "", ""},
    {"GET",    "/v1/{programme=programmes/*}/calendar.ics",  SCHED("GetCalendarFeed"), "",     kPublic,               "",          "body", ""},
    {"GET",    "/v1/{hub=hubs/*}/calendar.ics",              SCHED("GetCalendarFeed"), "",     kPublic,               "",          "body", ""},
    {"GET",    "/v1/{participant=programmes/*/participants/*}/calendar.ics", SCHED("GetCalendarFeed"), "", kAnyRole, "",          "body", ""},
    {"GET",    "/v1/{expert=experts/*}/calendar.ics",        SCHED("GetCalendarFeed"), "",     kAnyRole,              "",          "body", ""},

    // ---- registration: programmes and forms (registration_service.proto)
    {"POST",   "/v1/programmes",                             REG("CreateProgramme"), "programme", kOrganiser,         "",          "", ""},
    {"GET",    "/v1/programmes",                             REG("ListProgrammes"),  "",       kPublic,               "",          "", ""},
    {"GET",    "/v1/{name=programmes/*}",                    REG("GetProgramme"),    "",       kPublic,               "",          "", ""},
    {"PATCH",  "/v1/{programme.name=programmes/*}",          REG("UpdateProgramme"), "programme", kOrganiser,         "",          "", ""},
    {"POST",   "/v1/{parent=programmes/*}/forms",            REG("CreateForm"),      "form",   kOrganiser,            "",          "", ""},
    {"GET",    "/v1/{parent=programmes/*}/forms",            REG("ListForms"),       "",       kPublic,               "",          "", ""},
    {"GET",    "/v1/{name=programmes/*/forms/*}",            REG("GetForm"),         "",       kPublic,               "",          "", ""},
    {"PATCH",  "/v1/{form.name=programmes/*/forms/*}",       REG("UpdateForm"),      "form",   kOrganiser,            "",          "", ""},
    {"DELETE", "/v1/{name=programmes/*/forms/*}",            REG("DeleteForm"),      "",       kOrganiser,            "",          "", ""},
    // ---- registration: applications
    {"POST",   "/v1/{parent=programmes/*}/applications",     REG("CreateApplication"), "application", kAnyRole,       "",          "", ""},
    {"GET",    "/v1/{parent=programmes/*}/applications",     REG("ListApplications"), "",      kAnyRole,              "",          "", ""},
    {"GET",    "/v1/{parent=programmes/*}/applications:export", REG("ExportApplications"), "", kOrganiser,            "",          "csv_data", ""},
    {"POST",   "/v1/{parent=programmes/*}/applications:assignReviewers", REG("AssignReviewers"), "*", kOrganiser,     "",          "", ""},
    {"GET",    "/v1/{name=programmes/*/applications/*}",     REG("GetApplication"),  "",       kAnyRole,              "",          "", ""},
    {"PATCH",  "/v1/{application.name=programmes/*/applications/*}", REG("UpdateApplication"), "application", kAnyRole, "",       "", ""},
    {"DELETE", "/v1/{name=programmes/*/applications/*}",     REG("DeleteApplication"), "",     kAnyRole,              "",          "", ""},
    {"POST",   "/v1/{name=programmes/*/applications/*}:submit", REG("SubmitApplication"), "*", kAnyRole,              "",          "", ""},
    {"POST",   "/v1/{name=programmes/*/applications/*}:withdraw", REG("WithdrawApplication"), "*", kAnyRole,          "",          "", ""},
    // ---- registration: review and selection
    {"GET",    "/v1/{parent=programmes/*}/reviewerAssignments", REG("ListReviewerAssignments"), "", kOrganiser | kReviewer, "",    "", ""},
    {"POST",   "/v1/{parent=programmes/*}/conflicts",        REG("DeclareConflict"), "conflict", kOrganiser | kReviewer, "",      "", ""},
    {"GET",    "/v1/{parent=programmes/*}/conflicts",        REG("ListConflictDeclarations"), "", kOrganiser | kReviewer, "",     "", ""},
    {"POST",   "/v1/{parent=programmes/*/applications/*}/reviews", REG("ReviewApplication"), "*", kOrganiser | kReviewer, "",    "", ""},
    {"GET",    "/v1/{parent=programmes/*/applications/*}/reviews", REG("ListReviews"), "",    kOrganiser | kReviewer, "",       "", ""},
    {"GET",    "/v1/{programme=programmes/*}/reviewProgress", REG("GetReviewProgress"), "",    kOrganiser,            "",          "", ""},
    {"POST",   "/v1/{parent=programmes/*}/selectionRuns",    REG("RunSelection"),    "selection_run", kOrganiser,     "",          "", ""},
    {"GET",    "/v1/{parent=programmes/*}/selectionRuns",    REG("ListSelectionRuns"), "",     kOrganiser,            "",          "", ""},
    {"GET",    "/v1/{name=programmes/*/selectionRuns/*}",    REG("GetSelectionRun"), "",       kOrganiser,            "",          "", ""},
    // ---- registration: offers, surveys, participants, progress
    {"GET",    "/v1/{parent=programmes/*}/offers",           REG("ListOffers"),      "",       kAnyRole,              "",          "", ""},
    {"GET",    "/v1/{name=programmes/*/offers/*}",           REG("GetOffer"),        "",       kAnyRole,              "",          "", ""},
    {"POST",   "/v1/{name=programmes/*/offers/*}:respond",   REG("RespondToOffer"),  "*",      kAnyRole,              "",          "", ""},
    {"POST",   "/v1/{parent=programmes/*/forms/*}/responses", REG("CreateSurveyResponse"), "survey_response", kAnyRole, "",       "", ""},
    {"GET",    "/v1/{parent=programmes/*/forms/*}/responses", REG("ListSurveyResponses"), "",  kOrganiser,            "",          "", ""},
    {"GET",    "/v1/{form=programmes/*/forms/*}/summary",    REG("GetSurveySummary"), "",      kOrganiser,            "",          "", ""},
    {"GET",    "/v1/{parent=programmes/*}/participants",     REG("ListParticipants"), "",      kStaff,                "",          "", ""},
    {"GET",    "/v1/{name=programmes/*/participants/*}",     REG("GetParticipant"),  "",       kStaff,                "",          "", ""},
    {"GET",    "/v1/{programme=programmes/*}/registrationProgress", REG("GetRegistrationProgress"), "", kOrganiser,   "",          "", ""},

    // ---- notifications: templates, deliveries, preferences, reminders, webhooks (notifications_service.proto)
    {"GET",    "/v1/templates",                              NOTIF("ListTemplates"), "",       kOrganiser,            "",          "", ""},
    {"GET",    "/v1/{name=templates/*}",                     NOTIF("GetTemplate"),   "",       kOrganiser,            "",          "", ""},
    {"PATCH",  "/v1/{template.name=templates/*}",            NOTIF("UpdateTemplate"), "template", kOrganiser,         "",          "", ""},
    {"POST",   "/v1/notifications:send",                     NOTIF("SendNotification"), "*",   kStaff,                "",          "", ""},
    {"GET",    "/v1/deliveries",                             NOTIF("ListDeliveries"), "",      kOrganiser,            "",          "", ""},
    {"GET",    "/v1/{name=deliveries/*}",                    NOTIF("GetDelivery"),   "",       kOrganiser,            "",          "", ""},
    {"POST",   "/v1/{name=deliveries/*}:retry",              NOTIF("RetryDelivery"), "*",      kOrganiser,            "",          "", ""},
    {"GET",    "/v1/preferences",                            NOTIF("ListPreferences"), "",     kOrganiser,            "",          "", ""},
    {"GET",    "/v1/{name=preferences/*}",                   NOTIF("GetPreference"), "",       kAnyRole,              "",          "", ""},
    {"PATCH",  "/v1/{preference.name=preferences/*}",        NOTIF("UpdatePreference"), "preference", kAnyRole,       "",          "", ""},
    {"POST",   "/v1/preferences:unsubscribe",                NOTIF("Unsubscribe"),   "*",      kPublic,               "",          "", ""},
    {"GET",    "/v1/{name=programmes/*/reminderSettings}",   NOTIF("GetReminderSettings"), "", kOrganiser,            "",          "", ""},
    {"PATCH",  "/v1/{reminder_settings.name=programmes/*/reminderSettings}", NOTIF("UpdateReminderSettings"), "reminder_settings", kOrganiser, "", "", ""},
    {"POST",   "/v1/webhookSubscriptions",                   NOTIF("CreateWebhookSubscription"), "webhook_subscription", kOrganiser, "", "", ""},
    {"GET",    "/v1/webhookSubscriptions",                   NOTIF("ListWebhookSubscriptions"), "", kOrganiser,       "",          "", ""},
    {"DELETE", "/v1/{name=webhookSubscriptions/*}",          NOTIF("DeleteWebhookSubscription"), "", kOrganiser,      "",          "", ""},
};
// clang-format on

#undef HUBS
#undef SCHED
#undef REG
#undef NOTIF

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "gateway route table: %s\n", message.c_str());
  std::abort();
}

// Follows "hub.name" through nested messages; nullptr when a step is missing or not a message.
const google::protobuf::FieldDescriptor* FindFieldPath(const google::protobuf::Descriptor* message,
                                                      const std::string& path) {
  const google::protobuf::FieldDescriptor* field = nullptr;
  for (absl::string_view step : absl::StrSplit(path, '.')) {
    if (message == nullptr) return nullptr;
    field = message->FindFieldByName(std::string(step));
    if (field == nullptr) return nullptr;
    message = field->message_type();
  }
  return field;
}

std::vector<Route> Build() {
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  // Referencing one message of each service makes sure its file is linked in and registered.
  (void)etnik::hubs::v1::GetHubRequest::descriptor();
  (void)etnik::scheduling::v1::GetSessionRequest::descriptor();
  (void)etnik::registration::v1::GetProgrammeRequest::descriptor();
  (void)etnik::notifications::v1::GetTemplateRequest::descriptor();
  std::vector<Route> routes;
  for (const RouteSpec& spec : kSpecs) {
    absl::StatusOr<PathTemplate> path = PathTemplate::Parse(spec.path);
    if (!path.ok()) Die(std::string(path.status().message()));
    const google::protobuf::MethodDescriptor* method = pool->FindMethodByName(spec.rpc);
    if (method == nullptr) Die(absl::StrCat("no RPC ", spec.rpc));
    const google::protobuf::Descriptor* input = method->input_type();
    for (const std::string& field : path->Fields()) {
      if (FindFieldPath(input, field) == nullptr) Die(absl::StrCat(spec.path, ": no field ", field));
    }
    if (spec.body[0] != '\0' && std::string(spec.body) != "*" && input->FindFieldByName(spec.body) == nullptr) {
      Die(absl::StrCat(spec.path, ": no body field ", spec.body));
    }
    if (spec.raw_body[0] != '\0' && method->output_type()->FindFieldByName(spec.raw_body) == nullptr) {
      Die(absl::StrCat(spec.path, ": no response field ", spec.raw_body));
    }
    Route route{spec, *std::move(path),
                absl::StrCat("/", method->service()->full_name(), "/", method->name()), method};
    routes.push_back(std::move(route));
  }
  return routes;
}

}  // namespace

const std::vector<Route>& Routes() {
  static const std::vector<Route>* routes = new std::vector<Route>(Build());
  return *routes;
}

const Route* FindRoute(const std::string& http_method, const std::string& path,
                       std::map<std::string, std::string>* bound) {
  for (const Route& route : Routes()) {
    if (http_method != route.spec.http_method) continue;
    std::optional<std::map<std::string, std::string>> match = route.path.Match(path);
    if (!match) continue;
    *bound = *std::move(match);
    return &route;
  }
  return nullptr;
}

bool PathKnown(const std::string& path) {
  for (const Route& route : Routes()) {
    if (route.path.Match(path)) return true;
  }
  return false;
}

bool RolesAllow(uint32_t access, const auth::Identity& who) {
  if (access & kPublic) return true;
  if (who.anonymous) return false;
  if (access == kAnyRole) return true;
  const std::pair<auth::Role, Access> bits[] = {
      {auth::Role::kOrganiser, kOrganiser}, {auth::Role::kReviewer, kReviewer},
      {auth::Role::kHubLead, kHubLead},     {auth::Role::kExpert, kExpert},
      {auth::Role::kParticipant, kParticipant}, {auth::Role::kService, kService}};
  for (const auto& [role, bit] : bits) {
    if ((access & bit) && auth::HasRole(who, role)) return true;
  }
  return false;
}

}  // namespace etnik::gateway
