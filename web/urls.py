from django.urls import path

from web import actors, bulk_views, edit_views, evidence, feeds, focal_points, meeting_views, views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("updates/feed/", feeds.UpdatesFeed(), name="updates-feed"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path("events/<int:pk>/feed/", feeds.EventUpdatesFeed(), name="event-feed"),
    path("events/<int:pk>/report/", views.EventReportView.as_view(), name="event-report"),
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation-list"),
    path("recommendations/<int:pk>/", views.RecommendationDetailView.as_view(), name="recommendation-detail"),
    path("recommendations/<int:pk>/feed/", feeds.RecommendationUpdatesFeed(), name="recommendation-feed"),
    path("actors/", views.ActorListView.as_view(), name="actor-list"),
    path("actors/<int:pk>/", views.ActorDetailView.as_view(), name="actor-detail"),
    path("actors/<int:pk>/feed/", feeds.ActorUpdatesFeed(), name="actor-feed"),
    path("assignments/", views.AssignmentListView.as_view(), name="assignment-list"),
    path("assignments/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment-detail"),
    path("evidence/<int:pk>/", evidence.download, name="evidence-file"),
    # The coordinators' pages (web/meeting_views.py, web/edit_views.py, web/focal_points.py, web/actors.py).
    path("coordinate/meetings/new/", meeting_views.MeetingEntryView.as_view(), name="coordinate-meeting"),
    path(
        "coordinate/recommendations/<int:pk>/assign/",
        meeting_views.RecommendationAssignView.as_view(),
        name="coordinate-recommendation-assign",
    ),
    path("coordinate/events/<int:pk>/assign/", meeting_views.EventAssignView.as_view(), name="coordinate-event-assign"),
    path("coordinate/events/<int:pk>/edit/", edit_views.EventEditView.as_view(), name="coordinate-event-edit"),
    path(
        "coordinate/recommendations/<int:pk>/edit/",
        edit_views.RecommendationEditView.as_view(),
        name="coordinate-recommendation-edit",
    ),
    path(
        "coordinate/assignments/<int:pk>/edit/",
        edit_views.AssignmentEditView.as_view(),
        name="coordinate-assignment-edit",
    ),
    path("coordinate/assignments/bulk/", bulk_views.BulkView.as_view(), name="coordinate-assignment-bulk"),
    path("coordinate/actors/new/", actors.ActorEditView.as_view(), name="coordinate-actor-new"),
    path("coordinate/actors/<int:pk>/edit/", actors.ActorEditView.as_view(), name="coordinate-actor-edit"),
    path("coordinate/regions/new/", actors.GroupEditView.as_view(), name="coordinate-region-new"),
    path("coordinate/regions/<int:pk>/edit/", actors.GroupEditView.as_view(), name="coordinate-region-edit"),
    path("coordinate/actors/<int:pk>/invite/", focal_points.InviteView.as_view(), name="coordinate-actor-invite"),
    path(
        "coordinate/actors/<int:pk>/focal-points/<int:user_id>/unlink/",
        focal_points.UnlinkView.as_view(),
        name="coordinate-actor-unlink",
    ),
]
