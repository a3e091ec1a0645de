"""The desk's side of the customer's link and of the messages: sending an order's link to
the customer, revoking it, and the manager's page of message texts with a preview."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired

from care import dealer_texts as texts
from care import links, notices
from care.message_texts import PLACEHOLDERS, default_text
from care.views import bp
from care.vocabulary import MessageChannel, MessageEvent
from dealer.auth import roles_required
from dealer.errors import DomainError
from dealer.forms import EmptyForm, choices
from dealer.models import LANGUAGES
from dealer.roles import ADVISOR, MANAGER
from dealer.web import act
from workorders.pages import back_to, order_in_reach

DESK = (ADVISOR, MANAGER)


class SendLinkForm(FlaskForm):
    channel = SelectField(
        _l("Send by"),
        choices=choices([("", _l("The customer's preferred way")), *MessageChannel.choices()]),
    )


class MessageTextForm(FlaskForm):
    text = TextAreaField(_l("Text"), validators=[DataRequired()])
    version = HiddenField()


@bp.post("/work-orders/<int:order_id>/links/send")
@roles_required(*DESK)
def send_link(order_id: int):
    found = order_in_reach(order_id)
    form = SendLinkForm()
    if form.validate_on_submit():
        act(
            lambda actor, order: notices.send_link(
                actor, order, notices.event_for(order), channel=form.channel.data or None
            ),
            _("The link is in the outbox: the customer gets it as the channel sends it."),
            found,
        )
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/links/revoke")
@roles_required(*DESK)
def revoke_links(order_id: int):
    found = order_in_reach(order_id)
    if EmptyForm().validate_on_submit():
        act(links.revoke_links, _("The order's links no longer open it."), found)
    return back_to(found)


@bp.get("/settings/messages")
@roles_required(MANAGER)
def message_texts():
    own = texts.texts_for(current_user.site_id)
    rows = [
        (event, language, own.get((event, language)), default_text(event, language))
        for event in MessageEvent.values()
        for language in LANGUAGES
    ]
    return render_template("care/message_texts.html", rows=rows)


@bp.route("/settings/messages/<event>/<language>", methods=["GET", "POST"])
@roles_required(MANAGER)
def message_text(event: str, language: str):
    if event not in MessageEvent.values() or language not in LANGUAGES:
        abort(404)
    own = texts.texts_for(current_user.site_id).get((event, language))
    form = MessageTextForm(
        text=own.text if own else default_text(event, language),
        version=own.version if own else "",
    )
    shown = None
    if form.validate_on_submit():
        raw = str(form.version.data or "")
        version = int(raw) if raw.isdigit() else None
        action = request.form.get("action")
        if action == "preview":
            try:
                shown = texts.preview(event, language, form.text.data)
            except DomainError as exc:
                for _field, message in exc.errors:
                    flash(str(message), "danger")
        elif action == "reset":
            act(
                lambda actor: texts.reset_text(actor, event, language),
                _("The product's text is back."),
            )
            return redirect(url_for("care.message_texts"))
        elif act(
            lambda actor: (
                texts.save_text(actor, event, language, form.text.data, version=version) or True
            ),
            _("Text saved: the next messages use it."),
        ):
            return redirect(url_for("care.message_texts"))
    return render_template(
        "care/message_text.html",
        form=form,
        event=event,
        language=language,
        own=own,
        placeholders=sorted(PLACEHOLDERS[event]),
        preview=shown,
    )
