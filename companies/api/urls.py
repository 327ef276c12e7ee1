from django.urls import path

from companies.api import views

urlpatterns = [
    path("companies/", views.CompanyListApi.as_view(), name="api-companies"),
    path("companies/import/", views.CompanyImportApi.as_view(), name="api-company-import"),
    path("companies/me/", views.CompanyMeApi.as_view(), name="api-company-me"),
    path("companies/<int:pk>/", views.CompanyDetailApi.as_view(), name="api-company"),
    path("companies/<int:pk>/submit/", views.CompanySubmitApi.as_view(), name="api-company-submit"),
    path("companies/<int:pk>/approve/", views.CompanyApproveApi.as_view(), name="api-company-approve"),
    path("companies/<int:pk>/reject/", views.CompanyRejectApi.as_view(), name="api-company-reject"),
    path("companies/<int:pk>/download/", views.CompanyDownloadApi.as_view(), name="api-company-download"),
    path("vocabulary/", views.VocabularyApi.as_view(), name="api-vocabulary"),
]
