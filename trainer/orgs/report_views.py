"""Report pages: completion by person (the headline) and by course, the learner drill-down,
CSV exports, quiz insight."""

from __future__ import annotations

from collections import defaultdict

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from trainer import db
from trainer.accounts.roles import roles_required
from trainer.content.catalogue import catalogue, shown_catalogue
from trainer.downloads import csv_response, locale_separator, separator
from trainer.orgs import people, reports
from trainer.orgs import units as unit_services
from trainer.orgs.access import org_scope, page_number, report_filters, today
from trainer.orgs.chart import bar_chart
from trainer.orgs.exports import completion_csv, learners_csv, people_csv
from trainer.orgs.insight import course_insight
from trainer.orgs.names import (
    Names,
    assignment_title,
    course_name,
    people_sentence,
    profession_name,
)
from trainer.orgs.scope import Scope
from trainer.orgs.views import bp
from trainer.quizzes.statistics import MIN_ANSWERS_SHOWN


def _by_unit(rows: list[reports.CompletionRow]) -> list[tuple[str, int, int, int | None]]:
    totals: dict[tuple[str, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        totals[(row.unit, row.unit_id)][0] += row.completed
        totals[(row.unit, row.unit_id)][1] += row.assigned
    return [(label, done, total, uid) for (label, uid), (done, total) in totals.items()]


def _page_context(scope: Scope, filters: reports.ReportFilters) -> dict[str, object]:
    """What every report page shows around its table: filters, names, CSV links."""
    session = db.session()
    units = unit_services.units_in_scope(session, scope)
    labels = unit_services.unit_labels(session, units)
    content = shown_catalogue()
    return {
        "scope": scope,
        "filters": filters,
        "units": units,
        "labels": labels,
        "content": content,
        "names": Names(content, labels),
        "statuses": reports.STATUSES,
        "args": {k: v for k, v in request.args.items() if k not in ("page", "sep")},
    }


bp.add_app_template_global(locale_separator, "locale_separator")
bp.add_app_template_global(people_sentence, "people_sentence")
bp.add_app_template_global(profession_name, "profession_name")
bp.add_app_template_global(course_name, "course_name")
bp.add_app_template_global(assignment_title, "assignment_title")


@bp.get("/reports")
@roles_required("org_admin")
def report(org_slug: str) -> ResponseReturnValue:
    """Completion by person: who has finished everything assigned to them."""
    scope = org_scope(current_user, org_slug)
    filters = report_filters(scope, request.args)
    context = _page_context(scope, filters)
    rows = people.people(db.session(), scope, catalogue(), filters, today())
    per_unit = people.by_unit(rows)
    chart = bar_chart([(u.unit, u.complete, u.assigned) for u in per_unit])
    return render_template(
        "orgs/report.html",
        rows=rows,
        per_unit=per_unit,
        total=people.total(rows),
        chart=chart,
        **context,
    )


@bp.get("/reports/courses")
@roles_required("org_admin")
def report_courses(org_slug: str) -> ResponseReturnValue:
    """Completion by course: learner-and-course pairs, the second view."""
    scope = org_scope(current_user, org_slug)
    filters = report_filters(scope, request.args)
    context = _page_context(scope, filters)
    rows = reports.completion(db.session(), scope, catalogue(), filters, today())
    per_unit = _by_unit(rows)
    return render_template(
        "orgs/report_courses.html",
        rows=rows,
        per_unit=per_unit,
        chart=bar_chart([(label, done, total) for label, done, total, _ in per_unit]),
        **context,
    )


@bp.get("/reports/learners")
@roles_required("org_admin")
def report_learners(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    filters = report_filters(scope, request.args)
    context = _page_context(scope, filters)
    page = reports.learners(
        db.session(), scope, catalogue(), filters, today(), page=page_number(request.args)
    )
    return render_template("orgs/report_learners.html", result=page, **context)


@bp.get("/reports/people.csv")
@roles_required("org_admin")
def people_export(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    filters = report_filters(scope, request.args)
    rows = people.people(db.session(), scope, catalogue(), filters, today())
    text = people_csv(rows, separator(request.args))
    return csv_response(text, f"{scope.organisation.slug}-people.csv")


@bp.get("/reports/completion.csv")
@roles_required("org_admin")
def completion_export(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    filters = report_filters(scope, request.args)
    rows = reports.completion(db.session(), scope, catalogue(), filters, today())
    text = completion_csv(rows, separator(request.args))
    return csv_response(text, f"{scope.organisation.slug}-completion.csv")


@bp.get("/reports/learners.csv")
@roles_required("org_admin")
def learners_export(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    filters = report_filters(scope, request.args)
    page = reports.learners(db.session(), scope, catalogue(), filters, today(), page_size=None)
    text = learners_csv(page.rows, separator(request.args))
    return csv_response(text, f"{scope.organisation.slug}-learners.csv")


@bp.get("/insight")
@roles_required("org_admin")
def insight(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    content = shown_catalogue()
    chosen = request.args.get("course") or None
    courses = [c for slug, c in content.courses.items() if chosen in (None, slug)]
    found = [course_insight(db.session(), content, c, scope.organisation.id) for c in courses]
    return render_template(
        "orgs/insight.html",
        scope=scope,
        insights=[i for i in found if i.items],
        content=content,
        chosen=chosen,
        min_answers=MIN_ANSWERS_SHOWN,
    )
