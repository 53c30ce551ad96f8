"""The coordinator's OpenAPI schema fuzzed with schemathesis: no 5xx, no hang.

Against a live coordinator whose local backend is the real llama-server,
whose remote is the scripted stand-in and whose embeddings upstream is
llama-server's own ``/v1/embeddings``. Generated requests carry a valid key
(unauthenticated ones are refused before any work, covered elsewhere).
``/metrics/upstream/{name}`` is left out: its 502 for an unreachable upstream
is the signal Prometheus reads as ``up == 0``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from .conftest import Coordinator

# One HTTP exchange; a hang shows as a timeout failure rather than a stuck run.
CALL_TIMEOUT_S = 20


@pytest.fixture
def fuzz_target(coordinator, stub, llama_url) -> Coordinator:  # type: ignore[no-untyped-def]
    _, remote_url = stub(name="remote")
    u = urlsplit(llama_url)
    return coordinator(
        local_url=llama_url,
        remote_url=remote_url + "/v1",
        embeddings={"kind": "tcp", "host": u.hostname, "port": u.port},
    )


@pytest.fixture
def api_schema(fuzz_target: Coordinator):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_url(fuzz_target.url + "/openapi.json").exclude(
        path_regex=r"^/metrics/upstream/"
    )


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_no_hangs(case, fuzz_target: Coordinator) -> None:  # type: ignore[no-untyped-def]
    response = case.call(
        base_url=fuzz_target.url, headers=fuzz_target.headers(), timeout=CALL_TIMEOUT_S
    )
    case.validate_response(response, checks=[not_a_server_error])
