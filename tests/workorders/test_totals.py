"""The arithmetic of an order's amounts, without a database."""

from decimal import Decimal as D

from workorders.totals import DiscountAmount, JobAmount, PartAmount, proposed_totals, totals


def job(status="approved", pay="customer", hours="1.5", rate="200.00", parts=()):
    return JobAmount(
        status, pay, D(hours), D(rate), tuple(PartAmount(D(q), D(p)) for q, p in parts)
    )


def test_labor_parts_tax_and_total():
    result = totals(
        [job(hours="1.5", rate="260.00", parts=[("4.5", "68.00"), ("1", "45.50")])], D("0.13")
    )
    assert result.labor == D("390.00")
    assert result.parts == D("351.50")
    assert result.tax == D("96.40")
    assert result.total == D("837.90")


def test_each_line_is_rounded_half_up_before_summing():
    lines = [("1", "0.005"), ("1", "0.005"), ("1", "0.005")]
    assert totals([job(hours="0", parts=lines)], D("0")).parts == D("0.03")
    assert totals([job(hours="0.333", rate="100.00")], D("0")).labor == D("33.30")
    assert totals([job(hours="0.335", rate="100.00")], D("0")).labor == D("33.50")


def test_tax_is_rounded_half_up_on_the_sum():
    result = totals([job(hours="1", rate="0.50")], D("0.13"))
    assert result.tax == D("0.07")
    result = totals([job(hours="1", rate="10.50")], D("0.13"))
    assert result.tax == D("1.37")
    assert totals([job(hours="1", rate="0.50")], D("0.01")).tax == D("0.01")


def test_warranty_and_internal_are_apart_and_not_charged():
    result = totals(
        [
            job(pay="customer", hours="1"),
            job(pay="warranty", hours="2"),
            job(pay="internal", hours="0.5"),
        ],
        D("0.13"),
    )
    assert result.labor == D("200.00") and result.total == D("226.00")
    assert result.warranty == D("400.00") and result.internal == D("100.00")


def test_declined_and_proposed_work_is_left_out_and_proposed_shown_apart():
    jobs = [job(status="done"), job(status="declined"), job(status="proposed", hours="2")]
    assert totals(jobs, D("0")).total == D("300.00")
    assert proposed_totals(jobs, D("0")).total == D("400.00")


def test_no_jobs_no_money():
    result = totals([], D("0.13"))
    assert (result.labor, result.parts, result.tax, result.total) == (D("0"),) * 4


def test_sublet_work_is_charged_and_taxed():
    sublet = JobAmount("approved", "customer", D("0"), D("200.00"), (), D("800.00"))
    result = totals([sublet, job(hours="1")], D("0.13"))
    assert (
        result.sublet == D("800.00") and result.tax == D("130.00") and result.total == D("1130.00")
    )


def test_discounts_come_off_before_tax_each_line_rounded():
    from workorders.totals import DiscountAmount

    work = [job(hours="1", rate="333.33")]
    result = totals(
        work, D("0.13"), [DiscountAmount(D("10"), percent=True), DiscountAmount(D("20.00"))]
    )
    assert result.discount == D("33.33") + D("20.00")
    assert result.tax == D("36.40")
    assert result.total == D("333.33") - D("53.33") + D("36.40")


def test_a_discount_never_exceeds_the_work():
    from workorders.totals import DiscountAmount

    result = totals([job(hours="1")], D("0.13"), [DiscountAmount(D("500.00"))])
    assert result.discount == D("200.00") and result.total == D("0.00")


def test_labor_may_be_taxed_at_a_rate_of_its_own():
    job = JobAmount(
        status="approved",
        pay_type="customer",
        labor_hours=D("2"),
        labor_rate=D("150.00"),
        parts=(PartAmount(D("1"), D("99.99")),),
        sublet=D("50.00"),
    )
    same = totals([job], D("0.0725"), labor_tax_rate=D("0.0725"))
    assert same == totals([job], D("0.0725"))
    apart = totals([job], D("0.0725"), labor_tax_rate=D("0"))
    assert apart.tax == D("10.87")  # 7.25% of 149.99 parts and sublet, none on 300.00 labor
    assert apart.total == D("300.00") + D("149.99") + D("10.87")
    discounted = totals([job], D("0.0725"), [DiscountAmount(D("45.00"))], labor_tax_rate=D("0.05"))
    labor_share = D("30.00")  # 45.00 x 300.00 / 449.99, rounded half-up
    assert discounted.tax == (
        ((D("300.00") - labor_share) * D("0.05")).quantize(D("0.01"))
        + ((D("149.99") - (D("45.00") - labor_share)) * D("0.0725")).quantize(D("0.01"))
    )
