from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# Staff pages outside the model lists, shown on the console's first page to their department.
STAFF_PAGES = [
    ("wellness", "wellness:counter", _("窓口での健康記録の入力（スマートフォンをお持ちでない方）")),
    ("wellness", "wellness:staff_stats", _("スマートウエルネスの参加状況（地区・年代・月別の統計）")),
    ("finance", "admin:budget_import", _("予算データの取り込み（CSV・Excel）")),
]


class PortalAdminSite(admin.AdminSite):
    site_header = _("旭川市ポータル 管理コンソール")
    site_title = _("旭川市ポータル 管理")
    index_title = _("職員用管理コンソール")

    def staff_pages(self, request):
        from asahikawa.accounts.roles import in_department

        pages = []
        for department, url_name, title in STAFF_PAGES:
            if not in_department(request.user, department):
                continue
            try:
                pages.append({"url": reverse(url_name), "title": title})
            except NoReverseMatch:
                continue
        return pages

    def index(self, request, extra_context=None):
        return super().index(request, {"staff_pages": self.staff_pages(request), **(extra_context or {})})

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff and is_mfa_enabled(user)

    def login(self, request, extra_context=None):
        """One sign-in for everyone (allauth, with its TOTP step); staff without TOTP set it up first."""
        user = request.user
        if user.is_authenticated and user.is_active and user.is_staff and not is_mfa_enabled(user):
            messages.warning(request, _("管理コンソールを使うには、二要素認証（TOTP）の設定が必要です。"))
            return redirect("mfa_activate_totp")
        if user.is_authenticated:
            # Signed in but not staff: the console is not theirs.
            return redirect("home")
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """For records that are never edited by hand (audit trails, settlement runs): view only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
