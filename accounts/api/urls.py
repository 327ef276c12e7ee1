from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/token/", views.TokenObtainApi.as_view(), name="api-auth-token"),
    path("auth/me/", views.MeApi.as_view(), name="api-auth-me"),
]
