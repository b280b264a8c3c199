from django.urls import path

from reminders import views

urlpatterns = [
    path("accounts/reminders/", views.PreferenceView.as_view(), name="reminder-settings"),
    path("reminders/stop/<str:token>/", views.StopView.as_view(), name="reminders-stop"),
]
