"""One PostgreSQL database per service for a stack on the suite's test server
(scripts/postgres.sh), dropped afterwards; the server is started here only if none runs."""
import os
import re
import subprocess
import sys
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DB_SERVICES = ["registration", "hubs", "scheduling", "notifications"]


class PostgresDatabases:
    def __init__(self, name):
        self.started_here = False
        url = os.environ.get("ETNIK_TEST_POSTGRES_URL")
        if not url:
            out = subprocess.run([os.path.join(ROOT, "scripts", "postgres.sh"), "start"], capture_output=True,
                                 text=True, timeout=120, check=True).stdout
            url = re.search(r"ETNIK_TEST_POSTGRES_URL=(\S+)", out).group(1)
            self.started_here = "ETNIK_TEST_POSTGRES_STARTED=1" in out
        self.admin_url = url
        self.prefix = f"etnik_{name}_{uuid.uuid4().hex[:8]}_"
        self.made = []

    def psql(self, sql):
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", self.admin_url, "-c", sql], check=True,
                       capture_output=True, text=True, timeout=60)

    def create(self):
        """Makes the databases; returns stack.sh's ETNIK_DATABASE_URL_PREFIX for them."""
        for svc in DB_SERVICES:
            self.psql(f"CREATE DATABASE {self.prefix}{svc}")
            self.made.append(self.prefix + svc)
        return f"{self.admin_url.rsplit('/', 1)[0]}/{self.prefix}"

    def drop(self):
        for db in self.made:
            r = subprocess.run(["psql", "-q", self.admin_url, "-c", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"],
                               capture_output=True, text=True, timeout=60)
            if r.returncode != 0:
                print(f"could not drop {db}: {r.stderr}", file=sys.stderr)
        if self.started_here:
            env = dict(os.environ, ETNIK_TEST_POSTGRES_STARTED="1")
            subprocess.run([os.path.join(ROOT, "scripts", "postgres.sh"), "stop"], env=env, timeout=120)
