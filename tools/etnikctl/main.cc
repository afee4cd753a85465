// etnikctl: the operator's command line for a running etnik stack.
//
//   etnikctl token --role=organiser [--hub=media] [--sub=ID]     a development bearer token
//   etnikctl import demo/etnik-2021.json                          load a programme (idempotent)
//   etnikctl schedule --programme=programmes/etnik-2021           the sessions as a table

#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "tools/etnikctl/client.h"
#include "tools/etnikctl/import.h"

ABSL_FLAG(std::string, registration, "127.0.0.1:50051", "Address of the registration service");
ABSL_FLAG(std::string, hubs, "127.0.0.1:50052", "Address of the hubs service");
ABSL_FLAG(std::string, scheduling, "127.0.0.1:50053", "Address of the scheduling service");
ABSL_FLAG(std::string, jwt_key_file, ".run/secrets/jwt-hs256.key",
          "HS256 secret the services verify tokens with (scripts/stack.sh makes it)");
ABSL_FLAG(std::string, token, "", "Bearer token to call with; by default an organiser token is minted");
ABSL_FLAG(std::string, role, "", "token: organiser, reviewer, hub_lead, expert, participant or service");
ABSL_FLAG(std::string, hub, "", "token: the hub id a hub_lead leads");
ABSL_FLAG(std::string, sub, "", "token: subject (default dev-<role>)");
ABSL_FLAG(std::string, programme, "", "schedule: the programme, programmes/{id}");

namespace etnik::ctl {
namespace {

constexpr char kUsage[] =
    "etnikctl token --role=ROLE [--hub=ID] [--sub=ID] | import FILE.json | schedule --programme=programmes/ID\n"
    "  common flags: --registration --hubs --scheduling --jwt_key_file --token";

int Fail(const std::string& message) {
  std::cerr << "etnikctl: " << message << "\n";
  return 2;
}

std::string CallerToken(int* code) {
  if (!absl::GetFlag(FLAGS_token).empty()) return absl::GetFlag(FLAGS_token);
  absl::StatusOr<std::string> token =
      MintDevToken(absl::GetFlag(FLAGS_jwt_key_file), "organiser", "etnikctl", "");
  if (!token.ok()) {
    *code = Fail(absl::StrCat("cannot mint an organiser token: ", token.status().message(),
                              " (pass --jwt_key_file or --token)"));
    return "";
  }
  return *token;
}

int Run(const std::vector<char*>& args) {
  if (args.size() < 2) return Fail(kUsage);
  const std::string command = args[1];
  const Endpoints endpoints{absl::GetFlag(FLAGS_registration), absl::GetFlag(FLAGS_hubs),
                            absl::GetFlag(FLAGS_scheduling)};
  if (command == "token") {
    if (args.size() != 2) return Fail("token takes no arguments, only flags");
    const std::string role = absl::GetFlag(FLAGS_role);
    if (role.empty()) return Fail("token needs --role");
    std::string sub = absl::GetFlag(FLAGS_sub);
    if (sub.empty()) sub = "dev-" + role;
    absl::StatusOr<std::string> token = MintDevToken(absl::GetFlag(FLAGS_jwt_key_file), role, sub,
                                                     absl::GetFlag(FLAGS_hub));
    if (!token.ok()) return Fail(std::string(token.status().message()));
    std::cout << *token << "\n";
    return 0;
  }
  if (command == "import") {
    if (args.size() != 3) return Fail("usage: etnikctl import FILE.json");
    int code = 0;
    const std::string token = CallerToken(&code);
    if (code != 0) return code;
    return ImportProgramme(args[2], endpoints, token);
  }
  if (command == "schedule") {
    if (args.size() != 2) return Fail("usage: etnikctl schedule --programme=programmes/ID");
    if (absl::GetFlag(FLAGS_programme).empty()) return Fail("schedule needs --programme=programmes/ID");
    int code = 0;
    const std::string token = CallerToken(&code);
    if (code != 0) return code;
    return PrintSchedule(absl::GetFlag(FLAGS_programme), endpoints, token);
  }
  return Fail(absl::StrCat("unknown command '", command, "'\n", kUsage));
}

}  // namespace
}  // namespace etnik::ctl

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(etnik::ctl::kUsage);
  return etnik::ctl::Run(absl::ParseCommandLine(argc, argv));
}
