"""The run command's stack, checked from outside with clients etnik did not write.

Starts Redis and all five processes with scripts/stack.sh, then: every health service says
SERVING, reflection lists the etnik.*.v1 services, `promtool check metrics` accepts every
/metrics page after some calls and the standard gRPC metrics carry their labels, the gateway's
/healthz sees every backend, and SIGTERM stops every process cleanly.
"""
import os
import re
import subprocess
import sys
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import grpc  # noqa: E402
import grpc_stubs  # noqa: E402
from stack import SERVICES, Stack  # noqa: E402

health_pb2, health_pb2_grpc, reflection_pb2, reflection_pb2_grpc = grpc_stubs.load()

API_SERVICES = {
    "registration": "etnik.registration.v1.RegistrationService",
    "hubs": "etnik.hubs.v1.HubsService",
    "scheduling": "etnik.scheduling.v1.SchedulingService",
    "notifications": "etnik.notifications.v1.NotificationsService",
}


def http_get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def running(pid):
    """True while the process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


class StackTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = Stack(os.environ["ETNIK_BUILD_DIR"])
        started = cls.stack.run("start")
        if started.returncode != 0:
            cls.stack.run("stop")
            raise AssertionError(f"stack did not start:\n{started.stdout}\n{started.stderr}")
        cls.start_output = started.stdout

    @classmethod
    def tearDownClass(cls):
        cls.stack.run("stop")

    def channel(self, svc):
        return grpc.insecure_channel(f"127.0.0.1:{self.stack.grpc_ports[svc]}")

    def test_every_health_service_is_serving(self):
        for svc in SERVICES:
            with self.channel(svc) as ch:
                stub = health_pb2_grpc.HealthStub(ch)
                names = [""] + ([API_SERVICES[svc]] if svc in API_SERVICES else [])
                for name in names:
                    resp = stub.Check(health_pb2.HealthCheckRequest(service=name), timeout=5)
                    self.assertEqual(resp.status, health_pb2.HealthCheckResponse.SERVING, f"{svc} {name!r}")
                with self.assertRaises(grpc.RpcError) as err:
                    stub.Check(health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=5)
                self.assertEqual(err.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_reflection_lists_the_etnik_services(self):
        for svc in SERVICES:
            with self.channel(svc) as ch:
                stub = reflection_pb2_grpc.ServerReflectionStub(ch)
                responses = stub.ServerReflectionInfo(
                    iter([reflection_pb2.ServerReflectionRequest(list_services="*")]), timeout=5)
                names = {s.name for r in responses for s in r.list_services_response.service}
                self.assertIn("grpc.health.v1.Health", names, svc)
                if svc in API_SERVICES:
                    self.assertIn(API_SERVICES[svc], names, svc)
                    # The whole contract is discoverable: the file that defines the service.
                    files = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(
                        file_containing_symbol=API_SERVICES[svc])]), timeout=5)
                    self.assertTrue(any(r.file_descriptor_response.file_descriptor_proto for r in files), svc)

    def test_metrics_pass_promtool_and_carry_grpc_labels(self):
        for svc in SERVICES:
            with self.channel(svc) as ch:
                stub = health_pb2_grpc.HealthStub(ch)
                for _ in range(3):
                    stub.Check(health_pb2.HealthCheckRequest(), timeout=5)
            status, body = http_get(f"http://127.0.0.1:{self.stack.metrics_ports[svc]}/metrics")
            self.assertEqual(status, 200, svc)
            check = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True, text=True)
            self.assertEqual(check.returncode, 0, f"{svc}: promtool said:\n{check.stdout}{check.stderr}")
            handled = re.search(r'^grpc_server_handled_total\{grpc_code="OK",grpc_method="Check",'
                                r'grpc_service="grpc.health.v1.Health",grpc_type="unary"\} (\d+)', body, re.M)
            self.assertIsNotNone(handled, f"{svc} has no handled counter for Check:\n{body[:2000]}")
            self.assertGreaterEqual(int(handled.group(1)), 3)
            self.assertRegex(body, r'grpc_server_started_total\{grpc_method="Check",grpc_service='
                                   r'"grpc.health.v1.Health",grpc_type="unary"\}')
            self.assertRegex(body, r'grpc_server_handling_seconds_bucket\{grpc_method="Check",'
                                   r'grpc_service="grpc.health.v1.Health",grpc_type="unary",le="0.005"\}')

    def test_failed_calls_are_counted_with_their_code(self):
        # An anonymous call of an etnik method fails (unauthenticated, or unimplemented where a
        # service has no behaviour yet); the metric must carry that code under gRPC's name for it.
        with self.channel("hubs") as ch:
            call = ch.unary_unary("/etnik.hubs.v1.HubsService/ListHubs",
                                  request_serializer=lambda b: b, response_deserializer=lambda b: b)
            with self.assertRaises(grpc.RpcError) as err:
                call(b"", timeout=5)
        code = err.exception.code()
        self.assertIn(code, (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.UNIMPLEMENTED))
        code_name = "".join(word.capitalize() for word in code.name.split("_"))
        _, body = http_get(f"http://127.0.0.1:{self.stack.metrics_ports['hubs']}/metrics")
        self.assertRegex(body, rf'grpc_server_handled_total\{{grpc_code="{code_name}",grpc_method="ListHubs",'
                               rf'grpc_service="etnik.hubs.v1.HubsService",grpc_type="unary"\}} 1')

    def test_gateway_healthz_sees_every_backend(self):
        status, body = http_get(f"http://127.0.0.1:{self.stack.http_port}/healthz")
        self.assertEqual(status, 200, body)
        for svc in API_SERVICES:
            self.assertIn(f'"{svc}":"SERVING"', body)

    def test_start_prints_where_to_look(self):
        for svc in SERVICES:
            self.assertIn(str(self.stack.grpc_ports[svc]), self.start_output)
        self.assertIn(f"http://127.0.0.1:{self.stack.http_port}/", self.start_output)
        self.assertIn("stack.sh stop", self.start_output)

    def test_z_sigterm_stops_every_process_cleanly(self):
        pids = {name: self.stack.pid(name) for name in SERVICES}
        stopped = self.stack.run("stop")
        self.assertEqual(stopped.returncode, 0, stopped.stderr)
        for name, pid in pids.items():
            self.assertFalse(running(pid), f"{name} still running")
            log = self.stack.log(name)
            self.assertIn('"msg":"shutting down","signal":"15"', log, name)
            self.assertIn('"msg":"server stopped"', log, name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
