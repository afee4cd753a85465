"""Python stubs of etnik's own protos, compiled at test time with python3-grpc-tools, for the
few calls the gateway has no route for."""
import importlib
import os
import re
import sys
import tempfile

PROTO_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "proto"))


def load(*protos):
    """Compiles `protos` (paths under proto/, with everything they import) and returns their
    modules as (pb2, pb2_grpc) pairs, in order."""
    from grpc_tools import protoc
    import grpc_tools

    out = tempfile.mkdtemp(prefix="etnik-e2e-stubs-")
    wkt = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    # Only what the asked files import: Debian's grpc-tools is too old for some of the others.
    files, todo = set(), list(protos)
    while todo:
        proto = todo.pop()
        if proto in files or not proto.startswith("etnik/"):
            continue
        files.add(proto)
        with open(os.path.join(PROTO_DIR, proto)) as f:
            todo += re.findall(r'^import "([^"]+)";', f.read(), re.M)
    if protoc.main(["protoc", f"-I{PROTO_DIR}", f"-I{wkt}", f"--python_out={out}", f"--grpc_python_out={out}"]
                   + sorted(files)) != 0:
        raise RuntimeError("protoc failed for etnik's protos")
    sys.path.insert(0, out)
    modules = []
    for proto in protos:
        base = proto[:-len(".proto")].replace("/", ".")
        modules.append((importlib.import_module(base + "_pb2"), importlib.import_module(base + "_pb2_grpc")))
    return modules
