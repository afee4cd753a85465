"""Development tokens (HS256, as `etnikctl token` makes them) signed with the stack's secret, so
that each application can come from an applicant of its own without a process per token."""
import base64
import hashlib
import hmac
import json
import time


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Minter:
    def __init__(self, key_file):
        with open(key_file, "rb") as f:
            self.secret = f.read().rstrip(b"\r\n")

    def token(self, role, sub):
        now = int(time.time())
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        claims = _b64(json.dumps({"roles": [role], "sub": sub, "iat": now, "nbf": now, "aud": "etnik",
                                  "iss": "etnik", "exp": now + 86400}).encode())
        signature = hmac.new(self.secret, f"{header}.{claims}".encode(), hashlib.sha256).digest()
        return f"{header}.{claims}.{_b64(signature)}"
