from django.urls import path

from companies import views, views_data, views_moderation

app_name = "companies"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.detail, name="detail"),
    path("register/", views.register, name="register"),
    path("me/", views.my_profile, name="my_profile"),
    path("me/submit/", views.submit, name="submit"),
    path("me/withdraw/", views_moderation.withdraw, name="withdraw"),
    path("me/changes/withdraw/", views_moderation.revision_withdraw, name="revision_withdraw"),
    path("revisions/<int:pk>/", views_moderation.revision_review, name="revision_review"),
    path("me/invite/", views.invite, name="invite"),
    path("me/download/", views.download, name="download"),
    path("me/delete/", views_data.delete, name="delete"),
    path("me/data/", views_data.data, name="data"),
    path("me/data.zip", views_data.data_zip, name="data_zip"),
    path("moderation/", views.moderation, name="moderation"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
