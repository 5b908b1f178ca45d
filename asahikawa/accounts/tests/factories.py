import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from asahikawa.accounts.models import Association, District, HelperAgency, Profile

PASSWORD = "correct-horse-battery-9"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"district-{n}")
    name = factory.Sequence(lambda n: f"地区{n}")


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"町内会{n}")
    district = factory.SubFactory(DistrictFactory)


class HelperAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelperAgency

    name = factory.Sequence(lambda n: f"事業者{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A resident with a verified email address and a profile."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=extracted is not False, primary=True)
            Profile.objects.get_or_create(user=self)

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.is_staff = True
            self.save(update_fields=["is_staff"])
            self.groups.add(*Group.objects.filter(name__in=extracted))


def with_totp(user):
    """Give a user TOTP, as staff must have to reach the admin console."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user
