"""The public booking pages, made for a phone, in Chinese or English: ``/book`` (and
``/book/<site code>`` in a group) to prove the phone by a code and book a service at a free
time, and ``/b/<token>``, the booking's own page from its messages, to change the time,
cancel, or after a missed visit book again.

Every request is counted per address (``dealer.throttle``); codes are limited per phone
as well (``care.online``). Nothing here shows more than the booking it opens.
"""

from datetime import date, datetime, timedelta

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from care import booking_notices, online
from care.public import commit_or_flash, guard_public, limit, missed
from dealer.auth import public
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.forms import EmptyForm
from dealer.i18n import Translated
from dealer.models import Site
from dealer.services import settings_for
from dealer.timeutil import zone
from dealer.types import utcnow
from diary import booking
from diary.models import Appointment
from diary.vocabulary import HOLDING, AppointmentKind, AppointmentStatus

bp = Blueprint("booking", __name__)

WINDOW = timedelta(minutes=10)
DAYS_SHOWN = 7


def guard_booking(*, codes: bool = False) -> None:
    """Count the request against the address, and a request for a code against the codes
    the address may ask for; 429 past the limits."""
    address = request.remote_addr or "-"
    guard_public({f"c:{address}": limit("PUBLIC_CODES_PER_ADDRESS")} if codes else {})


def _language() -> str:
    wanted = request.args.get("lang")
    if wanted in online.LANGUAGES:
        session["book_lang"] = wanted
    language = session.get("book_lang")
    if language not in online.LANGUAGES:
        language = request.accept_languages.best_match(["zh", "en"]) or "zh"
        language = "en" if language == "en" else "zh_Hans"
    g.page_language = language
    return language


def _site(code: str | None) -> Site:
    stmt = select(Site).order_by(Site.id).limit(1)
    if code:
        stmt = select(Site).where(Site.code == code)
    found = db.session.scalar(stmt)
    if found is None:
        abort(404)
    g.settings = settings_for(found.id)
    return found


def _verified(site: Site) -> str | None:
    """The phone proven on this page, while the proof lasts."""
    proof = session.get("book_proof") or {}
    if proof.get("site") != site.id:
        return None
    if datetime.fromisoformat(proof["until"]) < utcnow():
        return None
    return proof["phone"]


@bp.route("/book", methods=["GET", "POST"])
@bp.route("/book/<code>", methods=["GET", "POST"])
@public
def start(code: str | None = None):
    """Step one: the phone number, and a code sent to it."""
    guard_booking(codes=request.method == "POST")
    language = _language()
    site = _site(code)
    if _verified(site) and request.method == "GET" and "again" not in request.args:
        return redirect(url_for("booking.times", code=code))
    form = EmptyForm()
    phone = request.form.get("phone", "")
    if request.method == "POST" and form.validate_on_submit():
        sent = commit_or_flash(
            lambda: online.send_code(
                site.id, phone, language=language, address=request.remote_addr or "-"
            )
        )
        if sent:
            session["book_phone"] = online.phone_of(site.id, phone)
            session["book_site"] = site.id
            flash(_("We sent a code by SMS. Enter it below."), "success")
            return redirect(url_for("booking.verify", code=code))
    return render_template("care/book_start.html", form=form, phone=phone, code=code, site=site)


@bp.route("/book/code", methods=["GET", "POST"])
@bp.route("/book/<code>/code", methods=["GET", "POST"])
@public
def verify(code: str | None = None):
    """Step two: the code from the SMS proves the phone."""
    guard_booking()
    _language()
    site = _site(code)
    phone = session.get("book_phone")
    if not phone or session.get("book_site") != site.id:
        return redirect(url_for("booking.start", code=code))
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        right = online.check_code(site.id, phone, request.form.get("code", ""))
        db.session.commit()
        if right:
            until = utcnow() + timedelta(minutes=online.VERIFIED_MINUTES)
            session["book_proof"] = {"site": site.id, "phone": phone, "until": until.isoformat()}
            return redirect(url_for("booking.times", code=code))
        flash(str(online.CODE_REFUSED), "danger")
    return render_template("care/book_code.html", form=form, code=code, phone=phone)


def _slots(site_id: int, first: date, jobs, kind: str):
    local = zone(settings_for(site_id).time_zone)
    found = booking.free_starts(site_id, first, DAYS_SHOWN, jobs, kind=kind)
    return [(day, [a.astimezone(local) for a, _ in starts]) for day, starts in found]


@bp.route("/book/times", methods=["GET", "POST"])
@bp.route("/book/<code>/times", methods=["GET", "POST"])
@public
def times(code: str | None = None):
    """Step three: the service, the free times for it, and the booking."""
    guard_booking()
    language = _language()
    site = _site(code)
    phone = _verified(site)
    if phone is None:
        flash(_("Prove your phone number first: we send you a code."), "warning")
        return redirect(url_for("booking.start", code=code))
    source = request.form if request.method == "POST" else request.args
    chosen = [int(v) for v in source.getlist("canned") if v.isdigit()]
    concern = (source.get("concern") or "").strip()
    kind = source.get("kind") or AppointmentKind.DROP_OFF.value
    if kind not in AppointmentKind.values():
        kind = AppointmentKind.DROP_OFF.value
    local = zone(settings_for(site.id).time_zone)
    try:
        first = max(date.fromisoformat(source.get("from", "")), utcnow().astimezone(local).date())
    except ValueError:
        first = utcnow().astimezone(local).date()
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            start_at = datetime.fromisoformat(request.form.get("start", ""))
        except ValueError:
            flash(_("Pick a free time."), "danger")
        else:
            wanted = online.OnlineBooking(
                phone=phone,
                name=request.form.get("name", ""),
                plate=request.form.get("plate", ""),
                vin=request.form.get("vin"),
                start=start_at,
                canned_job_ids=chosen,
                concern=concern or None,
                kind=kind,
                language=language,
            )
            made = []
            if commit_or_flash(lambda: made.append(online.book_online(site.id, wanted))):
                session.pop("book_proof", None)
                token = booking_notices.booking_token(made[0])
                return redirect(url_for("booking.manage", token=token, new=1))
    slots, asked = [], bool(chosen or concern)
    if asked:
        try:
            slots = _slots(site.id, first, online.wanted_jobs(chosen, concern), kind)
        except DomainError as exc:
            for _field, message in exc.errors:
                flash(str(message), "danger")
    return render_template(
        "care/book_times.html",
        form=form,
        code=code,
        services=online.services_offered(site.id),
        chosen=set(chosen),
        concern=concern,
        kind=kind,
        first=first,
        slots=slots,
        asked=asked,
        values=request.form,
        kind_labels=Translated(AppointmentKind.labels()),
    )


def _booking(token: str) -> Appointment:
    guard_booking()
    found = booking_notices.find_booking(token)
    if found is None:
        missed()
        abort(404)
    g.page_language = found.customer.preferred_language
    g.settings = settings_for(found.site_id)
    return found


def _same_work(found: Appointment) -> list[booking.JobInput]:
    """The booking's work as it was booked (a common job by itself, with both its titles),
    to find it a new time."""
    return [
        booking.JobInput(
            title="" if job.canned_job_id else job.title,
            labor_hours=job.labor_hours,
            skill=job.skill,
            equipment=job.equipment,
            canned_job_id=job.canned_job_id,
        )
        for job in found.jobs
    ]


@bp.route("/b/<token>", methods=["GET", "POST"])
@public
def manage(token: str):
    """The booking's own page: when and what, and a new time picked from the free ones."""
    found = _booking(token)
    local = zone(settings_for(found.site_id).time_zone)
    form = EmptyForm()
    holding = found.status in HOLDING
    if request.method == "POST" and form.validate_on_submit() and holding:
        try:
            start_at = datetime.fromisoformat(request.form.get("start", ""))
        except ValueError:
            flash(_("Pick a free time."), "danger")
        else:
            if commit_or_flash(lambda: booking.reschedule(None, found, start_at)):
                flash(_("Your booking is moved."), "success")
                return redirect(url_for("booking.manage", token=token))
    jobs = _same_work(found)
    try:
        first = date.fromisoformat(request.args.get("from", ""))
    except ValueError:
        first = utcnow().astimezone(local).date()
    again = found.status == AppointmentStatus.NO_SHOW.value
    picking = (holding or again) and "change" in request.args
    return render_template(
        "care/book_manage.html",
        appointment=found,
        token=token,
        when=found.start_at.astimezone(local),
        form=form,
        holding=holding,
        picking=picking,
        again=again,
        slots=_slots(found.site_id, first, jobs, found.kind) if picking else [],
        status_labels=Translated(AppointmentStatus.labels()),
        new="new" in request.args,
    )


@bp.post("/b/<token>/cancel")
@public
def cancel(token: str):
    found = _booking(token)
    if (
        EmptyForm().validate_on_submit()
        and found.status in HOLDING
        and commit_or_flash(
            lambda: booking.set_status(
                None, found, "cancelled", reason=_("Cancelled by the customer online.")
            )
        )
    ):
        flash(_("Your booking is cancelled."), "success")
    return redirect(url_for("booking.manage", token=token))


@bp.post("/b/<token>/again")
@public
def again(token: str):
    """After a missed visit: the same work at a new time the customer picks."""
    found = _booking(token)
    if not EmptyForm().validate_on_submit() or found.status != AppointmentStatus.NO_SHOW.value:
        return redirect(url_for("booking.manage", token=token))
    try:
        start_at = datetime.fromisoformat(request.form.get("start", ""))
    except ValueError:
        flash(_("Pick a free time."), "danger")
        return redirect(url_for("booking.manage", token=token))
    made = []
    jobs = _same_work(found)
    if commit_or_flash(
        lambda: made.append(
            booking.book(
                None,
                found.customer,
                found.vehicle,
                start=start_at,
                kind=found.kind,
                jobs=jobs,
                concern=found.concern,
                source="online",
                plate=found.plate,
                vin=found.vin,
            )
        )
    ):
        return redirect(url_for("booking.manage", token=booking_notices.booking_token(made[0])))
    return redirect(url_for("booking.manage", token=token))
