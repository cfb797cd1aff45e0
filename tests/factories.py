import factory
from django.utils import timezone

from accounts.models import Region, RegionLevel, Unit, UnitKind, User
from cases.models import Case, CaseKind


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"39{n:04d}000000")
    name = factory.Sequence(lambda n: f"测试区{n}")
    level = RegionLevel.COUNTY


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.GOVERNANCE_CENTRE
    region = factory.SubFactory(RegionFactory)
    covers_region = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="zh_CN")
    unit = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", "jiefen2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        self.save()
        for role in extracted or ():
            self.groups.add(Group.objects.get_or_create(name=role)[0])


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    kind = CaseKind.DISPUTE
    summary = factory.Sequence(lambda n: f"测试纠纷{n}")
    region = factory.SubFactory(RegionFactory)
    status = "registered"
    opened_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # CaseFactory(region_id="330681109219") names an existing region: drop the generated one.
        if kwargs.get("region_id"):
            kwargs.pop("region", None)
        return kwargs
