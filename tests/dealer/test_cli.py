"""Command-line tools: users, tokens and demo data."""

from sqlalchemy import func, select

from customers.models import Customer, Vehicle
from customers.vin import check_vin
from dealer.extensions import db
from dealer.models import User


def test_users_create_and_tokens(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "desk",
            "--password",
            "a-long-password",
            "--role",
            "advisor",
            "--role",
            "callback",
        ]
    )
    assert result.exit_code == 0, result.output
    bad = runner.invoke(
        args=["users", "create", "other", "--password", "short", "--role", "advisor"]
    )
    assert bad.exit_code == 1 and "password" in bad.output
    result = runner.invoke(args=["tokens", "create", "desk"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).json["roles"] == ["advisor", "callback"]
    assert runner.invoke(args=["tokens", "revoke", "desk"]).exit_code == 0
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert "revoked" in runner.invoke(args=["tokens", "list", "desk"]).output
    assert runner.invoke(args=["tokens", "create", "nobody"]).exit_code == 1


def test_demo_data_is_believable_and_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data"])
    assert first.exit_code == 0, first.output
    assert "demo-pass-2026" in first.output and "advisor" in first.output
    counts = (
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Customer.id))),
        db.session.scalar(select(func.count(Vehicle.id))),
    )
    assert counts[0] == 9 and counts[1] == 51 and counts[2] >= 50, "and one online prospect"
    from diary.models import Appointment

    booked = list(db.session.scalars(select(Appointment)))
    assert len(booked) > 20 and {a.source for a in booked} >= {"online", "phone", "desk"}
    assert all(a.start_at > a.booked_at for a in booked)
    second = runner.invoke(args=["demo-data"])
    assert second.exit_code == 0
    again = (
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Customer.id))),
        db.session.scalar(select(func.count(Vehicle.id))),
    )
    assert again == counts
    roles = set()
    for user in db.session.scalars(select(User)):
        roles |= user.roles
    assert roles == {
        "advisor",
        "technician",
        "inspector",
        "parts",
        "callback",
        "warranty",
        "manager",
    }
    assert all(check_vin(v).error is None for v in db.session.scalars(select(Vehicle.vin)))
    from workorders.models import WorkOrder

    statuses = sorted(db.session.scalars(select(WorkOrder.status)))
    stages = ["intake", "awaiting_approval", "in_progress", "quality_check", "ready", "delivered"]
    assert statuses == sorted([*stages, "delivered", "delivered"]), (
        "a car at every stage, and the three-guarantee car's two past repairs"
    )
    from parts.models import Part
    from parts.stock import ledger_figures

    parts = list(db.session.scalars(select(Part)))
    assert parts and all((p.on_hand, p.reserved) == ledger_figures(p.id) for p in parts)
    names = list(db.session.scalars(select(Customer.name)))
    assert any("\u4e00" <= n[0] <= "\u9fff" for n in names) and any(n[0].isascii() for n in names)
    from care import planning
    from care.models import Callback
    from dealer import services

    open_calls = list(db.session.scalars(select(Callback).where(Callback.status == "open")))
    vips = [c for c in open_calls if c.customer.vip_tier]
    assert vips and all(c.priority >= 1 for c in vips)
    assert all(c.priority == 0 for c in open_calls if not c.customer.vip_tier)
    settings = services.settings_for(services.default_site().id)
    from datetime import date

    upcoming = planning.next_holiday(settings, date.today())
    for care_call in (c for c in open_calls if c.kind == "vip_care" and c.note):
        assert upcoming is not None and care_call.note == upcoming[0]
        assert 0 <= (upcoming[1] - date.today()).days <= 366


def test_demo_data_if_empty_skips_a_used_database(app):
    runner = app.test_cli_runner()
    runner.invoke(
        args=["users", "create", "boss", "--password", "a-long-password", "--role", "manager"]
    )
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0
    assert db.session.scalar(select(func.count(Customer.id))) == 0
