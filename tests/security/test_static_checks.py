"""Static checks in the test run, so CI enforces them (reliability.md §6): bandit with no
high-severity finding, and Jiefen's semgrep rules (scripts/semgrep/jiefen.yml) with no finding in
the project while each rule still fires on its samples. Both run offline. The figures go to
var/security/static.json for SECURITY.md."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PACKAGES = [
    "accounts",
    "cases",
    "supervision",
    "jobs",
    "mediation",
    "petitions",
    "reporting",
    "public",
    "benchmarks",
    "config",
    "scripts",
]
RULES = ROOT / "scripts" / "semgrep" / "jiefen.yml"
SAMPLES = "scripts/semgrep/samples"
REPORT = ROOT / "var" / "security" / "static.json"


def _tool(name):
    path = BIN / name
    assert path.exists(), f"{name} is missing: `make test` installs it from requirements-dev.txt"
    return str(path)


def _record(key, value):
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    figures = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    figures[key] = value
    REPORT.write_text(json.dumps(figures, indent=1, ensure_ascii=False))


def test_bandit_finds_no_high_severity_issue():
    result = subprocess.run(
        [_tool("bandit"), "-r", *PACKAGES, "-x", "*/migrations/*,*/semgrep/samples/*", "-f", "json", "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert not report["errors"], report["errors"]
    by_severity = {"LOW": 0, "MEDIUM": 0, "HIGH": 0}
    for issue in report["results"]:
        by_severity[issue["issue_severity"]] += 1
    _record("bandit", by_severity | {"lines": report["metrics"]["_totals"]["loc"]})
    high = [
        f"{i['filename']}:{i['line_number']} {i['test_id']} {i['issue_text']}"
        for i in report["results"]
        if i["issue_severity"] == "HIGH"
    ]
    assert not high, high


@pytest.fixture(scope="module")
def semgrep_results():
    """One offline run over the project and the samples (semgrep takes ~20 s to start)."""
    env = {**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
    result = subprocess.run(
        # --project-root: the rules' path exclusions then hold in a plain copy without .git too.
        [_tool("semgrep"), "scan", "--metrics=off", "--disable-version-check", "--quiet", "--json",
         "--project-root", ".", "--config", str(RULES), *PACKAGES, "templates"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert not report["errors"], report["errors"]
    return report


def _findings(report, inside_samples):
    return [
        (r["check_id"].rsplit(".", 1)[-1], r["path"], r["start"]["line"])
        for r in report["results"]
        if r["path"].startswith(SAMPLES) == inside_samples
    ]


def test_semgrep_rules_find_nothing_in_the_project(semgrep_results):
    findings = _findings(semgrep_results, inside_samples=False)
    _record("semgrep", {"findings": len(findings), "files": len(semgrep_results["paths"]["scanned"])})
    assert not findings, findings


def test_each_semgrep_rule_still_fires_on_its_samples(semgrep_results):
    import yaml

    rules = {r["id"] for r in yaml.safe_load(RULES.read_text())["rules"]}
    fired = {rule for rule, _path, _line in _findings(semgrep_results, inside_samples=True)}
    assert fired == rules
    # Each sample line names the rule it must trigger.
    for rule, path, line in _findings(semgrep_results, inside_samples=True):
        if path.endswith(".py"):
            assert rule in (ROOT / path).read_text().splitlines()[line - 1], (rule, path, line)
