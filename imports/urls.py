from django.urls import path

from imports import views

urlpatterns = [
    path("updates/", views.UpdatesImportView.as_view(), name="import-updates"),
    path("recommendations/<int:event>/", views.RecommendationsImportView.as_view(), name="import-recommendations"),
    path("<uuid:pk>/", views.UploadView.as_view(), name="import-upload"),
]
