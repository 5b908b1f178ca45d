"""Demo accounts and organizations. Every name here is invented and marked as sample."""
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from asahikawa.departments import DEPARTMENTS

from .models import Association, District, HelperAgency, Profile

PASSWORD = "asahikawa-demo-2023"
# A fixed TOTP secret so that a developer can add the demo staff accounts to an authenticator app.
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPASAHIKAWACITY234"

DISTRICTS = [
    ("chuo", "中央（サンプル）"),
    ("nagayama", "永山（サンプル）"),
    ("kagura", "神楽（サンプル）"),
    ("toko", "東光（サンプル）"),
    ("shunko", "春光（サンプル）"),
]


def _user(email, *, staff=False, superuser=False, **profile):
    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults={"is_staff": staff, "is_superuser": superuser})
    if created:
        user.set_password(PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    Profile.objects.update_or_create(
        user=user, defaults={"privacy_consent_at": timezone.now(), "is_sample": True, **profile}
    )
    return user


def _totp(user):
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, STAFF_TOTP_SECRET)


def load(stdout):
    districts = {}
    for code, name in DISTRICTS:
        districts[code], _ = District.objects.get_or_create(code=code, defaults={"name": name, "is_sample": True})
    association, _ = Association.objects.get_or_create(
        name="永山3条町内会（サンプル）", defaults={"district": districts["nagayama"], "is_sample": True}
    )
    agency, _ = HelperAgency.objects.get_or_create(
        name="あさひかわ家事サポート（サンプル）", defaults={"phone": "0166-00-0000", "is_sample": True}
    )

    logins = []
    _user("resident@example.jp", display_name="旭川 花子（サンプル）", district=districts["nagayama"],
          association=association, birth_year=1985)
    logins.append(("resident (住民)", "resident@example.jp", ""))
    _user("officer@example.jp", display_name="永山 太郎（サンプル）", district=districts["nagayama"],
          association=association, officer_of=association, birth_year=1958)
    logins.append(("association officer (町内会役員)", "officer@example.jp", association.name))
    _user("agency@example.jp", display_name="家事サポート 担当（サンプル）", agency=agency)
    logins.append(("helper agency (家事支援事業者)", "agency@example.jp", agency.name))

    for code in DEPARTMENTS:
        email = f"staff-{code.replace('_', '-')}@example.jp"
        user = _user(email, staff=True, display_name=f"職員 {code}（サンプル）")
        user.groups.add(Group.objects.get(name=code))
        _totp(user)
        logins.append((f"city staff: {code}", email, f"TOTP secret {STAFF_TOTP_SECRET}"))
    admin = _user("admin@example.jp", staff=True, superuser=True, display_name="システム管理者（サンプル）")
    _totp(admin)
    logins.append(("superuser", "admin@example.jp", f"TOTP secret {STAFF_TOTP_SECRET}"))
    stdout.write(f"Demo logins (password for all: {PASSWORD}):")
    for role, email, note in logins:
        stdout.write(f"  {role:<32} {email:<40} {note}")
