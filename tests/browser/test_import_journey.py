"""Import in headless Chromium: a file with an error is listed row by row, the corrected file is
imported after confirming, and a job's progress bar follows the job (static JS under the CSP)."""

import pytest

from jobs.imports.sample import sample_rows, to_file
from jobs.models import Job, JobKind, JobStatus
from mediation.models import Dispute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mediator_checks_corrects_and_imports_a_ledger(
    page, live_server, demo, login, shot, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = sample_rows("dispute", 12)
    rows[4]["applicant_id"] = "330681199001011235"  # wrong check digit: row 6
    bad, good = tmp_path / "台账.xlsx", tmp_path / "台账-改.xlsx"
    bad.write_bytes(to_file("dispute", rows))
    rows[4]["applicant_id"] = ""
    good.write_bytes(to_file("dispute", rows))
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login(page, "zhuji_mediator")
    page.get_by_role("button", name="导入导出").click()  # the menu's import group
    page.get_by_role("link", name="导入", exact=True).click()
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="检查文件").click()
    page.wait_for_selector("text=有错误的行")
    assert page.locator("tbody tr").count() == 1
    assert "身份证号码校验位不正确" in page.locator("tbody tr").inner_text()
    shot(page, "import-01-errors")
    page.get_by_role("link", name="上传修改后的文件").click()
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="检查文件").click()
    page.wait_for_selector("text=全部 12 行均通过检查")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="导入全部 12 行").click()
    page.wait_for_selector("text=已导入 12 件")
    shot(page, "import-02-done")
    assert Dispute.objects.count() == 12
    assert page.locator(".progress-bar").evaluate("e => e.style.width") == "100%"
    assert not violations


def test_progress_bar_follows_a_running_job_and_the_page_shows_the_outcome(
    page, live_server, demo, login, shot
):
    user = demo["zhuji_mediator"]
    job = Job.objects.create(
        kind=JobKind.CLOSURE_BATCH, owner=user, unit_id=user.unit_id, status=JobStatus.RUNNING,
        params={"year": 2024, "month": 3}, done=3, total=10,
    )  # fmt: skip
    login(page, "zhuji_mediator")
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    bar = page.locator(".progress-bar")
    assert bar.evaluate("e => e.style.width") == "30%"
    Job.objects.filter(pk=job.pk).update(done=7)
    # Polled from Python: the CSP forbids the string evaluation wait_for_function would use.
    for _ in range(100):
        if bar.evaluate("e => e.style.width") == "70%":
            break
        page.wait_for_timeout(100)
    assert bar.evaluate("e => e.style.width") == "70%" and "7 / 10" in page.inner_text("#job-progress")
    shot(page, "job-01-running")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, done=10, message="该月没有归档的矛盾纠纷。")
    page.wait_for_selector("text=该月没有归档的矛盾纠纷。", timeout=10000)
    assert bar.evaluate("e => e.style.width") == "100%"
