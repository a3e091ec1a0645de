"""Row locks: an operation takes a row's lock by reading it once, and a lock lasts as long
as its transaction."""

from dealer.database import LOCKED, get_locked, lock
from dealer.extensions import db
from tests.conftest import csrf_token, sign_in
from tests.customers.test_queries import counted
from tests.factories import make_authorized_job, make_user
from workorders import services as wo
from workorders.models import Job


def test_a_row_is_read_under_its_lock_once_per_transaction(app):
    advisor = make_user(roles=["advisor"])
    _, job = make_authorized_job(advisor=advisor)
    db.session.commit()
    with counted() as first:
        lock(job)
    with counted() as again:
        lock(job)
    assert any("FROM jobs" in s for s in first)
    assert not any("FROM jobs" in s for s in again)
    db.session.commit()
    assert LOCKED not in db.session.info
    with counted() as after_commit:
        lock(job)
    assert any("FROM jobs" in s for s in after_commit)
    db.session.rollback()


def test_a_record_read_with_its_lock_is_not_read_again_by_the_operation(app):
    advisor = make_user(roles=["advisor"])
    _, job = make_authorized_job(advisor=advisor)
    db.session.commit()
    job_id = job.id
    db.session.expunge_all()
    with counted() as statements:
        found = get_locked(Job, job_id)
        lock(found)
    assert sum("FROM jobs" in s for s in statements) == 1
    assert get_locked(Job, 10**6) is None
    db.session.rollback()


def test_clocking_on_reads_the_job_once(app):
    advisor = make_user(roles=["advisor"])
    technician = make_user(roles=["technician"])
    _, job = make_authorized_job(advisor=advisor)
    wo.assign_job(advisor, job, technician)
    db.session.commit()
    client = app.test_client()
    sign_in(client, technician.username)
    token = csrf_token(client, "/board")
    job_id = job.id
    with counted() as statements:
        response = client.post(f"/jobs/{job_id}/clock-on", data={"csrf_token": token})
    assert response.status_code == 302
    assert sum("FROM jobs" in s and "jobs.id = " in s for s in statements) == 1
    db.session.expire_all()
    assert db.session.get(Job, job_id).status == "in_progress"
