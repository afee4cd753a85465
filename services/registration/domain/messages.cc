#include "services/registration/domain/messages.h"

#include <cctype>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace etnik::registration {
namespace {

struct Texts {
  const char* ru;
  const char* en;
};

// A switch rather than a table so that the compiler (-Wswitch -Werror) refuses a key without text.
Texts TextsFor(MessageKey key) {
  switch (key) {
    case MessageKey::kRequestInvalid:
      return {"Проверьте данные: ошибок — {count}.", "Please check the data: {count} error(s)."};
    case MessageKey::kFieldRequired:
      return {"Поле «{field}» обязательно.", "The field \"{field}\" is required."};
    case MessageKey::kFieldTooLong:
      return {"Поле «{field}» должно быть не длиннее {max} символов.",
              "The field \"{field}\" must be at most {max} characters long."};
    case MessageKey::kInvalidUtf8:
      return {"Поле «{field}» содержит недопустимые символы (не UTF-8).",
              "The field \"{field}\" contains invalid characters (not UTF-8)."};
    case MessageKey::kAnswerRequired:
      return {"Ответьте на вопрос «{question}».", "Please answer the question \"{question}\"."};
    case MessageKey::kUnknownQuestion:
      return {"В анкете нет вопроса с идентификатором «{question_id}».",
              "The form has no question with id \"{question_id}\"."};
    case MessageKey::kDuplicateAnswer:
      return {"На вопрос «{question}» дано несколько ответов.",
              "The question \"{question}\" is answered more than once."};
    case MessageKey::kQuestionNotShown:
      return {"Вопрос «{question}» не показывается при данных ответах; уберите ответ на него.",
              "The question \"{question}\" is not shown for these answers; remove its answer."};
    case MessageKey::kExpectedText:
      return {"Ответ на вопрос «{question}» должен быть текстом.",
              "The answer to \"{question}\" must be text."};
    case MessageKey::kExpectedNumber:
      return {"Ответ на вопрос «{question}» должен быть числом.",
              "The answer to \"{question}\" must be a number."};
    case MessageKey::kExpectedYesNo:
      return {"Ответ на вопрос «{question}» должен быть «да» или «нет».",
              "The answer to \"{question}\" must be yes or no."};
    case MessageKey::kExpectedChoices:
      return {"Ответ на вопрос «{question}» должен быть выбран из предложенных вариантов.",
              "The answer to \"{question}\" must be chosen from the options."};
    case MessageKey::kAnswerTooLong:
      return {"Ответ на вопрос «{question}» слишком длинный: {length} символов, допускается не более {max}.",
              "The answer to \"{question}\" is too long: {length} characters, at most {max} allowed."};
    case MessageKey::kEmptyAnswer:
      return {"Ответ на вопрос «{question}» пуст.", "The answer to \"{question}\" is empty."};
    case MessageKey::kNumberNotFinite:
      return {"Ответ на вопрос «{question}» должен быть конечным числом.",
              "The answer to \"{question}\" must be a finite number."};
    case MessageKey::kNumberBelowMin:
      return {"Ответ на вопрос «{question}» должен быть не меньше {min}.",
              "The answer to \"{question}\" must be at least {min}."};
    case MessageKey::kNumberAboveMax:
      return {"Ответ на вопрос «{question}» должен быть не больше {max}.",
              "The answer to \"{question}\" must be at most {max}."};
    case MessageKey::kNotAChoice:
      return {"«{value}» не является вариантом ответа на вопрос «{question}».",
              "\"{value}\" is not one of the options of \"{question}\"."};
    case MessageKey::kSingleChoiceNeedsOne:
      return {"На вопрос «{question}» выберите ровно один вариант.",
              "Choose exactly one option for \"{question}\"."};
    case MessageKey::kDuplicateChoice:
      return {"Вариант «{value}» выбран в вопросе «{question}» несколько раз.",
              "The option \"{value}\" is chosen more than once for \"{question}\"."};
    case MessageKey::kInvalidEmail:
      return {"«{field}»: укажите адрес электронной почты вида name@example.ru.",
              "\"{field}\": enter an e-mail address such as name@example.org."};
    case MessageKey::kInvalidPhone:
      return {"«{field}»: укажите номер телефона в формате +7 XXX XXX-XX-XX или международном формате.",
              "\"{field}\": enter a phone number such as +7 XXX XXX-XX-XX or in international format."};
    case MessageKey::kInvalidUrl:
      return {"«{field}»: укажите полный адрес сайта, начинающийся с http:// или https://.",
              "\"{field}\": enter a full web address starting with http:// or https://."};
    case MessageKey::kUnknownRegion:
      return {"«{field}»: «{value}» не является кодом субъекта Российской Федерации.",
              "\"{field}\": \"{value}\" is not a code of a region of the Russian Federation."};
    case MessageKey::kInvalidInn:
      return {"ИНН «{value}» неверен: нужно 10 цифр (организация) или 12 цифр с правильной контрольной суммой.",
              "INN \"{value}\" is invalid: it needs 10 digits (organisation) or 12 digits with a correct check digit."};
    case MessageKey::kInvalidOgrn:
      return {"ОГРН «{value}» неверен: нужно 13 цифр (ОГРН) или 15 цифр (ОГРНИП) с правильной контрольной цифрой.",
              "OGRN \"{value}\" is invalid: it needs 13 digits (OGRN) or 15 digits (OGRNIP) with a correct check digit."};
    case MessageKey::kInvalidTimeZone:
      return {"Часовой пояс «{value}» неизвестен; укажите пояс вида Europe/Moscow.",
              "The time zone \"{value}\" is unknown; use a zone such as Europe/Moscow."};
    case MessageKey::kInvalidQuestionId:
      return {"Идентификатор вопроса «{question_id}» недопустим: латинские строчные буквы, цифры и _, начиная с буквы, до 63 символов.",
              "The question id \"{question_id}\" is invalid: lower-case Latin letters, digits and _, starting with a letter, up to 63 characters."};
    case MessageKey::kDuplicateQuestionId:
      return {"Идентификатор вопроса «{question_id}» повторяется.",
              "The question id \"{question_id}\" is used more than once."};
    case MessageKey::kQuestionTypeRequired:
      return {"У вопроса «{question_id}» не указан тип.", "The question \"{question_id}\" has no type."};
    case MessageKey::kQuestionTextRequired:
      return {"У вопроса «{question_id}» нет текста.", "The question \"{question_id}\" has no text."};
    case MessageKey::kChoicesRequired:
      return {"У вопроса «{question_id}» с выбором ответа должен быть хотя бы один вариант.",
              "The choice question \"{question_id}\" needs at least one option."};
    case MessageKey::kChoicesNotAllowed:
      return {"У вопроса «{question_id}» этого типа не может быть вариантов ответа.",
              "The question \"{question_id}\" is not a choice question and cannot have options."};
    case MessageKey::kChoiceValueRequired:
      return {"У варианта ответа вопроса «{question_id}» не указано значение.",
              "An option of the question \"{question_id}\" has no value."};
    case MessageKey::kDuplicateChoiceValue:
      return {"Значение варианта «{value}» в вопросе «{question_id}» повторяется.",
              "The option value \"{value}\" is used more than once in \"{question_id}\"."};
    case MessageKey::kShowIfUnknownQuestion:
      return {"Условие показа вопроса «{question_id}» ссылается на несуществующий вопрос «{target}».",
              "The show condition of \"{question_id}\" refers to the unknown question \"{target}\"."};
    case MessageKey::kShowIfNotEarlier:
      return {"Условие показа вопроса «{question_id}» должно ссылаться на один из предыдущих вопросов, а «{target}» идёт не раньше.",
              "The show condition of \"{question_id}\" must refer to an earlier question; \"{target}\" is not earlier."};
    case MessageKey::kShowIfWrongType:
      return {"Условие показа вопроса «{question_id}» может ссылаться только на вопрос с выбором ответа или «да/нет», а «{target}» не такой.",
              "The show condition of \"{question_id}\" may only refer to a choice or yes/no question; \"{target}\" is neither."};
    case MessageKey::kShowIfValuesRequired:
      return {"В условии показа вопроса «{question_id}» не указаны значения.",
              "The show condition of \"{question_id}\" lists no values."};
    case MessageKey::kShowIfUnknownValue:
      return {"В условии показа вопроса «{question_id}» значение «{value}» не является вариантом ответа на «{target}».",
              "The show condition of \"{question_id}\" uses \"{value}\", which is not an option of \"{target}\"."};
    case MessageKey::kMinAboveMax:
      return {"У вопроса «{question_id}» минимальное значение больше максимального.",
              "The question \"{question_id}\" has a minimum above its maximum."};
    case MessageKey::kRangeNotANumber:
      return {"Минимум и максимум вопроса «{question_id}» должны быть числами.",
              "The minimum and maximum of \"{question_id}\" must be numbers."};
    case MessageKey::kRangeOnlyForNumbers:
      return {"Минимум и максимум задаются только для числовых вопросов, а «{question_id}» не числовой.",
              "A minimum and maximum apply to number questions only; \"{question_id}\" is not one."};
    case MessageKey::kNegativeMaxLength:
      return {"Максимальная длина ответа на вопрос «{question_id}» не может быть отрицательной.",
              "The maximum answer length of \"{question_id}\" cannot be negative."};
    case MessageKey::kTitleRequired:
      return {"У анкеты должно быть название.", "The form needs a title."};
    case MessageKey::kPurposeRequired:
      return {"Укажите назначение анкеты: заявка на отбор или опрос.",
              "Set the purpose of the form: application or survey."};
    case MessageKey::kOpenNotBeforeClose:
      return {"Приём ответов должен начинаться раньше, чем заканчивается.",
              "The form must open before it closes."};
    case MessageKey::kDeadlinePassed:
      return {"Срок приёма заявок истёк {deadline}.", "The deadline for applications passed on {deadline}."};
    case MessageKey::kFormNotOpen:
      return {"Приём ответов ещё не начался; он откроется {open_time}.",
              "The form is not open yet; it opens on {open_time}."};
    case MessageKey::kCount:
      break;
  }
  return {"", ""};
}

std::string Substitute(absl::string_view pattern, const std::map<std::string, std::string>& args) {
  std::string out;
  out.reserve(pattern.size());
  size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '{') {
      size_t close = pattern.find('}', i + 1);
      if (close != absl::string_view::npos) {
        auto it = args.find(std::string(pattern.substr(i + 1, close - i - 1)));
        if (it != args.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += pattern[i];
    ++i;
  }
  return out;
}

}  // namespace

Language LanguageFromTag(absl::string_view accept_language) {
  // Accept-Language lists tags in preference order; q-values are ignored as browsers send them
  // in descending order anyway.
  for (absl::string_view part : absl::StrSplit(accept_language, ',')) {
    absl::string_view tag = absl::StripAsciiWhitespace(part);
    tag = tag.substr(0, tag.find(';'));
    tag = absl::StripAsciiWhitespace(tag);
    absl::string_view primary = tag.substr(0, tag.find_first_of("-_"));
    if (absl::EqualsIgnoreCase(primary, "ru")) return Language::kRussian;
    if (absl::EqualsIgnoreCase(primary, "en")) return Language::kEnglish;
  }
  return Language::kRussian;
}

Language LanguageFromProto(etnik::common::v1::Language language) {
  return language == etnik::common::v1::LANGUAGE_EN ? Language::kEnglish : Language::kRussian;
}

std::string Localized(const etnik::common::v1::LocalizedText& text, Language lang) {
  if (lang == Language::kEnglish && !text.en().empty()) return text.en();
  if (!text.ru().empty()) return text.ru();
  return text.en();
}

std::vector<MessageKey> AllMessageKeys() {
  std::vector<MessageKey> keys;
  for (int i = 0; i < static_cast<int>(MessageKey::kCount); ++i) keys.push_back(static_cast<MessageKey>(i));
  return keys;
}

std::string Message(MessageKey key, Language lang, const std::map<std::string, std::string>& args) {
  Texts texts = TextsFor(key);
  return Substitute(lang == Language::kEnglish ? texts.en : texts.ru, args);
}

}  // namespace etnik::registration
