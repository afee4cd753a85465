#include "services/registration/domain/organisation_rules.h"

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace etnik::registration {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Fields(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> fields;
  for (const auto& v : violations) fields.push_back(v.field);
  return fields;
}

v1::Application Valid() {
  v1::Application app;
  google::protobuf::TextFormat::ParseFromString(R"pb(
    organisation {
      full_name: "Автономная некоммерческая организация «Ресурсный центр межнациональных отношений»"
      short_name: "АНО «РЦ»"
      inn: "6730000011"
      ogrn: "1156700000126"
      region: "RU-SMO"
      city: "Смоленск"
      contact { email: "info@etnik-smolensk.ru" website_uri: "https://etnik-smolensk.ru" phone: "+74812000000" }
    }
    contact_person {
      full_name: "Иванова Мария Петровна"
      position: "Директор"
      contact { email: "m.ivanova@mail.ru" phone: "8 (910) 123-45-67" }
      time_zone: "Europe/Moscow"
    }
  )pb", &app);
  return app;
}

TEST(ValidateOrganisationTest, ValidApplication) {
  v1::Application app = Valid();
  EXPECT_THAT(ValidateOrganisation(app.organisation(), &app.contact_person(), "application", Language::kRussian, true),
              IsEmpty());
}

TEST(ValidateOrganisationTest, RequiredFields) {
  v1::Organisation org;
  v1::ContactPerson person;
  auto violations = ValidateOrganisation(org, &person, "application", Language::kRussian, true);
  EXPECT_THAT(Fields(violations),
              ElementsAre("application.organisation.full_name", "application.organisation.inn",
                          "application.organisation.region", "application.contact_person.full_name",
                          "application.contact_person.contact.email"));
  EXPECT_EQ(violations[0].description, "Поле «Полное наименование организации» обязательно.");
  EXPECT_EQ(violations[1].description, "Поле «ИНН» обязательно.");
}

TEST(ValidateOrganisationTest, SurveyResponsesNeedNoInnOrContactPerson) {
  v1::Organisation org = Valid().organisation();
  org.clear_inn();
  org.clear_ogrn();
  EXPECT_THAT(ValidateOrganisation(org, nullptr, "survey_response", Language::kRussian, false), IsEmpty());
  org.set_inn("6730000012");  // given, so checked
  EXPECT_THAT(Fields(ValidateOrganisation(org, nullptr, "survey_response", Language::kRussian, false)),
              ElementsAre("survey_response.organisation.inn"));
}

TEST(ValidateOrganisationTest, InvalidValues) {
  v1::Application app = Valid();
  v1::Organisation& org = *app.mutable_organisation();
  org.set_inn("7707083894");
  org.set_ogrn("1027700132196");
  org.set_region("RU-XXX");
  org.mutable_contact()->set_email("info@@etnik");
  org.mutable_contact()->set_phone("12345");
  org.mutable_contact()->set_website_uri("etnik-smolensk.ru");
  v1::ContactPerson& person = *app.mutable_contact_person();
  person.mutable_contact()->set_email("m.ivanova");
  person.mutable_contact()->set_phone("+7 910");
  person.set_time_zone("Europe/Smolensk");
  auto violations = ValidateOrganisation(org, &person, "application", Language::kEnglish, true);
  EXPECT_THAT(Fields(violations),
              ElementsAre("application.organisation.inn", "application.organisation.ogrn",
                          "application.organisation.region", "application.organisation.contact.email",
                          "application.organisation.contact.phone", "application.organisation.contact.website_uri",
                          "application.contact_person.contact.email", "application.contact_person.contact.phone",
                          "application.contact_person.time_zone"));
  EXPECT_EQ(violations[0].description,
            "INN \"7707083894\" is invalid: it needs 10 digits (organisation) or 12 digits with a correct check digit.");
  EXPECT_EQ(violations[8].description, "The time zone \"Europe/Smolensk\" is unknown; use a zone such as Europe/Moscow.");
}

TEST(ValidateOrganisationTest, FullNameLengthInCharacters) {
  v1::Application app = Valid();
  std::string name;
  for (int i = 0; i < 500; ++i) name += "Я";  // 500 characters, 1000 bytes
  app.mutable_organisation()->set_full_name(name);
  EXPECT_THAT(ValidateOrganisation(app.organisation(), nullptr, "application", Language::kRussian, true), IsEmpty());
  app.mutable_organisation()->set_full_name(name + "Я");
  auto violations = ValidateOrganisation(app.organisation(), nullptr, "application", Language::kRussian, true);
  ASSERT_THAT(Fields(violations), ElementsAre("application.organisation.full_name"));
  EXPECT_EQ(violations[0].description, "Поле «Полное наименование организации» должно быть не длиннее 500 символов.");
  app.mutable_organisation()->set_full_name("АНО\xFF");
  EXPECT_THAT(Fields(ValidateOrganisation(app.organisation(), nullptr, "application", Language::kRussian, true)),
              ElementsAre("application.organisation.full_name"));
}

}  // namespace
}  // namespace etnik::registration
