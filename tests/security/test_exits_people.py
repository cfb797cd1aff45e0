"""The access matrix's second half, person register: a party planted in another village (阳春村, "B")
and an accuser of the village centre, then users of 先进村 ("A") type the same ID number or the same
name + phone through every path that looks people up — dispute intake, ``add_party``, petition
intake with its repeat prompt, import. Nothing of B's party that A did not type (name, ID number,
phone, address), nor B's case numbers or summaries, reaches any response, PDF, export, import
report or A's stored case; B's stored party is unchanged; A's case shows what A typed; and the
register still links the identity, shown as a count and the handling unit (SECURITY.md,
"Personal data"). The accused unit learns nothing of the accusation, not even a count
(信访工作条例 §30).
"""

import io
import subprocess
import uuid

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse

from accounts.demo import COUNTY, VILLAGES
from accounts.models import Region, Unit
from cases.idnumbers import check_digit
from cases.models import CaseParty, Person
from jobs.imports.sample import sample_rows, to_file
from jobs.models import Job, JobKind, JobStatus
from mediation.models import Dispute, DisputeCategory, RiskLevel
from mediation.workflow import register_dispute
from petitions.models import Petition, PetitionCategory
from petitions.workflow import accept, register_petition
from tests.dispute_helpers import archived, intake_post

pytestmark = pytest.mark.django_db


def _id(first17):
    return first17 + check_digit(first17)


B = {"name": "阳春乙秘", "id_number": _id("33068119850303123"), "phone": "13911112222",
     "address": "阳春村秘密巷9号", "gender": "F"}  # fmt: skip
B_RESPONDENT = {"name": "阳春丙秘", "phone": "13933334444", "address": "阳春村隐私路3号"}
ACCUSER = {"name": "举报人秘", "id_number": _id("33068119770707456"), "phone": "13955556666",
           "address": "城关举报路7号"}  # fmt: skip
# What A types: B's ID number with A's own name, phone and address; or B's name + phone with A's address.
A_BY_ID = {"name": "先进甲某", "id_number": B["id_number"], "phone": "13800001111", "address": "先进村1号"}
A_BY_NAME = {"name": B["name"], "id_number": "", "phone": B["phone"], "address": "先进村2号"}
TEXTS = ("name", "id_number", "phone", "address")


@pytest.fixture
def planted(demo):
    """B's dispute and petition in 阳春村, and an accusation against 先进村综治中心 filed at the county."""
    village = Region.objects.get(code=VILLAGES["yangchun"])
    dispute = register_dispute(
        demo["yangchun_mediator"], parties=[(B, "applicant"), (B_RESPONDENT, "respondent")], region=village,
        summary="阳春秘密纠纷摘要", source="walk_in", category=DisputeCategory.objects.get(code="neighbour"),
        risk_level=RiskLevel.objects.get(code="yellow"), place="阳春村", facts="阳春秘密事实",
    )  # fmt: skip
    petition = register_petition(
        demo["yangchun_petition_clerk"], petitioners=[B], region=village, summary="阳春秘密信访摘要",
        channel="letter", petition_kind="claim", category=PetitionCategory.objects.get(code="wage_arrears"),
        content="阳春秘密信访内容", demands="阳春秘密诉求", received_on=dispute.opened_at.date(),
    )  # fmt: skip
    centre = Unit.objects.get(region_id=VILLAGES["xianjin"], name="先进村综治中心")
    accusation = register_petition(
        demo["zhuji_petition_clerk"], petitioners=[ACCUSER], region=Region.objects.get(code=COUNTY),
        summary="举报秘密摘要", channel="letter", petition_kind="accusation", complained_unit=centre,
        category=PetitionCategory.objects.get(code="wage_arrears"), content="举报秘密内容", demands="",
        received_on=dispute.opened_at.date(),
    )  # fmt: skip
    assert accusation.withheld_from_unit_id == centre.pk
    return {"dispute": dispute, "petition": petition, "accusation": accusation, "before": stored_parties()}


def stored_parties():
    """Every stored party link and register row, as values (to prove nothing of them changed)."""
    return {
        "parties": {p.pk: model_to_dict(p) for p in CaseParty.objects.all()},
        "people": {p.pk: model_to_dict(p) for p in Person.objects.all()},
    }


def b_secrets(planted, *typed: dict) -> list[str]:
    """B's values that A did not type, and B's case numbers, summaries and texts."""
    values = [v for party in (B, B_RESPONDENT) for k, v in party.items() if k in TEXTS]
    known = {v for t in typed for v in t.values()}
    cases = [planted["dispute"], planted["petition"]]
    return [v for v in values if v and v not in known] + [
        s for c in cases for s in (c.number, c.summary)
    ] + ["阳春秘密事实", "阳春秘密信访内容"]  # fmt: skip


def accusation_secrets(planted) -> list[str]:
    a = planted["accusation"]
    return [a.number, a.summary, "举报秘密内容", *(ACCUSER[k] for k in TEXTS)]


def assert_absent(body: str, secrets, where: str):
    found = [s for s in secrets if s in body]
    assert not found, f"{where} shows {found}"


def assert_b_unchanged(planted):
    """Nothing A did changed what B sees: B's party links are as they were, field by field."""
    before, now = planted["before"], stored_parties()
    for pk, values in before["parties"].items():
        assert now["parties"][pk] == values
    for pk, values in before["people"].items():
        assert now["people"][pk] == values


def pdf_text(client, url, tmp_path) -> str:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(response.content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def xlsx_text(response) -> str:
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)


def dispute_intake(applicant: dict, **extra) -> dict:
    data = {
        "region": VILLAGES["xianjin"], "summary": "先进村宅基地纠纷", "source": "walk_in",
        "category": DisputeCategory.objects.get(code="housing_homestead").pk,
        "risk_level": RiskLevel.objects.get(code="orange").pk, "place": "先进村3组",
        "facts": "两户因院墙位置发生争执。", "people_involved": "2",
        "respondent_name": "先进丁某", "respondent_phone": "13700007777",
        **{f"applicant_{k}": v for k, v in applicant.items()},
    }  # fmt: skip
    data.update(extra)
    return intake_post(data)


def petition_intake(petitioner: dict, **extra) -> dict:
    data = {
        "channel": "letter", "petition_kind": "claim", "category": PetitionCategory.objects.get(code="wage_arrears").pk,
        "region": VILLAGES["xianjin"], "received_on": "2026-11-02", "summary": "先进村讨薪", "content": "拖欠工资。",
        "demands": "支付工资", "head_count": "1", **petitioner,
    }  # fmt: skip
    data.update(extra)
    return data


def the_party(case, role) -> CaseParty:
    return CaseParty.objects.get(case_id=case.pk, role=role)


def assert_shows_what_a_typed(body: str, typed: dict):
    for key in TEXTS:
        if typed.get(key):
            assert typed[key] in body, f"{key} typed by A is not shown"


def assert_stored_as_typed(link: CaseParty, typed: dict):
    assert {k: getattr(link, k) for k in TEXTS} == {k: typed.get(k, "") for k in TEXTS}


@pytest.mark.parametrize("typed", [A_BY_ID, A_BY_NAME], ids=["same ID number", "same name and phone"])
def test_dispute_intake_shows_a_only_what_a_typed_and_a_count_of_b(client, demo, planted, typed, tmp_path):
    client.force_login(demo["xianjin_mediator"])
    response = client.post(reverse("disputes:create"), dispute_intake(typed))
    assert response.status_code == 302, response.content.decode()[-2000:]
    dispute = Dispute.objects.get(summary="先进村宅基地纠纷")
    link = the_party(dispute, "applicant")
    assert_stored_as_typed(link, typed)
    assert link.person_id == the_party(planted["dispute"], "applicant").person_id, "the identity is linked"
    secrets = b_secrets(planted, typed)
    client.get(response["Location"])  # the "registered" message
    page = client.get(response["Location"]).content.decode()
    assert_absent(page, secrets, "dispute detail")
    assert_shows_what_a_typed(page, typed)
    # The register match: B's dispute and petition, shown as a count and their handling units only.
    assert "辖区外另有此人案件 2 件，承办单位：" in page
    assert "阳春村人民调解委员会" in page and "阳春村综治中心" in page
    assert_absent(xlsx_text(client.get(reverse("disputes:export"))), secrets, "dispute export")
    assert_absent(client.get(reverse("disputes:list")).content.decode(), secrets, "dispute list")
    archived(dispute, demo["xianjin_mediator"])  # the closure report exists once the file is archived
    for document in ("closure",):
        assert_absent(pdf_text(client, reverse("disputes:pdf", args=[dispute.pk, document]), tmp_path),
                      secrets, f"PDF {document}")  # fmt: skip
    assert_b_unchanged(planted)


def test_add_party_with_bs_id_number_keeps_as_values_only(client, demo, planted, tmp_path):
    from tests.dispute_helpers import new_dispute

    dispute = new_dispute(demo["xianjin_mediator"], summary="先进村另一纠纷")
    client.force_login(demo["xianjin_mediator"])
    data = {"role": "third_party", **A_BY_ID, "credit_code": "", "gender": ""}
    response = client.post(reverse("disputes:action", args=[dispute.pk, "add_party"]), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    link = the_party(dispute, "third_party")
    assert_stored_as_typed(link, A_BY_ID)
    assert link.person_id == the_party(planted["dispute"], "applicant").person_id
    secrets = b_secrets(planted, A_BY_ID)
    page = client.get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
    assert_absent(page, secrets, "dispute detail after add_party")
    assert_shows_what_a_typed(page, A_BY_ID)
    assert "辖区外另有此人案件 2 件" in page
    archived(dispute, demo["xianjin_mediator"])  # the closure report exists once the file is archived
    assert_absent(
        pdf_text(client, reverse("disputes:pdf", args=[dispute.pk, "closure"]), tmp_path), secrets, "PDF"
    )
    timeline = " ".join(dispute.timeline.values_list("description", flat=True)) + str(
        list(dispute.timeline.values_list("after", flat=True))
    )
    assert_absent(timeline, secrets, "timeline")
    assert_b_unchanged(planted)


@pytest.mark.parametrize("typed", [A_BY_ID, A_BY_NAME], ids=["same ID number", "same name and phone"])
def test_petition_repeat_prompt_counts_bs_petitions_and_names_nothing(client, demo, planted, typed, tmp_path):
    clerk = demo["xianjin_petition_clerk"]
    client.force_login(clerk)
    secrets = b_secrets(planted, typed)
    prompt = client.post(reverse("petitions:create"), petition_intake(typed))
    body = prompt.content.decode()
    assert prompt.status_code == 200 and Petition.objects.filter(summary="先进村讨薪").count() == 0
    assert_absent(body, secrets, "repeat prompt")
    assert 'id="beyond-view"' in body and "辖区外另有此人案件 1 件，承办单位：阳春村综治中心" in body
    assert f'id="repeat-{planted["petition"].pk}"' not in body, "a petition outside the view cannot be linked"
    assert 'id="repeat-new"' in body
    # Linking B's petition anyway (a forged choice) links nothing; the petition is registered as new.
    response = client.post(
        reverse("petitions:create"), petition_intake(typed, repeat_choice=str(planted["petition"].pk))
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    petition = Petition.objects.get(summary="先进村讨薪")
    assert petition.repeat_of is None
    link = the_party(petition, "petitioner")
    assert_stored_as_typed(link, typed)
    assert link.person_id == the_party(planted["petition"], "petitioner").person_id
    client.get(response["Location"])
    page = client.get(response["Location"]).content.decode()
    assert_absent(page, secrets, "petition detail")
    assert_shows_what_a_typed(page, {**typed, "address": ""})  # the petition page shows no address
    accept(petition.pk, clerk)  # the acceptance notice exists once the petition is accepted
    assert_absent(pdf_text(client, reverse("petitions:pdf", args=[petition.pk, "acceptance"]), tmp_path),
                  secrets, "acceptance PDF")  # fmt: skip
    assert_absent(xlsx_text(client.get(reverse("petitions:export"))), secrets, "petition export")
    assert_b_unchanged(planted)


def test_s30_the_accused_unit_learns_nothing_of_the_accusers_petition(client, demo, planted):
    """信访工作条例 §30: a clerk of the accused unit who types the accuser's details is not even told
    that the accuser has a petition elsewhere."""
    clerk = demo["xianjin_petition_clerk"]  # 先进村综治中心, the accused unit
    assert clerk.unit.name == "先进村综治中心"
    client.force_login(clerk)
    typed = {**ACCUSER, "address": "先进村5号"}
    response = client.post(reverse("petitions:create"), petition_intake(typed))
    assert response.status_code == 302, "no prompt: nothing to show the accused unit"
    petition = Petition.objects.get(summary="先进村讨薪")
    assert petition.parties.get().person_id == planted["accusation"].parties.get().person_id
    page = client.get(response["Location"]).content.decode()
    page += client.get(response["Location"]).content.decode()
    secrets = [s for s in accusation_secrets(planted) if s not in typed.values()]
    assert_absent(page, secrets + ["辖区外", "诸暨市信访局"], "petition detail of the accused unit")
    # A dispute registered by the accused unit's supervisor: its other-cases panel says nothing either.
    supervisor = demo["xianjin_supervisor"]
    client.force_login(supervisor)
    response = client.post(reverse("disputes:create"), dispute_intake(typed))
    assert response.status_code == 302, response.content.decode()[-2000:]
    client.get(response["Location"])
    page = client.get(response["Location"]).content.decode()
    assert_absent(page, secrets + ["辖区外"], "dispute detail of the accused unit")
    assert_b_unchanged(planted)


def test_s30_another_unit_of_the_village_sees_only_the_count_of_the_accusation(client, demo, planted):
    """The village's mediation committee is not the accused unit: the register links the accuser's
    identity and it sees a count and the handling unit, never the accusation itself."""
    client.force_login(demo["xianjin_mediator"])  # 先进村人民调解委员会
    typed = {**ACCUSER, "address": "先进村6号"}
    response = client.post(reverse("disputes:create"), dispute_intake(typed))
    client.get(response["Location"])
    page = client.get(response["Location"]).content.decode()
    assert "辖区外另有此人案件 1 件，承办单位：诸暨市信访局" in page
    assert_absent(page, [s for s in accusation_secrets(planted) if s not in typed.values()], "dispute detail")


def test_import_links_the_identity_and_reveals_nothing_of_b(client, demo, planted, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(demo["xianjin_mediator"])
    rows = sample_rows("dispute", 2, closed_share=0)
    for row, typed in zip(rows, (A_BY_ID, A_BY_NAME), strict=True):
        row.update(region=VILLAGES["xianjin"], applicant_name=typed["name"], applicant_id=typed["id_number"],
                   applicant_phone=typed["phone"], applicant_address=typed["address"])  # fmt: skip
    upload = SimpleUploadedFile("ledger.xlsx", to_file("dispute", rows, "xlsx"))
    response = client.post(reverse("jobs:import"), {"importer": "dispute", "file": upload})
    check = Job.objects.get(kind=JobKind.IMPORT_CHECK)
    assert check.status == JobStatus.DONE and check.report["bad_rows"] == 0, check.report
    secrets = b_secrets(planted, A_BY_ID, A_BY_NAME)
    assert_absent(
        client.get(response["Location"]).content.decode() + str(check.report), secrets, "check report"
    )
    response = client.post(reverse("jobs:confirm", args=[check.pk]))
    job = Job.objects.get(kind=JobKind.IMPORT)
    assert job.status == JobStatus.DONE, job.message
    assert_absent(client.get(response["Location"]).content.decode() + str(job.report) + job.message,
                  secrets, "import report")  # fmt: skip
    b_identity = the_party(planted["dispute"], "applicant").person_id
    for typed in (A_BY_ID, A_BY_NAME):
        link = CaseParty.objects.get(role="applicant", name=typed["name"], address=typed["address"])
        assert_stored_as_typed(link, typed)
        assert link.person_id == b_identity, "import rows still link to the identity"
        page = client.get(reverse("disputes:detail", args=[link.case_id])).content.decode()
        assert_absent(page, b_secrets(planted, typed), "imported dispute")
        assert "辖区外另有此人案件 2 件" in page
    assert_b_unchanged(planted)


def test_b_still_sees_bs_own_details_and_a_count_of_as_cases(client, demo, planted):
    """The other way round: after A's entry B's page shows B's details, and of A's case a count."""
    client.force_login(demo["xianjin_mediator"])
    client.post(reverse("disputes:create"), dispute_intake(A_BY_ID))
    client.force_login(demo["yangchun_mediator"])
    page = client.get(reverse("disputes:detail", args=[planted["dispute"].pk])).content.decode()
    assert_shows_what_a_typed(page, B)
    assert_absent(page, ["先进甲某", "13800001111", "先进村1号", "先进村宅基地纠纷"], "B's page")
    assert "辖区外另有此人案件 1 件，承办单位：先进村人民调解委员会" in page
