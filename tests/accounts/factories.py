import factory
from django.contrib.auth.models import Group

from accounts.access import forget_access
from accounts.models import Area, Role, User


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Wijk {n}")
    slug = factory.Sequence(lambda n: f"wijk-{n}")
    kind = Area.Kind.NEIGHBOURHOOD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery-9")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            self.groups.add(Group.objects.get(name=Role(role).value))
        forget_access(self)


def verified_in_person(user: User | None = None, *, area: Area | None = None) -> User:
    """`user` (or a new person) verified in person through the real service, by a civil servant
    already there (or a new one); of an area of its own unless given, so they join no poll's roll
    by accident; a person verified already is left as is. For the actions that need a
    verification (officer, board seat; issue 15)."""
    from accounts import services
    from accounts.models import MemberVerification

    user = user or UserFactory()
    if MemberVerification.objects.filter(user=user, revoked_at__isnull=True).exists():
        return user  # verified already: nothing to add
    clerk = (
        User.objects.filter(groups__name=Role.CIVIL_SERVANT.value, is_active=True)
        .order_by("pk")
        .first()
    ) or UserFactory(username="verificateur", roles=[Role.CIVIL_SERVANT])
    area = area or AreaFactory(name="Wijk van de geverifieerden", slug="wijk-geverifieerden")
    services.verify_member(user=user, area=area, actor=clerk)
    return user
