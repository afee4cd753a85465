"""The gateway's web page in a real browser against a real stack.

Starts Redis and every service with scripts/stack.sh on free ports (tests/lib/stack.py), loads
the demo programme with etnikctl, mints development tokens with `etnikctl token`, checks how the
gateway serves the page (media types, ETag revalidation, 404), then runs browser_test.mjs:
Debian's chromium driven by playwright-core through the page's scenarios. Screenshots go to
$ETNIK_BUILD_DIR/test-artifacts/web/. The stack is stopped whatever happens.
"""
import base64
import hashlib
import hmac
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from stack import Stack  # noqa: E402

DEMO = os.path.join(ROOT, "demo", "etnik-2021.json")


def get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def check_static_serving(base):
    status, headers, body = get(base + "/")
    check(status == 200, f"GET / gave {status}")
    check(headers.get("Content-Type", "").startswith("text/html"), f"GET / type {headers.get('Content-Type')}")
    check(b'<script type="module" src="/app/app.js">' in body, "GET / is not the page")
    check("default-src 'self'" in headers.get("Content-Security-Policy", ""), "the page has no CSP")
    for name, kind in [("app.js", "text/javascript"), ("i18n.js", "text/javascript"), ("style.css", "text/css")]:
        status, headers, body = get(f"{base}/app/{name}")
        check(status == 200 and headers.get("Content-Type", "").startswith(kind),
              f"/app/{name}: {status} {headers.get('Content-Type')}")
        etag = headers.get("ETag", "")
        check(etag.startswith('"') and headers.get("Cache-Control") == "no-cache", f"/app/{name} caching {headers}")
        status, _, body = get(f"{base}/app/{name}", {"If-None-Match": etag})
        check(status == 304 and body == b"", f"/app/{name} with its ETag gave {status}")
    status, _, body = get(base + "/unsubscribe?token=x")
    check(status == 200 and b"/app/app.js" in body, f"/unsubscribe gave {status}, want the page")
    for path in ["/app/nope.js", "/app/../CMakeLists.txt", "/app/"]:
        status, _, _ = get(base + path)
        check(status == 404, f"{path} gave {status}, want 404")


def unsubscribe_url(base, state_dir, recipient):
    """The link notifications puts in its e-mails, signed with this stack's key."""
    with open(os.path.join(state_dir, "secrets", "unsubscribe.key"), "rb") as f:
        key = f.read().strip()
    mac = hmac.new(key, b"unsubscribe." + recipient.encode(), hashlib.sha256).hexdigest()
    encoded = base64.urlsafe_b64encode(recipient.encode()).rstrip(b"=").decode()
    return f"{base}/unsubscribe?token={encoded}.{mac}"


def main():
    build = os.environ["ETNIK_BUILD_DIR"]
    artifacts = os.path.join(build, "test-artifacts", "web")
    shutil.rmtree(artifacts, ignore_errors=True)  # no screenshot of an earlier run is left to mislead
    os.makedirs(artifacts, exist_ok=True)
    stack = Stack(build)
    started = time.monotonic()
    try:
        run = stack.run("start")
        check(run.returncode == 0, f"stack did not start:\n{run.stdout}\n{run.stderr}")
        p = stack.grpc_ports
        ctl = [os.path.join(build, "tools", "etnikctl", "etnikctl"),
               f"--registration=127.0.0.1:{p['registration']}", f"--hubs=127.0.0.1:{p['hubs']}",
               f"--scheduling=127.0.0.1:{p['scheduling']}",
               f"--jwt_key_file={os.path.join(stack.state_dir, 'secrets', 'jwt-hs256.key')}"]
        imported = subprocess.run([*ctl, "import", DEMO], capture_output=True, text=True, timeout=120)
        check(imported.returncode == 0, f"demo import failed:\n{imported.stderr}")

        def token(*args):
            out = subprocess.run([*ctl, "token", *args], capture_output=True, text=True, timeout=30)
            check(out.returncode == 0, out.stderr)
            return out.stdout.strip()

        base = f"http://127.0.0.1:{stack.http_port}"
        for _ in range(100):
            if get(base + "/healthz")[0] == 200:
                break
            time.sleep(0.1)
        check_static_serving(base)
        env = dict(os.environ, WEB_URL=base + "/", WEB_ARTIFACTS=artifacts,
                   TOKEN_HUB_LEAD=token("--role=hub_lead", "--hub=media"),
                   TOKEN_ORGANISER=token("--role=organiser"),
                   TOKEN_PARTICIPANT=token("--role=participant", "--sub=participant-1"),
                   WEB_UNSUBSCRIBE_URL=unsubscribe_url(base, stack.state_dir, "participant-1"))
        browser = subprocess.run(["node", os.path.join(HERE, "browser_test.mjs")], cwd=ROOT, env=env, timeout=200)
        if browser.returncode != 0:
            print("--- gateway log (tail) ---\n" + stack.log("gateway")[-3000:])
        check(browser.returncode == 0, f"browser scenarios failed (exit {browser.returncode})")
        print(f"browser test passed in {time.monotonic() - started:.1f} s")
    finally:
        stack.run("stop")
        shutil.rmtree(stack.state_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
