"""The whole learner journey, through the HTML forms or through the API.

Register (or sign in), read every module of a course and mark it complete,
start the assessment, save answers, submit (some learners click twice at once),
list certificates, download the PDF and verify it offline and on the site.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from bench.balancer import Balancer, NoAnswer
from bench.learners import (
    AnswerKey,
    Browser,
    JourneyError,
    Learner,
    Outcome,
    check_pdf,
    jwks,
    local_path,
    register,
    seal_certificates,
    sign_in,
)

T = TypeVar("T")
RESULT = re.compile(r"<strong>(Passed|Not passed)</strong>:\s*([\d.]+)% \(([\d.]+) of (\d+) points")


def twice(balancer: Balancer, action: Callable[[], T]) -> list[T]:
    """Run ``action`` twice at the same instant, as a double click does."""
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = action()
        except Exception as error:  # re-raised below, in the learner's thread
            results[index] = error
        finally:
            balancer.release()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results


def run_journey(balancer: Balancer, key: AnswerKey, learner: Learner) -> Outcome:
    """One learner from start to finish; never raises: the outcome says what went wrong."""
    outcome = Outcome(learner)
    browser = Browser(balancer, learner.client_ip)
    try:
        register(browser, learner, outcome)
        if learner.style == "html":
            _html_journey(browser, key, learner, outcome)
        else:
            _api_journey(browser, key, learner, outcome)
        outcome.finished = True
    except Exception as error:  # any failure is the learner's outcome, checked after the run
        outcome.error = f"{type(error).__name__}: {error}"
    finally:
        balancer.release()
    return outcome


# -- through the forms -------------------------------------------------------------------


def _html_journey(browser: Browser, key: AnswerKey, learner: Learner, outcome: Outcome) -> None:
    if learner.number % 4 == 0:
        # Registered on one device, carries on from another: a fresh browser signs in.
        browser = Browser(browser.balancer, browser.client_ip)
        sign_in(browser, learner, outcome)
    _read_modules(browser, key, learner)
    attempt_id = _start_html_attempt(browser, learner)
    outcome.attempt_id = attempt_id
    _answer_html_items(browser, key, learner, attempt_id, outcome)
    outcome.results_seen = _submit_html(browser, learner, attempt_id)
    _html_certificate(browser, learner, outcome)


def _read_modules(browser: Browser, key: AnswerKey, learner: Learner) -> None:
    course = key.course(learner.course)
    page = browser.get(f"/courses/{course.slug}", "course page")
    linked = re.findall(rf'href="/courses/{course.slug}/modules/([^"/]+)"', page.text)
    expected = [m.slug for m in course.modules]
    if list(dict.fromkeys(linked)) != expected:
        raise JourneyError(f"course page links {linked}, expected {expected}")
    for index, module in enumerate(course.modules):
        path = f"/courses/{course.slug}/modules/{module.slug}"
        token = browser.form(browser.get(path, "module page"))

        def complete(path: str = path, token: str = token) -> Any:
            return browser.post_form(f"{path}/complete", [("csrf_token", token)], "module done")

        answers = (
            twice(browser.balancer, complete)
            if learner.double_click and index == 0
            else [complete()]
        )
        browser.get(answers[0].location, "page after module done")


def _start_html_attempt(browser: Browser, learner: Learner) -> str:
    path = f"/courses/{learner.course}/assessment"
    token = browser.form(browser.get(path, "assessment page"))

    def start() -> str:
        return browser.post_form(path, [("csrf_token", token)], "start attempt").location

    locations = twice(browser.balancer, start) if learner.double_click else [start()]
    ids = {re.search(r"/attempts/([^/]+)/items/", loc).group(1) for loc in locations}  # type: ignore[union-attr]
    if len(ids) != 1:
        raise JourneyError(f"two clicks on start opened two attempts: {ids}")
    return ids.pop()


def _answer_html_items(
    browser: Browser, key: AnswerKey, learner: Learner, attempt_id: str, outcome: Outcome
) -> None:
    item_ids = key.item_ids(attempt_id)
    slipped = False
    for number, item_id in enumerate(item_ids, 1):
        path = f"/attempts/{attempt_id}/items/{number}"
        item = key.course(learner.course).item(item_id)
        assert item is not None
        slip = learner.slip and not slipped and item.type == "single"
        slipped = slipped or slip
        answer = key.answer(learner.course, item_id, slip)
        action = "next" if number < len(item_ids) else "overview"
        if item.type == "branching":
            _walk_scenario(browser, path, answer, outcome)
            fields = []
        else:
            fields = _form_fields(item.type, answer)
        token = browser.form(browser.get(path, "quiz item page"))
        browser.post_form(path, [("csrf_token", token), *fields, ("action", action)], "answer")


def _form_fields(item_type: str, answer: Any) -> list[tuple[str, str]]:
    if item_type in ("single", "classification"):
        return [("answer", answer)]
    if item_type == "multiple":
        return [("answer", option) for option in answer]
    if item_type == "ordering":
        return [(f"position-{step}", str(n)) for n, step in enumerate(answer, 1)]
    raise JourneyError(f"no form for item type {item_type}")


def _walk_scenario(browser: Browser, path: str, choices: list[str], outcome: Outcome) -> None:
    """One choice per post. A choice whose answer was lost is looked up, never re-sent."""
    while True:
        page = browser.get(path, "quiz item page")
        taken = page.text.count('class="scenario-step"')
        if taken >= len(choices):
            return
        fields = [("csrf_token", browser.form(page)), ("action", "choose")]
        try:
            browser.post_form(path, [*fields, ("choice", choices[taken])], "scenario choice")
        except NoAnswer:
            outcome.recoveries.append("scenario choice: no answer; reloaded to see where it stood")


def _submit_html(browser: Browser, learner: Learner, attempt_id: str) -> list[dict[str, Any]]:
    token = browser.form(browser.get(f"/attempts/{attempt_id}", "attempt overview"))

    def submit() -> dict[str, Any]:
        answer = browser.post_form(
            f"/attempts/{attempt_id}/submit", [("csrf_token", token)], "submit"
        )
        review = browser.get(answer.location, "review page")
        match = RESULT.search(review.text)
        if match is None:
            raise JourneyError("the review page shows no result")
        passed, percent, score, _points = match.groups()
        return {"passed": passed == "Passed", "percent": float(percent), "score": float(score)}

    return twice(browser.balancer, submit) if learner.double_click else [submit()]


def _html_certificate(browser: Browser, learner: Learner, outcome: Outcome) -> None:
    page = browser.get("/certificates", "certificate list")
    # Crockford's check symbol may be one of * ~ $ = U, so take the id as the page gives it.
    ids = [html.unescape(i) for i in re.findall(r'id="cert-([^"]+)"', page.text)]
    pdf_links = re.findall(r'href="(/certificates/[^"]+\.pdf)"', page.text)
    verify_links = re.findall(r'href="(/verify/[^"]+)"', page.text)
    if len(ids) != 1 or len(pdf_links) != 1 or len(verify_links) != 1:
        raise JourneyError(f"the certificate list shows {len(ids)} certificates")
    outcome.certificate_id = ids[0]
    pdf = browser.get(html.unescape(pdf_links[0]), "certificate PDF")
    check_pdf(pdf.body, jwks(browser), learner, ids[0], seal_certificates(browser))
    outcome.pdf_valid = True
    verify = browser.get(html.unescape(verify_links[0]), "verify page")
    outcome.verified_status = "valid" if "status--valid" in verify.text else "not valid"


# -- through the API ------------------------------------------------------------------------


def _api_journey(browser: Browser, key: AnswerKey, learner: Learner, outcome: Outcome) -> None:
    browser.bearer = _api_token(browser, learner, outcome)
    browser.cookies.clear()  # from here on, only the token speaks for the learner
    courses = browser.json(
        "GET", f"/api/v1/courses?profession={learner.profession}", None, "catalogue (API)", (200,)
    )
    course = next(c for c in courses["courses"] if c["slug"] == learner.course)
    for index, module in enumerate(course["modules"]):
        path = f"/api/v1/courses/{learner.course}/modules/{module['slug']}/complete"

        def complete(path: str = path) -> Any:
            return browser.json("POST", path, None, "module done (API)", (200, 201))

        if learner.double_click and index == 0:
            twice(browser.balancer, complete)
        else:
            complete()
    attempt = _start_api_attempt(browser, learner)
    outcome.attempt_id = attempt["id"]
    _save_api_answers(browser, key, learner, attempt)
    outcome.results_seen = _submit_api(browser, learner, attempt["id"])
    _api_certificate(browser, learner, outcome)


def _api_token(browser: Browser, learner: Learner, outcome: Outcome) -> str:
    """Ask for a token; each call makes a new one, so a lost answer is asked for again."""
    credentials = {"email": learner.email, "password": "a long passphrase for the load test"}
    for _ in range(4):
        try:
            return browser.json("POST", "/api/v1/tokens", credentials, "token (API)", (201,))[
                "token"
            ]
        except NoAnswer:
            outcome.recoveries.append("token: no answer; asked for another")
    raise JourneyError("no API token after 4 tries")


def _start_api_attempt(browser: Browser, learner: Learner) -> dict[str, Any]:
    path = f"/api/v1/courses/{learner.course}/attempts"

    def start() -> dict[str, Any]:
        return browser.json("POST", path, None, "start attempt (API)", (200, 201))["attempt"]

    attempts = twice(browser.balancer, start) if learner.double_click else [start()]
    if len({a["id"] for a in attempts}) != 1:
        raise JourneyError("two starts at once opened two attempts")
    return attempts[0]


def _save_api_answers(
    browser: Browser, key: AnswerKey, learner: Learner, attempt: dict[str, Any]
) -> None:
    items = attempt["items"]
    answers, slipped = {}, False
    for item in items:
        slip = learner.slip and not slipped and item["type"] == "single"
        slipped = slipped or slip
        answers[item["id"]] = key.answer(learner.course, item["id"], slip)
    half = len(items) // 2
    for part in (dict(list(answers.items())[:half]), dict(list(answers.items())[half:])):
        path = f"/api/v1/attempts/{attempt['id']}/answers"
        saved = browser.json("PUT", path, {"answers": part}, "save answers (API)", (200,))
        if not set(part) <= {i["id"] for i in saved["attempt"]["items"] if "answer" in i}:
            raise JourneyError("saved answers are missing from the attempt")


def _submit_api(browser: Browser, learner: Learner, attempt_id: str) -> list[dict[str, Any]]:
    def submit() -> dict[str, Any]:
        path = f"/api/v1/attempts/{attempt_id}/submit"
        body = browser.json("POST", path, None, "submit (API)", (200,))["attempt"]
        return {
            "passed": body["passed"],
            "percent": body["percent"],
            "score": body["score"],
            "submitted_at": body["submitted_at"],
            "correct": [i["correct"] for i in body["items"]],
        }

    return twice(browser.balancer, submit) if learner.double_click else [submit()]


def _api_certificate(browser: Browser, learner: Learner, outcome: Outcome) -> None:
    progress = browser.json("GET", "/api/v1/me/progress", None, "progress (API)", (200,))
    status = next(p["status"] for p in progress["progress"] if p["course"] == learner.course)
    if status != "completed":
        raise JourneyError(f"progress says {status!r} after passing")
    listing = browser.json("GET", "/api/v1/me/certificates", None, "certificate list (API)", (200,))
    if len(listing["certificates"]) != 1:
        raise JourneyError(f"{len(listing['certificates'])} certificates listed")
    certificate = listing["certificates"][0]
    cert_id = certificate["id"].replace("-", "")
    outcome.certificate_id = cert_id
    pdf = browser.get(local_path(certificate["pdf_url"]), "certificate PDF")
    check_pdf(pdf.body, jwks(browser), learner, cert_id, seal_certificates(browser))
    outcome.pdf_valid = True
    path = f"/api/v1/verify/{quote(cert_id)}"
    verified = browser.json("GET", path, None, "verify (API)", (200,))
    outcome.verified_status = verified["certificate"]["status"]
