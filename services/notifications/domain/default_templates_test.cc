#include "services/notifications/domain/default_templates.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notifications/domain/template_engine.h"
#include "services/notifications/domain/time_text.h"

namespace etnik::notifications {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(DefaultTemplates, EveryOneIsValid) {
  const std::vector<v1::Template> all = DefaultTemplates();
  std::set<std::string> names;
  for (const v1::Template& t : all) {
    SCOPED_TRACE(t.name());
    EXPECT_THAT(ValidateTemplate(t), IsEmpty());
    EXPECT_TRUE(names.insert(t.name()).second) << "duplicate";
    EXPECT_FALSE(t.subject().empty());
    EXPECT_GT(t.variables_size(), 0);
  }
}

TEST(DefaultTemplates, CoverEveryEventChannelAndLanguage) {
  std::set<std::string> names;
  for (const v1::Template& t : DefaultTemplates()) names.insert(t.name());
  const std::vector<std::string> types = KnownEventTypes();
  EXPECT_EQ(types.size(), 13u);
  for (const std::string& type : types) {
    for (auto ch : {etnik::common::v1::CHANNEL_EMAIL, etnik::common::v1::CHANNEL_TELEGRAM}) {
      for (auto lang : {etnik::common::v1::LANGUAGE_RU, etnik::common::v1::LANGUAGE_EN}) {
        EXPECT_TRUE(names.count("templates/" + TemplateId(type, ch, lang))) << type;
      }
    }
  }
  EXPECT_EQ(names.size(), types.size() * 4);
  EXPECT_TRUE(names.count("templates/session-booked-email-ru"));
  EXPECT_TRUE(names.count("templates/attendee-promoted-telegram-en"));
  EXPECT_TRUE(names.count("templates/reminder-email-ru"));
}

TEST(DefaultTemplates, OnlyTheReminderIsNonEssential) {
  for (const v1::Template& t : DefaultTemplates()) {
    EXPECT_EQ(t.essential(), t.event_type() != kReminderEventType) << t.name();
  }
}

const v1::Template& Find(const std::string& name) {
  static const std::vector<v1::Template> all = DefaultTemplates();
  for (const v1::Template& t : all) {
    if (t.name() == name) return t;
  }
  static const v1::Template none;
  ADD_FAILURE() << "no " << name;
  return none;
}

TEST(DefaultTemplates, RendersARussianRegistration) {
  const absl::Time start = absl::FromCivil(absl::CivilSecond(2026, 11, 25, 12, 0, 0), absl::UTCTimeZone());
  std::map<std::string, std::string> vars = {
      {"recipient_name", "Анна Петрова"},
      {"session_title", "Мастер-класс: заявка на грант"},
      {"start_time", FormatForRecipient(start, "Europe/Moscow", "Asia/Vladivostok", etnik::common::v1::LANGUAGE_RU)},
      {"end_local", FormatLocal(start + absl::Hours(2), "Asia/Vladivostok", etnik::common::v1::LANGUAGE_RU)},
      {"location", "Казань, ул. Баумана, 1"},
      {"room", "ауд. 5"},
  };
  const v1::Template& t = Find("templates/attendee-registered-email-ru");
  auto subject = Render(t.subject(), vars);
  auto body = Render(t.body(), vars);
  ASSERT_TRUE(subject.ok() && body.ok());
  EXPECT_EQ(*subject, "Регистрация: Мастер-класс: заявка на грант");
  EXPECT_THAT(*body, HasSubstr("Здравствуйте, Анна Петрова!"));
  EXPECT_THAT(*body, HasSubstr("Вы зарегистрированы на занятие «Мастер-класс: заявка на грант»."));
  EXPECT_THAT(*body, HasSubstr("Начало: 25 ноября 2026 г., 22:00 (Asia/Vladivostok); по времени "
                               "мероприятия: 25 ноября 2026 г., 15:00 (Europe/Moscow)\n"));
  EXPECT_THAT(*body, HasSubstr("Место: Казань, ул. Баумана, 1, ауд. 5\n"));
  EXPECT_THAT(*body, ::testing::Not(HasSubstr("Ссылка")));
  vars["waitlisted"] = "true";
  vars["waitlist_position"] = "3";
  EXPECT_EQ(*Render(t.subject(), vars), "Лист ожидания: Мастер-класс: заявка на грант");
  EXPECT_THAT(*Render(t.body(), vars), HasSubstr("вы в листе ожидания, позиция 3."));
}

TEST(DefaultTemplates, RendersAnOfferDeadline) {
  const v1::Template& t = Find("templates/offer-made-email-ru");
  auto body = Render(t.body(), {{"recipient_name", "Иван"},
                                {"organisation_name", "НКО «Рассвет»"},
                                {"programme_title", "Этнокультурные проекты"},
                                {"reply_deadline", "1 декабря 2026 г., 23:59 (Europe/Moscow)"}});
  ASSERT_TRUE(body.ok());
  EXPECT_THAT(*body, HasSubstr("Пожалуйста, ответьте до 1 декабря 2026 г., 23:59 (Europe/Moscow)."));
  EXPECT_THAT(*body, ::testing::Not(HasSubstr("листа ожидания")));
}

}  // namespace
}  // namespace etnik::notifications
