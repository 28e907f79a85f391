"""Account forms. Every form carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

import unicodedata
from functools import cache

from babel import Locale
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, NumberRange, Optional

from trainer.content.catalogue import shown_catalogue
from trainer.i18n import LANGUAGES
from trainer.security import MAX_PASSWORD_LENGTH

# Codes in CLDR's territory list that are not countries a person lives in.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 countries, named and ordered in the page's language (CLDR, through Babel)."""
    locale = get_locale()
    return _countries(str(locale) if locale is not None else "en")


@cache
def _countries(locale: str) -> list[tuple[str, str]]:
    territories = Locale.parse(locale).territories
    countries = [
        (code, name)
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]
    return sorted(countries, key=lambda item: _sort_key(item[1]))


def _sort_key(name: str) -> str:
    # Accents aside, so "Égypte" sorts among the E's in French, not after "Zimbabwe".
    letters = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in letters if not unicodedata.combining(ch)).casefold()


def profession_choices() -> list[tuple[str, str]]:
    """The professions, named in the interface language where the content translates them."""
    professions = shown_catalogue().professions
    return [(slug, profession.title) for slug, profession in professions.items()]


def licence_type_choices() -> list[tuple[str, str]]:
    types: list[str] = []
    for profession in current_app.extensions["trainer.professions"].values():
        types += [t for t in profession.licence_types if t not in types]
    return [("", _l("None"))] + [(t, t.capitalize()) for t in types]


def new_password_fields(label: str) -> tuple[PasswordField, PasswordField]:
    """A new password and its confirmation, as every form that sets one needs them."""
    return (
        PasswordField(label, validators=[InputRequired(), Length(max=MAX_PASSWORD_LENGTH)]),
        PasswordField(
            _l("Repeat the password"),
            validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
        ),
    )


class ProfileFields(FlaskForm):
    full_name = StringField(
        _l("Full name, exactly as it should be printed on your certificates"),
        validators=[InputRequired(), Length(max=200)],
    )
    profession = SelectField(_l("Profession"), validators=[InputRequired()])
    country = SelectField(_l("Country where you work"), validators=[InputRequired()])
    licence_type = SelectField(_l("Licence type (optional)"), validators=[Optional()])
    licence_number = StringField(
        _l("Licence number (optional)"), validators=[Optional(), Length(max=64)]
    )
    licensing_board = StringField(
        _l("Licensing board (optional)"), validators=[Optional(), Length(max=200)]
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.profession.choices = profession_choices()
        self.country.choices = country_choices()
        self.licence_type.choices = licence_type_choices()


class RegistrationForm(ProfileFields):
    email = EmailField(
        _l("Email"),
        validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    password, confirm = new_password_fields(_l("Password (at least 10 characters)"))


def locale_choices() -> list[tuple[str, str]]:
    """Follow the browser, or one of the interface languages in its own name."""
    return [("", _l("The language my browser asks for")), *LANGUAGES.items()]


class ProfileForm(ProfileFields):
    locale = SelectField(_l("Language of the site and of emails to you"), validators=[Optional()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.locale.choices = locale_choices()


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[InputRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    remember = BooleanField(_l("Keep me signed in on this device for 30 days"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()])
    password, confirm = new_password_fields(_l("New password (at least 10 characters)"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(check_deliverability=False)])


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields(_l("New password (at least 10 characters)"))


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), validators=[InputRequired(), Length(max=100)])
    # Choices are the role's (trainer.accounts.scopes), set by the view.
    scope = SelectField(_l("What it may do"), validators=[InputRequired()])
    days = IntegerField(
        _l("Days until it stops working"), validators=[InputRequired(), NumberRange(min=1)]
    )


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""
