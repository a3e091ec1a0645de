"""Fixtures of the work-order tests: the people of one visit."""

import pytest

from tests.factories import make_user


@pytest.fixture
def staff(app):
    """An advisor, two technicians, an inspector and a manager, committed."""
    return {
        "advisor": make_user(roles=["advisor"]),
        "tech": make_user(roles=["technician"]),
        "tech2": make_user(roles=["technician"]),
        "inspector": make_user(roles=["inspector"]),
        "manager": make_user(roles=["manager"]),
    }


@pytest.fixture
def advisor(app):
    """One service advisor at the desk."""
    return make_user(roles=["advisor"])
