from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/token/", views.TokenObtainApi.as_view(), name="api-auth-token"),
    path("auth/tokens/", views.TokenListApi.as_view(), name="api-auth-tokens"),
    path("auth/tokens/<int:pk>/", views.TokenDetailApi.as_view(), name="api-auth-token-detail"),
    path("auth/me/", views.MeApi.as_view(), name="api-auth-me"),
]
