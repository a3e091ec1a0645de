"""Forms of the customer and vehicle pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from customers.vocabulary import ContactChannel, CustomerKind, VehicleClass
from dealer.forms import LANGUAGE_CHOICES, IntegerField, OnceForm, VersionedForm, choices

KIND_CHOICES = choices(CustomerKind.choices())
CHANNEL_CHOICES = choices(ContactChannel.choices())
CLASS_CHOICES = choices(VehicleClass.choices())


class CustomerForm(OnceForm, VersionedForm):
    kind = SelectField(_l("Customer is a"), choices=KIND_CHOICES, default="person")
    name = StringField(_l("Name"), validators=[Length(max=120)])
    phone = TelField(_l("Mobile phone"), validators=[Length(max=40)])
    alt_phone = TelField(_l("Other phone"), validators=[Optional(), Length(max=40)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
    contact_phone = TelField(_l("Contact person's phone"), validators=[Optional(), Length(max=40)])
    preferred_language = SelectField(
        _l("Language for papers and calls"), choices=LANGUAGE_CHOICES, default="zh_Hans"
    )
    preferred_channel = SelectField(
        _l("Preferred contact"), choices=CHANNEL_CHOICES, default="phone"
    )
    preferred_time = StringField(_l("Best time to call"), validators=[Optional(), Length(max=80)])
    callback_consent = BooleanField(_l("Agrees to callbacks after service"), default=True)
    marketing_consent = BooleanField(_l("Agrees to marketing messages"), default=False)
    birthday = DateField(_l("Birthday"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])


class VehicleForm(OnceForm, VersionedForm):
    vin = StringField(_l("VIN"), validators=[Length(max=30)])
    frame_number = BooleanField(_l("Frame number instead (built before 1981, or a Japanese car)"))
    plate = StringField(_l("Plate"), validators=[Length(max=20)])
    make = StringField(_l("Make"), validators=[Length(max=60)])
    model = StringField(_l("Model"), validators=[Length(max=60)])
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=1900, max=2100)])
    engine_number = StringField(_l("Engine number"), validators=[Optional(), Length(max=40)])
    colour = StringField(_l("Colour"), validators=[Optional(), Length(max=40)])
    vehicle_class = SelectField(_l("Class"), choices=CLASS_CHOICES, default="car")
    sold_on = DateField(_l("Date of first sale"), validators=[Optional()])


class NewVehicleForm(VehicleForm):
    odometer_km = IntegerField(
        _l("Odometer (km)"), validators=[Optional(), NumberRange(min=0, max=3_000_000)]
    )


class OdometerForm(FlaskForm):
    reading_km = IntegerField(
        _l("Reading (km)"), validators=[InputRequired(), NumberRange(min=0, max=3_000_000)]
    )
    correction = BooleanField(_l("This corrects a wrong earlier reading"))
    reason = StringField(_l("Reason for the correction"), validators=[Optional(), Length(max=300)])


class TransferForm(FlaskForm):
    customer_id = IntegerField(validators=[DataRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])


class EraseForm(FlaskForm):
    confirm = StringField(_l("Type ERASE to confirm"), validators=[InputRequired(), Length(max=10)])
