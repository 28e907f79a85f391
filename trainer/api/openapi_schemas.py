"""What each API v1 route takes and answers, written by hand for ``trainer.api.openapi``.

One entry per endpoint and method. Schemas say what clients may rely on: the
keys listed as required are always there; objects may carry more keys later
(``additionalProperties`` is left open so adding a field is not a breaking change).
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    return {
        "type": "object",
        "required": sorted(required),
        "properties": {**required, **(optional or {})},
    }


def wrap(key: str, schema: Schema) -> Schema:
    return obj({key: schema})


def many(key: str, schema: Schema) -> Schema:
    return obj({key: {"type": "array", "items": schema}})


STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
DATE: Schema = {"type": "string", "format": "date"}
TIME: Schema = {"type": "string", "format": "date-time"}
NUM: Schema = {"type": "number"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


SCHEMAS: dict[str, Schema] = {
    "Error": wrap("error", obj({"code": STR, "message": STR})),
    "Unit": obj(
        {"id": INT, "name": STR, "kind": STR, "parent": nullable(INT), "path": STR},
    ),
    "Member": obj(
        {
            "id": INT,
            "email": STR,
            "full_name": STR,
            "role": STR,
            "profession": nullable(STR),
            "unit": nullable(INT),
            "unit_path": nullable(STR),
            "active": BOOL,
        }
    ),
    "Assignment": obj(
        {
            "id": INT,
            "title": STR,
            "curriculum": nullable(STR),
            "courses": {"type": "array", "items": STR},
            "unit": nullable(INT),
            "profession": nullable(STR),
            "named": BOOL,
            "due": DATE,
        },
        {"learners": {"type": "integer", "description": "Learners it reaches now."}},
    ),
    "Grant": obj(
        {"learner": INT, "course": STR, "attempts": INT, "reason": STR, "granted_at": TIME}
    ),
    "Course": obj(
        {"slug": STR, "title": STR, "modules": {"type": "array", "items": {"type": "object"}}},
        {"credit_hours": nullable(NUM), "professions": {"type": "array", "items": STR}},
    ),
    "Progress": obj(
        {"course": STR, "status": STR, "percent": NUM, "modules_total": INT},
        {"attempts": {"type": "array", "items": {"type": "object"}}},
    ),
    "Certificate": obj(
        {"id": STR, "status": STR, "name": STR, "course": {"type": "object"}},
        {"hours": nullable(NUM), "verify_url": STR, "revoked": nullable({"type": "object"})},
    ),
    "Attempt": obj({"id": {"type": ["string", "integer"]}}),
    "Page": obj({"total": INT, "page": INT, "pages": INT}),
}

ENROLMENT_PLAN = obj(
    {
        "dry_run": BOOL,
        "imported": BOOL,
        "summary": {"type": "object"},
        "errors": {
            "type": "array",
            "items": obj({"line": nullable(INT), "column": nullable(STR), "reason": STR}),
        },
    }
)
UNIT_BODY = obj(
    {},
    {
        "name": STR,
        "kind": {"type": "string", "description": "region, district, station, … (see README)"},
        "parent": {
            "description": "A unit id or a path like 'North/District 4'; null or absent: top.",
            "anyOf": [INT, STR, {"type": "null"}],
        },
    },
)
PAGE_QUERY = [{"name": "page", "in": "query", "required": False, "schema": INT}]
REPORT_QUERY = [
    {"name": name, "in": "query", "required": False, "schema": schema}
    for name, schema in (("unit", INT), ("profession", STR), ("course", STR), ("status", STR))
]

CURRICULUM_QUERY = {"name": "curriculum", "in": "query", "required": False, "schema": STR}
SEP_QUERY = {"name": "sep", "in": "query", "required": False, "schema": STR}

OPERATIONS: dict[str, dict[str, dict[str, Any]]] = {
    "api.openapi": {
        "GET": {
            "summary": "This document.",
            "responses": {200: {"type": "object"}},
            "errors": (),
            "public": True,
        }
    },
    "api.create_token": {
        "POST": {
            "summary": "Sign in with e-mail and password (and a TOTP code if set); get a token.",
            "body": obj({"email": STR, "password": STR}, {"code": STR, "scope": STR, "name": STR}),
            "responses": {201: obj({"token": STR, "scope": STR, "expires_at": nullable(STR)})},
            "errors": (400, 401, 429),
            "public": True,
        }
    },
    "api.me": {
        "GET": {
            "summary": "The token's account.",
            "responses": {200: wrap("user", obj({"email": STR, "name": STR, "role": STR}))},
            "errors": (401,),
        }
    },
    "api.courses": {
        "GET": {
            "summary": "The courses (for the caller's profession when signed in).",
            "responses": {200: many("courses", ref("Course"))},
            "errors": (400,),
            "public": True,
        }
    },
    "api.my_progress": {
        "GET": {
            "summary": "Progress in every course.",
            "responses": {200: many("progress", ref("Progress"))},
            "errors": (401,),
        }
    },
    "api.my_certificates": {
        "GET": {
            "summary": "The caller's certificates, with PDF and credential links.",
            "responses": {200: many("certificates", ref("Certificate"))},
            "errors": (401,),
        }
    },
    "api.module": {
        "GET": {
            "summary": "One module's facts; the first call starts the caller's reading clock "
            "(time on task): `complete_from` says when it may be marked complete.",
            "responses": {
                200: wrap(
                    "module",
                    obj(
                        {"slug": STR, "title": STR, "minutes": INT, "url": STR},
                        {
                            "content_areas": {"type": "array", "items": STR},
                            "language": STR,
                            "opened_at": nullable(STR),
                            "complete_from": nullable(STR),
                        },
                    ),
                )
            },
            "errors": (401, 404),
        }
    },
    "api.complete_module": {
        "POST": {
            "summary": "Record a module as read (409 `too_early` before its reading time has "
            "passed, naming when).",
            "responses": {
                200: obj({"created": BOOL, "progress": ref("Progress")}),
                201: obj({"created": BOOL, "progress": ref("Progress")}),
            },
        }
    },
    "api.start_attempt": {
        "POST": {
            "summary": "Start (or resume) an assessment attempt.",
            "responses": {
                200: wrap("attempt", ref("Attempt")),
                201: wrap("attempt", ref("Attempt")),
            },
            "errors": (400, 401, 403, 404, 409),
        }
    },
    "api.get_attempt": {
        "GET": {
            "summary": "One's own attempt, without answers before submission.",
            "responses": {200: wrap("attempt", ref("Attempt"))},
        }
    },
    "api.save_answers": {
        "PUT": {
            "summary": "Save answers: {answers: {item id: answer or null}}.",
            "body": obj({"answers": {"type": "object"}}),
            "responses": {200: wrap("attempt", ref("Attempt"))},
            "errors": (400, 401, 403, 404, 409),
        }
    },
    "api.submit_attempt": {
        "POST": {
            "summary": "Grade once; repeating returns the same result.",
            "body": obj({}, {"answers": {"type": "object"}}),
            "responses": {200: wrap("attempt", ref("Attempt"))},
            "errors": (400, 401, 403, 404, 409),
        }
    },
    "api.verify": {
        "GET": {
            "summary": "Verify one certificate by id (public).",
            "responses": {200: wrap("certificate", ref("Certificate"))},
            "errors": (400, 404, 429),
            "public": True,
        }
    },
    "api.verifications": {
        "POST": {
            "summary": "Verify up to 1000 ids, or licence number and board pairs (verifiers).",
            "body": {"type": "object", "description": "{ids: [...]} or {licences: [...]}"},
            "responses": {200: many("results", obj({"status": STR}))},
            "errors": (400, 401, 403, 413, 429),
        }
    },
    "api.enrol": {
        "POST": {
            "summary": "Enrol staff from a CSV body; ?dry_run=1 previews. All rows or none.",
            "media": "text/csv",
            "body": {"type": "string"},
            "query": [{"name": "dry_run", "in": "query", "required": False, "schema": STR}],
            "responses": {200: ENROLMENT_PLAN, 422: ENROLMENT_PLAN},
            "errors": (400, 401, 403, 404, 413),
        }
    },
    "api.assign": {
        "POST": {
            "summary": "Assign a curriculum or courses to a unit, a profession or named people.",
            "body": obj(
                {"due": DATE},
                {
                    "curriculum": STR,
                    "courses": {"type": "array"},
                    "unit": {"anyOf": [INT, STR]},
                    "profession": STR,
                    "emails": {"type": "array"},
                },
            ),
            "responses": {201: wrap("assignment", ref("Assignment"))},
        }
    },
    "api.list_assignments": {
        "GET": {
            "summary": "Assignments in the caller's scope, soonest due first.",
            "responses": {200: many("assignments", ref("Assignment"))},
        }
    },
    "api.get_assignment": {
        "GET": {
            "summary": "One assignment, with how many learners it reaches now.",
            "responses": {200: wrap("assignment", ref("Assignment"))},
        }
    },
    "api.update_assignment": {
        "PATCH": {
            "summary": "Change the due date (extend or bring forward; not into the past).",
            "body": obj({"due": DATE}),
            "responses": {200: wrap("assignment", ref("Assignment"))},
        }
    },
    "api.cancel_assignment": {
        "DELETE": {
            "summary": "Cancel; learners' progress and certificates stay.",
            "responses": {204: None},
        }
    },
    "api.list_units": {
        "GET": {
            "summary": "Units in the caller's scope, in tree order.",
            "responses": {200: many("units", ref("Unit"))},
        }
    },
    "api.create_unit": {
        "POST": {
            "summary": "Create a unit.",
            "body": UNIT_BODY,
            "responses": {201: wrap("unit", ref("Unit"))},
        }
    },
    "api.update_unit": {
        "PATCH": {
            "summary": "Rename (name, kind) and/or move (parent) a unit.",
            "body": UNIT_BODY,
            "responses": {200: wrap("unit", ref("Unit"))},
        }
    },
    "api.delete_unit": {
        "DELETE": {
            "summary": "Delete an empty unit; 409 says what it still holds.",
            "responses": {204: None},
            "errors": (401, 403, 404, 409),
        }
    },
    "api.list_members": {
        "GET": {
            "summary": "Members in scope; q searches name and e-mail.",
            "query": [
                {"name": "q", "in": "query", "required": False, "schema": STR},
                {"name": "unit", "in": "query", "required": False, "schema": INT},
                {"name": "profession", "in": "query", "required": False, "schema": STR},
                {
                    "name": "status",
                    "in": "query",
                    "required": False,
                    "schema": {"enum": ["active", "inactive"]},
                },
                *PAGE_QUERY,
            ],
            "responses": {200: {"allOf": [ref("Page"), many("members", ref("Member"))]}},
        }
    },
    "api.update_member": {
        "PATCH": {
            "summary": "Move a member to a unit and/or deactivate or reactivate them.",
            "body": obj({}, {"unit": {"anyOf": [INT, STR, {"type": "null"}]}, "active": BOOL}),
            "responses": {200: wrap("member", ref("Member"))},
        }
    },
    "api.grant_member_attempts": {
        "POST": {
            "summary": "Grant a member more attempts at a course's assessment, with no wait.",
            "body": obj(
                {"course": STR},
                {"attempts": {"type": "integer", "minimum": 1, "maximum": 5}, "reason": STR},
            ),
            "responses": {201: wrap("grant", ref("Grant"))},
        }
    },
    "api.completion_report": {
        "GET": {
            "summary": "Completion by unit, profession and course.",
            "query": REPORT_QUERY,
            "responses": {200: many("rows", {"type": "object"})},
        }
    },
    "api.completion_report_csv": {
        "GET": {
            "summary": "The completion report as CSV.",
            "query": REPORT_QUERY,
            "responses": {200: "text/csv"},
        }
    },
    "api.people_report": {
        "GET": {
            "summary": "Completion by person: people assigned, complete, in progress, not "
            "started and overdue, per unit and profession, with the total.",
            "query": [*REPORT_QUERY, CURRICULUM_QUERY],
            "responses": {
                200: obj(
                    {
                        "rows": {"type": "array", "items": {"type": "object"}},
                        "total": {"type": "object"},
                    }
                )
            },
        }
    },
    "api.people_report_csv": {
        "GET": {
            "summary": "The completion by person as CSV (UTF-8 with BOM; `sep` is `,`, `;` or "
            "`tab`).",
            "query": [*REPORT_QUERY, CURRICULUM_QUERY, SEP_QUERY],
            "responses": {200: "text/csv"},
        }
    },
    "api.learners_report": {
        "GET": {
            "summary": "One row per learner and assigned course.",
            "query": REPORT_QUERY + PAGE_QUERY,
            "responses": {200: {"allOf": [ref("Page"), many("learners", {"type": "object"})]}},
        }
    },
    "api.learners_report_csv": {
        "GET": {
            "summary": "The learners report as CSV.",
            "query": REPORT_QUERY,
            "responses": {200: "text/csv"},
        }
    },
}
