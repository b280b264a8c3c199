from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.expressions import RawSQL
from django.urls import reverse

from cvetracker.datasets import dataset_field
from events.choices import ActorKind, EventKind, ParticipationRole

# Text limits, in characters. A note of a few pages is plenty, and anything a client sends is
# shown on public pages for good (status updates are append-only); a recommendation's text and its
# quote can run longer. A source document's full text is not limited.
NOTE_LIMIT = 5_000
LONG_TEXT_LIMIT = 20_000


def limited_text(label, limit=NOTE_LIMIT, **kwargs):
    """A TextField of at most `limit` characters. Model.full_clean checks it, so the admin, the pages,
    the API and the workflow all refuse longer text, with a message naming the field (`label`)."""
    message = f"{label} can be at most {limit} characters long (it has %(show_value)d)."
    return models.TextField(validators=[MaxLengthValidator(limit, message=message)], **kwargs)


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
        return self._walk(_SUBTREE_SQL, actor_ids)

    def ancestor_ids(self, actor_ids):
        """Ids of the given actors and all the bodies above them, up to their country (one query)."""
        return self._walk(_ANCESTORS_SQL, actor_ids)

    def _walk(self, recursive_sql, actor_ids):
        ids = [int(pk) for pk in actor_ids]
        if not ids:
            return []
        # Only placeholders are formatted in; the ids themselves are bound parameters.
        sql = recursive_sql.format(placeholders=", ".join(["%s"] * len(ids)))
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
    note = limited_text("The note", blank=True, help_text="How the documents name it, aliases, sources.")
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

    def clean(self):
        # A cycle would make an actor its own sub-body: its scorecard would count itself and a
        # focal point's reach (permissions: an actor and its sub-bodies) would take in the whole loop.
        if self.parent_id is None or self.pk is None:
            return
        if self.parent_id == self.pk:
            raise ValidationError({"parent": f"{self} cannot belong to itself."})
        if self.parent_id in Actor.objects.subtree_ids([self.pk]):
            raise ValidationError(
                {"parent": f"{self.parent} is one of {self}'s own bodies, so {self} cannot belong to it."}
            )

    @property
    def is_country(self):
        return self.kind == ActorKind.COUNTRY


class ActorGroup(models.Model):
    """A named set of actors, e.g. a region ("each country in the region")."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    description = limited_text("The description", blank=True)
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
    date_note = limited_text("The note on the dates", blank=True, help_text="How the dates were established.")
    place = models.CharField(max_length=200, blank=True)
    host_country = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="hosted_events"
    )
    summary = limited_text("The summary", blank=True)
    participants_note = limited_text(
        "The note on participants",
        blank=True,
        help_text="What the sources say about attendance beyond the named actors.",
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
    date_note = limited_text("The note on the date", blank=True, help_text="How the publication date was established.")
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
