import factory

from initiatives.classifications import InitiatorType, OrganisationForm, Phase
from initiatives.models import Classification, Initiative
from tests.accounts.factories import AreaFactory


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Initiatief {n}")
    slug = factory.Sequence(lambda n: f"initiatief-{n}")
    summary = "Buren helpen buren."
    area = factory.SubFactory(AreaFactory)
    initiator_type = InitiatorType.RESIDENTS
    organisation_form = OrganisationForm.FOUNDATION
    phase = Phase.START_UP

    @factory.post_generation
    def classes(self, create, extracted, **kwargs):
        """classes=[("leefgebied", "werk"), ...]"""
        if extracted:
            self.classifications.set(
                [Classification.objects.get(scheme=s, code=c) for s, c in extracted]
            )
