"""Simulated learners: who they are, their browser (cookies, CSRF), and what they know.

A learner's traffic goes through :class:`bench.balancer.Balancer`. Each learner
has a client address of their own, sent as ``X-Forwarded-For`` by the balancer
part, so per-client rate limits apply to each learner as they would in the field.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from cryptography import x509
from sqlalchemy import Engine, text

from bench.balancer import Answer, Balancer, NoAnswer
from trainer.certificates.keys import key_set
from trainer.certificates.offline import check_certificate_pdf
from trainer.content.model import Catalogue, Course

PASSWORD = "a long passphrase for the load test"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
#: (profession, course): each learner reads one course for their profession.
TRACKS = (
    ("police", "police"),
    ("health", "health"),
    ("media", "media"),
    ("licensed", "licensed"),
    ("health", "core"),
)


class JourneyError(Exception):
    """A learner met an answer a working site would not give."""


@dataclass(frozen=True)
class Learner:
    number: int
    run: str  # unique per run, so that runs against one database never collide
    style: str  # "html": forms only; "api": registers with the form, then uses the API
    double_click: bool  # sends some requests twice at once
    slip: bool  # answers one item wrong, so that scores differ between learners

    @property
    def profession(self) -> str:
        return TRACKS[self.number % len(TRACKS)][0]

    @property
    def course(self) -> str:
        return TRACKS[self.number % len(TRACKS)][1]

    @property
    def email(self) -> str:
        return f"learner{self.number}.{self.run}@load.example"

    @property
    def name(self) -> str:
        return f"Load Learner {self.number}"

    @property
    def client_ip(self) -> str:
        return f"10.{int(self.run, 16) % 250}.{self.number // 250}.{self.number % 250 + 1}"


def make_learners(count: int, run: str, start: int = 0) -> list[Learner]:
    """Half use the forms, half the API; every third clicks twice; every fourth slips once."""
    return [
        Learner(n, run, "html" if n % 2 == 0 else "api", n % 3 == 0, n % 4 == 1)
        for n in range(start, start + count)
    ]


@dataclass
class Outcome:
    """What a learner saw, for the checks after the run."""

    learner: Learner
    finished: bool = False
    error: str | None = None
    attempt_id: str | None = None
    results_seen: list[dict[str, Any]] = field(default_factory=list)
    certificate_id: str | None = None
    pdf_valid: bool = False
    verified_status: str | None = None
    recoveries: list[str] = field(default_factory=list)


class Browser:
    """One device: its cookies and client address, talking through the balancer."""

    def __init__(self, balancer: Balancer, client_ip: str) -> None:
        self.balancer = balancer
        self.client_ip = client_ip
        self.cookies: dict[str, str] = {}
        self.bearer: str | None = None
        self._lock = threading.Lock()

    def send(
        self,
        method: str,
        path: str,
        label: str,
        expect: tuple[int, ...],
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> Answer:
        """Send one request; any status outside ``expect`` is a :class:`JourneyError`."""
        headers = {"X-Forwarded-For": self.client_ip, "Accept-Language": "en"}
        with self._lock:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.bearer:
            headers["Authorization"] = f"Bearer {self.bearer}"
        if content_type:
            headers["Content-Type"] = content_type
        answer = self.balancer.request(method, path, label=label, body=body, headers=headers)
        self._keep_cookies(answer.cookies)
        if answer.status not in expect:
            raise JourneyError(
                f"{method} {path} answered {answer.status} from {answer.backend}, "
                f"expected {expect}: {answer.text[:300]!r}"
            )
        return answer

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        with self._lock:
            for header in set_cookies:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if not value or "max-age=0" in header.lower():
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value

    def get(self, path: str, label: str, expect: tuple[int, ...] = (200,)) -> Answer:
        return self.send("GET", path, label, expect)

    def form(self, page: Answer) -> str:
        match = CSRF.search(page.text)
        if match is None:
            raise JourneyError(f"no CSRF token in the page from {page.backend}")
        return match.group(1)

    def post_form(
        self,
        path: str,
        fields: list[tuple[str, str]],
        label: str,
        expect: tuple[int, ...] = (302,),
    ) -> Answer:
        body = urlencode(fields).encode()
        return self.send("POST", path, label, expect, body, "application/x-www-form-urlencoded")

    def json(
        self, method: str, path: str, payload: Any, label: str, expect: tuple[int, ...]
    ) -> Any:
        body = json.dumps(payload).encode() if payload is not None else None
        answer = self.send(method, path, label, expect, body, "application/json")
        return json.loads(answer.body)


def local_path(url: str) -> str:
    """The path of an absolute address the site gave (its host is TRAINER_BASE_URL)."""
    return "/" + url.split("://", 1)[-1].split("/", 1)[1] if "://" in url else url


class AnswerKey:
    """What a learner who studied would answer, item by item.

    Learners using the forms see options but not item ids, so the key finds the
    drawn items in the attempts table: a read by the harness, not site traffic.
    """

    def __init__(self, catalogue: Catalogue, engine: Engine) -> None:
        self.catalogue = catalogue
        self.engine = engine

    def course(self, slug: str) -> Course:
        return self.catalogue.courses[slug]

    def item_ids(self, attempt_id: str) -> list[str]:
        with self.engine.connect() as connection:
            raw = connection.execute(
                text("SELECT item_ids FROM attempts WHERE id = :id"), {"id": attempt_id}
            ).scalar_one()
        return json.loads(raw) if isinstance(raw, str) else list(raw)

    def answer(self, course: str, item_id: str, slip: bool = False) -> Any:
        """The right answer in the API's terms, or a wrong option when ``slip``."""
        item = self.course(course).item(item_id)
        assert item is not None, item_id
        key = item.item_type.key(item)
        if item.type == "single":
            if slip:
                return next(o.id for o in item.spec.options if not o.correct)
            return key[0]
        return key


def check_pdf(
    pdf: bytes,
    jwks: dict[str, Any],
    learner: Learner,
    certificate_id: str,
    seal: list[x509.Certificate] | None = None,
) -> None:
    """The PDF is sealed by the site, its credential verifies and it names this learner."""
    result = check_certificate_pdf(pdf, key_set(jwks), seal)
    if not result.valid or result.facts is None:
        raise JourneyError(f"certificate PDF does not verify: {result.problems}")
    if result.facts.certificate_id != certificate_id or result.facts.name != learner.name:
        raise JourneyError(f"certificate PDF names {result.facts.name}, {result.facts.kid}")


def register(browser: Browser, learner: Learner, outcome: Outcome) -> None:
    """Create the account through the form; if no answer came, find out whether it exists."""
    fields = [
        ("email", learner.email),
        ("full_name", learner.name),
        ("profession", learner.profession),
        ("country", "US"),
        ("region", "US-MI"),
        ("licence_type", "nurse" if learner.profession == "licensed" else "none"),
        ("licence_number", f"RN-{learner.number:06d}" if learner.profession == "licensed" else ""),
        ("licensing_board", "Board of Nursing" if learner.profession == "licensed" else ""),
        ("password", PASSWORD),
        ("confirm", PASSWORD),
    ]
    for _ in range(4):
        token = browser.form(browser.get("/register", "register: form"))
        try:
            landing = browser.post_form("/register", [("csrf_token", token), *fields], "register")
        except NoAnswer:
            if sign_in(browser, learner, outcome, tolerate_unknown=True):
                outcome.recoveries.append("register: no answer; the account existed, signed in")
                return
            outcome.recoveries.append("register: no answer and no account; registered again")
            continue
        # Registration answers alike for new and taken addresses and signs no
        # one in: the learner signs in with the password they chose.
        browser.get(landing.location, "sign in: form after registering")
        sign_in(browser, learner, outcome)
        return
    raise JourneyError("could not register after 4 tries")


def sign_in(
    browser: Browser, learner: Learner, outcome: Outcome, tolerate_unknown: bool = False
) -> bool:
    """Sign in through the form, clicking again when no answer came. False: no such account."""
    for _ in range(4):
        token = browser.form(browser.get("/login", "sign in: form"))
        fields = [("csrf_token", token), ("email", learner.email), ("password", PASSWORD)]
        try:
            answer = browser.post_form("/login", fields, "sign in", expect=(302, 400))
        except NoAnswer:
            outcome.recoveries.append("sign in: no answer; signed in again")
            continue
        if answer.status == 302:
            browser.get(answer.location, "dashboard")
            return True
        if tolerate_unknown:
            return False
        raise JourneyError(f"sign in refused: {answer.text[:200]!r}")
    raise JourneyError("could not sign in after 4 tries")


def jwks(browser: Browser) -> dict[str, Any]:
    return json.loads(browser.get("/.well-known/jwks.json", "jwks").body)


def seal_certificates(browser: Browser) -> list[x509.Certificate]:
    """The certificate the site seals PDFs with, as a board would fetch it."""
    body = browser.get("/pdf-signing-certificate.pem", "seal").body
    return x509.load_pem_x509_certificates(body if isinstance(body, bytes) else body.encode())
