"""etnikctl import of the demo programme into a fresh stack, twice: the second run changes nothing.

The stack is started with scripts/stack.sh on free ports (tests/lib/stack.py); the result is read
back with python3-grpcio stubs compiled from proto/ at test time, a client etnikctl did not write.
"""
import importlib
import json
import os
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
import grpc  # noqa: E402
import etnik_stubs  # noqa: E402
from stack import Stack  # noqa: E402

DEMO = os.path.join(ROOT, "demo", "etnik-2021.json")


def load_stubs():
    etnik_stubs.compile_protos(("common", "registration", "hubs", "scheduling"), prefix="etnikctl-stubs-")
    m = importlib.import_module
    return {name: m(f"etnik.{name}") for name in (
        "registration.v1.registration_service_pb2", "registration.v1.registration_service_pb2_grpc",
        "hubs.v1.hubs_service_pb2", "hubs.v1.hubs_service_pb2_grpc", "hubs.v1.hub_pb2",
        "scheduling.v1.scheduling_service_pb2", "scheduling.v1.scheduling_service_pb2_grpc")}


class ImportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.build_dir = os.environ["ETNIK_BUILD_DIR"]
        cls.ctl = os.path.join(cls.build_dir, "tools", "etnikctl", "etnikctl")
        cls.stubs = load_stubs()
        cls.stack = Stack(cls.build_dir)
        started = cls.stack.run("start")
        if started.returncode != 0:
            cls.stack.run("stop")
            raise AssertionError(f"stack did not start:\n{started.stdout}\n{started.stderr}")
        with open(DEMO, encoding="utf-8") as f:
            cls.demo = json.load(f)
        cls.runs = [cls.etnikctl("import", DEMO) for _ in range(2)]

    @classmethod
    def tearDownClass(cls):
        cls.stack.run("stop")

    @classmethod
    def flags(cls):
        p = cls.stack.grpc_ports
        return [f"--registration=127.0.0.1:{p['registration']}", f"--hubs=127.0.0.1:{p['hubs']}",
                f"--scheduling=127.0.0.1:{p['scheduling']}",
                f"--jwt_key_file={os.path.join(cls.stack.state_dir, 'secrets', 'jwt-hs256.key')}"]

    @classmethod
    def etnikctl(cls, *args):
        return subprocess.run([cls.ctl, *args, *cls.flags()], capture_output=True, text=True, timeout=90)

    def metadata(self, role="organiser", sub=None):
        token = self.etnikctl("token", f"--role={role}", *([f"--sub={sub}"] if sub else []))
        self.assertEqual(token.returncode, 0, token.stderr)
        return [("authorization", "Bearer " + token.stdout.strip())]

    def stub(self, svc, module, cls):
        ch = grpc.insecure_channel(f"127.0.0.1:{self.stack.grpc_ports[svc]}")
        self.addCleanup(ch.close)
        return getattr(self.stubs[module], cls)(ch)

    def test_both_imports_succeed_and_the_second_creates_nothing(self):
        for run in self.runs:
            self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("  created   programmes/etnik-2021", self.runs[0].stderr)
        self.assertNotIn("  created ", self.runs[1].stderr)
        self.assertIn("(0 created, 0 updated, 117 unchanged)", self.runs[1].stderr)
        self.assertIn("imported programmes/etnik-2021: 10 hubs, 40 experts", self.runs[1].stderr)

    def test_the_programme_has_its_stages_and_targets(self):
        pb = self.stubs["registration.v1.registration_service_pb2"]
        stub = self.stub("registration", "registration.v1.registration_service_pb2_grpc", "RegistrationServiceStub")
        p = stub.GetProgramme(pb.GetProgrammeRequest(name="programmes/etnik-2021"), metadata=self.metadata(),
                              timeout=10)
        self.assertEqual(p.title.ru, "ЭтНик: ресурсное сообщество")
        self.assertEqual(p.seats, 40)
        self.assertEqual([s.stage_id for s in p.stages], ["selection", "training", "practice", "final"])
        targets = {(t.metric, t.value) for s in p.stages for t in s.targets}
        self.assertIn((1, 40), targets)   # participants
        self.assertIn((2, 10), targets)   # hubs
        self.assertIn((4, 20), targets)   # webinars and master classes

    def test_ten_published_hubs_with_three_to_five_experts_each(self):
        pb = self.stubs["hubs.v1.hubs_service_pb2"]
        hub_pb = self.stubs["hubs.v1.hub_pb2"]
        stub = self.stub("hubs", "hubs.v1.hubs_service_pb2_grpc", "HubsServiceStub")
        resp = stub.ListHubs(pb.ListHubsRequest(programme="programmes/etnik-2021", page_size=100),
                             metadata=self.metadata(), timeout=10)
        hubs = {h.name: h for h in resp.hubs}
        self.assertEqual(len(resp.hubs), 10)
        self.assertEqual(set(hubs), {"hubs/" + h["hub_id"] for h in self.demo["hubs"]})
        for entry in self.demo["hubs"]:
            hub = hubs["hubs/" + entry["hub_id"]]
            self.assertEqual(hub.state, hub_pb.HUB_STATE_PUBLISHED, hub.name)
            experts = stub.ListExperts(pb.ListExpertsRequest(hub=hub.name, page_size=100),
                                       metadata=self.metadata(), timeout=10).experts
            self.assertEqual(sorted(e.name for e in experts),
                             sorted("experts/" + e["expert_id"] for e in entry["experts"]), hub.name)
            self.assertTrue(3 <= len(experts) <= 5, hub.name)

    def test_every_session_exists_exactly_once(self):
        pb = self.stubs["scheduling.v1.scheduling_service_pb2"]
        stub = self.stub("scheduling", "scheduling.v1.scheduling_service_pb2_grpc", "SchedulingServiceStub")
        names = []
        req = pb.ListSessionsRequest(parent="events/-", programme="programmes/etnik-2021", page_size=1000)
        while True:
            resp = stub.ListSessions(req, metadata=self.metadata(), timeout=10)
            names += [s.name for s in resp.sessions]
            if not resp.next_page_token:
                break
            req.page_token = resp.next_page_token
        expected = [f"events/{e['event_id']}/sessions/{s['session_id']}" for e in self.demo["events"]
                    for s in e["sessions"]]
        self.assertEqual(sorted(names), sorted(expected))
        self.assertGreaterEqual(len(expected), 30)

    def test_schedule_prints_every_session(self):
        out = self.etnikctl("schedule", "--programme=programmes/etnik-2021")
        self.assertEqual(out.returncode, 0, out.stderr)
        total = sum(len(e["sessions"]) for e in self.demo["events"])
        self.assertIn(f"\n{total} sessions\n", out.stdout)
        self.assertIn("Пленарное заседание", out.stdout)

    def test_the_run_commands_expert_token_belongs_to_a_demo_expert(self):
        with open(os.path.join(ROOT, "scripts", "run.sh"), encoding="utf-8") as f:
            sub = re.search(r'\[ "\$role" = expert \] && extra=\(--sub=([a-z0-9-]+)\)', f.read()).group(1)
        experts = {e["expert_id"]: e["expert"] for h in self.demo["hubs"] for e in h["experts"]}
        self.assertEqual(experts[sub]["subject"], sub)
        pb = self.stubs["hubs.v1.hubs_service_pb2"]
        stub = self.stub("hubs", "hubs.v1.hubs_service_pb2_grpc", "HubsServiceStub")
        me = self.metadata("expert", sub)
        own = stub.GetExpert(pb.GetExpertRequest(name=f"experts/{sub}"), metadata=me, timeout=10)
        self.assertEqual(own.subject, sub)
        other = next(e for e in experts if e != sub)
        with self.assertRaises(grpc.RpcError) as refused:
            stub.GetExpert(pb.GetExpertRequest(name=f"experts/{other}"), metadata=me, timeout=10)
        self.assertEqual(refused.exception.code(), grpc.StatusCode.PERMISSION_DENIED)
        spb = self.stubs["scheduling.v1.scheduling_service_pb2"]
        sstub = self.stub("scheduling", "scheduling.v1.scheduling_service_pb2_grpc", "SchedulingServiceStub")
        hosted = sstub.ListSessions(spb.ListSessionsRequest(parent="events/-", programme="programmes/etnik-2021",
                                                            host=f"experts/{sub}", page_size=1000),
                                    metadata=me, timeout=10).sessions
        expected = [s for e in self.demo["events"] for s in e["sessions"] if f"experts/{sub}" in s["session"]["hosts"]]
        self.assertEqual(len(hosted), len(expected))
        self.assertGreaterEqual(len(hosted), 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
