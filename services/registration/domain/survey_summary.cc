#include "services/registration/domain/survey_summary.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "absl/strings/ascii.h"
#include "services/registration/domain/formats.h"
#include "services/registration/domain/question_types.h"

namespace etnik::registration {
namespace {

// Collects one question's answers across responses.
struct Accumulator {
  int answered = 0;
  std::map<std::string, int> counts;
  std::vector<double> numbers;
};

void Accumulate(const v1::Question& q, const v1::Answer& a, Accumulator& acc) {
  if (IsTextType(q.type())) {
    if (a.value_case() != v1::Answer::kText || IsBlank(a.text())) return;
    ++acc.answered;
    if (q.type() == v1::QUESTION_TYPE_REGION) ++acc.counts[std::string(absl::StripAsciiWhitespace(a.text()))];
  } else if (q.type() == v1::QUESTION_TYPE_NUMBER) {
    if (a.value_case() != v1::Answer::kNumber || !std::isfinite(a.number())) return;
    ++acc.answered;
    acc.numbers.push_back(a.number());
  } else if (q.type() == v1::QUESTION_TYPE_YES_NO) {
    if (a.value_case() != v1::Answer::kYesNo) return;
    ++acc.answered;
    ++acc.counts[a.yes_no() ? "yes" : "no"];
  } else if (IsChoiceType(q.type())) {
    if (a.value_case() != v1::Answer::kChoices || a.choices().values().empty()) return;
    ++acc.answered;
    // A value chosen twice in one response still counts once.
    std::set<std::string> distinct(a.choices().values().begin(), a.choices().values().end());
    for (const std::string& v : distinct) ++acc.counts[v];
  }
}

void Fill(const Accumulator& acc, v1::QuestionSummary& out) {
  out.set_answered(acc.answered);
  std::vector<std::pair<std::string, int>> counts(acc.counts.begin(), acc.counts.end());
  // Most given first; ties by value so the order is stable across runs.
  std::stable_sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [value, count] : counts) {
    v1::ValueCount* vc = out.add_value_counts();
    vc->set_value(value);
    vc->set_count(count);
  }
  if (acc.numbers.empty()) return;
  std::vector<double> sorted = acc.numbers;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (double v : sorted) sum += v;
  const size_t n = sorted.size();
  v1::NumberStats* stats = out.mutable_number_stats();
  stats->set_min(sorted.front());
  stats->set_max(sorted.back());
  stats->set_sum(sum);
  stats->set_mean(sum / static_cast<double>(n));
  stats->set_median(n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
}

}  // namespace

v1::SurveySummary SummariseSurvey(const v1::Form& form, const std::vector<v1::SurveyResponse>& responses) {
  v1::SurveySummary summary;
  summary.set_form(form.name());
  summary.set_response_count(static_cast<int>(responses.size()));

  std::unordered_map<std::string, int> index;
  for (int i = 0; i < form.questions_size(); ++i) index.emplace(form.questions(i).question_id(), i);
  std::vector<Accumulator> acc(form.questions_size());
  for (const v1::SurveyResponse& response : responses) {
    std::set<int> done;  // only the first answer to a question counts
    for (const v1::Answer& a : response.answers()) {
      auto it = index.find(a.question_id());
      if (it == index.end() || !done.insert(it->second).second) continue;
      Accumulate(form.questions(it->second), a, acc[it->second]);
    }
  }
  for (int i = 0; i < form.questions_size(); ++i) {
    v1::QuestionSummary* q = summary.add_questions();
    q->set_question_id(form.questions(i).question_id());
    Fill(acc[i], *q);
  }
  return summary;
}

}  // namespace etnik::registration
