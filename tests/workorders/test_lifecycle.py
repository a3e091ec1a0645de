"""The transition table and its guards, without an app or a database."""

import pytest

from workorders.lifecycle import (
    TRANSITIONS,
    JobStatus,
    OrderFacts,
    Status,
    check_move,
    job_can_start,
    next_moves,
)

S = Status
DESK = {"advisor"}
QC = {"inspector"}


def facts(**kwargs) -> OrderFacts:
    return OrderFacts(**kwargs)


def test_every_state_but_delivered_and_cancelled_can_be_cancelled_with_a_reason():
    for state in Status:
        allowed = (state, S.CANCELLED) in TRANSITIONS
        assert allowed == state.is_open
        if allowed:
            assert check_move(state, S.CANCELLED, DESK, facts(reason_given=True)) == (True, "")
            ok, why = check_move(state, S.CANCELLED, DESK, facts())
            assert not ok and "reason" in why


def test_moves_not_in_the_table_are_refused():
    ok, why = check_move(S.INTAKE, S.DELIVERED, {"manager"}, facts())
    assert not ok and "cannot make this move" in why
    assert check_move(S.DELIVERED, S.IN_PROGRESS, {"manager"}, facts())[0] is False
    assert check_move(S.CANCELLED, S.INTAKE, {"manager"}, facts())[0] is False


def test_roles_are_part_of_the_rule():
    done = facts(inspection_recorded=True, inspection_acknowledged=True)
    assert check_move(S.INTAKE, S.ESTIMATING, {"technician"}, done)[0] is False
    assert check_move(S.INTAKE, S.ESTIMATING, {"advisor"}, done) == (True, "")
    passed = facts(qc_passed=True, done=1, jobs=1)
    assert check_move(S.QUALITY_CHECK, S.READY, DESK, passed)[0] is False
    assert check_move(S.QUALITY_CHECK, S.READY, QC, passed) == (True, "")


def test_estimate_needs_an_inspection_then_jobs():
    assert "intake inspection" in check_move(S.INTAKE, S.ESTIMATING, DESK, facts())[1]
    unacknowledged = facts(inspection_recorded=True)
    assert "acknowledges" in check_move(S.INTAKE, S.ESTIMATING, DESK, unacknowledged)[1]
    assert "at least one job" in check_move(S.ESTIMATING, S.AWAITING_APPROVAL, DESK, facts())[1]
    assert (
        "at least one job"
        in check_move(S.ESTIMATING, S.AWAITING_APPROVAL, DESK, facts(jobs=1, declined=1))[1]
    )
    assert check_move(S.ESTIMATING, S.AWAITING_APPROVAL, DESK, facts(jobs=1, pending=1))[0]


def test_work_starts_only_on_authorized_jobs():
    pending = facts(jobs=2, pending=2)
    for source in (S.ESTIMATING, S.AWAITING_APPROVAL):
        assert "No job is authorized" in check_move(source, S.IN_PROGRESS, DESK, pending)[1]
        assert check_move(source, S.IN_PROGRESS, DESK, facts(jobs=2, approved=1, declined=1))[0]


def test_quality_check_needs_every_authorized_job_done_and_nothing_undecided():
    assert (
        "No job is done"
        in check_move(S.IN_PROGRESS, S.QUALITY_CHECK, DESK, facts(jobs=1, approved=1))[1]
    )
    busy = facts(jobs=2, done=1, in_progress=1)
    assert "Every authorized job" in check_move(S.IN_PROGRESS, S.QUALITY_CHECK, DESK, busy)[1]
    undecided = facts(jobs=2, done=1, proposed=1)
    assert "decide" in check_move(S.IN_PROGRESS, S.QUALITY_CHECK, DESK, undecided)[1]
    ready = facts(jobs=3, done=2, declined=1)
    assert check_move(S.IN_PROGRESS, S.QUALITY_CHECK, DESK, ready) == (True, "")


def test_qc_pass_and_fail():
    assert check_move(S.QUALITY_CHECK, S.READY, QC, facts(qc_passed=False))[0] is False
    assert check_move(S.QUALITY_CHECK, S.IN_PROGRESS, QC, facts(qc_passed=False)) == (True, "")
    assert check_move(S.QUALITY_CHECK, S.IN_PROGRESS, QC, facts(qc_passed=True))[0] is False


def test_all_declined_goes_back_without_work():
    declined = facts(jobs=2, declined=2)
    for source in (S.ESTIMATING, S.AWAITING_APPROVAL):
        assert check_move(source, S.READY, DESK, declined) == (True, "")
        assert check_move(source, S.READY, DESK, facts(jobs=2, declined=1, approved=1))[0] is False
    assert check_move(S.IN_PROGRESS, S.READY, DESK, declined)[0] is False


def test_handover_needs_qc_for_work_done_and_the_money():
    worked = facts(jobs=1, done=1, qc_passed=True, amount_due_paid=False)
    assert "payment" in check_move(S.READY, S.DELIVERED, DESK, worked)[1]
    assert check_move(
        S.READY, S.DELIVERED, DESK, facts(jobs=1, done=1, qc_passed=True, amount_due_paid=True)
    )[0]
    unchecked = facts(jobs=1, done=1, qc_passed=False, amount_due_paid=True)
    assert "final inspection" in check_move(S.READY, S.DELIVERED, DESK, unchecked)[1]
    nothing_done = facts(jobs=1, declined=1, amount_due_paid=True)
    assert check_move(S.READY, S.DELIVERED, DESK, nothing_done) == (True, "")


def test_next_moves_read_from_the_table():
    assert set(next_moves(S.QUALITY_CHECK)) == {S.READY, S.IN_PROGRESS, S.CANCELLED}
    assert next_moves(S.DELIVERED) == []


@pytest.mark.parametrize(
    ("job", "order", "ok"),
    [
        (JobStatus.APPROVED, S.ESTIMATING, True),
        (JobStatus.APPROVED, S.AWAITING_APPROVAL, True),
        (JobStatus.IN_PROGRESS, S.IN_PROGRESS, True),
        (JobStatus.PROPOSED, S.IN_PROGRESS, False),
        (JobStatus.PENDING, S.ESTIMATING, False),
        (JobStatus.DECLINED, S.IN_PROGRESS, False),
        (JobStatus.DONE, S.IN_PROGRESS, False),
        (JobStatus.APPROVED, S.QUALITY_CHECK, False),
        (JobStatus.APPROVED, S.INTAKE, False),
    ],
)
def test_which_jobs_can_be_worked_on(job, order, ok):
    assert job_can_start(job, order)[0] is ok


# --- the table of allowed actions ---------------------------------------------------------

from workorders.lifecycle import (  # noqa: E402
    ACTIONS,
    JOB_TRANSITIONS,
    Action,
    allowed,
    check_action,
    check_job_move,
)

MANAGER = {"manager"}


def test_every_action_has_its_states_roles_and_a_reason():
    assert set(ACTIONS) == set(Action)
    for rule in ACTIONS.values():
        assert rule.states and rule.roles and rule.refusal


def test_a_closed_order_takes_no_change_but_a_payment_after_delivery():
    assert allowed(S.CANCELLED, MANAGER) == frozenset()
    assert allowed(S.DELIVERED, MANAGER) == {Action.RECORD_PAYMENT, Action.OPEN_COMEBACK}


def test_the_desk_at_a_ready_car_tells_the_customer_and_hands_over():
    ready = allowed(S.READY, DESK)
    assert {Action.NOTIFY, Action.HAND_OVER, Action.RECORD_PAYMENT} <= ready
    assert Action.ADD_JOB not in ready and Action.QUALITY_CHECK not in ready
    assert allowed(S.READY, {"technician"}) == {Action.CHANGE_JOB}


def test_the_final_inspection_is_the_inspectors_alone():
    assert allowed(S.QUALITY_CHECK, QC) == {Action.QUALITY_CHECK}
    assert Action.QUALITY_CHECK not in allowed(S.QUALITY_CHECK, DESK)
    assert check_action(Action.QUALITY_CHECK, S.READY, QC) == (
        False,
        "The order is not waiting for its final inspection.",
    )


def test_roles_are_checked_before_states():
    ok, why = check_action(Action.HAND_OVER, S.INTAKE, QC)
    assert not ok and "roles" in why
    ok, why = check_action(Action.HAND_OVER, S.INTAKE, DESK)
    assert not ok and "ready" in why


@pytest.mark.parametrize("state", [S.INTAKE, S.ESTIMATING, S.AWAITING_APPROVAL, S.IN_PROGRESS])
def test_work_is_added_until_the_final_inspection(state):
    for action in (Action.ADD_JOB, Action.ADD_PARTS, Action.PULL_BOOKED_WORK):
        assert action in allowed(state, DESK)


# --- a job's moves -----------------------------------------------------------------------


def test_a_job_moves_only_as_the_table_says():
    J = JobStatus
    assert check_job_move(J.APPROVED, J.IN_PROGRESS) == (True, "")
    assert check_job_move(J.DONE, J.APPROVED)[0]
    for current, target in [
        (J.DECLINED, J.APPROVED),
        (J.DONE, J.IN_PROGRESS),
        (J.PENDING, J.DONE),
        (J.PROPOSED, J.IN_PROGRESS),
    ]:
        assert (current, target) not in JOB_TRANSITIONS
        assert check_job_move(current, target)[0] is False
