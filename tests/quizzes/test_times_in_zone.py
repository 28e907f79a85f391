"""An attempt's deadline and cool-down in the learner's zone, with UTC beside them."""

from __future__ import annotations

import re

from tests.conftest import csrf_token
from tests.quizzes.test_attempts import start, submit

#: A time in Detroit (winter or summer) followed by the same moment in UTC.
DETROIT_AND_UTC = re.compile(
    r"\d{1,2}:\d\d\u202f[AP]M UTC\u2212[45] \((?:[^()]*, )?\d{1,2}:\d\d\u202f[AP]M UTC\)"
)


def test_the_deadline_and_the_cool_down_show_detroit_time_and_utc(client, make, auth):
    make.user(profession="police", country="US", region="US-MI")
    auth.login()
    location = start(client)
    page = client.get(location, follow_redirects=True).get_data(as_text=True)
    deadline = re.search(r"Answers are accepted until ([^<]*)\.", page)
    assert deadline, page
    assert DETROIT_AND_UTC.search(deadline.group(1)), deadline.group(1)

    submit(client, location.split("/")[2])
    path = "/courses/police/assessment"
    overview = client.get(path).get_data(as_text=True)
    cool_down = re.search(r"You can start another attempt after ([^<]*?)\. Use", overview)
    assert cool_down and DETROIT_AND_UTC.search(cool_down.group(1)), overview
    refused = client.post(
        path, data={"csrf_token": csrf_token(client, path)}, follow_redirects=True
    )
    message = re.search(
        r"You can start a new attempt at ([^<]*?)\.<", refused.get_data(as_text=True)
    )
    assert message and DETROIT_AND_UTC.search(message.group(1))


def test_a_learner_without_a_zone_reads_utc_once(client, make, auth):
    make.user(profession="police", country="US")  # several zones, none chosen: UTC
    auth.login()
    page = client.get(start(client), follow_redirects=True).get_data(as_text=True)
    deadline = re.search(r"Answers are accepted until ([^<]*)\.", page).group(1)
    assert re.search(r"\d:\d\d\u202f[AP]M UTC$", deadline), deadline
