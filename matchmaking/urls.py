from django.urls import path

from matchmaking import views

app_name = "matchmaking"

urlpatterns = [
    path("runs/", views.runs, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/retry/", views.run_retry, name="run_retry"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/decide/", views.review_decide, name="review_decide"),
    path("mine/", views.my_suggestions, name="my_suggestions"),
    path("mine/<int:pk>/respond/", views.respond, name="respond"),
    path("mine/partners/<int:partner_pk>/respond/", views.partner_respond, name="partner_respond"),
]
