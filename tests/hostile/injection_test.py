"""SQL injection strings are data: the demo programme, with a classic injection string, a NUL
spelled out, quotes, dollar quoting, LIKE wildcards or long 4-byte Unicode in every text field
(programme, stages, hubs, experts, venues, rooms, events, tracks, sessions), is imported with
etnikctl, exported back, and every string comes back verbatim; so do an application form, an
application's organisation, contact and answers, and a notification template's subject and
body, written and read through the REST gateway. The same objects are there afterwards and the
services' tables are the same set as before.

    injection_test.py sqlite|postgres
"""
import copy
import json
import os
import sqlite3
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from hostile_env import DATABASE_SERVICES, JWT_SECRET, ROOT, HostileStack, mint  # noqa: E402

BACKEND = sys.argv[1] if len(sys.argv) > 1 else "sqlite"

HOSTILE = [
    "'; DROP TABLE hubs; --",
    "' OR '1'='1",
    "\\x00",
    "Robert'); DROP TABLE sessions;--",
    '"; DELETE FROM events WHERE "1"="1',
    "1; SELECT pg_sleep(10); --",
    "$$; DROP TABLE experts; $$ $1 ? :name",
    "%_\\% LIKE '%",
    "Ж𝔘🎉" * 30,
    "\u202e\ufeff\u200b' --",
]
TEXT_KEYS = {"ru", "en", "address", "city", "note"}


def inject(node, counter, injected):
    """Replaces every text value in place with a unique hostile string; returns them."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS and isinstance(value, str) and value:
                s = f"{HOSTILE[counter[0] % len(HOSTILE)]} #{counter[0]}"
                counter[0] += 1
                node[key] = s
                injected.append(s)
            else:
                inject(value, counter, injected)
    elif isinstance(node, list):
        for item in node:
            inject(item, counter, injected)
    return injected


def strings(node, out):
    if isinstance(node, dict):
        for value in node.values():
            strings(value, out)
    elif isinstance(node, list):
        for item in node:
            strings(item, out)
    elif isinstance(node, str):
        out.add(node)
    return out


def counts(doc):
    return {
        "hubs": len(doc["hubs"]),
        "experts": sum(len(h.get("experts", [])) for h in doc["hubs"]),
        "venues": len(doc.get("venues", [])),
        "events": len(doc["events"]),
        "sessions": sum(len(e.get("sessions", [])) for e in doc["events"]),
    }


class InjectionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = HostileStack(BACKEND)
        cls.stack.start()
        try:
            cls.tables_before = cls.tables()
            with open(os.path.join(ROOT, "demo", "etnik-2021.json")) as f:
                cls.demo = json.load(f)
            cls.doc = copy.deepcopy(cls.demo)
            cls.injected = inject(cls.doc, [0], [])
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
                json.dump(cls.doc, f, ensure_ascii=False)
                path = f.name
            try:
                cls.stack.ctl("import", path)
                programme = f"--programme=programmes/{cls.doc['programme_id']}"
                cls.exported = json.loads(cls.stack.ctl(programme, "export", "-").stdout)
                cls.second_import = cls.stack.ctl("import", path)
            finally:
                os.unlink(path)
            cls.organiser = cls.stack.token("organiser")
        except BaseException:
            cls.stack.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.stack.stop()

    @classmethod
    def tables(cls):
        out = {}
        for svc in DATABASE_SERVICES:
            if BACKEND == "sqlite":
                with sqlite3.connect(cls.stack.database_url(svc)) as db:
                    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
                out[svc] = sorted(r[0] for r in rows)
            else:
                text = cls.stack.psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
                                      cls.stack.database_url(svc))
                out[svc] = sorted(text.split())
        return out

    def rest(self, method, path, body=None, token=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.stack.http_port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {token or self.organiser}",
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, json.loads(r.read().decode() or "{}")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def test_programme_hubs_experts_events_and_sessions_round_trip(self):
        self.assertGreater(len(self.injected), 150)
        back = strings(self.exported, set())
        missing = [s for s in self.injected if s not in back]
        self.assertEqual(missing, [], f"{len(missing)} of {len(self.injected)} strings did not come back verbatim")
        self.assertEqual(counts(self.exported), counts(self.demo))
        # A second import finds every object as the first left it.
        self.assertRegex(self.second_import.stdout + self.second_import.stderr, r"\(0 created, 0 updated, \d+ unchanged\)")
        self.assertTrue(all(self.tables_before.values()), self.tables_before)
        self.assertEqual(self.tables(), self.tables_before)

    def test_form_application_and_template_texts_round_trip(self):
        h = [f"{HOSTILE[i % len(HOSTILE)]} ~{i}" for i in range(14)]
        # A programme of its own whose selection is open now (the demo's closed in 2021).
        now = time.time()
        stamp = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))  # noqa: E731
        status, programme = self.rest("POST", "/v1/programmes?programmeId=hostile-apps", {
            "title": {"ru": h[12]}, "description": {"ru": h[13]}, "timeZone": "Europe/Moscow", "seats": 10,
            "stages": [{"stageId": "selection", "kind": "STAGE_KIND_SELECTION", "title": {"ru": h[0]},
                        "window": {"startTime": stamp(now - 86400), "endTime": stamp(now + 30 * 86400)}}]})
        self.assertEqual(status, 200, programme)
        status, got = self.rest("GET", f"/v1/{programme['name']}")
        self.assertEqual((got["title"]["ru"], got["description"]["ru"], got["stages"][0]["title"]["ru"]),
                         (h[12], h[13], h[0]))
        programme = programme["name"]
        status, form = self.rest("POST", f"/v1/{programme}/forms?formId=hostile", {
            "purpose": "FORM_PURPOSE_APPLICATION", "title": {"ru": h[0], "en": h[1]},
            "questions": [{"questionId": "about", "type": "QUESTION_TYPE_LONG_TEXT", "text": {"ru": h[2]}},
                          {"questionId": "motto", "type": "QUESTION_TYPE_TEXT", "text": {"ru": h[3]}}]})
        self.assertEqual(status, 200, form)
        status, got = self.rest("GET", f"/v1/{form['name']}")
        self.assertEqual(status, 200, got)
        self.assertEqual([got["title"]["ru"], got["title"]["en"], got["questions"][0]["text"]["ru"],
                          got["questions"][1]["text"]["ru"]], h[0:4])

        applicant = mint(JWT_SECRET, "applicant", sub="hostile-applicant")
        status, app = self.rest("POST", f"/v1/{programme}/applications", {
            "form": form["name"],
            "organisation": {"fullName": h[4], "shortName": h[5], "inn": "7707083893"},
            "contactPerson": {"fullName": h[6]},
            "answers": [{"questionId": "about", "text": h[7] + " " + h[8]}, {"questionId": "motto", "text": h[9]}]},
            token=applicant)
        self.assertEqual(status, 200, app)
        status, got = self.rest("GET", f"/v1/{app['name']}", token=applicant)
        self.assertEqual(status, 200, got)
        self.assertEqual([got["organisation"]["fullName"], got["organisation"]["shortName"],
                          got["contactPerson"]["fullName"], got["answers"][0]["text"], got["answers"][1]["text"]],
                         [h[4], h[5], h[6], h[7] + " " + h[8], h[9]])

        status, templates = self.rest("GET", "/v1/templates")
        self.assertEqual(status, 200, templates)
        name = templates["templates"][0]["name"]
        status, updated = self.rest("PATCH", f"/v1/{name}?updateMask=subject,body",
                                    {"subject": h[10], "body": h[11] + "\n" + h[1]})
        self.assertEqual(status, 200, updated)
        status, got = self.rest("GET", f"/v1/{name}")
        self.assertEqual((got["subject"], got["body"]), (h[10], h[11] + "\n" + h[1]))
        self.assertEqual(self.tables(), self.tables_before)

    def assert_verbatim_or_refused(self, status, body, read_back, sent):
        """A NUL is either kept (read back verbatim) or refused as such; never silently cut."""
        if status == 400:
            self.assertIn("NUL", str(body))
        else:
            self.assertEqual(status, 200, body)
            self.assertEqual(read_back(), sent)

    def test_nul_characters_are_kept_or_refused_never_cut(self):
        sent = "before\x00after"
        status, templates = self.rest("GET", "/v1/templates")
        name = templates["templates"][-1]["name"]
        status, body = self.rest("PATCH", f"/v1/{name}?updateMask=subject", {"subject": sent})
        self.assert_verbatim_or_refused(status, body, lambda: self.rest("GET", f"/v1/{name}")[1]["subject"], sent)

        status, body = self.rest("POST", "/v1/programmes?programmeId=nul-title", {
            "title": {"ru": sent}, "timeZone": "Europe/Moscow", "seats": 1})
        self.assert_verbatim_or_refused(
            status, body, lambda: self.rest("GET", "/v1/programmes/nul-title")[1]["title"]["ru"], sent)

        # A hub and an event through etnikctl (hubs and scheduling stores).
        doc = copy.deepcopy(self.demo)
        doc["hubs"] = doc["hubs"][:1]
        doc["hubs"][0]["hub"]["title"]["ru"] = sent
        doc["events"] = [e for e in doc["events"] if e["event"].get("venue")][:1]
        doc["events"][0]["event"]["title"]["ru"] = sent
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(doc, f, ensure_ascii=False)
            path = f.name
        try:
            imported = self.stack.ctl("import", path, check=False)
        finally:
            os.unlink(path)
        exported = self.stack.ctl(f"--programme=programmes/{doc['programme_id']}", "export", "-").stdout
        back = json.loads(exported)
        hub_title = back["hubs"][0]["hub"]["title"]["ru"]
        event_titles = [e["event"]["title"]["ru"] for e in back["events"] if e["event_id"] == doc["events"][0]["event_id"]]
        if imported.returncode != 0:
            self.assertIn("NUL", imported.stdout + imported.stderr)
        for got in [hub_title] + event_titles:
            self.assertNotEqual(got, "before", "a NUL cut the stored text")
        self.assertEqual(self.tables(), self.tables_before)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
