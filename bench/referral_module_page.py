"""The module page with a referral directory: a learner in a district, its protocol above
the national contacts, against the same bare Flask endpoint as ``bench.module_page``.

Same budget as the plain module page (>= 30% of the bare endpoint): the directory
is a cached per-unit fragment, so it should cost one primary-key lookup.

Run: .venv/bin/python -m bench.referral_module_page
"""

from __future__ import annotations

import http.client
import shutil
import subprocess
import sys
from pathlib import Path

from bench.harness import (
    load,
    login_cookie,
    paired_rounds,
    prepare_site,
    save,
    server,
    temporary_instance,
    throughput,
)

MODULE = "/courses/health/modules/reporting-and-resources"
ROUNDS = 5
DIRECTORY = Path(__file__).resolve().parents[1] / "tests" / "referrals" / "maseru-directory.csv"

SEED = """
import sys
from pathlib import Path
from sqlalchemy import select
from trainer import create_app, db
from trainer.content.catalogue import catalogue
from trainer.i18n import LANGUAGES
from trainer.models import Organisation, User
from trainer.orgs.scope import Scope
from trainer.orgs.units import create_unit
from trainer.referrals.csvfile import read_directory
from trainer.referrals.services import import_directory

app = create_app()
with app.test_request_context():
    session = db.session()
    org = Organisation(slug="bench", name="Bench Ministry", kind="ministry")
    session.add(org)
    session.flush()
    scope = Scope(org)
    region = create_unit(session, scope, name="Lowlands", kind="region", parent=None)
    district = create_unit(session, scope, name="Maseru District", kind="district", parent=region)
    user = session.scalar(select(User).where(User.email == sys.argv[2]))
    user.organisation_id, user.unit_id = org.id, district.id
    content = Path(sys.argv[1]).read_bytes()
    parsed = read_directory(content, list(catalogue().professions), list(LANGUAGES))
    import_directory(session, scope, parsed, None)
    assert not parsed.errors, parsed.errors
    session.commit()
"""


def _check_page(port: int, headers: dict[str, str]) -> None:
    """Measure the page with the directory on it, not a page without one."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", MODULE, headers=headers)
    page = connection.getresponse().read().decode()
    for text in ("Maseru District protocol", "Maseru Safe House", "National Human Trafficking"):
        if text not in page:
            raise RuntimeError(f"the page lacks {text!r}: the directory was not set up")


def main() -> None:
    with temporary_instance() as tmp:
        env = prepare_site(Path(tmp))
        subprocess.run(
            [sys.executable, "-c", SEED, str(DIRECTORY), "bench@example.org"],
            env=env,
            check=True,
        )
        with server("bench.apps:bare", env) as bare_port, server("trainer.wsgi:app", env) as port:
            cookie = login_cookie(port)
            headers = {"Cookie": cookie}
            _check_page(port, headers)
            throughput(port, MODULE, headers, seconds=1)  # warm up
            throughput(bare_port, "/", seconds=1)
            rounds = paired_rounds(
                ROUNDS, lambda: load(bare_port, "/"), lambda: load(port, MODULE, headers)
            )
    save(
        "referral_module_page",
        {
            "load_generator": "wrk" if shutil.which("wrk") else "python threads",
            **rounds,
            "budget_ratio": 0.30,
            "throughput_within_budget": rounds["ratio"] >= 0.30,
        },
    )


if __name__ == "__main__":
    main()
