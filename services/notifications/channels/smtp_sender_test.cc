#include "services/notifications/channels/smtp_sender.h"

#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notifications/channels/testing/smtp_server.h"
#include "services/notifications/domain/invitation.h"

namespace etnik::notifications {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Fields = google::protobuf::Map<std::string, google::protobuf::Value>;

google::protobuf::Struct Parse(const std::string& json) {
  google::protobuf::Struct s;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &s).ok()) << json;
  EXPECT_FALSE(s.fields().contains("error")) << json;
  return s;
}

std::string Str(const Fields& f, const std::string& key) {
  auto it = f.find(key);
  return it == f.end() ? "<missing " + key + ">" : it->second.string_value();
}

std::string NoCr(std::string s) { return absl::StrReplaceAll(s, {{"\r\n", "\n"}}); }

class SmtpSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::SmtpServer::Launch();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    SmtpOptions o;
    o.url = server_->url();
    o.from = "Этник <noreply@etnik.local>";
    o.timeout = absl::Seconds(5);
    sender_ = MakeSmtpSender(o);
  }

  static OutgoingMessage Russian() {
    OutgoingMessage m;
    m.channel = etnik::common::v1::CHANNEL_EMAIL;
    m.address = "anna@example.org";
    m.recipient_name = "Анна Петрова";
    m.subject = "Регистрация: Мастер-класс «Как подготовить заявку на грант и не сойти с ума» — 25 ноября";
    m.body = "Здравствуйте, Анна Петрова!\n\nВы зарегистрированы на занятие.\nНачало: 25 ноября 2026 г., "
             "15:00 (Europe/Moscow)\n";
    m.idempotency_key = "evt-42.anna.email";
    return m;
  }

  std::unique_ptr<testing::SmtpServer> server_;
  std::unique_ptr<Sender> sender_;
};

TEST_F(SmtpSenderTest, DeliversRussianMessageWithInvitation) {
  SessionInfo session;
  session.uid = "events.e1.sessions.s1@etnik";
  session.title = "Мастер-класс: заявка на грант";
  session.location = "Казань, ул. Баумана, 1";
  session.start = absl::FromCivil(absl::CivilSecond(2026, 11, 25, 12, 0, 0), absl::UTCTimeZone());
  session.end = session.start + absl::Hours(2);
  session.zone = "Europe/Moscow";
  const std::string ics = BuildInvitation(session, "noreply@etnik.local", "anna@example.org", absl::Now());
  OutgoingMessage m = Russian();
  m.attachments.push_back({"invite.ics", InvitationContentType(session), ics});

  ASSERT_TRUE(sender_->Send(m).ok());
  const std::vector<std::string> got = server_->Messages();
  ASSERT_EQ(got.size(), 1u);
  const google::protobuf::Struct msg = Parse(got[0]);
  const Fields& f = msg.fields();
  ASSERT_EQ(f.at("rcpt_tos").list_value().values_size(), 1);
  EXPECT_EQ(f.at("rcpt_tos").list_value().values(0).string_value(), "anna@example.org");
  EXPECT_EQ(Str(f, "mail_from"), "noreply@etnik.local");
  EXPECT_EQ(Str(f, "subject"), m.subject);  // decoded from RFC 2047 by Python
  EXPECT_EQ(Str(f, "to_name"), "Анна Петрова");
  EXPECT_EQ(Str(f, "from"), "Этник <noreply@etnik.local>");
  EXPECT_EQ(NoCr(Str(f, "body")), m.body);
  EXPECT_EQ(Str(f, "message_id"), "<evt-42.anna.email@etnik.local>");
  EXPECT_FALSE(Str(f, "date").empty());
  EXPECT_EQ(Str(f, "content_type"), "multipart/mixed");
  EXPECT_EQ(Str(f, "list_unsubscribe"), "");  // essential: no unsubscribe
  EXPECT_EQ(f.at("defects").list_value().values_size(), 0) << got[0];

  ASSERT_EQ(f.at("attachments").list_value().values_size(), 1);
  const Fields& a = f.at("attachments").list_value().values(0).struct_value().fields();
  EXPECT_EQ(Str(a, "filename"), "invite.ics");
  EXPECT_EQ(Str(a, "content_type"), "text/calendar");
  EXPECT_EQ(Str(a, "method"), "REQUEST");
  EXPECT_EQ(Str(a, "data"), ics);  // byte for byte, CRLF kept
  const Fields& cal = a.at("calendar").struct_value().fields();
  EXPECT_EQ(Str(cal, "method"), "REQUEST");
  EXPECT_EQ(Str(cal, "uid"), "events.e1.sessions.s1@etnik");
  EXPECT_EQ(Str(cal, "summary"), "Мастер-класс: заявка на грант");
  EXPECT_EQ(Str(cal, "start"), "2026-11-25T12:00:00Z");
  EXPECT_EQ(Str(cal, "attendee"), "mailto:anna@example.org");

  // Every line of the raw message fits SMTP's limit, and the body went out encoded.
  const std::string raw = server_->Raw(1);
  for (absl::string_view line : absl::StrSplit(raw, "\r\n")) EXPECT_LE(line.size(), 998u);
  EXPECT_THAT(raw, Not(HasSubstr("Здравствуйте")));
}

TEST_F(SmtpSenderTest, NonEssentialMailCarriesUnsubscribe) {
  OutgoingMessage m = Russian();
  m.unsubscribe_url = "https://etnik.example/unsubscribe?t=abc";
  ASSERT_TRUE(sender_->Send(m).ok());
  const std::vector<std::string> got = server_->Messages();
  ASSERT_EQ(got.size(), 1u);
  const google::protobuf::Struct msg = Parse(got[0]);
  EXPECT_EQ(Str(msg.fields(), "list_unsubscribe"), "<https://etnik.example/unsubscribe?t=abc>");
  EXPECT_EQ(Str(msg.fields(), "content_type"), "text/plain");
  EXPECT_THAT(Str(msg.fields(), "body"), HasSubstr("Отписаться от таких писем / Unsubscribe: "
                                                   "https://etnik.example/unsubscribe?t=abc"));
  EXPECT_THAT(server_->Raw(1), HasSubstr("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
}

TEST_F(SmtpSenderTest, HeaderInjectionIsHarmless) {
  OutgoingMessage m = Russian();
  m.subject = "Тема\r\nBcc: evil@example.org";
  m.recipient_name = "Анна\r\nBcc: evil@example.org";
  ASSERT_TRUE(sender_->Send(m).ok());
  const google::protobuf::Struct msg = Parse(server_->Messages().at(0));
  EXPECT_EQ(msg.fields().at("rcpt_tos").list_value().values_size(), 1);
  EXPECT_THAT(server_->Raw(1), Not(HasSubstr("\r\nBcc:")));
  EXPECT_EQ(Str(msg.fields(), "subject"), "Тема  Bcc: evil@example.org");
}

TEST_F(SmtpSenderTest, BadAddressesArePermanent) {
  for (const char* address : {"", "not-an-address", "a@b@c", "anna@example.org>\r\nRCPT TO:<x@y.org",
                              "two words@example.org"}) {
    OutgoingMessage m = Russian();
    m.address = address;
    EXPECT_EQ(sender_->Send(m).code(), absl::StatusCode::kInvalidArgument) << address;
  }
  EXPECT_TRUE(server_->Messages().empty());
}

TEST_F(SmtpSenderTest, ServerVerdictsDecideRetry) {
  OutgoingMessage m = Russian();
  m.address = "reject-me@example.org";  // 550
  EXPECT_EQ(sender_->Send(m).code(), absl::StatusCode::kInvalidArgument);
  m.address = "later@example.org";  // 451
  const absl::Status later = sender_->Send(m);
  EXPECT_EQ(later.code(), absl::StatusCode::kUnavailable) << later;
  EXPECT_TRUE(IsRetryable(later));
  EXPECT_TRUE(server_->Messages().empty());
}

TEST_F(SmtpSenderTest, ServerDownIsUnavailable) {
  server_->Stop();
  const absl::Status s = sender_->Send(Russian());
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_TRUE(IsRetryable(s));
}

TEST_F(SmtpSenderTest, RequiredTlsIsNotSilentlyDropped) {
  SmtpOptions o;
  o.url = server_->url();
  o.require_tls = true;  // aiosmtpd here offers no STARTTLS
  const absl::Status s = MakeSmtpSender(o)->Send(Russian());
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(IsRetryable(s)) << s;
  EXPECT_TRUE(server_->Messages().empty());
}

TEST_F(SmtpSenderTest, SeveralWorkersShareOneSender) {
  constexpr int kThreads = 4, kEach = 3;
  std::vector<std::thread> threads;
  std::vector<absl::Status> results(kThreads * kEach);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        OutgoingMessage m = Russian();
        m.address = absl::StrCat("user", t, "-", i, "@example.org");
        m.idempotency_key = absl::StrCat("k", t, "-", i);
        results[t * kEach + i] = sender_->Send(m);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const absl::Status& s : results) EXPECT_TRUE(s.ok()) << s;
  std::set<std::string> ids;
  for (const std::string& json : server_->Messages()) ids.insert(Str(Parse(json).fields(), "message_id"));
  EXPECT_EQ(ids.size(), static_cast<size_t>(kThreads * kEach));
}

TEST(MimeMessage, OneKeyOneMessageId) {
  OutgoingMessage m;
  m.address = "a@example.org";
  m.subject = "x";
  m.body = "y";
  m.idempotency_key = "events/e1:mailto:a@example.org:EMAIL";  // not plain: hashed
  const absl::Time now = absl::FromUnixSeconds(1795608000);
  const std::string one = BuildMimeMessage(m, "noreply@etnik.local", now);
  const std::string two = BuildMimeMessage(m, "noreply@etnik.local", now + absl::Hours(1));
  auto id = [](const std::string& s) {
    const size_t at = s.find("Message-ID: ");
    return s.substr(at, s.find("\r\n", at) - at);
  };
  EXPECT_EQ(id(one), id(two));
  EXPECT_THAT(id(one), Not(HasSubstr("/")));
  EXPECT_THAT(one, HasSubstr("Date: Wed, 25 Nov 2026 12:00:00 +0000\r\n"));
  m.idempotency_key = "other";
  EXPECT_NE(id(BuildMimeMessage(m, "noreply@etnik.local", now)), id(one));
}

}  // namespace
}  // namespace etnik::notifications
