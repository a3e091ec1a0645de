"""The work-order lifecycle, as tables: every allowed move of an order with its guard, which
operation may run in which order state and for which roles, and every allowed move of a job.

No requests or records here: the tables are data, the guards are pure functions of the
facts the services gather about an order, and each returns ``(ok, reason)``.
Only ``workorders.services.move_order`` writes an order's status, and only
``move_job`` a job's; each operation asks ``ACTIONS`` before it runs, and the
order page asks the same table (``allowed``) which forms to show.

    intake -> estimating -> awaiting_approval -> in_progress -> quality_check -> ready -> delivered
    estimating / awaiting_approval -> in_progress        (a job is authorized)
    in_progress -> awaiting_approval                      (new work to put to the customer)
    quality_check -> in_progress                          (QC failed: named jobs go back)
    estimating / awaiting_approval -> ready               (every job declined: hand the car back)
    any state before delivered -> cancelled               (with a reason)
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from dealer.roles import ADVISOR, INSPECTOR, MANAGER, PARTS, TECHNICIAN
from workorders.vocabulary import JobStatus, Status

DESK = frozenset({ADVISOR, MANAGER})


STEPS = (
    Status.INTAKE,
    Status.ESTIMATING,
    Status.AWAITING_APPROVAL,
    Status.IN_PROGRESS,
    Status.QUALITY_CHECK,
    Status.READY,
    Status.DELIVERED,
)
"""The way through the workshop, as the order page's step bar shows it (an order may go
back a step, or skip approval when the customer authorized at the desk)."""

OPEN_STATUSES = tuple(s.value for s in Status if s.is_open)
"""The states of an order still in the workshop, named one by one: a query on them then
reads the (site, status, ...) indexes instead of every order ever delivered."""


@dataclass(frozen=True)
class OrderFacts:
    """What the guards need to know about an order, gathered by the services."""

    inspection_recorded: bool = False
    inspection_acknowledged: bool = False
    jobs: int = 0
    pending: int = 0
    proposed: int = 0
    approved: int = 0
    declined: int = 0
    in_progress: int = 0
    done: int = 0
    qc_passed: bool = False
    reason_given: bool = False
    amount_due_paid: bool = False

    @property
    def authorized_work(self) -> int:
        """Jobs the customer said yes to, whatever their progress."""
        return self.approved + self.in_progress + self.done


Guard = Callable[[OrderFacts], tuple[bool, str]]


def N_(message: str) -> str:
    """Mark a reason for translation; the services translate it when they raise it."""
    return message


def always(facts: OrderFacts) -> tuple[bool, str]:
    return True, ""


def inspection_recorded(facts: OrderFacts) -> tuple[bool, str]:
    if not facts.inspection_recorded:
        return False, N_("Record the intake inspection first.")
    if not facts.inspection_acknowledged:
        return False, N_(
            "The customer acknowledges the intake record first (typed name or signature)."
        )
    return True, ""


def has_jobs(facts: OrderFacts) -> tuple[bool, str]:
    if facts.jobs - facts.declined == 0:
        return False, N_("Add at least one job to the estimate first.")
    return True, ""


def has_authorized_work(facts: OrderFacts) -> tuple[bool, str]:
    if facts.authorized_work == 0:
        return False, N_("No job is authorized by the customer yet.")
    return True, ""


def all_work_done(facts: OrderFacts) -> tuple[bool, str]:
    if facts.done == 0:
        return False, N_("No job is done yet.")
    if facts.approved or facts.in_progress:
        return False, N_("Every authorized job must be done first.")
    if facts.pending or facts.proposed:
        return False, N_("The customer must first decide on every pending or proposed job.")
    return True, ""


def qc_passed(facts: OrderFacts) -> tuple[bool, str]:
    if not facts.qc_passed:
        return False, N_("The final inspection has not passed.")
    return True, ""


def qc_failed(facts: OrderFacts) -> tuple[bool, str]:
    if facts.qc_passed:
        return False, N_("The final inspection passed.")
    return True, ""


def everything_declined(facts: OrderFacts) -> tuple[bool, str]:
    if facts.jobs == 0 or facts.declined != facts.jobs:
        return False, N_("Only an order whose every job was declined goes back without work.")
    return True, ""


def handover_ready(facts: OrderFacts) -> tuple[bool, str]:
    if facts.authorized_work and not facts.qc_passed:
        return False, N_("The final inspection has not passed.")
    if not facts.amount_due_paid:
        return False, N_("The payment recorded does not cover the amount due.")
    return True, ""


def reason_given(facts: OrderFacts) -> tuple[bool, str]:
    if not facts.reason_given:
        return False, N_("Give the reason for cancelling.")
    return True, ""


@dataclass(frozen=True)
class Transition:
    """One allowed move: who may make it and what must hold."""

    roles: frozenset[str]
    guard: Guard
    label: str


S = Status
TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (S.INTAKE, S.ESTIMATING): Transition(DESK, inspection_recorded, "start the estimate"),
    (S.ESTIMATING, S.AWAITING_APPROVAL): Transition(
        DESK, has_jobs, "put the estimate to the customer"
    ),
    (S.ESTIMATING, S.IN_PROGRESS): Transition(DESK, has_authorized_work, "start authorized work"),
    (S.AWAITING_APPROVAL, S.IN_PROGRESS): Transition(
        DESK, has_authorized_work, "start authorized work"
    ),
    (S.IN_PROGRESS, S.AWAITING_APPROVAL): Transition(
        DESK, has_jobs, "put new work to the customer"
    ),
    (S.IN_PROGRESS, S.QUALITY_CHECK): Transition(DESK, all_work_done, "send to final inspection"),
    (S.QUALITY_CHECK, S.READY): Transition(
        frozenset({INSPECTOR, MANAGER}), qc_passed, "pass final inspection"
    ),
    (S.QUALITY_CHECK, S.IN_PROGRESS): Transition(
        frozenset({INSPECTOR, MANAGER}), qc_failed, "fail final inspection"
    ),
    (S.ESTIMATING, S.READY): Transition(DESK, everything_declined, "hand back without work"),
    (S.AWAITING_APPROVAL, S.READY): Transition(DESK, everything_declined, "hand back without work"),
    (S.READY, S.DELIVERED): Transition(DESK, handover_ready, "hand over"),
    **{
        (state, S.CANCELLED): Transition(DESK, reason_given, "cancel")
        for state in (
            S.INTAKE,
            S.ESTIMATING,
            S.AWAITING_APPROVAL,
            S.IN_PROGRESS,
            S.QUALITY_CHECK,
            S.READY,
        )
    },
}


def check_move(
    current: Status, target: Status, roles: frozenset[str] | set[str], facts: OrderFacts
) -> tuple[bool, str]:
    """Whether ``roles`` may move an order from ``current`` to ``target`` given ``facts``."""
    transition = TRANSITIONS.get((current, target))
    if transition is None:
        return False, N_("The order cannot make this move from its present state.")
    if transition.roles.isdisjoint(roles):
        return False, N_("Your roles do not allow this move.")
    return transition.guard(facts)


def next_moves(current: Status) -> list[Status]:
    """The states an order may go to from ``current``."""
    return [target for (source, target) in TRANSITIONS if source == current]


WORKABLE_JOB_STATES = frozenset({JobStatus.APPROVED, JobStatus.IN_PROGRESS})


def job_can_start(job_status: JobStatus, order_status: Status) -> tuple[bool, str]:
    """Whether work may start on a job: it is authorized and the order is open for work."""
    if job_status not in WORKABLE_JOB_STATES:
        if job_status is JobStatus.PROPOSED or job_status is JobStatus.PENDING:
            return False, N_("The customer has not authorized this job.")
        return False, N_("This job cannot be worked on in its present state.")
    if order_status not in (S.ESTIMATING, S.AWAITING_APPROVAL, S.IN_PROGRESS):
        return False, N_("No work is done on an order in this state.")
    return True, ""


# --- which operation may run in which order state ----------------------------------------


class Action(StrEnum):
    """What may be done to an order; ``ACTIONS`` says in which states and by whom."""

    EDIT = "edit"
    RECORD_INTAKE = "record_intake"
    ADD_PHOTO = "add_photo"
    ADD_JOB = "add_job"
    ADD_PARTS = "add_parts"
    DECIDE_PART_REQUEST = "decide_part_request"
    RETURN_PARTS = "return_parts"
    ADD_DISCOUNT = "add_discount"
    PULL_BOOKED_WORK = "pull_booked_work"
    AUTHORIZE = "authorize"
    START_DIAGNOSIS = "start_diagnosis"
    CHANGE_JOB = "change_job"
    QUALITY_CHECK = "quality_check"
    NOTIFY = "notify"
    RECORD_PAYMENT = "record_payment"
    HAND_OVER = "hand_over"
    OPEN_COMEBACK = "open_comeback"


@dataclass(frozen=True)
class Allowed:
    """The states in which an action may run, the roles that may run it, and what the desk is
    told when the state does not allow it."""

    states: frozenset[Status]
    roles: frozenset[str]
    refusal: str


OPEN = frozenset(s for s in Status if s.is_open)
BEFORE_INSPECTION = frozenset({S.INTAKE, S.ESTIMATING, S.AWAITING_APPROVAL, S.IN_PROGRESS})
BEING_WORKED_ON = frozenset({S.ESTIMATING, S.AWAITING_APPROVAL, S.IN_PROGRESS})
CLOSED_ORDER = N_("A closed order cannot be changed.")

ACTIONS: dict[Action, Allowed] = {
    Action.EDIT: Allowed(OPEN, DESK, CLOSED_ORDER),
    Action.RECORD_INTAKE: Allowed(
        frozenset({S.INTAKE, S.ESTIMATING}),
        DESK,
        N_("The intake record is closed once the estimate goes to the customer."),
    ),
    Action.ADD_PHOTO: Allowed(OPEN, DESK, CLOSED_ORDER),
    Action.ADD_JOB: Allowed(
        BEFORE_INSPECTION,
        DESK | {TECHNICIAN},
        N_("Jobs are added only before the final inspection."),
    ),
    Action.ADD_PARTS: Allowed(
        BEFORE_INSPECTION,
        DESK | {TECHNICIAN, PARTS},
        N_("Parts are added only before the final inspection."),
    ),
    Action.DECIDE_PART_REQUEST: Allowed(OPEN, DESK, CLOSED_ORDER),
    Action.RETURN_PARTS: Allowed(OPEN, frozenset({PARTS, MANAGER}), CLOSED_ORDER),
    Action.ADD_DISCOUNT: Allowed(OPEN, DESK, CLOSED_ORDER),
    Action.PULL_BOOKED_WORK: Allowed(
        BEFORE_INSPECTION, DESK, N_("Jobs are added only before the final inspection.")
    ),
    Action.AUTHORIZE: Allowed(
        BEING_WORKED_ON,
        DESK,
        N_("The customer authorizes work only while the order is being estimated or worked on."),
    ),
    Action.START_DIAGNOSIS: Allowed(
        BEING_WORKED_ON,
        frozenset({TECHNICIAN, MANAGER}),
        N_("Diagnosis starts once the order is being estimated."),
    ),
    Action.CHANGE_JOB: Allowed(
        OPEN,
        DESK | {TECHNICIAN},
        N_("The order is closed: its jobs and findings are kept as they were."),
    ),
    Action.QUALITY_CHECK: Allowed(
        frozenset({S.QUALITY_CHECK}),
        frozenset({INSPECTOR, MANAGER}),
        N_("The order is not waiting for its final inspection."),
    ),
    Action.NOTIFY: Allowed(frozenset({S.READY}), DESK, N_("The car is not ready yet.")),
    Action.RECORD_PAYMENT: Allowed(
        frozenset(s for s in Status if s is not S.CANCELLED), DESK, CLOSED_ORDER
    ),
    Action.HAND_OVER: Allowed(
        frozenset({S.READY}), DESK, N_("The car can be handed over only when it is ready.")
    ),
    Action.OPEN_COMEBACK: Allowed(
        frozenset({S.DELIVERED}), DESK, N_("Only a delivered order can have a comeback.")
    ),
}


def check_action(
    action: Action, state: Status, roles: frozenset[str] | set[str]
) -> tuple[bool, str]:
    """Whether ``roles`` may run ``action`` on an order in ``state``; the reason if not."""
    rule = ACTIONS[action]
    if rule.roles.isdisjoint(roles):
        return False, N_("Your roles do not allow this.")
    if state not in rule.states:
        return False, rule.refusal
    return True, ""


def allowed(state: Status, roles: frozenset[str] | set[str]) -> frozenset[Action]:
    """Every action ``roles`` may run on an order in ``state`` (the order page's forms)."""
    return frozenset(
        a for a, rule in ACTIONS.items() if state in rule.states and rule.roles & roles
    )


# --- a job's moves ------------------------------------------------------------------------

J = JobStatus
JOB_TRANSITIONS: dict[tuple[JobStatus, JobStatus], str] = {
    (J.PENDING, J.APPROVED): "authorized (or a diagnosis within the not-to-exceed ceiling)",
    (J.PENDING, J.DECLINED): "declined by the customer",
    (J.PROPOSED, J.APPROVED): "authorized, or approved within the authorized amount",
    (J.PROPOSED, J.DECLINED): "declined by the customer",
    (J.APPROVED, J.IN_PROGRESS): "a technician clocks on",
    (J.IN_PROGRESS, J.IN_PROGRESS): "a technician clocks on again",
    (J.APPROVED, J.DONE): "completed (no time clocked, with the reason recorded)",
    (J.IN_PROGRESS, J.DONE): "completed",
    (J.DONE, J.APPROVED): "failed at the final inspection: back to work",
}
"""Every allowed move of a job, with what makes it; a clock-off leaves a job in progress."""


def check_job_move(current: JobStatus, target: JobStatus) -> tuple[bool, str]:
    """Whether a job may move from ``current`` to ``target``."""
    if (current, target) not in JOB_TRANSITIONS:
        return False, N_("The job cannot make this move from its present state.")
    return True, ""
