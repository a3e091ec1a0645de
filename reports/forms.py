"""Forms of the manager's pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import InputRequired


class ArchiveForm(FlaskForm):
    """The period of the repair archive export; a GET form that changes nothing."""

    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[InputRequired()])
    end = DateField(_l("To"), validators=[InputRequired()])
