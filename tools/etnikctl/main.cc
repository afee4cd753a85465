// etnikctl: the operator's command line for a running etnik stack.
//
//   etnikctl token --role=organiser [--hub=media] [--sub=ID]     a development bearer token
//   etnikctl import demo/etnik-2021.json                          load or update a programme
//   etnikctl export --programme=programmes/etnik-2021 [FILE|-]    the programme as an import file
//   etnikctl schedule --programme=programmes/etnik-2021           the sessions as a table
//   etnikctl selection --programme=... preview|commit --yes       the selection's decisions
//   etnikctl report --programme=... applications|participants|progress [--out=FILE]   CSV
//
// Exit codes: 0 done, 1 the services refused or failed, 2 bad usage.

#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tools/etnikctl/client.h"
#include "tools/etnikctl/commands.h"
#include "tools/etnikctl/import.h"
#include "tools/etnikctl/selection.h"

ABSL_FLAG(std::string, registration, "127.0.0.1:50051", "Address of the registration service");
ABSL_FLAG(std::string, hubs, "127.0.0.1:50052", "Address of the hubs service");
ABSL_FLAG(std::string, scheduling, "127.0.0.1:50053", "Address of the scheduling service");
ABSL_FLAG(std::string, jwt_key_file, ".run/secrets/jwt-hs256.key",
          "HS256 secret the services verify tokens with (scripts/stack.sh makes it)");
ABSL_FLAG(std::string, token, "", "Bearer token to call with; by default an organiser token is minted");
ABSL_FLAG(std::string, role, "", "token: organiser, reviewer, hub_lead, expert, participant or service");
ABSL_FLAG(std::string, hub, "", "token: the hub id a hub_lead leads");
ABSL_FLAG(std::string, sub, "", "token: subject (default dev-<role>)");
ABSL_FLAG(std::string, programme, "", "export, schedule, selection, report: the programme, programmes/{id}");
ABSL_FLAG(std::string, out, "-", "report: the CSV file to write; - for stdout");
ABSL_FLAG(bool, yes, false, "selection commit: really commit (offers are sent)");
ABSL_FLAG(int32_t, seats, 0, "selection: seats to fill; 0 means the programme's");
ABSL_FLAG(double, min_score, 0, "selection: applications scoring below are rejected; 0 disables");
ABSL_FLAG(int32_t, waitlist_size, 0, "selection: longest waiting list; 0 means unlimited");
ABSL_FLAG(std::vector<std::string>, quota, {},
          "selection: quotas ID:region|answer/QUESTION:VALUE:at_most|at_least:COUNT, comma-separated");

namespace etnik::ctl {
namespace {

constexpr char kUsage[] =
    "etnikctl token --role=ROLE [--hub=ID] [--sub=ID]\n"
    "         import FILE.json|-\n"
    "         export --programme=programmes/ID [FILE|-]\n"
    "         schedule --programme=programmes/ID\n"
    "         selection --programme=programmes/ID preview|commit [--yes] [--seats=N] [--min_score=X]\n"
    "                   [--waitlist_size=N] [--quota=ID:region|answer/QUESTION:VALUE:at_most|at_least:COUNT,...]\n"
    "         report --programme=programmes/ID applications|participants|progress [--out=FILE]\n"
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

// The --programme flag, checked; "" after a usage message.
std::string ProgrammeFlag(const std::string& command, int* code) {
  const std::string programme = absl::GetFlag(FLAGS_programme);
  const std::string id = programme.substr(std::min(programme.size(), sizeof("programmes/") - 1));
  if (!absl::StartsWith(programme, "programmes/") || id.empty() || id.find('/') != std::string::npos) {
    *code = Fail(absl::StrCat(command, " needs --programme=programmes/ID"));
    return "";
  }
  return programme;
}

// Abseil exits with 1 on an unknown flag or a bad value; here those are usage errors (2).
int CheckFlags(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (!absl::ConsumePrefix(&arg, "--") && !absl::ConsumePrefix(&arg, "-")) continue;
    if (arg.empty()) continue;  // "-": stdin or stdout
    const size_t eq = arg.find('=');
    const std::string name(arg.substr(0, eq));
    // Abseil's own: help, version and flag files.
    static const std::set<std::string> kBuiltIn = {"help", "helpfull", "helpshort", "helppackage", "helpon",
                                                   "helpmatch", "version", "only_check_args", "flagfile",
                                                   "fromenv", "tryfromenv", "undefok"};
    if (kBuiltIn.count(name)) return 0;
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    bool negated = false;
    if (flag == nullptr && absl::StartsWith(name, "no")) {
      flag = absl::FindCommandLineFlag(name.substr(2));
      negated = flag != nullptr && flag->IsOfType<bool>();
      if (!negated) flag = nullptr;
    }
    if (flag == nullptr) return Fail(absl::StrCat("unknown flag --", name, "\n", kUsage));
    std::string value;
    if (eq != absl::string_view::npos) {
      value = std::string(arg.substr(eq + 1));
    } else if (negated || flag->IsOfType<bool>()) {
      continue;
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return Fail(absl::StrCat("--", name, " needs a value"));
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) return Fail(absl::StrCat("--", name, ": ", error));
  }
  return 0;
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
    if (args.size() != 3) return Fail("usage: etnikctl import FILE.json|-");
    int code = 0;
    const std::string token = CallerToken(&code);
    if (code != 0) return code;
    return ImportProgramme(args[2], endpoints, token);
  }
  if (command == "export") {
    if (args.size() > 3) return Fail("usage: etnikctl export --programme=programmes/ID [FILE|-]");
    int code = 0;
    const std::string programme = ProgrammeFlag("export", &code);
    if (code != 0) return code;
    const std::string token = CallerToken(&code);
    if (code != 0) return code;
    return ExportProgramme(programme, args.size() == 3 ? args[2] : "-", endpoints, token);
  }
  if (command == "selection") {
    const std::string action = args.size() == 3 ? args[2] : "";
    if (action != "preview" && action != "commit") {
      return Fail("usage: etnikctl selection --programme=programmes/ID preview|commit [--yes]");
    }
    int code = 0;
    const std::string programme = ProgrammeFlag("selection", &code);
    if (code != 0) return code;
    if (action == "commit" && !absl::GetFlag(FLAGS_yes)) {
      return Fail("selection commit changes the applications' states and sends offers; add --yes to go ahead");
    }
    SelectionSettings settings;
    settings.seats = absl::GetFlag(FLAGS_seats);
    settings.min_score = absl::GetFlag(FLAGS_min_score);
    settings.waitlist_size = absl::GetFlag(FLAGS_waitlist_size);
    absl::StatusOr<std::vector<etnik::registration::v1::Quota>> quotas = ParseQuotas(absl::GetFlag(FLAGS_quota));
    if (!quotas.ok()) return Fail(std::string(quotas.status().message()));
    settings.quotas = *quotas;
    const std::string token = CallerToken(&code);
    if (code != 0) return code;
    return RunSelection(programme, action == "commit", settings, endpoints, token);
  }
  if (command == "report") {
    const std::string kind = args.size() == 3 ? args[2] : "";
    if (kind != "applications" && kind != "participants" && kind != "progress") {
      return Fail("usage: etnikctl report --programme=programmes/ID applications|participants|progress [--out=FILE]");
    }
    int code = 0;
    const std::string programme = ProgrammeFlag("report", &code);
    if (code != 0) return code;
    const std::string token = CallerToken(&code);
    if (code != 0) return code;
    return WriteReport(programme, kind, absl::GetFlag(FLAGS_out), endpoints, token);
  }
  if (command == "schedule") {
    if (args.size() != 2) return Fail("usage: etnikctl schedule --programme=programmes/ID");
    int code = 0;
    if (ProgrammeFlag("schedule", &code).empty()) return code;
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
  if (int code = etnik::ctl::CheckFlags(argc, argv); code != 0) return code;
  return etnik::ctl::Run(absl::ParseCommandLine(argc, argv));
}
