"""Forms of the directory page. Every form carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional


class DirectoryUploadForm(FlaskForm):
    file = FileField(_l("Directory (CSV)"), validators=[FileRequired(_l("Choose a CSV file."))])


class _Placed(FlaskForm):
    unit = SelectField(_l("Unit"), choices=[], validate_choice=False)
    language = SelectField(_l("Language of the text"), choices=[], validate_choice=False)


class ContactForm(_Placed):
    role = SelectField(_l("Role"), choices=[])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    text = StringField(_l("Text message number"), validators=[Optional(), Length(max=40)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    hours = StringField(_l("Hours"), validators=[Optional(), Length(max=200)])
    languages = StringField(_l("Languages spoken"), validators=[Optional(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    professions = StringField(
        _l("For professions (empty: all)"), validators=[Optional(), Length(max=300)]
    )


class ProtocolForm(_Placed):
    profession = SelectField(_l("Profession"), choices=[], validate_choice=False)
    steps = TextAreaField(
        _l("Steps, one per line (Markdown)"), validators=[InputRequired(), Length(max=8000)]
    )


class RemoveForm(FlaskForm):
    contact = HiddenField(validators=[InputRequired()])


class ReviewForm(FlaskForm):
    unit = SelectField(_l("Unit"), choices=[], validate_choice=False)
