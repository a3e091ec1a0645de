"""Staff, sessions, tokens and the audit log are per site: a manager of one branch cannot
reach another branch's people or read its log."""

import pytest

from dealer import services
from dealer.errors import DomainError, Forbidden
from dealer.extensions import db
from dealer.models import AuditEntry, Site, User
from tests.conftest import csrf_token
from tests.factories import PASSWORD, make_customer, make_user


def other_site_user() -> User:
    services.default_site()
    site = Site(code="B2", name="Branch 2")
    db.session.add(site)
    db.session.flush()
    services.settings_for(site.id)
    user = services.create_user(
        None,
        username="branch2-advisor",
        password=PASSWORD,
        data=services.StaffInput(full_name="Branch Two", roles=["advisor"]),
        site=site,
    )
    db.session.commit()
    return user


def test_a_manager_cannot_touch_staff_of_another_site(app, client, login):
    stranger = other_site_user()
    generation, password_hash = stranger.session_generation, stranger.password_hash
    login("manager")
    token = csrf_token(client, "/staff")
    assert client.get(f"/staff/{stranger.id}").status_code == 404
    for action in ("end-sessions", "deactivate", "revoke-tokens"):
        response = client.post(f"/staff/{stranger.id}/{action}", data={"csrf_token": token})
        assert response.status_code == 404
    response = client.post(
        f"/staff/{stranger.id}/password",
        data={
            "csrf_token": token,
            "password": "a-new-long-secret-1",
            "confirm": "a-new-long-secret-1",
        },
    )
    assert response.status_code == 404
    db.session.refresh(stranger)
    assert (stranger.session_generation, stranger.password_hash) == (generation, password_hash)
    assert stranger.active
    listing = client.get("/staff?q=branch").get_data(as_text=True)
    assert "branch2-advisor" not in listing


def test_the_operations_refuse_a_manager_of_another_site(app):
    stranger = other_site_user()
    manager = make_user(roles=["manager"])
    for operation in (
        lambda: services.end_sessions(manager, stranger),
        lambda: services.reset_password(manager, stranger, "a-new-long-secret-1"),
        lambda: services.set_active(manager, stranger, False),
        lambda: services.revoke_tokens(stranger, actor=manager),
    ):
        with pytest.raises(Forbidden):
            operation()


def test_the_audit_log_shows_only_the_managers_site(app, client, login, token_for):
    stranger = other_site_user()
    ours = make_customer(name="Our Customer")
    manager = login("manager")
    page = client.get("/audit").get_data(as_text=True)
    assert f"/staff/{stranger.id}" not in page
    entries = db.session.query(AuditEntry).filter(AuditEntry.entity == "user").all()
    assert {e.site_id for e in entries if e.entity_id == stranger.id} == {stranger.site_id}
    assert {e.site_id for e in entries if e.entity_id == manager.id} == {manager.site_id}
    headers = token_for("manager")
    items = client.get("/api/v1/audit?entity=user&per_page=100", headers=headers).get_json()[
        "items"
    ]
    ids = {item["entity_id"] for item in items}
    assert manager.id in ids and stranger.id not in ids
    customers = client.get("/api/v1/audit?entity=customer", headers=headers).get_json()["items"]
    assert [c["entity_id"] for c in customers] == [ours.id]


def test_a_password_reset_or_change_ends_the_api_tokens(app, client, login):
    user = make_user(roles=["advisor"])
    _, plain = services.create_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/settings", headers=headers).status_code == 200
    manager = make_user(roles=["manager"])
    services.reset_password(manager, user, "a-new-long-secret-1")
    db.session.commit()
    assert client.get("/api/v1/settings", headers=headers).status_code == 401

    _, plain = services.create_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    services.change_own_password(user, True, "another-long-secret-2")
    db.session.commit()
    assert client.get("/api/v1/settings", headers=headers).status_code == 401


def test_a_manager_revokes_a_users_tokens_from_the_staff_page(app, client, login):
    user = make_user(roles=["advisor"])
    _, plain = services.create_token(user)
    db.session.commit()
    login("manager")
    response = client.post(
        f"/staff/{user.id}/revoke-tokens", data={"csrf_token": csrf_token(client, "/staff")}
    )
    assert response.status_code == 302
    assert "1 API tokens" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        client.get("/api/v1/settings", headers={"Authorization": f"Bearer {plain}"}).status_code
        == 401
    )


def test_a_job_is_never_given_to_a_technician_of_another_site(app, client, login):
    from tests.factories import make_authorized_job
    from workorders import services as wo

    stranger = other_site_user()
    stranger_tech = services.create_user(
        None,
        username="branch2-tech",
        password=PASSWORD,
        data=services.StaffInput(full_name="Branch Tech", roles=["technician"]),
        site=db.session.get(Site, stranger.site_id),
    )
    db.session.commit()
    advisor = login("advisor")
    order, job = make_authorized_job(advisor=advisor)
    db.session.commit()
    client.post(
        f"/jobs/{job.id}/assign",
        data={
            "csrf_token": csrf_token(client, f"/work-orders/{order.id}"),
            "technician_id": stranger_tech.id,
        },
    )
    db.session.refresh(job)
    assert job.technician_id is None
    with pytest.raises(DomainError, match="active technician"):
        wo.assign_job(advisor, job, stranger_tech)
