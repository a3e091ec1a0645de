"""The workshop's pages: the job board, a job's clock, findings and assignment, and the
parts counter's work on an order's lines."""

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dealer.auth import roles_required
from dealer.extensions import db
from dealer.forms import EmptyForm
from dealer.models import User
from dealer.roles import ADVISOR, MANAGER, PARTS, TECHNICIAN
from dealer.web import (
    act,
)
from workorders import queries
from workorders import services as wo
from workorders.forms import (
    JobForm,
)
from workorders.pages import DESK, back_to, bp, job_in_reach, order_in_reach


@bp.post("/jobs/<int:job_id>/<any('clock-on', 'clock-off', complete):action>")
@roles_required(TECHNICIAN, MANAGER)
def job_action(job_id: int, action: str):
    job = job_in_reach(job_id, locked=True)
    if EmptyForm().validate_on_submit():
        operation, done = {
            "clock-on": (wo.clock_on, _("Clocked on.")),
            "clock-off": (wo.clock_off, _("Clocked off.")),
            "complete": (wo.complete_job, _("Job done.")),
        }[action]
        act(operation, done, job)
    return redirect(request.form.get("next") or url_for("workorders.board"))


@bp.post("/jobs/<int:job_id>/approve")
@roles_required(*DESK)
def approve_job(job_id: int):
    job = job_in_reach(job_id)
    if EmptyForm().validate_on_submit():
        act(
            lambda actor, j: wo.approve_within_authorization(actor, j.work_order, j),
            _("Approved within the authorized amount."),
            job,
        )
    return back_to(job.work_order)


@bp.post("/jobs/<int:job_id>/assign")
@roles_required(*DESK)
def assign_job(job_id: int):
    job = job_in_reach(job_id)
    if EmptyForm().validate_on_submit():
        technician_id = request.form.get("technician_id", type=int)
        technician = db.session.get(User, technician_id) if technician_id else None
        act(wo.assign_job, _("Assignment saved."), job, technician)
    return back_to(job.work_order)


def board_jobs() -> dict:
    """The job board's contents for the signed-in user."""
    board = queries.job_board(current_user)
    shown = [*board.mine, *board.unassigned, *board.everyone]
    return {
        "mine": board.mine,
        "unassigned": board.unassigned,
        "everyone": board.everyone,
        "open_clock": wo.open_clock_of(current_user),
        "workshop": (
            wo.workshop_now(current_user.site_id) if current_user.has_role(MANAGER, ADVISOR) else []
        ),
        "headroom": queries.headroom_of({job.work_order_id for job in shown}),
    }


@bp.get("/board")
@roles_required(TECHNICIAN, MANAGER, ADVISOR)
def board():
    return render_template(
        "workorders/board.html",
        **board_jobs(),
        action_form=EmptyForm(),
        job_form=JobForm(),
    )


@bp.get("/board/jobs")
@roles_required(TECHNICIAN, MANAGER, ADVISOR)
def board_partial():
    return render_template(
        "workorders/_board.html", **board_jobs(), action_form=EmptyForm(), job_form=JobForm()
    )


@bp.post("/jobs/<int:job_id>/findings")
@roles_required(TECHNICIAN, ADVISOR, MANAGER)
def findings(job_id: int):
    job = job_in_reach(job_id)
    if EmptyForm().validate_on_submit():
        act(wo.record_findings, _("Findings saved."), job, request.form.get("findings", "")[:4000])
    return redirect(url_for("workorders.board"))


@bp.get("/parts/waiting")
@roles_required(PARTS, MANAGER, ADVISOR)
def waiting_for_parts():
    jobs = queries.waiting_for_parts(current_user.site_id)
    return render_template("workorders/parts_waiting.html", jobs=jobs)


@bp.post("/work-orders/<int:order_id>/parts/<int:line_id>/<any(issue, return):action>")
@roles_required(PARTS, MANAGER)
def part_line_action(order_id: int, line_id: int, action: str):
    found = order_in_reach(order_id)
    line = next((p for p in found.parts if p.id == line_id), None)
    if line is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        if action == "issue":
            act(wo.issue_parts, _("Parts issued."), line)
        else:
            try:
                quantity = Decimal(request.form.get("quantity", "").strip())
            except ArithmeticError:
                flash(_("Enter a number."), "danger")
            else:
                act(wo.return_parts, _("Parts returned to stock."), line, quantity)
    return back_to(found)
