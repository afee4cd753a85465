#ifndef ETNIK_SERVICES_NOTIFICATIONS_API_TESTING_SMTP_SINK_H_
#define ETNIK_SERVICES_NOTIFICATIONS_API_TESTING_SMTP_SINK_H_

// Test helper: runs smtp_sink.py (aiosmtpd, /usr/bin/python3) as a child process and reads back
// the messages it accepted. Header-only, test code only.

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace etnik::notifications::testing {

struct SunkMessage {
  std::string message_id, subject, to, body;
  std::vector<std::string> rcpt_tos;
  struct Att {
    std::string filename, content_type, method, data;
  };
  std::vector<Att> attachments;
};

class SmtpSink {
 public:
  // `refuse`: addresses answered 550. `raw`: record only Message-ID and envelope.
  static absl::StatusOr<std::unique_ptr<SmtpSink>> Launch(std::vector<std::string> refuse = {}, bool raw = false) {
    static int counter = 0;
    auto sink = std::unique_ptr<SmtpSink>(new SmtpSink());
    sink->dir_ = absl::StrCat(::testing::TempDir(), "/smtp-sink-", ::getpid(), "-", ++counter);
    ::mkdir(sink->dir_.c_str(), 0700);
    sink->refuse_ = std::move(refuse);
    sink->raw_ = raw;
    if (absl::Status s = sink->Start(); !s.ok()) return s;
    return sink;
  }
  ~SmtpSink() { Stop(); }

  int port() const { return port_; }
  std::string url() const { return absl::StrCat("smtp://127.0.0.1:", port_); }
  std::string out_path() const { return dir_ + "/messages.jsonl"; }

  // Starts (again, on the same port after Stop()).
  absl::Status Start() {
    const std::string port_file = dir_ + "/port";
    ::unlink(port_file.c_str());
    std::vector<std::string> args = {"/usr/bin/python3", absl::StrCat(ETNIK_SOURCE_DIR, "/services/notifications/api/testing/smtp_sink.py"),
                                     "--port-file", port_file, "--out", out_path()};
    if (port_ != 0) {
      args.push_back("--port");
      args.push_back(absl::StrCat(port_));
    }
    for (const std::string& r : refuse_) {
      args.push_back("--refuse");
      args.push_back(r);
    }
    if (raw_) args.push_back("--raw");
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (absl::Now() < deadline) {
      std::ifstream in(port_file);
      int port = 0;
      if (in >> port && port > 0) {
        port_ = port;
        return absl::OkStatus();
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return absl::UnavailableError("smtp_sink.py exited (is python3-aiosmtpd installed?)");
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    return absl::DeadlineExceededError("smtp_sink.py did not start");
  }

  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  std::vector<SunkMessage> Messages() const {
    std::vector<SunkMessage> out;
    std::ifstream in(out_path());
    std::string line;
    while (std::getline(in, line)) {
      google::protobuf::Struct s;
      if (!google::protobuf::util::JsonStringToMessage(line, &s).ok()) continue;
      const auto& f = s.fields();
      auto str = [&](const google::protobuf::Struct& st, const char* k) {
        auto it = st.fields().find(k);
        return it == st.fields().end() ? std::string() : it->second.string_value();
      };
      SunkMessage m;
      m.message_id = str(s, "message_id");
      m.subject = str(s, "subject");
      m.to = str(s, "to");
      m.body = str(s, "body");
      if (auto it = f.find("rcpt_tos"); it != f.end()) {
        for (const auto& v : it->second.list_value().values()) m.rcpt_tos.push_back(v.string_value());
      }
      if (auto it = f.find("attachments"); it != f.end()) {
        for (const auto& v : it->second.list_value().values()) {
          const auto& a = v.struct_value();
          m.attachments.push_back({str(a, "filename"), str(a, "content_type"), str(a, "method"), str(a, "data")});
        }
      }
      out.push_back(std::move(m));
    }
    return out;
  }

 private:
  SmtpSink() = default;
  std::string dir_;
  std::vector<std::string> refuse_;
  bool raw_ = false;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace etnik::notifications::testing

#endif  // ETNIK_SERVICES_NOTIFICATIONS_API_TESTING_SMTP_SINK_H_
