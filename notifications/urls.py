from django.urls import path

from notifications import views
from notifications.models import TARGETS

urlpatterns = [
    path("accounts/notifications/", views.NotificationsView.as_view(), name="notifications"),
    path("notifications/stop/<str:token>/", views.StopView.as_view(), name="notifications-stop"),
] + [
    path(f"{name}s/<int:pk>/follow/", views.FollowView.as_view(model=model), name=f"{name}-follow")
    for model, name in TARGETS.items()
]
