from django.conf import settings
from django.db import models
from django.db.models.expressions import RawSQL
from django.urls import reverse

from events.choices import ActorKind, Dataset, EventKind, ParticipationRole


def dataset_field():
    """Marks demo and synthetic rows; facts from the documents are `record`."""
    return models.CharField(max_length=16, choices=Dataset.choices, default=Dataset.RECORD, db_index=True)


_SUBTREE_SQL = (
    "WITH RECURSIVE subtree(id) AS ("
    "SELECT id FROM events_actor WHERE id IN ({placeholders}) "
    "UNION SELECT child.id FROM events_actor child JOIN subtree ON child.parent_id = subtree.id"
    ") SELECT id FROM subtree"
)
# The other way: the given actors and every body above them. UNION (not UNION ALL) stops at a repeat.
_ANCESTORS_SQL = (
    "WITH RECURSIVE above(id, parent_id) AS ("
    "SELECT id, parent_id FROM events_actor WHERE id IN ({placeholders}) "
    "UNION SELECT parent.id, parent.parent_id FROM events_actor parent JOIN above ON parent.id = above.parent_id"
    ") SELECT id FROM above"
)


class ActorQuerySet(models.QuerySet):
    def countries(self):
        return self.filter(kind=ActorKind.COUNTRY)

    def subtree_ids(self, actor_ids):
        """Ids of the given actors and all their sub-bodies, at any depth (one query)."""
        ids = [int(pk) for pk in actor_ids]
        if not ids:
            return []
        # Only placeholders are formatted in; the ids themselves are bound parameters.
        sql = _SUBTREE_SQL.format(placeholders=", ".join(["%s"] * len(ids)))
        return list(self.model.objects.filter(id__in=RawSQL(sql, ids)).order_by().values_list("id", flat=True))  # noqa: S611

    def ancestor_ids(self, actor_ids):
        """Ids of the given actors and all the bodies above them, up to their country (one query)."""
        ids = [int(pk) for pk in actor_ids]
        if not ids:
            return []
        sql = _ANCESTORS_SQL.format(placeholders=", ".join(["%s"] * len(ids)))
        return list(self.model.objects.filter(id__in=RawSQL(sql, ids)).order_by().values_list("id", flat=True))  # noqa: S611

    def subtree_of(self, actor_ids):
        """The given actors and all their sub-bodies, at any depth (one query, run now).

        The ids are fetched at once rather than left as a subquery: PostgreSQL can only guess how
        many rows a recursive query yields, and a guess ten times too high turns the lookup of one
        country's assignments into a scan of all of them. A list of ids it counts exactly.
        """
        return self.filter(id__in=self.subtree_ids(actor_ids))


class Actor(models.Model):
    """A country or a body (ministry, parliament, international organisation, NGO…)."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True, help_text="Abbreviation, e.g. OSCE.")
    kind = models.CharField(max_length=32, choices=ActorKind.choices, db_index=True)
    iso_code = models.CharField("ISO 3166 code", max_length=2, blank=True, help_text="Two letters, for countries only.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The country or organisation this body belongs to.",
    )
    note = models.TextField(blank=True, help_text="How the documents name it, aliases, sources.")
    focal_points = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="reporting_actors",
        help_text="Users who report for this actor and its sub-bodies.",
    )
    dataset = dataset_field()

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["iso_code"], condition=~models.Q(iso_code=""), name="actor_iso_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind=ActorKind.COUNTRY, iso_code__regex=r"^[A-Z]{2}$")
                | (~models.Q(kind=ActorKind.COUNTRY) & models.Q(iso_code="")),
                name="actor_iso_code_for_countries_only",
                violation_error_message="A country needs a two-letter ISO 3166 code; other actors have none.",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=ActorKind.values), name="actor_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("actor-detail", args=[self.pk])

    @property
    def is_country(self):
        return self.kind == ActorKind.COUNTRY


class ActorGroup(models.Model):
    """A named set of actors, e.g. a region ("each country in the region")."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(Actor, related_name="groups", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "region or group"
        verbose_name_plural = "regions and groups"

    def __str__(self):
        return self.name


class Event(models.Model):
    title = models.CharField(max_length=300)
    code = models.SlugField(
        max_length=40, unique=True, help_text="Prefix of its recommendations' codes, e.g. CSACVE-2015."
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices, db_index=True)
    start_date = models.DateField(db_index=True)
    end_date = models.DateField(null=True, blank=True)
    date_note = models.TextField(blank=True, help_text="How the dates were established.")
    place = models.CharField(max_length=200, blank=True)
    host_country = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="hosted_events"
    )
    summary = models.TextField(blank=True)
    participants_note = models.TextField(
        blank=True, help_text="What the sources say about attendance beyond the named actors."
    )
    actors = models.ManyToManyField(Actor, through="EventParticipation", related_name="events")
    dataset = dataset_field()

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_date:%Y})"

    def get_absolute_url(self):
        return reverse("event-detail", args=[self.pk])


class EventParticipation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=20, choices=ParticipationRole.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["event", "role", "actor__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "actor", "role"], name="participation_unique"),
        ]

    def __str__(self):
        return f"{self.actor} — {self.get_role_display()}"


class SourceDocument(models.Model):
    """A document an event's recommendations are quoted from."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    kind = models.CharField(max_length=60, blank=True, help_text="News article, press release…")
    published_on = models.DateField(null=True, blank=True)
    date_note = models.TextField(blank=True, help_text="How the publication date was established.")
    language = models.CharField(max_length=10, default="en")
    location = models.CharField(max_length=500, blank=True, help_text="Where to find the document (URL or reference).")
    text = models.TextField(
        blank=True, help_text="Full text, if loaded (manage.py load_source_text). Quotes are checked against it."
    )

    class Meta:
        ordering = ["event", "title"]

    def __str__(self):
        return self.title

    def contains(self, quote):
        """Whether `quote` appears verbatim (whitespace-insensitive) in the text."""
        return " ".join(quote.split()) in " ".join(self.text.split())
