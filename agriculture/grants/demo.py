"""Demo data of the subsidy engine: the FY2023 (令和5年度) programs of the newsletter and the
newborn hearing-test claim, with sample applications in every status. Idempotent.

From the newsletter: the programs, the smart-agriculture formula (city 2/10 with the national 3/10,
at most 5/10 together), the renewable-energy planned counts (solar 10, gas-engine cogeneration 22,
lithium-ion batteries 25, pellet stoves 13, wood stoves 22) and the house cap of 800,000 yen.
Everything else (windows, other rates and caps, rounding units, quotas, questions, documents, the
hearing-test amount, every application) is invented: listed in each program's `sample_values` and
shown with a サンプル label.
"""
import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from asahikawa import caching
from asahikawa.accounts.models import Profile

from .models import Application, DocumentRequirement, EligibilityQuestion, Program, Stage, Status

FISCAL_YEAR = 2023
SAMPLE_PDF = b"%PDF-1.4\n% sample document of the Asahikawa portal demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

_ENERGY_TEXT = ("再生可能エネルギー設備の導入を加速します（当初予算額は前年度の約2倍）。"
                "令和5年度の交付予定件数は{planned}件程度です（前年度{before}件）。")
_ENERGY_TEXT_EN = ("Speeding up renewable-energy equipment (the initial budget is about twice last year's). "
                   "Planned grants in FY2023: about {planned} (last year: {before}).")
_ENERGY_SAMPLE = ["window", "rate", "cap", "unit", "selection", "completion_due", "questions", "documents"]


def _energy(code, name, name_en, planned, before, rate, cap, selection="first_come"):
    return {
        "code": code, "department": "agriculture", "name": f"再生可能エネルギー設備の導入補助（{name}）",
        "name_en": f"Renewable-energy equipment ({name_en})",
        "description": _ENERGY_TEXT.format(planned=planned, before=before),
        "description_en": _ENERGY_TEXT_EN.format(planned=planned, before=before),
        "allow_individual": True, "allow_farm": True, "allow_corporation": True,
        "rate_numerator": rate[0], "rate_denominator": rate[1], "cap": cap, "rounding_unit": 1000,
        "max_grants": planned, "selection": selection, "sample_values": _ENERGY_SAMPLE,
    }


# The programs (the formula table of the tests is checked against these very values).
PROGRAMS = [
    {
        "code": "SMART", "department": "agriculture", "name": "スマート農業・省力化技術の導入支援",
        "name_en": "Smart agriculture and labor-saving technology",
        "description": "スマート農業・省力化技術の導入を支援します。国の補助（3割）と併用でき、市の補助（2割）と合わせて最大5割を補助します。",
        "description_en": "Support for smart-agriculture and labor-saving technology. The city's subsidy (2/10) combines "
                          "with the national one (3/10): at most 5/10 of the cost together.",
        "allow_farm": True, "allow_corporation": True,
        "rate_numerator": 2, "rate_denominator": 10, "combined_numerator": 5, "combined_denominator": 10,
        "cap": 1_000_000, "rounding_unit": 1000, "max_grants": 20, "budget": 15_000_000,
        "sample_values": ["window", "applicants", "cap", "unit", "max_grants", "budget", "selection", "completion_due",
                          "questions", "documents"],
    },
    {
        "code": "CROP", "department": "agriculture", "name": "高収益作物の生産機械等の導入補助",
        "name_en": "Machinery for high-revenue crops",
        "description": "サツマイモをはじめとする高収益作物の生産機械等の導入を補助します（令和5年度に新設）。",
        "description_en": "A new subsidy (FY2023) for machinery to grow high-revenue crops such as sweet potato.",
        "allow_farm": True, "allow_corporation": True,
        "rate_numerator": 1, "rate_denominator": 2, "cap": 2_000_000, "rounding_unit": 1000, "max_grants": 10,
        "sample_values": ["window", "applicants", "rate", "cap", "unit", "max_grants", "selection", "completion_due",
                          "questions", "documents"],
    },
    _energy("SOLAR", "太陽光発電設備", "solar power", 10, 1, (1, 3), 500_000, selection="lottery"),
    _energy("COGEN", "ガスエンジンコージェネレーション", "gas-engine cogeneration", 22, 6, (1, 3), 1_000_000),
    _energy("BATTERY", "定置用リチウムイオン蓄電池", "stationary lithium-ion batteries", 25, 4, (1, 3), 300_000),
    _energy("PELLET", "ペレットストーブ", "pellet stoves", 13, 6, (1, 2), 150_000),
    _energy("WOOD", "薪ストーブ", "wood stoves", 22, 16, (1, 2), 100_000, selection="lottery"),
    {
        "code": "HOUSE", "department": "agriculture", "name": "道産木材・省エネ住宅の建設補助",
        "name_en": "New houses of Hokkaido timber, energy-efficient",
        "description": "道産かつ道内で加工した木材を使い、省エネ性能を確保した一定の要件を満たす新築住宅の建設に対し、最大80万円を補助します。",
        "description_en": "Up to 800,000 yen for a new house built with timber grown and processed in Hokkaido that "
                          "meets the energy-efficiency requirements.",
        "allow_individual": True,
        "rate_numerator": 1, "rate_denominator": 2, "cap": 800_000, "rounding_unit": 1000, "max_grants": 30,
        "sample_values": ["window", "applicants", "rate", "unit", "max_grants", "selection", "completion_due",
                          "questions", "documents"],
    },
    {
        "code": "HEARING", "department": "child_welfare", "name": "新生児聴覚検査費用の助成",
        "name_en": "Newborn hearing-test subsidy",
        "description": "聴覚障害の早期発見、早期療育を目的として、新生児聴覚検査費用の一部を助成します。",
        "description_en": "Part of the cost of a newborn's hearing test, for the early detection and early care of "
                          "hearing impairment.",
        "allow_individual": True,
        "rate_numerator": 1, "rate_denominator": 1, "cap": 3_000, "rounding_unit": 1,
        "sample_values": ["window", "applicants", "rate", "cap", "unit", "selection", "completion_due", "questions",
                          "documents"],
    },
]

QUESTIONS = {
    "agriculture": [
        ("旭川市内で事業を営んでいる（住んでいる）", "Do you run your business (or live) in Asahikawa?", False,
         "旭川市内で事業を営む方（住宅は市内に建てる方）が対象です。", "The program is for businesses (houses) in Asahikawa."),
        ("市税の滞納がある", "Are you behind with city taxes?", True,
         "市税の滞納がある方は申請できません。", "Applicants behind with city taxes cannot apply."),
    ],
    "child_welfare": [
        ("お子さんは旭川市に住民登録がある", "Is the child registered as a resident of Asahikawa?", False,
         "旭川市に住民登録のあるお子さんが対象です。", "The child must be registered in Asahikawa."),
        ("検査の日にお子さんは生後50日以内だった", "Was the child at most 50 days old on the day of the test?", False,
         "生後50日以内に受けた検査が対象です。", "Tests taken within 50 days of birth are covered."),
    ],
}
DOCUMENTS = {
    "agriculture": [
        (Stage.APPLICATION, "見積書", "Quotation", True),
        (Stage.APPLICATION, "設備のカタログ・仕様書", "Catalogue or specification", False),
        (Stage.COMPLETION, "領収書", "Receipts", True),
        (Stage.COMPLETION, "設置後の写真", "Photos after installation", True),
    ],
    "child_welfare": [
        (Stage.APPLICATION, "検査費用の領収書", "Receipt of the test", True),
        (Stage.APPLICATION, "母子健康手帳の検査結果のページ", "The test page of the maternal and child health handbook", True),
    ],
}


def programs_ensure(today=None) -> dict:
    """The FY2023 programs (created once; windows around the day the demo is loaded, sample)."""
    today = today or timezone.localdate()
    programs = {}
    for spec in PROGRAMS:
        spec = dict(spec)
        opens, closes = today - datetime.timedelta(days=30), today + datetime.timedelta(days=60)
        defaults = {
            "opens_on": opens, "closes_on": closes, "completion_due": today + datetime.timedelta(days=150),
            **{key: value for key, value in spec.items() if key != "code"},
        }
        program, created = Program.objects.get_or_create(fiscal_year=FISCAL_YEAR, code=spec["code"], defaults=defaults)
        if created:
            for order, (text, text_en, disqualifying, reason, reason_en) in enumerate(QUESTIONS[program.department]):
                EligibilityQuestion.objects.create(program=program, order=order, text=text, text_en=text_en,
                                                   disqualifying_answer=disqualifying, reason=reason, reason_en=reason_en)
            for order, (stage, name, name_en, required) in enumerate(DOCUMENTS[program.department]):
                DocumentRequirement.objects.create(program=program, order=order, stage=stage, name=name, name_en=name_en,
                                                   required=required)
        programs[program.code] = program
    return programs


def _sample_user(email, name):
    user, created = get_user_model().objects.get_or_create(email=email)
    if created:
        user.set_unusable_password()
        user.save()
    Profile.objects.update_or_create(user=user, defaults={"display_name": name, "is_sample": True})
    return user


def _document(name):
    return SimpleUploadedFile(name, SAMPLE_PDF, "application/pdf")


def _eligible_answers(program):
    return {str(q.pk): not q.disqualifying_answer for q in program.questions.all()}


PATHS = {
    Status.DRAFT: [],
    Status.SUBMITTED: [Status.SUBMITTED],
    Status.UNDER_REVIEW: [Status.SUBMITTED, Status.UNDER_REVIEW],
    Status.RETURNED: [Status.SUBMITTED, Status.UNDER_REVIEW, Status.RETURNED],
    Status.RESUBMITTED: [Status.SUBMITTED, Status.UNDER_REVIEW, Status.RETURNED, Status.RESUBMITTED],
    Status.APPROVED: [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED],
    Status.COMPLETION_REPORTED: [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.COMPLETION_REPORTED],
    Status.CONFIRMED: [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.COMPLETION_REPORTED, Status.CONFIRMED],
    Status.PAID: [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.COMPLETION_REPORTED, Status.CONFIRMED,
                  Status.PAID],
    Status.REJECTED: [Status.SUBMITTED, Status.UNDER_REVIEW, Status.REJECTED],
    Status.WITHDRAWN: [Status.SUBMITTED, Status.WITHDRAWN],
}
COMMENTS = {
    Status.RETURNED: "見積書の日付が読み取れません。日付の入った見積書を添付してください。（サンプル）",
    Status.RESUBMITTED: "見積書を差し替えました。（サンプル）",
    Status.REJECTED: "対象の設備ではありませんでした。（サンプル）",
    Status.WITHDRAWN: "設備の導入を見送りました。（サンプル）",
}


def application_make(program, user, *, target, items, national=0, staff, applicant_type=None, name="", business=""):
    """A sample application moved along the workflow's own steps (services) to `target`."""
    from . import services

    application = services.application_start(user=user, program_id=program.pk, answers=_eligible_answers(program))
    kind = applicant_type or program.applicant_types[0]
    uploads = [(r.pk, _document(f"{r.name}（サンプル）.pdf")) for r in program.requirements.filter(stage=Stage.APPLICATION)]
    services.application_save(
        user=user, application_id=application.pk,
        data={"applicant_type": kind, "applicant_name": name, "business_name": business if kind != "individual" else "",
              "applicant_address": "旭川市6条通9丁目（サンプル）", "applicant_phone": "0166-00-0000", "national_subsidy": national},
        items=[{"name": item_name, "cost": cost} for item_name, cost in items], uploads=uploads,
    )
    Application.objects.filter(pk=application.pk).update(is_sample=True)
    for step in PATHS[target]:
        if step == Status.COMPLETION_REPORTED:
            uploads = [(r.pk, _document(f"{r.name}（サンプル）.pdf"))
                       for r in program.requirements.filter(stage=Stage.COMPLETION)]
            actual = sum(cost for _name, cost in items)
            services.completion_report(user=user, application_id=application.pk, actual_cost=actual, uploads=uploads)
            continue
        actor = user if step in (Status.SUBMITTED, Status.RESUBMITTED, Status.WITHDRAWN) else staff
        services.application_transition(application_id=application.pk, to=step, actor=actor,
                                        comment=COMMENTS.get(step, ""))
    return Application.objects.get(pk=application.pk)


def load(stdout):
    today = timezone.localdate()
    programs = programs_ensure(today)
    if Application.objects.filter(is_sample=True).exists():
        return
    User = get_user_model()
    resident = User.objects.filter(email="resident@example.jp").first()
    staff = {code: User.objects.filter(email=f"staff-{code.replace('_', '-')}@example.jp").first()
             for code in ("agriculture", "child_welfare")}
    if resident is None or None in staff.values():
        return
    resident_name = "旭川 花子（サンプル）"
    farm = "あさひかわ農園（サンプル）"
    with transaction.atomic():
        made = [
            (programs["HOUSE"], Status.DRAFT, [("道産木材（構造材）（サンプル）", 1_200_000)], 0),
            (programs["BATTERY"], Status.SUBMITTED, [("定置用リチウムイオン蓄電池 6.5kWh（サンプル）", 980_000)], 0),
            (programs["COGEN"], Status.UNDER_REVIEW, [("ガスエンジンコージェネレーション 5kW（サンプル）", 2_400_000)], 0),
            (programs["PELLET"], Status.RETURNED, [("ペレットストーブ（サンプル）", 420_000), ("設置工事（サンプル）", 80_000)], 0),
            (programs["CROP"], Status.RESUBMITTED, [("サツマイモ収穫機（サンプル）", 3_150_000)], 0),
            (programs["SMART"], Status.APPROVED, [("自動操舵システム（サンプル）", 1_650_000), ("ドローン（サンプル）", 1_230_000)],
             864_000),
            (programs["BATTERY"], Status.COMPLETION_REPORTED, [("蓄電池 9.8kWh（サンプル）", 1_350_000)], 0),
            (programs["COGEN"], Status.CONFIRMED, [("コージェネレーション（サンプル）", 2_900_000)], 0),
            (programs["PELLET"], Status.PAID, [("ペレットストーブ（サンプル）", 360_000)], 0),
            (programs["CROP"], Status.REJECTED, [("トラクター（サンプル）", 5_000_000)], 0),
            (programs["SMART"], Status.WITHDRAWN, [("環境制御装置（サンプル）", 800_000)], 240_000),
        ]
        for program, target, items, national in made:
            kind = "individual" if "individual" in program.applicant_types else "farm"
            application_make(program, resident, target=target, items=items, national=national,
                             staff=staff[program.department], applicant_type=kind, name=resident_name, business=farm)
        for target, cost in ((Status.COMPLETION_REPORTED, 5_400), (Status.PAID, 2_800), (Status.SUBMITTED, 4_200)):
            application_make(programs["HEARING"], resident, target=target, items=[("新生児聴覚検査（初回）（サンプル）", cost)],
                             staff=staff["child_welfare"], applicant_type="individual", name=resident_name)
        # The solar lottery: 14 sample applicants for about 10 planned grants, the window closed, drawn.
        solar = programs["SOLAR"]
        for number in range(1, 15):
            user = _sample_user(f"grants-sample-{number:02d}@example.jp", f"申請者{number:02d}（サンプル）")
            application_make(solar, user, target=Status.SUBMITTED, items=[("太陽光パネル 4kW（サンプル）", 1_000_000 + number * 37_000)],
                             staff=staff["agriculture"], applicant_type="individual", name=f"申請者{number:02d}（サンプル）")
        Program.objects.filter(pk=solar.pk).update(opens_on=today - datetime.timedelta(days=90),
                                                   closes_on=today - datetime.timedelta(days=10))
        from . import services

        services.lottery_draw(program_id=solar.pk, actor=staff["agriculture"], seed="asahikawa-demo-2023")
        # Wood stoves: a lottery program whose window has closed and whose draw staff can try.
        wood = programs["WOOD"]
        for number in range(15, 19):
            user = _sample_user(f"grants-sample-{number:02d}@example.jp", f"申請者{number:02d}（サンプル）")
            application_make(wood, user, target=Status.SUBMITTED, items=[("薪ストーブ（サンプル）", 300_000 + number * 11_000)],
                             staff=staff["agriculture"], applicant_type="individual", name=f"申請者{number:02d}（サンプル）")
        Program.objects.filter(pk=wood.pk).update(opens_on=today - datetime.timedelta(days=90),
                                                  closes_on=today - datetime.timedelta(days=3))
    caching.changed("grants")  # the updates above send no signal
    stdout.write("grants: the FY2023 programs of the newsletter and the hearing-test claim, with sample applications "
                 "in every status (サンプル); staff: staff-agriculture@example.jp, staff-child-welfare@example.jp")
