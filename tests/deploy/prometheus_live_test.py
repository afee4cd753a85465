"""A real Prometheus (Debian's) scrapes the run command's stack with etnik's rules loaded.

Starts the stack with scripts/stack.sh on free ports and Prometheus on a free port with a scrape
config for every service's metrics port, then: every target is up; after gRPC traffic the RED
dashboard's own queries and the recording rules return data for every service; and a killed
service shows as down in `up` and raises EtnikServiceDown.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import grpc  # noqa: E402
import grpc_stubs  # noqa: E402
from stack import ROOT, SERVICES, Stack, free_ports  # noqa: E402

health_pb2, health_pb2_grpc, _, _ = grpc_stubs.load()

PROMETHEUS = os.environ.get("ETNIK_PROMETHEUS", "/usr/bin/prometheus")
RULES_DIR = os.path.join(ROOT, "deploy", "prometheus", "rules")
RED_DASHBOARD = os.path.join(ROOT, "deploy", "grafana", "dashboards", "etnik-red.json")
WAIT_SECONDS = 45


def substitute(expr):
    """Grafana's variables as Grafana would fill them for 'all', with a window of a few scrapes."""
    for name, value in (("$__rate_interval", "15s"), ("$__interval", "1s"), ("$__range", "1m")):
        expr = expr.replace(name, value)
    for var in ("${job}", "${grpc_service}", "${grpc_method}", "$job", "$grpc_service", "$grpc_method"):
        expr = expr.replace(var, ".*")
    return expr


def red_panel_expr(title, ref="A"):
    with open(RED_DASHBOARD) as f:
        dashboard = json.load(f)
    for panel in dashboard["panels"]:
        if panel.get("title") == title:
            return substitute(next(t["expr"] for t in panel["targets"] if t["refId"] == ref))
    raise AssertionError(f"no panel {title!r} in the RED dashboard")


class PrometheusLiveTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = Stack(os.environ["ETNIK_BUILD_DIR"])
        started = cls.stack.run("start")
        if started.returncode != 0:
            cls.stack.run("stop")
            raise AssertionError(f"stack did not start:\n{started.stdout}\n{started.stderr}")
        cls.dir = tempfile.mkdtemp(prefix="etnik-prometheus-")
        rule_files = sorted(os.path.join(RULES_DIR, f) for f in os.listdir(RULES_DIR) if f.endswith(".yml"))
        # JSON is YAML: the same shape as deploy/prometheus/prometheus.yml, on this stack's ports.
        config = {
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
            "rule_files": rule_files,
            "scrape_configs": [
                {"job_name": svc, "static_configs": [{"targets": [f"127.0.0.1:{cls.stack.metrics_ports[svc]}"]}]}
                for svc in SERVICES
            ],
        }
        cls.config_path = os.path.join(cls.dir, "prometheus.yml")
        with open(cls.config_path, "w") as f:
            json.dump(config, f)
        cls.port = free_ports(1)[0]
        cls.log = open(os.path.join(cls.dir, "prometheus.log"), "w")
        cls.prometheus = subprocess.Popen(
            [PROMETHEUS, f"--config.file={cls.config_path}", f"--storage.tsdb.path={cls.dir}/data",
             f"--web.listen-address=127.0.0.1:{cls.port}", "--log.level=warn"],
            stdout=cls.log, stderr=subprocess.STDOUT)
        try:
            cls.wait_for(lambda: cls.get("/-/ready", raw=True) is not None, "Prometheus ready")
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.prometheus.poll() is None:
            cls.prometheus.terminate()
            try:
                cls.prometheus.wait(timeout=15)
            except subprocess.TimeoutExpired:
                cls.prometheus.kill()
                cls.prometheus.wait()
        cls.log.close()
        cls.stack.run("stop")

    @classmethod
    def get(cls, path, raw=False):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{cls.port}{path}", timeout=5) as r:
                body = r.read().decode()
        except OSError:
            return None
        return body if raw else json.loads(body)

    @classmethod
    def wait_for(cls, condition, what, seconds=WAIT_SECONDS, between=None):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if between:
                between()
            value = condition()
            if value:
                return value
            if cls.prometheus.poll() is not None:
                break
            time.sleep(0.5)
        with open(os.path.join(cls.dir, "prometheus.log")) as f:
            log = f.read()[-3000:]
        raise AssertionError(f"timed out waiting for {what}; Prometheus log:\n{log}")

    def query(self, expr):
        body = self.get("/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
        self.assertIsNotNone(body, expr)
        self.assertEqual(body["status"], "success", body)
        return body["data"]["result"]

    def traffic(self, calls=5):
        for svc in SERVICES:
            if svc in getattr(self, "killed", set()):
                continue
            with grpc.insecure_channel(f"127.0.0.1:{self.stack.grpc_ports[svc]}") as ch:
                stub = health_pb2_grpc.HealthStub(ch)
                for _ in range(calls):
                    stub.Check(health_pb2.HealthCheckRequest(), timeout=5)

    def test_1_every_target_is_up(self):
        def all_up():
            body = self.get("/api/v1/targets")
            if not body:
                return False
            active = body["data"]["activeTargets"]
            return {t["labels"]["job"]: t["health"] for t in active} == {svc: "up" for svc in SERVICES}
        self.wait_for(all_up, "every target up")
        up = {r["metric"]["job"]: r["value"][1] for r in self.query("up")}
        self.assertEqual(up, {svc: "1" for svc in SERVICES})

    def test_2_dashboard_queries_return_data_after_traffic(self):
        rate = red_panel_expr("Requests per second by service")

        def rate_for_every_service():
            result = {r["metric"].get("job"): float(r["value"][1]) for r in self.query(rate)}
            return set(result) == set(SERVICES) and all(v > 0 for v in result.values()) and result
        rates = self.wait_for(rate_for_every_service, f"the RED rate query to see traffic: {rate}", between=self.traffic)
        self.assertEqual(set(rates), set(SERVICES))

        for title in ("Server error ratio by service", "p99 latency by service (unary calls)"):
            result = self.query(red_panel_expr(title))
            self.assertEqual({r["metric"]["job"] for r in result}, set(SERVICES), title)
        per_method = self.query(red_panel_expr("Requests per second by method"))
        self.assertIn(("gateway", "grpc.health.v1.Health", "Check"),
                      {(r["metric"]["job"], r["metric"]["grpc_service"], r["metric"]["grpc_method"]) for r in per_method})

    def test_3_recording_rules_produce_series_for_every_service(self):
        expr = 'job_grpc_service_grpc_method:grpc_server_handled:rate5m{grpc_service="grpc.health.v1.Health",grpc_method="Check"}'

        def recorded():
            result = self.query(expr)
            return {r["metric"]["job"] for r in result if float(r["value"][1]) > 0} == set(SERVICES)
        self.wait_for(recorded, expr, between=self.traffic)
        ratios = self.query("job:grpc_server_error_ratio:rate5m")
        self.assertEqual({r["metric"]["job"] for r in ratios}, set(SERVICES))
        p99 = self.query('job_grpc_service_grpc_method:grpc_server_handling_seconds:p99_5m{grpc_method="Check"}')
        self.assertEqual({r["metric"]["job"] for r in p99}, set(SERVICES))
        self.assertTrue(all(0 < float(r["value"][1]) <= 10 for r in p99), p99)

    def test_4_a_killed_service_is_down_and_alerted(self):
        self.assertEqual(self.query("ALERTS"), [], "no alert before any failure")
        type(self).killed = {"notifications"}
        os.kill(self.stack.pid("notifications"), signal.SIGKILL)
        self.wait_for(lambda: self.query('up{job="notifications"} == 0'), "up == 0 for notifications")

        def alerted():
            alerts = self.get("/api/v1/alerts")["data"]["alerts"]
            return [a for a in alerts if a["labels"]["alertname"] == "EtnikServiceDown"]
        alerts = self.wait_for(alerted, "EtnikServiceDown pending")
        self.assertEqual([a["labels"]["job"] for a in alerts], ["notifications"])
        self.assertIn(alerts[0]["state"], ("pending", "firing"))
        self.assertEqual(alerts[0]["labels"]["severity"], "critical")


if __name__ == "__main__":
    unittest.main(verbosity=2)
