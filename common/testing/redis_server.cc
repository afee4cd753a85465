#include "common/testing/redis_server.h"

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace etnik::test {
namespace {

absl::StatusOr<int> ProbeFreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    close(fd);
    return absl::InternalError(absl::StrCat("bind 127.0.0.1:0: ", std::strerror(err)));
  }
  close(fd);
  return ntohs(addr.sin_port);
}

std::string ReplyText(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      return std::to_string(r->integer);
    case REDIS_REPLY_NIL:
      return "(nil)";
    case REDIS_REPLY_ARRAY: {
      std::string out;
      for (size_t i = 0; i < r->elements; ++i) {
        absl::StrAppend(&out, i == 0 ? "" : "\n", ReplyText(r->element[i]));
      }
      return out;
    }
    default:
      return std::string(r->str, r->len);
  }
}

std::string LogTail(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > 2000 ? s.substr(s.size() - 2000) : s;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Launch(RedisServerOptions options) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "etnik-redis-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", std::strerror(errno)));
  }
  std::unique_ptr<RedisServer> server(new RedisServer(std::move(options), tmpl));
  absl::Status last = absl::UnknownError("no attempt made");
  for (int attempt = 0; attempt < std::max(1, server->options_.port_attempts); ++attempt) {
    absl::StatusOr<int> port = ProbeFreePort();
    if (!port.ok()) return port.status();
    last = server->Spawn(*port);
    if (last.ok()) last = server->WaitUntilReady();
    if (last.ok()) {
      server->port_ = *port;
      return server;
    }
    (void)server->Kill();  // most likely the port was taken meanwhile; try another
  }
  return last;
}

RedisServer::RedisServer(RedisServerOptions options, std::string dir)
    : options_(std::move(options)), dir_(std::move(dir)) {}

RedisServer::~RedisServer() {
  (void)Kill();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string RedisServer::url() const { return absl::StrCat("redis://127.0.0.1:", port_); }

absl::Status RedisServer::Spawn(int port) {
  if (pid_ > 0) return absl::FailedPreconditionError("redis-server is already running");
  const std::string log = dir_ + "/redis.log";
  std::vector<std::string> args = {options_.binary,
                                   "--port",
                                   std::to_string(port),
                                   "--bind",
                                   "127.0.0.1",
                                   "--save",
                                   "",
                                   "--appendonly",
                                   "no",
                                   "--dir",
                                   dir_,
                                   "--logfile",
                                   log,
                                   "--daemonize",
                                   "no",
                                   "--loglevel",
                                   "warning"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  if (pid == 0) {
    // Only async-signal-safe calls until exec. Die with the test process.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, 0);
      dup2(devnull, 1);
      dup2(devnull, 2);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  pid_ = pid;
  port_ = port;
  return absl::OkStatus();
}

absl::Status RedisServer::WaitUntilReady() {
  const absl::Time deadline = absl::Now() + options_.startup_timeout;
  while (absl::Now() < deadline) {
    int wstatus = 0;
    if (waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(absl::StrCat("redis-server exited at start (port ", port_,
                                                 "): ", LogTail(dir_ + "/redis.log")));
    }
    timeval tv{0, 200000};
    redisContext* ctx = redisConnectWithTimeout("127.0.0.1", port_, tv);
    if (ctx != nullptr && ctx->err == 0) {
      redisSetTimeout(ctx, tv);
      auto* pong = static_cast<redisReply*>(redisCommand(ctx, "PING"));
      const bool ready = pong != nullptr && pong->type == REDIS_REPLY_STATUS;
      if (pong != nullptr) freeReplyObject(pong);
      // Ours, not another server that holds the port: INFO names the process.
      auto* r = ready ? static_cast<redisReply*>(redisCommand(ctx, "INFO server")) : nullptr;
      const bool ours =
          r != nullptr && r->type == REDIS_REPLY_STRING &&
          std::string(r->str, r->len).find(absl::StrCat("process_id:", pid_, "\r\n")) !=
              std::string::npos;
      if (r != nullptr) freeReplyObject(r);
      redisFree(ctx);
      if (ours) return absl::OkStatus();
    } else if (ctx != nullptr) {
      redisFree(ctx);
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return absl::DeadlineExceededError(absl::StrCat("redis-server did not answer PING on port ",
                                                  port_, " within ",
                                                  absl::FormatDuration(options_.startup_timeout)));
}

absl::Status RedisServer::Reap(absl::Duration grace) {
  const absl::Time deadline = absl::Now() + grace;
  int wstatus = 0;
  while (absl::Now() < deadline) {
    pid_t r = waitpid(pid_, &wstatus, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
      pid_ = -1;
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &wstatus, 0);
  pid_ = -1;
  return absl::OkStatus();
}

absl::Status RedisServer::Stop() {
  if (pid_ <= 0) return absl::OkStatus();
  kill(pid_, SIGTERM);
  return Reap(absl::Seconds(5));
}

absl::Status RedisServer::Kill() {
  if (pid_ <= 0) return absl::OkStatus();
  kill(pid_, SIGKILL);
  return Reap(absl::Seconds(5));
}

absl::Status RedisServer::Start() {
  if (port_ == 0) return absl::FailedPreconditionError("never launched");
  absl::Status s = Spawn(port_);
  if (s.ok()) s = WaitUntilReady();
  return s;
}

absl::Status RedisServer::Pause(absl::Duration duration) {
  absl::StatusOr<std::string> r =
      Execute({"CLIENT", "PAUSE", std::to_string(absl::ToInt64Milliseconds(duration)), "ALL"});
  return r.status();
}

absl::StatusOr<std::string> RedisServer::Execute(std::initializer_list<std::string> args) const {
  if (pid_ <= 0) return absl::FailedPreconditionError("redis-server is not running");
  timeval connect_tv{1, 0};
  redisContext* ctx = redisConnectWithTimeout("127.0.0.1", port_, connect_tv);
  if (ctx == nullptr || ctx->err != 0) {
    std::string why = ctx != nullptr ? ctx->errstr : "out of memory";
    if (ctx != nullptr) redisFree(ctx);
    return absl::UnavailableError(absl::StrCat("connect to redis-server: ", why));
  }
  timeval command_tv{5, 0};
  redisSetTimeout(ctx, command_tv);
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const std::string& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* r = static_cast<redisReply*>(
      redisCommandArgv(ctx, static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (r == nullptr) {
    absl::Status s = absl::UnavailableError(absl::StrCat("redis-server: ", ctx->errstr));
    redisFree(ctx);
    return s;
  }
  absl::StatusOr<std::string> out = ReplyText(r);
  if (r->type == REDIS_REPLY_ERROR) out = absl::InternalError(ReplyText(r));
  freeReplyObject(r);
  redisFree(ctx);
  return out;
}

}  // namespace etnik::test
