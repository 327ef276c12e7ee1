"""Small hand-made profiles whose matches are easy to predict.

company_a (tests/conftest.py) is an EU cathode maker that buys nickel; company_b a JP nickel
refiner that supplies it. Added here: an EU antibody developer looking for a CDMO, a JP biologics
CDMO, and a JP battery recycler.
"""

import pytest
from django.utils import translation

from tests.factories import CompanyFactory, SupplyDependencyFactory


@pytest.fixture(autouse=True)
def _english_by_default():
    """A page requested in Japanese leaves the language active in the test thread (LocaleMiddleware
    does not reset it), so a later test's English messages would come out in Japanese."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def eu_biotech(db):
    return CompanyFactory(
        name="Gamma Antibodies BV", country="NL", city="Leiden", sectors=["biotech"],
        stages=["biotech.drug_discovery"], partnership_types=["licensing", "rnd"], materials=[],
        description="We discover monoclonal antibodies for oncology.",
        offer="Antibody candidates for licensing; oncology pipeline.",
        seek="A biologics CDMO for GMP manufacturing of clinical batches.",
        keywords="antibodies, oncology",
    )  # fmt: skip


@pytest.fixture
def jp_cdmo(db):
    return CompanyFactory(
        name="Delta Biologics KK", country="JP", city="Kobe", sectors=["biotech"],
        stages=["biotech.biologics_cdmo"], partnership_types=["rnd", "licensing"], materials=[],
        description="バイオ医薬品の受託製造（CDMO）。抗体のGMP製造。",
        offer="抗体医薬品のGMP受託製造と臨床試験用バッチ。",
        seek="欧州の抗体創薬企業との共同開発。",
        keywords="CDMO, 抗体", text_language="ja",
    )  # fmt: skip


@pytest.fixture
def jp_recycler(db):
    return CompanyFactory(
        name="Epsilon Recycling KK", country="JP", city="Nagoya", sectors=["batteries"],
        stages=["batteries.recycling"], partnership_types=["supply"], materials=["nickel", "cobalt"],
        description="We recycle spent lithium-ion batteries into black mass.",
        offer="Recovered nickel and cobalt from black mass.",
        seek="Cathode makers who buy recycled nickel.",
        keywords="recycling, black mass",
    )  # fmt: skip


@pytest.fixture
def profiles(company_a, company_b, eu_biotech, jp_cdmo, jp_recycler):
    """Five approved firms: two EU, three JP. company_a depends on Indonesian nickel."""
    SupplyDependencyFactory(company=company_a, material="nickel", source_country="ID", share_percent=80)
    company_b.materials = ["nickel"]
    company_b.offer = "Battery-grade nickel sulphate from our refinery."
    company_b.seek = "Long-term offtake by European cathode makers."
    company_b.description = "We refine nickel into battery-grade nickel sulphate."
    company_b.save()
    return [company_a, company_b, eu_biotech, jp_cdmo, jp_recycler]


@pytest.fixture
def mission(organiser, profiles):
    """A mission run by `organiser` in which company_a and company_b take part (requests open)."""
    from events.enums import MissionPhase
    from tests.events.factories import MissionFactory, ParticipationFactory

    mission = MissionFactory(title="Battery mission to Tokyo", phase=MissionPhase.REQUESTS)
    mission.organisers.add(organiser)
    ParticipationFactory(mission=mission, company=profiles[0])
    ParticipationFactory(mission=mission, company=profiles[1])
    return mission


@pytest.fixture
def other_mission(db):
    """A mission `organiser` does not run."""
    from tests.events.factories import MissionFactory
    from tests.factories import UserFactory

    mission = MissionFactory(title="Biotech mission to Osaka")
    mission.organisers.add(UserFactory(email="someone-else@example.com", is_organiser=True))
    return mission


@pytest.fixture
def matched(profiles, admin_user):
    """A finished run over every company: (A,B), (A,Epsilon), (Gamma,Delta), all proposed."""
    from matchmaking.models import Suggestion
    from tests.matchmaking.helpers import run_now

    run_now(user=admin_user)
    a, b, gamma, delta, epsilon = profiles
    return {
        "ab": Suggestion.objects.get(eu_company=a, jp_company=b),
        "ae": Suggestion.objects.get(eu_company=a, jp_company=epsilon),
        "gd": Suggestion.objects.get(eu_company=gamma, jp_company=delta),
    }


@pytest.fixture
def embeddings_on(settings):
    """The deployment configured the bundled model at weight 0.15 (MATCH_EMBEDDINGS_MODEL=bundled)."""
    settings.MATCH_EMBEDDINGS_MODEL = "bundled"
    settings.MATCH_EMBEDDINGS_WEIGHT = 0.15
    return settings
