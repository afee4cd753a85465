"""The mixed load: threads that book sessions, register attendees, create applications and read.

Every acknowledged write is recorded here for the checker; bookings pick slots that often
collide so that the double-booking rules are exercised, and registrations outnumber the seats.
"""
import datetime
import itertools
import random
import threading
import time
import uuid

import grpc

import clients
import fixture

SLOT_DAYS = ["2030-03-04", "2030-03-05", "2030-03-06", "2030-03-07", "2030-03-08"]
FIRST_UTC_HOUR, LAST_UTC_START = 3, 17  # 06:00-21:00 in Moscow, inside the experts' hours


PACE = 0.05  # seconds between one client's calls
_organisations = itertools.count(1)


def inn():
    """A valid 10-digit INN never used before (one application per organisation)."""
    digits = [int(c) for c in f"77{next(_organisations):07d}"]  # 77: Moscow's tax offices
    check = sum(w * d for w, d in zip((2, 4, 10, 3, 5, 9, 4, 6, 8), digits)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


class Workload:
    def __init__(self, stubs, stack, minter, programme_id):
        self.s = stubs
        self.stack = stack
        self.minter = minter
        self.tokens = {"organiser": minter.token("organiser", "fault-load")}  # subject -> bearer token
        self.programme = f"programmes/{programme_id}"
        self.outcomes = clients.Outcomes()
        self.lock = threading.Lock()
        self.bookings = []       # acknowledged: dict(name, hosts, room, start, end, via)
        self.attendees = []      # acknowledged: dict(name, session, email, state)
        self.applications = []   # acknowledged: dict(name, applicant)
        self.seat_sessions = [f"events/{hub}-webinars/sessions/seats-{i}" for hub in fixture.HUBS for i in (1, 2)]
        self.stop_event = threading.Event()
        self.threads = []
        self.errors = []
        self.base = f"http://127.0.0.1:{stack.http_port}"

    # ---- channels and metadata
    def channel(self, svc):
        return grpc.insecure_channel(f"127.0.0.1:{self.stack.grpc_ports[svc]}")

    def md(self, who="organiser"):
        return [("authorization", "Bearer " + self.tokens[who])]

    # ---- one booking
    def _slot(self, rnd):
        day = rnd.choice(SLOT_DAYS)
        minutes = rnd.randrange(0, (LAST_UTC_START - FIRST_UTC_HOUR) * 2 + 1) * 30
        start = datetime.datetime.fromisoformat(f"{day}T00:00:00+00:00") + datetime.timedelta(
            hours=FIRST_UTC_HOUR, minutes=minutes)
        end = start + datetime.timedelta(hours=1)
        z = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
        return z(start), z(end)

    def _booking_request(self, rnd):
        start, end = self._slot(rnd)
        if rnd.random() < 0.4:
            event = "events/seminar"
            hub = None
            host = rnd.choice([e for h in fixture.HUBS for e in fixture.experts_of(h)])
            where = {"room": f"venues/house/rooms/{rnd.choice(fixture.ROOMS)}"}
        else:
            hub = rnd.choice(fixture.HUBS)
            event = f"events/{hub}-webinars"
            host = rnd.choice(fixture.experts_of(hub))
            where = {"online_room": {"join_uri": "https://meet.example.org/etnik", "platform": "Zoom"}}
        session = {"title": {"ru": "Сессия под нагрузкой"}, "start_time": start, "end_time": end,
                   "time_zone": "Europe/Moscow", "hosts": [f"experts/{host}"], "capacity": fixture.SEAT_CAPACITY}
        session.update(where)
        return event, session

    def _record_booking(self, name, session, via):
        with self.lock:
            self.bookings.append({"name": name, "hosts": list(session["hosts"]), "room": session.get("room", ""),
                                  "start": session["start_time"], "end": session["end_time"], "via": via})

    def book_over_rest(self, rnd):
        event, session = self._booking_request(rnd)
        status, body = clients.http_call(self.outcomes, "BookSession/rest", self.base, "POST",
                                         f"/v1/{event}/sessions:book", self.tokens["organiser"],
                                         {"session": session, "requestId": str(uuid.uuid4())})
        if status == "OK":
            self._record_booking(body["name"], session, "rest")

    def book_over_grpc(self, rnd, stub):
        event, session = self._booking_request(rnd)
        s = self.s["session"].Session(
            title=self.s["text"].LocalizedText(ru=session["title"]["ru"]), time_zone=session["time_zone"],
            hosts=session["hosts"], capacity=session["capacity"])
        s.start_time.FromJsonString(session["start_time"])
        s.end_time.FromJsonString(session["end_time"])
        if "room" in session:
            s.room = session["room"]
        else:
            s.online_room.join_uri = session["online_room"]["join_uri"]
            s.online_room.platform = session["online_room"]["platform"]
        req = self.s["sched"].BookSessionRequest(parent=event, session=s, request_id=str(uuid.uuid4()))
        code, resp = clients.grpc_call(self.outcomes, "BookSession/grpc", stub.BookSession, req, self.md())
        if code == grpc.StatusCode.OK:
            self._record_booking(resp.name, session, "grpc")

    # ---- one attendee registration
    def _pick_session(self, rnd):
        with self.lock:
            booked = [b["name"] for b in self.bookings[-20:]]
        return rnd.choice(self.seat_sessions + booked)

    def register_over_grpc(self, rnd, stub, n):
        session = self._pick_session(rnd)
        email = f"person-{n}-{uuid.uuid4().hex[:8]}@example.org"
        a = self.s["attendee"].Attendee(full_name=f"Участник {n}", email=email, time_zone="Asia/Kamchatka")
        req = self.s["sched"].RegisterAttendeeRequest(parent=session, attendee=a, request_id=str(uuid.uuid4()))
        code, resp = clients.grpc_call(self.outcomes, "RegisterAttendee/grpc", stub.RegisterAttendee, req, self.md())
        if code == grpc.StatusCode.OK:
            with self.lock:
                self.attendees.append({"name": resp.name, "session": session, "email": email,
                                       "state": self.s["attendee"].AttendeeState.Name(resp.state)})

    def register_over_rest(self, rnd, n):
        session = self._pick_session(rnd)
        email = f"rest-person-{n}-{uuid.uuid4().hex[:8]}@example.org"
        status, body = clients.http_call(
            self.outcomes, "RegisterAttendee/rest", self.base, "POST", f"/v1/{session}/attendees?requestId={uuid.uuid4()}",
            self.tokens["organiser"], {"fullName": f"Участник {n}", "email": email, "timeZone": "Europe/Moscow"})
        if status == "OK":
            with self.lock:
                self.attendees.append({"name": body["name"], "session": session, "email": email,
                                       "state": body["state"]})

    # ---- one application
    def apply_over_grpc(self, stub, n):
        # One application per applicant and programme: each comes from a new applicant.
        applicant = f"applicant-{uuid.uuid4().hex[:12]}"
        with self.lock:
            self.tokens[applicant] = self.minter.token("participant", applicant)
        app = self.s["app"].Application(form=f"{self.programme}/forms/apply")
        app.organisation.full_name = f"АНО «Проверка {n}»"
        app.organisation.inn = inn()
        app.organisation.region = "RU-MOW"
        app.contact_person.full_name = f"Заявитель {n}"
        app.contact_person.contact.email = f"applicant-{n}@example.org"
        req = self.s["reg"].CreateApplicationRequest(parent=self.programme, application=app,
                                                     request_id=str(uuid.uuid4()))
        code, resp = clients.grpc_call(self.outcomes, "CreateApplication/grpc", stub.CreateApplication, req,
                                       self.md(applicant))
        if code == grpc.StatusCode.OK:
            with self.lock:
                self.applications.append({"name": resp.name, "applicant": applicant})

    # ---- threads
    def _loop(self, name, body):
        def run():
            rnd = random.Random(name)
            n = 0
            try:
                while not self.stop_event.is_set():
                    n += 1
                    body(rnd, n)
                    # A steady, modest rate: the point is writes in flight at each fault, and
                    # a backlog the checker must wait for would only make the run longer.
                    self.stop_event.wait(PACE)
            except Exception as e:  # noqa: BLE001 - a crashed client must fail the test, not vanish
                self.errors.append(f"{name}: {e!r}")
        t = threading.Thread(target=run, name=name, daemon=True)
        self.threads.append(t)
        t.start()

    def start(self):
        sched = self.s["sched_grpc"].SchedulingServiceStub(self.channel("scheduling"))
        reg = self.s["reg_grpc"].RegistrationServiceStub(self.channel("registration"))
        notif = self.s["notif_grpc"].NotificationsServiceStub(self.channel("notifications"))
        self._loop("book-rest", lambda rnd, n: self.book_over_rest(rnd))
        self._loop("book-grpc", lambda rnd, n: self.book_over_grpc(rnd, sched))
        for i in range(2):
            self._loop(f"register-grpc-{i}", lambda rnd, n, i=i: self.register_over_grpc(rnd, sched, f"{i}-{n}"))
        self._loop("register-rest", lambda rnd, n: self.register_over_rest(rnd, n))
        for i in range(2):
            self._loop(f"apply-{i}", lambda rnd, n, i=i: self.apply_over_grpc(reg, f"{i}-{n}"))

        def read(rnd, n):
            clients.http_call(self.outcomes, "ListSessions/rest", self.base, "GET",
                              f"/v1/{self.programme}/sessions?pageSize=50", self.tokens["organiser"], budget=5)
            clients.grpc_call(self.outcomes, "ListDeliveries/grpc", notif.ListDeliveries,
                              self.s["notif"].ListDeliveriesRequest(page_size=20), self.md(), budget=5)
            time.sleep(0.05)
        self._loop("read", read)

    def stop(self):
        self.stop_event.set()
        for t in self.threads:
            t.join(timeout=90)
        return [t.name for t in self.threads if t.is_alive()]
