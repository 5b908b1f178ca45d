"""The pages: the public programs, applying online (eligibility, form, documents, confirmation,
receipt number), the applicant's own pages, documents reachable only by their applicant and the
staff of the program's department, and the staff console (queue, review, lottery, exports)."""
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agriculture.grants.models import Application, Document, Program, Status
from asahikawa.accounts.models import AccessLog
from asahikawa.testing import count_queries, counted_get
from conftest import body_text, client_for

from .factories import PDF, ProgramFactory, application_in, draft, eligible, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(db):
    return ProgramFactory(name="スマート農業テスト", name_en="Smart farming test", max_grants=5, budget=900_000,
                          sample_values=["cap"])


@pytest.fixture
def staff(make_staff):
    return make_staff("agriculture")


def edit_data(program, **overrides):
    data = {
        "applicant_type": "individual", "applicant_name": "旭川 太郎", "business_name": "",
        "applicant_address": "旭川市6条通9丁目", "applicant_phone": "0166-00-0000", "national_subsidy": "300,000",
        "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "20",
        "items-0-name": "自動操舵システム", "items-0-cost": "１,０００,０００", "items-1-name": "", "items-1-cost": "",
        "items-2-name": "", "items-2-cost": "",
    }
    data.update(overrides)
    return data


def test_programs_are_public_with_their_sample_labels(program):
    hearing = ProgramFactory(department="child_welfare", name="新生児聴覚検査費用の助成（テスト）")
    html = client_for(None).get("/grants/").content.decode()
    assert "スマート農業テスト" in html and hearing.name not in html
    assert "サンプル" in html  # the cap is a sample value
    html = client_for(None).get("/grants/hearing-test/").content.decode()
    assert hearing.name in html and program.name not in html


def test_a_program_list_is_read_from_the_cache_until_a_program_or_application_changes(program, resident, staff):
    anonymous = client_for(None)
    with count_queries() as first:
        assert anonymous.get("/grants/").status_code == 200
    with count_queries() as cached:
        html = anonymous.get("/grants/").content.decode()
    assert not any("grants_" in sql for sql in cached), cached
    assert len(cached) < len(first)
    assert "交付決定 0件" in html
    granted = application_in(Status.APPROVED, program, resident, staff)  # saves: a signal changes "grants"
    assert "交付決定 1件" in anonymous.get("/grants/").content.decode()
    program.name = "スマート農業テスト（改）"
    program.save()
    assert "スマート農業テスト（改）" in anonymous.get("/grants/").content.decode()
    ProgramFactory(name="新しい制度")
    assert "新しい制度" in anonymous.get("/grants/").content.decode()
    granted.delete()
    assert "交付決定 0件" in anonymous.get("/grants/").content.decode()
    program.published = False
    program.save()
    assert "スマート農業テスト（改）" not in anonymous.get("/grants/").content.decode()


def test_a_cached_program_list_follows_the_day_and_the_language(program):
    opens = timezone.localdate() + datetime.timedelta(days=1)
    Program.objects.filter(pk=program.pk).update(opens_on=opens)  # no signal: the list was not cached yet
    anonymous = client_for(None)
    assert "受付前" in anonymous.get("/grants/").content.decode()
    assert "Smart farming test" in anonymous.get("/grants/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "スマート農業テスト" in anonymous.get("/grants/").content.decode()
    with time_machine.travel(timezone.localtime().replace(hour=0, minute=0, second=1) + datetime.timedelta(days=1)):
        assert "受付中" in anonymous.get("/grants/").content.decode()


def test_the_program_page_shows_applications_grants_and_what_remains(program, resident, other_resident, staff):
    application_in(Status.APPROVED, program, resident, staff, costs=(1_000_000,), national=300_000)  # 200,000
    application_in(Status.SUBMITTED, program, other_resident, staff)
    draft(program, other_resident)  # drafts are not counted
    response = client_for(None).get(f"/grants/programs/{program.pk}/")
    figures = response.context["figures"]
    assert (figures["received"], figures["granted"], figures["amount"]) == (2, 1, 200_000)
    assert (figures["remaining_grants"], figures["remaining_budget"]) == (4, 700_000)
    html = response.content.decode()
    assert "700,000円" in html and "ログインして申請する" in html


def test_the_program_page_costs_the_same_queries_for_few_and_many_terms(program, resident, other_resident, staff):
    """The questions and documents are read once each (prefetched), whatever their number."""
    from agriculture.grants.models import DocumentRequirement, EligibilityQuestion, Stage

    client = client_for(resident)

    def queries():
        count, response = counted_get(client, f"/grants/programs/{program.pk}/")
        return count, response.content.decode()

    few, html = queries()
    assert "市内で事業を営んでいる: 「いいえ」の方" not in html and "市税の滞納がある: 「いいえ」の方" in html
    assert "見積書（申請時）" in html and "領収書（実績報告時）" in html
    EligibilityQuestion.objects.bulk_create([EligibilityQuestion(program=program, order=10 + n, text=f"質問{n}", reason="-",
                                                                 disqualifying_answer=n % 2 == 0) for n in range(20)])
    DocumentRequirement.objects.bulk_create([DocumentRequirement(program=program, order=10 + n, name=f"書類{n}",
                                                                 stage=(Stage.APPLICATION, Stage.COMPLETION)[n % 2],
                                                                 required=n % 3 != 0) for n in range(20)])
    application_in(Status.APPROVED, program, resident, staff)
    application_in(Status.SUBMITTED, program, other_resident, staff)
    many, html = queries()
    assert few == many, (few, many)
    assert "質問0: 「いいえ」の方" in html and "質問1: 「はい」の方" in html
    assert "書類0（申請時・任意）" in html and "書類1（実績報告時）" in html and "書類3（実績報告時・任意）" in html


def test_the_program_page_in_english(program):
    html = client_for(None).get(f"/grants/programs/{program.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Smart farming test" in html and '<html lang="en">' in html


def test_apply_online_from_eligibility_to_receipt_number(program, resident):
    client = client_for(resident)
    questions = list(program.questions.all())
    page = client.get(f"/grants/programs/{program.pk}/apply/")
    assert page.status_code == 200 and questions[1].text in page.content.decode()
    stop = client.post(f"/grants/programs/{program.pk}/apply/", {f"q_{questions[0].pk}": "yes", f"q_{questions[1].pk}": "yes"})
    assert stop.status_code == 400 and "市税の滞納がある方は申請できません。" in stop.content.decode()
    assert not Application.objects.exists()
    start = client.post(f"/grants/programs/{program.pk}/apply/", {f"q_{questions[0].pk}": "yes", f"q_{questions[1].pk}": "no"})
    application = Application.objects.get(applicant=resident)
    assert start.status_code == 302 and start["Location"] == f"/grants/applications/{application.pk}/edit/"
    requirement = program.requirements.get(stage="application")
    saved = client.post(f"/grants/applications/{application.pk}/edit/",
                        {**edit_data(program), f"doc_{requirement.pk}": pdf("見積書.pdf"), "confirm": "1"})
    assert saved.status_code == 302 and saved["Location"] == f"/grants/applications/{application.pk}/confirm/"
    application.refresh_from_db()
    assert (application.eligible_cost, application.national_subsidy, application.requested_amount) == (1_000_000, 300_000, 200_000)
    assert application.documents.get().original_name == "見積書.pdf"
    confirm = client.get(f"/grants/applications/{application.pk}/confirm/")
    assert "200,000円" in confirm.content.decode()
    done = client.post(f"/grants/applications/{application.pk}/confirm/")
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.receipt_number == f"R5-{program.code}-000001"
    page = client.get(f"/grants/applications/{application.pk}/").content.decode()
    assert application.receipt_number in page and "受付済み" in page


def test_a_bad_field_is_named_in_japanese_and_nothing_is_written(program, resident):
    application = draft(program, resident, costs=(500_000,))
    response = client_for(resident).post(f"/grants/applications/{application.pk}/edit/",
                                         edit_data(program, **{"items-0-cost": "12.5", "applicant_phone": "abc"}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "円単位の整数で入力してください" in html and "電話番号は数字とハイフンで入力してください" in html
    application.refresh_from_db()
    assert application.eligible_cost == 500_000 and application.items.get().cost == 500_000


def test_a_document_that_is_not_a_pdf_jpeg_or_png_is_refused_by_its_content(program, resident):
    application = draft(program, resident, documents=False)
    requirement = program.requirements.get(stage="application")
    fake = SimpleUploadedFile("見積書.pdf", b"<script>alert(1)</script>", "application/pdf")
    response = client_for(resident).post(f"/grants/applications/{application.pk}/edit/",
                                         {**edit_data(program), f"doc_{requirement.pk}": fake})
    assert response.status_code == 400
    assert "PDF・JPEG・PNGのファイルを選んでください" in response.content.decode()
    assert not Document.objects.exists()


def test_documents_of_another_applicant_are_unreachable_by_url(program, resident, other_resident, staff, make_staff):
    application = application_in(Status.SUBMITTED, program, resident, staff)
    document = application.documents.get()
    url = f"/grants/applications/{application.pk}/documents/{document.pk}/"
    owner = client_for(resident).get(url)
    assert owner.status_code == 200 and b"".join(owner.streaming_content) == PDF
    assert owner["Content-Disposition"].startswith("attachment")
    for outsider in (other_resident, make_staff("child_welfare"), make_staff("wellness"), make_staff()):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302  # to sign in
    # another application's id with this document's id: not found either
    others = application_in(Status.SUBMITTED, program, other_resident, staff)
    assert client_for(other_resident).get(f"/grants/applications/{others.pk}/documents/{document.pk}/").status_code == 404
    assert not AccessLog.objects.filter(object_type="grants.document").exists()
    assert client_for(staff).get(url).status_code == 200
    log = AccessLog.objects.get(object_type="grants.document")
    assert (log.actor, log.action, log.object_id) == (staff, "view", str(document.pk))


def test_a_draft_and_its_documents_are_not_the_staff_s(program, resident, staff):
    application = draft(program, resident)
    document = application.documents.get()
    client = client_for(staff)
    assert client.get(f"/grants/applications/{application.pk}/documents/{document.pk}/").status_code == 404
    assert client.get(f"/grants/staff/applications/{application.pk}/").status_code == 404


def test_withdrawal_and_draft_deletion(program, resident, staff):
    submitted = application_in(Status.SUBMITTED, program, resident, staff)
    client = client_for(resident)
    client.post(f"/grants/applications/{submitted.pk}/withdraw/", {"comment": "見送ります"})
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN
    application = draft(program, resident)
    assert client.post(f"/grants/applications/{submitted.pk}/delete/").status_code == 302  # refused with a message
    assert Application.objects.filter(pk=submitted.pk).exists()
    client.post(f"/grants/applications/{application.pk}/delete/")
    assert not Application.objects.filter(pk=application.pk).exists()


def test_completion_report_with_receipts(program, resident, staff):
    application = application_in(Status.APPROVED, program, resident, staff)
    requirement = program.requirements.get(stage="completion")
    client = client_for(resident)
    refused = client.post(f"/grants/applications/{application.pk}/completion/", {"actual_cost": "900000"})
    assert refused.status_code == 400 and "領収書" in refused.content.decode()
    done = client.post(f"/grants/applications/{application.pk}/completion/",
                       {"actual_cost": "900,000", f"doc_{requirement.pk}": pdf("領収書.pdf")})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.COMPLETION_REPORTED and application.actual_cost == 900_000


def _queue_html(client, query=""):
    response = client.get(f"/grants/staff/{query}")
    assert response.status_code == 200
    return response


def test_the_queue_filters_and_keeps_to_the_department(program, resident, staff, make_staff):
    hearing = ProgramFactory(department="child_welfare", code="HEAR")
    submitted = application_in(Status.SUBMITTED, program, resident, staff)
    reviewing = application_in(Status.UNDER_REVIEW, program, resident, staff)
    claim = application_in(Status.SUBMITTED, hearing, resident, make_staff("child_welfare"))
    draft(program, resident)
    client = client_for(staff)
    rows = lambda response: [a.pk for a, _days in response.context["rows"]]  # noqa: E731
    assert rows(_queue_html(client)) == [submitted.pk, reviewing.pk]  # first come; no drafts, no child welfare
    assert rows(_queue_html(client, f"?status=under_review&program={program.pk}")) == [reviewing.pk]
    assert rows(_queue_html(client, f"?q={submitted.receipt_number}")) == [submitted.pk]
    today = timezone.localdate()
    assert rows(_queue_html(client, f"?submitted_from={today}&submitted_to={today}")) == [submitted.pk, reviewing.pk]
    assert rows(_queue_html(client, f"?submitted_to={today - datetime.timedelta(days=1)}")) == []
    assert rows(_queue_html(client_for(make_staff("child_welfare")))) == [claim.pk]
    assert client.get(f"/grants/staff/?program={hearing.pk}").status_code == 400  # not one of theirs
    assert client.get("/grants/staff/?submitted_from=9999-12-31&submitted_to=0001-01-01").status_code == 200


def test_the_queue_costs_the_same_queries_for_few_and_many(program, resident, other_resident, staff):
    from agriculture.grants.models import StatusChange

    client = client_for(staff)

    def queries():
        client.get("/grants/staff/?status=waiting")  # warm (sessions, permissions)
        with count_queries() as counted:
            response = client.get(f"/grants/staff/?status=waiting&program={program.pk}")
        assert response.status_code == 200
        return len(counted), len(response.context["rows"])

    for _ in range(3):
        application_in(Status.SUBMITTED, program, resident, staff)
    few, shown = queries()
    template = Application.objects.filter(program=program).first()
    copies = []
    for n in range(60):
        copy = Application.objects.get(pk=template.pk)
        copy.pk = None
        copy.receipt_number = f"R5-COPY-{n:06d}"
        copy.applicant = (resident, other_resident)[n % 2]
        copies.append(copy)
    Application.objects.bulk_create(copies)
    many, shown_many = queries()
    assert (shown, shown_many) == (3, 50)
    assert few == many, (few, many)
    assert StatusChange.objects.exists()


def test_bulk_start_review_from_the_queue(program, resident, staff):
    applications = [application_in(Status.SUBMITTED, program, resident, staff) for _ in range(3)]
    response = client_for(staff).post("/grants/staff/", {"action": "under_review", "ids": [a.pk for a in applications[:2]],
                                                          "query": "status=waiting"})
    assert response.status_code == 302 and response["Location"] == "/grants/staff/?status=waiting"
    assert [Application.objects.get(pk=a.pk).status for a in applications] == [Status.UNDER_REVIEW] * 2 + [Status.SUBMITTED]


def test_the_review_page_logs_each_read_and_takes_the_steps(program, resident, staff):
    application = application_in(Status.UNDER_REVIEW, program, resident, staff, costs=(1_000_000,), national=300_000)
    client = client_for(staff)
    page = client.get(f"/grants/staff/applications/{application.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and application.receipt_number in html and "見積書" in html
    assert AccessLog.objects.filter(actor=staff, action="view", object_type="grants.application",
                                    object_id=str(application.pk)).count() == 1
    assert [f["to"] for f in page.context["action_forms"]] == [Status.RETURNED, Status.APPROVED, Status.REJECTED]
    refused = client.post(f"/grants/staff/applications/{application.pk}/", {"to": "returned", "return-comment": ""})
    assert refused.status_code == 400 and "理由を入力してください" in refused.content.decode()
    too_much = client.post(f"/grants/staff/applications/{application.pk}/", {"to": "approved", "approve-amount": "200001"})
    assert too_much.status_code == 400
    approved = client.post(f"/grants/staff/applications/{application.pk}/", {"to": "approved", "approve-amount": "150,000",
                                                                            "approve-comment": "交付決定します"})
    assert approved.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.approved_amount) == (Status.APPROVED, 150_000)
    assert application.history.last().comment == "交付決定します"


def test_exports_for_reporting_and_payment_are_logged(program, resident, staff):
    application_in(Status.PAID, program, resident, staff, costs=(1_000_000,), national=300_000)
    application_in(Status.UNDER_REVIEW, program, resident, staff, applicant_name="=HYPERLINK(\"http://x\")")
    client = client_for(staff)
    csv_text = body_text(client.get(f"/grants/staff/export/applications.csv?program={program.pk}"))
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("受付番号,年度,制度コード") and len(lines) == 3
    assert "'=HYPERLINK" in csv_text  # a formula is neutralised
    payments = body_text(client.get("/grants/staff/export/payments.csv")).strip().splitlines()
    assert len(payments) == 2 and "200000" in payments[1] and "支払済み" in payments[1]
    response = client.get("/grants/staff/export/payments.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "受付番号" and len(rows) == 2 and rows[1][rows[0].index("支払額（円）")] == 200_000
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/grants/staff/export/applications.xlsx").content))
    assert workbook.active.max_row == 3
    assert AccessLog.objects.filter(actor=staff, action="export").count() == 4


def test_the_staff_draw_the_lottery_on_the_program_page(resident, other_resident, staff):
    program = ProgramFactory(selection="lottery", max_grants=1)
    for user in (resident, other_resident):
        application_in(Status.SUBMITTED, program, user, staff)
    Program.objects.filter(pk=program.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    client = client_for(staff)
    assert client.post(f"/grants/staff/programs/{program.pk}/", {}).status_code == 400  # not confirmed
    assert client.post(f"/grants/staff/programs/{program.pk}/", {"confirm": "on"}).status_code == 302
    page = client.get(f"/grants/staff/programs/{program.pk}/")
    assert page.context["draw"] is not None and page.context["draw_verified"] is True
    assert page.context["draw"].seed in page.content.decode()


def test_the_staff_program_page_costs_the_same_queries_for_a_small_and_a_large_draw(resident, other_resident, staff):
    """The draw's table marks the selected in the order of the draw, with no query a row, whatever its length."""
    client = client_for(staff)

    def drawn(applications, max_grants):
        program = ProgramFactory(selection="lottery", max_grants=max_grants)
        for n in range(applications):
            application_in(Status.SUBMITTED, program, (resident, other_resident)[n % 2], staff)
        Program.objects.filter(pk=program.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
        assert client.post(f"/grants/staff/programs/{program.pk}/", {"confirm": "on"}).status_code == 302
        count, response = counted_get(client, f"/grants/staff/programs/{program.pk}/")
        draw, html = response.context["draw"], response.content.decode()
        assert len(draw.winners) == max_grants and response.context["draw_verified"] is True
        assert html.count("<td>選ばれた</td>") == max_grants
        assert html.count("<td>選ばれなかった</td>") == applications - max_grants
        first_loser = next(number for number in draw.ranking if number not in draw.winners)
        assert f"<td>{first_loser}</td><td>選ばれなかった</td>" in html
        assert f'href="/grants/staff/?program={program.pk}&amp;status=submitted"' in html
        return count

    assert drawn(2, 1) == drawn(12, 3)


def test_the_dashboard_panel_counts_the_applicant_s_applications(program, resident, staff):
    application_in(Status.RETURNED, program, resident, staff)
    draft(program, resident)
    html = client_for(resident).get("/dashboard/").content.decode()
    assert "差戻し（修正が必要）: 1件" in html and "対応が必要な申請が2件あります" in html


def test_the_export_of_the_account_includes_the_applications(program, resident, staff):
    application_in(Status.SUBMITTED, program, resident, staff)
    data = client_for(resident).get("/accounts/export/").json()
    assert data["grants"]["applications"][0]["items"][0]["cost"] == 1_000_000


def test_eligibility_answers_survive_a_reopened_draft(program, resident):
    client = client_for(resident)
    answers = {f"q_{k}": "yes" if v else "no" for k, v in eligible(program).items()}
    client.post(f"/grants/programs/{program.pk}/apply/", answers)
    client.post(f"/grants/programs/{program.pk}/apply/", answers)
    assert Application.objects.filter(applicant=resident).count() == 1


def test_a_returned_application_shows_why_on_its_pages(program, resident, staff):
    application = application_in(Status.RETURNED, program, resident, staff)
    client = client_for(resident)
    for url in (f"/grants/applications/{application.pk}/", f"/grants/applications/{application.pk}/edit/",
                f"/grants/applications/{application.pk}/confirm/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "テストの理由" in client.get(f"/grants/applications/{application.pk}/").content.decode()
    assert "テストの理由" in client.get(f"/grants/applications/{application.pk}/edit/").content.decode()


@pytest.mark.parametrize("status", [s for s in Status.values])
def test_every_page_renders_in_every_status(program, resident, staff, status):
    application = application_in(status, program, resident, staff)
    mine = client_for(resident)
    assert mine.get(f"/grants/applications/{application.pk}/").status_code == 200
    assert mine.get("/grants/applications/").status_code == 200
    for url in (f"/grants/applications/{application.pk}/edit/", f"/grants/applications/{application.pk}/confirm/",
                f"/grants/applications/{application.pk}/completion/"):
        assert mine.get(url).status_code in (200, 302), url
    expected = 404 if status == Status.DRAFT else 200
    assert client_for(staff).get(f"/grants/staff/applications/{application.pk}/").status_code == expected
    english = client_for(resident)
    resident.profile.language = "en"
    resident.profile.save()
    assert "<html lang=\"en\">" in english.get(f"/grants/applications/{application.pk}/").content.decode()


def test_applying_to_a_closed_program_says_so(program, resident):
    Program.objects.filter(pk=program.pk).update(opens_on=timezone.localdate() - datetime.timedelta(days=30),
                                                 closes_on=timezone.localdate() - datetime.timedelta(days=1))
    answers = {f"q_{k}": "yes" if v else "no" for k, v in eligible(program).items()}
    response = client_for(resident).post(f"/grants/programs/{program.pk}/apply/", answers, follow=True)
    assert response.status_code == 400 and "この制度は受付期間外です。" in response.content.decode()
    assert not Application.objects.exists()


def test_the_bulk_form_redirects_only_to_the_queue(program, staff):
    response = client_for(staff).post("/grants/staff/", {"action": "under_review", "query": "status=waiting\r\nX: y"})
    assert response.status_code == 302 and response["Location"].startswith("/grants/staff/?status=waiting")
    assert "\n" not in response["Location"]


def test_the_applicants_list_costs_the_same_queries_for_few_and_many(program, resident, staff):
    """The applicant's list reads its rows as dicts in one query, whatever their number; each row
    links to its application and shows the status label and the amount (committed, else requested)."""
    from django.urls import reverse

    client = client_for(resident)

    def page():
        count, response = counted_get(client, "/grants/applications/")
        return count, response.content.decode()

    approved = application_in(Status.APPROVED, program, resident, staff)
    few, html = page()
    assert f'href="{reverse("grants:application", args=[approved.pk])}"' in html
    assert "交付決定" in html and f"{approved.approved_amount:,}円" in html
    copies = []
    for n in range(30):
        copy = Application.objects.get(pk=approved.pk)
        copy.pk, copy.receipt_number, copy.status = None, f"R5-MINE-{n:06d}", (Status.SUBMITTED, Status.RETURNED)[n % 2]
        copies.append(copy)
    Application.objects.bulk_create(copies)
    many, html = page()
    assert html.count('class="tag status status-returned">差戻し（修正が必要）</span>') == 15
    assert few == many, (few, many)


def test_the_document_lists_cost_the_same_queries_for_few_and_many(program, resident, staff):
    """The applicant's page and the staff page list an application's documents with the queries of
    one document: links built without a reverse() a document, labels translated once."""
    from django.urls import reverse

    application = application_in(Status.SUBMITTED, program, resident, staff)
    resident_client, staff_client = client_for(resident), client_for(staff)
    pages = ((resident_client, f"/grants/applications/{application.pk}/"),
             (staff_client, f"/grants/staff/applications/{application.pk}/"))

    def counts():
        return [counted_get(client, url)[0] for client, url in pages]

    few = counts()
    requirement = program.requirements.first()
    Document.objects.bulk_create([
        Document(application=application, requirement=requirement if n % 2 else None, stage=("application", "completion")[n % 2],
                 file=f"grants/test/{n}.png", original_name=f"写真{n}.png", content_type="image/png", size=2048,
                 uploaded_by=resident)
        for n in range(12)])
    many = counts()
    assert few == many, (few, many)
    last = Document.objects.filter(application=application).order_by("pk").last()
    url = reverse("grants:document", args=[application.pk, last.pk])
    mine = resident_client.get(pages[0][1]).content.decode()
    assert f'href="{url}">写真11.png</a>' in mine and f"（{requirement.title}・実績報告時）" in mine and "（その他・申請時）" in mine
    theirs = staff_client.get(pages[1][1]).content.decode()
    assert f'<img src="{url}" alt="写真11.png（画像）"' in theirs
