"""Report pages: completion with a chart, the learner drill-down, CSV exports, quiz insight."""

from __future__ import annotations

from collections import defaultdict

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from trainer import db
from trainer.accounts.roles import roles_required
from trainer.content.catalogue import catalogue, shown_catalogue
from trainer.orgs import reports
from trainer.orgs import units as unit_services
from trainer.orgs.access import org_scope, page_number, report_filters, today
from trainer.orgs.chart import bar_chart
from trainer.orgs.exports import completion_csv, learners_csv
from trainer.orgs.insight import course_insight
from trainer.orgs.views import bp
from trainer.quizzes.statistics import MIN_ANSWERS_SHOWN


def csv_response(text: str, filename: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _by_unit(rows: list[reports.CompletionRow]) -> list[tuple[str, int, int, int | None]]:
    totals: dict[tuple[str, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        totals[(row.unit, row.unit_id)][0] += row.completed
        totals[(row.unit, row.unit_id)][1] += row.assigned
    return [(label, done, total, uid) for (label, uid), (done, total) in totals.items()]


@bp.get("/reports")
@roles_required("org_admin")
def report(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    filters = report_filters(scope, request.args)
    session = db.session()
    rows = reports.completion(session, scope, catalogue(), filters, today())
    per_unit = _by_unit(rows)
    units = unit_services.units_in_scope(session, scope)
    return render_template(
        "orgs/report.html",
        scope=scope,
        rows=rows,
        per_unit=per_unit,
        chart=bar_chart([(label, done, total) for label, done, total, _ in per_unit]),
        filters=filters,
        units=units,
        labels=unit_services.unit_labels(session, units),
        content=shown_catalogue(),
        statuses=reports.STATUSES,
        args=request.args.to_dict(),
    )


@bp.get("/reports/learners")
@roles_required("org_admin")
def report_learners(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    filters = report_filters(scope, request.args)
    page = reports.learners(
        db.session(), scope, catalogue(), filters, today(), page=page_number(request.args)
    )
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "orgs/report_learners.html", scope=scope, result=page, filters=filters, args=args
    )


@bp.get("/reports/completion.csv")
@roles_required("org_admin")
def completion_export(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    filters = report_filters(scope, request.args)
    rows = reports.completion(db.session(), scope, catalogue(), filters, today())
    return csv_response(completion_csv(rows), f"{scope.organisation.slug}-completion.csv")


@bp.get("/reports/learners.csv")
@roles_required("org_admin")
def learners_export(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    filters = report_filters(scope, request.args)
    page = reports.learners(db.session(), scope, catalogue(), filters, today(), page_size=None)
    return csv_response(learners_csv(page.rows), f"{scope.organisation.slug}-learners.csv")


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
