"""The people, organisations and plan of the end-to-end scenario: a programme like EtNik 2021
run in real time, with its dates moved to now."""
import datetime
import random

PROGRAMME_ID = "e2e"
PROGRAMME = f"programmes/{PROGRAMME_ID}"
TITLE_EN = "EtNik end to end"
SEATS = 40
WAITLIST = 10
REGION_CAP = 6  # AT_MOST per region
LIBRARIES_MIN = 5  # AT_LEAST libraries (an answer of the form)
REVIEWERS = ["reviewer-1", "reviewer-2", "reviewer-3"]
REGIONS = ["RU-MOW", "RU-SPE", "RU-SMO", "RU-TA", "RU-BA", "RU-DA", "RU-KDA", "RU-NVS", "RU-SVE", "RU-KGD"]
HUBS = ["media", "crafts", "migrants", "training", "languages", "folklore", "youth", "tourism", "grants", "volunteers"]


def utc(d):
    return d.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def inn(n):
    """A valid 10-digit INN (checksum as the tax service computes it) for organisation n."""
    prefix = f"77{n:07d}"
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    return prefix + str(sum(w * int(c) for w, c in zip(weights, prefix)) % 11 % 10)


class Org:
    """One applying organisation and its contact person (who is also the applicant)."""

    def __init__(self, n, kind):
        self.n = n
        self.kind = kind  # "ok", "invalid_create", "invalid_submit", "late_create", "late_submit"
        self.id = f"org-{n:03d}"
        self.subject = f"applicant-{n:03d}"
        self.email = f"contact-{n:03d}@example.org"
        self.name = f"Organisation {n:03d}"
        self.contact_name = f"Contact {n:03d}"
        # Moscow is popular and strong, so its quota binds; a few libraries in other regions.
        self.region = "RU-MOW" if n % 4 == 0 else REGIONS[n % len(REGIONS)]
        self.org_type = "library" if n % 9 == 4 and n % 4 else ("municipal" if n % 3 == 1 else "nko")
        self.application = f"{PROGRAMME}/applications/{self.id}"

    def body(self):
        answers = [{"questionId": "org_type", "choices": {"values": [self.org_type]}},
                   {"questionId": "experience", "text": f"Ten years of work with communities ({self.n})."}]
        organisation = {"fullName": self.name, "inn": inn(self.n), "region": self.region, "city": "City",
                        "contact": {"email": f"office-{self.n:03d}@example.org"}}
        if self.kind == "invalid_create":  # a broken INN and a choice the form does not offer
            organisation["inn"] = inn(self.n)[:-1] + str((int(inn(self.n)[-1]) + 1) % 10)
            answers[0] = {"questionId": "org_type", "choices": {"values": ["bank"]}}
        if self.kind == "invalid_submit":  # a draft may be incomplete; submission may not
            answers = answers[:1]
        return {"organisation": organisation,
                "contactPerson": {"fullName": self.contact_name, "contact": {"email": self.email},
                                  "language": "LANGUAGE_EN", "timeZone": "Europe/Moscow"},
                "answers": answers}


def organisations():
    """150 organisations: 130 apply properly, 8 send invalid applications, 12 are late."""
    kinds = ["ok"] * 130 + ["invalid_create"] * 4 + ["invalid_submit"] * 4 + ["late_create"] * 6 + \
        ["late_submit"] * 6
    random.Random(2021).shuffle(kinds)
    return [Org(n + 1, kind) for n, kind in enumerate(kinds)]


def review_scores(org, reviewer):
    """Deterministic scores (relevance, motivation) of a reviewer; Moscow scores high."""
    rnd = random.Random(f"{org.n}-{reviewer}")
    base = 7 if org.region == "RU-MOW" else 3
    return rnd.randint(base, 10), rnd.randint(base, 10)


def weighted(scores):
    """Both criteria weigh 1 out of 10: sum(w * s / max) / sum(w) * 100."""
    return (scores[0] / 10 + scores[1] / 10) / 2 * 100


def availability():
    days = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
    return [{"dayOfWeek": f"DAY_OF_WEEK_{d}", "start": {"hours": 0}, "end": {"hours": 24}} for d in days]


def experts_of(hub_index):
    """3 to 5 experts per hub."""
    hub = HUBS[hub_index]
    return [f"{hub}-expert-{k + 1}" for k in range(3 + hub_index % 3)]


def programme_body(now):
    day = datetime.timedelta(days=1)

    def stage(stage_id, kind, start, end, targets):
        return {"stageId": stage_id, "kind": f"STAGE_KIND_{kind}", "title": {"ru": stage_id, "en": stage_id},
                "window": {"startTime": utc(now + start * day), "endTime": utc(now + end * day)},
                "targets": [{"metric": f"TARGET_METRIC_{m}", "value": v} for m, v in targets]}

    return {
        "title": {"ru": "ЭтНик: сквозной сценарий", "en": TITLE_EN},
        "timeZone": "Europe/Moscow",
        "seats": SEATS,
        "reviewCriteria": [
            {"criterionId": "relevance", "title": {"ru": "Актуальность", "en": "Relevance"}, "weight": 1,
             "maxScore": 10},
            {"criterionId": "motivation", "title": {"ru": "Мотивация", "en": "Motivation"}, "weight": 1,
             "maxScore": 10}],
        "scoreAggregation": "SCORE_AGGREGATION_MEAN",
        "offerReplyDuration": "259200s",
        # Selection is over (the application form's own deadline governs); training is under way.
        "stages": [stage("selection", "SELECTION", -3, -2, [("PARTICIPANTS", SEATS)]),
                   stage("training", "TRAINING", -2, 60, [("HUBS", 10), ("EXPERTS", 30)]),
                   stage("practice", "PRACTICE", 60, 150, [("WEBINARS_AND_MASTER_CLASSES", 20)]),
                   stage("final", "FINAL", 150, 160, [("ATTENDANCE", 40)])],
    }


def form_body(close_time):
    return {
        "purpose": "FORM_PURPOSE_APPLICATION",
        "title": {"ru": "Заявка", "en": "Application"},
        "questions": [
            {"questionId": "org_type", "type": "QUESTION_TYPE_SINGLE_CHOICE", "text": {"ru": "Тип", "en": "Type"},
             "required": True, "choices": [{"value": v, "label": {"ru": v, "en": v}}
                                           for v in ("nko", "municipal", "library")]},
            {"questionId": "experience", "type": "QUESTION_TYPE_LONG_TEXT",
             "text": {"ru": "Опыт", "en": "Experience"}, "required": True, "maxLength": 2000}],
        "closeTime": utc(close_time),
    }
