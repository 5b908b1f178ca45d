import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import devices as device_services
from . import services
from .forms import AccountDeleteForm, ProfileForm
from .middleware import set_language_cookie
from .models import DeviceToken
from .selectors import profile_for


@login_required
def profile_edit(request):
    profile = profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("プロフィールを保存しました。"))
        response = redirect("profile")
        set_language_cookie(response, profile.language)
        return response
    return render(request, "accounts/profile.html", {"form": form, "profile": profile}, status=400 if form.errors else 200)


@require_POST
def set_language(request):
    """Django's set_language, which also remembers the choice in a signed-in user's profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        profile = profile_for(request.user)
        profile.language = language
        profile.save(update_fields=["language"])
    return response


@login_required
def account_export(request):
    data = json.dumps(services.user_export(user=request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="asahikawa-portal-account.json"'
    return response


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.user_delete(user=user)
        messages.success(request, _("アカウントと、ポータルに登録されていたあなたのデータを削除しました。"))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def devices(request):
    """The devices signed in to the smartphone app with this account."""
    return render(request, "accounts/devices.html", {"devices": device_services.devices_of(request.user)})


@login_required
@require_POST
def device_sign_out(request, pk):
    try:
        device_services.device_sign_out(user=request.user, device_id=pk)
    except DeviceToken.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("端末をログアウトしました。"))
    return redirect("devices")


@login_required
@require_POST
def devices_sign_out_all(request):
    count = device_services.devices_sign_out_all(user=request.user)
    messages.success(request, _("%(count)s台の端末をログアウトしました。") % {"count": count})
    return redirect("devices")
