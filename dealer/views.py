"""Pages of the dealership core: sign-in, home, account, staff, settings, audit log."""

from datetime import date, datetime, time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from sqlalchemy import or_, select, text
from sqlalchemy.orm import selectinload

from dealer import absences, holidays, services, throttle
from dealer.audit_labels import describe, entity_label
from dealer.auth import public, roles_required, spend_password_time, start_session, verify_password
from dealer.extensions import db
from dealer.forms import (
    CalendarForm,
    ChangePasswordForm,
    EmptyForm,
    LanguageForm,
    LoginForm,
    NewStaffForm,
    PasswordResetForm,
    SettingsForm,
    StaffForm,
)
from dealer.i18n import current_settings
from dealer.models import DEFAULT_WARRANTY, LANGUAGES, Absence, AuditEntry, User
from dealer.roles import ALL_STAFF, MANAGER
from dealer.services import WEEKDAYS
from dealer.timeutil import zone
from dealer.types import utcnow
from dealer.vocabulary import AuditAction
from dealer.web import (
    act,
    form_data,
    form_status,
    get_or_404,
    paginate,
    searchable,
    searched_text,
    submitted,
)

bp = Blueprint("dealer", __name__)

WARRANTY_LABELS = {
    "major_repair": _l("Complete-vehicle or major-assembly repair"),
    "level2_maintenance": _l("Level-2 maintenance"),
    "level1_maintenance": _l("Level-1 maintenance"),
    "minor_repair": _l("Minor and specialist repair"),
}
CLASS_LABELS = {"car": _l("Cars"), "motorcycle": _l("Motorcycles"), "other": _l("Other vehicles")}


@bp.get("/healthz")
@public
def healthz():
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.get("/readyz")
@public
def readyz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        current_app.logger.exception("database not ready")
        return "database unavailable", 503, {"Content-Type": "text/plain"}
    return "ok", 200, {"Content-Type": "text/plain"}


def _safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else the home page.

    Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so
    ``/%09/evil.example`` would leave the site: any control character, space or backslash
    makes the target unsafe, as does anything with a scheme or a host."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not any(ch <= " " or ch in "\\\x7f" for ch in target)
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("reports.home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("reports.home"))
    form = LoginForm()
    if form.validate_on_submit():
        config = current_app.config
        now = utcnow()
        account, address = throttle.account_key(form.username.data), request.remote_addr or ""
        wait = throttle.wait_left(
            account,
            address,
            now,
            window=config["LOGIN_WINDOW"],
            per_account=config["LOGIN_MAX_PER_ACCOUNT"],
            per_address=config["LOGIN_MAX_PER_ADDRESS"],
        )
        if wait is not None:
            current_app.logger.warning("login refused (too many failures) from %s", address)
            minutes = max(1, -(-int(wait.total_seconds()) // 60))
            flash(_("Too many failed sign-ins. Try again in %(n)s minutes.", n=minutes), "danger")
            page = render_template("dealer/login.html", form=form, languages=LANGUAGES)
            return page, 429, {"Retry-After": str(minutes * 60)}
        user = services.find_user(form.username.data)
        if user is None:
            spend_password_time(form.password.data)
        if user is not None and user.active and verify_password(user, form.password.data):
            user.last_login_at = now
            throttle.forget(account, address)
            db.session.commit()
            start_session(user, now)
            current_app.logger.info("login succeeded for user id %s from %s", user.id, address)
            return redirect(_safe_next(request.args.get("next")))
        throttle.record_failure(account, address, now, window=config["LOGIN_WINDOW"])
        db.session.commit()
        current_app.logger.warning("login failed from %s", address)
        flash(_("Wrong username or password, or the account is deactivated."), "danger")
    return render_template("dealer/login.html", form=form, languages=LANGUAGES), form_status()


@bp.post("/logout")
@roles_required(*ALL_STAFF)
def logout():
    if EmptyForm().validate_on_submit():
        services.end_sessions(current_user, current_user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are signed out."), "info")
    return redirect(url_for("dealer.login"))


@bp.post("/language")
@public
def choose_language():
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            services.set_language(current_user, form.language.data)
            db.session.commit()
        else:
            session["lang"] = form.language.data
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/account", methods=["GET", "POST"])
@roles_required(*ALL_STAFF)
def account():
    language_form = LanguageForm(language=current_user.language, prefix="lang")
    password_form = ChangePasswordForm(prefix="pw")
    if request.method == "POST" and "pw-password" in request.form and password_form.validate():
        ok = verify_password(current_user, password_form.current_password.data)
        with submitted(password_form) as done:
            services.change_own_password(current_user, ok, password_form.password.data)
        if done:
            start_session(current_user, utcnow())
            flash(_("Your password is changed; your other sessions are ended."), "success")
            return redirect(url_for("dealer.account"))
    if request.method == "POST" and "lang-language" in request.form and language_form.validate():
        services.set_language(current_user, language_form.language.data)
        db.session.commit()
        flash(_("Language saved."), "success")
        return redirect(url_for("dealer.account"))
    return render_template(
        "dealer/account.html", language_form=language_form, password_form=password_form
    ), form_status()


@bp.route("/staff", methods=["GET", "POST"])
@roles_required(MANAGER)
@searchable
def staff_list():
    q = searched_text(60)
    stmt = (
        select(User)
        .where(User.site_id == current_user.site_id)
        .order_by(User.active.desc(), User.username)
        .options(selectinload(User.role_rows))
    )
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(or_(User.username.like(like), User.full_name.ilike(like)))
    pagination = paginate(stmt, 25)
    return render_template("dealer/staff_list.html", pagination=pagination, q=q, form=EmptyForm())


@bp.route("/staff/new", methods=["GET", "POST"])
@roles_required(MANAGER)
def staff_new():
    form = NewStaffForm()
    if form.validate_on_submit():
        data = form_data(services.StaffInput, form)
        with submitted(form) as done:
            user = services.create_user(
                current_user,
                username=form.username.data,
                password=form.password.data,
                data=data,
                site=current_user.site,
            )
        if done:
            flash(
                _(
                    "%(name)s can now sign in as %(username)s.",
                    name=user.full_name,
                    username=user.username,
                ),
                "success",
            )
            return redirect(url_for("dealer.staff_list"))
    return render_template("dealer/staff_form.html", form=form, user=None), form_status()


@bp.route("/staff/<int:user_id>", methods=["GET", "POST"])
@roles_required(MANAGER)
def staff_edit(user_id: int):
    user = get_or_404(User, user_id, site_id=current_user.site_id)
    form = StaffForm(obj=user)
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
    if form.validate_on_submit():
        data = form_data(services.StaffInput, form)
        with submitted(form) as done:
            services.update_user(current_user, user, data, version=form.version_number())
        if done:
            flash(_("Saved."), "success")
            return redirect(url_for("dealer.staff_list"))
    return render_template(
        "dealer/staff_form.html",
        form=form,
        user=user,
        reset_form=PasswordResetForm(),
        action_form=EmptyForm(),
        absences=absences.upcoming(user.id),
    ), form_status()


@bp.post("/staff/<int:user_id>/absences")
@roles_required(MANAGER)
def staff_absence(user_id: int):
    user = get_or_404(User, user_id, site_id=current_user.site_id)
    if EmptyForm().validate_on_submit():
        local = zone(current_settings().time_zone)
        try:
            starts, ends = (
                datetime.combine(
                    date.fromisoformat(request.form.get(f"{end}_day", "")),
                    time.fromisoformat(request.form.get(f"{end}_time", "") or default),
                    local,
                )
                for end, default in (("starts", "00:00"), ("ends", "23:59"))
            )
        except ValueError:
            flash(_("Give the first and the last day of the absence."), "danger")
        else:
            act(
                lambda actor: absences.add_absence(
                    actor, user, starts, ends, request.form.get("reason")
                ),
                _("Absence recorded: bookings leave these hours out."),
            )
    return redirect(url_for("dealer.staff_edit", user_id=user.id))


@bp.post("/absences/<int:absence_id>/remove")
@roles_required(MANAGER)
def remove_absence(absence_id: int):
    absence = get_or_404(Absence, absence_id, site_id=current_user.site_id)
    if EmptyForm().validate_on_submit():
        act(lambda actor: absences.remove_absence(actor, absence), _("Absence removed."))
    return redirect(url_for("dealer.staff_edit", user_id=absence.user_id))


@bp.post("/staff/<int:user_id>/password")
@roles_required(MANAGER)
def staff_password(user_id: int):
    user = get_or_404(User, user_id, site_id=current_user.site_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        with submitted() as done:
            services.reset_password(current_user, user, form.password.data)
        if done:
            flash(
                _("The password is reset and %(name)s's sessions are ended.", name=user.full_name),
                "success",
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
    return redirect(url_for("dealer.staff_edit", user_id=user.id))


@bp.post("/staff/<int:user_id>/<any(deactivate, activate, 'end-sessions', 'revoke-tokens'):action>")
@roles_required(MANAGER)
def staff_action(user_id: int, action: str):
    user = get_or_404(User, user_id, site_id=current_user.site_id)
    if not EmptyForm().validate_on_submit():
        flash(_("The form expired; please try again."), "danger")
        return redirect(url_for("dealer.staff_edit", user_id=user.id))
    with submitted() as done:
        if action == "end-sessions":
            services.end_sessions(current_user, user)
            message = _("Every session of %(name)s is ended.", name=user.full_name)
        elif action == "revoke-tokens":
            count = services.revoke_tokens(user, actor=current_user)
            message = _("%(n)s API tokens of %(name)s are revoked.", n=count, name=user.full_name)
        else:
            services.set_active(current_user, user, action == "activate")
            message = (
                _("%(name)s is active again.", name=user.full_name)
                if action == "activate"
                else _("%(name)s is deactivated and signed out everywhere.", name=user.full_name)
            )
    if done:
        flash(message, "success")
    return redirect(url_for("dealer.staff_edit", user_id=user.id))


def _hours_text(periods: list) -> str:
    return ", ".join(f"{start}-{end}" for start, end in periods)


def _hours_value(text_value: str) -> list:
    periods = []
    for part in (text_value or "").replace("，", ",").split(","):
        part = part.strip()
        if part:
            start, _sep, end = part.replace("–", "-").partition("-")
            periods.append([start.strip(), end.strip()])
    return periods


def _channels() -> list[tuple[str, bool]]:
    """The message channels and the worker's queue as the environment sets them: shown in
    Settings, not edited there."""
    config = current_app.config
    return [
        (_("E-mail (MAIL_URL)"), bool(config.get("MAIL_URL"))),
        (_("SMS gateway (SMS_GATEWAY_URL)"), bool(config.get("SMS_GATEWAY_URL"))),
        (_("WeChat (WECHAT_API_URL)"), bool(config.get("WECHAT_API_URL"))),
        (
            _("Gateway receipts and replies (SMS_WEBHOOK_SECRET)"),
            bool(config.get("SMS_WEBHOOK_SECRET")),
        ),
        (_("Worker queue on Redis (REDIS_URL)"), bool(config.get("REDIS_URL"))),
    ]


def _quiet_value(text_value: str) -> dict:
    """Quiet hours typed as 21:00-08:00 (empty: none, kept as the same time twice)."""
    periods = _hours_value(text_value)
    if not periods:
        return {"start": "00:00", "end": "00:00"}
    start, end = periods[0]
    return {"start": start, "end": end}


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(MANAGER)
def settings():
    current = current_settings()
    form = SettingsForm(obj=current)
    if request.method == "GET":
        for day in WEEKDAYS:
            getattr(form, f"hours_{day}").data = _hours_text(current.working_hours.get(day, []))
        form.walk_in_percent.data = current.walk_in_share * 100
        form.alignment_rigs.data = (current.equipment or {}).get("alignment", 0)
        form.paint_booths.data = (current.equipment or {}).get("paint_booth", 0)
        quiet = current.quiet_hours
        form.quiet_hours.data = (
            "" if quiet["start"] == quiet["end"] else _hours_text([quiet.values()])
        )
    if form.validate_on_submit():
        data = services.SettingsInput(
            dealer_name=form.dealer_name.data,
            address=form.address.data or "",
            phone=form.phone.data or "",
            tax_rate=form.tax_rate.data,
            labor_tax_rate=form.labor_tax_rate.data,
            repair_dealer_number=form.repair_dealer_number.data,
            labor_rate=form.labor_rate.data,
            currency=form.currency.data.strip().upper(),
            time_zone=form.time_zone.data.strip(),
            working_hours={d: _hours_value(getattr(form, f"hours_{d}").data) for d in WEEKDAYS},
            phone_region=form.phone_region.data.strip().upper(),
            warranty_rules={
                category: {
                    vehicle_class: [
                        request.form.get(f"warranty-{category}-{vehicle_class}-km", ""),
                        request.form.get(f"warranty-{category}-{vehicle_class}-days", ""),
                    ]
                    for vehicle_class in classes
                }
                for category, classes in DEFAULT_WARRANTY.items()
            },
            discount_limit_percent=form.discount_limit_percent.data,
            parts_lead_days=form.parts_lead_days.data,
            estimate_valid_days=form.estimate_valid_days.data,
            quiet_hours=(
                _quiet_value(form.quiet_hours.data) if "quiet_hours" in request.form else None
            ),
            care_contact=form.care_contact.data if "care_contact" in request.form else None,
            order_messages=(
                bool(form.order_messages.data) if "care_contact" in request.form else None
            ),
            bays=form.bays.data,
            walk_in_share=(
                form.walk_in_percent.data / 100 if form.walk_in_percent.data is not None else None
            ),
            equipment=(
                {
                    "alignment": form.alignment_rigs.data or 0,
                    "paint_booth": form.paint_booths.data or 0,
                }
                if "alignment_rigs" in request.form
                else None
            ),
            appointment_reminder_at=(form.appointment_reminder_at.data or "").strip() or None,
        )
        fields = {f"working_hours.{d}": f"hours_{d}" for d in WEEKDAYS}
        with submitted(form, fields) as done:
            services.update_settings(current_user, current, data, version=form.version_number())
        if done:
            flash(_("Settings saved."), "success")
            return redirect(url_for("dealer.settings"))
    rules = current.warranty_rules
    if request.method == "POST":
        rules = {
            c: {
                v: [
                    request.form.get(f"warranty-{c}-{v}-km", ""),
                    request.form.get(f"warranty-{c}-{v}-days", ""),
                ]
                for v in classes
            }
            for c, classes in DEFAULT_WARRANTY.items()
        }
    warranty_errors = {}
    return render_template(
        "dealer/settings.html",
        form=form,
        weekdays=WEEKDAYS,
        warranty=rules,
        warranty_errors=warranty_errors,
        categories=WARRANTY_LABELS,
        classes=CLASS_LABELS,
        pdf_font=current_app.extensions["pdf_font"],
        channels=_channels(),
    ), form_status()


@bp.get("/audit")
@roles_required(MANAGER)
def audit_log():
    entity = request.args.get("entity", "").strip()[:40]
    entity_id = request.args.get("id", type=int)
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.site_id == current_user.site_id)
        .order_by(AuditEntry.id.desc())
    )
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    pagination = paginate(stmt, 50)
    return render_template(
        "dealer/audit.html",
        pagination=pagination,
        entity=entity,
        entity_id=entity_id,
        action_labels=AuditAction.labels(),
        describe=describe,
        entity_label=entity_label,
    )


@bp.route("/settings/calendar", methods=["GET", "POST"])
@roles_required(MANAGER)
def working_calendar():
    settings = current_settings()
    kept = settings.calendar or {}
    form = CalendarForm(
        holidays="\n".join(kept.get("holidays", [])), workdays="\n".join(kept.get("workdays", []))
    )
    if form.validate_on_submit():
        with submitted(form, {"year": "import_year"}) as done:
            if form.import_year.data:
                holidays.import_official(current_user, settings, int(form.import_year.data))
                message = _(
                    "China's official calendar for %(year)s is added.", year=form.import_year.data
                )
            else:
                holidays.set_calendar(
                    current_user,
                    settings,
                    holidays=form.holidays.data or "",
                    workdays=form.workdays.data or "",
                )
                message = _("Working calendar saved.")
        if done:
            flash(message, "success")
            return redirect(url_for("dealer.working_calendar"))
    return render_template(
        "dealer/calendar.html",
        form=form,
        years=sorted(holidays.official_calendars()),
        calendar=kept,
    ), form_status()
