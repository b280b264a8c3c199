from django.urls import path

from web import views

urlpatterns = [
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("actors/<int:pk>/", views.actor_detail, name="actor-detail"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment-detail"),
]
