"""Account forms. Every form carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import html_params

from trainer.accounts.jurisdiction import country_name, regions
from trainer.accounts.profile import (
    NO_LICENCE,
    ProfileAnswers,
    ProfileVocabulary,
    profile_problems,
)
from trainer.content.catalogue import interface_language, shown_catalogue
from trainer.i18n import LANGUAGES
from trainer.i18n.zones import zone_choices
from trainer.security import MAX_PASSWORD_LENGTH

#: The first option of a question that has no default.
CHOOSE = _l("Choose…")

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
    return [("", CHOOSE)] + [(slug, profession.title) for slug, profession in professions.items()]


def licence_type_choices() -> list[tuple[str, str]]:
    """Every licence type by name in the interface language, after "I hold no licence"."""
    types = shown_catalogue().licence_types
    named = sorted(((slug, t.title) for slug, t in types.items() if slug != "other"), key=_by_name)
    other = [("other", types["other"].title)] if "other" in types else []
    return [("", CHOOSE), (NO_LICENCE, _l("I hold no licence")), *named, *other]


def _by_name(item: tuple[str, str]) -> str:
    return _sort_key(item[1])


def region_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The states and provinces of each country whose rules follow them, by country."""
    language = interface_language()
    vocabulary = ProfileVocabulary.of(shown_catalogue())
    return [
        (country_name(country, language), list(regions(country, language)))
        for country in sorted(vocabulary.region_countries)
    ]


def timezone_groups(country: str | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Time zones named in the interface language, the person's country's first."""
    zones = zone_choices(interface_language(), country)
    groups = [(str(_l("All time zones")), zones["all"])]
    if zones["country"]:
        groups.insert(0, (country_name(country, interface_language()), zones["country"]))
    return groups


class GroupedSelect:
    """A ``<select>`` with a first option outside any group, then ``<optgroup>`` groups.

    Works without JavaScript: every choice is in the page, grouped by country.
    The field's ``groups`` are ``[(label, [(value, name)])]``; its ``first`` the lone option.
    """

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        html.append(self._option("", field.first, field.data))
        for label, choices in field.groups:
            html.append(f"<optgroup {html_params(label=label)}>")
            html += [self._option(value, name, field.data) for value, name in choices]
            html.append("</optgroup>")
        html.append("</select>")
        # Every value and name above went through escape() or html_params().
        return Markup("".join(html))  # noqa: S704

    @staticmethod
    def _option(value: str, name: str, selected: str | None) -> str:
        params = html_params(value=value, selected=(value == (selected or "")))
        return f"<option {params}>{escape(name)}</option>"


class GroupedSelectField(SelectField):
    widget = GroupedSelect()

    def __init__(self, *args: Any, first: Any = CHOOSE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.first = first
        self.groups: list[tuple[str, list[tuple[str, str]]]] = []

    def set_groups(self, groups: list[tuple[str, list[tuple[str, str]]]]) -> None:
        """Show ``groups``, and accept exactly their values (or the first, blank option)."""
        self.groups = groups
        self.choices = [("", str(self.first))] + [c for _label, found in groups for c in found]


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
    profession = SelectField(_l("Profession"), validators=[Optional()])
    country = SelectField(_l("Country where you work"), validators=[Optional()])
    region = GroupedSelectField(_l("State or province where you work"), validators=[Optional()])
    licence_type = SelectField(_l("Licence type"), validators=[Optional()])
    licence_number = StringField(
        _l("Licence number (optional)"), validators=[Optional(), Length(max=64)]
    )
    licensing_board = StringField(
        _l("Licensing board (optional)"), validators=[Optional(), Length(max=200)]
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.profession.choices = profession_choices()
        self.country.choices = [("", CHOOSE), *country_choices()]
        self.region.set_groups(region_groups())
        self.licence_type.choices = licence_type_choices()

    def answers(self) -> ProfileAnswers:
        return ProfileAnswers(
            profession=self.profession.data or None,
            country=self.country.data or None,
            region=self.region.data or None,
            licence_type=self.licence_type.data or None,
            licence_number=self.licence_number.data or None,
            licensing_board=self.licensing_board.data or None,
        )

    def check_profile(self, *, complete: bool = True) -> bool:
        """Attach the profile's problems to their fields; True when there are none."""
        vocabulary = ProfileVocabulary.of(shown_catalogue())
        problems = profile_problems(self.answers(), vocabulary, complete=complete)
        for name, message in problems:
            field = self[name]
            field.errors = [*field.errors, message]
        return not problems

    @staticmethod
    def profession_hints() -> list[tuple[str, str]]:
        """When to choose each profession, as the form explains it under the question."""
        professions = shown_catalogue().professions
        return [(p.title, p.hint) for p in professions.values() if p.hint]


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
    timezone = GroupedSelectField(
        _l("Time zone for the times you read here"), validators=[Optional()]
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.locale.choices = locale_choices()

    def set_timezones(self, country: str | None, automatic: str) -> None:
        """The zones to choose from; the blank first option follows the region (``automatic``)."""
        self.timezone.first = automatic
        self.timezone.set_groups(timezone_groups(country))


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
