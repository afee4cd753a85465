#include "common/testing/postgres_server.h"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace etnik::test {
namespace {

namespace fs = std::filesystem;

constexpr char kDefaultBinDir[] = "/usr/lib/postgresql/15/bin";

std::string TempRoot() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
}

// Forks and execs argv[0] as uid/gid (when switch_user), output appended to log_fd. Between fork
// and exec only async-signal-safe calls: this runs inside multi-threaded test binaries.
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& args, bool switch_user, uid_t uid,
                            gid_t gid, const std::string& cwd, int log_fd, int death_signal) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  if (pid == 0) {
    if (switch_user) {
      if (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0) _exit(126);
    }
    // Set after the uid change, which clears it: the server dies with the test process.
    prctl(PR_SET_PDEATHSIG, death_signal);
    if (getppid() != parent) _exit(125);
    if (log_fd >= 0) {
      dup2(log_fd, STDOUT_FILENO);
      dup2(log_fd, STDERR_FILENO);
    }
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    close_range(3, ~0U, 0);  // the server must not hold the test's sockets and files
    if (chdir(cwd.c_str()) != 0) _exit(124);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

absl::Status RunToCompletion(const std::vector<std::string>& args, bool switch_user, uid_t uid,
                             gid_t gid, const std::string& cwd, const std::string& log_path) {
  int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  absl::StatusOr<pid_t> pid = Spawn(args, switch_user, uid, gid, cwd, log_fd, SIGKILL);
  if (log_fd >= 0) close(log_fd);
  if (!pid.ok()) return pid.status();
  int wstatus = 0;
  while (waitpid(*pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) return absl::OkStatus();
  std::ifstream log(log_path);
  std::stringstream text;
  text << log.rdbuf();
  return absl::InternalError(absl::StrCat(args[0], " failed (wait status ", wstatus,
                                          "): ", text.str()));
}

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

std::string PercentEncode(absl::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppendFormat(&out, "%%%02X", c);
    }
  }
  return out;
}

// The URL of database `dbname` on the server `url` points at.
absl::StatusOr<std::string> UrlWithDatabase(const std::string& url, absl::string_view dbname) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string message = error != nullptr ? error : "unparsable";
    PQfreemem(error);
    return absl::InvalidArgumentError(absl::StrCat("bad PostgreSQL URL: ", message));
  }
  std::string user, password, host, port;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    absl::string_view key = o->keyword;
    if (key == "user") user = o->val;
    if (key == "password") password = o->val;
    if (key == "host") host = o->val;
    if (key == "port") port = o->val;
  }
  PQconninfoFree(options);
  std::string out = "postgresql://";
  if (!user.empty()) {
    absl::StrAppend(&out, PercentEncode(user));
    if (!password.empty()) absl::StrAppend(&out, ":", PercentEncode(password));
    out.push_back('@');
  }
  absl::StrAppend(&out, PercentEncode(host));
  if (!port.empty()) absl::StrAppend(&out, ":", port);
  absl::StrAppend(&out, "/", PercentEncode(dbname));
  return out;
}

absl::StatusOr<std::string> DatabaseName(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return absl::InvalidArgumentError("bad PostgreSQL URL");
  }
  std::string name;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && absl::string_view(o->keyword) == "dbname") name = o->val;
  }
  PQconninfoFree(options);
  return name;
}

absl::Status ExecAdmin(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    return absl::UnavailableError(absl::StrCat("cannot connect to test PostgreSQL: ", message));
  }
  PGresult* result = PQexec(conn, sql.c_str());
  absl::Status status;
  if (PQresultStatus(result) != PGRES_COMMAND_OK) {
    status = absl::InternalError(absl::StrCat(sql, ": ", PQresultErrorMessage(result)));
  }
  PQclear(result);
  PQfinish(conn);
  return status;
}

// Runs initdb once per machine and user into a cache directory; later servers copy it.
absl::StatusOr<std::string> TemplateDir(const std::string& bin_dir, bool switch_user, uid_t uid,
                                        gid_t gid) {
  // Bump the number when the initdb arguments change.
  const std::string base = absl::StrCat(TempRoot(), "/etnik-pg15-template-2-", uid);
  const std::string ready = base + "/etnik-template-ready";
  int lock_fd = open((base + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (lock_fd < 0) return absl::InternalError(absl::StrCat("lock file: ", std::strerror(errno)));
  while (flock(lock_fd, LOCK_EX) != 0 && errno == EINTR) {
  }
  absl::Status status;
  std::error_code ec;
  if (!fs::exists(ready, ec)) {
    const std::string work = absl::StrCat(base, ".tmp-", getpid());
    fs::remove_all(base, ec);
    fs::remove_all(work, ec);
    fs::create_directory(work, ec);
    if (switch_user && chown(work.c_str(), uid, gid) != 0) {
      status = absl::InternalError(absl::StrCat("chown ", work, ": ", std::strerror(errno)));
    }
    if (status.ok()) {
      status = RunToCompletion({bin_dir + "/initdb", "-D", work + "/data", "-A", "trust", "-U",
                                "postgres", "-E", "UTF8", "--locale=C", "--no-sync",
                                // 1 MB WAL segments: a smaller template to copy per server.
                                "--wal-segsize=1"},
                               switch_user, uid, gid, work, work + "/initdb.log");
    }
    if (status.ok()) {
      fs::rename(work, base, ec);
      if (ec) status = absl::InternalError(absl::StrCat("rename template: ", ec.message()));
    }
    if (status.ok()) std::ofstream(ready) << "initdb done\n";
    if (!status.ok()) fs::remove_all(work, ec);
  }
  flock(lock_fd, LOCK_UN);
  close(lock_fd);
  if (!status.ok()) return status;
  return base + "/data";
}

}  // namespace

absl::StatusOr<PostgresServer*> PostgresServer::Shared() {
  static absl::Mutex mu(absl::kConstInit);
  static std::unique_ptr<PostgresServer>* server = nullptr;
  absl::MutexLock lock(&mu);
  if (server == nullptr) {
    const char* url = std::getenv("ETNIK_TEST_POSTGRES_URL");
    if (url != nullptr && *url != '\0') {
      std::unique_ptr<PostgresServer> external(new PostgresServer());
      external->external_ = true;
      external->admin_url_ = url;
      server = new std::unique_ptr<PostgresServer>(std::move(external));
    } else {
      absl::StatusOr<std::unique_ptr<PostgresServer>> started = StartPrivate();
      if (!started.ok()) return started.status();
      server = new std::unique_ptr<PostgresServer>(std::move(*started));
      // Stopped at exit by the unique_ptr's deleter, registered after the server exists.
      std::atexit([] { server->reset(); });
    }
  }
  return server->get();
}

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::StartPrivate() {
  std::unique_ptr<PostgresServer> s(new PostgresServer());
  s->owner_pid_ = getpid();
  const char* bin = std::getenv("ETNIK_POSTGRES_BIN_DIR");
  s->bin_dir_ = bin != nullptr && *bin != '\0' ? bin : kDefaultBinDir;
  std::error_code ec;
  if (!fs::exists(s->bin_dir_ + "/postgres", ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no PostgreSQL server binaries in ", s->bin_dir_,
        " (install the Debian package postgresql-15, or set ETNIK_TEST_POSTGRES_URL)"));
  }
  s->uid_ = geteuid();
  s->gid_ = getegid();
  if (s->uid_ == 0) {
    // PostgreSQL refuses to run as root.
    struct passwd* pw = getpwnam("postgres");
    if (pw == nullptr) {
      return absl::FailedPreconditionError("running as root but there is no `postgres` user");
    }
    s->uid_ = pw->pw_uid;
    s->gid_ = pw->pw_gid;
    s->switch_user_ = true;
  }
  std::string pattern = TempRoot() + "/etnik-pg-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", std::strerror(errno)));
  }
  s->dir_ = pattern;
  if (s->switch_user_ && chown(s->dir_.c_str(), s->uid_, s->gid_) != 0) {
    return absl::InternalError(absl::StrCat("chown ", s->dir_, ": ", std::strerror(errno)));
  }
  absl::StatusOr<std::string> tmpl = TemplateDir(s->bin_dir_, s->switch_user_, s->uid_, s->gid_);
  if (!tmpl.ok()) return tmpl.status();
  absl::Status status = RunToCompletion({"/bin/cp", "-a", *tmpl, s->dir_ + "/data"},
                                        s->switch_user_, s->uid_, s->gid_, s->dir_,
                                        s->dir_ + "/copy.log");
  if (!status.ok()) return status;
  // A port picked now may be taken before the server binds it: try a few.
  for (int attempt = 0; attempt < 3; ++attempt) {
    s->port_ = FreeLoopbackPort();
    status = s->Launch();
    if (status.ok()) break;
  }
  if (!status.ok()) return status;
  s->admin_url_ = absl::StrCat("postgresql://postgres@127.0.0.1:", s->port_, "/postgres");
  return s;
}

absl::Status PostgresServer::Launch() {
  const std::string log_path = dir_ + "/postgres.log";
  int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  absl::StatusOr<pid_t> pid = Spawn(
      {bin_dir_ + "/postgres", "-D", dir_ + "/data", "-p", absl::StrCat(port_), "-k", dir_,
       "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
       "-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "deadlock_timeout=100ms",
       "-c", "max_wal_size=1GB", "-c", "log_min_messages=warning", "-c", "log_connections=off"},
      switch_user_, uid_, gid_, dir_, log_fd, SIGQUIT);
  if (log_fd >= 0) close(log_fd);
  if (!pid.ok()) return pid.status();
  pid_ = *pid;
  const std::string conninfo =
      absl::StrCat("host=127.0.0.1 port=", port_, " user=postgres dbname=postgres connect_timeout=2");
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    if (PQping(conninfo.c_str()) == PQPING_OK) return absl::OkStatus();
    int wstatus = 0;
    if (waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream log(log_path);
      std::stringstream text;
      text << log.rdbuf();
      return absl::UnavailableError(absl::StrCat("postgres exited at start-up: ", text.str()));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
  return absl::DeadlineExceededError("postgres did not accept connections within 30 s");
}

absl::Status PostgresServer::Stop() {
  absl::MutexLock lock(&mu_);
  if (external_) return absl::FailedPreconditionError("cannot stop an external PostgreSQL");
  if (pid_ <= 0) return absl::OkStatus();
  kill(pid_, SIGINT);  // fast shutdown: ends sessions, writes a checkpoint
  int wstatus = 0;
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (waitpid(pid_, &wstatus, WNOHANG) == 0) {
    if (absl::Now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &wstatus, 0);
      break;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  pid_ = -1;
  return absl::OkStatus();
}

absl::Status PostgresServer::Restart() {
  if (external_) return absl::FailedPreconditionError("cannot restart an external PostgreSQL");
  absl::Status status = Stop();
  if (!status.ok()) return status;
  absl::MutexLock lock(&mu_);
  return Launch();
}

PostgresServer::~PostgresServer() {
  if (external_ || getpid() != owner_pid_) return;
  if (pid_ > 0) {
    kill(pid_, SIGQUIT);  // immediate shutdown: the data is thrown away next
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

absl::StatusOr<std::string> PostgresServer::CreateDatabase() {
  static std::atomic<int> counter{0};
  thread_local absl::BitGen gen;
  std::string name = absl::StrFormat("etnik_test_%d_%d_%04x", getpid(), counter.fetch_add(1),
                                     absl::Uniform<unsigned>(gen, 0, 0x10000));
  // FILE_COPY (PostgreSQL 15+) copies the template's files: about ten times faster here than
  // the default WAL_LOG, which pays off when every test makes its own database.
  absl::Status status =
      ExecAdmin(admin_url_, absl::StrCat("CREATE DATABASE ", name, " STRATEGY FILE_COPY"));
  if (!status.ok()) return status;
  return UrlWithDatabase(admin_url_, name);
}

absl::Status PostgresServer::DropDatabase(absl::string_view url) {
  absl::StatusOr<std::string> name = DatabaseName(std::string(url));
  if (!name.ok()) return name.status();
  // Only names CreateDatabase makes, so nothing else can be dropped by mistake.
  if (name->rfind("etnik_test_", 0) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("not a test database: ", *name));
  }
  return ExecAdmin(admin_url_, absl::StrCat("DROP DATABASE IF EXISTS ", *name, " WITH (FORCE)"));
}

absl::StatusOr<std::unique_ptr<TempPostgresDatabase>> TempPostgresDatabase::Create() {
  absl::StatusOr<PostgresServer*> server = PostgresServer::Shared();
  if (!server.ok()) return server.status();
  absl::StatusOr<std::string> url = (*server)->CreateDatabase();
  if (!url.ok()) return url.status();
  return std::unique_ptr<TempPostgresDatabase>(new TempPostgresDatabase(*server, *url));
}

TempPostgresDatabase::~TempPostgresDatabase() { server_->DropDatabase(url_).IgnoreError(); }

}  // namespace etnik::test
