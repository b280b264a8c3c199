from django.urls import path

from webhooks import views

urlpatterns = [
    path("coordinate/webhooks/", views.EndpointListView.as_view(), name="webhook-list"),
    path("coordinate/webhooks/new/", views.EndpointCreateView.as_view(), name="webhook-create"),
    path("coordinate/webhooks/<int:pk>/", views.EndpointDetailView.as_view(), name="webhook-detail"),
    path("coordinate/webhooks/<int:pk>/edit/", views.EndpointUpdateView.as_view(), name="webhook-edit"),
    path("coordinate/webhooks/<int:pk>/rotate-secret/", views.RotateSecretView.as_view(), name="webhook-rotate"),
    path(
        "coordinate/webhooks/<int:pk>/deliveries/<int:delivery>/send-again/",
        views.SendAgainView.as_view(),
        name="webhook-send-again",
    ),
]
