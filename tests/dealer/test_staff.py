"""Managing staff: the manager's pages and the rules behind them."""

import pytest

from dealer import services
from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from dealer.models import User
from tests.conftest import csrf_token, sign_in
from tests.factories import make_user


def test_password_rules(app):
    assert services.password_problems("short", "desk")
    assert services.password_problems("qwertyuiop", "desk")
    assert services.password_problems("my-desk-password", "desk")
    assert services.password_problems("a-fine-long-secret", "desk") == []


def test_create_user_validates_every_field(app):
    site = services.default_site()
    with pytest.raises(DomainError) as caught:
        services.create_user(
            None,
            username="Bad Name!",
            password="x",
            data=services.StaffInput(full_name="", roles=[]),
            site=site,
        )
    assert {field for field, _ in caught.value.errors} == {"username"}
    with pytest.raises(DomainError) as caught:
        services.create_user(
            None,
            username="ok",
            password="x",
            data=services.StaffInput(full_name="A", roles=["advisor"]),
            site=site,
        )
    assert caught.value.errors[0][0] == "password"
    with pytest.raises(DomainError) as caught:
        services.create_user(
            None,
            username="ok",
            password="long enough pw",
            data=services.StaffInput(full_name="A", roles=["driver"]),
            site=site,
        )
    assert caught.value.errors[0][0] == "roles"


def test_username_is_unique_in_any_case(app):
    make_user(username="desk")
    with pytest.raises(DomainError, match="taken"):
        make_user(username="DESK")


def test_only_a_manager_manages_staff(app):
    advisor = make_user(roles=["advisor"])
    other = make_user(roles=["technician"])
    with pytest.raises(Forbidden):
        services.set_active(advisor, other, False)


def test_a_manager_cannot_lock_themselves_out(app):
    manager = make_user(roles=["manager"])
    with pytest.raises(RuleBroken):
        services.set_active(manager, manager, False)
    with pytest.raises(RuleBroken):
        services.update_user(
            manager, manager, services.StaffInput(full_name="M", roles=["advisor"])
        )


def test_manager_adds_staff_through_the_page(login, client):
    login("manager")
    token = csrf_token(client, "/staff/new")
    response = client.post(
        "/staff/new",
        data={
            "username": "newtech",
            "password": "wrench-and-spanner",
            "full_name": "张师傅",
            "language": "zh_Hans",
            "roles": ["technician", "inspector"],
            "skills": ["paint", "maintenance"],
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    user = services.find_user("newtech")
    assert user.roles == {"technician", "inspector"}
    assert user.full_name == "张师傅"
    assert user.skills == ["maintenance", "paint"]
    with pytest.raises(DomainError) as unknown:
        services.update_user(
            None,
            user,
            services.StaffInput(full_name="张师傅", roles=["technician"], skills=["juggling"]),
        )
    assert unknown.value.errors[0][0] == "skills"


def test_staff_page_shows_field_errors(login, client):
    login("manager")
    token = csrf_token(client, "/staff/new")
    response = client.post(
        "/staff/new",
        data={
            "username": "x y",
            "password": "short",
            "full_name": "A",
            "language": "en",
            "roles": ["advisor"],
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert "lower-case letters" in response.get_data(as_text=True)
    assert services.find_user("x y") is None


def test_manager_deactivates_and_resets(app, login, client):
    login("manager")
    tech = make_user(username="tech", roles=["technician"])
    tech_browser = app.test_client()
    sign_in(tech_browser, "tech")
    assert tech_browser.get("/vehicles").status_code == 200
    page = f"/staff/{tech.id}"
    client.post(f"/staff/{tech.id}/deactivate", data={"csrf_token": csrf_token(client, page)})
    assert tech_browser.get("/vehicles").status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, tech.id).active
    client.post(f"/staff/{tech.id}/activate", data={"csrf_token": csrf_token(client, page)})
    response = client.post(
        f"/staff/{tech.id}/password",
        data={
            "password": "a-new-long-secret",
            "confirm": "a-new-long-secret",
            "csrf_token": csrf_token(client, page),
        },
    )
    assert response.status_code == 302
    assert sign_in(tech_browser, "tech", "a-new-long-secret").status_code == 302


def test_manager_ends_someones_sessions(app, login, client):
    login("manager")
    tech = make_user(username="tech", roles=["technician"])
    tech_browser = app.test_client()
    sign_in(tech_browser, "tech")
    client.post(
        f"/staff/{tech.id}/end-sessions",
        data={"csrf_token": csrf_token(client, f"/staff/{tech.id}")},
    )
    assert tech_browser.get("/vehicles").status_code == 302


def test_staff_list_searches(login, client):
    login("manager", full_name="Boss")
    make_user(username="zhang", full_name="张师傅", roles=["technician"])
    make_user(username="li", full_name="李文静", roles=["advisor"])
    page = client.get("/staff?q=zhang").get_data(as_text=True)
    assert "张师傅" in page and "李文静" not in page
