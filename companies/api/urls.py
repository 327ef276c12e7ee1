from django.urls import path

from companies.api import moderation, views

urlpatterns = [
    path("companies/", views.CompanyListApi.as_view(), name="api-companies"),
    path("companies/import/", views.CompanyImportApi.as_view(), name="api-company-import"),
    path("companies/me/", views.CompanyMeApi.as_view(), name="api-company-me"),
    path("companies/<int:pk>/", views.CompanyDetailApi.as_view(), name="api-company"),
    path("companies/<int:pk>/submit/", views.CompanySubmitApi.as_view(), name="api-company-submit"),
    path("companies/<int:pk>/approve/", views.CompanyApproveApi.as_view(), name="api-company-approve"),
    path("companies/<int:pk>/reject/", views.CompanyRejectApi.as_view(), name="api-company-reject"),
    path("companies/<int:pk>/download/", views.CompanyDownloadApi.as_view(), name="api-company-download"),
    path("companies/<int:pk>/withdraw/", moderation.CompanyWithdrawApi.as_view(), name="api-company-withdraw"),
    path("companies/<int:pk>/revision/", moderation.CompanyRevisionApi.as_view(), name="api-company-revision"),
    path("revisions/", moderation.RevisionListApi.as_view(), name="api-revisions"),
    path(
        "revisions/<int:pk>/approve/", moderation.RevisionDecisionApi.as_view(approve=True), name="api-revision-approve"
    ),
    path(
        "revisions/<int:pk>/reject/", moderation.RevisionDecisionApi.as_view(approve=False), name="api-revision-reject"
    ),
    path("vocabulary/", views.VocabularyApi.as_view(), name="api-vocabulary"),
]
