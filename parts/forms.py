"""The parts counter's forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from dealer.forms import DecimalField, OnceForm, VersionedForm


class PartForm(OnceForm):
    part_number = StringField(_l("Part number"), validators=[InputRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    name_zh = StringField(_l("Chinese name"), validators=[Optional(), Length(max=200)])
    brand = StringField(_l("Brand"), validators=[Optional(), Length(max=80)])
    genuine = BooleanField(_l("Genuine part"), default=True)
    unit_price = DecimalField(
        _l("Unit price"), places=2, validators=[InputRequired(), NumberRange(min=0)]
    )
    unit_cost = DecimalField(_l("Unit cost"), places=2, validators=[Optional(), NumberRange(min=0)])
    reorder_point = DecimalField(
        _l("Reorder point"), places=3, validators=[Optional(), NumberRange(min=0)]
    )
    reorder_quantity = DecimalField(
        _l("Reorder quantity"), places=3, validators=[Optional(), NumberRange(min=0)]
    )
    bin_location = StringField(_l("Bin location"), validators=[Optional(), Length(max=40)])


class EditPartForm(PartForm, VersionedForm):
    active = BooleanField(_l("In use"), default=True)


class ReceiveForm(OnceForm):
    quantity = DecimalField(_l("Quantity"), places=3, validators=[InputRequired()])
    unit_cost = DecimalField(_l("Unit cost"), places=2, validators=[InputRequired()])
    supplier = StringField(_l("Supplier"), validators=[Optional(), Length(max=120)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])


class AdjustForm(OnceForm):
    change = DecimalField(_l("Change in stock"), places=3, validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[InputRequired(), Length(max=300)])
    write_off = BooleanField(_l("Write off (damaged or lost)"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])
