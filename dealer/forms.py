"""Forms of the dealership core's pages."""

import re
import secrets
from datetime import timedelta

import wtforms
from flask import flash, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from dealer.extensions import db
from dealer.models import IdempotencyKey
from dealer.roles import LABELS, ROLES
from dealer.types import utcnow
from dealer.vocabulary import Language, Skill


def choices(pairs) -> list[SelectChoice]:
    """Choices of a select field from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


PLAIN_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")
WHOLE_NUMBER = re.compile(r"[-+]?\d+")
LARGEST_WHOLE_NUMBER = 2**31 - 1


class DecimalField(wtforms.DecimalField):
    """A decimal a person types: digits with at most ``places`` decimals (four when the
    field shows the value as stored) and at most ``digits`` in all; an exponent, ``NaN`` or
    ``Infinity`` is refused with the others as not a number."""

    def __init__(self, label=None, validators=None, places=2, digits=12, **kwargs):
        super().__init__(label, validators, places=places, **kwargs)
        self.decimals = 4 if places is None else places
        self.digits = digits

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        if text and not PLAIN_NUMBER.fullmatch(text):
            self.data = None
            raise ValueError(_l("Enter a number, like 12.5."))
        super().process_formdata(valuelist)
        if self.data is None:
            return
        if -self.data.as_tuple().exponent > self.decimals:
            self.data = None
            raise ValueError(_l("Use at most %(n)d decimal places.", n=self.decimals))
        if self.data.adjusted() >= self.digits - self.decimals:
            self.data = None
            raise ValueError(_l("This number is too large."))


class IntegerField(wtforms.IntegerField):
    """A whole number a person types, no larger than the database keeps."""

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        if text and not WHOLE_NUMBER.fullmatch(text):
            self.data = None
            raise ValueError(_l("Enter a whole number, like 12."))
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > LARGEST_WHOLE_NUMBER:
            self.data = None
            raise ValueError(_l("This number is too large."))


FORM_KEYS_KEPT = timedelta(days=7)
"""How long a spent form key is remembered: longer than any page stays open."""


class VersionedForm(FlaskForm):
    """A form that changes a record: it carries the version of the record the page showed,
    so a change made meanwhile by someone else is refused, never silently overwritten."""

    version = HiddenField()

    def version_number(self) -> int | None:
        """The record version the page was showing."""
        value = str(self.version.data or "")
        return int(value) if value.isdigit() else None


class OnceForm(FlaskForm):
    """A form that makes a record. Its one-time key is spent in the transaction that makes
    the record, so the same form sent twice (a double click, a reload, a resent request)
    makes one record; a form whose change is rolled back keeps its key for the retry."""

    form_key = HiddenField(
        default=lambda: secrets.token_urlsafe(18),
        validators=[Length(max=64)],
    )

    def validate_on_submit(self, extra_validators=None) -> bool:
        if not super().validate_on_submit(extra_validators):
            for message in self.form_key.errors:
                flash(str(message), "warning")
            return False
        key = "form:" + self.form_key.data
        spent = db.session.scalar(
            select(IdempotencyKey.id).where(
                IdempotencyKey.user_id == current_user.id, IdempotencyKey.key == key
            )
        )
        if spent is not None:
            message = _l("This form was sent already, so nothing new was made.")
            self.form_key.errors = [message]
            flash(str(message), "warning")
            return False
        db.session.execute(
            db.delete(IdempotencyKey).where(
                IdempotencyKey.user_id == current_user.id,
                IdempotencyKey.key.startswith("form:"),
                IdempotencyKey.created_at < utcnow() - FORM_KEYS_KEPT,
            )
        )
        db.session.add(
            IdempotencyKey(
                user_id=current_user.id,
                key=key,
                request=f"{request.method} {request.path}"[:300],
                status=303,
                body={},
            )
        )
        return True


LANGUAGE_CHOICES = choices(Language.choices())


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for POST buttons."""


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class StaffForm(OnceForm, VersionedForm):
    full_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    roles = MultiCheckboxField(_l("Roles"), choices=choices((r, LABELS[r]) for r in ROLES))
    skills = MultiCheckboxField(
        _l("Skills (technicians: the work they can be booked for)"),
        choices=choices(Skill.choices()),
    )


class NewStaffForm(StaffForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(),
            Length(max=200),
            EqualTo("password", message=_l("The passwords differ.")),
        ],
    )


class ChangePasswordForm(PasswordResetForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=200)]
    )


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class SettingsForm(VersionedForm):
    dealer_name = StringField(_l("Dealer name"), validators=[DataRequired(), Length(max=200)])
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=400)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    tax_rate = DecimalField(
        _l("Tax rate"),
        places=None,
        validators=[DataRequired(), NumberRange(min=0, max=0.9999)],
        description=_l("As a fraction: 0.13 is 13%."),
    )
    labor_tax_rate = DecimalField(
        _l("Tax rate on labor"),
        places=None,
        validators=[Optional(), NumberRange(min=0, max=0.9999)],
        description=_l("Leave empty to tax labor at the rate above; 0 where labor is not taxed."),
    )
    repair_dealer_number = StringField(
        _l("Repair dealer registration number"),
        validators=[Optional(), Length(max=40)],
        description=_l("Printed on estimates and invoices (California's ARD number, for example)."),
    )
    labor_rate = DecimalField(
        _l("Default labor rate per hour"),
        places=None,
        validators=[DataRequired(), NumberRange(min=0, max=100000)],
    )
    currency = StringField(_l("Currency"), validators=[DataRequired(), Length(min=3, max=3)])
    time_zone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)])
    phone_region = StringField(
        _l("Default phone region"), validators=[DataRequired(), Length(min=2, max=2)]
    )
    discount_limit_percent = DecimalField(
        _l("Discounts above this percentage need a manager"),
        places=2,
        validators=[InputRequired(), NumberRange(min=0, max=100)],
    )
    parts_lead_days = IntegerField(
        _l("Days to get a part not in stock"),
        validators=[InputRequired(), NumberRange(min=0, max=60)],
    )
    estimate_valid_days = IntegerField(
        _l("Days an estimate stays valid"),
        validators=[InputRequired(), NumberRange(min=1, max=365)],
    )
    bays = IntegerField(
        _l("Bays and lifts (cars worked on at once)"),
        validators=[Optional(), NumberRange(min=0, max=500)],
    )
    walk_in_percent = DecimalField(
        _l("Share of the technicians' hours kept for cars that come without booking (%)"),
        places=0,
        validators=[Optional(), NumberRange(min=0, max=90)],
    )
    alignment_rigs = IntegerField(
        _l("Alignment rigs"), validators=[Optional(), NumberRange(min=0, max=20)]
    )
    paint_booths = IntegerField(
        _l("Paint booths"), validators=[Optional(), NumberRange(min=0, max=20)]
    )
    appointment_reminder_at = StringField(
        _l("Evening run for tomorrow's bookings"),
        validators=[Optional(), Length(max=5)],
        description=_l(
            "At this time the day before, booked customers get their reminder and the parts "
            "counter's pick list reserves the booked parts, as 18:00."
        ),
    )
    quiet_hours = StringField(
        _l("Quiet hours"),
        validators=[Length(max=20)],
        description=_l(
            "Messages that can wait are held from the first time to the second, as 21:00-08:00; "
            "leave empty for none."
        ),
    )
    care_contact = SelectField(
        _l("Service reminders and VIP care (birthdays, holidays)"),
        choices=choices(
            [
                ("call", _l("A call")),
                ("message", _l("A message")),
                ("both", _l("A call and a message")),
            ]
        ),
    )
    order_messages = BooleanField(
        _l("Tell customers by message as their car goes through the workshop, with its link")
    )
    hours_mon = StringField(_l("Monday"), validators=[Length(max=100)])
    hours_tue = StringField(_l("Tuesday"), validators=[Length(max=100)])
    hours_wed = StringField(_l("Wednesday"), validators=[Length(max=100)])
    hours_thu = StringField(_l("Thursday"), validators=[Length(max=100)])
    hours_fri = StringField(_l("Friday"), validators=[Length(max=100)])
    hours_sat = StringField(_l("Saturday"), validators=[Length(max=100)])
    hours_sun = StringField(_l("Sunday"), validators=[Length(max=100)])


class ConfirmForm(FlaskForm):
    confirm = BooleanField(_l("I am sure"), validators=[DataRequired()])


class CalendarForm(FlaskForm):
    holidays = TextAreaField(
        _l("Public holidays"),
        validators=[Optional(), Length(max=20000)],
        description=_l("One date a line, as 2026-10-01. The workshop is closed."),
    )
    workdays = TextAreaField(
        _l("Make-up working days"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Weekend days the workshop works, with the hours of a usual weekday."),
    )
    import_year = HiddenField()
