from django.utils import timezone

from .models import Profile


def profile_for(user) -> Profile:
    """The user's profile, created on first use (sign-up through allauth, createsuperuser, demo)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=user)
        user.profile = profile
        return profile


def age_band(birth_year, *, today=None):
    """The 10-year age band of someone born in birth_year: 0, 10, 20, ... (age reached this calendar year)."""
    if not birth_year:
        return None
    today = today or timezone.localdate()
    age = today.year - birth_year
    if age < 0:
        return None
    return min(age // 10 * 10, 90)
