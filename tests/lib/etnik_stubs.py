"""Python modules of etnik's own protos, compiled at test time with Debian's protoc and gRPC
plugin (the protos use proto3 `optional`, which python3-grpc-tools' bundled protoc predates)."""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ALL_PACKAGES = ("common", "events", "registration", "hubs", "scheduling", "notifications")


def compile_protos(packages=ALL_PACKAGES, prefix="etnik-stubs-"):
    """Compiles every .proto of the packages into a fresh directory put first on sys.path, so
    that `etnik.<package>.v1.<file>_pb2` (and `_pb2_grpc`) import."""
    out = tempfile.mkdtemp(prefix=prefix)
    protos = []
    for pkg in packages:
        d = os.path.join(ROOT, "proto", "etnik", pkg, "v1")
        protos += [os.path.join("etnik", pkg, "v1", f) for f in sorted(os.listdir(d)) if f.endswith(".proto")]
    subprocess.run(["/usr/bin/protoc", f"-I{os.path.join(ROOT, 'proto')}", "-I/usr/include",
                    "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin", f"--python_out={out}",
                    f"--grpc_python_out={out}", *protos], check=True)
    sys.path.insert(0, out)
    return out
