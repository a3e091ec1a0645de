"""The capacity arithmetic on its own, with no database and no HTTP: skills, a technician
with two skills counted once, absences, the walk-in share, holidays and make-up days,
bays, equipment, and a waiting customer's same-day rule."""

from datetime import date, datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

from diary.capacity import (
    EVERY,
    Diary,
    Technician,
    Work,
    Workshop,
    bookable_hours,
    supply,
    technician_hours,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOURS = {d: [["08:30", "12:00"], ["13:00", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri")}
"""Eight working hours a weekday."""
MONDAY = date(2026, 12, 14)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def shop(*technicians, bays=4, equipment=None, walk_in=D("0"), calendar=None) -> Workshop:
    return Workshop(
        working_hours=HOURS,
        time_zone="Asia/Shanghai",
        technicians=tuple(technicians),
        bays=bays,
        calendar=calendar or {},
        equipment=equipment or {},
        walk_in_share=walk_in,
    )


def tech(n: int, *skills: str, absences=()) -> Technician:
    return Technician(n, frozenset(skills), tuple(absences))


def test_a_day_holds_the_hours_of_the_technicians_with_the_skill():
    diary = Diary(shop(tech(1, "maintenance"), tech(2, "body")), [])
    assert diary.skill_fits(MONDAY, "maintenance", D("8"))
    assert not diary.skill_fits(MONDAY, "maintenance", D("8.5"))
    assert not diary.skill_fits(MONDAY, "paint", D("0.5"))
    booked = Diary(shop(tech(1, "maintenance")), [Work(at(MONDAY, 9), D("6"), "maintenance")])
    assert booked.skill_fits(MONDAY, "maintenance", D("2"))
    assert not booked.skill_fits(MONDAY, "maintenance", D("2.5"))
    assert booked.skill_fits(MONDAY + timedelta(days=1), "maintenance", D("8"))


def test_a_technician_with_two_skills_is_counted_once():
    workshop = shop(tech(1, "engine", "electrical"), tech(2, "engine"))
    diary = Diary(workshop, [Work(at(MONDAY, 9), D("8"), "electrical")])
    assert diary.skill_fits(MONDAY, "engine", D("8"))
    assert not diary.skill_fits(MONDAY, "engine", D("8.5"))
    assert not diary.skill_fits(MONDAY, "electrical", D("0.5"))
    room = supply(workshop, MONDAY)
    assert room[frozenset({"engine"})] == D("16") and room[frozenset({"electrical"})] == D("8")


def test_an_absence_takes_out_its_working_hours_only():
    away = (at(MONDAY, 12), at(MONDAY, 15))
    workshop = shop(tech(1, "maintenance", absences=[away]))
    assert technician_hours(workshop, workshop.technicians[0], MONDAY) == D("6")
    diary = Diary(workshop, [])
    assert diary.refusal(Work(at(MONDAY, 13, 30), D("1"), "maintenance")).code == "technician"
    assert diary.refusal(Work(at(MONDAY, 15), D("1"), "maintenance")) is None
    assert not diary.skill_fits(MONDAY, "maintenance", D("6.5"))


def test_the_walk_in_share_is_held_back():
    diary = Diary(shop(tech(1, "maintenance"), tech(2, "maintenance"), walk_in=D("0.25")), [])
    assert diary.skill_fits(MONDAY, "maintenance", D("12"))
    assert not diary.skill_fits(MONDAY, "maintenance", D("12.5"))


def test_the_days_bookable_hours_are_every_skills_room():
    away = (at(MONDAY, 12), at(MONDAY, 15))
    workshop = shop(
        tech(1, "maintenance", absences=[away]),
        tech(2, "engine", "electrical"),
        tech(3),
        walk_in=D("0.25"),
    )
    for day in (MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=5)):
        assert bookable_hours(workshop, day) == supply(workshop, day)[EVERY]
    assert bookable_hours(workshop, MONDAY) == D("10.5"), "(6 + 8) x 0.75; no skill, no hours"


def test_holidays_close_the_workshop_and_make_up_days_open_it():
    saturday, holiday = date(2026, 12, 19), date(2026, 12, 16)
    calendar = {"holidays": [holiday.isoformat()], "workdays": [saturday.isoformat()]}
    diary = Diary(shop(tech(1, "maintenance"), calendar=calendar), [])
    slots = dict(diary.free_slots(MONDAY, 7, D("1"), "maintenance"))
    assert slots[holiday] == [] and slots[date(2026, 12, 20)] == []
    assert slots[saturday][0][0] == at(saturday, 8, 30)
    assert diary.refusal(Work(at(holiday, 10), D("1"), "maintenance")).code == "closed"


def test_bays_and_equipment_are_held_for_the_work_s_hours():
    workshop = shop(tech(1, "chassis"), tech(2, "chassis"), bays=2, equipment={"alignment": 1})
    diary = Diary(
        workshop,
        [
            Work(at(MONDAY, 9), D("2"), "chassis", "alignment"),
            Work(at(MONDAY, 9), D("1"), "chassis"),
        ],
    )
    assert diary.refusal(Work(at(MONDAY, 9, 30), D("1"), "chassis")).code == "bays"
    assert diary.refusal(Work(at(MONDAY, 10), D("1"), "chassis")) is None
    assert diary.refusal(Work(at(MONDAY, 10), D("1"), "chassis", "alignment")).code == "equipment"
    assert diary.refusal(Work(at(MONDAY, 11), D("1"), "chassis", "alignment")) is None
    assert diary.refusal(Work(at(MONDAY, 11), D("1"), "chassis", "paint_booth")).code == (
        "equipment"
    )


def test_work_runs_over_the_lunch_break_in_working_time():
    diary = Diary(shop(tech(1, "body"), bays=1), [Work(at(MONDAY, 11), D("2"), "body")])
    assert diary.refusal(Work(at(MONDAY, 13, 30), D("1"), "body")).code == "bays"
    assert diary.refusal(Work(at(MONDAY, 14), D("1"), "body")) is None


def test_a_waiting_customer_s_work_is_done_the_same_day():
    diary = Diary(shop(tech(1, "maintenance"), tech(2, "maintenance")), [])
    late = Work(at(MONDAY, 16), D("2"), "maintenance")
    assert diary.refusal(late, waiter=True).code == "waiter"
    assert diary.refusal(late) is None
    [(_, slots)] = diary.free_slots(MONDAY, 1, D("2"), "maintenance", waiter=True)
    assert slots[0] == (at(MONDAY, 8, 30), at(MONDAY, 10, 30))
    assert slots[-1][0] == at(MONDAY, 15, 30)


def test_free_slots_start_after_now_and_skip_full_days():
    workshop = shop(tech(1, "diagnosis"))
    full = Diary(workshop, [Work(at(MONDAY, 8, 30), D("8"), "diagnosis", car=False)])
    slots = dict(full.free_slots(MONDAY, 2, D("1"), "diagnosis", after=at(MONDAY, 10)))
    assert slots[MONDAY] == []
    assert len(slots[MONDAY + timedelta(days=1)]) == 16
    open_day = Diary(workshop, [])
    [(_, today)] = open_day.free_slots(MONDAY, 1, D("1"), "diagnosis", after=at(MONDAY, 15, 10))
    starts = [start for start, _ in today]
    assert starts == [at(MONDAY, 15, 30), at(MONDAY, 16), at(MONDAY, 16, 30), at(MONDAY, 17)]
    assert today[-1][1] == at(MONDAY + timedelta(days=1), 9)
