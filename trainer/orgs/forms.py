"""Organisation forms. Every form carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, SelectField, SelectMultipleField, StringField
from wtforms.fields import TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from trainer.i18n.labels import LABELS
from trainer.models import UNIT_KINDS


class _UnitFields(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Each kind by its name in the reader's language; the code is what is stored.
        self.kind.choices = [(kind, LABELS[kind]) for kind in UNIT_KINDS]


class UnitForm(_UnitFields):
    parent = SelectField(_l("Inside"), choices=[], validate_choice=False)


class RenameUnitForm(_UnitFields):
    pass


class MoveUnitForm(FlaskForm):
    parent = SelectField(_l("Move inside"), choices=[], validate_choice=False)


class UploadForm(FlaskForm):
    file = FileField(_l("Staff list (CSV)"), validators=[FileRequired(_l("Choose a CSV file."))])


class ConfirmUploadForm(FlaskForm):
    upload = HiddenField(validators=[InputRequired()])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AssignmentForm(FlaskForm):
    curriculum = SelectField(_l("Curriculum"), choices=[], validate_choice=False)
    courses = MultiCheckboxField(_l("Or choose courses"), choices=[], validate_choice=False)
    unit = SelectField(_l("Unit"), choices=[], validate_choice=False)
    profession = SelectField(_l("Profession within the unit"), choices=[], validate_choice=False)
    emails = TextAreaField(_l("Or name learners (one email per line)"), validators=[Optional()])
    due = DateField(_l("Due date"), validators=[InputRequired()])


class AdminScopeForm(FlaskForm):
    unit = SelectField(_l("Manages"), choices=[], validate_choice=False)
