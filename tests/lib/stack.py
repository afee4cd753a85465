"""Starts and stops a whole etnik stack with the run command's own scripts, on free ports."""
import os
import socket
import subprocess
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SERVICES = ["registration", "hubs", "scheduling", "notifications", "gateway"]


def free_ports(n):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


class Stack:
    """The stack as scripts/stack.sh runs it, with every port chosen free and a private state dir."""

    def __init__(self, build_dir, smtp_url=None):
        self.build_dir = build_dir
        self.smtp_url = smtp_url  # where the notifications service sends e-mail
        self.state_dir = tempfile.mkdtemp(prefix="etnik-stack-")
        ports = free_ports(8)
        self.redis_port = ports[0]
        self.grpc_ports = dict(zip(SERVICES, ports[1:6]))
        self.http_port = ports[6]
        # Metrics ports are base+1..base+5; pick a base whose five neighbours are free.
        self.metrics_base = self._free_block(5)
        self.metrics_ports = {svc: self.metrics_base + i + 1 for i, svc in enumerate(SERVICES)}

    @staticmethod
    def _free_block(n):
        for _ in range(50):
            base = free_ports(1)[0]
            if base + n >= 65535:
                continue
            try:
                socks = []
                for p in range(base + 1, base + n + 1):
                    s = socket.socket()
                    s.bind(("127.0.0.1", p))
                    socks.append(s)
                for s in socks:
                    s.close()
                return base
            except OSError:
                for s in socks:
                    s.close()
        raise RuntimeError("no free block of ports")

    def env(self):
        env = dict(os.environ)
        env.update({
            "ETNIK_BUILD_DIR": self.build_dir,
            "ETNIK_STATE_DIR": self.state_dir,
            "ETNIK_REDIS_PORT": str(self.redis_port),
            "ETNIK_REGISTRATION_PORT": str(self.grpc_ports["registration"]),
            "ETNIK_HUBS_PORT": str(self.grpc_ports["hubs"]),
            "ETNIK_SCHEDULING_PORT": str(self.grpc_ports["scheduling"]),
            "ETNIK_NOTIFICATIONS_PORT": str(self.grpc_ports["notifications"]),
            "ETNIK_GATEWAY_GRPC_PORT": str(self.grpc_ports["gateway"]),
            "ETNIK_HTTP_PORT": str(self.http_port),
            "ETNIK_METRICS_BASE_PORT": str(self.metrics_base),
        })
        if self.smtp_url:
            env["ETNIK_SMTP_URL"] = self.smtp_url
        return env

    def run(self, action):
        return subprocess.run([os.path.join(ROOT, "scripts", "stack.sh"), action], env=self.env(),
                              capture_output=True, text=True, timeout=120)

    def pid(self, name):
        with open(os.path.join(self.state_dir, "pids", f"{name}.pid")) as f:
            return int(f.read().strip())

    def log(self, name):
        with open(os.path.join(self.state_dir, "logs", f"{name}.log")) as f:
            return f.read()
