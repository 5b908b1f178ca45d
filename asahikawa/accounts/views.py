from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .forms import ProfileForm
from .selectors import profile_for


@login_required
def profile_edit(request):
    profile = profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("プロフィールを保存しました。"))
        response = redirect("profile")
        response.set_cookie("django_language", profile.language, samesite="Lax")
        return response
    return render(request, "accounts/profile.html", {"form": form, "profile": profile}, status=400 if form.errors else 200)


@require_POST
def set_language(request):
    """Django's set_language, which also remembers the choice in a signed-in user's profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(ProfileForm.base_fields["language"].choices):
        profile = profile_for(request.user)
        profile.language = language
        profile.save(update_fields=["language"])
    return response
