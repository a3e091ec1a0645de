"""The order page as a workspace: which sections it has for the user, which one opens, and
the one action the page offers as the next step.

Pure functions of the order's state, what the lifecycle's table of actions allows the user
(``lifecycle.allowed``), and a few facts the page already has; the template only draws
what this decides.
"""

from dataclasses import dataclass
from enum import StrEnum

from workorders.lifecycle import STEPS, Action, Status


class Section(StrEnum):
    """The order page's tabs, in the order the car goes through them."""

    INTAKE = "intake"
    JOBS = "jobs"
    DECISION = "decision"
    INSPECTION = "inspection"
    PAYMENT = "payment"
    HISTORY = "history"


class Primary(StrEnum):
    """The next step the page offers as its one primary button."""

    INTAKE = "intake"
    ADD_JOB = "add_job"
    MOVE = "move"
    AUTHORIZE = "authorize"
    PASS = "pass"
    HAND_OVER = "hand_over"


@dataclass(frozen=True)
class PageFacts:
    """What the order page knows that decides its sections."""

    state: Status
    can: frozenset[Action]
    moves: tuple[Status, ...] = ()
    jobs: int = 0
    decisions: int = 0
    authorizations: int = 0
    quality_checks: int = 0
    payments: int = 0
    inspector_worked: bool = False


@dataclass(frozen=True)
class Workspace:
    sections: tuple[Section, ...]
    active: Section
    primary: Primary | None
    move: Status | None = None
    """The move the primary button makes, when the primary is a move."""


HOME_OF = {
    Primary.INTAKE: Section.INTAKE,
    Primary.ADD_JOB: Section.JOBS,
    Primary.MOVE: Section.JOBS,
    Primary.AUTHORIZE: Section.DECISION,
    Primary.PASS: Section.INSPECTION,
    Primary.HAND_OVER: Section.PAYMENT,
}
"""The section that holds each primary action's form."""


def sections(facts: PageFacts) -> tuple[Section, ...]:
    """The tabs the user sees: those with something to do or something already recorded."""
    shown = [Section.INTAKE, Section.JOBS]
    if (Action.AUTHORIZE in facts.can and facts.decisions) or facts.authorizations:
        shown.append(Section.DECISION)
    if Action.QUALITY_CHECK in facts.can or facts.quality_checks:
        shown.append(Section.INSPECTION)
    if {Action.RECORD_PAYMENT, Action.HAND_OVER} & facts.can or facts.payments:
        shown.append(Section.PAYMENT)
    shown.append(Section.HISTORY)
    return tuple(shown)


def primary(facts: PageFacts) -> tuple[Primary | None, Status | None]:
    """The one next step for this user, if the order waits on them."""
    can, state = facts.can, facts.state
    if state == Status.INTAKE and Action.RECORD_INTAKE in can:
        return Primary.INTAKE, None
    if Action.AUTHORIZE in can and facts.decisions and state != Status.ESTIMATING:
        return Primary.AUTHORIZE, None
    if state == Status.QUALITY_CHECK:
        if Action.QUALITY_CHECK in can and not facts.inspector_worked:
            return Primary.PASS, None
        return None, None
    if Action.HAND_OVER in can:
        return Primary.HAND_OVER, None
    onward = [
        target
        for target in facts.moves
        if target in STEPS
        and state in STEPS
        and STEPS.index(target) > STEPS.index(state)
        and (target != Status.AWAITING_APPROVAL or facts.decisions)
    ]
    if onward:
        return Primary.MOVE, onward[0]
    if state == Status.ESTIMATING and Action.ADD_JOB in can and not facts.jobs:
        return Primary.ADD_JOB, None
    return None, None


def workspace(facts: PageFacts, asked: str | None = None) -> Workspace:
    """The page's sections, the one open (``asked`` when it is one of them, else where the
    next step is), and the primary action."""
    shown = sections(facts)
    action, move = primary(facts)
    if asked in shown:
        active = Section(asked)
    elif action is not None:
        active = HOME_OF[action]
    elif Section.INSPECTION in shown and facts.state == Status.QUALITY_CHECK:
        active = Section.INSPECTION
    elif facts.state == Status.CANCELLED:
        active = Section.HISTORY
    else:
        active = Section.JOBS
    return Workspace(shown, active, action, move)
