"""After the faults: what the clients were told must be what the system holds.

Collects problems (none when all is well): acknowledged writes missing or changed, writes
stored that no client was told of (every call ends in an answer, so a retry that wrote twice
shows here), overlapping bookings of an expert or a room, sessions over capacity, notifications
and e-mails missing or doubled.
"""
import collections
import datetime
import time

import grpc

SCHEDULED = 1  # SESSION_STATE_SCHEDULED
REGISTERED, WAITLISTED = 1, 2  # ATTENDEE_STATE_*
BOOKED_TYPE = "etnik.events.v1.SessionBooked"
REGISTERED_TYPE = "etnik.events.v1.AttendeeRegistered"


def _iso(ts):
    return ts.ToDatetime().replace(tzinfo=datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _pages(call, request, field, md):
    out = []
    while True:
        resp = call(request, metadata=md, timeout=30)
        out += list(getattr(resp, field))
        if not resp.next_page_token:
            return out
        request.page_token = resp.next_page_token


class Checker:
    def __init__(self, stubs, channel, md, workload):
        self.s = stubs
        self.md = md  # who -> metadata
        self.w = workload
        self.sched = stubs["sched_grpc"].SchedulingServiceStub(channel("scheduling"))
        self.reg = stubs["reg_grpc"].RegistrationServiceStub(channel("registration"))
        self.notif = stubs["notif_grpc"].NotificationsServiceStub(channel("notifications"))
        self.problems = []

    def problem(self, text):
        self.problems.append(text)

    def all_sessions(self):
        req = self.s["sched"].ListSessionsRequest(parent="events/-", programme=self.w.programme, page_size=200)
        return _pages(self.sched.ListSessions, req, "sessions", self.md("organiser"))

    def check_bookings(self, sessions):
        by_name = {s.name: s for s in sessions}
        for b in self.w.bookings:
            s = by_name.get(b["name"])
            if s is None:
                self.problem(f"acknowledged booking {b['name']} ({b['via']}) is not listed")
                continue
            got = (s.state, _iso(s.start_time), _iso(s.end_time), list(s.hosts), s.room)
            want = (SCHEDULED, b["start"], b["end"], b["hosts"], b["room"])
            if got != want:
                self.problem(f"acknowledged booking {b['name']} is {got}, was acknowledged as {want}")
        # Every booking call ended in an answer (retries until one), so nothing is stored that
        # no client was told of: the imported sessions and the acknowledged ones, no more.
        expected = len(self.w.bookings) + len(self.w.seat_sessions)
        if len(sessions) != expected:
            self.problem(f"{len(sessions)} sessions stored, {expected} acknowledged (with the imported ones)")
        # No expert and no room holds two scheduled sessions at once.
        held = collections.defaultdict(list)
        for s in sessions:
            if s.state != SCHEDULED:
                continue
            span = (s.start_time.ToDatetime(), s.end_time.ToDatetime(), s.name)
            for resource in list(s.hosts) + ([s.room] if s.room else []):
                held[resource].append(span)
        for resource, spans in held.items():
            spans.sort()
            for (a0, a1, an), (b0, b1, bn) in zip(spans, spans[1:]):
                if b0 < a1:
                    self.problem(f"{resource} is double-booked: {an} {a0}-{a1} and {bn} {b0}-{b1}")
        return len(held)

    def check_attendees(self, sessions):
        by_name = {s.name: s for s in sessions}
        acked = collections.defaultdict(list)
        for a in self.w.attendees:
            acked[a["session"]].append(a)
        listed_total = 0
        for name in sorted(set(acked) | set(self.w.seat_sessions)):
            session = by_name.get(name)
            if session is None:
                self.problem(f"{name} (with acknowledged attendees) is not listed")
                continue
            req = self.s["sched"].ListAttendeesRequest(parent=name, page_size=200)
            people = _pages(self.sched.ListAttendees, req, "attendees", self.md("organiser"))
            listed_total += len(people)
            registered = [p for p in people if p.state == REGISTERED]
            waiting = [p for p in people if p.state == WAITLISTED]
            if len(registered) > session.capacity:
                self.problem(f"{name} has {len(registered)} registered attendees for {session.capacity} seats")
            if waiting and len(registered) < session.capacity:
                self.problem(f"{name} keeps {len(waiting)} waiting with {len(registered)}/{session.capacity} seats taken")
            if (session.registered_count, session.waitlisted_count) != (len(registered), len(waiting)):
                self.problem(f"{name} counts {session.registered_count}+{session.waitlisted_count}, "
                             f"lists {len(registered)}+{len(waiting)}")
            emails = collections.Counter(p.email for p in people)
            for email, n in emails.items():
                if n > 1:
                    self.problem(f"{email} is on {name} {n} times")
            listed = {p.name: p for p in people}
            state_name = self.s["attendee"].AttendeeState.Name
            for a in acked[name]:
                p = listed.get(a["name"])
                if p is None:
                    self.problem(f"acknowledged attendee {a['name']} ({a['email']}) is not listed")
                elif p.email != a["email"] or state_name(p.state) != a["state"]:
                    self.problem(f"acknowledged attendee {a['name']} is {p.email} {state_name(p.state)}, "
                                 f"was acknowledged as {a['email']} {a['state']}")
        if listed_total != len(self.w.attendees):
            self.problem(f"{listed_total} attendees stored, {len(self.w.attendees)} acknowledged")
        return listed_total

    def check_applications(self):
        req = self.s["reg"].ListApplicationsRequest(parent=self.w.programme, page_size=500)
        stored = _pages(self.reg.ListApplications, req, "applications", self.md("organiser"))
        if len(stored) != len(self.w.applications):
            self.problem(f"{len(stored)} applications stored, {len(self.w.applications)} acknowledged")
        for a in self.w.applications:
            try:
                got = self.reg.GetApplication(self.s["reg"].GetApplicationRequest(name=a["name"]),
                                              metadata=self.md(a["applicant"]), timeout=10)
                if got.applicant != a["applicant"]:
                    self.problem(f"acknowledged application {a['name']} belongs to {got.applicant!r}")
            except grpc.RpcError as e:
                self.problem(f"acknowledged application {a['name']}: {e.code().name} {e.details()}")

    def deliveries(self):
        req = self.s["notif"].ListDeliveriesRequest(page_size=1000)
        return _pages(self.notif.ListDeliveries, req, "deliveries", self.md("organiser"))

    def expected_deliveries(self, sessions):
        """(event type, session, address) -> 1 for every message the acknowledged writes call for."""
        want = collections.Counter()
        for a in self.w.attendees:
            want[(REGISTERED_TYPE, a["session"], a["email"])] = 1
        return want

    def check_notifications(self, sessions, within=90):
        """Every expected message exists once; no (event, recipient, channel) twice."""
        want = self.expected_deliveries(sessions)
        booked = {b["name"] for b in self.w.bookings}
        end = time.monotonic() + within
        while True:
            got = self.deliveries()
            have = collections.Counter((d.event_type, d.session, d.address) for d in got
                                       if d.event_type == REGISTERED_TYPE)
            booked_msgs = collections.Counter(d.session for d in got if d.event_type == BOOKED_TYPE)
            missing = [k for k in want if have[k] == 0] + [s for s in booked if booked_msgs[s] == 0]
            if not missing or time.monotonic() > end:
                break
            time.sleep(1)
        for k in missing[:20]:
            self.problem(f"no notification for {k} {within} s after the faults")
        for k, n in have.items():
            if n > 1:
                self.problem(f"{n} notifications for {k}")
        for s, n in booked_msgs.items():
            if s in booked and n != 1:  # one host, no hub leads in the fixture
                self.problem(f"{n} booking notifications for {s}")
        keys = collections.Counter((d.event_id, d.recipient, d.channel) for d in got)
        for k, n in keys.items():
            if n > 1:
                self.problem(f"delivery {k} exists {n} times")
        return len(got)

    def check_mail(self, sink, within=60):
        """Each acknowledged attendee's confirmation reaches the SMTP server as one message: a
        repeat after a kill mid-send must carry the same Message-ID (receivers drop it)."""
        end = time.monotonic() + within
        while True:
            got = sink.snapshot()
            ids = collections.defaultdict(set)
            copies = collections.Counter()
            for m in got:
                copies[m["message_id"]] += 1
                for rcpt in m["rcpt_tos"]:
                    ids[rcpt].add(m["message_id"])
            missing = [a["email"] for a in self.w.attendees if not ids.get(a["email"])]
            if not missing or time.monotonic() > end:
                break
            time.sleep(1)
        for email in missing[:20]:
            self.problem(f"no e-mail reached {email} {within} s after the faults")
        for a in self.w.attendees:
            if len(ids.get(a["email"], ())) > 1:
                self.problem(f"{a['email']} got {len(ids[a['email']])} different messages: {sorted(ids[a['email']])}")
        for m in got:
            if m.get("error") or m.get("defects"):
                self.problem(f"malformed e-mail to {m['rcpt_tos']}: {m.get('error') or m.get('defects')}")
                break
        return len(got), sum(n - 1 for n in copies.values())
