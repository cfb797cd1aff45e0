"""The API against its own OpenAPI schema (schemathesis, CLI, against a live test server): every
operation with generated valid and invalid input, then the stateful phase; a bounded number of
examples so the run stays near half a minute. 0 server errors, 0 answers the schema does not
describe (status codes and bodies)."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accounts import roles
from tests.api.helpers import county_centre, map_category, service_client, token_for
from tests.dispute_helpers import new_dispute
from tests.petitions.helpers import new_petition

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "6"))
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
# The coverage phase (every boundary of every parameter, ~500 calls) is left to a run by hand:
# SCHEMATHESIS_PHASES=examples,coverage,fuzzing,stateful.
PHASES = os.environ.get("SCHEMATHESIS_PHASES", "examples,fuzzing,stateful")
BIN = Path(sys.executable).with_name("schemathesis")


def test_the_api_answers_as_its_schema_says(live_server, tmp_path):
    from accounts.demo import seed_demo
    from accounts.models import User

    seed_demo()
    map_category()
    disputes = [
        new_dispute(User.objects.get(username="xianjin_mediator"), summary=f"接口测试纠纷{i}")
        for i in range(3)
    ]
    petition = new_petition(User.objects.get(username="zhuji_petition_clerk"))
    client = service_client(county_centre(), role_names=(roles.SUPERVISOR, roles.GRID_WORKER))
    token = token_for(client)
    report = tmp_path / "run.json"
    # Path ids of real objects, so the generated calls reach the views instead of their 404s.
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "\n".join(
            f'[[operations]]\ninclude-path-regex = "{regex}"\nparameters = {{ id = {pk} }}\n'
            for regex, pk in (
                ("^/api/v1/(disputes|cases)/", disputes[0].pk),
                ("^/api/v1/petitions/", petition.pk),
            )
        )
    )
    started = time.perf_counter()
    run = subprocess.run(
        [
            str(BIN),
            "--config-file",
            str(config),
            "run",
            f"{live_server.url}/api/v1/schema/?format=json",
            "--url",
            live_server.url,
            "-H",
            f"Authorization: Bearer {token}",
            "--checks",
            CHECKS,
            "-n",
            str(EXAMPLES),
            "--phases",
            PHASES,
            "--seed",
            "20261205",
            "--workers",
            "1",
            "--no-shrink",
            "--request-timeout",
            "20",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,  # its own cache folder (.schemathesis) goes there, not into the work tree
    )
    seconds = time.perf_counter() - started
    tail = run.stdout[-6000:]
    print(f"\nschemathesis: {seconds:.1f} s, exit {run.returncode}\n{tail}")
    assert run.returncode == 0, tail + run.stderr[-2000:]
    events = [json.loads(line) for line in report.read_text().splitlines() if line.strip()]
    assert events
    cases = re.search(r"(\d+) generated", run.stdout)
    print(f"schemathesis test cases: {cases.group(1) if cases else '?'}")
