from rest_framework.routers import SimpleRouter

from events.api import views

router = SimpleRouter()
router.register("missions", views.MissionViewSet, basename="mission")
router.register("mission-slots", views.SlotViewSet, basename="mission-slot")
router.register("mission-tables", views.TableViewSet, basename="mission-table")
router.register("participations", views.ParticipationViewSet, basename="participation")
router.register("meeting-requests", views.MeetingRequestViewSet, basename="meeting-request")
router.register("meetings", views.MeetingViewSet, basename="meeting")

urlpatterns = router.urls
