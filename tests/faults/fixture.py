"""A small programme for the fault run, imported with etnikctl through the public APIs.

Three hubs of three experts, a venue with two rooms, one webinar event per hub and one seminar in
the venue. Sessions go into 2030 (stage "practice") so that reminders are planned for them too.
"""
import datetime
import json
import os
import tempfile

HUBS = ["media", "youth", "culture"]
ROOMS = ["hall", "classroom"]
DAYS = ["2030-03-04", "2030-03-05"]  # a Monday and a Tuesday
SEAT_CAPACITY = 5


def experts_of(hub):
    return [f"{hub}-expert-{i}" for i in (1, 2, 3)]


def _text(ru):
    return {"ru": ru, "en": ru}


def _rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def programme(programme_id, now):
    every_day = [{"day_of_week": f"DAY_OF_WEEK_{d}", "start": {"hours": 6}, "end": {"hours": 22}}
                 for d in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")]
    hubs = [{
        "hub_id": hub,
        "hub": {"title": _text(f"Хаб {hub}"), "theme": hub, "theme_title": _text(hub),
                "contact": {"email": f"hub-{hub}@example.org"}, "participant_capacity": 8},
        "experts": [{
            "expert_id": e,
            "expert": {"full_name": _text(e), "topics": [hub], "time_zone": "Europe/Moscow",
                       "language": "LANGUAGE_RU", "contact": {"email": f"{e}@example.org"},
                       "weekly_availability": every_day},
        } for e in experts_of(hub)],
    } for hub in HUBS]
    # Sessions with few seats, booked by the import, for the registration clients to fill.
    events = [{
        "event_id": f"{hub}-webinars",
        "event": {"stage": f"programmes/{programme_id}/stages/practice", "kind": "EVENT_KIND_WEBINAR",
                  "title": _text(f"Вебинары {hub}"), "time_zone": "Europe/Moscow", "open_registration": True,
                  "default_capacity": SEAT_CAPACITY, "hub": f"hubs/{hub}"},
        "sessions": [{
            "session_id": f"seats-{i}",
            "session": {"title": _text(f"Места {i}"), "start_time": f"2030-03-06T{7 + 2 * i:02d}:00:00Z",
                        "end_time": f"2030-03-06T{8 + 2 * i:02d}:00:00Z", "time_zone": "Europe/Moscow",
                        "hosts": [f"experts/{experts_of(hub)[0]}"], "capacity": SEAT_CAPACITY,
                        "online_room": {"join_uri": "https://meet.example.org/etnik", "platform": "Zoom"}},
        } for i in (1, 2)],
    } for hub in HUBS]
    events.append({
        "event_id": "seminar",
        "event": {"stage": f"programmes/{programme_id}/stages/practice", "kind": "EVENT_KIND_SEMINAR",
                  "title": _text("Семинар"), "time_zone": "Europe/Moscow", "open_registration": True,
                  "default_capacity": 40, "venue": "venues/house"},
        "sessions": [],
    })
    stages = [
        {"stage_id": "selection", "kind": "STAGE_KIND_SELECTION", "title": _text("Отбор"),
         "window": {"start_time": _rfc3339(now - datetime.timedelta(days=1)),
                    "end_time": _rfc3339(now + datetime.timedelta(days=60))}},
        {"stage_id": "practice", "kind": "STAGE_KIND_PRACTICE", "title": _text("Практика"),
         "window": {"start_time": "2030-01-01T00:00:00Z", "end_time": "2030-12-31T00:00:00Z"}},
    ]
    return {
        "programme_id": programme_id,
        "programme": {"title": _text("Проверка сбоев"), "time_zone": "Europe/Moscow", "seats": 40,
                      "stages": stages},
        "hubs": hubs,
        "venues": [{"venue_id": "house", "venue": {
            "title": _text("Дом"), "address": "ул. Тестовая, 1", "city": "Москва", "time_zone": "Europe/Moscow",
            "rooms": [{"room_id": r, "title": _text(r), "capacity": 100} for r in ROOMS]}}],
        "events": events,
    }


def write(programme_id):
    data = programme(programme_id, datetime.datetime.now(datetime.timezone.utc))
    fd, path = tempfile.mkstemp(prefix="etnik-faults-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    return path
