#ifndef ETNIK_SERVICES_REGISTRATION_DOMAIN_MESSAGES_H_
#define ETNIK_SERVICES_REGISTRATION_DOMAIN_MESSAGES_H_

// The catalogue of user-facing messages of the registration service. Applicants are Russian
// NGOs, so Russian is the default; English is the alternative for organisers and partners.

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "etnik/common/v1/text.pb.h"

namespace etnik::registration {

enum class Language { kRussian, kEnglish };

// "en", "en-US,en;q=0.9" -> kEnglish; empty, "ru" or anything unknown -> kRussian.
// The first language of the list that we speak wins ("de,en;q=0.8" -> kEnglish).
Language LanguageFromTag(absl::string_view accept_language);

// The contact person's preference from the proto enum; unspecified means Russian.
Language LanguageFromProto(etnik::common::v1::Language language);

// The text in `lang`, falling back to Russian (and to English when Russian is empty).
std::string Localized(const etnik::common::v1::LocalizedText& text, Language lang);

// One key per user-facing message. Placeholders each message uses are listed beside it.
enum class MessageKey {
  // Generic fields.
  kRequestInvalid,        // {count}
  kFieldRequired,         // {field}
  kFieldTooLong,          // {field} {max}
  kInvalidUtf8,           // {field}
  // Answers to form questions.
  kAnswerRequired,        // {question}
  kUnknownQuestion,       // {question_id}
  kDuplicateAnswer,       // {question}
  kQuestionNotShown,      // {question}
  kExpectedText,          // {question}
  kExpectedNumber,        // {question}
  kExpectedYesNo,         // {question}
  kExpectedChoices,       // {question}
  kAnswerTooLong,         // {question} {max} {length}
  kEmptyAnswer,           // {question}
  kNumberNotFinite,       // {question}
  kNumberBelowMin,        // {question} {min}
  kNumberAboveMax,        // {question} {max}
  kNotAChoice,            // {question} {value}
  kSingleChoiceNeedsOne,  // {question}
  kDuplicateChoice,       // {question} {value}
  kInvalidEmail,          // {field}
  kInvalidPhone,          // {field}
  kInvalidUrl,            // {field}
  kUnknownRegion,         // {field} {value}
  // Organisation identifiers and contact person.
  kInvalidInn,            // {value}
  kInvalidOgrn,           // {value}
  kInvalidTimeZone,       // {value}
  // Form definitions.
  kInvalidQuestionId,     // {question_id}
  kDuplicateQuestionId,   // {question_id}
  kQuestionTypeRequired,  // {question_id}
  kQuestionTextRequired,  // {question_id}
  kChoicesRequired,       // {question_id}
  kChoicesNotAllowed,     // {question_id}
  kChoiceValueRequired,   // {question_id}
  kDuplicateChoiceValue,  // {question_id} {value}
  kShowIfUnknownQuestion, // {question_id} {target}
  kShowIfNotEarlier,      // {question_id} {target}
  kShowIfWrongType,       // {question_id} {target}
  kShowIfValuesRequired,  // {question_id}
  kShowIfUnknownValue,    // {question_id} {target} {value}
  kMinAboveMax,           // {question_id}
  kRangeNotANumber,       // {question_id}
  kRangeOnlyForNumbers,   // {question_id}
  kNegativeMaxLength,     // {question_id}
  kTitleRequired,
  kPurposeRequired,
  kOpenNotBeforeClose,
  // Deadlines and windows.
  kDeadlinePassed,        // {deadline}
  kFormNotOpen,           // {open_time}
  // Sentinel: keep last; AllMessageKeys() iterates up to it.
  kCount,
};

// Every key except kCount, for tests and catalogue checks.
std::vector<MessageKey> AllMessageKeys();

// The message for `key` in `lang`, with "{name}" placeholders replaced from `args`
// (placeholders without an argument stay as written).
std::string Message(MessageKey key, Language lang, const std::map<std::string, std::string>& args = {});

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_DOMAIN_MESSAGES_H_
