"""Secrets never reach a log: a stack on PostgreSQL (the database URL carries a password) with a
known token secret, SMTP password, Telegram bot token and unsubscribe secret takes requests with a
good token, a forged one, one signed with another key, an expired one and plain garbage, through
the gateway and straight to the services' gRPC ports, and creates a webhook subscription with a
secret; afterwards no service log holds any of those secrets or tokens (the logs are read after
the processes stopped, so nothing is left unflushed). A service that cannot reach its database or
Redis says so without the password of the URL."""
import json
import os
import subprocess
import sys
import unittest
import urllib.error
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(__file__))
import grpc  # noqa: E402
from hostile_env import DB_PASSWORD, JWT_SECRET, SERVICES, SMTP_PASSWORD, HostileStack, b64, mint  # noqa: E402

TELEGRAM_TOKEN = "123456:hostile-telegram-" + uuid.uuid4().hex[:10]
UNSUBSCRIBE_SECRET = "hostile-unsubscribe-" + uuid.uuid4().hex[:10]
WEBHOOK_SECRET = "hostile-webhook-secret-" + uuid.uuid4().hex[:10]


class SecretsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.environ.update({"ETNIK_SMTP_USERNAME": "etnik", "ETNIK_SMTP_PASSWORD": SMTP_PASSWORD,
                           "ETNIK_TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
                           "ETNIK_TELEGRAM_BASE_URL": "http://127.0.0.1:9",
                           "ETNIK_UNSUBSCRIBE_SECRET": UNSUBSCRIBE_SECRET})
        cls.stack = HostileStack("postgres")
        cls.stack.start()

    @classmethod
    def tearDownClass(cls):
        cls.stack.stop()

    def http(self, method, path, token, body=None):
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(f"http://127.0.0.1:{self.stack.http_port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(), headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def test_no_secret_in_any_log(self):
        good = self.stack.token("organiser")
        forged = good.rsplit(".", 1)[0] + "." + b64(b"x" * 32)
        other_key = mint("another-key-" + uuid.uuid4().hex, "organiser")
        expired = mint(JWT_SECRET, "organiser", exp_offset=-3600)
        garbage = "hostile-garbage-token-" + uuid.uuid4().hex
        tokens = {"good": good, "forged": forged, "other_key": other_key, "expired": expired, "garbage": garbage}

        self.assertEqual(self.http("GET", "/v1/hubs", good), 200)
        status = self.http("POST", "/v1/webhookSubscriptions", good,
                           {"uri": "http://127.0.0.1:9/hook", "secret": WEBHOOK_SECRET,
                            "eventTypes": ["etnik.events.v1.SessionBooked"]})
        self.assertIn(status, (200, 201), "webhook subscription not created")
        for name in ("forged", "other_key", "expired", "garbage"):
            self.assertEqual(self.http("GET", "/v1/hubs", tokens[name]), 401, name)
            self.assertEqual(self.http("POST", "/v1/programmes", tokens[name], {"title": {"ru": "x"}}), 401, name)
        # Straight to the services, past the gateway.
        for svc in ("registration", "hubs", "scheduling", "notifications"):
            with grpc.insecure_channel(f"127.0.0.1:{self.stack.grpc_ports[svc]}") as ch:
                any_call = ch.unary_unary(f"/etnik.{svc}.v1.{svc.capitalize()}Service/NoSuchMethod")
                for token in tokens.values():
                    with self.assertRaises(grpc.RpcError):
                        any_call(b"", metadata=[("authorization", f"Bearer {token}")], timeout=10)

        stopped = self.stack.run("stop")
        self.assertEqual(stopped.returncode, 0, stopped.stderr)
        logs = self.stack.logs()
        self.assertTrue(all(logs[svc] for svc in SERVICES), "every service logged something")
        secrets = {"jwt key": JWT_SECRET, "database password": DB_PASSWORD, "smtp password": SMTP_PASSWORD,
                   "telegram token": TELEGRAM_TOKEN, "unsubscribe secret": UNSUBSCRIBE_SECRET,
                   "webhook secret": WEBHOOK_SECRET}
        for name, token in tokens.items():
            secrets[f"{name} token"] = token
            secrets[f"{name} token signature"] = token.rsplit(".", 1)[-1]
        leaks = [f"{what} in {svc}.log" for svc, text in logs.items() for what, s in secrets.items() if s in text]
        self.assertEqual(leaks, [])

    def test_failing_database_and_redis_urls_are_not_logged_with_their_passwords(self):
        key_file = os.path.join(self.stack.state_dir, "secrets", "jwt-hs256.key")
        for svc in ("registration", "hubs", "scheduling", "notifications"):
            binary = os.path.join(self.stack.build_dir, "services", svc, svc)
            for flag in (f"--database_url=postgresql://etnik:{DB_PASSWORD}@127.0.0.1:1/etnik",
                         f"--redis_url=redis://:{DB_PASSWORD}@127.0.0.1:1"):
                out = subprocess.run([binary, "--grpc_address=127.0.0.1:0", "--metrics_address=127.0.0.1:0",
                                      f"--jwt_key_file={key_file}",
                                      f"--database_url=sqlite://{self.stack.state_dir}/data/{svc}-alone.db",
                                      "--redis_url=redis://127.0.0.1:1", flag],
                                     capture_output=True, text=True, timeout=120)
                self.assertNotEqual(out.returncode, 0, f"{svc} {flag} started without its database or Redis")
                self.assertIn("cannot start", out.stdout + out.stderr, svc)
                self.assertNotIn(DB_PASSWORD, out.stdout + out.stderr, f"{svc} logged the password of {flag}")


if __name__ == "__main__":
    unittest.main()
