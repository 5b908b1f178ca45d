"""Factories and helpers of the subsidy engine's tests."""
import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agriculture.grants import services
from agriculture.grants.models import Application, DocumentRequirement, EligibilityQuestion, Program, Stage, Status

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name="見積書.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, "image/png")


class ProgramFactory(factory.django.DjangoModelFactory):
    """An open program of agriculture: 2/10 of the cost, at most 1,000,000 yen, rounded down to
    1,000 yen, at most 5/10 together with a national subsidy."""

    class Meta:
        model = Program
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"TEST{n}")
    fiscal_year = 2023
    department = "agriculture"
    name = factory.Sequence(lambda n: f"テスト制度{n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
    allow_individual = True
    allow_farm = True
    rate_numerator = 2
    rate_denominator = 10
    cap = 1_000_000
    rounding_unit = 1000
    combined_numerator = 5
    combined_denominator = 10

    @factory.post_generation
    def with_requirements(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EligibilityQuestion.objects.create(program=self, order=0, text="市内で事業を営んでいる", disqualifying_answer=False,
                                               reason="市内の事業者が対象です。", reason_en="Only businesses in the city.")
            EligibilityQuestion.objects.create(program=self, order=1, text="市税の滞納がある", disqualifying_answer=True,
                                               reason="市税の滞納がある方は申請できません。")
            DocumentRequirement.objects.create(program=self, order=0, stage=Stage.APPLICATION, name="見積書", required=True)
            DocumentRequirement.objects.create(program=self, order=1, stage=Stage.COMPLETION, name="領収書", required=True)


def eligible(program):
    return {str(q.pk): not q.disqualifying_answer for q in program.questions.all()}


DETAILS = {"applicant_type": "individual", "applicant_name": "旭川 太郎", "business_name": "",
           "applicant_address": "旭川市6条通9丁目", "applicant_phone": "0166-00-0000", "national_subsidy": 0}


def draft(program, user, *, costs=(1_000_000,), national=0, documents=True, **details):
    """A complete draft (ready to submit): a new one each time (application_start would reopen the
    user's draft of the program)."""
    application = Application.objects.create(program=program, applicant=user, eligibility=eligible(program))
    uploads = []
    if documents:
        uploads = [(r.pk, pdf()) for r in program.requirements.filter(stage=Stage.APPLICATION)]
    services.application_save(
        user=user, application_id=application.pk, data={**DETAILS, "national_subsidy": national, **details},
        items=[{"name": f"設備{i}", "cost": cost} for i, cost in enumerate(costs)], uploads=uploads,
    )
    application.refresh_from_db()
    return application


PATH = {
    Status.DRAFT: [],
    Status.SUBMITTED: [Status.SUBMITTED],
    Status.UNDER_REVIEW: [Status.SUBMITTED, Status.UNDER_REVIEW],
    Status.RETURNED: [Status.SUBMITTED, Status.UNDER_REVIEW, Status.RETURNED],
    Status.RESUBMITTED: [Status.SUBMITTED, Status.UNDER_REVIEW, Status.RETURNED, Status.RESUBMITTED],
    Status.APPROVED: [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED],
    Status.COMPLETION_REPORTED: [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.COMPLETION_REPORTED],
    Status.CONFIRMED: [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.COMPLETION_REPORTED,
                       Status.CONFIRMED],
    Status.PAID: [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.COMPLETION_REPORTED, Status.CONFIRMED,
                  Status.PAID],
    Status.REJECTED: [Status.SUBMITTED, Status.UNDER_REVIEW, Status.REJECTED],
    Status.WITHDRAWN: [Status.SUBMITTED, Status.WITHDRAWN],
}
APPLICANT_STEPS = (Status.SUBMITTED, Status.RESUBMITTED, Status.WITHDRAWN, Status.COMPLETION_REPORTED)


def application_in(status, program, user, staff, **kwargs):
    """An application moved along the workflow's own steps to `status`."""
    application = draft(program, user, **kwargs)
    for step in PATH[status]:
        if step == Status.COMPLETION_REPORTED:
            services.completion_report(
                user=user, application_id=application.pk, actual_cost=application.eligible_cost,
                uploads=[(r.pk, png()) for r in program.requirements.filter(stage=Stage.COMPLETION)],
            )
            continue
        actor = user if step in APPLICANT_STEPS else staff
        services.application_transition(application_id=application.pk, to=step, actor=actor,
                                        comment="テストの理由" if step in (Status.RETURNED, Status.REJECTED) else "")
    application.refresh_from_db()
    return application
