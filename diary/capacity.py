"""The workshop's room for booked work, counted in working hours (shared/DECISIONS.md 19).

A day's hours come from the site's working periods, which public holidays take out and
make-up working days (调休) add (``dealer.workhours``). Each technician brings the day's
working hours less their absences, usable for any skill they have; a share of every
technician's hours is held back for cars that come in without an appointment.

Booked work, and the work already in the workshop, asks for hours of one skill on a day. A
day can take what is asked exactly when, for every set of skills, the hours asked of that
set are at most the hours of the technicians who have a skill in it: the cut condition of
the transport problem, exact, and cheap with seven skills (127 sets). A technician with two
skills is so never counted twice.

Bays and special equipment are counted moment by moment: a booked car holds a bay from its
start for its working hours, and a job that needs an alignment rig or a paint booth holds
one of them as long. Nothing here reads the database: the callers pass the workshop and
its bookings, so the arithmetic is tested on its own.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import combinations
from zoneinfo import ZoneInfo

from dealer.workhours import add_working_time, day_hours

SKILLS = ("maintenance", "diagnosis", "electrical", "engine", "chassis", "body", "paint")
STEP = timedelta(minutes=30)
"""Booked work starts on the half hour."""
ZERO = Decimal("0")
SKILL_SETS = [
    frozenset(chosen) for size in range(1, len(SKILLS) + 1) for chosen in combinations(SKILLS, size)
]


ANY = "any"
"""The skill of work any technician can do (a job in the workshop nobody has taken yet)."""
EVERY = frozenset(SKILLS)


@dataclass(frozen=True)
class Technician:
    """A technician's skills, absences, and the hours each day that work already in the
    workshop takes of them (``busy``)."""

    id: int
    skills: frozenset[str]
    absences: tuple[tuple[datetime, datetime], ...] = ()
    busy: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Workshop:
    """What the site works with: its hours and calendar, technicians, bays (lifts), special
    equipment by kind with how many of each, and the share of hours kept for walk-ins."""

    working_hours: dict
    time_zone: str
    technicians: tuple[Technician, ...]
    bays: int
    calendar: dict = field(default_factory=dict)
    equipment: dict[str, int] = field(default_factory=dict)
    walk_in_share: Decimal = ZERO

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


@dataclass(frozen=True)
class Work:
    """Hours of one skill from ``start``: a booking's, or a job in the workshop. ``car``:
    whether it holds a bay (a booked car does; a job of a car already on a lift counts its
    hours only). A skill of None asks no technician's hours (a booked car holding its bay
    while its jobs count on their own); ``ANY`` asks hours any technician can give."""

    start: datetime
    hours: Decimal
    skill: str | None
    equipment: str | None = None
    car: bool = True


@dataclass(frozen=True)
class Refusal:
    """Why the workshop has no room for a booking then: a code and the words for it."""

    code: str
    reason: str


def periods(workshop: Workshop, day: date) -> list[tuple[datetime, datetime]]:
    """The day's working periods as moments in the site's zone."""
    zone = workshop.zone
    return [
        (
            datetime.combine(day, time.fromisoformat(begin), tzinfo=zone),
            datetime.combine(day, time.fromisoformat(end), tzinfo=zone),
        )
        for begin, end in day_hours(day, workshop.working_hours, workshop.calendar)
    ]


def _overlap(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> timedelta:
    return max(timedelta(0), min(a[1], b[1]) - max(a[0], b[0]))


def technician_hours(
    workshop: Workshop, technician: Technician, day: date, day_periods: list | None = None
) -> Decimal:
    """The technician's working hours on ``day``, less their absences and the hours work
    already in the workshop takes of them."""
    total = timedelta(0)
    for period in periods(workshop, day) if day_periods is None else day_periods:
        total += period[1] - period[0]
        total -= sum((_overlap(period, away) for away in technician.absences), timedelta(0))
    hours = Decimal(total.total_seconds()) / 3600
    return max(hours - technician.busy.get(day, ZERO), ZERO)


def _mask(skills: Iterable[str]) -> int:
    return sum(1 << SKILLS.index(skill) for skill in skills if skill in SKILLS)


def _hours_by_technician(workshop: Workshop, day: date):
    """Each technician with their working hours on ``day`` (the day's periods read once, and
    the full day's hours counted once for all who are neither away nor busy)."""
    day_periods = periods(workshop, day)
    full = technician_hours(workshop, Technician(0, frozenset()), day, day_periods)
    for t in workshop.technicians:
        yield t, technician_hours(workshop, t, day, day_periods) if t.absences or t.busy else full


def bookable_hours(workshop: Workshop, day: date) -> Decimal:
    """All the hours that can be booked on ``day``: those of the technicians with a skill,
    less the walk-in share (what ``supply`` gives for every skill at once)."""
    total = sum((own for t, own in _hours_by_technician(workshop, day) if t.skills), ZERO)
    return total * (1 - workshop.walk_in_share)


def supply(workshop: Workshop, day: date) -> dict[frozenset[str], Decimal]:
    """Bookable hours for each set of skills on ``day``: the hours of the technicians who have
    a skill of the set, less the walk-in share. Counted as every hour less those of the
    technicians whose skills all lie outside the set (a sum over subsets, 7 x 128 steps)."""
    bookable = 1 - workshop.walk_in_share
    within = [ZERO] * (1 << len(SKILLS))
    for t, own in _hours_by_technician(workshop, day):
        within[_mask(t.skills)] += own
    for bit in range(len(SKILLS)):
        for mask in range(len(within)):
            if mask & (1 << bit):
                within[mask] += within[mask ^ (1 << bit)]
    everyone = within[-1]
    top = len(within) - 1
    return {skills: (everyone - within[top ^ _mask(skills)]) * bookable for skills in SKILL_SETS}


def demand(work: Iterable[Work]) -> dict[str, Decimal]:
    asked: dict[str, Decimal] = {}
    for item in work:
        if item.skill is not None:
            asked[item.skill] = asked.get(item.skill, ZERO) + item.hours
    return asked


def day_fits(room: dict[frozenset[str], Decimal], asked: dict[str, Decimal]) -> bool:
    """Whether the technicians can do what is asked of each skill (the cut condition; work
    any technician can do counts against everyone's hours)."""
    return all(
        sum((asked.get(skill, ZERO) for skill in skills), ZERO)
        + (asked.get(ANY, ZERO) if skills == EVERY else ZERO)
        <= room[skills]
        for skills in SKILL_SETS
    )


def ends(workshop: Workshop, item: Work) -> datetime:
    """When the work is done, counted in working time."""
    return add_working_time(
        item.start, item.hours, workshop.working_hours, workshop.time_zone, workshop.calendar
    ).astimezone(workshop.zone)


def _at_work(workshop: Workshop, skill: str, moment: datetime) -> bool:
    return any(
        skill in t.skills and not any(a <= moment < b for a, b in t.absences)
        for t in workshop.technicians
    )


def _held(spans: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> int:
    """The most of ``spans`` that overlap at any moment of [start, end)."""
    spans = [(a, b) for a, b in spans if a < end and b > start]
    moments = {start} | {a for a, _ in spans if a > start}
    return max((sum(1 for a, b in spans if a <= m < b) for m in moments), default=0)


class Diary:
    """The workshop with what it already has to do, asked about one booking at a time."""

    def __init__(self, workshop: Workshop, work: Iterable[Work]):
        self.workshop = workshop
        self._ends: dict[tuple[datetime, Decimal], datetime] = {}
        self.by_day: dict[date, list[Work]] = {}
        self.spans: dict[date, list[tuple[Work, datetime, datetime]]] = {}
        """Each piece of work holding a bay or equipment, under every day it touches."""
        for item in work:
            start = item.start.astimezone(workshop.zone)
            self.by_day.setdefault(start.date(), []).append(item)
            if item.car or item.equipment:
                end = self.ends(item)
                day = start.date()
                while day <= end.date():
                    self.spans.setdefault(day, []).append((item, start, end))
                    day += timedelta(days=1)
        self._room: dict[date, dict] = {}
        self._held_cache: dict[tuple[date, date], dict] = {}

    def ends(self, item: Work) -> datetime:
        """``ends``, remembered: bookings share their starts and lengths."""
        key = (item.start, item.hours)
        if key not in self._ends:
            self._ends[key] = ends(self.workshop, item)
        return self._ends[key]

    def _held_on(self, start: datetime, end: datetime) -> dict[str | None, list]:
        """The spans of the days from ``start`` to ``end``: the cars' under None, each
        equipment's under its kind (worked out once per run of days)."""
        key = (start.date(), end.date())
        if key not in self._held_cache:
            found, day = {}, start.date()
            while day <= end.date():
                for span in self.spans.get(day, ()):
                    found[id(span[0])] = span
                day += timedelta(days=1)
            grouped: dict[str | None, list] = {None: []}
            for work, a, b in found.values():
                if work.car:
                    grouped[None].append((a, b))
                if work.equipment:
                    grouped.setdefault(work.equipment, []).append((a, b))
            self._held_cache[key] = grouped
        return self._held_cache[key]

    def room(self, day: date) -> dict[frozenset[str], Decimal]:
        if day not in self._room:
            self._room[day] = supply(self.workshop, day)
        return self._room[day]

    def skill_fits(self, day: date, skill: str, hours: Decimal) -> bool:
        asked = demand(self.by_day.get(day, []))
        asked[skill] = asked.get(skill, ZERO) + hours
        return day_fits(self.room(day), asked)

    def refusal(
        self, item: Work, *, waiter: bool = False, day_checked: bool = False
    ) -> Refusal | None:
        """Why ``item`` cannot be booked, or None when the workshop has room
        (``day_checked``: its day is known to have the skill's hours)."""
        return self.booking_refusal(
            item.start,
            [(item.hours, item.skill, item.equipment)],
            waiter=waiter,
            car=item.car,
            day_checked=day_checked,
        )

    def booking_refusal(
        self,
        start: datetime,
        parts: list[tuple[Decimal, str, str | None]],
        *,
        waiter: bool = False,
        car: bool = True,
        day_checked: bool = False,
    ) -> Refusal | None:
        """Why a car booked at ``start`` for ``parts`` (hours, skill, equipment of each job)
        cannot come then, or None: the car holds a bay for all the hours, each job its
        equipment for its own."""
        workshop = self.workshop
        start = start.astimezone(workshop.zone)
        day = start.date()
        if not parts or any(skill not in SKILLS for _, skill, _ in parts):
            return Refusal("skill", "Unknown skill.")
        if not any(a <= start < b for a, b in periods(workshop, day)):
            return Refusal("closed", "The workshop is closed then.")
        total = sum((hours for hours, _, _ in parts), ZERO)
        end = self.ends(Work(start, total, None))
        if waiter and end.date() != day:
            return Refusal("waiter", "A waiting customer's work must be done the same day.")
        if any(not _at_work(workshop, skill, start) for _, skill, _ in parts):
            return Refusal("technician", "No technician with the skill is at work then.")
        if not day_checked:
            asked = demand(self.by_day.get(day, []))
            for hours, skill, _ in parts:
                asked[skill] = asked.get(skill, ZERO) + hours
            if not day_fits(self.room(day), asked):
                return Refusal("hours", "The technicians with the skill are fully booked that day.")
        held = self._held_on(start, end)
        if car and _held(held[None], start, end) >= workshop.bays:
            return Refusal("bays", "Every bay is taken then.")
        for hours, _, kind in parts:
            if kind:
                count = workshop.equipment.get(kind, 0)
                until = self.ends(Work(start, hours, None))
                if count == 0 or _held(held.get(kind, []), start, until) >= count:
                    return Refusal("equipment", "The equipment the job needs is taken then.")
        return None

    def free_slots(
        self,
        first: date,
        days: int,
        hours: Decimal,
        skill: str,
        *,
        equipment: str | None = None,
        waiter: bool = False,
        after: datetime | None = None,
    ) -> list[tuple[date, list[tuple[datetime, datetime]]]]:
        """For each day from ``first``, the starts (on the half hour) where that much work of
        ``skill`` can begin, each with when it would be done."""
        return self.free_starts(
            first, days, [(hours, skill, equipment)], waiter=waiter, after=after
        )

    def free_starts(
        self,
        first: date,
        days: int,
        parts: list[tuple[Decimal, str, str | None]],
        *,
        waiter: bool = False,
        after: datetime | None = None,
    ) -> list[tuple[date, list[tuple[datetime, datetime]]]]:
        """For each day from ``first``, the starts (on the half hour) where a car with these
        jobs (hours, skill, equipment of each) can come, each with when it would be done."""
        total = sum((hours for hours, _, _ in parts), ZERO)
        found = []
        for offset in range(days):
            day = first + timedelta(days=offset)
            slots = []
            asked = demand(self.by_day.get(day, []))
            for hours, skill, _ in parts:
                asked[skill] = asked.get(skill, ZERO) + hours
            if periods(self.workshop, day) and day_fits(self.room(day), asked):
                for begin, end in periods(self.workshop, day):
                    moment = begin
                    while moment < end:
                        if (after is None or moment >= after) and self.booking_refusal(
                            moment, parts, waiter=waiter, day_checked=True
                        ) is None:
                            slots.append((moment, self.ends(Work(moment, total, None))))
                        moment += STEP
            found.append((day, slots))
        return found
