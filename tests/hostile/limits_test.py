"""Oversized and deeply nested input is refused at the edge of the stack.

- The gateway answers 413 to a body over its limit (1 MiB) and 400 naming the limit to a JSON
  body nested deeper than 64 levels, and keeps serving afterwards.
- Every gRPC server refuses a message over 4 MiB with RESOURCE_EXHAUSTED before parsing it,
  while a 3 MiB message still reaches the service (and is refused for its content).
"""
import json
import os
import socket
import sys
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import grpc  # noqa: E402
from hostile_env import SERVICES, HostileStack  # noqa: E402


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def health_request(service_name_size):
    """A grpc.health.v1.HealthCheckRequest whose service name has this many bytes."""
    return b"\x0a" + varint(service_name_size) + b"a" * service_name_size


class LimitsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = HostileStack("sqlite")
        cls.stack.start()
        cls.token = cls.stack.token("organiser")

    @classmethod
    def tearDownClass(cls):
        cls.stack.stop()

    def post(self, path, body):
        req = urllib.request.Request(f"http://127.0.0.1:{self.stack.http_port}{path}", data=body, method="POST",
                                     headers={"Authorization": f"Bearer {self.token}",
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def post_raw(self, path, body):
        """POST over a plain socket: the gateway may answer 413 and close before the whole body is
        sent, which urllib reports as a broken pipe; the answer is read anyway."""
        with socket.create_connection(("127.0.0.1", self.stack.http_port), timeout=30) as sock:
            head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.token}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n")
            try:
                sock.sendall(head.encode() + body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            answer = b""
            try:
                while chunk := sock.recv(65536):
                    answer += chunk
            except ConnectionResetError:
                pass
        status_line, _, rest = answer.decode(errors="replace").partition("\r\n")
        return int(status_line.split()[1]), rest

    def test_gateway_refuses_a_body_over_its_limit(self):
        body = json.dumps({"title": {"ru": "я" * (600 * 1024)}}).encode()  # 1.2 MB of UTF-8
        self.assertGreater(len(body), 1 << 20)
        status, text = self.post_raw("/v1/programmes", body)
        self.assertEqual(status, 413, text)
        self.assertIn("too large", text)
        status, _ = self.post("/v1/programmes", b'{"title": {"ru": "x"}')  # still serving: a normal 400
        self.assertEqual(status, 400)

    def test_gateway_refuses_deep_nesting(self):
        deep = '{"title": {"ru": "x"}, "stages": [' + "[" * 200 + "]" * 200 + "]}"
        status, text = self.post("/v1/programmes", deep.encode())
        self.assertEqual(status, 400, text)
        self.assertIn("nested deeper than 64", text)
        # At the limit the body is parsed (and refused for what it says, not for its depth).
        at_limit = '{"title": {"ru": "x"}, "stages": ' + "[" * 63 + "]" * 63 + "}"
        status, text = self.post("/v1/programmes", at_limit.encode())
        self.assertEqual(status, 400, text)
        self.assertNotIn("nested deeper", text)

    def test_grpc_servers_refuse_messages_over_4_mib(self):
        for svc in SERVICES:
            with grpc.insecure_channel(f"127.0.0.1:{self.stack.grpc_ports[svc]}") as ch:
                check = ch.unary_unary("/grpc.health.v1.Health/Check")
                with self.assertRaises(grpc.RpcError, msg=svc) as err:
                    check(health_request(5 << 20), timeout=30)
                self.assertEqual(err.exception.code(), grpc.StatusCode.RESOURCE_EXHAUSTED, svc)
                # Under the limit the request is read, and the name refused for what it is.
                with self.assertRaises(grpc.RpcError, msg=svc) as err:
                    check(health_request(3 << 20), timeout=30)
                self.assertIn(err.exception.code(), (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT), svc)


if __name__ == "__main__":
    unittest.main()
