"""The mixed load generator against a fresh stack, briefly: every RPC is called, none fails.

The stack is started with scripts/stack.sh on free ports (tests/lib/stack.py) and the demo is
imported with etnikctl; mixed_load then runs two short levels. The test fails when the generator
exits non-zero (it does on any unexpected error or an RPC with no calls), when a table row shows
errors or zero calls, or when the sessions it says it booked are not in the run's programme as
etnikctl reads it back.
"""
import os
import re
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from stack import Stack  # noqa: E402

RPCS = ["Hubs/ListPublishedHubs", "Hubs/GetHub", "Scheduling/ListSessions", "Scheduling/GetCalendarFeed",
        "Scheduling/BookSession", "Scheduling/RegisterAttendee", "Registration/CreateApplication",
        "Registration/SubmitApplication", "Health/Check registration", "Health/Check hubs",
        "Health/Check scheduling"]


class MixedLoadSmokeTest(unittest.TestCase):
    def test_short_run_calls_every_rpc_without_errors(self):
        build_dir = os.environ["ETNIK_BUILD_DIR"]
        stack = Stack(build_dir)
        try:
            started = stack.run("start")
            self.assertEqual(started.returncode, 0, started.stdout + started.stderr)
            common = [f"--registration=127.0.0.1:{stack.grpc_ports['registration']}",
                      f"--hubs=127.0.0.1:{stack.grpc_ports['hubs']}",
                      f"--scheduling=127.0.0.1:{stack.grpc_ports['scheduling']}",
                      f"--jwt_key_file={os.path.join(stack.state_dir, 'secrets', 'jwt-hs256.key')}"]
            ctl = os.path.join(build_dir, "tools", "etnikctl", "etnikctl")
            imported = subprocess.run([ctl, *common, "import", os.path.join(ROOT, "demo", "etnik-2021.json")],
                                      capture_output=True, text=True, timeout=120)
            self.assertEqual(imported.returncode, 0, imported.stderr)

            run = subprocess.run([os.path.join(build_dir, "bench", "mixed", "mixed_load"), *common,
                                  "--levels=1,4", "--max_ops=150", "--max_seconds=15"],
                                 capture_output=True, text=True, timeout=120)
            self.assertEqual(run.returncode, 0, run.stdout + run.stderr)

            rows = re.findall(r"^\| ([A-Za-z]+/[A-Za-z]+(?: [a-z]+)?) \| (\d+)[^|]* \| (\d+) \|", run.stdout, re.M)
            seen = {}
            for rpc, calls, errors in rows:
                self.assertEqual(int(errors), 0, f"{rpc} had errors:\n{run.stdout}\n{run.stderr}")
                self.assertGreater(int(calls), 0, f"{rpc} made no calls")
                seen[rpc] = seen.get(rpc, 0) + 1
            for rpc in RPCS:
                self.assertEqual(seen.get(rpc), 2, f"{rpc}: expected a row per level:\n{run.stdout}")
            self.assertIn("### All levels", run.stdout)

            total = re.search(r"total calls=(\d+) errors=(\d+) sessions booked=(\d+)", run.stderr)
            self.assertIsNotNone(total, run.stderr)
            calls, errors, booked = map(int, total.groups())
            self.assertGreaterEqual(calls, 300)
            self.assertEqual(errors, 0)
            # The bookings are real: the run's programme holds exactly that many sessions.
            run_id = re.search(r"run (load-\d+):", run.stderr).group(1)
            schedule = subprocess.run([ctl, *common, "schedule", f"--programme=programmes/{run_id}"],
                                      capture_output=True, text=True, timeout=60)
            self.assertEqual(schedule.returncode, 0, schedule.stderr)
            self.assertRegex(schedule.stdout, rf"(?m)^{booked} sessions$")
        finally:
            stack.run("stop")
            shutil.rmtree(stack.state_dir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
