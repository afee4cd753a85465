#include "services/notifications/domain/default_templates.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/notifications/domain/template_engine.h"

namespace etnik::notifications {
namespace {

using etnik::common::v1::Channel;
using etnik::common::v1::Language;

struct Text {
  const char* event;  // short event name; "Reminder" for the reminder
  bool essential;
  const char* subject_ru;
  const char* body_ru;
  const char* subject_en;
  const char* body_en;
};

// One line with the session's time and place, shared by the session messages.
#define SESSION_RU                                                   \
  "Начало: {{start_time}}\n"                                         \
  "Окончание: {{end_local}}\n"                                       \
  "{{#if location}}Место: {{location}}{{#if room}}, {{room}}{{/if}}\n{{/if}}" \
  "{{#if online_join_uri}}Ссылка для подключения: {{online_join_uri}}\n{{/if}}" \
  "{{#if online_access_code}}Код доступа: {{online_access_code}}\n{{/if}}"
#define SESSION_EN                                                   \
  "Starts: {{start_time}}\n"                                         \
  "Ends: {{end_local}}\n"                                            \
  "{{#if location}}Place: {{location}}{{#if room}}, {{room}}{{/if}}\n{{/if}}" \
  "{{#if online_join_uri}}Join link: {{online_join_uri}}\n{{/if}}"   \
  "{{#if online_access_code}}Access code: {{online_access_code}}\n{{/if}}"

const Text kTexts[] = {
    {"ApplicationSubmitted", true, "Заявка «{{organisation_name}}» принята",
     "Здравствуйте, {{recipient_name}}!\n\nЗаявка организации «{{organisation_name}}» на участие в "
     "программе «{{programme_title}}» получена {{submit_time}}. Мы сообщим о результатах отбора.\n",
     "Application of {{organisation_name}} received",
     "Hello {{recipient_name}},\n\nThe application of {{organisation_name}} to {{programme_title}} was "
     "received on {{submit_time}}. We will let you know the selection result.\n"},
    {"ApplicationSelected", true, "Заявка «{{organisation_name}}» прошла отбор",
     "Здравствуйте, {{recipient_name}}!\n\nПоздравляем: заявка организации «{{organisation_name}}» "
     "прошла отбор в программу «{{programme_title}}»{{#if rank}} (место в рейтинге: {{rank}}){{/if}}. "
     "В ближайшее время вы получите приглашение.\n",
     "{{organisation_name}} has been selected",
     "Hello {{recipient_name}},\n\nCongratulations: {{organisation_name}} has been selected for "
     "{{programme_title}}{{#if rank}} (rank {{rank}}){{/if}}. An offer will follow shortly.\n"},
    {"ApplicationWaitlisted", true, "Заявка «{{organisation_name}}» в листе ожидания",
     "Здравствуйте, {{recipient_name}}!\n\nЗаявка организации «{{organisation_name}}» включена в лист "
     "ожидания программы «{{programme_title}}»{{#if waitlist_position}}, позиция {{waitlist_position}}"
     "{{/if}}. Если место освободится, мы пришлём приглашение.\n",
     "{{organisation_name}} is on the waiting list",
     "Hello {{recipient_name}},\n\n{{organisation_name}} is on the waiting list of "
     "{{programme_title}}{{#if waitlist_position}} at position {{waitlist_position}}{{/if}}. We will "
     "send an offer if a place becomes free.\n"},
    {"ApplicationRejected", true, "Результаты отбора: «{{organisation_name}}»",
     "Здравствуйте, {{recipient_name}}!\n\nК сожалению, заявка организации «{{organisation_name}}» не "
     "прошла отбор в программу «{{programme_title}}». Благодарим за интерес к программе.\n",
     "Selection result for {{organisation_name}}",
     "Hello {{recipient_name}},\n\nUnfortunately the application of {{organisation_name}} to "
     "{{programme_title}} was not selected. Thank you for your interest.\n"},
    {"OfferMade", true, "Приглашение в программу «{{programme_title}}»",
     "Здравствуйте, {{recipient_name}}!\n\nОрганизация «{{organisation_name}}» приглашена в программу "
     "«{{programme_title}}»{{#if from_waitlist}} из листа ожидания{{/if}}.\nПожалуйста, ответьте до "
     "{{reply_deadline}}. После этого срока место будет предложено другим.\n",
     "Offer to join {{programme_title}}",
     "Hello {{recipient_name}},\n\n{{organisation_name}} is offered a place in "
     "{{programme_title}}{{#if from_waitlist}} from the waiting list{{/if}}.\nPlease reply by "
     "{{reply_deadline}}. After that the place goes to others.\n"},
    {"OfferExpired", true, "Срок ответа на приглашение истёк",
     "Здравствуйте, {{recipient_name}}!\n\nСрок ответа на приглашение организации «{{organisation_name}}» "
     "в программу «{{programme_title}}» истёк, место передано следующему участнику.\n",
     "The offer has expired",
     "Hello {{recipient_name}},\n\nThe offer to {{organisation_name}} for {{programme_title}} has "
     "expired and the place has gone to the next applicant.\n"},
    {"ParticipantConfirmed", true, "«{{organisation_name}}» — участник программы",
     "Здравствуйте, {{recipient_name}}!\n\nОрганизация «{{organisation_name}}» подтверждена как "
     "участник программы «{{programme_title}}». Добро пожаловать!\n",
     "{{organisation_name}} is a participant",
     "Hello {{recipient_name}},\n\n{{organisation_name}} is confirmed as a participant of "
     "{{programme_title}}. Welcome!\n"},
    {"SessionBooked", true, "Забронировано: {{session_title}}",
     "Здравствуйте, {{recipient_name}}!\n\nЗанятие «{{session_title}}»{{#if hub_title}} в хабе "
     "«{{hub_title}}»{{/if}} забронировано.\n" SESSION_RU
     "{{#if capacity}}Мест: {{capacity}}\n{{/if}}",
     "Booked: {{session_title}}",
     "Hello {{recipient_name}},\n\nThe session {{session_title}}{{#if hub_title}} at "
     "{{hub_title}}{{/if}} is booked.\n" SESSION_EN "{{#if capacity}}Places: {{capacity}}\n{{/if}}"},
    {"SessionRescheduled", true, "Изменение: {{session_title}}",
     "Здравствуйте, {{recipient_name}}!\n\nЗанятие «{{session_title}}» перенесено.\n"
     "{{#if previous_start_time}}Было: {{previous_start_time}}\n{{/if}}" SESSION_RU,
     "Changed: {{session_title}}",
     "Hello {{recipient_name}},\n\nThe session {{session_title}} has been rescheduled.\n"
     "{{#if previous_start_time}}Was: {{previous_start_time}}\n{{/if}}" SESSION_EN},
    {"SessionCancelled", true, "Отменено: {{session_title}}",
     "Здравствуйте, {{recipient_name}}!\n\nЗанятие «{{session_title}}», назначенное на {{start_time}}, "
     "отменено.{{#if reason}}\nПричина: {{reason}}{{/if}}\n",
     "Cancelled: {{session_title}}",
     "Hello {{recipient_name}},\n\nThe session {{session_title}} planned for {{start_time}} is "
     "cancelled.{{#if reason}}\nReason: {{reason}}{{/if}}\n"},
    {"AttendeeRegistered", true,
     "{{#if waitlisted}}Лист ожидания{{else}}Регистрация{{/if}}: {{session_title}}",
     "Здравствуйте, {{recipient_name}}!\n\n{{#if waitlisted}}Мест на занятие «{{session_title}}» пока "
     "нет: вы в листе ожидания{{#if waitlist_position}}, позиция {{waitlist_position}}{{/if}}. Мы "
     "сообщим, если место освободится.{{else}}Вы зарегистрированы на занятие «{{session_title}}».{{/if}}\n"
     SESSION_RU,
     "{{#if waitlisted}}Waiting list{{else}}Registered{{/if}}: {{session_title}}",
     "Hello {{recipient_name}},\n\n{{#if waitlisted}}The session {{session_title}} is full: you are on "
     "the waiting list{{#if waitlist_position}} at position {{waitlist_position}}{{/if}}. We will tell "
     "you if a place becomes free.{{else}}You are registered for {{session_title}}.{{/if}}\n" SESSION_EN},
    {"AttendeePromoted", true, "Место освободилось: {{session_title}}",
     "Здравствуйте, {{recipient_name}}!\n\nОсвободилось место, и вы переведены из листа ожидания в "
     "участники занятия «{{session_title}}».\n" SESSION_RU,
     "A place is free: {{session_title}}",
     "Hello {{recipient_name}},\n\nA place became free and you have moved from the waiting list to "
     "the attendees of {{session_title}}.\n" SESSION_EN},
    {"Reminder", false, "Напоминание: {{session_title}}{{#if time_until}} {{time_until}}{{/if}}",
     "Здравствуйте, {{recipient_name}}!\n\nНапоминаем о занятии «{{session_title}}».\n" SESSION_RU,
     "Reminder: {{session_title}}{{#if time_until}} {{time_until}}{{/if}}",
     "Hello {{recipient_name}},\n\nA reminder of the session {{session_title}}.\n" SESSION_EN},
};

#undef SESSION_RU
#undef SESSION_EN

std::string EventTypeOf(absl::string_view short_name) {
  if (short_name == "Reminder") return kReminderEventType;
  return absl::StrCat("etnik.events.v1.", short_name);
}

// "SessionBooked" -> "session-booked".
std::string Kebab(absl::string_view camel) {
  std::string out;
  for (char c : camel) {
    if (absl::ascii_isupper(c)) {
      if (!out.empty()) out += '-';
      out += absl::ascii_tolower(c);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string TemplateId(absl::string_view event_type, Channel channel, Language language) {
  absl::string_view name = event_type;
  if (name == kReminderEventType) name = "Reminder";
  absl::ConsumePrefix(&name, "etnik.events.v1.");
  const char* ch = channel == etnik::common::v1::CHANNEL_TELEGRAM  ? "telegram"
                   : channel == etnik::common::v1::CHANNEL_WEBHOOK ? "webhook"
                                                                   : "email";
  return absl::StrCat(Kebab(name), "-", ch, "-", language == etnik::common::v1::LANGUAGE_EN ? "en" : "ru");
}

std::vector<v1::Template> DefaultTemplates() {
  std::vector<v1::Template> out;
  for (const Text& text : kTexts) {
    const std::string event_type = EventTypeOf(text.event);
    const std::vector<std::string> variables = AllowedVariables(event_type);
    for (Channel channel : {etnik::common::v1::CHANNEL_EMAIL, etnik::common::v1::CHANNEL_TELEGRAM}) {
      for (Language language : {etnik::common::v1::LANGUAGE_RU, etnik::common::v1::LANGUAGE_EN}) {
        v1::Template t;
        t.set_name(absl::StrCat("templates/", TemplateId(event_type, channel, language)));
        t.set_event_type(event_type);
        t.set_channel(channel);
        t.set_language(language);
        const bool ru = language == etnik::common::v1::LANGUAGE_RU;
        t.set_subject(ru ? text.subject_ru : text.subject_en);
        t.set_body(ru ? text.body_ru : text.body_en);
        t.set_essential(text.essential);
        for (const std::string& v : variables) t.add_variables(v);
        out.push_back(std::move(t));
      }
    }
  }
  return out;
}

}  // namespace etnik::notifications
