"""factory_boy factories for the core models. Apps add their own below."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from accounts.models import User
from trajectories.models import (
    HalfDay,
    Membership,
    Organisation,
    Phase,
    Role,
    Sector,
    Study,
    StudyMembership,
    StudyRole,
    Trajectory,
)

TEST_PASSWORD = "test-wachtwoord-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@school.test")
    first_name = factory.Iterator(["Sanne", "Daan", "Fatima", "Jan-Willem", "Noor", "Koen"])
    infix = factory.Iterator(["", "van der", "de", "", "van", ""])
    last_name = factory.Iterator(["Berg", "Vries", "El Amrani", "Jansen", "Dijk", "Smit"])

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testcollege {n}")
    short_name = factory.Sequence(lambda n: f"TC{n}")
    sector = Sector.VMBO


class StudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Study

    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = date(2026, 1, 1)
    ends_on = date(2027, 12, 31)


class TrajectoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trajectory

    study = factory.SubFactory(StudyFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    phase = Phase.CUSTOM
    starts_on = date(2026, 2, 1)
    ends_on = date(2026, 12, 31)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    trajectory = factory.SubFactory(TrajectoryFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PARTICIPANT

    @factory.post_generation
    def consent(obj, create, extracted, **kwargs):
        """A member has given the consents their role brings (`consent=False`: none yet)."""
        if create and extracted is not False:
            give_role_consents(obj)


def give_consent(*, trajectory, kind, user=None, email=None, agreed=True, at=None):
    """Consent as the person gives it in the app (no copy mailed)."""
    from research.consent import current_text
    from research.models import Consent, ConsentVia

    return Consent.objects.create(
        trajectory=trajectory,
        kind=kind,
        user=user,
        email=(email or user.email).lower(),
        name=user.get_full_name() if user else "",
        text=current_text(kind),
        agreed=agreed,
        at=at or timezone.now(),
        via=ConsentVia.APP,
    )


def give_role_consents(membership) -> None:
    from research.consent import current_text
    from research.demo import KINDS_BY_ROLE
    from research.models import Consent, ConsentVia

    for kind in KINDS_BY_ROLE.get(membership.role, ()):
        Consent.objects.create(
            trajectory=membership.trajectory,
            kind=kind,
            user=membership.user,
            email=membership.user.email.lower(),
            name=membership.user.get_full_name(),
            text=current_text(kind),
            agreed=True,
            via=ConsentVia.APP,
        )


class StudyMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyMembership

    study = factory.SubFactory(StudyFactory)
    user = factory.SubFactory(UserFactory)
    role = StudyRole.RESEARCHER


class HalfDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HalfDay

    trajectory = factory.SubFactory(TrajectoryFactory)
    title = factory.Sequence(lambda n: f"Dagdeel {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
