"""Faults under load: every process killed and restarted, Redis paused and killed, PostgreSQL
restarted, while clients book sessions, register attendees and create applications; then a
checker proves that nothing acknowledged was lost, nothing is double-booked or over capacity,
every notification exists once and its e-mail reaches a real SMTP server (aiosmtpd) under one
Message-ID, and every service is SERVING again with nobody's help.

    faults_test.py sqlite|postgres      one round of faults (CI)
    ETNIK_FAULT_ROUNDS=10 faults_test.py postgres   a longer run

Needs ETNIK_BUILD_DIR. For postgres it uses the test server of scripts/postgres.sh (starting it
when ETNIK_TEST_POSTGRES_URL is not set) with databases of its own, dropped at the end.
"""
import datetime
import os
import random
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
from postgres_dbs import PostgresDatabases  # noqa: E402
from stack import SERVICES, Stack  # noqa: E402

import checker  # noqa: E402
import faults  # noqa: E402
import fixture  # noqa: E402
import stubs as stub_loader  # noqa: E402
import tokens  # noqa: E402
import workload  # noqa: E402

sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
from mail_sink import MailSink  # noqa: E402

PROGRAMME = "faults"


def log(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def low_free_ports(n):
    """n consecutive free loopback ports below the ephemeral range (where bind(0) picks)."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        ephemeral_low = int(f.read().split()[0])
    rnd = random.Random()
    for _ in range(200):
        base = rnd.randrange(20000, ephemeral_low - n)
        socks = []
        try:
            for p in range(base, base + n):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return list(range(base, base + n))
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free block of ports below the ephemeral range")


class FaultStack(Stack):
    """The stack as stack.sh runs it, supervised, without the gateway's rate limit (one load client
    subject makes more calls per minute than a person would)."""

    def __init__(self, build_dir, database_url_prefix=None):
        super().__init__(build_dir)
        self.database_url_prefix = database_url_prefix
        self.mail_url = None
        # Ports below the kernel's ephemeral range, as the default ones are: a restarted process
        # must find its port free, and the many client connections of the load take their local
        # ports from that range (one of them on a dead gateway's metrics port kept it down).
        ports = low_free_ports(14)
        self.redis_port, self.http_port = ports[0], ports[1]
        self.grpc_ports = dict(zip(SERVICES, ports[2:7]))
        self.metrics_base = ports[7]
        self.metrics_ports = {svc: self.metrics_base + i + 1 for i, svc in enumerate(SERVICES)}
        self.smtp_port = ports[13]

    def env(self):
        env = super().env()
        # E-mail to the test's SMTP server; a delivery claimed by a killed process is taken over
        # after 5 s rather than the default two minutes, so the run stays short.
        env.update({"ETNIK_SUPERVISE": "1", "ETNIK_RATE_LIMIT": "0", "ETNIK_DELIVERY_LEASE": "5s",
                    "ETNIK_SMTP_URL": f"smtp://127.0.0.1:{self.smtp_port}"})
        if self.database_url_prefix:
            env["ETNIK_DATABASE_URL_PREFIX"] = self.database_url_prefix
        return env


def import_fixture(build_dir, stack):
    p = stack.grpc_ports
    path = fixture.write(PROGRAMME)
    r = subprocess.run([os.path.join(build_dir, "tools", "etnikctl", "etnikctl"), "import", path,
                        f"--registration=127.0.0.1:{p['registration']}", f"--hubs=127.0.0.1:{p['hubs']}",
                        f"--scheduling=127.0.0.1:{p['scheduling']}",
                        f"--jwt_key_file={os.path.join(stack.state_dir, 'secrets', 'jwt-hs256.key')}"],
                       capture_output=True, text=True, timeout=120)
    os.unlink(path)
    if r.returncode != 0:
        raise AssertionError(f"etnikctl import failed:\n{r.stdout}\n{r.stderr}")


def create_form(s, w):
    f = s["form"]
    now = datetime.datetime.now(datetime.timezone.utc)
    form = f.Form(purpose=f.FORM_PURPOSE_APPLICATION, title=s["text"].LocalizedText(ru="Заявка"),
                  questions=[f.Question(question_id="about", type=f.QUESTION_TYPE_TEXT,
                                        text=s["text"].LocalizedText(ru="О себе"))])
    form.open_time.FromDatetime((now - datetime.timedelta(hours=1)).replace(tzinfo=None))
    form.close_time.FromDatetime((now + datetime.timedelta(days=30)).replace(tzinfo=None))
    stub = s["reg_grpc"].RegistrationServiceStub(w.channel("registration"))
    stub.CreateForm(s["reg"].CreateFormRequest(parent=w.programme, form=form, form_id="apply"),
                    metadata=w.md(), timeout=10)


def dump_logs(stack):
    for name in ["redis"] + list(SERVICES):
        tail = subprocess.run(["tail", "-n", "5", os.path.join(stack.state_dir, "logs", f"{name}.log")],
                              capture_output=True, text=True).stdout
        log(f"{name}.log ends with:\n{tail}")


def run(engine):
    build_dir = os.environ["ETNIK_BUILD_DIR"]
    rounds = int(os.environ.get("ETNIK_FAULT_ROUNDS", "1"))
    pg = PostgresDatabases("faults") if engine == "postgres" else None
    stack = None
    mail = None
    try:
        stack = FaultStack(build_dir, pg.create() if pg else None)
        mail = MailSink(stack.smtp_port)
        mail.start()
        t0 = time.monotonic()
        started = stack.run("start")
        if started.returncode != 0:
            raise AssertionError(f"stack did not start:\n{started.stdout}\n{started.stderr}")
        log(f"stack on {engine} started in {time.monotonic() - t0:.1f} s (state in {stack.state_dir})")
        import_fixture(build_dir, stack)
        s = stub_loader.load()
        w = workload.Workload(s, stack, tokens.Minter(os.path.join(stack.state_dir, "secrets", "jwt-hs256.key")),
                              PROGRAMME)
        create_form(s, w)

        w.start()
        time.sleep(3)
        inject = faults.Injector(stack, build_dir, log)
        for r in range(rounds):
            for name, action in inject.sequence(postgres=pg is not None):
                action()
                time.sleep(2)  # load between the faults
            log(f"round {r + 1}/{rounds} of faults done")
        time.sleep(2)
        stuck = w.stop()
        log(f"load stopped: {len(w.bookings)} bookings, {len(w.attendees)} attendees, "
            f"{len(w.applications)} applications acknowledged\n{w.outcomes.report()}")

        problems = []
        if stuck:
            problems.append(f"load threads did not finish: {stuck}")
        problems += w.errors
        # Retries hide every fault from the clients: the only refusal a client may end with is a
        # booking's conflict with another session (not, say, an expert the read model forgot);
        # reads may give up, their budget is short.
        conflict = {"FAILED_PRECONDITION": "is already booked by"}
        allowed = {"BookSession/rest": conflict, "BookSession/grpc": conflict,
                   "ListSessions/rest": {"UNAVAILABLE": "", "NO_ANSWER": ""},
                   "ListDeliveries/grpc": {"UNAVAILABLE": "", "DEADLINE_EXCEEDED": ""}}
        for op, code, n, text in w.outcomes.unexpected_finals(allowed):
            problems.append(f"{n} {op} calls ended in {code}, the first: {text}")
        took = inject.wait_healthy(within=30)
        log(f"every service SERVING {took:.1f} s after the load")
        c = checker.Checker(s, w.channel, w.md, w)
        sessions = c.all_sessions()
        resources = c.check_bookings(sessions)
        listed = c.check_attendees(sessions)
        c.check_applications()
        deliveries = c.check_notifications(sessions)
        mails, repeats = c.check_mail(mail)
        log(f"checked {len(sessions)} sessions over {resources} experts and rooms, {listed} attendees, "
            f"{len(w.applications)} applications, {deliveries} deliveries, {mails} e-mails "
            f"({repeats} sent again with the same Message-ID after a kill)")
        problems += c.problems
        # The load must have reached the system through the faults, or the checks prove little.
        for what, n, least in (("bookings", len(w.bookings), 10), ("attendees", len(w.attendees), 30),
                               ("applications", len(w.applications), 20)):
            if n < least:
                problems.append(f"only {n} {what} acknowledged (want at least {least})")
        for name in list(faults.SERVICES) + ["redis"]:
            if len(inject.killed.get(name, [])) != rounds:
                problems.append(f"{name} was killed {len(inject.killed.get(name, []))} times, not {rounds}")
        if problems:
            for p in problems:
                log(f"PROBLEM: {p}")
            dump_logs(stack)
            return 1
        log("no acknowledged write lost, no double booking, no capacity overrun, every notification once")
        return 0
    except BaseException:
        if stack is not None:
            dump_logs(stack)
        raise
    finally:
        if mail is not None:
            mail.stop()
        if stack is not None:
            stopped = stack.run("stop")
            if stopped.returncode != 0:
                log(f"stack stop failed: {stopped.stderr}")
        if pg is not None:
            pg.drop()


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("sqlite", "postgres"):
        sys.exit("usage: faults_test.py sqlite|postgres")
    sys.exit(run(sys.argv[1]))
