"""JSON API of the workshop (``/api/v1``): the jobs board, a job's clock and findings, and the
parts counter's work on an order's lines. The orders' endpoints and the blueprint are in
``workorders.api``."""

from flask import g
from sqlalchemy import select

from dealer.apikit import (
    endpoint,
    page_of,
)
from dealer.errors import DomainError, NotFound
from dealer.extensions import db
from dealer.models import User
from dealer.roles import ADVISOR, INSPECTOR, MANAGER, PARTS, TECHNICIAN
from workorders import queries
from workorders import services as wo
from workorders.api import DESK, bp, load_job, load_order
from workorders.models import Job, WorkOrder
from workorders.schemas import (
    FindingsIn,
    JobOut,
    JobPatch,
    JobQuery,
    NoClockIn,
    PartLineOut,
    PartRequestDecisionIn,
    ReturnIn,
    VersionIn,
    job_out,
    part_line_out,
)


@endpoint(
    bp,
    "/jobs",
    roles=(TECHNICIAN, ADVISOR, MANAGER, INSPECTOR),
    summary="The job board: my jobs, or approved unassigned ones",
    query=JobQuery,
    response=JobOut,
    paged=True,
)
def list_jobs(query: JobQuery):
    stmt = select(Job).join(WorkOrder).where(WorkOrder.site_id == g.actor.site_id)
    if query.assignee == "me":
        stmt = stmt.where(Job.technician_id == g.actor.id)
    elif query.assignee == "unassigned":
        stmt = stmt.where(queries.open_to_take_clause())
    elif not g.actor.has_role(ADVISOR, MANAGER, INSPECTOR):
        raise DomainError("Technicians list their own or unassigned jobs.", "assignee")
    if query.status:
        stmt = stmt.where(Job.status == query.status)
    stmt = stmt.order_by(WorkOrder.promised_at.is_(None), WorkOrder.promised_at, Job.id)
    return page_of(stmt, query, JobOut, job_out)


@endpoint(
    bp,
    "/jobs/<int:job_id>",
    method="PATCH",
    roles=DESK,
    summary="Assign a job to a technician",
    body=JobPatch,
    response=JobOut,
)
def patch_job(job_id: int, body: JobPatch):
    job = load_job(job_id)
    technician = None
    if body.technician_id is not None:
        technician = db.session.get(User, body.technician_id)
        if technician is None or technician.site_id != g.actor.site_id:
            raise DomainError("No such technician.", "technician_id")
    wo.assign_job(g.actor, job, technician, version=body.version)
    return job_out(job)


def _job_action(summary: str, action, rule: str, roles=(TECHNICIAN, MANAGER)):
    def view(job_id: int, body: VersionIn):
        job = load_job(job_id)
        action(g.actor, job, version=body.version)
        return job_out(job)

    view.__name__ = f"job_{rule.replace('-', '_')}"
    return endpoint(
        bp,
        f"/jobs/<int:job_id>/{rule}",
        method="POST",
        roles=roles,
        summary=summary,
        body=VersionIn,
        response=JobOut,
    )(view)


_job_action("Clock on a job (an unassigned one is taken)", wo.clock_on, "clock-on")
_job_action("Clock off a job", wo.clock_off, "clock-off")
_job_action("Mark a job done", wo.complete_job, "complete")


@endpoint(
    bp,
    "/jobs/<int:job_id>/approve",
    method="POST",
    roles=DESK,
    summary="Approve a proposed job within the authorized amount",
    body=VersionIn,
    response=JobOut,
)
def approve_job(job_id: int, body: VersionIn):
    job = load_job(job_id)
    wo.approve_within_authorization(g.actor, job.work_order, job, version=body.version)
    return job_out(job)


@endpoint(
    bp,
    "/jobs/<int:job_id>/no-clock-reason",
    method="POST",
    roles=DESK,
    summary="Record why a job may be completed with no time clocked (sublet, a quick check)",
    body=NoClockIn,
    response=JobOut,
)
def post_no_clock_reason(job_id: int, body: NoClockIn):
    job = load_job(job_id)
    wo.excuse_no_clock(g.actor, job, body.reason, version=body.version)
    return job_out(job)


@endpoint(
    bp,
    "/jobs/<int:job_id>/findings",
    method="POST",
    roles=(TECHNICIAN, ADVISOR, MANAGER),
    summary="Record a technician's findings",
    body=FindingsIn,
    response=JobOut,
)
def post_findings(job_id: int, body: FindingsIn):
    job = load_job(job_id)
    wo.record_findings(g.actor, job, body.findings, version=body.version)
    return job_out(job)


def load_line(order_id: int, line_id: int):
    order = load_order(order_id)
    line = next((p for p in order.parts if p.id == line_id), None)
    if line is None:
        raise NotFound("No such parts line.")
    return line


@endpoint(
    bp,
    "/work-orders/<int:order_id>/parts/<int:line_id>/issue",
    method="POST",
    roles=(PARTS, MANAGER, TECHNICIAN),
    summary="Issue a line's reserved parts to the job",
    response=PartLineOut,
)
def post_issue(order_id: int, line_id: int):
    return part_line_out(wo.issue_parts(g.actor, load_line(order_id, line_id)))


@endpoint(
    bp,
    "/work-orders/<int:order_id>/parts/<int:line_id>/decision",
    method="POST",
    roles=DESK,
    summary="Approve a technician's parts request within the authorization, or decline it",
    body=PartRequestDecisionIn,
    response=PartLineOut,
)
def post_part_request_decision(order_id: int, line_id: int, body: PartRequestDecisionIn):
    line = load_line(order_id, line_id)
    return part_line_out(
        wo.decide_part_request(g.actor, line, approve=body.approve, version=body.version)
    )


@endpoint(
    bp,
    "/work-orders/<int:order_id>/parts/<int:line_id>/returns",
    method="POST",
    roles=(PARTS, MANAGER),
    summary="Return unused issued parts to stock",
    body=ReturnIn,
    response=PartLineOut,
    status=201,
)
def post_return(order_id: int, line_id: int, body: ReturnIn):
    return part_line_out(wo.return_parts(g.actor, load_line(order_id, line_id), body.quantity))
