"""A stack for the hostile-input tests: a known token secret, SQLite or PostgreSQL databases
(PostgreSQL through a role with a known password), etnikctl bound to it, and cleanup that stops
every process and drops every database even when a test fails."""
import base64
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from stack import ROOT, SERVICES, Stack  # noqa: E402

# Known secrets, so the secrets test can look for them in the logs.
JWT_SECRET = "hostile-jwt-secret-" + uuid.uuid4().hex
DB_PASSWORD = "hostile-db-password-" + uuid.uuid4().hex[:12]
SMTP_PASSWORD = "hostile-smtp-password-" + uuid.uuid4().hex[:12]
DATABASE_SERVICES = [s for s in SERVICES if s != "gateway"]


def postgres_admin_url():
    """The suite's PostgreSQL (scripts/postgres.sh), started when this process runs alone."""
    url = os.environ.get("ETNIK_TEST_POSTGRES_URL")
    if url:
        return url
    out = subprocess.run([os.path.join(ROOT, "scripts", "postgres.sh"), "start"], capture_output=True,
                         text=True, check=True).stdout
    for part in out.split():
        if part.startswith("ETNIK_TEST_POSTGRES_URL="):
            return part.split("=", 1)[1]
    raise RuntimeError(f"scripts/postgres.sh start said: {out}")


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint(secret, role, sub="hostile", exp_offset=3600):
    """An HS256 token as `etnikctl token` makes them, for any role and key."""
    now = int(time.time())
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64(json.dumps({"roles": [role], "sub": sub, "iat": now, "nbf": now - 60, "aud": "etnik",
                             "iss": "etnik", "exp": now + exp_offset}).encode())
    sig = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{b64(sig)}"


class HostileStack(Stack):
    def __init__(self, backend, smtp_url=None):
        super().__init__(os.environ["ETNIK_BUILD_DIR"], smtp_url=smtp_url)
        self.backend = backend
        self.prefix = None
        self.admin_url = None
        tag = uuid.uuid4().hex[:8]
        self.role = f"hostile_{tag}"
        self.db_prefix = f"hostile_{tag}_"

    def psql(self, sql, db_url=None):
        return subprocess.run(["psql", "-q", "-At", "-v", "ON_ERROR_STOP=1", db_url or self.admin_url, "-c", sql],
                              check=True, capture_output=True, text=True, timeout=60).stdout

    def database_url(self, svc):
        """The service's database as the test reads it (as the admin, for PostgreSQL)."""
        if self.backend == "sqlite":
            return os.path.join(self.state_dir, "data", f"{svc}.db")
        base = self.admin_url.rsplit("/", 1)[0]
        return f"{base}/{self.db_prefix}{svc}"

    def env(self):
        env = super().env()
        if self.prefix:
            env["ETNIK_DATABASE_URL_PREFIX"] = self.prefix
        return env

    def start(self):
        secrets = os.path.join(self.state_dir, "secrets")
        os.makedirs(secrets, exist_ok=True)
        with open(os.path.join(secrets, "jwt-hs256.key"), "w") as f:
            f.write(JWT_SECRET)
        os.chmod(os.path.join(secrets, "jwt-hs256.key"), 0o600)
        if self.backend == "postgres":
            self.admin_url = postgres_admin_url()
            self.psql(f"CREATE ROLE {self.role} LOGIN PASSWORD '{DB_PASSWORD}'")
            for svc in DATABASE_SERVICES:
                self.psql(f"CREATE DATABASE {self.db_prefix}{svc} OWNER {self.role}")
            host_port = self.admin_url.split("@", 1)[1].rsplit("/", 1)[0]
            self.prefix = f"postgresql://{self.role}:{DB_PASSWORD}@{host_port}/{self.db_prefix}"
        started = self.run("start")
        if started.returncode != 0:
            self.stop()
            raise AssertionError(f"stack did not start:\n{started.stdout}\n{started.stderr}")

    def stop(self):
        self.run("stop")
        if self.admin_url:
            for svc in DATABASE_SERVICES:
                self.psql(f"DROP DATABASE IF EXISTS {self.db_prefix}{svc} WITH (FORCE)")
            self.psql(f"DROP ROLE IF EXISTS {self.role}")
        shutil.rmtree(self.state_dir, ignore_errors=True)

    def logs(self):
        """Every service's log, by name."""
        return {svc: self.log(svc) for svc in SERVICES}

    def ctl(self, *args, check=True, stdin=None):
        cmd = [os.path.join(self.build_dir, "tools", "etnikctl", "etnikctl"),
               f"--jwt_key_file={os.path.join(self.state_dir, 'secrets', 'jwt-hs256.key')}",
               f"--registration=127.0.0.1:{self.grpc_ports['registration']}",
               f"--hubs=127.0.0.1:{self.grpc_ports['hubs']}",
               f"--scheduling=127.0.0.1:{self.grpc_ports['scheduling']}", *args]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, input=stdin)
        if check and out.returncode != 0:
            raise AssertionError(f"etnikctl {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
        return out

    def token(self, role, *extra):
        return self.ctl("token", f"--role={role}", *extra).stdout.strip()
