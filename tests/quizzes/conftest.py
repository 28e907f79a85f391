"""Every API response in these tests is checked against the OpenAPI document."""

from __future__ import annotations

import pytest

from tests.openapi_check import checked_api_responses  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def _api_responses_match_the_document(checked_api_responses: None) -> None:  # noqa: F811
    """See tests/openapi_check.py."""
