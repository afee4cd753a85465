#include "services/notifications/channels/testing/smtp_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace etnik::notifications::testing {
namespace {

absl::StatusOr<int> FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return absl::InternalError("bind 127.0.0.1:0 failed");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

// Reads the SMTP greeting: "220 ..." means a server is listening.
bool Greets(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  timeval tv{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  bool ok = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    char buf[64] = {};
    ok = recv(fd, buf, sizeof buf - 1, 0) >= 3 && std::strncmp(buf, "220", 3) == 0;
    const char quit[] = "QUIT\r\n";
    (void)!send(fd, quit, sizeof quit - 1, MSG_NOSIGNAL);
  }
  close(fd);
  return ok;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

absl::StatusOr<std::unique_ptr<SmtpServer>> SmtpServer::Launch() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "etnik-smtp-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  std::unique_ptr<SmtpServer> server(new SmtpServer(tmpl));
  absl::Status last = absl::UnknownError("no attempt");
  for (int attempt = 0; attempt < 5; ++attempt) {  // another process may take the probed port
    absl::StatusOr<int> port = FreePort();
    if (!port.ok()) return port.status();
    last = server->Spawn(*port);
    if (last.ok()) last = server->WaitUntilReady();
    if (last.ok()) return server;
    server->Stop();
  }
  return last;
}

SmtpServer::~SmtpServer() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string SmtpServer::url() const { return absl::StrCat("smtp://127.0.0.1:", port_); }

absl::Status SmtpServer::Spawn(int port) {
  const std::string listen = absl::StrCat("127.0.0.1:", port);
  const std::string pythonpath = absl::StrCat("PYTHONPATH=", ETNIK_NOTIFICATIONS_TESTING_DIR);
  const std::string log = dir_ + "/server.log";
  std::vector<std::string> args = {"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", listen,
                                   "-c", "eml_handler.EmlHandler", dir_};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp = {const_cast<char*>(pythonpath.c_str()), const_cast<char*>("LANG=C.UTF-8"),
                             const_cast<char*>("PYTHONDONTWRITEBYTECODE=1"), nullptr};
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the test
    if (getppid() != parent) _exit(1);
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (out >= 0) {
      dup2(out, 1);
      dup2(out, 2);
    }
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  pid_ = pid;
  port_ = port;
  return absl::OkStatus();
}

absl::Status SmtpServer::WaitUntilReady() {
  const absl::Time deadline = absl::Now() + absl::Seconds(15);
  while (absl::Now() < deadline) {
    int wstatus = 0;
    if (waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(absl::StrCat("aiosmtpd exited at start: ", ReadFile(dir_ + "/server.log")));
    }
    if (Greets(port_)) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError("aiosmtpd did not greet within 15 s");
}

void SmtpServer::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  int wstatus = 0;
  while (absl::Now() < deadline) {
    if (waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &wstatus, 0);
  pid_ = -1;
}

std::vector<std::string> SmtpServer::Messages() const {
  std::vector<std::string> out;
  for (int n = 1;; ++n) {
    const std::string path = absl::StrCat(dir_, "/", n, ".json");
    if (!std::filesystem::exists(path)) break;
    out.push_back(ReadFile(path));
  }
  return out;
}

std::string SmtpServer::Raw(int n) const { return ReadFile(absl::StrCat(dir_, "/", n, ".eml")); }

}  // namespace etnik::notifications::testing
