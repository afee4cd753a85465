"""aiosmtpd handler for the SMTP channel tests: keeps every message it receives.

Run as: python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c eml_handler.EmlHandler OUT_DIR
(with this directory on PYTHONPATH). Each message becomes OUT_DIR/N.eml (the raw bytes) and
OUT_DIR/N.json: the envelope and what Python's own email parser and python3-icalendar read from
it (decoded subject, names, text body, attachments), so the C++ test checks the message through
parsers no one here wrote. Recipients starting with "reject" are refused with 550 and those
starting with "later" with 451, to test permanent and temporary failures.
"""
import datetime
import email
import email.policy
import json
import os

import icalendar


def _calendar(data):
    cal = icalendar.Calendar.from_ical(data.decode("utf-8"))
    ev = cal.walk("VEVENT")[0]
    start = ev["DTSTART"].dt.astimezone(datetime.timezone.utc)
    return {
        "method": str(cal.get("METHOD", "")),
        "uid": str(ev["UID"]),
        "summary": str(ev["SUMMARY"]),
        "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "attendee": str(ev["ATTENDEE"]),
    }


def describe(envelope):
    msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
    out = {
        "mail_from": envelope.mail_from,
        "rcpt_tos": list(envelope.rcpt_tos),
        "from": str(msg["From"]),
        "to": str(msg["To"]),
        "to_name": msg["To"].addresses[0].display_name if msg["To"] else "",
        "subject": str(msg["Subject"]),
        "message_id": str(msg["Message-ID"]),
        "date": str(msg["Date"]),
        "list_unsubscribe": str(msg.get("List-Unsubscribe", "")),
        "content_type": msg.get_content_type(),
        "body": "",
        "attachments": [],
        "defects": [str(d) for d in msg.defects],
    }
    for part in msg.walk():
        if part.is_multipart():
            continue
        out["defects"] += [str(d) for d in part.defects]
        if part.get_content_disposition() == "attachment":
            data = part.get_payload(decode=True)
            item = {
                "filename": part.get_filename() or "",
                "content_type": part.get_content_type(),
                "method": part.get_param("method") or "",
                "data": data.decode("utf-8", "replace"),
            }
            if part.get_content_type() == "text/calendar":
                item["calendar"] = _calendar(data)
            out["attachments"].append(item)
        elif part.get_content_type() == "text/plain":
            out["body"] = part.get_content()
    return out


class EmlHandler:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.count = 0

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("EmlHandler needs the output directory")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 No such mailbox"
        if address.startswith("later"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.out_dir, str(self.count))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.content)
        try:
            described = describe(envelope)
        except Exception as e:  # reported to the test, which fails on it
            described = {"error": repr(e)}
        # Written under a temporary name and renamed, so a reader never sees half a file.
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(described, f, ensure_ascii=False)
        os.rename(base + ".json.tmp", base + ".json")
        return "250 Message accepted"
