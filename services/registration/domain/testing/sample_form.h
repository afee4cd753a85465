#ifndef ETNIK_SERVICES_REGISTRATION_DOMAIN_TESTING_SAMPLE_FORM_H_
#define ETNIK_SERVICES_REGISTRATION_DOMAIN_TESTING_SAMPLE_FORM_H_

// A participant questionnaire in the spirit of the 2021 EtNik selection, with every question
// type and a chain of show_if conditions; shared by the domain tests and the fuzz replay.

#include <string>

#include "etnik/registration/v1/form.pb.h"
#include "google/protobuf/text_format.h"

namespace etnik::registration::testing {

inline constexpr char kSampleFormText[] = R"pb(
  name: "programmes/etnik-2021/forms/application"
  purpose: FORM_PURPOSE_APPLICATION
  title { ru: "Анкета участника конкурсного отбора" en: "Participant questionnaire" }
  questions {
    question_id: "profile" type: QUESTION_TYPE_SINGLE_CHOICE required: true
    text { ru: "Профиль организации" en: "Organisation profile" }
    choices { value: "media" label { ru: "Информационные и медиапроекты" } }
    choices { value: "crafts" label { ru: "Народные промыслы и ремёсла" } }
    choices { value: "migrants" label { ru: "Работа с мигрантами" } }
  }
  questions {
    question_id: "has_projects" type: QUESTION_TYPE_YES_NO required: true
    text { ru: "Были ли у организации проекты в сфере межнациональных отношений?" en: "Has the organisation run inter-ethnic projects?" }
  }
  questions {
    question_id: "projects_count" type: QUESTION_TYPE_NUMBER required: true min_value: 1 max_value: 1000
    text { ru: "Сколько проектов?" en: "How many projects?" }
    show_if { question_id: "has_projects" any_of: "yes" }
  }
  questions {
    question_id: "about" type: QUESTION_TYPE_LONG_TEXT required: true
    text { ru: "Расскажите об организации" en: "About the organisation" }
  }
  questions {
    question_id: "motto" type: QUESTION_TYPE_TEXT max_length: 10
    text { ru: "Девиз" en: "Motto" }
  }
  questions { question_id: "site" type: QUESTION_TYPE_URL text { ru: "Сайт" en: "Web site" } }
  questions { question_id: "email" type: QUESTION_TYPE_EMAIL text { ru: "Почта" en: "E-mail" } }
  questions { question_id: "phone" type: QUESTION_TYPE_PHONE text { ru: "Телефон" en: "Phone" } }
  questions {
    question_id: "region" type: QUESTION_TYPE_REGION required: true
    text { ru: "Регион" en: "Region" }
  }
  questions {
    question_id: "topics" type: QUESTION_TYPE_MULTIPLE_CHOICE required: true
    text { ru: "Темы" en: "Topics" }
    choices { value: "festivals" label { ru: "Фестивали" } }
    choices { value: "language" label { ru: "Родной язык" } }
    choices { value: "cuisine" label { ru: "Национальная кухня" } }
    show_if { question_id: "profile" any_of: "media" any_of: "crafts" }
  }
  questions {
    question_id: "language_detail" type: QUESTION_TYPE_TEXT required: true
    text { ru: "Какие языки?" }
    show_if { question_id: "topics" any_of: "language" }
  }
)pb";

inline v1::Form SampleForm() {
  v1::Form form;
  google::protobuf::TextFormat::ParseFromString(kSampleFormText, &form);
  return form;
}

}  // namespace etnik::registration::testing

#endif  // ETNIK_SERVICES_REGISTRATION_DOMAIN_TESTING_SAMPLE_FORM_H_
