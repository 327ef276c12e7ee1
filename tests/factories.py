import factory

from accounts.models import User
from companies.enums import CompanyStatus, MemberRole
from companies.models import Company, ContactPerson, Membership, SupplyDependency


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    email_verified = True
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805  (factory_boy hook signature)
        if create:
            obj.save()


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    country = "DE"
    city = "Berlin"
    sectors = factory.LazyFunction(lambda: ["batteries"])
    stages = factory.LazyFunction(lambda: ["batteries.cathode"])
    partnership_types = factory.LazyFunction(lambda: ["purchase"])
    materials = factory.LazyFunction(lambda: ["nickel"])
    description = "We make cathode materials for lithium-ion cells."
    offer = "NMC cathode active material."
    seek = "Battery-grade nickel from a refiner outside a single supplier country."
    status = CompanyStatus.APPROVED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = MemberRole.OWNER


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    company = factory.SubFactory(CompanyFactory)
    name = factory.Faker("name")
    role = "Head of procurement"
    email = factory.Sequence(lambda n: f"contact{n}@example.com")
    phone = "+49 30 1234567"


class SupplyDependencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplyDependency

    company = factory.SubFactory(CompanyFactory)
    material = "graphite"
    source_country = "CN"
    share_percent = 80
