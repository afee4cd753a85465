"""etnikctl selection and report on a real stack.

A small programme with an application form open now is imported with etnikctl; six organisations
apply and are reviewed through the registration API (python3-grpcio stubs); then `selection
preview` prints the decisions with the binding quota, `commit` needs --yes, an accepted offer
makes a participant, and `report` writes the applications, participants and progress as CSV.
Errors: a token without the organiser role, an unreachable service, bad arguments.
"""
import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
sys.path.insert(0, HERE)
import grpc  # noqa: E402
from import_test import load_stubs  # noqa: E402
from stack import Stack, free_ports  # noqa: E402

PROGRAMME = "programmes/ctl-selection"
# (organisation, region, relevance, motivation): SMO holds the two best scores, but the quota
# lets one SMO organisation in.
APPLICANTS = [("АНО «Смоленский центр»", "RU-SMO", 10, 10), ("Фонд «Днепр»", "RU-SMO", 9, 9),
              ("АНО «Тверской дом»", "RU-TVE", 8, 8), ("Союз «Казань»", "RU-TA", 7, 7),
              ("АНО «Калуга»", "RU-KLU", 5, 5), ("Фонд «Ярославль»", "RU-YAR", 2, 2)]


def inn(i):
    """A valid 10-digit legal entity INN."""
    digits = f"77{i:07d}"
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    return digits + str(sum(int(d) * w for d, w in zip(digits, weights)) % 11 % 10)


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def programme_file(now):
    return {"programme_id": "ctl-selection", "programme": {
        "title": {"ru": "Отбор для проверки etnikctl"}, "time_zone": "Europe/Moscow", "seats": 3,
        "review_criteria": [{"criterion_id": "relevance", "title": {"ru": "Актуальность"}, "weight": 1, "max_score": 10},
                            {"criterion_id": "motivation", "title": {"ru": "Мотивация"}, "weight": 1, "max_score": 10}],
        "score_aggregation": "SCORE_AGGREGATION_MEAN", "offer_reply_duration": "259200s",
        "stages": [{"stage_id": "selection", "kind": "STAGE_KIND_SELECTION", "title": {"ru": "Отбор"},
                    "window": {"start_time": rfc3339(now - dt.timedelta(days=1)),
                               "end_time": rfc3339(now + dt.timedelta(days=1))},
                    "targets": [{"metric": "TARGET_METRIC_PARTICIPANTS", "value": 3}]}]},
        "forms": [{"form_id": "application", "form": {
            "purpose": "FORM_PURPOSE_APPLICATION", "title": {"ru": "Анкета участника"},
            "questions": [{"question_id": "region", "type": "QUESTION_TYPE_REGION", "text": {"ru": "Регион"},
                           "required": True}],
            "open_time": rfc3339(now - dt.timedelta(hours=1)), "close_time": rfc3339(now + dt.timedelta(hours=2))}}]}


class SelectionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.build_dir = os.environ["ETNIK_BUILD_DIR"]
        cls.ctl_bin = os.path.join(cls.build_dir, "tools", "etnikctl", "etnikctl")
        cls.tmp = tempfile.mkdtemp(prefix="etnikctl-selection-")
        cls.stubs = load_stubs()
        cls.stack = Stack(cls.build_dir)
        started = cls.stack.run("start")
        if started.returncode != 0:
            cls.stack.run("stop")
            raise AssertionError(f"stack did not start:\n{started.stdout}\n{started.stderr}")
        try:
            cls.seed()
        except BaseException:
            cls.stack.run("stop")
            raise

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.stack.run("stop")

    @classmethod
    def etnikctl(cls, *args, **ports):
        p = dict(cls.stack.grpc_ports)
        p.update(ports)
        return subprocess.run([cls.ctl_bin, *args, f"--registration=127.0.0.1:{p['registration']}",
                               f"--hubs=127.0.0.1:{p['hubs']}", f"--scheduling=127.0.0.1:{p['scheduling']}",
                               f"--jwt_key_file={os.path.join(cls.stack.state_dir, 'secrets', 'jwt-hs256.key')}"],
                              capture_output=True, text=True, timeout=60)

    @classmethod
    def auth(cls, role, sub):
        token = cls.etnikctl("token", f"--role={role}", f"--sub={sub}")
        assert token.returncode == 0, token.stderr
        return [("authorization", "Bearer " + token.stdout.strip())]

    @classmethod
    def seed(cls):
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        path = os.path.join(cls.tmp, "programme.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(programme_file(now), f, ensure_ascii=False)
        imported = cls.etnikctl("import", path)
        assert imported.returncode == 0, imported.stderr
        assert f"  created   {PROGRAMME}/forms/application" in imported.stderr, imported.stderr
        changed = programme_file(now)
        changed["forms"][0]["form"]["title"]["ru"] = "Анкета участника отбора"
        with open(path, "w", encoding="utf-8") as f:
            json.dump(changed, f, ensure_ascii=False)
        again = cls.etnikctl("import", path)
        assert again.returncode == 0, again.stderr
        assert f"  updated   {PROGRAMME}/forms/application (title)" in again.stderr, again.stderr
        pb = cls.stubs["registration.v1.registration_service_pb2"]
        cls.pb = pb
        cls.channel = grpc.insecure_channel(f"127.0.0.1:{cls.stack.grpc_ports['registration']}")
        cls.stub = cls.stubs["registration.v1.registration_service_pb2_grpc"].RegistrationServiceStub(cls.channel)
        organiser = cls.auth("organiser", "org-1")
        for i, (name, region, *_scores) in enumerate(APPLICANTS):
            who = cls.auth("participant", f"applicant-{i}")
            app = pb.CreateApplicationRequest(parent=PROGRAMME, application_id=f"app-{i}")
            app.application.organisation.full_name = name
            app.application.organisation.inn = inn(i)
            app.application.organisation.region = region
            app.application.contact_person.full_name = f"Контакт {i}"
            app.application.contact_person.contact.email = f"org{i}@example.org"
            answer = app.application.answers.add()
            answer.question_id = "region"
            answer.text = region
            cls.stub.CreateApplication(app, metadata=who, timeout=10)
            cls.stub.SubmitApplication(pb.SubmitApplicationRequest(name=f"{PROGRAMME}/applications/app-{i}"),
                                       metadata=who, timeout=10)
        cls.stub.AssignReviewers(pb.AssignReviewersRequest(parent=PROGRAMME, reviewers=["rev-1"],
                                                           reviewers_per_application=1), metadata=organiser, timeout=10)
        reviewer = cls.auth("reviewer", "rev-1")
        for i, (_name, _region, relevance, motivation) in enumerate(APPLICANTS):
            review = pb.ReviewApplicationRequest(parent=f"{PROGRAMME}/applications/app-{i}")
            review.scores.add(criterion_id="relevance", score=relevance)
            review.scores.add(criterion_id="motivation", score=motivation)
            cls.stub.ReviewApplication(review, metadata=reviewer, timeout=10)

    def rows(self, text):
        return [line.split() for line in text.splitlines()]

    def test_1_preview_prints_the_decisions_and_changes_nothing(self):
        run = self.etnikctl("selection", f"--programme={PROGRAMME}", "preview", "--quota=smo:region:RU-SMO:at_most:1")
        self.assertEqual(run.returncode, 0, run.stderr)
        lines = run.stdout.splitlines()
        self.assertEqual(lines[0].split()[:5], ["RANK", "SCORE", "OUTCOME", "WAIT", "QUOTA"])
        table = {r[5]: r for r in self.rows(run.stdout)[1:7]}
        self.assertEqual(table["app-0"][:3], ["1", "100.00", "selected"])
        self.assertEqual(table["app-1"][2], "waitlisted")
        self.assertEqual(table["app-1"][4], "smo")           # the quota that kept it out
        self.assertEqual(table["app-2"][2], "selected")
        self.assertEqual(table["app-3"][2], "selected")
        self.assertIn("Фонд «Днепр»", run.stdout)
        self.assertIn("3 selected, 3 waitlisted, 0 rejected", run.stdout)
        self.assertIn("preview: nothing changed", run.stdout)
        app = self.stub.GetApplication(self.pb.GetApplicationRequest(name=f"{PROGRAMME}/applications/app-0"),
                                       metadata=self.auth("organiser", "org-1"), timeout=10)
        self.assertNotIn(app.state, (4, 5))  # neither SELECTED nor WAITLISTED

    def test_2_commit_needs_yes_then_offers_go_out_and_reports_follow(self):
        refused = self.etnikctl("selection", f"--programme={PROGRAMME}", "commit")
        self.assertEqual(refused.returncode, 2)
        self.assertIn("add --yes", refused.stderr)
        run = self.etnikctl("selection", f"--programme={PROGRAMME}", "commit", "--yes",
                            "--quota=smo:region:RU-SMO:at_most:1")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn(f"committed as {PROGRAMME}/selectionRuns/", run.stdout)
        self.assertIn("3 selected, 3 waitlisted", run.stdout)
        again = self.etnikctl("selection", f"--programme={PROGRAMME}", "commit", "--yes")
        self.assertEqual(again.returncode, 1)
        self.assertIn("(SELECTION_ALREADY_COMMITTED)", again.stderr)

        offers = self.stub.ListOffers(self.pb.ListOffersRequest(parent=PROGRAMME, application=f"{PROGRAMME}/applications/app-0"),
                                      metadata=self.auth("organiser", "org-1"), timeout=10).offers
        self.assertEqual(len(offers), 1)
        self.stub.RespondToOffer(self.pb.RespondToOfferRequest(name=offers[0].name, reply=1),
                                 metadata=self.auth("participant", "applicant-0"), timeout=10)

        out = os.path.join(self.tmp, "applications.csv")
        run = self.etnikctl("report", f"--programme={PROGRAMME}", "applications", f"--out={out}")
        self.assertEqual(run.returncode, 0, run.stderr)
        with open(out, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        self.assertEqual(len(rows), 1 + len(APPLICANTS))
        self.assertIn("Фонд «Днепр»", {c for r in rows for c in r})
        self.assertIn("applications of programmes/ctl-selection: 6 rows", run.stderr)

        run = self.etnikctl("report", f"--programme={PROGRAMME}", "participants")
        self.assertEqual(run.returncode, 0, run.stderr)
        rows = list(csv.DictReader(io.StringIO(run.stdout, newline="")))
        self.assertEqual([(r["organisation"], r["region"], r["inn"]) for r in rows],
                         [("АНО «Смоленский центр»", "RU-SMO", inn(0))])
        self.assertEqual(float(rows[0]["score"]), 100)

        run = self.etnikctl("report", f"--programme={PROGRAMME}", "progress")
        self.assertEqual(run.returncode, 0, run.stderr)
        rows = list(csv.DictReader(io.StringIO(run.stdout, newline="")))
        by = {(r["service"], r["stage"], r["measure"]): r for r in rows}
        target = by[("registration", f"{PROGRAMME}/stages/selection", "participants")]
        self.assertEqual((target["target"], target["actual"]), ("3", "1"))
        self.assertEqual(by[("registration", "", "applications_selected")]["actual"], "2")
        self.assertEqual(by[("registration", "", "open_offers")]["actual"], "2")
        self.assertEqual(by[("hubs", "", "published_hubs")]["actual"], "0")
        self.assertEqual(by[("scheduling", "", "attendance")]["actual"], "0")

    def test_3_errors(self):
        expert = self.etnikctl("token", "--role=expert", "--sub=someone").stdout.strip()
        run = self.etnikctl("selection", f"--programme={PROGRAMME}", "preview", f"--token={expert}")
        self.assertEqual(run.returncode, 1)
        self.assertRegex(run.stderr, r"^etnikctl: permission denied: the token's role \(expert\) cannot preview the "
                                     r"selection of programmes/ctl-selection: .*organiser")
        run = self.etnikctl("report", f"--programme={PROGRAMME}", "applications", f"--token={expert}")
        self.assertEqual(run.returncode, 1)
        self.assertIn("permission denied: the token's role (expert) cannot export the applications", run.stderr)
        down = free_ports(1)[0]
        run = self.etnikctl("report", f"--programme={PROGRAMME}", "participants", registration=down)
        self.assertEqual(run.returncode, 1)
        self.assertEqual(run.stderr.strip(), f"etnikctl: cannot reach registration at 127.0.0.1:{down} (unavailable)")
        run = self.etnikctl("selection", "--programme=programmes/nope", "preview")
        self.assertEqual(run.returncode, 1)
        self.assertTrue(run.stderr.startswith("etnikctl: preview the selection of programmes/nope failed: NOT_FOUND"),
                        run.stderr)
        for args in (["selection", f"--programme={PROGRAMME}"], ["selection", f"--programme={PROGRAMME}", "run"],
                     ["selection", "preview"], ["selection", f"--programme={PROGRAMME}", "preview", "--quota=x:y"],
                     ["report", f"--programme={PROGRAMME}"], ["report", f"--programme={PROGRAMME}", "budget"],
                     ["report", "progress"], ["selection", f"--programme={PROGRAMME}", "preview", "--seats=many"]):
            run = self.etnikctl(*args)
            self.assertEqual(run.returncode, 2, (args, run.stderr))
            self.assertTrue(run.stderr.startswith("etnikctl: "), run.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
