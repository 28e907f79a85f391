"""The ``trainer`` command."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import Flask, current_app
from sqlalchemy import select

from trainer import create_app, db
from trainer.accounts.profile import command_profile_problem
from trainer.accounts.services import AccountError, Profile, create_api_token, create_user
from trainer.audit import record_event
from trainer.models import ORGANISATION_KINDS, ROLES, Organisation

F = TypeVar("F", bound=Callable[..., Any])


def with_app(command: F) -> F:
    """Run the command inside an app context (the app given by tests, or a new one)."""

    @functools.wraps(command)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        from trainer.content.loader import ContentError

        ctx = click.get_current_context()
        try:
            app = ctx.obj if isinstance(ctx.obj, Flask) else create_app()
        except ContentError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            fail(
                f"{len(error.problems)} problem(s) in the course content; fix them and start again."
            )
        with app.app_context():
            return command(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Trainer: courses, quizzes and verifiable certificates on identifying human trafficking."""


# -- serve ---------------------------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="Also seed demo accounts for every role and print them.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=int,
    help="Processes. More than one needs TRAINER_RATELIMIT_STORAGE_URL=redis://…",
)
@click.option("--threads", default=4, show_default=True, type=int, help="Threads per process.")
@click.option(
    "--no-jobs",
    is_flag=True,
    help="Run no job worker here (another machine runs `trainer worker`).",
)
@with_app
def serve(host: str, port: int, demo: bool, workers: int, threads: int, no_jobs: bool) -> None:
    """Migrate the database, load content and serve with gunicorn, with a job worker.

    The worker and the daily scheduler run as threads of gunicorn's master process,
    so there is exactly one of each however many web workers there are.
    """
    from trainer.demo import seed_demo
    from trainer.migrate import upgrade

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    database = db.database()
    upgrade(database.engine)
    with _mail_to_folder_when_unset(app):
        if demo:
            session = db.session()
            accounts = seed_demo(session)
            session.commit()
            _print_demo_accounts(accounts)
        if no_jobs:
            _run_server(app, host, port, workers, threads)
        else:
            with _job_worker(app):
                _run_server(app, host, port, workers, threads)


@contextmanager
def _job_worker(app: Flask, workers: int = 2) -> Iterator[None]:
    """Job worker threads and the scheduler in this process while the block runs."""
    from trainer.jobs import consumer

    running = consumer(app, workers=workers)
    running.start()
    master = os.getpid()
    try:
        yield
    finally:
        # Gunicorn's forked web workers unwind this block too, without the threads.
        if os.getpid() == master:
            running.stop(graceful=True)


@main.command()
@click.option("--threads", default=2, show_default=True, type=int, help="Worker threads.")
@click.option(
    "--no-scheduler", is_flag=True, help="Leave the daily reminders to another worker's scheduler."
)
@with_app
def worker(threads: int, no_scheduler: bool) -> None:
    """Run the job worker alone: invitations, mail retries and the daily reminders.

    Use it when `trainer serve --no-jobs` runs on several machines: run the
    scheduler on one machine only (others take --no-scheduler).
    """
    from trainer.jobs import consumer

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _mail_to_folder_when_unset(app):
        click.echo("Trainer worker is running  (Ctrl+C to stop)")
        consumer(app, workers=threads, periodic=not no_scheduler).run()


def _run_server(app: Flask, host: str, port: int, workers: int, threads: int) -> None:
    from trainer.serving import GunicornServer

    if workers > 1 and app.config["RATELIMIT_STORAGE_URI"].startswith("memory"):
        click.echo(
            "Warning: with several workers, set TRAINER_RATELIMIT_STORAGE_URL=redis://… "
            "so that rate limits are shared.",
            err=True,
        )
    db.session().close()
    # Workers are forked from this process: they must open their own connections.
    db.database().engine.dispose()
    click.echo(f"Trainer is running on http://{host}:{port}  (Ctrl+C to stop)")
    GunicornServer(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "accesslog": "-",
            "timeout": 60,
        },
    ).run()


@contextmanager
def _mail_to_folder_when_unset(app: Any) -> Iterator[None]:
    """Without an SMTP server, mail goes to readable files in instance/mail (one log line each).

    Only while the command runs: the app's own setting is put back afterwards.
    """
    if app.config.get("SMTP_URL") or app.config.get("MAIL_FOLDER"):
        yield
        return
    folder = Path(app.instance_path) / "mail"
    app.config["MAIL_FOLDER"] = str(folder)
    click.echo(f"Mail is not sent (TRAINER_SMTP_URL is unset): it is saved in {folder}/")
    try:
        yield
    finally:
        app.config.pop("MAIL_FOLDER", None)


def _print_demo_accounts(accounts: list[Any]) -> None:
    click.echo("\nDemo accounts (passwords are new each time the demo is seeded):\n")
    click.echo(f"  {'role':<10} {'email':<27} {'organisation':<32} password")
    for account in accounts:
        organisation = account.organisation or "—"
        click.echo(
            f"  {account.role:<10} {account.email:<27} {organisation:<32} {account.password}"
        )
    click.echo("")


@main.command()
@with_app
def demo() -> None:
    """Seed demo organisations and accounts, and print the accounts."""
    from trainer.demo import seed_demo

    with _mail_to_folder_when_unset(current_app):
        session = db.session()
        accounts = seed_demo(session)
        session.commit()
    _print_demo_accounts(accounts)


# -- db --------------------------------------------------------------------------------


@main.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_app
def db_upgrade(revision: str) -> None:
    """Apply migrations."""
    from trainer.migrate import current_revision, upgrade

    engine = db.database().engine
    upgrade(engine, revision)
    click.echo(f"Database at revision {current_revision(engine)}.")


# -- orgs and users --------------------------------------------------------------------


@main.group()
def orgs() -> None:
    """Organisations."""


@orgs.command("create")
@click.option("--slug", required=True, help="Short name used in addresses, e.g. moh-ghana.")
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice(ORGANISATION_KINDS), default="other", show_default=True)
@with_app
def orgs_create(slug: str, name: str, kind: str) -> None:
    """Create an organisation."""
    from trainer.orgs import services as org_services

    session = db.session()
    try:
        organisation = org_services.create_organisation(session, slug=slug, name=name, kind=kind)
    except ValueError as error:
        fail(str(error))
        return
    record_event(
        session,
        "organisation.create",
        actor=None,
        target_type="organisation",
        target_id=organisation.slug,
        organisation_id=organisation.id,
        via="cli",
    )
    session.commit()
    click.echo(f"Created organisation {organisation.slug} ({organisation.name}).")


@main.group()
def reminders() -> None:
    """Reminders about assigned training (the worker also sends them daily)."""


@reminders.command("send")
@click.option("--days", default=7, show_default=True, help="Remind when due within this many days.")
@click.option("--today", "today_text", help="Act as if today were this date (YYYY-MM-DD).")
@with_app
def reminders_send(days: int, today_text: str | None) -> None:
    """Send pending invitations, due-soon and overdue reminders, and admins' digests.

    Running it again the same day sends nothing twice.
    """
    from datetime import UTC, date, datetime

    from trainer.content.catalogue import catalogue
    from trainer.orgs.invitations import send_invitations
    from trainer.orgs.reminders import send_reminders

    try:
        today = date.fromisoformat(today_text) if today_text else datetime.now(UTC).date()
    except ValueError:
        fail(f"--today takes a date like 2026-03-31, not {today_text!r}.")
        return
    session = db.session()
    for email in send_invitations(session):
        click.echo(f"invitation\t{email}")
    sent = send_reminders(session, catalogue(), today=today, within_days=days)
    for reminder in sent:
        click.echo(f"{reminder.kind}\t{reminder.email}\t{reminder.subject}")
    click.echo(f"{len(sent)} reminder(s) sent.")


@main.group()
def users() -> None:
    """Accounts."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True, help="Full name as printed on certificates.")
@click.option("--role", type=click.Choice(ROLES), default="learner", show_default=True)
@click.option("--org", "org_slug", help="Organisation slug (required for org_admin).")
@click.option("--profession", help="police, health, media, licensed, …")
@click.option("--country", help="ISO 3166 two-letter code, e.g. US.")
@click.option("--region", help="State or province, ISO 3166-2, e.g. US-MI (required for US, CA).")
@click.option("--licence-type", help="A slug from courses/licence-types.toml, e.g. nurse, or none.")
@click.option("--licence-number", help="Printed on certificates so a board can match them.")
@click.option("--board", help="The licensing board, e.g. 'Michigan Board of Nursing'.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_app
def users_create(
    email: str,
    name: str,
    role: str,
    org_slug: str | None,
    profession: str | None,
    country: str | None,
    region: str | None,
    licence_type: str | None,
    licence_number: str | None,
    board: str | None,
    password_stdin: bool,
) -> None:
    """Create an account."""
    session = db.session()
    organisation_id = None
    if org_slug:
        organisation = session.scalar(select(Organisation).where(Organisation.slug == org_slug))
        if organisation is None:
            fail(f"No organisation with slug {org_slug!r}. Create it with `trainer orgs create`.")
            return
        organisation_id = organisation.id
    elif role == "org_admin":
        fail("An org_admin belongs to an organisation: add --org SLUG.")
    professions = current_app.extensions["trainer.professions"]
    if profession and profession not in professions:
        fail(f"Unknown profession {profession!r}; use one of {', '.join(professions)}.")
    profile = Profile(
        full_name=name,
        profession=profession,
        country=country,
        region=region,
        licence_type=licence_type,
        licence_number=licence_number,
        licensing_board=board,
    )
    if problem := command_profile_problem(profile, role, current_app.extensions["trainer.content"]):
        fail(problem)
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        user = create_user(
            session,
            email=email,
            password=password,
            role=role,
            organisation_id=organisation_id,
            profile=profile,
        )
    except AccountError as error:
        fail(str(error))
        return
    record_event(
        session,
        "user.create",
        actor=None,
        target_type="user",
        target_id=user.id,
        organisation_id=organisation_id,
        role=role,
        via="cli",
    )
    session.commit()
    click.echo(f"Created {role} {user.email}.")
    if password is None:
        click.echo("No password set: the person can set one with 'Forgot your password?'.")


@main.group()
def tokens() -> None:
    """API tokens."""


@tokens.command("create")
@click.option("--email", required=True)
@click.option("--name", default="created on the command line", show_default=True)
@click.option(
    "--scope", help="read, learner, org_admin, verifier (full: admins); default: the role's"
)
@click.option("--days", type=int, help="Lifetime in days; default and most: TRAINER_API_TOKEN_DAYS")
@with_app
def tokens_create(email: str, name: str, scope: str | None, days: int | None) -> None:
    """Print a new API token for a user (shown once)."""
    from trainer.accounts.services import find_user_by_email

    session = db.session()
    user = find_user_by_email(session, email)
    if user is None:
        fail(f"No account with email {email!r}.")
        return
    try:
        _record, token = create_api_token(session, user, name, scope=scope, days=days)
    except AccountError as error:
        fail(str(error))
        return
    record_event(
        session, "token.create", actor=None, target_type="user", target_id=user.id, via="cli"
    )
    session.commit()
    click.echo(token)


# -- content ---------------------------------------------------------------------------


def _courses_dir(option: str | None) -> Path:
    from trainer.config import PROJECT_ROOT

    return Path(option or os.environ.get("TRAINER_COURSES_DIR") or PROJECT_ROOT / "courses")


@main.group()
def content() -> None:
    """Course content in courses/."""


@content.command("check")
@click.option(
    "--courses", "courses_dir", type=click.Path(file_okay=False), help="Default: courses/"
)
def content_check(courses_dir: str | None) -> None:
    """Validate the content: one `path:line: message` line per problem."""
    from trainer.content.loader import read_catalogue

    folder = _courses_dir(courses_dir)
    catalogue, problems = read_catalogue(folder)
    for problem in problems:
        click.echo(str(problem))
    if catalogue is None:
        click.echo(f"{len(problems)} problem(s) in {folder}.", err=True)
        sys.exit(1)
    modules = sum(len(c.modules) for c in catalogue.courses.values())
    click.echo(
        f"OK: {len(catalogue.courses)} courses, {modules} modules, "
        f"{len(catalogue.requirement_sets)} requirement sets, {len(catalogue.curricula)} curricula."
    )


@content.command("lint")
@click.option(
    "--courses", "courses_dir", type=click.Path(file_okay=False), help="Default: courses/"
)
def content_lint(courses_dir: str | None) -> None:
    """Item-writing flaws and guessing scores; exit 1 on any error (see courses/README.md)."""
    from trainer.content.lint import lint_courses, summary_lines

    folder = _courses_dir(courses_dir)
    if not folder.is_dir():
        fail(f"{folder}: the courses folder does not exist")
        return
    reports = lint_courses(folder)
    findings = [finding for report in reports for finding in report.findings]
    for finding in findings:
        click.echo(str(finding))
    for report in reports:
        click.echo("\n".join(summary_lines(report)))
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s) in {len(reports)} item bank(s).")
    if errors:
        sys.exit(1)


@content.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--courses", "courses_dir", type=click.Path(file_okay=False), help="Default: courses/"
)
def content_stats(as_json: bool, courses_dir: str | None) -> None:
    """Per course: professions, modules, words, minutes, credit hours, areas, items by type."""
    from trainer.content.loader import ContentError, load_catalogue
    from trainer.content.stats import course_stats, totals

    try:
        catalogue = load_catalogue(_courses_dir(courses_dir))
    except ContentError as error:
        fail(f"the content has problems; run `trainer content check`.\n{error}")
        return
    stats = course_stats(catalogue)
    if as_json:
        click.echo(
            json.dumps({"courses": stats, "totals": totals(stats)}, ensure_ascii=False, indent=2)
        )
        return
    for entry in stats:
        items = ", ".join(f"{k} {v}" for k, v in entry["items"].items())
        click.echo(
            f"{entry['course']}: {entry['title']}\n"
            f"  languages: {', '.join(entry['languages'])}\n"
            f"  professions: {', '.join(entry['professions'])}\n"
            f"  {entry['modules']} modules, {entry['words']} words, {entry['minutes']} minutes, "
            f"{entry['credit_hours']} credit hours\n"
            f"  content areas: {', '.join(entry['content_areas'])}\n"
            f"  items: {items}"
        )
    total = totals(stats)
    click.echo(
        f"total: {total['courses']} courses, {total['modules']} modules, {total['words']} words, "
        f"{total['minutes']} minutes, {total['credit_hours']} credit hours"
    )


# Each feature's command group registers itself on ``main`` when imported.
from trainer.backup import commands as _backup_commands  # noqa: E402,F401
from trainer.certificates import commands as _certificate_commands  # noqa: E402,F401
from trainer.licensing import commands as _licensing_commands  # noqa: E402,F401
