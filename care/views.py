"""Pages of after-sales care: the call list and its calls, complaints, the VIP archive."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from care import callbacks as calls
from care import complaints as care
from care import links, outbox, vip
from care.forms import (
    AssignForm,
    AttemptForm,
    ComplaintForm,
    ComplaintHandoverForm,
    ReplyForm,
    ResolveForm,
    VipForm,
)
from care.labels import (
    CHANNEL_LABELS,
    HOLIDAY_LABELS,
    KIND_LABELS,
    OUTCOME_LABELS,
    QUESTION_LABELS,
    ROOT_CAUSE_LABELS,
    SCRIPT_HINTS,
    tier_name,
)
from care.labels import STATUS_LABELS as CALLBACK_STATUS
from care.models import Callback, Complaint
from care.pdf import call_list_document
from care.planning import rules as current_rules
from care.vocabulary import MessageChannel, MessageEvent, MessageStatus
from customers.models import Customer
from dealer import care_rules
from dealer.auth import roles_required
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.forms import EmptyForm
from dealer.i18n import Translated, current_settings
from dealer.models import User, UserRole
from dealer.roles import ADVISOR, CALLBACK, MANAGER
from dealer.types import utcnow
from dealer.web import (
    act,
    form_status,
    get_or_404,
    options_by_selection,
    paginate,
    pdf_response,
    searchable,
    searched_text,
    submitted,
)
from diary import views as diary_views
from diary.models import Appointment
from diary.vocabulary import AppointmentStatus

bp = Blueprint("care", __name__)

AGENTS = (CALLBACK, MANAGER)
HANDLERS = (ADVISOR, CALLBACK, MANAGER)


@bp.app_context_processor
def labels() -> dict:
    return {
        "callback_kinds": Translated(KIND_LABELS),
        "callback_states": Translated(CALLBACK_STATUS),
        "outcomes": Translated(OUTCOME_LABELS),
        "questions": Translated(QUESTION_LABELS),
        "root_causes": Translated(ROOT_CAUSE_LABELS),
        "complaint_channels": Translated(CHANNEL_LABELS),
        "occasions": Translated(HOLIDAY_LABELS),
        "message_events": Translated(MessageEvent.labels()),
        "message_states": Translated(MessageStatus.labels()),
        "message_channels": Translated(MessageChannel.labels()),
        "customer_messages": outbox.recent_for,
        "customer_opt_outs": outbox.opt_outs_for,
        "customer_replies": outbox.replies_for,
        "order_links": links.live_links,
    }


bp.add_app_template_filter(tier_name, "tier")


def _staff(*roles: str) -> list:
    """The active staff of the site in ``roles``, by name: each row's ``id`` and
    ``full_name``."""
    return list(
        db.session.execute(
            select(User.id, User.full_name)
            .join(UserRole)
            .where(
                User.site_id == current_user.site_id,
                User.active.is_(True),
                UserRole.role.in_(roles),
            )
            .order_by(User.full_name)
            .distinct()
        )
    )


# --- the call list ---------------------------------------------------------------------


@bp.get("/callbacks")
@roles_required(*AGENTS)
def call_list():
    scope = request.args.get("scope", "mine")
    if scope not in ("mine", "pool", "all"):
        scope = "mine"
    if scope == "all" and not current_user.has_role(MANAGER):
        scope = "mine"
    settings = current_settings()
    now = utcnow()
    stmt = calls.call_list(
        current_user.site_id, current_user, scope=scope, now=now, time_zone=settings.time_zone
    )
    pagination = paginate(stmt, 30)
    return render_template(
        "care/call_list.html",
        pagination=pagination,
        scope=scope,
        now=now,
        overdue=lambda c: calls.is_overdue(c, now, settings.time_zone),
        hints=Translated(SCRIPT_HINTS),
        agent_options=_agent_options() if current_user.has_role(MANAGER) else {},
        action_form=EmptyForm(),
    )


def _agent_options() -> dict:
    """The agent choices of a call's assign form, by the agent it has now (0: the pool)."""
    return options_by_selection(
        [(0, _("Shared pool")), *((a.id, a.full_name) for a in _staff(*AGENTS))]
    )


@bp.get("/callbacks/print.pdf")
@roles_required(*AGENTS)
def call_list_pdf():
    settings = current_settings()
    now = utcnow()
    items = db.session.scalars(
        calls.call_list(
            current_user.site_id, current_user, scope="both", now=now, time_zone=settings.time_zone
        ).limit(500)
    ).all()
    data = call_list_document(settings, current_user, items, now)
    return pdf_response(data, f"call-list-{now:%Y%m%d}.pdf")


def _callback(callback_id: int) -> Callback:
    return get_or_404(Callback, callback_id, site_id=current_user.site_id)


@bp.route("/callbacks/<int:callback_id>", methods=["GET", "POST"])
@roles_required(*AGENTS)
def callback(callback_id: int):
    found = _callback(callback_id)
    form = AttemptForm()
    if form.validate_on_submit():
        with submitted(form) as done:
            calls.record_attempt(
                current_user,
                found,
                outcome=form.outcome.data,
                satisfaction=form.satisfaction.data,
                answers=form.answers(),
                notes=form.notes.data,
                complaint=form.complaint.data,
            )
        if done:
            flash(_("Call recorded."), "success")
            if form.complaint.data and form.complaint.data.strip():
                flash(_("Complaint raised; you own it."), "warning")
            return redirect(url_for("care.call_list"))
    declined = []
    if found.work_order is not None:
        declined = [job for job in found.work_order.jobs if job.status == "declined"]
    bookings = db.session.scalars(
        select(Appointment).where(Appointment.callback_id == found.id).order_by(Appointment.id)
    ).all()
    return render_template(
        "care/callback.html",
        callback=found,
        form=form,
        hint=SCRIPT_HINTS[found.kind],
        declined=declined,
        bookings=bookings,
        appointment_states=Translated(AppointmentStatus.labels()),
        action_form=EmptyForm(),
    ), form_status()


@bp.post("/callbacks/<int:callback_id>/take")
@roles_required(*AGENTS)
def take(callback_id: int):
    found = _callback(callback_id)
    if EmptyForm().validate_on_submit():
        act(calls.take, _("The call is yours."), found)
    return redirect(url_for("care.call_list", scope="mine"))


@bp.post("/callbacks/<int:callback_id>/assign")
@roles_required(MANAGER)
def assign(callback_id: int):
    found = _callback(callback_id)
    form = AssignForm()
    if form.validate_on_submit():
        agent = db.session.get(User, form.assignee_id.data) if form.assignee_id.data else None
        act(calls.assign, _("Call assigned."), found, agent)
    return redirect(request.referrer or url_for("care.call_list", scope="all"))


@bp.route("/callbacks/<int:callback_id>/book", methods=["GET", "POST"])
@roles_required(*HANDLERS)
def book(callback_id: int):
    """Book the call's car in at a free time while the customer is on the line."""
    found = _callback(callback_id)
    if found.status != "open" or found.vehicle is None:
        abort(404)
    declined = []
    if found.work_order is not None:
        declined = [job for job in found.work_order.jobs if job.status == "declined"]
    return diary_views.booking_page(
        found.vehicle,
        call=found,
        after_call=url_for("care.callback", callback_id=found.id),
        declined=declined,
    )


# --- complaints -----------------------------------------------------------------------


@bp.get("/complaints")
@roles_required(*HANDLERS)
def complaints():
    open_only = request.args.get("open", "1") != "0"
    mine = request.args.get("mine") == "1"
    now = utcnow()
    stmt = care.complaint_list(
        current_user.site_id,
        open_only=open_only,
        owner_id=current_user.id if mine else None,
        now=now,
    )
    pagination = paginate(stmt, 30)
    return render_template(
        "care/complaints.html",
        pagination=pagination,
        open_only=open_only,
        mine=mine,
        overdue=lambda c: care.is_overdue(c, now),
    )


@bp.route("/customers/<int:customer_id>/complaints/new", methods=["GET", "POST"])
@roles_required(*HANDLERS)
def new_complaint(customer_id: int):
    customer = get_or_404(Customer, customer_id, site_id=current_user.site_id)
    form = ComplaintForm()
    if form.validate_on_submit():
        with submitted(form) as done:
            made = care.raise_complaint(
                current_user, customer, form.description.data, channel=form.channel.data
            )
        if done:
            flash(_("Complaint raised; you own it."), "success")
            return redirect(url_for("care.complaint", complaint_id=made.id))
    return render_template("care/new_complaint.html", customer=customer, form=form), form_status()


def _complaint(complaint_id: int) -> Complaint:
    return get_or_404(Complaint, complaint_id, site_id=current_user.site_id)


@bp.get("/complaints/<int:complaint_id>")
@roles_required(*HANDLERS)
def complaint(complaint_id: int):
    found = _complaint(complaint_id)
    handover = ComplaintHandoverForm()
    handover.owner_id.choices = [
        (u.id, u.full_name) for u in _staff(*HANDLERS) if u.id != found.owner_id
    ]
    return render_template(
        "care/complaint.html",
        complaint=found,
        overdue=care.is_overdue(found, utcnow()),
        reply_form=ReplyForm(),
        handover_form=handover,
        resolve_form=ResolveForm(),
        may_act=found.status == "open"
        and (found.owner_id == current_user.id or current_user.has_role(MANAGER)),
    )


@bp.post("/complaints/<int:complaint_id>/<any(replies, handover, resolve):action>")
@roles_required(*HANDLERS)
def complaint_action(complaint_id: int, action: str):
    found = _complaint(complaint_id)
    if action == "replies":
        form = ReplyForm()
        if form.validate_on_submit():
            act(care.reply, _("Reply recorded."), found, form.text.data)
    elif action == "handover":
        form = ComplaintHandoverForm()
        if form.validate_on_submit():
            to = db.session.get(User, form.owner_id.data)
            act(care.hand_over, _("Complaint handed over."), found, to, form.reason.data)
    else:
        form = ResolveForm()
        if form.validate_on_submit():
            act(
                care.resolve,
                _("Complaint resolved; a follow-up call is planned."),
                found,
                root_cause=form.root_cause.data,
                resolution=form.resolution.data,
            )
    for name, errors in form.errors.items():
        for message in errors:
            flash(f"{getattr(form, name).label.text}: {message}", "danger")
    return redirect(url_for("care.complaint", complaint_id=found.id))


# --- the VIP archive ------------------------------------------------------------------


@bp.route("/vip", methods=["GET", "POST"])
@roles_required(*HANDLERS)
@searchable
def vip_archive():
    q = searched_text(100)
    rules = vip.tiers(current_settings())
    pagination = paginate(
        vip.archive(current_user.site_id, rules, q),
        30,
    )
    return render_template("care/vip.html", pagination=pagination, q=q, rules=rules)


@bp.get("/vip/<int:customer_id>")
@roles_required(*HANDLERS)
def dossier(customer_id: int):
    customer = get_or_404(Customer, customer_id, site_id=current_user.site_id)
    rules = vip.tiers(current_settings())
    form = VipForm()
    form.tier.choices = [(r["name"], r["name"]) for r in rules]
    return render_template(
        "care/dossier.html",
        dossier=vip.dossier(customer),
        customer=customer,
        form=form,
        rules=rules,
        advisors=_staff(ADVISOR),
        action_form=EmptyForm(),
    )


@bp.post("/vip/<int:customer_id>/<any(grant, remove, rules, advisor):action>")
@roles_required(MANAGER)
def vip_action(customer_id: int, action: str):
    customer = get_or_404(Customer, customer_id, site_id=current_user.site_id)
    rules = vip.tiers(current_settings())
    if action == "advisor":
        if EmptyForm().validate_on_submit():
            advisor_id = request.form.get("advisor_id", type=int)
            advisor = db.session.get(User, advisor_id) if advisor_id else None
            act(vip.set_advisor, _("Dedicated advisor saved."), customer, advisor)
    elif action == "rules":
        if EmptyForm().validate_on_submit():
            act(vip.follow_rules, _("The tier follows the rules again."), customer, rules)
    else:
        form = VipForm()
        form.tier.choices = [(r["name"], r["name"]) for r in rules]
        if not form.validate_on_submit():
            flash(_("Give the reason."), "danger")
        elif action == "grant":
            act(vip.grant, _("VIP granted."), customer, form.tier.data, form.reason.data, rules)
        else:
            act(vip.remove, _("VIP removed."), customer, form.reason.data)
    return redirect(url_for("care.dossier", customer_id=customer.id))


# --- the rules that plan the calls, and the VIP tiers (a manager's settings) ---------


RULE_FIELDS = {
    "satisfaction": ("days",),
    "declined_work": ("days",),
    "service_reminder": ("months", "km", "days_ahead"),
    "vip_care": ("days_ahead",),
    "complaint_follow_up": ("days",),
}
HOLIDAYS = ("new_year", "spring_festival", "labour_day", "national_day")


def _rules_from_form(form) -> tuple[dict, list[dict]]:
    rules = {}
    for kind, names in RULE_FIELDS.items():
        rules[kind] = {"enabled": form.get(f"{kind}-enabled") == "on"}
        for name in names:
            rules[kind][name] = form.get(f"{kind}-{name}", "").strip()
    rules["vip_care"]["birthday"] = form.get("vip_care-birthday") == "on"
    rules["vip_care"]["holidays"] = {
        name: [d for d in form.get(f"holiday-{name}", "").replace(",", " ").split() if d]
        for name in HOLIDAYS
    }
    tiers = [
        {
            "name": form.get(f"tier-{i}-name", ""),
            "spend": form.get(f"tier-{i}-spend", "").strip() or "0",
            "visits": form.get(f"tier-{i}-visits", "").strip() or "0",
        }
        for i in range(4)
    ]
    return rules, tiers


@bp.route("/settings/callbacks", methods=["GET", "POST"])
@roles_required(MANAGER)
def callback_rules():
    settings = current_settings()
    form = EmptyForm()
    errors = {}
    rules, tiers = current_rules(settings), list(settings.vip_tiers or [])
    if form.validate_on_submit():
        rules, tiers = _rules_from_form(request.form)
        try:
            care_rules.update_callback_rules(current_user, settings, rules, tiers)
        except DomainError as exc:
            db.session.rollback()
            errors = {name: str(message) for name, message in exc.errors}
        else:
            db.session.commit()
            flash(_("Callback rules and VIP tiers saved."), "success")
            return redirect(url_for("care.callback_rules"))
    tiers = (tiers + [{"name": "", "spend": "", "visits": ""}] * 4)[:4]
    return render_template(
        "care/callback_rules.html",
        form=form,
        rules=rules,
        tiers=tiers,
        errors=errors,
        holidays=HOLIDAYS,
    ), (422 if errors else 200)
