"""The order page's sections and its one primary action, decided from the lifecycle's table."""

import pytest

from dealer.roles import ADVISOR, CALLBACK, INSPECTOR, MANAGER, PARTS, TECHNICIAN
from workorders.lifecycle import Action, Status, allowed
from workorders.workspace import HOME_OF, PageFacts, Primary, Section, workspace

ROLES = (ADVISOR, TECHNICIAN, INSPECTOR, PARTS, CALLBACK, MANAGER)


def facts(state: Status, role: str, **more) -> PageFacts:
    return PageFacts(state=state, can=allowed(state, {role}), **more)


def test_a_new_order_opens_on_the_walk_around_for_the_desk():
    space = workspace(facts(Status.INTAKE, ADVISOR))
    assert space.primary is Primary.INTAKE and space.active is Section.INTAKE
    assert workspace(facts(Status.INTAKE, PARTS)).primary is None


def test_an_estimate_without_jobs_asks_for_a_job_then_for_the_customer():
    assert workspace(facts(Status.ESTIMATING, ADVISOR)).primary is Primary.ADD_JOB
    sent = workspace(
        facts(Status.ESTIMATING, ADVISOR, jobs=2, decisions=2, moves=(Status.AWAITING_APPROVAL,))
    )
    assert sent.primary is Primary.MOVE and sent.move is Status.AWAITING_APPROVAL
    assert sent.active is Section.JOBS
    assert Section.DECISION in sent.sections


def test_the_customer_decision_comes_first_while_work_waits_for_it():
    waiting = workspace(facts(Status.AWAITING_APPROVAL, ADVISOR, jobs=2, decisions=2))
    assert waiting.primary is Primary.AUTHORIZE and waiting.active is Section.DECISION
    found = workspace(
        facts(Status.IN_PROGRESS, ADVISOR, jobs=2, decisions=1, moves=(Status.AWAITING_APPROVAL,))
    )
    assert found.primary is Primary.AUTHORIZE
    worked = workspace(facts(Status.IN_PROGRESS, ADVISOR, jobs=2, authorizations=1))
    assert worked.primary is None and worked.active is Section.JOBS
    assert Section.DECISION in worked.sections


def test_final_inspection_is_the_inspectors_and_never_by_one_who_worked_on_the_car():
    assert workspace(facts(Status.QUALITY_CHECK, INSPECTOR)).primary is Primary.PASS
    assert workspace(facts(Status.QUALITY_CHECK, INSPECTOR)).active is Section.INSPECTION
    worked = workspace(facts(Status.QUALITY_CHECK, INSPECTOR, inspector_worked=True))
    assert worked.primary is None and worked.active is Section.INSPECTION
    assert workspace(facts(Status.QUALITY_CHECK, ADVISOR)).primary is None
    assert Section.INSPECTION not in workspace(facts(Status.QUALITY_CHECK, ADVISOR)).sections


def test_a_ready_car_opens_on_the_handover():
    space = workspace(facts(Status.READY, ADVISOR, jobs=1, quality_checks=1))
    assert space.primary is Primary.HAND_OVER and space.active is Section.PAYMENT
    assert workspace(facts(Status.READY, TECHNICIAN)).primary is None


def test_closed_orders_offer_no_next_step():
    assert workspace(facts(Status.DELIVERED, ADVISOR, jobs=1)).primary is None
    cancelled = workspace(facts(Status.CANCELLED, ADVISOR))
    assert cancelled.primary is None and cancelled.active is Section.HISTORY


def test_a_section_asked_for_opens_when_the_user_has_it_and_is_ignored_when_not():
    base = facts(Status.AWAITING_APPROVAL, ADVISOR, jobs=1, decisions=1)
    assert workspace(base, "history").active is Section.HISTORY
    assert workspace(base, "jobs").primary is Primary.AUTHORIZE
    assert workspace(facts(Status.INTAKE, TECHNICIAN), "payment").active is Section.JOBS
    assert workspace(base, "<script>").active is Section.DECISION


@pytest.mark.parametrize("state", list(Status))
@pytest.mark.parametrize("role", ROLES)
def test_the_primary_action_is_one_the_table_allows_in_a_section_the_user_sees(state, role):
    for decisions in (0, 1):
        space = workspace(facts(state, role, jobs=1, decisions=decisions))
        assert space.active in space.sections
        needs = {
            Primary.INTAKE: Action.RECORD_INTAKE,
            Primary.ADD_JOB: Action.ADD_JOB,
            Primary.AUTHORIZE: Action.AUTHORIZE,
            Primary.PASS: Action.QUALITY_CHECK,
            Primary.HAND_OVER: Action.HAND_OVER,
        }
        if space.primary in needs:
            assert needs[space.primary] in allowed(state, {role})
        if space.primary is not None:
            assert HOME_OF[space.primary] in space.sections
