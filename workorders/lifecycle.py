"""The work-order lifecycle: every allowed move in one table, with its guard.

No Flask here: the table is data, the guards are pure functions of the
facts the services gather about an order, and each returns ``(ok, reason)``.
Only ``workorders.services.move_order`` writes an order's status.

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

ADVISOR, TECHNICIAN, INSPECTOR, MANAGER = "advisor", "technician", "inspector", "manager"
DESK = frozenset({ADVISOR, MANAGER})


class Status(StrEnum):
    """A work order's state, with its display label and badge class."""

    INTAKE = "intake"
    ESTIMATING = "estimating"
    AWAITING_APPROVAL = "awaiting_approval"
    IN_PROGRESS = "in_progress"
    QUALITY_CHECK = "quality_check"
    READY = "ready"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"

    @property
    def badge(self) -> str:
        return {
            "intake": "text-bg-secondary",
            "estimating": "text-bg-info",
            "awaiting_approval": "text-bg-warning",
            "in_progress": "text-bg-primary",
            "quality_check": "text-bg-dark",
            "ready": "text-bg-success",
            "delivered": "text-bg-light",
            "cancelled": "text-bg-danger",
        }[self.value]

    @property
    def is_open(self) -> bool:
        return self not in (Status.DELIVERED, Status.CANCELLED)


OPEN_STATUSES = tuple(s.value for s in Status if s.is_open)
"""The states of an order still in the workshop, named one by one: a query on them then
reads the (site, status, ...) indexes instead of every order ever delivered."""


class JobStatus(StrEnum):
    """A job's state."""

    PENDING = "pending"
    PROPOSED = "proposed"
    APPROVED = "approved"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    DONE = "done"


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
        return False, N_("record the intake inspection first")
    if not facts.inspection_acknowledged:
        return False, N_(
            "the customer acknowledges the intake record first (typed name or signature)"
        )
    return True, ""


def has_jobs(facts: OrderFacts) -> tuple[bool, str]:
    if facts.jobs - facts.declined == 0:
        return False, N_("add at least one job to the estimate first")
    return True, ""


def has_authorized_work(facts: OrderFacts) -> tuple[bool, str]:
    if facts.authorized_work == 0:
        return False, N_("no job is authorized by the customer yet")
    return True, ""


def all_work_done(facts: OrderFacts) -> tuple[bool, str]:
    if facts.done == 0:
        return False, N_("no job is done yet")
    if facts.approved or facts.in_progress:
        return False, N_("every authorized job must be done first")
    if facts.pending or facts.proposed:
        return False, N_("the customer must first decide on every pending or proposed job")
    return True, ""


def qc_passed(facts: OrderFacts) -> tuple[bool, str]:
    if not facts.qc_passed:
        return False, N_("the final inspection has not passed")
    return True, ""


def qc_failed(facts: OrderFacts) -> tuple[bool, str]:
    if facts.qc_passed:
        return False, N_("the final inspection passed")
    return True, ""


def everything_declined(facts: OrderFacts) -> tuple[bool, str]:
    if facts.jobs == 0 or facts.declined != facts.jobs:
        return False, N_("only an order whose every job was declined goes back without work")
    return True, ""


def handover_ready(facts: OrderFacts) -> tuple[bool, str]:
    if facts.authorized_work and not facts.qc_passed:
        return False, N_("the final inspection has not passed")
    if not facts.amount_due_paid:
        return False, N_("the payment recorded does not cover the amount due")
    return True, ""


def reason_given(facts: OrderFacts) -> tuple[bool, str]:
    if not facts.reason_given:
        return False, N_("give the reason for cancelling")
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
        return False, N_("the order cannot make this move from its present state")
    if transition.roles.isdisjoint(roles):
        return False, N_("your roles do not allow this move")
    return transition.guard(facts)


def next_moves(current: Status) -> list[Status]:
    """The states an order may go to from ``current``."""
    return [target for (source, target) in TRANSITIONS if source == current]


WORKABLE_JOB_STATES = frozenset({JobStatus.APPROVED, JobStatus.IN_PROGRESS})


def job_can_start(job_status: JobStatus, order_status: Status) -> tuple[bool, str]:
    """Whether work may start on a job: it is authorized and the order is open for work."""
    if job_status not in WORKABLE_JOB_STATES:
        if job_status is JobStatus.PROPOSED or job_status is JobStatus.PENDING:
            return False, N_("the customer has not authorized this job")
        return False, N_("this job cannot be worked on in its present state")
    if order_status not in (S.ESTIMATING, S.AWAITING_APPROVAL, S.IN_PROGRESS):
        return False, N_("no work is done on an order in this state")
    return True, ""
