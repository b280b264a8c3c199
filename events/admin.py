from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin  # a field per language (translation.py)

from events.models import Actor, ActorGroup, Event, EventParticipation, SourceDocument
from recommendations import permissions, workflow


@admin.register(Actor)
class ActorAdmin(TranslationAdmin):
    list_display = ["name", "short_name", "kind", "iso_code", "code", "parent", "dataset"]
    list_filter = ["kind", "groups", "dataset"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "iso_code", "code", "note"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["focal_points"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "kind", "iso_code", "code", "parent", "note"]}),
        (_("Reporting"), {"fields": ["focal_points"]}),
        (_("Provenance"), {"fields": ["dataset"], "classes": ["collapse"]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "focal_points":  # people in the focal-point role, and those already linked
            object_id = request.resolver_match.kwargs.get("object_id", "")
            actor = int(object_id) if object_id.isdigit() else None
            kwargs["queryset"] = permissions.focal_point_choices(get_user_model().objects.all(), actor)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        workflow.save_actor(by=request.user, actor=obj)  # the coordinators' pages and the API write so too


@admin.register(ActorGroup)
class ActorGroupAdmin(TranslationAdmin):
    list_display = ["name", "slug", "member_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    def save_model(self, request, obj, form, change):
        workflow.save_group(by=request.user, group=obj, members=form.cleaned_data["members"])

    @admin.display(description=_("Members"), ordering="member_count")
    def member_count(self, group):
        return group.member_count


class EventParticipationInline(admin.TabularInline):
    model = EventParticipation
    autocomplete_fields = ["actor"]
    extra = 0


class SourceDocumentInline(admin.StackedInline):
    model = SourceDocument
    extra = 0
    fields = ["title", "publisher", "kind", "published_on", "date_note", "language", "location"]
    show_change_link = True


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    list_display = ["title", "code", "kind", "start_date", "end_date", "place", "recommendation_count", "dataset"]
    list_filter = ["kind", "dataset", ("start_date", admin.DateFieldListFilter)]
    search_fields = ["title", "code", "place", "summary"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["host_country"]
    inlines = [EventParticipationInline, SourceDocumentInline]
    fieldsets = [
        (None, {"fields": ["title", "code", "kind", "summary"]}),
        (_("When and where"), {"fields": ["start_date", "end_date", "date_note", "place", "host_country"]}),
        (_("Attendance"), {"fields": ["participants_note"]}),
        (_("Provenance"), {"fields": ["dataset"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(recommendation_count=Count("recommendations"))

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        workflow.change_event(event=obj, by=request.user)  # the form has set the fields on `obj`

    @admin.display(description=_("Recommendations"), ordering="recommendation_count")
    def recommendation_count(self, event):
        return event.recommendation_count


@admin.register(EventParticipation)
class EventParticipationAdmin(admin.ModelAdmin):
    list_display = ["event", "actor", "role", "note"]
    list_filter = ["role", "event"]
    list_select_related = ["event", "actor"]
    search_fields = ["actor__name", "event__title", "note"]
    autocomplete_fields = ["event", "actor"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "language", "event", "has_text"]
    list_filter = ["publisher", "language"]
    list_select_related = ["event"]
    search_fields = ["title", "publisher"]
    autocomplete_fields = ["event"]

    @admin.display(boolean=True, description=_("Text loaded"))
    def has_text(self, document):
        return bool(document.text)
