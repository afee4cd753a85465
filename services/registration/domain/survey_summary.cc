#include "services/registration/domain/survey_summary.h"

namespace etnik::registration {}  // namespace etnik::registration
