"""Python stubs for gRPC's own health and reflection protos, generated at test time.

The tests use Debian's python3-grpcio as a client that etnik did not write; its stubs come from
the .proto files of Debian's grpc-proto package, compiled with python3-grpc-tools.
"""
import importlib
import os
import shutil
import sys
import tempfile

GRPC_PROTO_DIR = "/usr/share/grpc-proto"
PROTOS = ["grpc/health/v1/health.proto", "grpc/reflection/v1alpha/reflection.proto"]


def load():
    """Returns (health_pb2, health_pb2_grpc, reflection_pb2, reflection_pb2_grpc)."""
    from grpc_tools import protoc

    # The files are copied flat so that the modules do not collide with the installed `grpc`
    # package; the proto packages (and so the wire names) stay grpc.health.v1 etc.
    out = tempfile.mkdtemp(prefix="etnik-stubs-")
    for proto in PROTOS:
        shutil.copy(os.path.join(GRPC_PROTO_DIR, proto), out)
        name = os.path.basename(proto)
        if protoc.main(["protoc", f"-I{out}", f"--python_out={out}", f"--grpc_python_out={out}",
                        os.path.join(out, name)]) != 0:
            raise RuntimeError(f"protoc failed for {proto}")
    sys.path.insert(0, out)
    return tuple(importlib.import_module(m) for m in (
        "health_pb2", "health_pb2_grpc", "reflection_pb2", "reflection_pb2_grpc"))
