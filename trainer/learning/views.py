"""Home, catalogue, course and module pages, progress and the learner's dashboard."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from trainer import db
from trainer.accounts.forms import ConfirmForm
from trainer.accounts.roles import login_required
from trainer.certificates.credits import course_credit_hours
from trainer.certificates.requirements import course_requirements
from trainer.certificates.services import user_certificates
from trainer.certificates.views import award_if_complete
from trainer.content.catalogue import interface_language, shown_catalogue
from trainer.content.languages import language_name
from trainer.content.media import course_media_file
from trainer.content.model import Course, Module
from trainer.i18n.formatting import local_datetime
from trainer.learning import services
from trainer.learning.pages import module_page
from trainer.learning.progress import CourseProgress
from trainer.licensing.approvals import held_approvals
from trainer.licensing.guidance import course_guidance, facts_of, licence_overview
from trainer.licensing.timing import record_opening, too_early
from trainer.models import utcnow
from trainer.orgs.dashboard import learner_assignments

bp = Blueprint("learning", __name__)


def get_course(slug: str) -> Course:
    """The course in the interface language if it has that variant, else in its own."""
    course = shown_catalogue().courses.get(slug)
    if course is None:
        abort(404)
    return course


@bp.app_template_filter("language_name")
def language_name_filter(code: str, in_language: str | None = None) -> str:
    """``{{ "es"|language_name }}`` is "Español"; ``{{ "es"|language_name("en") }}`` "Spanish"."""
    return language_name(code, in_language)


def get_module(course: Course, slug: str) -> Module:
    module = course.module(slug)
    if module is None:
        abort(404)
    return module


def _progress(course: Course, *, with_assessment: bool = True) -> CourseProgress | None:
    """The signed-in learner's progress; module pages skip the assessment lookup."""
    if not current_user.is_authenticated:
        return None
    load = services.course_progress if with_assessment else services.reading_progress
    return load(db.session(), current_user, course)


@bp.get("/")
def home() -> ResponseReturnValue:
    return render_template("learning/home.html", professions=shown_catalogue().professions.values())


@bp.get("/courses")
def courses() -> ResponseReturnValue:
    content = shown_catalogue()
    profession = request.args.get("profession") or None
    if profession is None and current_user.is_authenticated:
        profession = current_user.profession
    if profession not in content.professions:
        profession = None
    rule = content.requirement_sets.get(request.args.get("rule") or "")
    shown = content.courses_for(profession)
    rule_results = {}
    if rule is not None:
        approvals = held_approvals(db.session())
        for listed in shown:
            results = course_requirements(listed, (rule,), approvals, utcnow().date())
            if results and results[0].content_met:
                rule_results[listed.slug] = results[0]
        shown = [c for c in shown if c.slug in rule_results]
    progress = (
        services.all_progress(db.session(), current_user, content)
        if current_user.is_authenticated
        else {}
    )
    return render_template(
        "learning/catalogue.html",
        courses=shown,
        profession=profession,
        rule=rule,
        rules=content.requirement_sets,
        rule_results=rule_results,
        professions=content.professions,
        progress=progress,
        hours=course_credit_hours,
        curriculum=content.default_curriculum(profession) if profession else None,
    )


@bp.get("/courses/<course_slug>")
def course(course_slug: str) -> ResponseReturnValue:
    course = get_course(course_slug)
    content = shown_catalogue()
    approvals = held_approvals(db.session())
    today = utcnow().date()
    return render_template(
        "learning/course.html",
        course=course,
        progress=_progress(course),
        hours=course_credit_hours(course),
        requirements=course_requirements(
            course, content.requirement_sets.values(), approvals, today
        ),
        guidance=course_guidance(
            course,
            facts_of(current_user, content.licence_types, interface_language()),
            content.requirement_sets.values(),
            approvals,
            today,
        )
        if current_user.is_authenticated
        else None,
        areas=content.content_areas,
        interface_language=interface_language(),
    )


@bp.get("/courses/<course_slug>/modules/<module_slug>")
def module(course_slug: str, module_slug: str) -> ResponseReturnValue:
    course = get_course(course_slug)
    module = get_module(course, module_slug)
    country = current_user.country if current_user.is_authenticated else None
    jurisdiction = shown_catalogue().jurisdiction_for(country)
    if current_user.is_authenticated and record_opening(db.session(), current_user, course, module):
        db.session().commit()  # the clock for time on task starts at the first opening
    return module_page(course, module, jurisdiction, _progress(course, with_assessment=False))


@bp.post("/courses/<course_slug>/modules/<module_slug>/complete")
@login_required
def complete(course_slug: str, module_slug: str) -> ResponseReturnValue:
    course = get_course(course_slug)
    module = get_module(course, module_slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ready = too_early(db.session(), current_user, course, module)
    if ready is not None:
        db.session().commit()  # keep the opening recorded if this request made it
        flash(
            _(
                "Take your time: this module can be marked complete from %(time)s (UTC).",
                time=local_datetime(ready),
            ),
            "warning",
        )
        return redirect(
            url_for("learning.module", course_slug=course.slug, module_slug=module.slug)
        )
    services.complete_module(db.session(), current_user, course, module)
    certificate = award_if_complete(current_user, course)
    db.session().commit()
    if certificate is not None:
        flash(_("Course complete: your certificate is ready."), "success")
        return redirect(url_for("certificates.index"))
    following = services.reading_progress(db.session(), current_user, course).next_module
    if following is None:
        flash(_("You have finished every module of this course."), "success")
        return redirect(url_for("learning.course", course_slug=course.slug))
    flash(_("Saved. Next: %(title)s", title=following.title), "success")
    return redirect(url_for("learning.module", course_slug=course.slug, module_slug=following.slug))


@bp.get("/courses/<course_slug>/media/<path:filename>")
def media(course_slug: str, filename: str) -> ResponseReturnValue:
    """An image of the course: only a real file in its ``images/`` folder (see content/media.py)."""
    course = get_course(course_slug)
    path = course_media_file(current_app.config["COURSES_DIR"], course.slug, filename)
    if path is None:
        abort(404)
    try:
        return send_file(path, max_age=86400)
    except FileNotFoundError:
        abort(404)


@bp.get("/dashboard")
@login_required
def dashboard() -> ResponseReturnValue:
    content = shown_catalogue()
    progress = services.all_progress(db.session(), current_user, content)
    curriculum = content.default_curriculum(current_user.profession or "")
    in_curriculum = set(curriculum.courses) if curriculum else set()
    started = [p for p in progress.values() if p.status in ("in_progress", "modules_complete")]
    completed = [p for p in progress.values() if p.status == "completed"]
    to_start = [
        progress[slug]
        for slug in (curriculum.courses if curriculum else ())
        if progress[slug].status == "not_started"
    ]
    return render_template(
        "learning/dashboard.html",
        started=started,
        completed=completed,
        to_start=to_start,
        curriculum=curriculum,
        in_curriculum=in_curriculum,
        hours=course_credit_hours,
        certificates=user_certificates(db.session(), current_user),
        today=utcnow().date(),
        licence_rules=licence_overview(
            facts_of(current_user, content.licence_types, interface_language()),
            content.requirement_sets.values(),
            content.courses.values(),
            held_approvals(db.session()),
            utcnow().date(),
        ),
        assignments=learner_assignments(db.session(), current_user, progress, utcnow().date()),
    )
