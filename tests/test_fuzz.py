"""The API fuzzed from its own OpenAPI document with schemathesis: cases that keep to the
schema and cases that break it, for every operation, and no answer is a server error."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from dealer import services
from dealer.extensions import db
from tests.factories import make_authorized_job, make_user

EXAMPLES = 5
"""Cases per operation and mode: enough to reach every parser, small enough for CI."""


def test_no_request_gets_a_server_error(app, client):
    manager = make_user(roles=["manager"])
    make_authorized_job(advisor=manager)
    _, token = services.create_token(manager)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    tried, failures = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def call(case):
                response = case.call(headers=headers, session=client)
                tried.append(case)
                if response.status_code >= 500:
                    failures.append((case.method, case.formatted_path, case.body, response.text))

            call()
    print(f"\nprobe schemathesis fuzz of the API: {len(tried)} cases")
    assert len(tried) > 300
    assert failures == []
