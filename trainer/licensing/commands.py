"""``trainer approvals …``: the provider approvals this deployment holds (audited)."""

from __future__ import annotations

from datetime import date

import click

from trainer import db
from trainer.cli import fail, main, with_app
from trainer.content.catalogue import catalogue
from trainer.licensing.approvals import (
    ApprovalError,
    NewApproval,
    add_approval,
    list_approvals,
    remove_approval,
)


@main.group()
def approvals() -> None:
    """Provider approvals held per requirement set (a fresh install holds none)."""


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD.") from None


@approvals.command("add")
@click.option("--rule", "rule", required=True, help="Requirement set slug, e.g. us-fl-456-0341.")
@click.option("--number", required=True, help="The approval number as issued.")
@click.option("--body", required=True, help="The approving body, e.g. 'Florida Board of Nursing'.")
@click.option("--category", default="", help="Provider category, where the rule limits them.")
@click.option("--course", default=None, help="The course approved, if the approval names one.")
@click.option("--valid-from", callback=_date, help="First day the approval is valid (YYYY-MM-DD).")
@click.option("--valid-until", callback=_date, help="Last day the approval is valid (YYYY-MM-DD).")
@with_app
def approvals_add(
    rule: str,
    number: str,
    body: str,
    category: str,
    course: str | None,
    valid_from: date | None,
    valid_until: date | None,
) -> None:
    """Record an approval; certificates issued from now on may list the rule as satisfied."""
    session = db.session()
    try:
        row = add_approval(
            session,
            NewApproval(rule, number, body, category, valid_from, valid_until, course),
            catalogue(),
            actor=None,
            via="cli",
        )
    except ApprovalError as error:
        fail(str(error))
        return
    session.commit()
    click.echo(f"Recorded approval {row.id}: {row.requirement_slug} {row.approval_number}.")


@approvals.command("list")
@with_app
def approvals_list() -> None:
    """Every approval on record, one a line."""
    rows = list_approvals(db.session())
    if not rows:
        click.echo("No approvals recorded: no rule that needs one is printed as satisfied.")
    for row in rows:
        dates = f"{row.valid_from or '…'} to {row.valid_until or '…'}"
        category = f" [{row.provider_category}]" if row.provider_category else ""
        click.echo(
            f"{row.id}\t{row.requirement_slug}\t{row.approval_number}\t"
            f"{row.approving_body}{category}\t{dates}\t{row.course_slug or 'any course'}"
        )


@approvals.command("remove")
@click.argument("approval_id", type=int)
@with_app
def approvals_remove(approval_id: int) -> None:
    """Delete an approval; certificates already issued keep what they recorded."""
    session = db.session()
    try:
        remove_approval(session, approval_id, actor=None, via="cli")
    except ApprovalError as error:
        fail(str(error))
        return
    session.commit()
    click.echo(f"Removed approval {approval_id}.")
