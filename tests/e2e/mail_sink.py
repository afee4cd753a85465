"""A real SMTP server (aiosmtpd) in the test process that keeps every message, parsed."""
import os
import sys
import threading
import time

from aiosmtpd.controller import Controller

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "services", "notifications", "channels",
                                "testing"))
import eml_handler  # noqa: E402  (Python's email parser and python3-icalendar read each message)


class _Keep:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        try:
            described = eml_handler.describe(envelope)
        except Exception as e:  # the test fails on it
            described = {"error": repr(e), "rcpt_tos": list(envelope.rcpt_tos), "subject": ""}
        described["received"] = time.time()
        with self.sink.lock:
            self.sink.messages.append(described)
        return "250 Message accepted"


class MailSink:
    def __init__(self, port):
        self.lock = threading.Lock()
        self.messages = []
        self.controller = Controller(_Keep(self), hostname="127.0.0.1", port=port)

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.controller.port}"

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def snapshot(self):
        with self.lock:
            return list(self.messages)
