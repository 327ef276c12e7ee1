from django.urls import path

from matchmaking.api import views

urlpatterns = [
    path("match-runs/", views.RunListApi.as_view(), name="api-match-runs"),
    path("match-runs/<int:pk>/", views.RunDetailApi.as_view(), name="api-match-run"),
    path("match-runs/<int:pk>/retry/", views.RunRetryApi.as_view(), name="api-match-run-retry"),
    path("suggestions/", views.SuggestionListApi.as_view(), name="api-suggestions"),
    path("suggestions/review/", views.SuggestionBulkReviewApi.as_view(), name="api-suggestions-review"),
    path("suggestions/<int:pk>/", views.SuggestionDetailApi.as_view(), name="api-suggestion"),
    path("suggestions/<int:pk>/review/", views.SuggestionReviewApi.as_view(), name="api-suggestion-review"),
    path(
        "missions/<int:pk>/convert-suggestions/", views.ConvertSuggestionsApi.as_view(), name="api-convert-suggestions"
    ),
    path("suggestions/<int:pk>/respond/", views.SuggestionRespondApi.as_view(), name="api-suggestion-respond"),
]
