"""The final quality check."""

from flask_babel import lazy_gettext as _l

from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.models import User
from workorders.lifecycle import Action, JobStatus, Status
from workorders.models import (
    QualityCheck,
    WorkOrder,
)
from workorders.services.base import allow, move_job, move_order
from workorders.services.reading import worked_on
from workorders.vocabulary import QcCheck

QC_CHECKLIST = QcCheck.values()


def record_quality_check(
    actor: User,
    order: WorkOrder,
    *,
    passed: bool,
    checklist: dict,
    road_test_done: bool = False,
    failed_job_ids: list[int] | None = None,
    notes: str | None = None,
    version: int | None = None,
) -> QualityCheck:
    """The final inspection: pass makes the order ready, fail sends named jobs back."""
    allow(actor, order, Action.QUALITY_CHECK, version=version)
    if worked_on(order, actor):
        raise RuleBroken(_l("You worked on this car: another inspector must check it."))
    unknown = sorted(set(checklist) - set(QC_CHECKLIST))
    if unknown:
        raise DomainError(
            _l("Unknown checklist item: %(name)s.", name=", ".join(unknown)), "checklist"
        )
    done_jobs = {j.id: j for j in order.jobs if j.status == JobStatus.DONE}
    failed_job_ids = sorted(set(failed_job_ids or []))
    notes = (notes or "").strip()[:4000] or None
    if passed:
        missing = [key for key in QC_CHECKLIST if checklist.get(key) is not True]
        if missing:
            raise DomainError(
                _l(
                    "Every item must be checked to pass: %(items)s.",
                    items=", ".join(str(QcCheck(key).label) for key in missing),
                ),
                "checklist",
            )
        if any(j.requires_road_test for j in done_jobs.values()) and not road_test_done:
            raise DomainError(_l("A job on this order needs a road test."), "road_test_done")
        if failed_job_ids:
            raise DomainError(_l("A passed inspection names no failed jobs."), "failed_job_ids")
    else:
        if not failed_job_ids:
            raise DomainError(_l("Name the jobs that must be done again."), "failed_job_ids")
        strangers = [i for i in failed_job_ids if i not in done_jobs]
        if strangers:
            raise DomainError(_l("Only done jobs of this order can fail."), "failed_job_ids")
        if not notes:
            raise DomainError(_l("Say what is wrong."), "notes")
    check = QualityCheck(
        inspector_id=actor.id,
        passed=passed,
        checklist={key: checklist.get(key) is True for key in QC_CHECKLIST},
        road_test_done=bool(road_test_done),
        failed_job_ids=failed_job_ids,
        notes=notes,
    )
    order.quality_checks.append(check)
    db.session.flush()
    if passed:
        move_order(actor, order, Status.READY)
    else:
        for job_id in failed_job_ids:
            move_job(done_jobs[job_id], JobStatus.APPROVED)
            done_jobs[job_id].completed_at = None
        move_order(actor, order, Status.IN_PROGRESS, reason=notes)
    return check
