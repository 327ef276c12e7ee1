"""Thin API views: validate with an input serializer, call one service or selector, serialize.

Services raise Django's ValidationError / PermissionDenied; config.api turns them into 400 / 403.
Objects outside what a user may see are 404.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.schema import either
from events import agenda as agendas
from events import publication, selectors, services
from events.api import serializers as s
from events.models import Mission, Participation, ScheduleRun, Session, Slot, Table
from events.permissions import require_manager
from events.phase_guide import phase_overview
from events.schedule_precheck import precheck_findings
from events.schedule_problem import mission_schedule_problem
from events.selectors_availability import delegate_unavailable_slots, participation_present_by_slot
from events.selectors_dashboard import mission_dashboard

MISSION_PARAM = OpenApiParameter(
    "mission", {"type": "integer", "minimum": 0}, description="Only this mission's objects."
)
AGENDA_TZ_PARAM = OpenApiParameter(
    "tz", str, description="The viewer's IANA time zone; times are then given in it as well as in the mission's."
)
AGENDA_PARTICIPATION_PARAM = OpenApiParameter(
    "participation", int, description="Organisers and admins: whose agenda. Default: the caller's own firm."
)


class EventsViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]

    def filter_mission(self, qs: QuerySet) -> QuerySet:
        mission = self.request.query_params.get("mission")
        if mission is None:
            return qs
        if not re.fullmatch(r"[0-9]+", mission):  # ASCII only: isdecimal() takes "１", isdigit() even "²"
            raise ValidationError({"mission": [_("Give a mission id.")]})
        return qs.filter(mission_id=int(mission))

    def page(self, qs: QuerySet, serializer_class) -> Response:
        items = self.paginate_queryset(qs)
        return self.get_paginated_response(serializer_class(items, many=True, context={"request": self.request}).data)

    def validated(self, serializer_class, **kwargs) -> s.serializers.Serializer:
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer

    def managed_mission(self, mission: Mission) -> Mission:
        """404 for a mission the user cannot see, the service's 403 for one they cannot manage."""
        return get_object_or_404(selectors.missions_visible_to(self.request.user), pk=mission.pk)


class MissionViewSet(EventsViewSet):
    """Organisers create and edit their missions; every signed-in user reads missions past draft."""

    def get_queryset(self) -> QuerySet[Mission]:
        sessions = Prefetch("sessions", queryset=Session.objects.order_by("start_time"))
        return selectors.missions_visible_to(self.request.user).prefetch_related(sessions, "days").order_by("-id")

    def _output(self, mission: Mission) -> dict:
        manager = selectors.mission_can_manage(user=self.request.user, mission=mission)
        return (s.MissionManagerOutput if manager else s.MissionOutput)(mission).data

    @extend_schema(responses=s.MissionOutput(many=True))
    def list(self, request):
        return self.page(self.get_queryset(), s.MissionOutput)

    @extend_schema(responses=either("Mission", s.MissionManagerOutput, s.MissionOutput))
    def retrieve(self, request, pk=None):
        return Response(self._output(self.get_object()))

    @extend_schema(request=s.MissionInput, responses={201: s.MissionManagerOutput})
    def create(self, request):
        data = self.validated(s.MissionInput).to_service_data()
        mission = services.mission_create(user=request.user, data=data)
        return Response(self._output(self.get_queryset().get(pk=mission.pk)), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MissionInput, responses=s.MissionManagerOutput)
    def partial_update(self, request, pk=None):
        mission = self.get_object()
        data = self.validated(s.MissionInput, partial=True).to_service_data()
        services.mission_update(mission=mission, user=request.user, data=data)
        return Response(self._output(self.get_queryset().get(pk=mission.pk)))

    @extend_schema(request=s.JoinInput, responses={201: s.ParticipationDetailOutput})
    @action(detail=True, methods=["post"])
    def join(self, request, pk=None):
        mission = self.get_object()
        token = self.validated(s.JoinInput).validated_data["token"]
        participation = services.participation_join(mission=mission, user=request.user, token=token)
        return Response(s.ParticipationDetailOutput(participation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses=s.PendingPublicationOutput,
        description="What publishing now would change, and the firms it would tell.",
    )
    @extend_schema(methods=["POST"], request=s.PublishInput, responses={201: s.PublicationOutput,
                   200: s.PublicationOutput}, description="Publish the live schedule as the next version and "
                   "tell the firms affected; 200 with the current version when nothing changed since.")  # fmt: skip
    @action(detail=True, methods=["get", "post"])
    def publish(self, request, pk=None):
        mission = self.get_object()
        if request.method == "GET":
            require_manager(user=request.user, mission=mission)  # a read: no service to ask
            return Response(s.PendingPublicationOutput(publication.schedule_pending(mission)).data)
        fingerprint = self.validated(s.PublishInput).validated_data.get("fingerprint")
        result = services.schedule_publish(mission=mission, user=request.user, fingerprint=fingerprint)
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(s.PublicationOutput(result).data, status=code)

    @extend_schema(
        methods=["GET"],
        responses=s.MissionPhaseOutput,
        description="The mission's phase and timeline, what the viewer's role can do now (and why not, "
        "and when it opens), and for organisers the moves they can make with what each does.",
    )
    @extend_schema(methods=["POST"], request=s.PhaseMoveInput, responses=s.MissionPhaseOutput,
                   description="Move the mission to another phase (organisers). Idempotent; with `expected`, a "
                   "mission that moved meanwhile is not moved (400 on `phase`).")  # fmt: skip
    @action(detail=True, methods=["get", "post"])
    def phase(self, request, pk=None):
        mission = self.get_object()
        if request.method == "POST":
            data = self.validated(s.PhaseMoveInput).validated_data
            mission = services.phase_move(mission=mission, user=request.user, to=data["to"],
                                          expected=data.get("expected"))  # fmt: skip
        return Response(s.MissionPhaseOutput(phase_overview(mission=mission, user=request.user)).data)

    @extend_schema(
        parameters=[AGENDA_TZ_PARAM, AGENDA_PARTICIPATION_PARAM], responses=s.AgendaOutput,
        description="A firm's agenda: its own firm's, or for organisers and admins the participation given.",
    )  # fmt: skip
    @action(detail=True, methods=["get"])
    def agenda(self, request, pk=None):
        query = s.AgendaInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        viewer_tz = agendas.viewer_zone_clean(query.validated_data.get("tz"))
        participation = agendas.agenda_participation(
            user=request.user, mission=self.get_object(), participation_id=query.validated_data.get("participation")
        )
        if participation is None:
            raise NotFound(_("No agenda of yours in this mission."))
        return Response(s.AgendaOutput(agendas.agenda_for(participation=participation, viewer_tz=viewer_tz)).data)

    @extend_schema(methods=["GET"], responses=s.ScheduleRunOutput, description="The latest schedule computation.")
    @extend_schema(methods=["POST"], request=s.ScheduleRunInput, responses={202: s.ScheduleRunOutput},
                   description="Compute the schedule in a Celery task; the mission is locked meanwhile.")  # fmt: skip
    @action(detail=True, methods=["get", "post"])
    def schedule(self, request, pk=None):
        mission = self.get_object()
        if request.method == "POST":
            values = self.validated(s.ScheduleRunInput).validated_data
            run = services.schedule_run_start(mission=mission, user=request.user, **values)
            return Response(s.ScheduleRunOutput(run).data, status=status.HTTP_202_ACCEPTED)
        require_manager(user=request.user, mission=mission)  # a read: no service to ask
        run = selectors.schedule_run_latest(mission)
        if run is None:
            raise NotFound(_("The schedule has not been computed yet."))
        return Response(s.ScheduleRunOutput(run).data)

    @extend_schema(request=None, responses={202: s.ScheduleRunOutput},
                   description="Queue a failed schedule computation again as a new attempt (same settings); "
                   "a run that is queued or running already is returned unchanged.")  # fmt: skip
    @action(detail=True, methods=["post"], url_path=r"schedule-runs/(?P<run_id>[0-9]+)/retry")
    def schedule_run_retry(self, request, pk=None, run_id=None):
        mission = self.get_object()
        run = ScheduleRun.objects.filter(pk=run_id, mission=mission).first()
        if run is None:
            raise NotFound(_("No such schedule run."))
        run = services.schedule_run_retry(run=run, user=request.user)
        return Response(s.ScheduleRunOutput(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses=s.PrecheckFindingOutput(many=True),
        description="Before computing: the meetings that fixed meetings and unavailability make impossible, "
        "each finding naming its meetings and the constraint in the way (docs/scheduling.md, Pre-check). "
        "A computation stores the same list in its stats as `precheck`.",
    )
    # One short list (a finding per blocked meeting at most), not paged: pagination_class=None tells the
    # schema so too.
    @action(detail=True, methods=["get"], url_path="schedule-precheck", pagination_class=None)
    def schedule_precheck(self, request, pk=None):
        mission = self.get_object()
        require_manager(user=request.user, mission=mission)  # a read: no service to ask
        findings = precheck_findings(mission_schedule_problem(mission=mission))
        return Response(s.PrecheckFindingOutput(findings, many=True).data)

    @extend_schema(
        responses={200: dict}, description="The mission as a scheduling problem (docs/scheduling-format.md)."
    )
    @action(detail=True, methods=["get"], url_path="schedule-problem")
    def schedule_problem(self, request, pk=None):
        mission = self.get_object()
        require_manager(user=request.user, mission=mission)  # a read: no service to ask
        return Response(mission_schedule_problem(mission=mission).problem)

    @extend_schema(
        request=s.ScheduleSolutionInput,
        responses={200: dict},
        description="Apply a solution computed elsewhere; it is checked against the mission first.",
    )
    @action(detail=True, methods=["post"], url_path="schedule-solution")
    def schedule_solution(self, request, pk=None):
        self.validated(s.ScheduleSolutionInput)
        saved = services.schedule_solution_import(mission=self.get_object(), solution=request.data, user=request.user)
        return Response(saved)

    @extend_schema(
        request={"multipart/form-data": s.DelegationImportInput},
        responses={
            200: s.DelegationImportPlanOutput, 201: s.DelegationImportOutput, 400: s.DelegationImportPlanOutput,
            409: OpenApiResponse(description="The file or the participants changed since the preview: {detail}."),
        },
        description="Without `fingerprint`: the plan (firms joining, delegations changing field by field, unchanged, "
        "errors with rows), nothing written. With the preview's `fingerprint` and the same file: write that plan "
        "in one transaction (201); 409 when something changed since; 400 {confirm_committed} naming the firms "
        "with meetings whose delegation would change.",
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="delegation-import", parser_classes=[MultiPartParser, FormParser])
    def delegation_import(self, request, pk=None):
        data = self.validated(s.DelegationImportInput).validated_data
        args = {"mission": self.get_object(), "user": request.user, "content": data["file"].read(),
                "filename": data["file"].name, "encoding": data.get("encoding", "")}  # fmt: skip
        if not data.get("fingerprint"):
            plan = services.delegation_import_preview(**args)
            code = status.HTTP_200_OK if plan.ok else status.HTTP_400_BAD_REQUEST
            return Response(s.DelegationImportPlanOutput(plan).data, status=code)
        try:
            result = services.delegation_import_confirm(
                **args, fingerprint=data["fingerprint"], confirm_committed=data["confirm_committed"]
            )
        except services.ImportRefused as refused:
            if refused.stale:
                return Response({"detail": refused.message}, status=status.HTTP_409_CONFLICT)
            raise ValidationError({"confirm_committed": [refused.message]}) from None
        if not result.ok:  # the preview confirmed had errors itself: answer with that plan, as a preview does
            plan = services.delegation_import_preview(**args)
            return Response(s.DelegationImportPlanOutput(plan).data, status=status.HTTP_400_BAD_REQUEST)
        return Response(s.DelegationImportOutput(result).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.DashboardOutput,
                   description="The organisers' figures: registrations, requests and acceptance, meetings per "
                   "firm, table use per slot, country and sector mix (definitions in docs/missions.md).")  # fmt: skip
    @action(detail=True, methods=["get"])
    def dashboard(self, request, pk=None):
        mission = self.get_object()
        self._require_manager(mission)
        return Response(s.DashboardOutput(mission_dashboard(mission=mission)).data)

    def _require_manager(self, mission: Mission) -> None:
        require_manager(user=self.request.user, mission=mission)  # a read: no service to ask

    @extend_schema(methods=["GET"], responses=s.OrganiserOutput(many=True), description="The mission's organisers.")
    @extend_schema(methods=["POST"], request=s.OrganiserInput,
                   responses={201: s.OrganiserOutput, 200: s.OrganiserOutput},
                   description="Add a co-organiser by e-mail (an account with the organiser role); they are "
                   "notified. 200 when they organise the mission already.")  # fmt: skip
    @action(detail=True, methods=["get", "post"])
    def organisers(self, request, pk=None):
        mission = self.get_object()
        if request.method == "POST":
            email = self.validated(s.OrganiserInput).validated_data["email"]
            user, added = services.mission_organiser_add(mission=mission, user=request.user, email=email)
            code = status.HTTP_201_CREATED if added else status.HTTP_200_OK
            return Response(s.OrganiserOutput(user).data, status=code)
        self._require_manager(mission)
        return self.page(selectors.mission_organisers(mission), s.OrganiserOutput)

    @extend_schema(request=None, responses={204: None},
                   description="Remove an organiser; the last one cannot be removed (400).")  # fmt: skip
    @action(detail=True, methods=["delete"], url_path=r"organisers/(?P<user_id>[0-9]+)")
    def organiser_remove(self, request, pk=None, user_id=None):
        mission = self.get_object()
        self._require_manager(mission)
        organiser = selectors.mission_organisers(mission).filter(pk=user_id).first()
        if organiser is None:
            raise NotFound(_("Not an organiser of this mission."))
        services.mission_organiser_remove(mission=mission, user=request.user, organiser=organiser)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[s.EnrolSearchInput], responses=s.EnrolCandidateOutput(many=True),
        description="Approved firms of the directory, searched, each saying whether it takes part already.",
    )  # fmt: skip
    @action(detail=True, methods=["get"], url_path="enrolment-candidates")
    def enrolment_candidates(self, request, pk=None):
        mission = self.get_object()
        self._require_manager(mission)
        query = s.EnrolSearchInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        candidates = selectors.enrolment_candidates(
            mission=mission, query=values["q"], country=values["country"], sector=values["sector"]
        )
        return self.page(candidates, s.EnrolCandidateOutput)

    @extend_schema(request=s.EnrolInput, responses=s.EnrolOutput,
                   description="Enrol firms of the directory (joined via organiser) and notify their members; "
                   "firms taking part already are left as they are.")  # fmt: skip
    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        mission = self.get_object()
        companies = self.validated(s.EnrolInput).validated_data["companies"]
        result = services.participations_enrol(mission=mission, user=request.user, companies=companies)
        return Response(s.EnrolOutput(result).data)


class SlotViewSet(mixins.ListModelMixin, EventsViewSet):
    def get_queryset(self) -> QuerySet[Slot]:
        missions = selectors.missions_visible_to(self.request.user)
        return self.filter_mission(Slot.objects.filter(mission__in=missions).select_related("session")).order_by(
            "start", "id"
        )

    @extend_schema(parameters=[MISSION_PARAM], responses=s.SlotOutput(many=True))
    def list(self, request):
        return self.page(self.get_queryset(), s.SlotOutput)

    @extend_schema(request=s.SlotInput, responses=s.SlotOutput)
    def partial_update(self, request, pk=None):
        removed = self.validated(s.SlotInput).validated_data["removed"]
        slot = services.slot_set_removed(slot=self.get_object(), user=request.user, removed=removed)
        return Response(s.SlotOutput(Slot.objects.select_related("session").get(pk=slot.pk)).data)


class TableViewSet(EventsViewSet):
    def get_queryset(self) -> QuerySet[Table]:
        missions = selectors.missions_visible_to(self.request.user)
        return self.filter_mission(Table.objects.filter(mission__in=missions)).order_by("id")

    @extend_schema(parameters=[MISSION_PARAM], responses=s.TableOutput(many=True))
    def list(self, request):
        return self.page(self.get_queryset(), s.TableOutput)

    @extend_schema(request=s.TableInput, responses={201: s.TableOutput})
    def create(self, request):
        data = self.validated(s.TableInput).validated_data
        if "mission" not in data or "name" not in data:
            raise ValidationError({k: [_("This field is required.")] for k in ("mission", "name") if k not in data})
        mission = self.managed_mission(data["mission"])
        host = data.get("host")
        table = services.table_create(
            mission=mission, user=request.user, name=data["name"], host_id=host.pk if host else None
        )
        return Response(s.TableOutput(table).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TableInput, responses=s.TableOutput)
    def partial_update(self, request, pk=None):
        data = self.validated(s.TableInput, partial=True).validated_data
        changes = {"name": data["name"]} if "name" in data else {}
        if "host" in data:
            changes["host_id"] = data["host"].pk if data["host"] else None
        table = services.table_update(table=self.get_object(), user=request.user, data=changes)
        return Response(s.TableOutput(table).data)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        services.table_delete(table=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ParticipationViewSet(EventsViewSet):
    """Organisers see every participant of their missions with delegates; a firm sees its own
    participation in full and the other participants' public profiles."""

    def get_queryset(self) -> QuerySet[Participation]:
        return self.filter_mission(selectors.participations_visible_to(self.request.user)).order_by(
            "company__name", "id"
        )

    def _detailed(self, participation: Participation) -> bool:
        user = self.request.user
        return selectors.participation_is_member(
            user=user, participation=participation
        ) or selectors.mission_can_manage(user=user, mission=participation.mission)

    @extend_schema(parameters=[MISSION_PARAM], responses=s.ParticipationOutput(many=True))
    def list(self, request):
        return self.page(self.get_queryset(), s.ParticipationOutput)

    @extend_schema(responses=either("Participation", s.ParticipationDetailOutput, s.ParticipationOutput))
    def retrieve(self, request, pk=None):
        participation = self.get_object()
        output = s.ParticipationDetailOutput if self._detailed(participation) else s.ParticipationOutput
        return Response(output(participation).data)

    @extend_schema(request=s.ParticipationInput, responses=s.ParticipationDetailOutput)
    def partial_update(self, request, pk=None):
        data = self.validated(s.ParticipationInput).validated_data
        participation = services.participation_update(participation=self.get_object(), user=request.user, data=data)
        return Response(s.ParticipationDetailOutput(participation).data)

    @extend_schema(request=s.DelegatesInput, responses=s.ParticipationDetailOutput)
    @action(detail=True, methods=["put"])
    def delegates(self, request, pk=None):
        delegates = self.validated(s.DelegatesInput).validated_data["delegates"]
        services.delegates_set(participation=self.get_object(), user=request.user, delegates=delegates)
        # Read again: the object fetched before the write holds the old delegates (prefetched).
        return Response(s.ParticipationDetailOutput(self.get_object()).data)

    @extend_schema(methods=["GET"], responses=s.AvailabilityOutput)
    @extend_schema(methods=["PUT"], request=s.AvailabilityInput, responses=s.AvailabilityOutput)
    @action(detail=True, methods=["get", "put"])
    def availability(self, request, pk=None):
        participation = self.get_object()
        if not self._detailed(participation):
            raise NotFound()
        if request.method == "PUT":
            ids = set(self.validated(s.AvailabilityInput).validated_data["available_slots"])
            services.availability_set(participation=participation, user=request.user, available_slot_ids=ids)
        return Response({"available_slots": sorted(selectors.available_slot_ids(participation))})

    @extend_schema(methods=["GET"], responses=s.DelegateAvailabilityOutput)
    @extend_schema(methods=["PUT"], request=s.DelegateAvailabilityInput, responses=s.DelegateAvailabilityOutput,
                   description="Replace which slots each delegate cannot attend. The firm's members while the "
                   "phase allows editing the participation, organisers always; a firm's change leaving placed "
                   "meetings with too few delegates present is refused (400, naming them).")  # fmt: skip
    @action(detail=True, methods=["get", "put"], url_path="delegate-availability")
    def delegate_availability(self, request, pk=None):
        participation = self.get_object()
        if not self._detailed(participation):
            raise NotFound()
        conflicts: list = []
        if request.method == "PUT":
            rows = self.validated(s.DelegateAvailabilityInput).validated_data["delegates"]
            conflicts = services.delegate_availability_set(
                participation=participation, user=request.user,
                unavailable={row["delegate"]: set(row["unavailable_slots"]) for row in rows},
            )  # fmt: skip
        else:
            conflicts = services.capacity_conflicts(participation, participation_present_by_slot(participation))
        names = dict(participation.delegates.values_list("pk", "name"))
        delegates = [{"delegate": d, "name": names[d], "unavailable_slots": slots}
                     for d, slots in delegate_unavailable_slots(participation).items()]  # fmt: skip
        return Response(s.DelegateAvailabilityOutput({"delegates": delegates, "conflicts": conflicts}).data)

    @extend_schema(responses=s.LimitsOutput)
    @action(detail=True, methods=["get"])
    def limits(self, request, pk=None):
        participation = self.get_object()
        if not self._detailed(participation):
            raise NotFound()
        limits = selectors.participation_limits(participation)
        return Response(s.LimitsOutput(limits).data)


class MeetingRequestViewSet(EventsViewSet):
    def get_queryset(self):
        return self.filter_mission(selectors.requests_visible_to(self.request.user)).order_by("-created_at", "-id")

    @extend_schema(parameters=[MISSION_PARAM], responses=s.MeetingRequestOutput(many=True))
    def list(self, request):
        return self.page(self.get_queryset(), s.MeetingRequestOutput)

    def _output(self, pk) -> Response:
        return Response(s.MeetingRequestOutput(self.get_queryset().get(pk=pk), context={"request": self.request}).data)

    @extend_schema(responses=s.MeetingRequestOutput)
    def retrieve(self, request, pk=None):
        return self._output(self.get_object().pk)

    @extend_schema(
        request=s.MeetingRequestInput, responses={201: s.MeetingRequestOutput},
        description="Ask a firm for a meeting. While a request between the two firms is pending or accepted "
        "(whoever sent it), that request is returned and nothing is sent again.",
    )  # fmt: skip
    def create(self, request):
        data = self.validated(s.MeetingRequestInput).validated_data
        mission = get_object_or_404(selectors.missions_visible_to(request.user), pk=data["mission"].pk)
        requester = selectors.participation_of(user=request.user, mission=mission)
        if requester is None:
            raise ValidationError({"mission": [_("Your firm does not take part in this mission.")]})
        meeting_request = services.meeting_request_create(
            mission=mission, requester=requester, recipient=data["recipient"], message=data["message"],
            priority=data["priority"], user=request.user,
        )  # fmt: skip
        response = self._output(meeting_request.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        request=s.AcceptInput, responses=s.MeetingOutput,
        description="The firm asked accepts (403 for anyone else). Accepting again returns the same meeting "
        "(200) and notifies no one twice; a declined or withdrawn request is a 400 saying so.",
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        priority = self.validated(s.AcceptInput).validated_data["priority"]
        meeting = services.meeting_request_accept(request=self.get_object(), user=request.user, priority=priority)
        return Response(s.MeetingOutput(selectors.meetings_visible_to(request.user).get(pk=meeting.pk)).data)

    @extend_schema(
        request=None, responses=s.MeetingRequestOutput,
        description="The firm asked declines (403 for anyone else); declining again returns the request as it is.",
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        services.meeting_request_decline(request=self.get_object(), user=request.user)
        return self._output(pk)

    @extend_schema(
        request=None, responses=s.MeetingRequestOutput,
        description="The firm that sent the request takes it back while unanswered (403 for anyone else); "
        "withdrawing again returns it as it is. An accepted request is a 400: cancel the meeting instead.",
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        services.meeting_request_withdraw(request=self.get_object(), user=request.user)
        return self._output(pk)


class MeetingViewSet(EventsViewSet):
    """Organisers list and edit the meetings of their missions; a firm lists its own."""

    def get_queryset(self):
        return self.filter_mission(selectors.meetings_visible_to(self.request.user)).order_by("id")

    def _reply(self, meeting) -> Response:
        return Response(s.MeetingOutput(self.get_queryset().get(pk=meeting.pk)).data)

    def _as_seen(self, meetings: list) -> dict:
        return {"seen": publication.meeting_fields_seen_by_firms(meetings, user=self.request.user)}

    @extend_schema(parameters=[MISSION_PARAM], responses=s.MeetingOutput(many=True),
                   description="Organisers read the live schedule; firms each meeting where their agenda shows it "
                   "(the published version once there is one).")  # fmt: skip
    def list(self, request):
        meetings = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.MeetingOutput(meetings, many=True, context=self._as_seen(meetings)).data)

    @extend_schema(responses=s.MeetingOutput)
    def retrieve(self, request, pk=None):
        meeting = self.get_object()
        return Response(s.MeetingOutput(meeting, context=self._as_seen([meeting])).data)

    @extend_schema(request=s.MeetingInput, responses={201: s.MeetingOutput})
    def create(self, request):
        data = self.validated(s.MeetingInput).validated_data
        mission = self.managed_mission(data["mission"])
        meeting = services.meeting_create(
            mission=mission, a=data["a"], b=data["b"], user=request.user, required=data["required"]
        )
        return Response(s.MeetingOutput(self.get_queryset().get(pk=meeting.pk)).data, status=201)

    @extend_schema(request=s.MoveInput, responses=s.MeetingOutput)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        data = self.validated(s.MoveInput).validated_data
        return self._reply(
            services.meeting_move(meeting=self.get_object(), slot=data["slot"], table=data["table"], user=request.user)
        )

    @extend_schema(request=s.SwapInput, responses=s.MeetingOutput(many=True))
    @action(detail=True, methods=["post"])
    def swap(self, request, pk=None):
        other = self.validated(s.SwapInput).validated_data["other"]
        a, b = services.meeting_swap(a=self.get_object(), b=other, user=request.user)
        return Response(s.MeetingOutput(self.get_queryset().filter(pk__in=[a.pk, b.pk]), many=True).data)

    @extend_schema(
        request=s.MeetingCancelInput, responses=s.MeetingOutput,
        description="Call a meeting off, with a reason. The organisers cancel any meeting of their mission "
        "(both firms are told); either firm cancels its own unless the organisers pinned it (the other firm is "
        "told). Cancelling a cancelled meeting returns it as it is and tells no one again.",
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        reason = self.validated(s.MeetingCancelInput).validated_data["reason"]
        meeting = self.get_object()
        if selectors.mission_can_manage(user=request.user, mission=meeting.mission):
            return self._reply(services.meeting_cancel(meeting=meeting, user=request.user, reason=reason))
        return self._reply(services.meeting_cancel_by_firm(meeting=meeting, user=request.user, reason=reason))

    @extend_schema(
        request=None, responses=s.MeetingOutput,
        description="Organisers take a meeting out of the schedule (it stays agreed, waiting for a slot).",
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def unplace(self, request, pk=None):
        return self._reply(services.meeting_unplace(meeting=self.get_object(), user=request.user))

    @extend_schema(request=s.PinInput, responses=s.MeetingOutput)
    @action(detail=True, methods=["post"])
    def pin(self, request, pk=None):
        data = self.validated(s.PinInput).validated_data
        meeting = services.meeting_pin(
            meeting=self.get_object(), user=request.user, pinned=data["pinned"], slot=data["slot"], table=data["table"],
            reason=data["reason"],
        )  # fmt: skip
        return self._reply(meeting)

    @extend_schema(request=s.MeetingOutcomeInput, responses={200: s.MeetingOutcomeOutput, 201: s.MeetingOutcomeOutput})
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        """The caller's firm says how the meeting went, once its slot has started; 201 new, 200 replaced."""
        data = self.validated(s.MeetingOutcomeInput).validated_data
        answer, created = services.meeting_outcome_record(meeting=self.get_object(), user=request.user, **data)
        return Response(s.MeetingOutcomeOutput(answer).data, status=201 if created else 200)

    @extend_schema(request=s.RestrictInput, responses=s.MeetingOutput)
    @action(detail=True, methods=["post"])
    def restrict(self, request, pk=None):
        slots = self.validated(s.RestrictInput).validated_data["slots"]
        return self._reply(services.meeting_restrict(meeting=self.get_object(), user=request.user, slots=slots))
