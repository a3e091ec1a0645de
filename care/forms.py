"""Forms of the call list, the complaints and the VIP archive."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from care.labels import CHANNEL_LABELS, OUTCOME_LABELS, QUESTION_LABELS, ROOT_CAUSE_LABELS
from dealer.forms import OnceForm, choices

SCORE_CHOICES = choices([("", "—"), *((str(n), str(n)) for n in range(5, 0, -1))])


def _score(value):
    return int(value) if value else None


class AttemptForm(OnceForm):
    outcome = SelectField(_l("How did the call go?"), choices=choices(OUTCOME_LABELS.items()))
    satisfaction = SelectField(_l("Overall satisfaction"), choices=SCORE_CHOICES, coerce=_score)
    work_quality = SelectField(
        QUESTION_LABELS["work_quality"], choices=SCORE_CHOICES, coerce=_score
    )
    on_time = SelectField(QUESTION_LABELS["on_time"], choices=SCORE_CHOICES, coerce=_score)
    explanation = SelectField(QUESTION_LABELS["explanation"], choices=SCORE_CHOICES, coerce=_score)
    staff_attitude = SelectField(
        QUESTION_LABELS["staff_attitude"], choices=SCORE_CHOICES, coerce=_score
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])
    complaint = TextAreaField(
        _l("Complaint"),
        validators=[Optional(), Length(max=4000)],
        description=_l("If the customer complains, write it here: you will own the complaint."),
    )

    def answers(self) -> dict:
        return {
            key: getattr(self, key).data
            for key in QUESTION_LABELS
            if getattr(self, key).data is not None
        }


class AssignForm(FlaskForm):
    assignee_id = SelectField(_l("Agent"), coerce=int, validate_choice=False)


class ComplaintForm(OnceForm):
    channel = SelectField(
        _l("Came in by"),
        choices=choices((k, v) for k, v in CHANNEL_LABELS.items() if k != "call"),
    )
    description = TextAreaField(
        _l("What does the customer complain about?"),
        validators=[InputRequired(), Length(max=4000)],
    )


class ReplyForm(FlaskForm):
    text = TextAreaField(
        _l("What the customer was told"), validators=[InputRequired(), Length(max=4000)]
    )


class ComplaintHandoverForm(FlaskForm):
    owner_id = SelectField(_l("New owner"), coerce=int, validate_choice=False)
    reason = StringField(_l("Reason"), validators=[InputRequired(), Length(max=4000)])


class ResolveForm(FlaskForm):
    root_cause = SelectField(_l("Root cause"), choices=choices(ROOT_CAUSE_LABELS.items()))
    resolution = TextAreaField(_l("Resolution"), validators=[InputRequired(), Length(max=4000)])


class VipForm(FlaskForm):
    tier = SelectField(_l("Tier"), validate_choice=False)
    reason = StringField(_l("Reason"), validators=[InputRequired(), Length(max=300)])
