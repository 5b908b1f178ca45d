from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import staff_pages_for


class PortalAdminSite(admin.AdminSite):
    site_header = _("旭川市ポータル 管理コンソール")
    site_title = _("旭川市ポータル 管理")
    index_title = _("職員用管理コンソール")

    def index(self, request, extra_context=None):
        # Staff pages outside the model lists, declared by the apps, shown to their departments.
        return super().index(request, {"staff_pages": staff_pages_for(request.user), **(extra_context or {})})

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
