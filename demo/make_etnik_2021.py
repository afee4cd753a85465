#!/usr/bin/env python3
"""Writes demo/etnik-2021.json, the demo programme etnikctl imports (run it after editing)."""
import datetime as dt
import json
import os

MSK = dt.timezone(dt.timedelta(hours=3))
TZ = "Europe/Moscow"
PROGRAMME_ID = "etnik-2021"


def ts(y, m, d, hh=0, mm=0):
    """Moscow wall time as an RFC 3339 UTC instant; the day may run past the month's end."""
    return (dt.datetime(y, m, 1, hh, mm, tzinfo=MSK) + dt.timedelta(days=d - 1)).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def stage(sid, kind, ru, en, start, end, targets):
    return {"stage_id": sid, "kind": kind, "title": {"ru": ru, "en": en},
            "window": {"start_time": start, "end_time": end},
            "targets": [{"metric": m, "value": v} for m, v in targets]}


programme = {
    "title": {"ru": "ЭтНик: ресурсное сообщество", "en": "EtNik: resource community"},
    "description": {
        "ru": "Программа распространения лучших практик СОНКО в сфере межнациональных отношений: "
              "10 тематических хабов, конкурсный отбор 40 участников, обучение, практика и итоговая конференция.",
        "en": "Spreading good practice of NGOs working on inter-ethnic relations: 10 thematic hubs, "
              "a competitive selection of 40 participants, training, practice and a final conference."},
    "time_zone": TZ,
    "seats": 40,
    "review_criteria": [
        {"criterion_id": "relevance", "title": {"ru": "Актуальность опыта", "en": "Relevance"}, "weight": 1, "max_score": 10},
        {"criterion_id": "motivation", "title": {"ru": "Мотивация", "en": "Motivation"}, "weight": 1, "max_score": 10},
    ],
    "score_aggregation": "SCORE_AGGREGATION_MEAN",
    "offer_reply_duration": "259200s",
    "stages": [
        stage("selection", "STAGE_KIND_SELECTION", "Конкурсный отбор участников", "Competitive selection",
              ts(2021, 4, 6), ts(2021, 4, 13), [("TARGET_METRIC_PARTICIPANTS", 40)]),
        stage("training", "STAGE_KIND_TRAINING", "Обучение: семинар, онлайн-курс, Марафон-Ярмарка",
              "Training: seminar, online course, marathon-fair",
              ts(2021, 4, 19), ts(2021, 7, 1), [("TARGET_METRIC_HUBS", 10), ("TARGET_METRIC_EXPERTS", 30)]),
        stage("practice", "STAGE_KIND_PRACTICE", "Практика: вебинары и мастер-классы хабов",
              "Practice: the hubs' webinars and master classes",
              ts(2021, 7, 1), ts(2021, 11, 1), [("TARGET_METRIC_WEBINARS_AND_MASTER_CLASSES", 20)]),
        stage("final", "STAGE_KIND_FINAL", "III Всероссийская конференция", "3rd All-Russian conference",
              ts(2021, 11, 15), ts(2021, 12, 1), [("TARGET_METRIC_ATTENDANCE", 100)]),
    ],
}

# (id, title ru, title en, theme slug, theme ru, city, expert count)
HUBS = [
    ("media", "Информационные и медиапроекты", "Information and media projects", "media", "медиа", "Смоленск", 3),
    ("crafts", "Народные промыслы и ремёсла", "Folk crafts and trades", "crafts", "промыслы", "Вязьма", 4),
    ("migrants", "Работа с мигрантами", "Work with migrants", "migrants", "адаптация мигрантов", "Москва", 5),
    ("training", "Обучающие мероприятия", "Training events", "training", "обучение", "Смоленск", 3),
    ("languages", "Сохранение родных языков", "Native languages", "languages", "языки", "Казань", 4),
    ("folklore", "Фольклор и традиционная культура", "Folklore and traditional culture", "folklore", "фольклор", "Рославль", 5),
    ("youth", "Молодёжные межнациональные проекты", "Youth inter-ethnic projects", "youth", "молодёжь", "Смоленск", 4),
    ("tourism", "Этнотуризм и гастрономия", "Ethnic tourism and cuisine", "tourism", "этнотуризм", "Гагарин", 3),
    ("grants", "Фандрайзинг и грантовые проекты", "Fundraising and grant projects", "grants", "гранты", "Москва", 5),
    ("volunteers", "Добровольчество и диаспоры", "Volunteering and diasporas", "volunteers", "добровольчество", "Ярцево", 4),
]

PEOPLE = [
    ("Иванова", "Елена", "Сергеевна"), ("Петров", "Алексей", "Николаевич"), ("Гусейнова", "Лейла", "Рашидовна"),
    ("Смирнов", "Дмитрий", "Павлович"), ("Кузнецова", "Ольга", "Викторовна"), ("Абрамян", "Арсен", "Гагикович"),
    ("Морозова", "Татьяна", "Ивановна"), ("Васильев", "Игорь", "Андреевич"), ("Хасанова", "Гульнара", "Ильдаровна"),
    ("Новиков", "Павел", "Олегович"), ("Фёдорова", "Анна", "Михайловна"), ("Алиев", "Рустам", "Маратович"),
    ("Соколова", "Марина", "Юрьевна"), ("Попов", "Сергей", "Владимирович"), ("Лебедева", "Ирина", "Александровна"),
    ("Галиев", "Тимур", "Ринатович"), ("Егорова", "Наталья", "Петровна"), ("Козлов", "Андрей", "Евгеньевич"),
    ("Степанова", "Юлия", "Дмитриевна"), ("Мамедов", "Эльдар", "Таирович"), ("Николаева", "Светлана", "Борисовна"),
    ("Орлов", "Максим", "Игоревич"), ("Захарова", "Екатерина", "Олеговна"), ("Зайцев", "Виктор", "Сергеевич"),
    ("Бадмаева", "Сэсэг", "Баировна"), ("Павлов", "Роман", "Анатольевич"), ("Семёнова", "Дарья", "Андреевна"),
    ("Григорян", "Карен", "Ашотович"), ("Волкова", "Людмила", "Григорьевна"), ("Тимофеев", "Артём", "Валерьевич"),
    ("Сафина", "Альфия", "Фаридовна"), ("Белов", "Николай", "Степанович"), ("Киселёва", "Вера", "Константиновна"),
    ("Макаров", "Евгений", "Львович"), ("Ахмедова", "Зарина", "Камиловна"), ("Андреев", "Илья", "Романович"),
    ("Ковалёва", "Ксения", "Артёмовна"), ("Романов", "Глеб", "Денисович"), ("Шамсутдинова", "Диляра", "Айратовна"),
    ("Ильин", "Олег", "Витальевич"),
]
TRANSLIT = str.maketrans({"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
                          "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
                          "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
                          "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"})


def latin(word):
    return word.lower().translate(TRANSLIT)


WEEK = [{"day_of_week": d, "start": {"hours": 9}, "end": {"hours": 21}} for d in [
    "DAY_OF_WEEK_MONDAY", "DAY_OF_WEEK_TUESDAY", "DAY_OF_WEEK_WEDNESDAY", "DAY_OF_WEEK_THURSDAY",
    "DAY_OF_WEEK_FRIDAY", "DAY_OF_WEEK_SATURDAY", "DAY_OF_WEEK_SUNDAY"]]

hubs = []
experts_of = {}
people = iter(PEOPLE)
for hub_id, ru, en, theme, theme_ru, city, n in HUBS:
    experts = []
    for _ in range(n):
        last, first, middle = next(people)
        eid = f"{latin(last)}-{latin(first)}"
        experts.append({"expert_id": eid, "expert": {
            "full_name": {"ru": f"{last} {first} {middle}", "en": f"{latin(first).title()} {latin(last).title()}"},
            "bio": {"ru": f"Эксперт хаба «{ru}», практик СОНКО, тема: {theme_ru}."},
            "topics": [theme],
            "city": city,
            "time_zone": TZ,
            "language": "LANGUAGE_RU",
            "contact": {"email": f"{eid}@example.org"},
            # The account of the expert: a token with this "sub" sees the profile and its sessions.
            "subject": eid,
            "weekly_availability": WEEK,
        }})
    experts_of[hub_id] = ["experts/" + e["expert_id"] for e in experts]
    hubs.append({"hub_id": hub_id, "experts": experts, "hub": {
        "title": {"ru": f"Хаб «{ru}»", "en": f"{en} hub"},
        "theme": theme,
        "theme_title": {"ru": theme_ru.capitalize(), "en": en},
        "description": {"ru": f"Ресурсная площадка программы «ЭтНик»: {ru.lower()}. Город: {city}."},
        "contact": {"email": f"hub-{hub_id}@example.org"},
        "participant_capacity": 8,
    }})

ONLINE = {"join_uri": "https://meet.example.org/etnik", "platform": "Zoom"}


def session(sid, ru, start, end, hosts, room=None):
    s = {"title": {"ru": ru}, "start_time": start, "end_time": end, "time_zone": TZ, "hosts": hosts}
    if room:
        s["room"] = room
    else:
        s["online_room"] = ONLINE
    return {"session_id": sid, "session": s}


VENUES = [
    {"venue_id": "moscow-house-of-nationalities", "venue": {
        "title": {"ru": "Московский дом национальностей", "en": "Moscow House of Nationalities"},
        "address": "Новая Басманная ул., 4, стр. 1", "city": "Москва", "time_zone": TZ,
        "rooms": [{"room_id": "hall", "title": {"ru": "Большой зал"}, "capacity": 120},
                  {"room_id": "classroom", "title": {"ru": "Учебная аудитория"}, "capacity": 50}]}},
]
HALL = "venues/moscow-house-of-nationalities/rooms/hall"
CLASSROOM = "venues/moscow-house-of-nationalities/rooms/classroom"


def event(eid, kind, stage_id, ru, en, sessions, hub=None, venue=None):
    e = {"stage": f"programmes/{PROGRAMME_ID}/stages/{stage_id}", "kind": kind, "title": {"ru": ru, "en": en},
         "time_zone": TZ, "open_registration": True, "default_capacity": 100}
    if hub:
        e["hub"] = "hubs/" + hub
    if venue:
        e["venue"] = "venues/" + venue
    return {"event_id": eid, "event": e, "sessions": sessions}


lead = [experts_of[h][0] for h, *_ in HUBS]
events = [
    event("seminar-moscow", "EVENT_KIND_SEMINAR", "training", "Двухдневный организационный семинар в Москве",
          "Two-day organisational seminar in Moscow", [
              session("day-1", "День 1: знакомство хабов и планирование", ts(2021, 4, 26, 10), ts(2021, 4, 26, 18), lead[:5], CLASSROOM),
              session("day-2", "День 2: экспертные сессии и дорожные карты", ts(2021, 4, 27, 10), ts(2021, 4, 27, 17), lead[5:], CLASSROOM),
          ], venue="moscow-house-of-nationalities"),
    event("online-course", "EVENT_KIND_COURSE", "training", "Онлайн-курс для хабов", "Online course for the hubs", [
        session(f"lesson-{i + 1}", title, ts(2021, 5, 11 + 7 * i, 18), ts(2021, 5, 11 + 7 * i, 19, 30), [experts_of[h][1]])
        for i, (title, h) in enumerate([
            ("Занятие 1: ресурсная площадка и её аудитория", "training"),
            ("Занятие 2: медиаплан хаба", "media"),
            ("Занятие 3: как подготовить вебинар", "training"),
            ("Занятие 4: фандрайзинг для хаба", "grants"),
        ])
    ]),
    event("marathon-fair", "EVENT_KIND_MARATHON_FAIR", "training", "Марафон-Ярмарка ресурсов",
          "Marathon-fair of resources", [
              session(f"day-{i + 1}", f"Марафон-Ярмарка: день {i + 1}", ts(2021, 6, 22 + i, 11), ts(2021, 6, 22 + i, 16),
                      [experts_of[h][2] for h in hs])
              for i, hs in enumerate([("media", "crafts", "migrants"), ("training", "languages", "folklore"),
                                      ("youth", "tourism", "grants", "volunteers")])
          ]),
]

WEBINAR_TOPICS = ["Вебинар: лучшие практики хаба", "Вебинар: разбор проектов участников"]
for i, (hub_id, ru, en, *_rest) in enumerate(HUBS):
    ex = experts_of[hub_id]
    day = dt.date(2021, 7, 6) + dt.timedelta(days=3 * i)
    webinars = []
    for k, title in enumerate(WEBINAR_TOPICS):
        d = day + dt.timedelta(days=35 * k)
        webinars.append(session(f"webinar-{k + 1}", f"{title} «{ru}»", ts(d.year, d.month, d.day, 15),
                                ts(d.year, d.month, d.day, 16, 30), [ex[k % len(ex)]]))
    events.append(event(f"{hub_id}-webinars", "EVENT_KIND_WEBINAR", "practice", f"Вебинары хаба «{ru}»",
                        f"{en}: webinars", webinars, hub=hub_id))
    d = day + dt.timedelta(days=70)
    events.append(event(f"{hub_id}-master-class", "EVENT_KIND_MASTER_CLASS", "practice", f"Мастер-класс хаба «{ru}»",
                        f"{en}: master class", [
                            session("master-class-1", f"Мастер-класс: {ru.lower()} на практике",
                                    ts(d.year, d.month, d.day, 12), ts(d.year, d.month, d.day, 14), [ex[-1]])],
                        hub=hub_id))

events.append(event("final-conference", "EVENT_KIND_CONFERENCE", "final",
                    "III Всероссийская конференция «Устойчивое развитие этнокультурного сектора»",
                    "3rd All-Russian conference: sustainable development of the ethnocultural sector", [
                        session("plenary", "Пленарное заседание", ts(2021, 11, 18, 10), ts(2021, 11, 18, 13), lead[:3], HALL),
                        session("hubs-results", "Итоги работы хабов", ts(2021, 11, 18, 14), ts(2021, 11, 18, 18), lead[3:], HALL),
                    ], venue="moscow-house-of-nationalities"))

doc = {"programme_id": PROGRAMME_ID, "programme": programme, "hubs": hubs, "venues": VENUES, "events": events}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "etnik-2021.json")
with open(out, "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
    f.write("\n")
