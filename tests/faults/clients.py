"""Calls with idempotent retries: the same request_id again after UNAVAILABLE, a deadline, a reset.

An acknowledged write is a call that returned OK (gRPC) or 2xx (REST); its result is recorded by
the caller. A call that gives up is not acknowledged and promises nothing.
"""
import collections
import json
import threading
import time
import urllib.error
import urllib.request

import grpc

# Codes after which the same request may be sent again: the service or the path to it was down,
# a transaction lost a race, or the answer did not come back.
RETRY_CODES = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.ABORTED,
               grpc.StatusCode.UNKNOWN, grpc.StatusCode.INTERNAL, grpc.StatusCode.CANCELLED}
RETRY_HTTP = {"UNAVAILABLE", "DEADLINE_EXCEEDED", "ABORTED", "INTERNAL", "UNKNOWN"}


class Outcomes:
    """Counts of answers per operation and code, for the report and for the checks."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.first = {}
        self.finals = {}  # (op, code) -> messages

    def add(self, op, code):
        with self.lock:
            self.counts[(op, code)] += 1

    def note(self, op, code, text):
        """Keeps the first message of each (operation, code), to show what a refusal said."""
        with self.lock:
            self.first.setdefault((op, code), text)

    def final(self, op, code, text):
        """A call that ended without success: refused, or given up after its retries."""
        with self.lock:
            self.finals.setdefault((op, code), []).append(text or "")

    def unexpected_finals(self, allowed):
        """[(op, code, count, first message)] of final failures that allowed[op] does not excuse:
        allowed[op] maps a code to a text its message must contain ("" excuses any message)."""
        out = []
        with self.lock:
            for (op, code), texts in sorted(self.finals.items()):
                needed = allowed.get(op, {}).get(code)
                bad = [t for t in texts if needed is None or needed not in t]
                if bad:
                    out.append((op, code, len(bad), bad[0]))
        return out

    def of(self, op):
        with self.lock:
            return {code: n for (o, code), n in self.counts.items() if o == op}

    def report(self):
        with self.lock:
            return "\n".join(f"  {op:24} {code:20} {n:6}  {self.first.get((op, code), '')[:100]}"
                             for (op, code), n in sorted(self.counts.items()))


def grpc_call(outcomes, op, fn, request, metadata, budget=60.0, timeout=3.0):
    """(code, response or None). Retries `request` unchanged until a final answer or `budget` s."""
    end = time.monotonic() + budget
    while True:
        try:
            resp = fn(request, metadata=metadata, timeout=timeout)
            outcomes.add(op, "OK")
            return grpc.StatusCode.OK, resp
        except grpc.RpcError as e:
            code = e.code()
            outcomes.add(op, code.name)
            outcomes.note(op, code.name, e.details())
            if code not in RETRY_CODES or time.monotonic() > end:
                outcomes.final(op, code.name, e.details())
                return code, None
        time.sleep(0.2)


def http_call(outcomes, op, base, method, path, token, body=None, budget=60.0, timeout=3.0):
    """(status name, JSON answer or None) of a REST call through the gateway, with retries."""
    end = time.monotonic() + budget
    data = json.dumps(body).encode() if body is not None else None
    while True:
        req = urllib.request.Request(base + path, data=data, method=method)
        req.add_header("Authorization", "Bearer " + token)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                outcomes.add(op, "OK")
                return "OK", json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            try:
                error = json.loads(e.read())["error"]
                status, message = error["status"], error.get("message", "")
            except (ValueError, KeyError, TypeError):
                status, message = f"HTTP_{e.code}", ""
            outcomes.add(op, status)
            outcomes.note(op, status, message)
            if status not in RETRY_HTTP and e.code not in (502, 503, 504) or time.monotonic() > end:
                outcomes.final(op, status, message)
                return status, None
        except (OSError, urllib.error.URLError) as e:  # refused, reset, timed out: gateway down
            outcomes.add(op, "NO_ANSWER")
            if time.monotonic() > end:
                outcomes.final(op, "NO_ANSWER", str(e))
                return "NO_ANSWER", None
        time.sleep(0.2)
