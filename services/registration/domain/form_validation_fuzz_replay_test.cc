// Replays deterministic inputs through the fuzz target, so builds without libFuzzer (GCC with
// ASan+UBSan in CI) still run it: the sample form and answers in binary and text form, their
// random mutations (flips, truncations, insertions, splices) and random byte-mapped forms.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "etnik/registration/v1/application.pb.h"
#include "gtest/gtest.h"
#include "services/registration/domain/testing/sample_form.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace etnik::registration {
namespace {

constexpr char kSampleApplicationText[] = R"pb(
  organisation { full_name: "АНО «Ресурсный центр»" inn: "7707083893" ogrn: "1027700132195" region: "RU-SMO"
                 contact { email: "info@etnik-smolensk.ru" website_uri: "https://etnik-smolensk.ru" } }
  contact_person { full_name: "Иванова Мария Петровна" contact { email: "m.ivanova@mail.ru" } time_zone: "Europe/Moscow" }
  answers { question_id: "profile" choices { values: "crafts" } }
  answers { question_id: "has_projects" yes_no: true }
  answers { question_id: "projects_count" number: 12 }
  answers { question_id: "about" text: "Смоленская региональная национально-культурная автономия." }
  answers { question_id: "region" text: "RU-SMO" }
  answers { question_id: "topics" choices { values: "festivals" values: "language" } }
  answers { question_id: "language_detail" text: "Белорусский" }
)pb";

// mode byte, 2-byte split, form part, application part.
std::string Input(uint8_t mode, const std::string& form, const std::string& app) {
  std::string in;
  in += static_cast<char>(mode);
  in += static_cast<char>(form.size() >> 8);
  in += static_cast<char>(form.size() & 0xFF);
  return in + form + app;
}

int Feed(const std::string& input) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

std::string Mutate(std::string s, std::mt19937& rng) {
  std::uniform_int_distribution<int> byte(0, 255);
  int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    size_t pos = rng() % s.size();
    switch (rng() % 5) {
      case 0:
        s[pos] = static_cast<char>(byte(rng));
        break;
      case 1:
        s[pos] = static_cast<char>(s[pos] ^ (1 << (rng() % 8)));
        break;
      case 2:
        s.erase(pos, 1 + rng() % 4);
        break;
      case 3:
        s.insert(pos, 1, static_cast<char>(byte(rng)));
        break;
      default:
        s.resize(pos);  // truncation
        break;
    }
  }
  return s;
}

class FuzzReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::Form form = testing::SampleForm();
    v1::Application app;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kSampleApplicationText, &app));
    ASSERT_TRUE(form.SerializeToString(&form_bin_));
    ASSERT_TRUE(app.SerializeToString(&app_bin_));
    ASSERT_LT(form_bin_.size(), 65536u);
  }
  std::string form_bin_;
  std::string app_bin_;
};

TEST_F(FuzzReplayTest, HandMadeInputs) {
  EXPECT_EQ(Feed(""), 0);
  EXPECT_EQ(Feed(std::string(1, '\0')), 0);
  EXPECT_EQ(Feed(std::string(1, '\1')), 0);
  EXPECT_EQ(Feed(std::string(1, '\2')), 0);
  EXPECT_EQ(Feed(Input(0, form_bin_, app_bin_)), 0);
  EXPECT_EQ(Feed(Input(0, form_bin_, "")), 0);
  EXPECT_EQ(Feed(Input(0, "", app_bin_)), 0);
  EXPECT_EQ(Feed(Input(1, testing::kSampleFormText, kSampleApplicationText)), 0);
  // Text format reaches values binary parsing refuses: invalid UTF-8 and an unknown type.
  EXPECT_EQ(Feed(Input(1, R"pb(questions { question_id: "\xD0" type: 77 choices { value: "\xFF" } })pb",
                      R"pb(answers { question_id: "\xD0" text: "\xFF\xFE" }
                           organisation { inn: "\xD0\xB0" region: "\xFF" })pb")),
            0);
  // A deep show_if chain, each question depending on the previous one.
  std::string chain = R"pb(purpose: FORM_PURPOSE_SURVEY title { ru: "t" }
                           questions { question_id: "q0" type: QUESTION_TYPE_YES_NO text { ru: "q" } })pb";
  std::string yes;
  for (int i = 1; i < 1500; ++i) {
    chain += "questions { question_id: \"q" + std::to_string(i) +
             "\" type: QUESTION_TYPE_YES_NO text { ru: \"q\" } show_if { question_id: \"q" + std::to_string(i - 1) +
             "\" any_of: \"yes\" } }";
    yes += "answers { question_id: \"q" + std::to_string(i) + "\" yes_no: true }";
  }
  EXPECT_EQ(Feed(Input(1, chain, yes)), 0);
}

TEST_F(FuzzReplayTest, MutatedBinaryAndTextInputs) {
  std::mt19937 rng(20210412);  // fixed seed: the same inputs on every run
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(Feed(Input(0, Mutate(form_bin_, rng), Mutate(app_bin_, rng))), 0);
  }
  for (int i = 0; i < 150; ++i) {
    ASSERT_EQ(Feed(Input(1, Mutate(testing::kSampleFormText, rng), Mutate(kSampleApplicationText, rng))), 0);
  }
  // Splices: a whole input, mutated, including its header.
  std::string whole = Input(0, form_bin_, app_bin_);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(Feed(Mutate(whole, rng)), 0);
}

TEST_F(FuzzReplayTest, RandomByteMappedInputs) {
  std::mt19937 rng(1618261199);
  for (int i = 0; i < 400; ++i) {
    std::string in(1, '\2');
    size_t n = rng() % 160;
    for (size_t k = 0; k < n; ++k) in += static_cast<char>(rng() & 0xFF);
    ASSERT_EQ(Feed(in), 0);
  }
}

}  // namespace
}  // namespace etnik::registration
