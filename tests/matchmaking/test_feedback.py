"""The platform's feedback as labelled pairs for the ranking model (real rows, no mocks)."""

import pytest
from django.utils import timezone

from events.enums import MeetingOutcomeChoice, MeetingStatus, RequestStatus
from events.models import Meeting, MeetingOutcome
from matchmaking import feedback
from matchmaking.enums import FirmResponse, SuggestionStatus
from matchmaking.models import Suggestion
from tests.events.factories import MeetingFactory, MeetingRequestFactory, MissionFactory, ParticipationFactory


@pytest.fixture
def scene(profiles):
    """A mission with the five firms: A-B met, Gamma asked Delta (declined), Gamma answered Epsilon."""
    a, b, gamma, delta, epsilon = profiles
    mission = MissionFactory()
    part = {c.pk: ParticipationFactory(mission=mission, company=c) for c in profiles}
    MeetingFactory(mission=mission, a=part[a.pk], b=part[b.pk])
    MeetingFactory(mission=mission, a=part[gamma.pk], b=part[epsilon.pk], status=MeetingStatus.CANCELLED)
    MeetingRequestFactory(
        mission=mission, requester=part[gamma.pk], recipient=part[delta.pk], status=RequestStatus.DECLINED,
        responded_at=timezone.now(),
    )  # fmt: skip
    MeetingRequestFactory(mission=mission, requester=part[a.pk], recipient=part[epsilon.pk])
    Suggestion.objects.create(
        mission=mission, scope=mission.pk, eu_company=gamma, jp_company=epsilon, score=50,
        status=SuggestionStatus.APPROVED,
        reviewed_at=timezone.now(), jp_response=FirmResponse.NOT_INTERESTED, jp_responded_at=timezone.now(),
    )  # fmt: skip
    Suggestion.objects.create(
        mission=mission, scope=mission.pk, eu_company=a, jp_company=b, score=60, status=SuggestionStatus.REJECTED,
        reviewed_at=timezone.now(),
    )  # fmt: skip
    return mission, profiles


def _as_tuples(judgements):
    return [(j.firm_id, j.partner_id, j.label, j.weight, j.source) for j in judgements]


def test_feedback_judgements_strongest_signal_per_pair(scene):
    mission, (a, b, gamma, delta, epsilon) = scene
    assert _as_tuples(feedback.feedback_judgements()[mission.pk]) == sorted(
        [
            (a.pk, b.pk, 1, 1.0, "meeting"),  # the meeting outweighs the admin's rejection
            (a.pk, epsilon.pk, 1, 0.6, "request_sent"),
            (b.pk, a.pk, 1, 1.0, "meeting"),
            (gamma.pk, delta.pk, 1, 0.6, "request_sent"),
            (gamma.pk, epsilon.pk, 1, 0.3, "review_approved"),  # the cancelled meeting says nothing
            (delta.pk, gamma.pk, 0, 1.0, "request_declined"),
            (epsilon.pk, gamma.pk, 0, 1.0, "not_interested"),
        ]
    )


def test_feedback_training_sets_need_enough_positive_pairs(scene):
    mission, profiles = scene
    assert feedback.feedback_training_sets(min_pairs=6) == []
    (found,) = feedback.feedback_training_sets(min_pairs=5)
    assert (found.name, sorted(p.id for p in found.profiles), len(found.pairs)) == (
        f"feedback-{mission.pk}",
        sorted(c.pk for c in profiles),
        7,
    )


def test_feedback_judgements_outcome_overrides_meeting_for_its_direction_only(scene):
    mission, (a, b, gamma, delta, epsilon) = scene
    meeting = Meeting.objects.get(mission=mission, status=MeetingStatus.CONFIRMED)
    MeetingOutcome.objects.create(
        meeting=meeting, participation=meeting.b, outcome=MeetingOutcomeChoice.NOT_RELEVANT, answered_at=timezone.now()
    )
    judgements = {(j.firm_id, j.partner_id): j for j in feedback.feedback_judgements()[mission.pk]}
    assert _as_tuples([judgements[(b.pk, a.pk)], judgements[(a.pk, b.pk)]]) == [
        (b.pk, a.pk, 0, 1.0, "outcome_not_relevant"),
        (a.pk, b.pk, 1, 1.0, "meeting"),
    ]
    assert judgements[(b.pk, a.pk)].strength == 7


@pytest.mark.parametrize(
    ("outcome", "label", "weight"),
    [(MeetingOutcomeChoice.FOLLOW_UP, 1, 1.0), (MeetingOutcomeChoice.USEFUL, 1, 0.6)],
)
def test_feedback_judgements_positive_outcomes(scene, outcome, label, weight):
    mission, (a, b, *_rest) = scene
    meeting = Meeting.objects.get(mission=mission, status=MeetingStatus.CONFIRMED)
    MeetingOutcome.objects.create(meeting=meeting, participation=meeting.a, outcome=outcome, answered_at=timezone.now())
    judgements = {(j.firm_id, j.partner_id): j for j in feedback.feedback_judgements()[mission.pk]}
    assert _as_tuples([judgements[(a.pk, b.pk)]]) == [(a.pk, b.pk, label, weight, f"outcome_{outcome}")]
