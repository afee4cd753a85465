"""The faults, one after another, while the load runs; each waits until the stack is whole again.

Nobody restarts anything by hand: scripts/stack.sh runs every process under its supervisor
(ETNIK_SUPERVISE=1), so a killed process comes back by itself, and the services reconnect to
Redis and PostgreSQL by themselves.
"""
import os
import signal
import subprocess
import time

from stack import ROOT, SERVICES


class Injector:
    def __init__(self, stack, build_dir, log):
        self.stack = stack
        self.health = os.path.join(build_dir, "tools", "etnik-health", "etnik-health")
        self.log = log
        self.killed = {}  # name -> pids killed

    def targets(self):
        return [f"127.0.0.1:{self.stack.grpc_ports[s]}" for s in SERVICES]

    def wait_healthy(self, within=60):
        """Seconds until every service answers SERVING; fails after `within`."""
        t0 = time.monotonic()
        r = subprocess.run([self.health, f"--wait={within}s", *self.targets()], capture_output=True, text=True,
                           timeout=within + 30)
        if r.returncode != 0:
            raise AssertionError(f"not every service is SERVING {within} s after the fault:\n{r.stdout}{r.stderr}")
        return time.monotonic() - t0

    def _new_pid(self, name, old, within=30):
        end = time.monotonic() + within
        while time.monotonic() < end:
            try:
                pid = self.stack.pid(name)
                if pid != old and os.path.exists(f"/proc/{pid}"):
                    return pid
            except (OSError, ValueError):
                pass
            time.sleep(0.1)
        raise AssertionError(f"{name} was not restarted within {within} s of SIGKILL")

    def kill(self, name):
        pid = self.stack.pid(name)
        os.kill(pid, signal.SIGKILL)
        self.killed.setdefault(name, []).append(pid)
        new = self._new_pid(name, pid)
        took = self.wait_healthy()
        self.log(f"SIGKILL {name} (pid {pid}): restarted as {new}, all SERVING after {took:.1f} s")

    def redis_cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.stack.redis_port), *args], capture_output=True,
                              text=True, timeout=30)

    def pause_redis(self, ms=3000):
        r = self.redis_cli("CLIENT", "PAUSE", str(ms))
        if r.stdout.strip() != "OK":
            raise AssertionError(f"CLIENT PAUSE failed: {r.stdout}{r.stderr}")
        time.sleep(ms / 1000 + 0.5)
        self.log(f"Redis CLIENT PAUSE {ms}: all SERVING after {self.wait_healthy():.1f} s")

    def kill_redis(self):
        pid = self.stack.pid("redis")
        os.kill(pid, signal.SIGKILL)
        self.killed.setdefault("redis", []).append(pid)
        new = self._new_pid("redis", pid)
        end = time.monotonic() + 30
        while self.redis_cli("PING").stdout.strip() != "PONG":
            if time.monotonic() > end:
                raise AssertionError("Redis does not answer PING 30 s after its restart")
            time.sleep(0.2)
        self.log(f"SIGKILL redis (pid {pid}): restarted as {new}, all SERVING after {self.wait_healthy():.1f} s")

    def restart_postgres(self):
        t0 = time.monotonic()
        r = subprocess.run([os.path.join(ROOT, "scripts", "postgres.sh"), "restart"], capture_output=True,
                           text=True, timeout=120)
        if r.returncode != 0:
            raise AssertionError(f"PostgreSQL restart failed: {r.stdout}{r.stderr}")
        self.log(f"PostgreSQL restarted in {time.monotonic() - t0:.1f} s, all SERVING after "
                 f"{self.wait_healthy():.1f} s")

    def sequence(self, postgres):
        """The faults of one round, as (name, action)."""
        steps = [(f"kill {s}", lambda s=s: self.kill(s)) for s in SERVICES]
        steps += [("pause redis", self.pause_redis), ("kill redis", self.kill_redis)]
        if postgres:
            steps.append(("restart postgres", self.restart_postgres))
        return steps
