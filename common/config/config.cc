#include "common/config/config.h"

#include <cstdio>
#include <cstdlib>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace etnik::config {

std::string EnvVarFor(absl::string_view flag_name) {
  return absl::StrCat("ETNIK_", absl::AsciiStrToUpper(flag_name));
}

absl::Status ApplyEnvOverrides(const EnvLookup& getenv_fn) {
  for (auto& [name, flag] : absl::GetAllFlags()) {
    std::string var = EnvVarFor(name);
    const char* value = getenv_fn(var.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("environment variable ", var, "='", value, "' is not a valid value for --", name, ": ", error));
    }
  }
  return absl::OkStatus();
}

std::vector<char*> ParseFlags(int argc, char** argv) {
  absl::Status env = ApplyEnvOverrides([](const char* var) { return std::getenv(var); });
  if (!env.ok()) {
    std::fprintf(stderr, "%s\n", std::string(env.message()).c_str());
    std::exit(2);
  }
  return absl::ParseCommandLine(argc, argv);
}

}  // namespace etnik::config
