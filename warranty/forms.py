"""The warranty desk's forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from dealer.forms import DecimalField, OnceForm, VersionedForm, choices
from warranty.vocabulary import CampaignKind, FaultSystem


class CampaignForm(OnceForm):
    code = StringField(_l("Campaign code"), validators=[InputRequired(), Length(max=40)])
    kind = SelectField(_l("Kind"), choices=choices(CampaignKind.labels().items()))
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    title_zh = StringField(_l("Chinese title"), validators=[Optional(), Length(max=200)])
    labor_op = StringField(_l("Labor operation"), validators=[Optional(), Length(max=20)])
    labor_hours = DecimalField(_l("Labor hours"), places=2, validators=[InputRequired()])
    parts = StringField(_l("Parts (number:quantity; …)"), validators=[Optional(), Length(max=1000)])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    vins = TextAreaField(_l("VINs (one per line)"), validators=[Optional(), Length(max=200_000)])


class VinsForm(FlaskForm):
    vins = TextAreaField(
        _l("VINs (one per line)"), validators=[InputRequired(), Length(max=200_000)]
    )


class CampaignFileForm(FlaskForm):
    file = FileField(_l("Campaign file (CSV)"), validators=[FileRequired()])


class ClaimForm(VersionedForm):
    labor_op = StringField(_l("Labor operation"), validators=[Optional(), Length(max=20)])
    causal_part_number = StringField(_l("Causal part"), validators=[Optional(), Length(max=40)])
    failure_code = StringField(_l("Failure code"), validators=[Optional(), Length(max=20)])
    fault_system = SelectField(_l("Fault system (三包)"), validate_choice=False)
    complaint = TextAreaField(_l("Customer's complaint"), validators=[Optional(), Length(max=2000)])
    cause = TextAreaField(_l("Cause"), validators=[Optional(), Length(max=2000)])
    correction = TextAreaField(_l("Correction"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fault_system.choices = choices(
            [("", _l("Not a serious fault")), *FaultSystem.labels().items()]
        )


class AcceptForm(VersionedForm):
    manufacturer_number = StringField(
        _l("Manufacturer's claim number"), validators=[Optional(), Length(max=60)]
    )


class RejectForm(VersionedForm):
    reason = StringField(_l("Manufacturer's reason"), validators=[InputRequired(), Length(max=500)])


class PayForm(VersionedForm):
    amount = DecimalField(_l("Amount paid"), places=2, validators=[InputRequired()])
    paid_on = DateField(_l("Paid on"), validators=[InputRequired()])


class TagForm(OnceForm):
    part_number = StringField(_l("Part number"), validators=[InputRequired(), Length(max=40)])
    quantity = DecimalField(_l("Quantity"), places=3, validators=[Optional()])
    shelf = StringField(_l("Shelf"), validators=[InputRequired(), Length(max=40)])
    keep_until = DateField(_l("Keep until"), validators=[Optional()])


class RecordForm(FlaskForm):
    loaner_days = IntegerField(
        _l("Loaner car days"), validators=[Optional(), NumberRange(min=0, max=365)]
    )
    loaner_plate = StringField(_l("Loaner car plate"), validators=[Optional(), Length(max=20)])
    transport_compensation = DecimalField(
        _l("Transport compensation"), places=2, validators=[Optional()]
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class TermsForm(VersionedForm):
    labor_rate = DecimalField(
        _l("Manufacturer's labor rate"), places=2, validators=[InputRequired()]
    )
    parts_handling = DecimalField(
        _l("Parts handling (percent of dealer cost)"), places=2, validators=[InputRequired()]
    )
    keep_days = IntegerField(_l("Days old parts are kept"), validators=[InputRequired()])
    period_years = IntegerField(_l("Warranty period (years)"), validators=[InputRequired()])
    period_km = IntegerField(_l("Warranty period (km)"), validators=[InputRequired()])
    repair_years = IntegerField(_l("三包 repair period (years)"), validators=[InputRequired()])
    repair_km = IntegerField(_l("三包 repair period (km)"), validators=[InputRequired()])
    same_fault_limit = IntegerField(
        _l("Repairs of the same serious fault before replacement"), validators=[InputRequired()]
    )
    repair_days_limit = IntegerField(
        _l("Cumulative repair days before replacement"), validators=[InputRequired()]
    )
    warn_days = IntegerField(
        _l("Warn this many days before the limit"), validators=[InputRequired()]
    )
