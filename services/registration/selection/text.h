#ifndef ETNIK_SERVICES_REGISTRATION_SELECTION_TEXT_H_
#define ETNIK_SERVICES_REGISTRATION_SELECTION_TEXT_H_

// Picks the Russian or English wording of a message built by the selection code (which must not
// depend on the api layer's Tr).

#include <string>

#include "absl/strings/string_view.h"
#include "services/registration/domain/messages.h"

namespace etnik::registration {

inline std::string RuEn(Language lang, absl::string_view ru, absl::string_view en) {
  return std::string(lang == Language::kEnglish ? en : ru);
}

}  // namespace etnik::registration

#endif  // ETNIK_SERVICES_REGISTRATION_SELECTION_TEXT_H_
