from django.urls import path

from events import views, views_cancel, views_convert, views_grid, views_organisers, views_phase, views_schedule

app_name = "events"

urlpatterns = [
    path("", views.mission_list, name="list"),
    path("new/", views.mission_create, name="create"),
    path("join/<str:token>/", views.join, name="join"),
    path("<int:pk>/", views.mission_detail, name="detail"),
    path("<int:pk>/edit/", views.mission_edit, name="edit"),
    path("<int:pk>/phase/", views_phase.mission_phase, name="phase"),
    path("<int:pk>/phase/move/", views_phase.phase_move, name="phase_move"),
    path("<int:pk>/phase/plan/", views_phase.phase_plan, name="phase_plan"),
    path("<int:pk>/slots/", views.slot_list, name="slots"),
    path("<int:pk>/slots/<int:slot_pk>/toggle/", views.slot_toggle, name="slot_toggle"),
    path("<int:pk>/participants/", views.participant_list, name="participants"),
    path("<int:pk>/participants/add/", views_organisers.enrol, name="enrol"),
    path("<int:pk>/organisers/", views_organisers.organiser_list, name="organisers"),
    path("<int:pk>/organisers/<int:user_pk>/remove/", views_organisers.organiser_remove, name="organiser_remove"),
    path("<int:pk>/requests/", views.request_overview, name="requests"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/suggestions/convert/", views_convert.convert_suggestions, name="convert_suggestions"),
    path("<int:pk>/schedule/", views_grid.schedule_grid_page, name="schedule"),
    path("<int:pk>/schedule/undo/", views_grid.schedule_undo_last, name="schedule_undo"),
    path("<int:pk>/schedule/publish/", views_schedule.schedule_publish, name="publish"),
    path("<int:pk>/schedule/compute/", views_schedule.schedule_run_start, name="schedule_run"),
    path("<int:pk>/schedule/runs/<int:run_id>/retry/", views_schedule.schedule_run_retry, name="schedule_run_retry"),
    path("<int:pk>/schedule/problem.json", views_schedule.schedule_problem_download, name="schedule_problem"),
    path("<int:pk>/schedule/import/", views_schedule.schedule_solution_import, name="schedule_import"),
    path("<int:pk>/schedule/<slug:action>/", views_grid.schedule_action, name="schedule_action"),
    path(
        "<int:pk>/schedule/meetings/<int:meeting_pk>/cancel/",
        views_cancel.schedule_meeting_cancel,
        name="schedule_meeting_cancel",
    ),
    path("<int:pk>/agendas/<int:participation_pk>/", views.participant_agenda, name="participant_agenda"),
    path("<int:pk>/agendas/<int:participation_pk>.pdf", views.agenda_pdf_download, name="agenda_pdf"),
    path("<int:pk>/agendas/<int:participation_pk>.ics", views.agenda_ics_download, name="agenda_ics"),
    path("<int:pk>/me/", views.my_participation, name="my_participation"),
    path("<int:pk>/me/agenda/", views.my_agenda, name="my_agenda"),
    path("<int:pk>/me/meetings/<int:meeting_pk>/outcome/", views.meeting_outcome, name="meeting_outcome"),
    path("<int:pk>/me/meetings/<int:meeting_pk>/cancel/", views_cancel.my_meeting_cancel, name="my_meeting_cancel"),
    path("<int:pk>/me/requests/", views.my_requests, name="my_requests"),
    path("<int:pk>/me/requests/new/", views.request_create, name="request_create"),
    path("<int:pk>/me/requests/<int:request_pk>/<slug:action>/", views.request_action, name="request_action"),
]
