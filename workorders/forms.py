"""Forms of the work-order pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from dealer.forms import DecimalField, IntegerField, OnceForm, VersionedForm, choices
from workorders.vocabulary import (
    AuthorizationMethod,
    Category,
    ComebackCause,
    DiscountKind,
    NotifyChannel,
    PartCondition,
    PaymentMethod,
    PayType,
)

FUEL_CHOICES = choices(
    [("0", _l("Empty")), ("0.25", "1/4"), ("0.5", "1/2"), ("0.75", "3/4"), ("1", _l("Full"))]
)
CATEGORY_CHOICES = choices(Category.choices())
PAY_CHOICES = choices(PayType.choices())
CONDITION_CHOICES = choices([("", _l("As in the catalogue")), *PartCondition.choices()])
METHOD_CHOICES = choices(AuthorizationMethod.choices())
PAYMENT_CHOICES = choices(PaymentMethod.choices())
NOTIFY_CHOICES = choices(NotifyChannel.choices())


class NewOrderForm(OnceForm):
    odometer_km = IntegerField(
        _l("Odometer (km)"), validators=[InputRequired(), NumberRange(min=0, max=3_000_000)]
    )
    fuel_level = SelectField(_l("Fuel level"), choices=FUEL_CHOICES, default="0.5")
    concern = TextAreaField(
        _l("Customer's concern"), validators=[InputRequired(), Length(max=4000)]
    )
    promised_at = DateTimeLocalField(_l("Promised for"), validators=[Optional()])
    not_to_exceed = DecimalField(
        _l("Not to exceed without asking"), places=2, validators=[Optional(), NumberRange(min=0)]
    )


class JobForm(VersionedForm):
    title = StringField(_l("Job"), validators=[InputRequired(), Length(max=200)])
    labor_hours = DecimalField(
        _l("Flat-rate hours"),
        places=2,
        validators=[InputRequired(), NumberRange(min=0.01, max=200)],
    )
    labor_rate = DecimalField(
        _l("Rate per hour"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    category = SelectField(_l("Repair category"), choices=CATEGORY_CHOICES)
    pay_type = SelectField(_l("Paid by"), choices=PAY_CHOICES)
    requires_road_test = BooleanField(_l("Needs a road test"))
    is_diagnosis = BooleanField(_l("Diagnosis or testing"))
    findings = TextAreaField(_l("Finding"), validators=[Optional(), Length(max=4000)])
    sublet_vendor = StringField(_l("Sublet to"), validators=[Optional(), Length(max=120)])
    sublet_cost = DecimalField(
        _l("Sublet cost"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    sublet_price = DecimalField(
        _l("Sublet price"), places=2, validators=[Optional(), NumberRange(min=0)]
    )


class PartLineForm(VersionedForm):
    job_id = SelectField(_l("For job"), coerce=int, choices=[])
    part_number = StringField(_l("Part number"), validators=[InputRequired(), Length(max=40)])
    quantity = DecimalField(
        _l("Quantity"), places=3, validators=[InputRequired(), NumberRange(min=0.001, max=1000)]
    )
    unit_price = DecimalField(
        _l("Unit price"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    condition = SelectField(_l("Condition"), choices=CONDITION_CHOICES)


class SpecialOrderForm(VersionedForm):
    """A part the catalogue does not hold, ordered for one job."""

    job_id = SelectField(_l("For job"), coerce=int, choices=[])
    part_number = StringField(_l("Part number"), validators=[InputRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    quantity = DecimalField(
        _l("Quantity"), places=3, validators=[InputRequired(), NumberRange(min=0.001, max=1000)]
    )
    unit_price = DecimalField(
        _l("Unit price"), places=2, validators=[InputRequired(), NumberRange(min=0)]
    )
    supplier = StringField(_l("Supplier"), validators=[Optional(), Length(max=120)])
    condition = SelectField(_l("Condition"), choices=choices(PartCondition.choices()))


class MoveForm(VersionedForm):
    to = HiddenField(validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class AuthorizationForm(VersionedForm):
    authorized_by = StringField(_l("Authorized by"), validators=[InputRequired(), Length(max=120)])
    method = SelectField(
        _l("How"), choices=METHOD_CHOICES, default=AuthorizationMethod.IN_PERSON.value
    )
    phone = StringField(_l("Number called"), validators=[Optional(), Length(max=40)])
    amount = DecimalField(
        _l("New authorized total"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    return_old_parts = BooleanField(_l("The customer wants the replaced parts back"))
    signature = HiddenField()


class QualityCheckForm(VersionedForm):
    road_test_done = BooleanField(_l("Road test done"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])


class NotifyForm(VersionedForm):
    how = SelectField(_l("Told by"), choices=NOTIFY_CHOICES)


class HandoverForm(VersionedForm):
    payment_method = SelectField(
        _l("Payment"), choices=PAYMENT_CHOICES, default=PaymentMethod.MOBILE_PAYMENT.value
    )
    amount_paid = DecimalField(
        _l("Amount paid"), places=2, validators=[InputRequired(), NumberRange(min=0)]
    )
    change_given = DecimalField(
        _l("Change given back"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    received_by = StringField(_l("Car taken by"), validators=[InputRequired(), Length(max=120)])
    old_parts_returned = BooleanField(_l("Replaced parts handed back"))
    odometer_out = IntegerField(
        _l("Odometer out (km)"), validators=[Optional(), NumberRange(min=0, max=3_000_000)]
    )
    signature = HiddenField()


class IntakeForm(VersionedForm):
    fuel_level = RadioField(_l("Fuel level"), choices=FUEL_CHOICES, default="0.5")
    keys_count = IntegerField(
        _l("Keys"), default=1, validators=[InputRequired(), NumberRange(min=0, max=20)]
    )
    valuables = StringField(
        _l("Valuables and other items"), validators=[Optional(), Length(max=300)]
    )
    oil_pan = SelectField(
        _l("Oil pan"), choices=choices([("ok", _l("No damage")), ("damaged", _l("Damaged"))])
    )
    leaks = StringField(_l("Leaks seen underneath"), validators=[Optional(), Length(max=300)])
    engine_temperature = SelectField(
        _l("Happens with the engine"),
        choices=choices(
            [("", "—"), ("cold", _l("Cold")), ("warm", _l("Warm")), ("always", _l("Either"))]
        ),
    )
    speed = StringField(_l("At what speed"), validators=[Optional(), Length(max=200)])
    load = StringField(_l("Under what load"), validators=[Optional(), Length(max=200)])
    road = StringField(_l("On what road"), validators=[Optional(), Length(max=200)])
    since = StringField(_l("Since when"), validators=[Optional(), Length(max=200)])
    frequency = StringField(_l("How often"), validators=[Optional(), Length(max=200)])
    accessories = StringField(_l("Fitted accessories"), validators=[Optional(), Length(max=200)])
    last_service = StringField(_l("Last service"), validators=[Optional(), Length(max=200)])
    earlier_repairs = StringField(
        _l("Earlier repairs of this"), validators=[Optional(), Length(max=200)]
    )
    road_test_with_customer = BooleanField(_l("Road test with the customer needed"))
    acknowledged_by = StringField(_l("Customer's name"), validators=[Optional(), Length(max=120)])
    signature = HiddenField()


class PhotoForm(FlaskForm):
    panel = SelectField(_l("Panel"), choices=[])
    photo = FileField(_l("Photo"), validators=[FileRequired()])


class PromiseForm(VersionedForm):
    promised_at = DateTimeLocalField(_l("Promised for"), validators=[InputRequired()])


class ComebackForm(OnceForm):
    odometer_km = IntegerField(
        _l("Odometer (km)"), validators=[InputRequired(), NumberRange(min=0, max=3_000_000)]
    )
    fuel_level = SelectField(_l("Fuel level"), choices=FUEL_CHOICES, default="0.5")
    concern = TextAreaField(
        _l("Customer's concern"), validators=[InputRequired(), Length(max=4000)]
    )
    cause = SelectField(
        _l("Root cause"),
        choices=choices(ComebackCause.choices()),
    )


class CannedJobForm(FlaskForm):
    title = StringField(_l("Job"), validators=[InputRequired(), Length(max=200)])
    title_zh = StringField(_l("Job in Chinese"), validators=[Optional(), Length(max=200)])
    labor_hours = DecimalField(
        _l("Flat-rate hours"),
        places=2,
        validators=[InputRequired(), NumberRange(min=0.01, max=200)],
    )
    category = SelectField(_l("Repair category"), choices=CATEGORY_CHOICES)
    parts = TextAreaField(
        _l("Parts"),
        validators=[Optional(), Length(max=2000)],
        description=_l("One part a line: part number, a space, quantity. As: 04152-YZZA1 1"),
    )


class DiscountForm(VersionedForm):
    kind = SelectField(_l("Discount"), choices=choices(DiscountKind.choices()))
    value = DecimalField(_l("Value"), places=2, validators=[InputRequired(), NumberRange(min=0.01)])
    reason = StringField(_l("Reason"), validators=[InputRequired(), Length(max=300)])


class PaymentForm(OnceForm):
    payment_method = SelectField(_l("Payment"), choices=PAYMENT_CHOICES)
    amount = DecimalField(
        _l("Amount"), places=2, validators=[InputRequired(), NumberRange(min=0.01)]
    )
    change_given = DecimalField(
        _l("Change given back"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    payer = StringField(_l("Paid by"), validators=[Optional(), Length(max=120)])
