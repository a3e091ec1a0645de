"""Vocabularies: a code with its label, spelled once, and the hooks by which a lower floor
lets a higher one react."""

from care.vocabulary import RootCause
from dealer.hooks import Hook
from dealer.vocabulary import Vocabulary
from workorders.models import WorkOrder
from workorders.vocabulary import PaymentMethod, Status


class Colour(Vocabulary):
    RED = "red", "Red"
    PLAIN = "plain"


def test_a_code_is_its_string_and_carries_its_label():
    assert Colour.RED == "red" and Colour("red") is Colour.RED and Colour.RED.label == "Red"
    assert Colour.PLAIN.label == "plain"
    assert Colour.values() == ("red", "plain")
    assert Colour.labels() == {"red": "Red", "plain": "plain"}
    assert Colour.choices() == [("red", "Red"), ("plain", "plain")]


def test_check_constraints_are_built_from_the_codes():
    assert Colour.check("colour") == "colour IN ('red', 'plain')"
    assert Colour.check("colour", nullable=True) == "colour IS NULL OR colour IN ('red', 'plain')"
    assert RootCause.check("root_cause", nullable=True).startswith("root_cause IS NULL OR")
    checks = [str(c.sqltext) for c in WorkOrder.__table__.constraints if hasattr(c, "sqltext")]
    assert Status.check("status") in checks


def test_labels_translate_when_shown(app):
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale("zh_Hans"):
        assert str(PaymentMethod.CASH.label) == "现金"
    with app.test_request_context("/"), force_locale("en"):
        assert str(PaymentMethod.CASH.label) == "Cash"


def test_a_hook_calls_each_receiver_once_in_order():
    heard = []
    hook = Hook("tested", "A hook under test.")
    first = heard.append

    def second(value):
        heard.append(value * 2)

    hook.connect(first)
    hook.connect(second)
    hook.connect(first)
    hook(3)
    assert heard == [3, 6] and list(hook) == [first, second]
