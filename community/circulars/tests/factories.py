import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from asahikawa.accounts.tests.factories import AssociationFactory, UserFactory
from community.circulars import services
from community.circulars.models import Group, Household, Membership

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"{n}班")
    position = factory.Sequence(lambda n: n)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    group = factory.SubFactory(GroupFactory)
    association = factory.SelfAttribute("group.association")
    name = factory.Sequence(lambda n: f"世帯{n}")
    address = factory.Sequence(lambda n: f"{n}番地")
    position = factory.Sequence(lambda n: n)


def member(user=None, household=None, **kwargs) -> Membership:
    """A resident account in a household (a new user and household unless given)."""
    user = user or UserFactory()
    household = household or HouseholdFactory(**kwargs)
    return Membership.objects.create(user=user, household=household, association_id=household.association_id)


def make_officer(association, user=None):
    user = user or UserFactory()
    user.profile.officer_of = association
    user.profile.save()
    return user


def pdf(name="お知らせ.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def publish(association, officer, **fields):
    """A published circular written through the service (attachments=... to attach files)."""
    attachments = fields.pop("attachments", ())
    fields.setdefault("title", "回覧のテスト")
    return services.circular_create(association=association, author=officer, attachments=attachments,
                                    data=services.CircularInput(**fields))
