#!/usr/bin/python3
"""A local SMTP server for tests and the benchmark (aiosmtpd).

Every accepted message is appended to --out as one JSON line: message_id, mail_from, rcpt_tos,
subject (decoded), body (the decoded text/plain part) and attachments (filename, content_type,
data). RCPT TO an address listed in --refuse is answered 550 (a permanent refusal). The server
writes its port to --port-file once it accepts connections and runs until killed.
"""

import argparse
import email
import email.policy
import json
import os
import signal
import socket
import threading

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, out, refuse, raw):
        self.out = out
        self.refuse = set(a.lower() for a in refuse)
        self.raw = raw
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        record = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}
        if self.raw:
            msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
            record["message_id"] = str(msg.get("Message-ID", ""))
        else:
            msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
            record["message_id"] = str(msg.get("Message-ID", ""))
            record["subject"] = str(msg.get("Subject", ""))
            record["to"] = str(msg.get("To", ""))
            body = msg.get_body(preferencelist=("plain",))
            record["body"] = body.get_content() if body is not None else ""
            atts = []
            for part in msg.iter_attachments():
                data = part.get_payload(decode=True) or b""
                atts.append({"filename": part.get_filename() or "", "content_type": part.get_content_type(),
                             "method": part.get_param("method") or "", "data": data.decode("utf-8", "replace")})
            record["attachments"] = atts
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self.lock:
            with open(self.out, "a", encoding="utf-8") as f:
                f.write(line)
                f.flush()
        return "250 Message accepted"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--refuse", action="append", default=[])
    p.add_argument("--raw", action="store_true", help="record only Message-ID and envelope (fast)")
    a = p.parse_args()
    port = a.port or free_port()
    controller = Controller(Handler(a.out, a.refuse, a.raw), hostname="127.0.0.1", port=port)
    controller.start()
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(port))
    os.replace(tmp, a.port_file)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    main()
