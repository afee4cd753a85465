"""REST calls through the gateway with development tokens, as a browser or script would make them."""
import json
import os
import subprocess
import urllib.error
import urllib.request


class HttpError(Exception):
    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body[:500]}")
        self.status = status
        self.body = body

    def json(self):
        return json.loads(self.body)


class Tokens:
    """Mints HS256 tokens with tools/etnik-token and the stack's secret; one per identity."""

    def __init__(self, build_dir, secret_file):
        self.tool = os.path.join(build_dir, "tools", "etnik-token", "etnik-token")
        self.secret_file = secret_file
        self.cache = {}

    def mint(self, sub, roles, hubs=(), email="", name=""):
        key = (sub, tuple(roles), tuple(hubs))
        if key not in self.cache:
            args = [self.tool, f"--secret_file={self.secret_file}", f"--sub={sub}", "--ttl=2h"]
            if roles:  # an applicant is any signed-in person: no role
                args.append(f"--roles={','.join(roles)}")
            if hubs:
                args.append(f"--hubs={','.join(hubs)}")
            if email:
                args.append(f"--email={email}")
            if name:
                args.append(f"--name={name}")
            out = subprocess.run(args, capture_output=True, text=True, check=True)
            self.cache[key] = out.stdout.strip()
        return self.cache[key]


class Gateway:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"

    def call(self, method, path, token=None, body=None, raw=False, lang="en"):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        req.add_header("Accept-Language", lang)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                payload = r.read()
                if raw:
                    return payload, r.headers
                return json.loads(payload) if payload else {}
        except urllib.error.HTTPError as e:
            raise HttpError(e.code, e.read().decode("utf-8", "replace")) from None

    def get(self, path, token=None, **kw):
        return self.call("GET", path, token, **kw)

    def post(self, path, token, body):
        return self.call("POST", path, token, body)

    def patch(self, path, token, body):
        return self.call("PATCH", path, token, body)

    def pages(self, path, token, key):
        """Every item of a paged list."""
        items, page = [], ""
        while True:
            sep = "&" if "?" in path else "?"
            out = self.get(f"{path}{sep}pageSize=1000" + (f"&pageToken={page}" if page else ""), token)
            items += out.get(key, [])
            page = out.get("nextPageToken", "")
            if not page:
                return items
