"""A branching scenario through the API: one situation at a time, as the page presents it.

The penetration test read a scenario's whole graph, outcome texts included,
from ``GET /api/v1/attempts/{id}`` before choosing.
"""

from __future__ import annotations

import json

import pytest

from trainer.content.catalogue import catalogue


@pytest.fixture
def scenario(app, client, make):
    """An open police attempt, its first branching item as sent, and the item's spec."""
    headers = make.api_headers(make.user(profession="police"))
    attempt = client.post("/api/v1/courses/police/attempts", headers=headers).json["attempt"]
    sent = next(i for i in attempt["items"] if i["type"] == "branching")
    with app.app_context():
        item = catalogue().courses["police"].item(sent["id"])
    return headers, attempt["id"], sent, item


def unreached_texts(item, reached: set[str]) -> list[str]:
    return [node.text for node in item.spec.nodes.values() if node.id not in reached]


def test_only_the_first_situation_is_sent(client, scenario):
    headers, attempt_id, sent, item = scenario
    for shown in (sent, _item(client, headers, attempt_id, sent["id"])):
        assert "nodes" not in shown
        assert shown["path"] == []
        start = item.spec.nodes[item.spec.start]
        assert shown["node"]["id"] == start.id and shown["node"]["text"] == start.text
        assert {c["id"] for c in shown["node"]["choices"]} == {c.id for c in start.choices}
        assert all(set(c) == {"id", "text"} for c in shown["node"]["choices"]), "no 'next'"
        body = json.dumps(shown)
        for text in unreached_texts(item, {start.id}):
            assert text not in body, "an outcome not yet reached was sent"
        for choice in start.choices:
            assert choice.feedback not in body


def test_each_choice_saved_reveals_only_where_it_led(client, scenario):
    headers, attempt_id, sent, item = scenario
    path: list[str] = []
    reached = {item.spec.start}
    node = item.spec.nodes[item.spec.start]
    while not node.end:
        choice = node.choices[0]
        path.append(choice.id)
        saved = client.put(
            f"/api/v1/attempts/{attempt_id}/answers",
            headers=headers,
            json={"answers": {sent["id"]: path}},
        )
        assert saved.status_code == 200, saved.json
        node = item.spec.nodes[choice.next]
        reached.add(node.id)
        shown = _item(client, headers, attempt_id, sent["id"])
        assert [step["choice"]["id"] for step in shown["path"]] == path
        assert shown["node"]["id"] == node.id and shown["node"]["text"] == node.text
        body = json.dumps(shown)
        for text in unreached_texts(item, reached):
            assert text not in body


def test_after_submission_the_review_has_the_whole_scenario(client, scenario):
    headers, attempt_id, sent, item = scenario
    client.post(f"/api/v1/attempts/{attempt_id}/submit", headers=headers, json={"answers": {}})
    shown = _item(client, headers, attempt_id, sent["id"])
    assert {node["id"] for node in shown["nodes"]} == set(item.spec.nodes)


def _item(client, headers, attempt_id, item_id):
    attempt = client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).json["attempt"]
    return next(i for i in attempt["items"] if i["id"] == item_id)
