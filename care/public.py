"""The customer's link as a page for a phone (``/l/<token>``), in the customer's language:
the car's way through the workshop, the estimate with its photos, the decision on the work
that waits, and after handover the settlement list and the survey.

Every request is counted per address and per token (``dealer.throttle``); a token that opens
nothing counts against the address more heavily, so guessing stops soon. An unknown, expired
or revoked token gets the same 404.
"""

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from care import links, survey
from care.vocabulary import Question
from dealer import throttle
from dealer.auth import public
from dealer.config import PUBLIC_LIMITS
from dealer.database import write_from_here
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.forms import choices
from dealer.services import settings_for
from dealer.types import utcnow
from dealer.web import pdf_response, stored_file
from mpi import inspecting
from mpi.models import FindingPhoto
from mpi.vocabulary import Condition, ItemGroup
from workorders import services as wo
from workorders.services import documents
from workorders.vocabulary import JobStatus, Panel, Status

bp = Blueprint("links", __name__)

WINDOW = timedelta(minutes=10)
SCORES = choices((str(n), str(n)) for n in range(1, 6))


def limit(name: str) -> int:
    return current_app.config.get(name, PUBLIC_LIMITS[name])


def guard_public(counted: dict[str, int]) -> None:
    """Count the request in ``counted`` (bucket: limit) and in its address's bucket; 429
    when one of them, or the address's tokens that opened nothing, has had too many (the
    limits are per ``WINDOW``, see ``dealer.config.PUBLIC_LIMITS``)."""
    write_from_here()
    address = request.remote_addr or "-"
    buckets = {f"a:{address}": limit("PUBLIC_PER_ADDRESS"), **counted}
    misses = {f"m:{address}": limit("PUBLIC_MISSES_PER_ADDRESS")}
    if throttle.over_limit({**buckets, **misses}, utcnow(), window=WINDOW, count=list(buckets)):
        abort(429)


def missed() -> None:
    """A token that opened nothing: it counts against its address's misses."""
    throttle.count_hit([f"m:{request.remote_addr or '-'}"], utcnow())


def guard(token: str) -> None:
    """Count a request with a link's token, per address and per token."""
    guard_public({f"l:{links.token_hash(token)[:40]}": limit("PUBLIC_PER_TOKEN")})


def open_link(token: str):
    """The live link and its order, in the customer's language; 404 otherwise."""
    guard(token)
    link = links.find_link(token)
    if link is None:
        missed()
        abort(404)
    g.page_language = link.work_order.customer.preferred_language
    g.settings = settings_for(link.site_id)
    return link


class DecisionForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    signature = HiddenField()


class SurveyForm(FlaskForm):
    satisfaction = RadioField(_l("Your visit overall"), choices=SCORES, validators=[DataRequired()])
    work_quality = RadioField(Question.WORK_QUALITY.label, choices=SCORES, validators=[Optional()])
    on_time = RadioField(Question.ON_TIME.label, choices=SCORES, validators=[Optional()])
    explanation = RadioField(Question.EXPLANATION.label, choices=SCORES, validators=[Optional()])
    staff_attitude = RadioField(
        Question.STAFF_ATTITUDE.label, choices=SCORES, validators=[Optional()]
    )
    comment = TextAreaField(_l("Anything to tell us?"), validators=[Optional(), Length(max=2000)])


def commit_or_flash(run) -> bool:
    try:
        run()
    except DomainError as exc:
        db.session.rollback()
        for _field, message in exc.errors:
            flash(str(message), "danger")
        return False
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        flash(_("The order changed at the same moment. Look again and retry."), "danger")
        return False
    db.session.commit()
    return True


@bp.get("/l/<token>")
@public
def page(token: str):
    link = open_link(token)
    order = link.work_order
    if link.opened_at is None:
        link.opened_at = utcnow()
        db.session.commit()
    view = links.customer_view(order)
    decision = DecisionForm(name=order.customer.name)
    asking = survey.survey_open(order)
    return render_template(
        "care/link.html",
        token=token,
        link=link,
        view=view,
        decision=decision,
        survey_form=SurveyForm() if asking else None,
        answered=view.delivered and not asking,
        status_labels=Status.labels(),
        job_status_labels=JobStatus.labels(),
        panels=Panel.labels(),
        inspection=inspecting.by_system(inspecting.released_inspection(order)),
        item_groups=ItemGroup.labels(),
        conditions=Condition.labels(),
    )


@bp.post("/l/<token>")
@public
def decide(token: str):
    link = open_link(token)
    order = link.work_order
    form = DecisionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
        return redirect(url_for("links.page", token=token))
    approve = [j.id for j in order.jobs if request.form.get(f"decision-{j.id}") == "approve"]
    decline = [j.id for j in order.jobs if request.form.get(f"decision-{j.id}") == "decline"]
    done = commit_or_flash(
        lambda: links.decide(
            link,
            approve=approve,
            decline=decline,
            name=form.name.data,
            signature=form.signature.data,
            address=request.remote_addr,
            user_agent=request.headers.get("User-Agent"),
        )
    )
    if done:
        flash(_("Thank you: your decision is with us."), "success")
    return redirect(url_for("links.page", token=token))


@bp.post("/l/<token>/survey")
@public
def answer(token: str):
    link = open_link(token)
    form = SurveyForm()
    if not form.validate_on_submit():
        flash(_("Give the visit a score from 1 to 5."), "danger")
        return redirect(url_for("links.page", token=token))
    scores = {q: int(getattr(form, q).data) for q in Question.values() if getattr(form, q).data}
    done = commit_or_flash(
        lambda: survey.answer_survey(
            link.work_order,
            satisfaction=int(form.satisfaction.data),
            answers=scores,
            comment=form.comment.data,
        )
    )
    if done:
        flash(_("Thank you for your answers."), "success")
    return redirect(url_for("links.page", token=token))


@bp.get("/l/<token>/photos/<int:photo_id>")
@public
def photo(token: str, photo_id: int):
    order = open_link(token).work_order
    kept = next((p for p in order.photos if p.id == photo_id), None)
    if kept is None:
        abort(404)
    return stored_file(wo.photo_file(kept), kept.content_type, wo.photo_name(order, kept))


@bp.get("/l/<token>/inspection-photos/<int:photo_id>")
@public
def inspection_photo(token: str, photo_id: int):
    order = open_link(token).work_order
    shown = inspecting.released_inspection(order)
    kept = db.session.get(FindingPhoto, photo_id)
    if shown is None or kept is None or kept.item.inspection_id != shown.id:
        abort(404)
    return stored_file(
        inspecting.photo_file(kept), kept.content_type, inspecting.photo_name(order, kept)
    )


@bp.get("/l/<token>/settlement.pdf")
@public
def settlement(token: str):
    order = open_link(token).work_order
    if order.status != Status.DELIVERED:
        abort(404)
    data = documents.document(order, "invoice", copy="customer")
    return pdf_response(data, documents.filename(order, "settlement"))
