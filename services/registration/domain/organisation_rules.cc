#include "services/registration/domain/organisation_rules.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "services/registration/domain/formats.h"
#include "services/registration/domain/org_ids.h"
#include "services/registration/domain/regions.h"

namespace etnik::registration {
namespace {

inline constexpr size_t kMaxNameLength = 500;
inline constexpr size_t kMaxShortTextLength = 200;

// Human names of the fields, for "{field}" in messages.
struct Label {
  const char* ru;
  const char* en;
};

class OrganisationChecker {
 public:
  OrganisationChecker(absl::string_view prefix, Language lang) : prefix_(prefix), lang_(lang) {}

  void CheckOrganisation(const v1::Organisation& org, bool require_ids) {
    const std::string p = prefix_ + ".organisation";
    Text(p + ".full_name", org.full_name(), kMaxNameLength, /*required=*/true,
         {"Полное наименование организации", "Full name of the organisation"});
    Text(p + ".short_name", org.short_name(), kMaxNameLength, false,
         {"Краткое наименование организации", "Short name of the organisation"});
    if (org.inn().empty()) {
      if (require_ids) Add(p + ".inn", MessageKey::kFieldRequired, {{"field", L({"ИНН", "INN"})}});
    } else if (!IsValidInn(org.inn())) {
      Add(p + ".inn", MessageKey::kInvalidInn, {{"value", DisplayValue(org.inn(), 20)}});
    }
    if (!org.ogrn().empty() && !IsValidOgrn(org.ogrn())) {
      Add(p + ".ogrn", MessageKey::kInvalidOgrn, {{"value", DisplayValue(org.ogrn(), 20)}});
    }
    const Label region{"Регион", "Region"};
    if (IsBlank(org.region())) {
      Add(p + ".region", MessageKey::kFieldRequired, {{"field", L(region)}});
    } else if (FindRegion(org.region()) == nullptr) {
      Add(p + ".region", MessageKey::kUnknownRegion, {{"field", L(region)}, {"value", DisplayValue(org.region())}});
    }
    Text(p + ".city", org.city(), kMaxShortTextLength, false, {"Населённый пункт", "City"});
    Contact(p + ".contact", org.contact(), /*email_required=*/false);
  }

  void CheckContactPerson(const v1::ContactPerson& person) {
    const std::string p = prefix_ + ".contact_person";
    Text(p + ".full_name", person.full_name(), kMaxNameLength, true,
         {"ФИО контактного лица", "Full name of the contact person"});
    Text(p + ".position", person.position(), kMaxNameLength, false, {"Должность", "Position"});
    Contact(p + ".contact", person.contact(), /*email_required=*/true);
    if (!person.time_zone().empty() && !IsValidTimeZone(person.time_zone())) {
      Add(p + ".time_zone", MessageKey::kInvalidTimeZone, {{"value", DisplayValue(person.time_zone())}});
    }
  }

  std::vector<FieldViolation> Take() { return std::move(violations_); }

 private:
  std::string L(const Label& label) const { return lang_ == Language::kEnglish ? label.en : label.ru; }

  void Add(std::string field, MessageKey key, std::map<std::string, std::string> args) {
    violations_.push_back({std::move(field), Message(key, lang_, args)});
  }

  void Text(const std::string& path, const std::string& value, size_t max, bool required, const Label& label) {
    std::optional<size_t> length = Utf8Length(value);
    if (!length) return Add(path, MessageKey::kInvalidUtf8, {{"field", L(label)}});
    if (required && IsBlank(value)) return Add(path, MessageKey::kFieldRequired, {{"field", L(label)}});
    if (*length > max) Add(path, MessageKey::kFieldTooLong, {{"field", L(label)}, {"max", absl::StrCat(max)}});
  }

  void Contact(const std::string& p, const etnik::common::v1::ContactInfo& c, bool email_required) {
    const Label email{"Электронная почта", "E-mail"};
    if (c.email().empty()) {
      if (email_required) Add(p + ".email", MessageKey::kFieldRequired, {{"field", L(email)}});
    } else if (!IsValidEmail(c.email())) {
      Add(p + ".email", MessageKey::kInvalidEmail, {{"field", L(email)}});
    }
    if (!c.phone().empty() && !IsValidPhone(c.phone())) {
      Add(p + ".phone", MessageKey::kInvalidPhone, {{"field", L({"Телефон", "Phone"})}});
    }
    if (!c.website_uri().empty() && !IsValidHttpUrl(c.website_uri())) {
      Add(p + ".website_uri", MessageKey::kInvalidUrl, {{"field", L({"Сайт", "Web site"})}});
    }
    Text(p + ".telegram", c.telegram(), 64, false, {"Telegram", "Telegram"});
  }

  const std::string prefix_;
  const Language lang_;
  std::vector<FieldViolation> violations_;
};

}  // namespace

std::vector<etnik::FieldViolation> ValidateOrganisation(const v1::Organisation& org, const v1::ContactPerson* contact,
                                                        absl::string_view prefix, Language lang, bool require_ids) {
  OrganisationChecker checker(prefix, lang);
  checker.CheckOrganisation(org, require_ids);
  if (contact != nullptr) checker.CheckContactPerson(*contact);
  return checker.Take();
}

}  // namespace etnik::registration
