#!/usr/bin/python3
"""Independent check of an etnik invitation (RFC 5545 / 5546) with python3-icalendar.

Usage: check_invitation.py FILE

The raw text must use CRLF and fold at 75 octets without splitting UTF-8; it must parse as one
VCALENDAR with VERSION 2.0, PRODID and METHOD, holding one VEVENT with UID, DTSTAMP, DTSTART,
DTEND, SEQUENCE, STATUS, SUMMARY, ORGANIZER and ATTENDEE; every TZID used needs a VTIMEZONE.
Prints one JSON object with what icalendar read (instants in UTC); exit 1 and a message on
stderr at the first problem.
"""
import datetime
import json
import sys

import icalendar


def fail(message):
    sys.stderr.write(message + "\n")
    sys.exit(1)


def utc(value):
    dt = value.dt
    if not isinstance(dt, datetime.datetime) or dt.tzinfo is None:
        fail(f"not a zoned date-time: {dt!r}")
    return dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main(path):
    raw = open(path, "rb").read()
    if not raw.endswith(b"\r\n"):
        fail("does not end with CRLF")
    for n, line in enumerate(raw.split(b"\r\n")[:-1], 1):
        if b"\n" in line or b"\r" in line:
            fail(f"line {n}: bare LF or CR")
        if len(line) > 75:
            fail(f"line {n}: {len(line)} octets > 75")
        line.decode("utf-8")
    cal = icalendar.Calendar.from_ical(raw.decode("utf-8"))
    if cal.name != "VCALENDAR" or str(cal.get("VERSION")) != "2.0" or not cal.get("PRODID"):
        fail("VCALENDAR with VERSION 2.0 and PRODID required")
    events = cal.walk("VEVENT")
    if len(events) != 1:
        fail(f"{len(events)} VEVENTs, want 1")
    ev = events[0]
    for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY",
                 "ORGANIZER", "ATTENDEE"):
        if ev.get(prop) is None:
            fail(f"missing {prop}")
    zones = {str(tz.get("TZID")) for tz in cal.walk("VTIMEZONE")}
    for prop in ("DTSTART", "DTEND"):
        tzid = ev[prop].params.get("TZID")
        if tzid is not None and str(tzid) not in zones:
            fail(f"no VTIMEZONE for {tzid}")
    print(json.dumps({
        "method": str(cal.get("METHOD", "")),
        "uid": str(ev["UID"]),
        "start": utc(ev["DTSTART"]),
        "end": utc(ev["DTEND"]),
        "tzid": str(ev["DTSTART"].params.get("TZID", "")),
        "dtstamp": utc(ev["DTSTAMP"]),
        "sequence": int(ev["SEQUENCE"]),
        "status": str(ev["STATUS"]),
        "summary": str(ev["SUMMARY"]),
        "location": str(ev.get("LOCATION", "")),
        "url": str(ev.get("URL", "")),
        "organizer": str(ev["ORGANIZER"]),
        "organizer_cn": str(ev["ORGANIZER"].params.get("CN", "")),
        "attendee": str(ev["ATTENDEE"]),
    }, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        fail("usage: check_invitation.py FILE")
    main(sys.argv[1])
