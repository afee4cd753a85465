"""etnikctl export and re-import on real stacks.

The demo is imported and exported; the export is imported into a second, empty stack whose export
must be the same document. Then a changed file is imported again: changed objects are updated
through the services' Update/Reschedule RPCs and the export shows the new values; a third import
changes nothing; fields the services cannot change are refused by name. Errors: an unreachable
service, a token without the role, bad arguments.
"""
import copy
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from stack import Stack, free_ports  # noqa: E402

DEMO = os.path.join(ROOT, "demo", "etnik-2021.json")
PROGRAMME = "--programme=programmes/etnik-2021"


def start(build_dir):
    stack = Stack(build_dir)
    started = stack.run("start")
    if started.returncode != 0:
        stack.run("stop")
        raise AssertionError(f"stack did not start:\n{started.stdout}\n{started.stderr}")
    return stack


class Ctl:
    def __init__(self, build_dir, stack):
        self.bin = os.path.join(build_dir, "tools", "etnikctl", "etnikctl")
        self.stack = stack

    def flags(self, **override):
        p = dict(self.stack.grpc_ports)
        p.update(override)
        return [f"--registration=127.0.0.1:{p['registration']}", f"--hubs=127.0.0.1:{p['hubs']}",
                f"--scheduling=127.0.0.1:{p['scheduling']}",
                f"--jwt_key_file={os.path.join(self.stack.state_dir, 'secrets', 'jwt-hs256.key')}"]

    def __call__(self, *args, stdin=None, **override):
        return subprocess.run([self.bin, *args, *self.flags(**override)], capture_output=True, text=True,
                              timeout=90, input=stdin)


def sessions_of(doc):
    return {f"{e['event_id']}/{s['session_id']}": s["session"] for e in doc["events"] for s in e["sessions"]}


class ExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.build_dir = os.environ["ETNIK_BUILD_DIR"]
        cls.tmp = tempfile.mkdtemp(prefix="etnikctl-export-")
        cls.stack = start(cls.build_dir)
        try:
            cls.ctl = Ctl(cls.build_dir, cls.stack)
            imported = cls.ctl("import", DEMO)
            assert imported.returncode == 0, imported.stderr
            cls.first = cls.ctl("export", PROGRAMME)
            assert cls.first.returncode == 0, cls.first.stderr
            cls.doc = json.loads(cls.first.stdout)
        except BaseException:
            cls.stack.run("stop")
            raise

    @classmethod
    def tearDownClass(cls):
        cls.stack.run("stop")

    def write(self, doc, name):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
        return path

    def test_1_export_holds_the_whole_programme(self):
        with open(DEMO, encoding="utf-8") as f:
            demo = json.load(f)
        self.assertEqual(self.doc["programme_id"], "etnik-2021")
        self.assertEqual(self.doc["programme"]["seats"], 40)
        self.assertEqual(self.doc["programme"]["stages"], demo["programme"]["stages"])
        self.assertEqual({h["hub_id"] for h in self.doc["hubs"]}, {h["hub_id"] for h in demo["hubs"]})
        for hub in self.doc["hubs"]:
            want = next(h for h in demo["hubs"] if h["hub_id"] == hub["hub_id"])
            self.assertEqual(hub["hub"]["title"], want["hub"]["title"])
            self.assertEqual(sorted(e["expert_id"] for e in hub["experts"]),
                             sorted(e["expert_id"] for e in want["experts"]))
            self.assertNotIn("state", hub["hub"])   # what the services own stays out
        self.assertEqual(set(sessions_of(self.doc)), set(sessions_of(demo)))
        for key, s in sessions_of(demo).items():
            self.assertEqual(sessions_of(self.doc)[key]["start_time"], s["start_time"], key)
            self.assertEqual(sessions_of(self.doc)[key]["hosts"], s["hosts"], key)
        self.assertEqual([v["venue_id"] for v in self.doc["venues"]], ["moscow-house-of-nationalities"])
        self.assertIn("progress: hubs 10/10, experts 40", self.first.stderr)
        self.assertNotIn("{}", self.first.stdout)   # texts never written are left out

    def test_2_export_import_into_an_empty_stack_export_is_the_same_document(self):
        path = os.path.join(self.tmp, "first.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.first.stdout)
        other = start(self.build_dir)
        try:
            ctl = Ctl(self.build_dir, other)
            imported = ctl("import", path)
            self.assertEqual(imported.returncode, 0, imported.stderr)
            self.assertIn("117 created, 0 updated, 0 unchanged", imported.stderr)
            out = os.path.join(self.tmp, "second.json")
            second = ctl("export", PROGRAMME, out)
            self.assertEqual(second.returncode, 0, second.stderr)
            with open(out, encoding="utf-8") as f:
                self.assertEqual(f.read(), self.first.stdout)
        finally:
            other.run("stop")

    def test_3_reimport_of_a_changed_file_updates_and_a_third_changes_nothing(self):
        doc = copy.deepcopy(self.doc)
        media = next(h for h in doc["hubs"] if h["hub_id"] == "media")
        media["hub"]["title"]["ru"] = "Хаб «Медиа и коммуникации»"
        media["hub"]["participant_capacity"] = 12
        media["experts"][0]["expert"]["city"] = "Тверь"
        media["leads"] = [{"subject": "lead-media", "full_name": "Орлова Вера", "contact": {"email": "lead@example.org"},
                           "time_zone": "Europe/Moscow", "language": "LANGUAGE_RU"}]
        webinars = next(e for e in doc["events"] if e["event_id"] == "media-webinars")
        webinars["event"]["title"]["en"] = "Media webinars"
        s = webinars["sessions"][0]["session"]
        s["capacity"] = 30
        s["start_time"], s["end_time"] = s["start_time"].replace("T12:00", "T13:00"), s["end_time"].replace("T13:30", "T14:30")
        doc["programme"]["seats"] = 42
        path = self.write(doc, "changed.json")

        second = self.ctl("import", path)
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertIn("  updated   hubs/media (title, participant_capacity)", second.stderr)
        self.assertIn(f"  updated   experts/{media['experts'][0]['expert_id']} (city)", second.stderr)
        self.assertIn("  updated   events/media-webinars (title)", second.stderr)
        self.assertIn(f"  updated   events/media-webinars/sessions/{webinars['sessions'][0]['session_id']} "
                      "(start_time, end_time, capacity)", second.stderr)
        self.assertIn("  updated   programmes/etnik-2021 (seats)", second.stderr)
        self.assertIn("  created   hubs/media lead lead-media", second.stderr)
        self.assertIn("(1 created, 5 updated, 112 unchanged)", second.stderr)

        exported = json.loads(self.ctl("export", PROGRAMME).stdout)
        self.assertEqual(exported["programme"]["seats"], 42)
        hub = next(h for h in exported["hubs"] if h["hub_id"] == "media")
        self.assertEqual(hub["hub"]["title"]["ru"], "Хаб «Медиа и коммуникации»")
        self.assertEqual(hub["hub"]["participant_capacity"], 12)
        self.assertEqual(hub["experts"][0]["expert"]["city"], "Тверь")
        moved = sessions_of(exported)[f"media-webinars/{webinars['sessions'][0]['session_id']}"]
        self.assertEqual((moved["start_time"], moved["end_time"], moved["capacity"]),
                         (s["start_time"], s["end_time"], 30))
        self.assertEqual(exported, doc)

        third = self.ctl("import", path)
        self.assertEqual(third.returncode, 0, third.stderr)
        self.assertIn("(0 created, 0 updated, 118 unchanged)", third.stderr)

    def test_4_fields_that_cannot_change_are_refused_by_name(self):
        doc = copy.deepcopy(self.doc)
        event = next(e for e in doc["events"] if e["event_id"] == "media-master-class")
        event["event"]["kind"] = "EVENT_KIND_WEBINAR"
        event["sessions"][0]["session"]["hosts"] = ["experts/ivanova-elena", "experts/petrov-aleksey"]
        next(h for h in doc["hubs"] if h["hub_id"] == "media")["leads"] = [{"subject": "lead-media",
                                                                           "full_name": "Орлова-Петрова Вера"}]
        run = self.ctl("import", self.write(doc, "immutable.json"))
        self.assertEqual(run.returncode, 1, run.stderr)
        self.assertIn('etnikctl: events/media-master-class: "kind" cannot be changed (file "EVENT_KIND_WEBINAR", '
                      'service "EVENT_KIND_MASTER_CLASS")', run.stderr)
        self.assertIn('etnikctl: events/media-master-class/sessions/master-class-1: "hosts" cannot be changed',
                      run.stderr)
        self.assertIn('etnikctl: hubs/media lead lead-media: "full_name" cannot be changed (file "Орлова-Петрова Вера", '
                      'service "Орлова Вера"); leads cannot be edited', run.stderr)
        self.assertIn("3 refused", run.stderr)

    def test_5_errors_are_one_line_with_an_exit_code(self):
        down = free_ports(1)[0]
        run = self.ctl("export", PROGRAMME, hubs=down)
        self.assertEqual(run.returncode, 1)
        self.assertEqual(run.stderr.strip().splitlines()[-1],
                         f"etnikctl: cannot reach hubs at 127.0.0.1:{down} (unavailable)")

        run = self.ctl("schedule", PROGRAMME, scheduling=down)
        self.assertEqual((run.returncode, run.stderr),
                         (1, f"etnikctl: cannot reach scheduling at 127.0.0.1:{down} (unavailable)\n"))

        token = self.ctl("token", "--role=expert", "--sub=ivanova-elena").stdout.strip()
        doc = copy.deepcopy(self.doc)
        doc["programme"]["seats"] = 39
        run = self.ctl("import", self.write(doc, "seats.json"), f"--token={token}")
        self.assertEqual(run.returncode, 1)
        self.assertRegex(run.stderr, r"etnikctl: permission denied: the token's role \(expert\) cannot update "
                                     r"programmes/etnik-2021: .*organiser")
        run = self.ctl("import", DEMO, "--token=not-a-token")
        self.assertEqual(run.returncode, 1)
        self.assertIn("etnikctl: not authenticated: registration refused the token", run.stderr)

        for args in (["export"], ["export", "--programme=etnik-2021"], ["export", PROGRAMME, "a", "b"],
                     ["import"], ["import", os.path.join(self.tmp, "missing.json")], ["frobnicate"],
                     ["export", PROGRAMME, "--colour=red"]):
            run = self.ctl(*args)
            self.assertEqual(run.returncode, 2, args)
            self.assertTrue(run.stderr.startswith("etnikctl: "), run.stderr)

    def test_6_export_to_stdout_pipes_into_import(self):
        exported = self.ctl("export", PROGRAMME)
        run = self.ctl("import", "-", stdin=exported.stdout)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("0 created, 0 updated", run.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
