// Reminders to 10 000 attendees through the notifications pipeline (durable queue, leased
// claims, delivery workers, the SMTP sender) to a local aiosmtpd server, beside a plain libcurl
// SMTP client sending the same MIME messages to the same server in the same run; then the
// reminder lateness (due time to hand-off) with due times spread over a window.
//
//   notifications_reminder_bench [--count=10000] [--workers=2] [--lateness_rate_fraction=0.5]

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/clock/clock.h"
#include "common/db/database.h"
#include "common/db/migrations.h"
#include "common/testing/sqlite_temp_database.h"
#include "curl/curl.h"
#include "prometheus/registry.h"
#include "services/notifications/api/delivery_worker.h"
#include "services/notifications/channels/smtp_sender.h"
#include "services/notifications/domain/template_engine.h"
#include "services/notifications/store/deliveries.h"
#include "services/notifications/store/schema.h"

ABSL_FLAG(int, count, 10000, "Reminders (attendees).");
ABSL_FLAG(int, workers, 2, "Delivery worker threads.");
ABSL_FLAG(int, batch_size, 32, "Deliveries claimed at a time.");
ABSL_FLAG(double, lateness_rate_fraction, 0.5,
          "Lateness phase: due times are spread so they fall due at this fraction of the measured rate.");

namespace {

using namespace etnik;                 // NOLINT
using namespace etnik::notifications;  // NOLINT

double LoadAverage() {
  std::ifstream in("/proc/loadavg");
  double l = 0;
  in >> l;
  return l;
}

// aiosmtpd in raw mode (records only Message-ID and envelope) as a child process.
struct Sink {
  pid_t pid = -1;
  int port = 0;
  std::string out;
  ~Sink() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
  }
  bool Start(const std::string& dir) {
    const std::string port_file = dir + "/port";
    out = dir + "/messages.jsonl";
    pid = ::fork();
    if (pid == 0) {
      std::string script = absl::StrCat(ETNIK_SOURCE_DIR, "/services/notifications/api/testing/smtp_sink.py");
      std::string pf = port_file, o = out;
      char py[] = "/usr/bin/python3", a1[] = "--port-file", a2[] = "--out", a3[] = "--raw";
      char* argv[] = {py, script.data(), a1, pf.data(), a2, o.data(), a3, nullptr};
      ::execv(argv[0], argv);
      ::_exit(127);
    }
    for (int i = 0; i < 1000; ++i) {
      std::ifstream in(port_file);
      if (in >> port && port > 0) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }
  size_t Lines() const {
    std::ifstream in(out);
    return static_cast<size_t>(std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
  }
};

store::DeliveryRow Reminder(int i, absl::Time due, const std::string& run) {
  store::DeliveryRow r;
  r.event_id = absl::StrCat("events/e1/sessions/s1#reminder-3600s@", run);
  r.event_type = kReminderEventType;
  r.recipient = absl::StrCat("subj-", i);
  r.recipient_name = absl::StrCat("Участник ", i);
  r.channel = etnik::common::v1::CHANNEL_EMAIL;
  r.address = absl::StrCat("u", i, "@example.org");
  r.subject = "Напоминание: Открытая лекция 1 ч";
  r.body = absl::StrCat("Здравствуйте, Участник ", i,
                        "!\n\nНапоминаем о занятии «Открытая лекция».\nНачало: 17 января 2027 г., 13:00 "
                        "(Asia/Yekaterinburg); 11:00 по времени мероприятия (Europe/Moscow)\n"
                        "Место: Казань, ул. Баумана, 1\n");
  r.session = "events/e1/sessions/s1";
  r.due_time = due;
  return r;
}

bool Insert(db::Database& db, const std::vector<store::DeliveryRow>& rows) {
  absl::Status st = db.InTransaction(db::TxMode::kWrite, [&](soci::session& s) -> absl::Status {
    for (const store::DeliveryRow& r : rows) {
      absl::StatusOr<bool> ok = store::InsertDelivery(s, r, absl::Now());
      if (!ok.ok()) return ok.status();
    }
    return absl::OkStatus();
  });
  if (!st.ok()) std::fprintf(stderr, "insert: %s\n", std::string(st.message()).c_str());
  return st.ok();
}

size_t Ignore(char*, size_t size, size_t n, void*) { return size * n; }

struct Payload {
  const std::string* data;
  size_t offset = 0;
};
size_t ReadPayload(char* buf, size_t size, size_t n, void* p) {
  Payload* in = static_cast<Payload*>(p);
  const size_t len = std::min(size * n, in->data->size() - in->offset);
  std::memcpy(buf, in->data->data() + in->offset, len);
  in->offset += len;
  return len;
}

// The plain client: one reused libcurl handle (one connection), one message after the other.
double PlainRate(const std::string& url, const std::vector<store::DeliveryRow>& rows) {
  std::vector<std::string> mime;
  for (const store::DeliveryRow& r : rows) {
    OutgoingMessage m;
    m.channel = etnik::common::v1::CHANNEL_EMAIL;
    m.address = r.address;
    m.recipient_name = r.recipient_name;
    m.subject = r.subject;
    m.body = r.body;
    m.idempotency_key = absl::StrCat("plain|", r.idempotency_key.empty() ? r.recipient : r.idempotency_key);
    mime.push_back(BuildMimeMessage(m, "etnik <noreply@etnik.local>", absl::Now()));
  }
  CURL* curl = curl_easy_init();
  const absl::Time t0 = absl::Now();
  int ok = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    Payload p{&mime[i]};
    curl_slist* rcpt = curl_slist_append(nullptr, absl::StrCat("<", rows[i].address, ">").c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, "<noreply@etnik.local>");
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadPayload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &p);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Ignore);
    if (curl_easy_perform(curl) == CURLE_OK) ++ok;
    curl_slist_free_all(rcpt);
  }
  const double secs = absl::ToDoubleSeconds(absl::Now() - t0);
  curl_easy_cleanup(curl);
  if (ok != static_cast<int>(rows.size())) std::fprintf(stderr, "plain: %d of %zu sent\n", ok, rows.size());
  return ok / secs;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int count = absl::GetFlag(FLAGS_count);
  char dir_template[] = "/tmp/etnik-notif-bench-XXXXXX";
  const std::string dir = ::mkdtemp(dir_template);
  Sink sink;
  if (!sink.Start(dir)) {
    std::fprintf(stderr, "cannot start smtp_sink.py (python3-aiosmtpd)\n");
    return 1;
  }
  const std::string url = absl::StrCat("smtp://127.0.0.1:", sink.port);
  auto file = test::TempSqliteDatabase::Create();
  if (!file.ok()) return 1;
  auto db = db::Database::Open((*file)->url());
  if (!db.ok() || !db::ApplyMigrations(**db, store::NotificationsMigrations()).ok()) return 1;

  prometheus::Registry registry;
  SmtpOptions so;
  so.url = url;
  std::unique_ptr<Sender> sender = MakeSmtpSender(so);
  WorkerOptions wo;
  wo.threads = absl::GetFlag(FLAGS_workers);
  wo.batch_size = absl::GetFlag(FLAGS_batch_size);
  wo.poll = absl::Milliseconds(20);
  wo.owner = "bench";
  store::DeliveryQueue queue(**db);

  // 1. Throughput: every reminder due now, the pipeline drains them.
  std::vector<store::DeliveryRow> rows;
  const absl::Time now = absl::Now();
  for (int i = 0; i < count; ++i) rows.push_back(Reminder(i, now, "throughput"));
  if (!Insert(**db, rows)) return 1;
  double pipeline_rate = 0;
  {
    DeliveryWorker worker(**db, SystemClock::Get(), registry, {{etnik::common::v1::CHANNEL_EMAIL, sender.get()}}, wo);
    const absl::Time t0 = absl::Now();
    worker.Start();
    while (*queue.DueCount(absl::Now() + absl::Hours(1)) > 0) absl::SleepFor(absl::Milliseconds(50));
    pipeline_rate = count / absl::ToDoubleSeconds(absl::Now() - t0);
    worker.Stop();
  }
  std::printf("pipeline: %d reminders, %.0f msg/s (load %.2f)\n", count, pipeline_rate, LoadAverage());

  // 2. The plain client, same messages, same server.
  const double plain_rate = PlainRate(url, rows);
  std::printf("plain libcurl: %.0f msg/s (load %.2f); ratio %.2f\n", plain_rate, LoadAverage(),
              pipeline_rate / plain_rate);

  // 3. Lateness: due times spread so they fall due at a fraction of the pipeline's rate.
  const double rate = pipeline_rate * absl::GetFlag(FLAGS_lateness_rate_fraction);
  const absl::Time base = absl::Now() + absl::Seconds(2);
  std::vector<store::DeliveryRow> spread;
  for (int i = 0; i < count; ++i) spread.push_back(Reminder(i, base + absl::Seconds(i / rate), "lateness"));
  if (!Insert(**db, spread)) return 1;
  {
    DeliveryWorker worker(**db, SystemClock::Get(), registry, {{etnik::common::v1::CHANNEL_EMAIL, sender.get()}}, wo);
    worker.Start();
    while (*queue.DueCount(absl::Now() + absl::Hours(1)) > 0) absl::SleepFor(absl::Milliseconds(50));
    worker.Stop();
  }
  std::vector<double> late;
  store::DeliveryFilter f;
  f.event_id = "events/e1/sessions/s1#reminder-3600s@lateness";
  std::string token;
  do {
    absl::StatusOr<store::DeliveryPage> page = queue.List(f, 1000, token);
    if (!page.ok()) return 1;
    for (const store::DeliveryRow& r : page->rows) late.push_back(absl::ToDoubleSeconds(r.send_time - r.due_time));
    token = page->next_page_token;
  } while (!token.empty());
  std::sort(late.begin(), late.end());
  auto pct = [&](double p) { return late.empty() ? 0.0 : late[std::min(late.size() - 1, size_t(p * late.size()))]; };
  std::printf("lateness at %.0f msg/s due: n=%zu p50 %.3f s, p99 %.3f s, max %.3f s (load %.2f)\n", rate, late.size(),
              pct(0.5), pct(0.99), late.empty() ? 0.0 : late.back(), LoadAverage());
  std::printf("sink received %zu messages (expected %d)\n", sink.Lines(), 3 * count);
  return 0;
}
