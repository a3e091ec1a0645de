"""Complaints: due half a working day after they come in, owned by their receiver."""

import pytest

from care import complaints as care
from care.models import Callback
from dealer.errors import DomainError, Forbidden
from dealer.extensions import db
from tests.care.visits import at, local, weekday_hours
from tests.factories import make_customer, make_user


def test_a_complaint_at_four_is_due_half_a_working_day_later_and_owned_by_its_receiver(app):
    weekday_hours()
    agent = make_user(roles=["callback"])
    other = make_user(roles=["advisor"])
    manager = make_user(roles=["manager"])
    customer = make_customer()
    complaint = care.raise_complaint(
        agent, customer, "Car returned dirty", channel="phone", now=at(2026, 11, 23, 16, 0)
    )
    assert local(complaint.first_reply_due) == at(2026, 11, 24, 11, 30)
    assert complaint.owner_id == agent.id
    assert not care.is_overdue(complaint, at(2026, 11, 24, 11, 29))
    assert care.is_overdue(complaint, at(2026, 11, 24, 11, 31))
    with pytest.raises(Forbidden):
        care.reply(other, complaint, "We are looking into it")
    with pytest.raises(DomainError) as no_reason:
        care.hand_over(agent, complaint, other, " ")
    assert no_reason.value.errors[0][0] == "reason"
    care.hand_over(agent, complaint, other, "Advisor of the visit")
    assert complaint.owner_id == other.id
    with pytest.raises(Forbidden):
        care.reply(agent, complaint, "Too late, it is not mine")
    care.reply(other, complaint, "Free valet next visit", now=at(2026, 11, 24, 9, 0))
    assert complaint.first_reply_at is not None
    assert not care.is_overdue(complaint, at(2026, 11, 25, 9, 0))
    with pytest.raises(DomainError):
        care.resolve(manager, complaint, root_cause="weather", resolution="")
    care.resolve(manager, complaint, root_cause="staff_attitude", resolution="Apologized")
    follow_up = db.session.query(Callback).filter_by(kind="complaint_follow_up").one()
    assert (
        follow_up.plan_key == f"complaint:{complaint.id}" and follow_up.customer_id == customer.id
    )
