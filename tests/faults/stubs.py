"""Python gRPC stubs of the etnik protos, compiled at test time with Debian's protoc and plugin."""
import importlib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import etnik_stubs  # noqa: E402


def load():
    """Returns a namespace-like dict: reg, reg_grpc, hubs, sched, sched_grpc, notif, notif_grpc, ..."""
    etnik_stubs.compile_protos(prefix="etnik-fault-stubs-")
    m = importlib.import_module
    return {
        "reg": m("etnik.registration.v1.registration_service_pb2"),
        "reg_grpc": m("etnik.registration.v1.registration_service_pb2_grpc"),
        "app": m("etnik.registration.v1.application_pb2"),
        "form": m("etnik.registration.v1.form_pb2"),
        "sched": m("etnik.scheduling.v1.scheduling_service_pb2"),
        "sched_grpc": m("etnik.scheduling.v1.scheduling_service_pb2_grpc"),
        "session": m("etnik.scheduling.v1.session_pb2"),
        "attendee": m("etnik.scheduling.v1.attendee_pb2"),
        "notif": m("etnik.notifications.v1.notifications_service_pb2"),
        "notif_grpc": m("etnik.notifications.v1.notifications_service_pb2_grpc"),
        "delivery": m("etnik.notifications.v1.delivery_pb2"),
        "text": m("etnik.common.v1.text_pb2"),
        "contact": m("etnik.common.v1.contact_pb2"),
    }
