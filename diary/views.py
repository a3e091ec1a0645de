"""The desk's diary: a day's bookings by start time with the workshop's load, and the
steps a booking takes there (confirm, move, cancel, mark a no-show, check the car in)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from customers.models import Vehicle
from customers.services import VehicleInput
from dealer.auth import roles_required
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.forms import EmptyForm
from dealer.i18n import Translated
from dealer.roles import ADVISOR, CALLBACK, MANAGER
from dealer.services import settings_for
from dealer.timeutil import zone
from dealer.types import utcnow
from dealer.vocabulary import Skill
from dealer.web import act
from diary import booking, days, picking
from diary.models import Appointment
from diary.vocabulary import AppointmentKind, AppointmentSource, AppointmentStatus
from workorders.models import CannedJob

bp = Blueprint("diary", __name__)

BOOKERS = (ADVISOR, CALLBACK, MANAGER)


def _today() -> date:
    return utcnow().astimezone(zone(settings_for(current_user.site_id).time_zone)).date()


@bp.get("/diary")
@roles_required(*BOOKERS)
def day():
    try:
        shown = date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        shown = _today()
    view = days.day_view(current_user.site_id, shown)
    local = zone(settings_for(current_user.site_id).time_zone)
    return render_template(
        "diary/day.html",
        view=view,
        times={a.id: a.start_at.astimezone(local).strftime("%H:%M") for a in view.appointments},
        now=utcnow(),
        today=_today(),
        previous=shown - timedelta(days=1),
        following=shown + timedelta(days=1),
        skill_labels=Translated(Skill.labels()),
        status_labels=Translated(AppointmentStatus.labels()),
        kind_labels=Translated(AppointmentKind.labels()),
        source_labels=Translated(AppointmentSource.labels()),
        form=EmptyForm(),
    )


@bp.get("/diary/week")
@roles_required(*BOOKERS)
def week():
    try:
        shown = date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        shown = _today()
    first = shown - timedelta(days=shown.weekday())
    local = zone(settings_for(current_user.site_id).time_zone)
    return render_template(
        "diary/week.html",
        days=days.week_view(current_user.site_id, first),
        first=first,
        local=local,
        previous=first - timedelta(days=7),
        following=first + timedelta(days=7),
        today=_today(),
        status_labels=Translated(AppointmentStatus.labels()),
    )


@bp.route("/diary/picking", methods=["GET", "POST"])
@roles_required(*picking.PICKERS)
def pick_list():
    try:
        shown = date.fromisoformat(request.values.get("date", ""))
    except ValueError:
        shown = _today() + timedelta(days=1)
    if request.method == "POST" and EmptyForm().validate_on_submit():
        act(
            lambda actor: picking.pick_day(actor, actor.site_id, shown),
            _("The parts for the day's bookings are reserved where the stock has them."),
        )
        return redirect(url_for("diary.pick_list", date=shown.isoformat()))
    local = zone(settings_for(current_user.site_id).time_zone)
    return render_template(
        "diary/picking.html",
        lines=picking.pick_list(current_user.site_id, shown),
        shown=shown,
        local=local,
        form=EmptyForm(),
    )


@bp.route("/appointments/<int:appointment_id>/car", methods=["GET", "POST"])
@roles_required(*BOOKERS)
def register_car(appointment_id: int):
    found = _appointment(appointment_id)
    if found.vehicle is not None:
        return _back(found)
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        year = request.form.get("year", "").strip()
        data = VehicleInput(
            vin=request.form.get("vin", "").strip().upper(),
            plate=request.form.get("plate", ""),
            make=request.form.get("make", ""),
            model=request.form.get("model", ""),
            year=int(year) if year.isdigit() else None,
        )
        made = act(
            lambda actor: booking.register_car(actor, found, data, version=_version()),
            _("The car is registered and the booking confirmed."),
        )
        if made is not None:
            return _back(found)
    return render_template("diary/car.html", appointment=found, form=form, values=request.form)


def _appointment(appointment_id: int) -> Appointment:
    found = db.session.get(Appointment, appointment_id)
    if found is None or found.site_id != current_user.site_id:
        abort(404)
    return found


def _back(found: Appointment):
    local = found.start_at.astimezone(zone(settings_for(found.site_id).time_zone))
    return redirect(url_for("diary.day", date=local.date().isoformat()))


@bp.post("/appointments/<int:appointment_id>/<any(confirmed, cancelled, no_show):status>")
@roles_required(*BOOKERS)
def set_status(appointment_id: int, status: str):
    found = _appointment(appointment_id)
    if EmptyForm().validate_on_submit():
        act(
            lambda actor: booking.set_status(
                actor, found, status, reason=request.form.get("reason"), version=_version()
            ),
            _("Booking updated."),
        )
    return _back(found)


def _version() -> int | None:
    raw = request.form.get("version", "")
    return int(raw) if raw.isdigit() else None


@bp.post("/appointments/<int:appointment_id>/arrive")
@roles_required(ADVISOR, MANAGER)
def arrive(appointment_id: int):
    found = _appointment(appointment_id)
    if not EmptyForm().validate_on_submit():
        return _back(found)
    try:
        odometer = int(request.form.get("odometer_km", ""))
        fuel = Decimal(request.form.get("fuel_level", ""))
    except (ValueError, InvalidOperation):
        flash(_("Enter the odometer reading and the fuel level."), "danger")
        return _back(found)
    order = act(
        lambda actor: booking.arrive(
            actor, found, odometer_km=odometer, fuel_level=fuel, version=_version()
        ),
        _("The car is checked in: walk around it now."),
    )
    if order is None:
        return _back(found)
    return redirect(url_for("workorders.intake", order_id=order.id))


@bp.post("/appointments/<int:appointment_id>/move")
@roles_required(*BOOKERS)
def move(appointment_id: int):
    found = _appointment(appointment_id)
    if not EmptyForm().validate_on_submit():
        return _back(found)
    local = zone(settings_for(found.site_id).time_zone)
    try:
        moment = datetime.combine(
            date.fromisoformat(request.form.get("day", "")),
            time.fromisoformat(request.form.get("time", "")),
            local,
        )
    except ValueError:
        flash(_("Give the new day and time."), "danger")
        return _back(found)
    try:
        booking.reschedule(current_user, found, moment, version=_version())
    except DomainError as exc:
        db.session.rollback()
        for _field, message in exc.errors:
            flash(str(message), "danger")
        return _back(found)
    db.session.commit()
    flash(_("Booking moved."), "success")
    return _back(found)


def _wanted_jobs(source, declined=()) -> list[booking.JobInput]:
    """The jobs the desk picked: common jobs by id, the declined work of the call's visit
    that the customer takes up, and one written out."""
    jobs = [
        booking.JobInput(title="", labor_hours=None, canned_job_id=int(value))
        for value in source.getlist("canned")
        if value.isdigit()
    ]
    taken = set(source.getlist("declined"))
    jobs += [
        booking.JobInput(
            title=job.title,
            labor_hours=job.labor_hours,
            skill=booking.CATEGORY_SKILL.get(job.category, "chassis"),
            rebooked_from_id=job.id,
        )
        for job in declined
        if str(job.id) in taken
    ]
    title = (source.get("title") or "").strip()
    if title:
        try:
            hours = Decimal(source.get("hours") or "")
        except InvalidOperation:
            hours = Decimal("-1")
        jobs.append(booking.JobInput(title=title, labor_hours=hours, skill=source.get("skill")))
    return jobs


@bp.route("/vehicles/<int:vehicle_id>/book", methods=["GET", "POST"])
@roles_required(*BOOKERS)
def book(vehicle_id: int):
    vehicle = db.session.get(Vehicle, vehicle_id)
    if vehicle is None or vehicle.site_id != current_user.site_id:
        abort(404)
    return booking_page(vehicle)


def booking_page(vehicle: Vehicle, *, call=None, after_call: str | None = None, declined=()):
    """The booking page for ``vehicle``: pick the work, see the free times, book one. Booked
    during a call (``call``), the booking keeps it, offers the visit's ``declined`` jobs, and
    the page returns to ``after_call``."""
    source = request.form if request.method == "POST" else request.args
    jobs = _wanted_jobs(source, declined)
    kind = source.get("kind") or AppointmentKind.DROP_OFF.value
    try:
        first = date.fromisoformat(source.get("from", ""))
    except ValueError:
        first = _today()
    if request.method == "POST" and EmptyForm().validate_on_submit():
        try:
            start = datetime.fromisoformat(request.form.get("start", ""))
        except ValueError:
            flash(_("Pick a free time."), "danger")
        else:
            made = act(
                lambda actor: booking.book(
                    actor,
                    vehicle.customer,
                    vehicle,
                    start=start,
                    kind=kind,
                    jobs=jobs,
                    concern=request.form.get("concern"),
                    source=AppointmentSource.CALLBACK.value
                    if call is not None
                    else request.form.get("source") or AppointmentSource.DESK.value,
                    callback_id=call.id if call is not None else None,
                ),
                _("Booked."),
            )
            if made is not None and after_call is not None:
                return redirect(after_call)
            if made is not None:
                return redirect(url_for("diary.day", date=start.date().isoformat()))
    slots = []
    if jobs:
        try:
            slots = booking.free_starts(current_user.site_id, first, 7, jobs, kind=kind)
        except DomainError as exc:
            for _field, message in exc.errors:
                flash(str(message), "danger")
    canned = db.session.scalars(
        db.select(CannedJob)
        .where(CannedJob.site_id == current_user.site_id, CannedJob.active.is_(True))
        .order_by(CannedJob.title)
    ).all()
    local = zone(settings_for(current_user.site_id).time_zone)
    return render_template(
        "diary/book.html",
        vehicle=vehicle,
        canned=canned,
        chosen={job.canned_job_id for job in jobs if job.canned_job_id},
        declined=declined,
        taken={job.rebooked_from_id for job in jobs if job.rebooked_from_id},
        source_args=source,
        kind=kind,
        first=first,
        slots=[
            (day, [(a.astimezone(local), b.astimezone(local)) for a, b in found])
            for day, found in slots
        ],
        asked=bool(jobs),
        call=call,
        skill_labels=Translated(Skill.labels()),
        kind_labels=Translated(AppointmentKind.labels()),
        source_labels=Translated(AppointmentSource.labels()),
        form=EmptyForm(),
    )
