"""The VIP archive: tiers follow spend at delivery, and a manager can decide."""

from decimal import Decimal as D

import pytest

from care import vip, worth
from dealer import services
from dealer.errors import DomainError
from dealer.extensions import db
from tests.care.visits import delivered
from tests.factories import make_customer, make_user


def test_vip_tier_follows_spend_at_delivery_and_a_manager_can_decide(app):
    settings = services.settings_for(services.default_site().id)
    settings.vip_tiers = [
        {"name": "Gold", "spend": "1000.00", "visits": 2},
        {"name": "Silver", "spend": "200.00", "visits": 1},
    ]
    db.session.commit()
    customer = make_customer()
    delivered(customer, amount="1")
    assert customer.vip_tier == "Silver" and customer.visits_12m == 1
    delivered(customer, amount="4")
    assert customer.vip_tier == "Gold" and customer.spend_12m > D("1000")
    assert customer.lifetime_spend == customer.spend_12m and customer.last_visit_at is not None
    manager = make_user(roles=["manager"])
    with pytest.raises(DomainError):
        vip.remove(manager, customer, "")
    vip.remove(manager, customer, "Fleet account moved away")
    assert customer.vip_tier is None and customer.vip_manual is False
    assert worth.refresh_customers(customer.site_id) == 0 and customer.vip_tier is None
    vip.follow_rules(manager, customer, vip.tiers(settings))
    assert customer.vip_tier == "Gold"
    assert vip.tier_for(settings.vip_tiers, D("1500"), 1) == "Silver"
    assert vip.tier_for(settings.vip_tiers, D("100"), 5) is None
