"""End-to-end scenario of a whole programme against the stack of the run command's scripts.

Real time, real Redis, a real SMTP server (aiosmtpd) and only the public way in: REST through
the gateway with development tokens. A programme is opened; 150 organisations apply (some
invalid: 400 with field violations; some late: 409 DEADLINE_PASSED); reviewers score; 40 are selected under region and
organisation-type quotas and three declines are refilled from the waiting list in order; 10
hubs with 3-5 experts are published; hub leads book the seminar, the course, the marathon-fair,
the hubs' webinars and master classes and the conference; participants register, some wait and
are promoted; every e-mail (results, offers, confirmations, bookings, reminders) reaches the
SMTP server exactly once; the progress numbers and CSV exports match what happened; every
calendar feed parses with python3-icalendar and holds the expected events.
"""
import csv
import datetime
import io
import os
import shutil
import sys
import time
import unittest
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
import icalendar  # noqa: E402
from gateway_client import Gateway, HttpError, Tokens  # noqa: E402
from mail_sink import MailSink  # noqa: E402
from postgres_dbs import PostgresDatabases  # noqa: E402
from stack import Stack, free_ports  # noqa: E402
from scenario_data import (HUBS, LIBRARIES_MIN, PROGRAMME, PROGRAMME_ID, REGION_CAP, REVIEWERS, SEATS,  # noqa: E402
                           TITLE_EN, WAITLIST, availability, experts_of, form_body, organisations, programme_body,
                           review_scores, utc, weighted)

MOSCOW = datetime.timezone(datetime.timedelta(hours=3))
REMINDER_OFFSET = 60  # seconds before the soon session starts (whole minutes only)
SOON_LEAD = 105  # seconds from booking the soon session to its start


def error_reason(err):
    for d in err.json()["error"].get("details", []):
        if "reason" in d:
            return d["reason"]
    return ""


def field_violations(err):
    return [v["field"] for d in err.json()["error"].get("details", []) for v in d.get("fieldViolations", [])]


class ScenarioTest(unittest.TestCase):
    ENGINE = "sqlite"  # or "postgres": the first command-line argument

    @classmethod
    def setUpClass(cls):
        cls.postgres = None
        if cls.ENGINE == "postgres":
            cls.postgres = PostgresDatabases("e2e")
            os.environ["ETNIK_DATABASE_URL_PREFIX"] = cls.postgres.create()  # read by stack.sh
        cls.sink = MailSink(free_ports(1)[0])
        cls.sink.start()
        cls.stack = Stack(os.environ["ETNIK_BUILD_DIR"], smtp_url=cls.sink.url)
        started = cls.stack.run("start")
        if started.returncode != 0:
            cls.tearDownClass()
            raise AssertionError(f"stack did not start:\n{started.stdout}\n{started.stderr}")
        cls.gw = Gateway(cls.stack.http_port)
        cls.tokens = Tokens(cls.stack.build_dir, os.path.join(cls.stack.state_dir, "secrets", "jwt-hs256.key"))

    @classmethod
    def tearDownClass(cls):
        stopped = cls.stack.run("stop")
        cls.sink.stop()
        if cls.postgres:
            cls.postgres.drop()
        if stopped.returncode != 0:
            print(stopped.stderr, file=sys.stderr)
        else:
            shutil.rmtree(cls.stack.state_dir, ignore_errors=True)  # the logs were shown on failure

    # ---- helpers

    def organiser(self):
        return self.tokens.mint("organiser-1", ["organiser"], email="organiser@example.org", name="Organiser")

    def lead(self, hub):
        return self.tokens.mint(f"lead-{hub}", ["hub_lead"], hubs=[hub], email=f"lead-{hub}@example.org")

    def step(self, name):
        print(f"[{time.monotonic() - self.t0:6.1f}s] {name}", file=sys.stderr, flush=True)

    def expect_mail(self, to, subject):
        self.expected_mail[(to, subject)] += 1

    # ---- the scenario

    def test_programme_end_to_end(self):
        self.t0 = time.monotonic()
        self.expected_mail = Counter()
        self.now = datetime.datetime.now(datetime.timezone.utc)
        try:
            self.open_programme()
            self.apply()
            self.review()
            self.select()
            self.answer_offers()
            self.publish_hubs()
            self.book_programme()
            self.register_participants()
            self.check_progress()
            self.check_exports()
            self.check_calendars()
            self.check_mail()
        except BaseException:
            for name in ("registration", "hubs", "scheduling", "notifications", "gateway"):
                print(f"---- {name}.log (end)\n" + "".join(self.stack.log(name).splitlines(True)[-20:]),
                      file=sys.stderr)
            raise
        self.step("done")

    def open_programme(self):
        self.step("programme and application form")
        org = self.organiser()
        self.gw.post(f"/v1/programmes?programmeId={PROGRAMME_ID}", org, programme_body(self.now))
        # The application deadline is the form's close time; moved to "now" once the punctual ones are in.
        form = self.gw.post(f"/v1/{PROGRAMME}/forms?formId=apply", org,
                            form_body(self.now + datetime.timedelta(hours=1)))
        self.form = form["name"]
        # Reminders a minute ahead (the shortest offset), so that the soon session's come while
        # the test runs.
        path = f"/v1/{PROGRAMME}/reminderSettings"
        settings = self.gw.get(path, org)
        out = self.gw.patch(path, org, {"offsets": [f"{REMINDER_OFFSET}s"], "remindAttendees": True,
                                        "remindHosts": True, "etag": settings.get("etag", "")})
        self.assertEqual(out["offsets"], [f"{REMINDER_OFFSET}s"])

    def apply(self):
        self.step("150 organisations apply through the gateway")
        self.orgs = organisations()
        base = f"/v1/{PROGRAMME}/applications"
        drafts = {}
        for o in self.orgs:
            if o.kind == "late_create":
                continue
            token = self.tokens.mint(o.subject, [], email=o.email, name=o.contact_name)
            if o.kind == "invalid_create":
                with self.assertRaises(HttpError) as err:
                    self.gw.post(f"{base}?applicationId={o.id}", token, o.body())
                self.assertEqual(err.exception.status, 400, err.exception.body)
                self.assertEqual(sorted(field_violations(err.exception)),
                                 ["application.answers[org_type]", "application.organisation.inn"])
                continue
            app = self.gw.post(f"{base}?applicationId={o.id}", token, o.body())
            self.assertEqual(app["state"], "APPLICATION_STATE_DRAFT")
            drafts[o.id] = app
            if o.kind == "late_submit":
                continue
            if o.kind == "invalid_submit":
                with self.assertRaises(HttpError) as err:
                    self.gw.post(f"/v1/{o.application}:submit", token, {"etag": app["etag"]})
                self.assertEqual(err.exception.status, 400, err.exception.body)
                self.assertEqual(field_violations(err.exception), ["application.answers[experience]"])
                continue
            submitted = self.gw.post(f"/v1/{o.application}:submit", token, {"etag": app["etag"]})
            self.assertEqual(submitted["state"], "APPLICATION_STATE_SUBMITTED")

        self.step("the deadline passes")
        org = self.organiser()
        form = self.gw.get(f"/v1/{self.form}", org)
        deadline = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=2)
        self.gw.patch(f"/v1/{self.form}?updateMask=close_time", org,
                      {"closeTime": utc(deadline), "etag": form["etag"]})
        time.sleep(max(0.0, (deadline - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 1.5)
        for o in self.orgs:
            token = self.tokens.mint(o.subject, [], email=o.email, name=o.contact_name)
            if o.kind == "late_create":
                with self.assertRaises(HttpError) as err:
                    self.gw.post(f"{base}?applicationId={o.id}", token, o.body())
            elif o.kind == "late_submit":
                with self.assertRaises(HttpError) as err:
                    self.gw.post(f"/v1/{o.application}:submit", token, {"etag": drafts[o.id]["etag"]})
            else:
                continue
            self.assertEqual(err.exception.status, 409, err.exception.body)
            self.assertEqual(error_reason(err.exception), "DEADLINE_PASSED")
        self.submitted = [o for o in self.orgs if o.kind == "ok"]
        listed = self.gw.pages(f"{base}?states=APPLICATION_STATE_SUBMITTED", org, "applications")
        self.assertEqual(sorted(a["name"] for a in listed), sorted(o.application for o in self.submitted))

    def review(self):
        self.step("reviewers score")
        org = self.organiser()
        out = self.gw.post(f"/v1/{PROGRAMME}/applications:assignReviewers", org,
                           {"applications": [o.application for o in self.submitted], "reviewers": REVIEWERS,
                            "reviewersPerApplication": 2})
        self.assertEqual(len(out["assignments"]), 2 * len(self.submitted))
        self.assertFalse(out.get("understaffedApplications"))
        by_app = {o.application: o for o in self.submitted}
        self.expected_score = {}
        for reviewer in REVIEWERS:
            token = self.tokens.mint(reviewer, ["reviewer"])
            mine = self.gw.pages(f"/v1/{PROGRAMME}/reviewerAssignments?reviewer={reviewer}", token, "assignments")
            for a in mine:
                o = by_app[a["application"]]
                relevance, motivation = review_scores(o, reviewer)
                review = self.gw.post(f"/v1/{o.application}/reviews", token, {"scores": [
                    {"criterionId": "relevance", "score": relevance},
                    {"criterionId": "motivation", "score": motivation}]})
                self.assertAlmostEqual(review["weightedScore"], weighted((relevance, motivation)), places=6)
                self.expected_score.setdefault(o.application, []).append(weighted((relevance, motivation)))
        self.assertEqual(len(self.expected_score), len(self.submitted))
        progress = self.gw.get(f"/v1/{PROGRAMME}/reviewProgress", org)
        self.assertEqual(progress["fullyReviewedApplications"], len(self.submitted))

    def select(self):
        self.step("selection under quotas")
        org = self.organiser()
        run = self.gw.post(f"/v1/{PROGRAMME}/selectionRuns", org, {
            "seats": SEATS, "waitlistSize": WAITLIST,
            "quotas": [
                {"quotaId": "region", "dimension": "QUOTA_DIMENSION_REGION", "bound": "QUOTA_BOUND_AT_MOST",
                 "count": REGION_CAP},
                {"quotaId": "libraries", "dimension": "QUOTA_DIMENSION_ANSWER", "questionId": "org_type",
                 "value": "library", "bound": "QUOTA_BOUND_AT_LEAST", "count": LIBRARIES_MIN}]})
        decisions = {d["application"]: d for d in run["decisions"]}
        self.assertEqual(set(decisions), {o.application for o in self.submitted})
        by_app = {o.application: o for o in self.submitted}
        outcome = Counter(d["outcome"] for d in decisions.values())
        self.assertEqual(outcome["SELECTION_OUTCOME_SELECTED"], SEATS)
        self.assertEqual(outcome["SELECTION_OUTCOME_WAITLISTED"], WAITLIST)
        self.assertEqual(outcome["SELECTION_OUTCOME_REJECTED"], len(self.submitted) - SEATS - WAITLIST)
        selected = [by_app[a] for a, d in decisions.items() if d["outcome"] == "SELECTION_OUTCOME_SELECTED"]
        regions = Counter(o.region for o in selected)
        self.assertLessEqual(max(regions.values()), REGION_CAP, regions)
        self.assertEqual(regions["RU-MOW"], REGION_CAP, "the strong Moscow applicants fill their quota")
        self.assertGreaterEqual(sum(o.org_type == "library" for o in selected), LIBRARIES_MIN)
        # Scores are the mean of the reviews; anyone left out with a better score than a selected
        # one was stopped by a quota, and the decision names it.
        for app, d in decisions.items():
            mean = sum(self.expected_score[app]) / len(self.expected_score[app])
            self.assertAlmostEqual(d["score"], mean, places=6)
        # (Seats taken only to meet the libraries' AT_LEAST quota name it and do not count here.)
        for d in decisions.values():
            if d.get("bindingQuota") == "libraries":
                self.assertEqual(by_app[d["application"]].org_type, "library", d)
        lowest_selected = min(d["score"] for d in decisions.values()
                              if d["outcome"] == "SELECTION_OUTCOME_SELECTED" and not d.get("bindingQuota"))
        for app, d in decisions.items():
            if d["outcome"] != "SELECTION_OUTCOME_SELECTED" and d["score"] > lowest_selected:
                self.assertEqual(d.get("bindingQuota"), "region", d)
                self.assertEqual(regions[by_app[app].region], REGION_CAP, d)
        waiting = sorted((d for d in decisions.values() if d["outcome"] == "SELECTION_OUTCOME_WAITLISTED"),
                         key=lambda d: d["waitlistPosition"])
        self.assertEqual([d["waitlistPosition"] for d in waiting], list(range(1, WAITLIST + 1)))
        self.selected = selected
        self.waiting = [by_app[d["application"]] for d in waiting]
        for app, d in decisions.items():
            o = by_app[app]
            kind = {"SELECTION_OUTCOME_SELECTED": f"{o.name} has been selected",
                    "SELECTION_OUTCOME_WAITLISTED": f"{o.name} is on the waiting list",
                    "SELECTION_OUTCOME_REJECTED": f"Selection result for {o.name}"}[d["outcome"]]
            self.expect_mail(o.email, kind)

    def offers_by_app(self, state=None):
        path = f"/v1/{PROGRAMME}/offers" + (f"?state={state}" if state else "")
        return {o["application"]: o for o in self.gw.pages(path, self.organiser(), "offers")}

    def answer_offers(self):
        self.step("offers: three declines are refilled from the waiting list in order")
        offers = self.offers_by_app("OFFER_STATE_OPEN")
        self.assertEqual(set(offers), {o.application for o in self.selected})
        # Three selected organisations decline; each from the region of the head of the waiting
        # list (regions at their quota are what keeps the list waiting), so the places go down
        # the list in order. Libraries stay, so the AT_LEAST group plays no part in the refills.
        holders = Counter(o.region for o in self.selected)
        queue = list(self.waiting)
        decliners, self.refilled = [], []
        for _ in range(3):
            o = next(s for s in self.selected
                     if s.region == queue[0].region and s.org_type != "library" and s not in decliners)
            decliners.append(o)
            token = self.tokens.mint(o.subject, [], email=o.email)
            offer = offers[o.application]
            out = self.gw.post(f"/v1/{offer['name']}:respond", token, {"reply": "OFFER_REPLY_DECLINE",
                                                                        "etag": offer["etag"]})
            self.assertEqual(out["state"], "OFFER_STATE_DECLINED")
            holders[o.region] -= 1
            # The refill rule: the first on the list whose region still has room.
            nxt = next(w for w in queue if holders[w.region] < REGION_CAP)
            queue.remove(nxt)
            holders[nxt.region] += 1
            self.refilled.append(nxt)
        self.assertEqual(self.refilled, self.waiting[:3])
        now_open = self.offers_by_app("OFFER_STATE_OPEN")
        expected_open = {o.application for o in self.selected if o not in decliners} | \
            {o.application for o in self.refilled}
        self.assertEqual(set(now_open), expected_open)
        self.participants = [o for o in self.selected if o not in decliners] + self.refilled
        for o in self.participants:
            token = self.tokens.mint(o.subject, [], email=o.email)
            offer = now_open[o.application]
            out = self.gw.post(f"/v1/{offer['name']}:respond", token, {"reply": "OFFER_REPLY_ACCEPT",
                                                                        "etag": offer["etag"]})
            self.assertEqual(out["state"], "OFFER_STATE_ACCEPTED")
        for o in self.refilled:  # told of their place when it comes, then offered it
            self.expect_mail(o.email, f"{o.name} has been selected")
        for o in self.selected + self.refilled:
            self.expect_mail(o.email, f"Offer to join {TITLE_EN}")  # the title in the contact's language
        for o in self.participants:
            self.expect_mail(o.email, f"{o.name} is a participant")
        listed = self.gw.pages(f"/v1/{PROGRAMME}/participants", self.organiser(), "participants")
        self.assertEqual(sorted(p["application"] for p in listed), sorted(o.application for o in self.participants))
        self.participant_name = {p["application"]: p["name"] for p in listed}
        self.decliners = decliners

    def publish_hubs(self):
        self.step("10 hubs with 3-5 experts, published by their leads")
        org = self.organiser()
        self.experts = {}  # expert id -> hub
        for i, hub in enumerate(HUBS):
            self.gw.post(f"/v1/hubs?hubId={hub}", org, {
                "programme": PROGRAMME, "title": {"ru": f"Хаб {hub}", "en": f"Hub {hub}"}, "theme": hub,
                "themeTitle": {"ru": hub, "en": hub}, "participantCapacity": 8,
                "contact": {"email": f"hub-{hub}@example.org"}})
            self.gw.post(f"/v1/hubs/{hub}/leads", org, {"subject": f"lead-{hub}", "fullName": f"Lead {hub}",
                                                        "contact": {"email": f"lead-{hub}@example.org"},
                                                        "language": "LANGUAGE_EN", "timeZone": "Europe/Moscow"})
            for expert in experts_of(i):
                self.gw.post(f"/v1/experts?expertId={expert}", org, {
                    "fullName": {"ru": expert, "en": expert}, "timeZone": "Europe/Moscow", "language": "LANGUAGE_EN",
                    "contact": {"email": f"{expert}@example.org"}, "subject": expert, "topics": [hub],
                    "weeklyAvailability": availability()})
                self.gw.post(f"/v1/hubs/{hub}/experts", self.lead(hub), {"expert": f"experts/{expert}"})
                self.experts[expert] = hub
            published = self.gw.post(f"/v1/hubs/{hub}:publish", self.lead(hub), {})
            self.assertEqual(published["state"], "HUB_STATE_PUBLISHED")
            self.assertEqual(published["expertCount"], len(experts_of(i)))
        catalogue = self.gw.pages(f"/v1/{PROGRAMME}/catalogue/hubs", None, "hubs")
        self.assertEqual(sorted(h["name"] for h in catalogue), sorted(f"hubs/{h}" for h in HUBS))

    def book(self, hub, event, session_id, title, start, hours, place, hosts=None, capacity=0):
        """A hub lead books a session; every host and the hub's lead are told once."""
        hosts = hosts if hosts is not None else experts_of(HUBS.index(hub))[:2]
        body = {"title": {"ru": title, "en": title}, "startTime": utc(start),
                "endTime": utc(start + datetime.timedelta(hours=hours)), "timeZone": "Europe/Moscow",
                "hosts": [f"experts/{h}" for h in hosts], "hub": f"hubs/{hub}", "capacity": capacity, **place}
        session = self.gw.post(f"/v1/events/{event}/sessions?sessionId={session_id}", self.lead(hub), body)
        self.assertEqual(session["bookedBy"], f"lead-{hub}")
        self.sessions[session["name"]] = {"hub": hub, "title": title, "hosts": hosts, "start": start,
                                          "kind": self.event_kind[event]}
        for h in hosts:
            self.expect_mail(f"{h}@example.org", f"Booked: {title}")
        self.expect_mail(f"lead-{hub}@example.org", f"Booked: {title}")
        return session

    def book_programme(self):
        self.step("hub leads book the seminar, course, marathon-fair, webinars, master classes, conference")
        org = self.organiser()
        day = datetime.timedelta(days=1)
        # Ten in the morning, Moscow time, n days from today.
        morning = datetime.datetime.combine((self.now + day).astimezone(MOSCOW).date(), datetime.time(10),
                                            tzinfo=MOSCOW)
        self.gw.post("/v1/venues?venueId=house", org, {
            "title": {"ru": "Дом национальностей", "en": "House of Nationalities"}, "address": "Moscow",
            "city": "Moscow", "timeZone": "Europe/Moscow",
            "rooms": [{"roomId": "hall", "title": {"ru": "Зал"}, "capacity": 120},
                      {"roomId": "classroom", "title": {"ru": "Аудитория"}, "capacity": 50}]})
        self.sessions, self.event_kind = {}, {}
        online = {"onlineRoom": {"joinUri": "https://meet.example.org/etnik", "platform": "Zoom"}}

        def event(event_id, kind, stage, hub=None, venue=None, token=org):
            body = {"programme": PROGRAMME, "stage": f"{PROGRAMME}/stages/{stage}", "kind": f"EVENT_KIND_{kind}",
                    "title": {"ru": event_id, "en": event_id}, "timeZone": "Europe/Moscow",
                    "openRegistration": True, "defaultCapacity": 100}
            if hub:
                body["hub"] = f"hubs/{hub}"
            if venue:
                body["venue"] = venue
            self.gw.post(f"/v1/events?eventId={event_id}", token, body)
            self.event_kind[event_id] = kind

        # The organiser's events; each session is booked by the lead of the hub that runs it.
        event("seminar", "SEMINAR", "training", venue="venues/house")
        event("course", "COURSE", "training")
        event("marathon-fair", "MARATHON_FAIR", "training")
        event("conference", "CONFERENCE", "final", venue="venues/house")
        classroom = {"room": "venues/house/rooms/classroom"}
        self.book("media", "seminar", "day-1", "Seminar day 1", morning + 10 * day, 6, classroom)
        self.book("crafts", "seminar", "day-2", "Seminar day 2", morning + 11 * day, 6, classroom)
        for k, hub in enumerate(HUBS[2:6]):
            self.book(hub, "course", f"lesson-{k + 1}", f"Course lesson {k + 1}", morning + (15 + k) * day, 1.5, online)
        for k, hub in enumerate(HUBS[6:9]):
            self.book(hub, "marathon-fair", f"day-{k + 1}", f"Marathon-fair day {k + 1}", morning + (30 + k) * day, 5,
                      online)
        hall = {"room": "venues/house/rooms/hall"}
        self.plenary = self.book("volunteers", "conference", "plenary", "Conference plenary", morning + 152 * day, 3,
                                 hall, capacity=120)["name"]
        self.book("media", "conference", "hubs-results", "Conference: results of the hubs", morning + 153 * day, 4,
                  hall, hosts=experts_of(0)[2:3])
        # The hubs' own webinars (two each) and master classes (one each), in the practice stage.
        n = 0
        for i, hub in enumerate(HUBS):
            event(f"{hub}-webinars", "WEBINAR", "practice", hub=hub, token=self.lead(hub))
            event(f"{hub}-master-class", "MASTER_CLASS", "practice", hub=hub, token=self.lead(hub))
            for w in (1, 2):
                self.book(hub, f"{hub}-webinars", f"webinar-{w}", f"Webinar {w} of {hub}",
                          morning + (61 + n) * day, 1.5, online)
                n += 1
            self.book(hub, f"{hub}-master-class", "mc", f"Master class of {hub}", morning + (61 + n) * day, 3, online)
            n += 1
        # A lead books only for their own hub.
        with self.assertRaises(HttpError) as err:
            self.gw.post("/v1/events/crafts-webinars/sessions?sessionId=intruder", self.lead("media"), {
                "title": {"ru": "x"}, "startTime": utc(morning + 140 * day),
                "endTime": utc(morning + 140 * day + datetime.timedelta(hours=1)), "hosts": ["experts/media-expert-1"],
                **online})
        self.assertEqual(err.exception.status, 403, err.exception.body)
        kinds = Counter(s["kind"] for s in self.sessions.values())
        self.assertEqual(kinds, Counter({"SEMINAR": 2, "COURSE": 4, "MARATHON_FAIR": 3, "CONFERENCE": 2,
                                         "WEBINAR": 20, "MASTER_CLASS": 10}))

    def participant_token(self, o):
        return self.tokens.mint(o.subject, ["participant"], email=o.email, name=o.contact_name)

    def register(self, o, session):
        return self.gw.post(f"/v1/{session}/attendees", self.participant_token(o), {
            "participant": self.participant_name[o.application], "fullName": o.contact_name, "email": o.email,
            "language": "LANGUAGE_EN", "timeZone": "Europe/Moscow"})

    def register_participants(self):
        self.step("participants register; the full session wait-lists and promotes")
        for o in self.participants:
            a = self.register(o, self.plenary)
            self.assertEqual(a["state"], "ATTENDEE_STATE_REGISTERED")
            self.expect_mail(o.email, "Registered: Conference plenary")
        # A master class starting in a couple of minutes, three places: its reminders are due
        # while the test runs.
        self.gw.post("/v1/events?eventId=open-class", self.lead("media"), {
            "programme": PROGRAMME, "stage": f"{PROGRAMME}/stages/training", "kind": "EVENT_KIND_MASTER_CLASS",
            "hub": "hubs/media", "title": {"ru": "Открытый класс", "en": "Open class"}, "timeZone": "Europe/Moscow",
            "openRegistration": True})
        self.event_kind["open-class"] = "MASTER_CLASS"
        start = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + \
            datetime.timedelta(seconds=SOON_LEAD)
        self.reminders_due = start - datetime.timedelta(seconds=REMINDER_OFFSET)
        title = "Open master class"
        self.soon = self.book("media", "open-class", "soon", title, start, 1,
                              {"onlineRoom": {"joinUri": "https://meet.example.org/open", "platform": "Zoom"}},
                              hosts=["media-expert-1"], capacity=3)["name"]
        people = self.participants[:6]
        attendees = [self.register(o, self.soon) for o in people]
        self.assertEqual([a["state"] for a in attendees], ["ATTENDEE_STATE_REGISTERED"] * 3 +
                         ["ATTENDEE_STATE_WAITLISTED"] * 3)
        self.assertEqual([a.get("waitlistPosition", 0) for a in attendees[3:]], [1, 2, 3])
        for o in people[:3]:
            self.expect_mail(o.email, f"Registered: {title}")
        for o in people[3:]:
            self.expect_mail(o.email, f"Waiting list: {title}")
        # Two give their places up; the first two waiting move up, in order.
        for o, a in zip(people[:2], attendees[:2]):
            out = self.gw.post(f"/v1/{a['name']}:cancel", self.participant_token(o), {"etag": a["etag"]})
            self.assertEqual(out["state"], "ATTENDEE_STATE_CANCELLED")
        for o in people[3:5]:
            self.expect_mail(o.email, f"A place is free: {title}")
        listed = {a["name"]: a for a in self.gw.pages(f"/v1/{self.soon}/attendees", self.lead("media"), "attendees")}
        self.assertEqual([listed[a["name"]]["state"] for a in attendees],
                         ["ATTENDEE_STATE_CANCELLED"] * 2 + ["ATTENDEE_STATE_REGISTERED"] * 3 +
                         ["ATTENDEE_STATE_WAITLISTED"])
        session = self.gw.get(f"/v1/{self.soon}")
        self.assertEqual((session["registeredCount"], session.get("waitlistedCount", 0)), (3, 1))
        self.assertLess(datetime.datetime.now(datetime.timezone.utc), self.reminders_due,
                        "registrations took longer than the reminder lead time")
        # The host checks the seated in; the one still waiting holds no seat to check in with.
        host = self.tokens.mint("media-expert-1", ["expert"], email="media-expert-1@example.org")
        for a in attendees[2:5]:
            self.assertIn("checkInTime", self.gw.post(f"/v1/{a['name']}:checkIn", host, {}))
        with self.assertRaises(HttpError) as err:
            self.gw.post(f"/v1/{attendees[5]['name']}:checkIn", host, {})
        self.assertEqual(err.exception.status, 409, err.exception.body)
        # The reminder goes to the seated (not those who left, not the one still waiting) and the host.
        for o in people[2:5]:
            self.expect_mail(o.email, f"Reminder: {title} 1 min")
        self.expect_mail("media-expert-1@example.org", f"Reminder: {title} 1 min")
        self.soon_people = people

    def check_progress(self):
        self.step("the organiser's progress numbers")
        org = self.organiser()
        reg = self.gw.get(f"/v1/{PROGRAMME}/registrationProgress", org)
        states = {c["state"]: c.get("count", 0) for c in reg["applications"]}
        self.assertEqual({k: v for k, v in states.items() if v}, {
            "APPLICATION_STATE_DRAFT": 10,  # the four incomplete and the six submitted too late
            "APPLICATION_STATE_CONFIRMED": SEATS,
            "APPLICATION_STATE_DECLINED": 3,
            "APPLICATION_STATE_WAITLISTED": WAITLIST - 3,
            "APPLICATION_STATE_REJECTED": len(self.submitted) - SEATS - WAITLIST})
        self.assertEqual((reg["seats"], reg["participants"], reg.get("openOffers", 0), reg["waitlisted"]),
                         (SEATS, SEATS, 0, WAITLIST - 3))
        self.assertEqual([(t["metric"], t["target"], t.get("actual", 0)) for t in reg["targets"]],
                         [("TARGET_METRIC_PARTICIPANTS", SEATS, SEATS)])
        hubs = self.gw.get(f"/v1/{PROGRAMME}/hubsProgress", org)
        experts = sum(len(experts_of(i)) for i in range(len(HUBS)))
        self.assertEqual((hubs["publishedHubs"], hubs.get("draftHubs", 0), hubs["experts"]), (10, 0, experts))
        self.assertEqual({t["metric"]: (t["target"], t.get("actual", 0)) for t in hubs["targets"]},
                         {"TARGET_METRIC_HUBS": (10, 10), "TARGET_METRIC_EXPERTS": (30, experts)})
        sched = self.gw.get(f"/v1/{PROGRAMME}/schedulingProgress", org)
        booked = Counter(s["kind"] for s in self.sessions.values())
        self.assertEqual({k["kind"]: k.get("scheduled", 0) for k in sched["kinds"]},
                         {f"EVENT_KIND_{kind}": n for kind, n in booked.items()})
        self.assertGreaterEqual(booked["WEBINAR"] + booked["MASTER_CLASS"], 20)
        self.assertEqual({h["hub"]: h.get("scheduled", 0) for h in sched["hubs"]},
                         dict(Counter(f"hubs/{s['hub']}" for s in self.sessions.values())))
        self.assertEqual(sched["attendance"], 3)  # the soon session's check-ins
        self.assertEqual({h["hub"]: h.get("attendance", 0) for h in sched["hubs"] if h.get("attendance")},
                         {"hubs/media": 3})
        o = self.soon_people[2]
        attendance = self.gw.get(f"/v1/{self.participant_name[o.application]}/attendance", self.participant_token(o))
        self.assertEqual((attendance["registeredSessions"], attendance.get("attendedSessions", 0)), (2, 1))
        # Nothing has been held yet and nobody came to a final-stage session: no target has an actual value.
        self.assertEqual({t["metric"]: (t["target"], t.get("actual", 0)) for t in sched["targets"]},
                         {"TARGET_METRIC_WEBINARS_AND_MASTER_CLASSES": (20, 0), "TARGET_METRIC_ATTENDANCE": (40, 0)})

    def export(self, states=""):
        query = "?language=LANGUAGE_EN" + (f"&states={states}" if states else "")
        data, headers = self.gw.get(f"/v1/{PROGRAMME}/applications:export{query}", self.organiser(), raw=True)
        self.assertTrue(headers.get("Content-Type", "").startswith("text/csv"), headers)
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))

    def check_exports(self):
        self.step("CSV exports of the applications and the participants")
        declined = {o.application for o in self.decliners}
        waiting = {o.application for o in self.waiting} - {o.application for o in self.refilled}
        confirmed = {o.application for o in self.participants}
        expected = {}
        for o in self.orgs:
            if o.kind == "ok":  # (drafts are not in the export unless asked for)
                expected[o.application] = ("confirmed" if o.application in confirmed else "declined"
                                           if o.application in declined else "waitlisted"
                                           if o.application in waiting else "rejected")
        by_app = {o.application: o for o in self.orgs}
        rows = self.export()
        self.assertEqual({r["Application"]: r["State"] for r in rows}, expected)
        for r in rows:
            o = by_app[r["Application"]]
            self.assertEqual((r["INN"], r["E-mail"], r["Type"], r["Organisation"]),
                             (o.body()["organisation"]["inn"], o.email, o.org_type, o.name))
            if o.kind == "ok":
                mean = sum(self.expected_score[o.application]) / 2
                self.assertAlmostEqual(float(r["Score"]), mean, places=6)
        drafts = self.export("APPLICATION_STATE_DRAFT")
        self.assertEqual(sorted(r["Application"] for r in drafts),
                         sorted(o.application for o in self.orgs if o.kind in ("invalid_submit", "late_submit")))
        participants = self.export("APPLICATION_STATE_CONFIRMED")
        self.assertEqual(sorted(r["Application"] for r in participants), sorted(confirmed))

    def feed(self, path, token=None):
        data, headers = self.gw.get(path, token, raw=True)
        self.assertTrue(headers.get("Content-Type", "").startswith("text/calendar"), headers)
        cal = icalendar.Calendar.from_ical(data.decode("utf-8"))
        return {str(e["UID"]): str(e["SUMMARY"]) for e in cal.walk("VEVENT")}

    @staticmethod
    def uid(session):
        return session.replace("/", ".") + "@etnik"

    def check_calendars(self):
        self.step("every calendar feed parses and holds its sessions")
        every = {self.uid(name): s["title"] for name, s in self.sessions.items()}
        self.assertEqual(len(every), 42)
        self.assertEqual(self.feed(f"/v1/{PROGRAMME}/calendar.ics"), every)
        for hub in HUBS:
            self.assertEqual(self.feed(f"/v1/hubs/{hub}/calendar.ics"),
                             {self.uid(n): s["title"] for n, s in self.sessions.items() if s["hub"] == hub}, hub)
        for expert in self.experts:
            token = self.tokens.mint(expert, ["expert"], email=f"{expert}@example.org")
            hosted = {self.uid(n): s["title"] for n, s in self.sessions.items() if expert in s["hosts"]}
            self.assertEqual(self.feed(f"/v1/experts/{expert}/calendar.ics", token), hosted, expert)
        plenary = {self.uid(self.plenary): "Conference plenary"}
        soon = {self.uid(self.soon): "Open master class"}
        for k, o in enumerate(self.participants):
            # The feed holds the sessions where one has a registration, seated or waiting (as the
            # scheduling store defines it); the two who cancelled no longer have the soon session.
            holds = 2 <= k < 6
            feed = self.feed(f"/v1/{self.participant_name[o.application]}/calendar.ics", self.participant_token(o))
            self.assertEqual(feed, {**plenary, **(soon if holds else {})}, (k, o.application))

    def check_mail(self):
        self.step("every e-mail reaches the SMTP server exactly once")
        total = sum(self.expected_mail.values())
        deadline = time.monotonic() + max(0, (self.reminders_due - datetime.datetime.now(
            datetime.timezone.utc)).total_seconds()) + 60
        while time.monotonic() < deadline and (len(self.sink.snapshot()) < total or
                                               datetime.datetime.now(datetime.timezone.utc) < self.reminders_due):
            time.sleep(0.5)
        time.sleep(5)  # anything sent twice would come now
        mail = self.sink.snapshot()
        got = Counter((m["rcpt_tos"][0], m["subject"]) for m in mail)
        self.assertEqual(got, self.expected_mail, f"missing {self.expected_mail - got}, unexpected "
                                                  f"{got - self.expected_mail}")
        self.assertEqual(len({m["message_id"] for m in mail}), len(mail), "a Message-ID came twice")
        for m in mail:
            self.assertFalse(m.get("error") or m["defects"], m)
            self.assertEqual(m["to"].split("<")[-1].rstrip(">"), m["rcpt_tos"][0])
        # The organiser's delivery log agrees: each message sent once, nothing failed, and the
        # reminders of the two who gave their places up were cancelled, not sent.
        org = self.organiser()
        sent = self.gw.pages("/v1/deliveries?state=DELIVERY_STATE_SENT", org, "deliveries")
        self.assertEqual(Counter((d["address"], d["subject"]) for d in sent), self.expected_mail)
        self.assertEqual({d.get("attempts") for d in sent}, {1})
        for state in ("FAILED", "DEAD_LETTER", "PENDING"):
            stuck = self.gw.pages(f"/v1/deliveries?state=DELIVERY_STATE_{state}&session={self.soon}", org, "deliveries")
            self.assertEqual(stuck, [], state)
        cancelled = self.gw.pages(f"/v1/deliveries?state=DELIVERY_STATE_CANCELLED&session={self.soon}", org,
                                  "deliveries")
        self.assertEqual(sorted((d["address"], d["subject"]) for d in cancelled),
                         sorted((o.email, "Reminder: Open master class 1 min") for o in self.soon_people[:2]))
        due = self.reminders_due.timestamp()
        soon_uid = self.uid(self.soon)
        for m in mail:
            subject = m["subject"]
            invitations = [a["calendar"] for a in m["attachments"] if "calendar" in a]
            if subject.startswith("Reminder: "):
                self.assertGreaterEqual(m["received"], due - 1, "a reminder came before it was due")
            elif subject in ("Registered: Open master class", "A place is free: Open master class"):
                # A seat comes with the invitation for one's calendar.
                self.assertEqual([(c["method"], c["uid"]) for c in invitations], [("REQUEST", soon_uid)], m)
                self.assertEqual(invitations[0]["attendee"].lower(), f"mailto:{m['rcpt_tos'][0]}")
            elif subject.startswith("Waiting list: "):
                self.assertEqual(invitations, [], "no invitation without a seat")
            elif subject.startswith("Booked: ") and not m["rcpt_tos"][0].startswith("lead-"):
                self.assertEqual(len(invitations), 1, m)  # hosts get the invitation, leads only the news

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("sqlite", "postgres"):
        ScenarioTest.ENGINE = sys.argv.pop(1)
    unittest.main(verbosity=2)
