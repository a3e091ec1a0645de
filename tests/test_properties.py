"""Properties of the rule functions, checked by hypothesis over many generated inputs: the
money arithmetic, working time, phone numbers, VINs and the order lifecycle."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from customers.vin import check_vin, with_check_digit
from dealer.errors import DomainError
from dealer.models import DEFAULT_WORKING_HOURS
from dealer.phones import normalize_phone
from dealer.workhours import add_working_time
from workorders.lifecycle import Status, next_moves
from workorders.totals import COUNTED, DiscountAmount, JobAmount, PartAmount, totals

CENT = Decimal("0.01")
JOB_STATES = ("pending", "proposed", "approved", "declined", "in_progress", "done")


def decimals(low: str, high: str, places: int):
    return st.decimals(
        min_value=Decimal(low), max_value=Decimal(high), places=places, allow_nan=False
    )


parts = st.builds(PartAmount, decimals("0.001", "100", 3), decimals("0", "10000", 2))
jobs = st.builds(
    JobAmount,
    st.sampled_from(JOB_STATES),
    st.sampled_from(("customer", "warranty", "internal")),
    decimals("0.01", "200", 2),
    decimals("0", "2000", 2),
    st.lists(parts, max_size=4).map(tuple),
    decimals("0", "5000", 2),
)
discounts = st.one_of(
    st.builds(DiscountAmount, decimals("0.01", "500", 2)),
    st.builds(DiscountAmount, decimals("0.01", "100", 2), st.just(True)),
)
rates = st.sampled_from([Decimal("0"), Decimal("0.06"), Decimal("0.09"), Decimal("0.13")])


@settings(max_examples=300, deadline=None)
@given(st.lists(jobs, max_size=8), rates, st.lists(discounts, max_size=3), st.randoms())
def test_totals_are_whole_cents_that_add_up_in_any_order(job_list, rate, offs, rng):
    result = totals(job_list, rate, offs)
    for amount in (result.labor, result.parts, result.sublet, result.discount, result.tax):
        assert amount == amount.quantize(CENT) and amount >= 0
    base = result.labor + result.parts + result.sublet
    assert 0 <= result.discount <= base
    assert result.total == base - result.discount + result.tax >= 0
    shuffled = list(job_list)
    rng.shuffle(shuffled)
    assert totals(shuffled, rate, offs) == result
    uncounted = [j for j in job_list if j.status not in COUNTED]
    counted = [j for j in job_list if j.status in COUNTED]
    assert totals(counted, rate, offs) == result
    assert totals(uncounted, rate).total == 0


moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
hours = decimals("0", "60", 2)


@settings(max_examples=200, deadline=None)
@given(moments, hours, hours)
def test_working_time_adds_up_and_never_goes_back(start, first, second):
    def add(moment, h):
        return add_working_time(moment, h, DEFAULT_WORKING_HOURS, "Asia/Shanghai")

    once = add(start, first + second)
    assert once >= start
    assert abs(add(add(start, first), second) - once) < timedelta(seconds=1)
    assert add(start, first) <= once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=45))
def test_any_phone_text_is_a_number_or_a_named_refusal(text):
    try:
        e164 = normalize_phone(text, "CN")
    except DomainError as exc:
        assert exc.errors[0][0] == "phone"
        return
    assert e164.startswith("+") and e164[1:].isdigit()
    assert normalize_phone(e164, "CN") == e164


VIN_CHARACTERS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=VIN_CHARACTERS, min_size=17, max_size=17), st.text(max_size=30))
def test_a_vin_with_its_check_digit_passes_and_any_text_is_judged(body, anything):
    vin = with_check_digit(body)
    assert check_vin(vin).error is None
    assert check_vin(vin.lower()).vin == vin
    assert check_vin(anything).error in (None, "length", "alphabet", "check_digit")


def test_the_lifecycle_ends_at_delivery_or_cancellation_and_never_returns_to_intake():
    for status in Status:
        moves = next_moves(status)
        if status in (Status.DELIVERED, Status.CANCELLED):
            assert moves == []
        else:
            assert Status.INTAKE not in moves and status not in moves
            assert Status.CANCELLED in moves or status == Status.READY
