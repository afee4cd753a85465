#!/usr/bin/python3
"""Independent check of scheduling's iCalendar feeds with python3-icalendar (RFC 5545).

Usage: check_ics.py FILE...

For each file: the raw text must use CRLF line ends and fold lines at 75 octets; the document
must parse with icalendar; it must be one VCALENDAR with VERSION 2.0 and PRODID; every VEVENT
needs UID, DTSTAMP, DTSTART, DTEND, SEQUENCE and STATUS (CONFIRMED or CANCELLED); UIDs are
unique; every TZID used has a VTIMEZONE. Prints one JSON object per file on stdout:
{"file": ..., "events": {uid: {"start": utc-iso, "end": utc-iso, "status": ..., "sequence": n,
"summary": ...}}} so the caller can compare instants with what the API returned. Exit code 1
and a message on stderr at the first problem.
"""
import datetime
import json
import sys

import icalendar


def fail(path, message):
    sys.stderr.write(f"{path}: {message}\n")
    sys.exit(1)


def utc(value, path, uid):
    dt = value.dt
    if not isinstance(dt, datetime.datetime):
        fail(path, f"{uid}: date-only value {dt}")
    if dt.tzinfo is None:
        fail(path, f"{uid}: floating time {dt} (no zone)")
    return dt.astimezone(datetime.timezone.utc).isoformat()


def check(path):
    raw = open(path, "rb").read()
    if not raw.endswith(b"\r\n"):
        fail(path, "does not end with CRLF")
    physical = raw.split(b"\r\n")[:-1]
    for n, line in enumerate(physical, 1):
        if b"\n" in line or b"\r" in line:
            fail(path, f"line {n}: bare LF or CR")
        if len(line) > 75:
            fail(path, f"line {n}: {len(line)} octets > 75")
        line.decode("utf-8")  # folding never split a character
    cal = icalendar.Calendar.from_ical(raw.decode("utf-8"))
    if cal.name != "VCALENDAR":
        fail(path, "not a VCALENDAR")
    if str(cal.get("VERSION")) != "2.0" or not cal.get("PRODID"):
        fail(path, "VERSION 2.0 and PRODID are required")
    zones = {str(tz.get("TZID")) for tz in cal.walk("VTIMEZONE")}
    events = {}
    for ev in cal.walk("VEVENT"):
        uid = str(ev.get("UID", ""))
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS"):
            if ev.get(prop) is None:
                fail(path, f"{uid or 'event'}: missing {prop}")
        if uid in events:
            fail(path, f"duplicate UID {uid}")
        status = str(ev.get("STATUS"))
        if status not in ("CONFIRMED", "CANCELLED"):
            fail(path, f"{uid}: STATUS {status}")
        for prop in ("DTSTART", "DTEND"):
            tzid = ev.get(prop).params.get("TZID")
            if tzid is not None and tzid not in zones:
                fail(path, f"{uid}: TZID {tzid} has no VTIMEZONE")
        if ev.get("DTSTAMP").dt.tzinfo is None:
            fail(path, f"{uid}: DTSTAMP must be UTC")
        events[uid] = {
            "start": utc(ev.get("DTSTART"), path, uid),
            "end": utc(ev.get("DTEND"), path, uid),
            "status": status,
            "sequence": int(ev.get("SEQUENCE")),
            "summary": str(ev.get("SUMMARY", "")),
        }
    print(json.dumps({"file": path, "events": events}, ensure_ascii=False))


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    for path in sys.argv[1:]:
        check(path)


if __name__ == "__main__":
    main()
