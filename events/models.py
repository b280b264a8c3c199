from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cvetracker.datasets import dataset_field
from events import codes
from events.choices import ActorKind, EventKind, ParticipationRole

# Text limits, in characters. A note of a few pages is plenty, and anything a client sends is
# shown on public pages for good (status updates are append-only); a recommendation's text and its
# quote can run longer. A source document's full text is not limited.
NOTE_LIMIT = 5_000
LONG_TEXT_LIMIT = 20_000


@deconstructible
class TextLimitValidator(MaxLengthValidator):
    """MaxLengthValidator whose message names the field (`label`), both in the reader's language."""

    message = _("%(label)s can be at most %(limit_value)d characters long (it has %(show_value)d).")

    def __init__(self, limit_value, label):
        super().__init__(limit_value)
        self.label = label

    def __call__(self, value):
        try:
            super().__call__(value)
        except ValidationError as error:
            error.params["label"] = self.label
            raise

    def __eq__(self, other):
        return super().__eq__(other) and self.label == other.label


def limited_text(label, limit=NOTE_LIMIT, **kwargs):
    """A TextField of at most `limit` characters. Model.full_clean checks it, so the admin, the pages,
    the API and the workflow all refuse longer text, with a message naming the field (`label`)."""
    return models.TextField(validators=[TextLimitValidator(limit, label)], **kwargs)


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

    def parents_above(self, actor_ids):
        """{id: parent id} of the given actors and all the bodies above them (one query): each
        actor's chain up to its country, for matching many actors against those above them at once."""
        return dict(self._walk(_ANCESTORS_SQL, actor_ids, "id", "parent_id"))

    def _walk(self, recursive_sql, actor_ids, *fields):
        ids = [int(pk) for pk in actor_ids]
        if not ids:
            return []
        # Only placeholders are formatted in; the ids themselves are bound parameters.
        sql = recursive_sql.format(placeholders=", ".join(["%s"] * len(ids)))
        actors = self.model.objects.filter(id__in=RawSQL(sql, ids)).order_by()  # noqa: S611
        return list(actors.values_list(*fields) if fields else actors.values_list("id", flat=True))

    def subtree_of(self, actor_ids):
        """The given actors and all their sub-bodies, at any depth (one query, run now).

        The ids are fetched at once rather than left as a subquery: PostgreSQL can only guess how
        many rows a recursive query yields, and a guess ten times too high turns the lookup of one
        country's assignments into a scan of all of them. A list of ids it counts exactly.
        """
        return self.filter(id__in=self.subtree_ids(actor_ids))


class Actor(models.Model):
    """A country or a body (ministry, parliament, international organisation, NGO…)."""

    name = models.CharField(max_length=200, verbose_name=_("name"))
    short_name = models.CharField(
        max_length=60, blank=True, help_text=_("Abbreviation, e.g. OSCE."), verbose_name=_("short name")
    )
    kind = models.CharField(max_length=32, choices=ActorKind.choices, db_index=True, verbose_name=_("kind"))
    iso_code = models.CharField(
        _("ISO 3166 code"), max_length=2, blank=True, help_text=_("Two letters, for countries only.")
    )
    code = models.SlugField(
        _("code"),
        max_length=codes.MAX_LENGTH,
        blank=True,
        db_index=False,  # the unique constraint below indexes it
        help_text=_(
            "A short, stable code for a body, e.g. osce: spreadsheets name the body by it. Left empty, it is "
            "made from the short name or the name. Countries have none: their ISO code names them."
        ),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The country or organisation this body belongs to."),
        verbose_name=_("parent"),
    )
    note = limited_text(
        _("The note"), blank=True, help_text=_("How the documents name it, aliases, sources."), verbose_name=_("note")
    )
    focal_points = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="reporting_actors",
        help_text=_("Users who report for this actor and its sub-bodies."),
        verbose_name=_("focal points"),
    )
    dataset = dataset_field()

    objects = ActorQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("a country or body", "actor")
        verbose_name_plural = pgettext_lazy("countries or bodies", "actors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["iso_code"],
                condition=~models.Q(iso_code=""),
                name="actor_iso_code_unique",
                violation_error_message=_("Another country has this ISO 3166 code."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind=ActorKind.COUNTRY, iso_code__regex=r"^[A-Z]{2}$")
                | (~models.Q(kind=ActorKind.COUNTRY) & models.Q(iso_code="")),
                name="actor_iso_code_for_countries_only",
                violation_error_message=_("A country needs a two-letter ISO 3166 code; other actors have none."),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="actor_code_unique",
                violation_error_message=_("Another body has this code."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=ActorKind.COUNTRY) | models.Q(code=""),
                name="actor_code_for_bodies_only",
                violation_error_message=_("A country has no code: its ISO 3166 code names it."),
            ),
            models.CheckConstraint(condition=models.Q(kind__in=ActorKind.values), name="actor_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.code and self.kind != ActorKind.COUNTRY:
            similar = Actor.objects.filter(code__startswith=codes.base_code(self.name, self.short_name))
            taken = set(similar.values_list("code", flat=True))
            self.code = codes.body_code(self.name, self.short_name, taken)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("actor-detail", args=[self.pk])

    @property
    def key(self):
        """What a spreadsheet names the actor by: a country's ISO code, a body's code."""
        return self.iso_code or self.code

    def clean(self):
        # A cycle would make an actor its own sub-body: its scorecard would count itself and a
        # focal point's reach (permissions: an actor and its sub-bodies) would take in the whole loop.
        if self.parent_id is None or self.pk is None:
            return
        if self.parent_id == self.pk:
            raise ValidationError({"parent": gettext("%(actor)s cannot belong to itself.") % {"actor": self}})
        if self.parent_id in Actor.objects.subtree_ids([self.pk]):
            raise ValidationError(
                {
                    "parent": gettext("%(actor)s cannot belong to %(parent)s, one of its own bodies.")
                    % {"parent": self.parent, "actor": self}
                }
            )

    @property
    def is_country(self):
        return self.kind == ActorKind.COUNTRY


class ActorGroup(models.Model):
    """A named set of actors, e.g. a region ("each country in the region")."""

    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    slug = models.SlugField(unique=True, verbose_name=_("slug"))
    description = limited_text(_("The description"), blank=True, verbose_name=_("description"))
    members = models.ManyToManyField(Actor, related_name="groups", blank=True, verbose_name=_("members"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("region or group")
        verbose_name_plural = _("regions and groups")

    def __str__(self):
        return self.name


class Event(models.Model):
    title = models.CharField(max_length=300, verbose_name=_("title"))
    code = models.SlugField(
        max_length=40,
        unique=True,
        help_text=_("Prefix of its recommendations' codes, e.g. CSACVE-2015."),
        verbose_name=_("code"),
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices, db_index=True, verbose_name=_("kind"))
    start_date = models.DateField(db_index=True, verbose_name=_("start date"))
    end_date = models.DateField(null=True, blank=True, verbose_name=_("end date"))
    date_note = limited_text(
        _("The note on the dates"),
        blank=True,
        help_text=_("How the dates were established."),
        verbose_name=_("date note"),
    )
    place = models.CharField(max_length=200, blank=True, verbose_name=_("place"))
    host_country = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_events",
        verbose_name=_("host country"),
    )
    summary = limited_text(_("The summary"), blank=True, verbose_name=_("summary"))
    participants_note = limited_text(
        _("The note on participants"),
        blank=True,
        help_text=_("What the sources say about attendance beyond the named actors."),
        verbose_name=_("participants note"),
    )
    actors = models.ManyToManyField(
        Actor,
        through="EventParticipation",
        related_name="events",
        verbose_name=pgettext_lazy("countries or bodies", "actors"),
    )
    dataset = dataset_field()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_date:%Y})"

    def get_absolute_url(self):
        return reverse("event-detail", args=[self.pk])


class EventParticipation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations", verbose_name=_("event"))
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=pgettext_lazy("a country or body", "actor"),
    )
    role = models.CharField(max_length=20, choices=ParticipationRole.choices, verbose_name=_("role"))
    note = models.CharField(max_length=300, blank=True, verbose_name=_("note"))

    class Meta:
        verbose_name = _("event participation")
        verbose_name_plural = _("event participations")
        ordering = ["event", "role", "actor__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "actor", "role"], name="participation_unique"),
        ]

    def __str__(self):
        return f"{self.actor} — {self.get_role_display()}"


class SourceDocument(models.Model):
    """A document an event's recommendations are quoted from."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="documents", verbose_name=_("event"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    publisher = models.CharField(max_length=200, verbose_name=_("publisher"))
    kind = models.CharField(
        max_length=60, blank=True, help_text=_("News article, press release…"), verbose_name=_("kind")
    )
    published_on = models.DateField(null=True, blank=True, verbose_name=_("published on"))
    date_note = limited_text(
        _("The note on the date"),
        blank=True,
        help_text=_("How the publication date was established."),
        verbose_name=_("date note"),
    )
    language = models.CharField(max_length=10, default="en", verbose_name=_("language"))
    location = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("Where to find the document (URL or reference)."),
        verbose_name=_("location"),
    )
    text = models.TextField(
        blank=True,
        help_text=_("Full text, if loaded (manage.py load_source_text). Quotes are checked against it."),
        verbose_name=_("text"),
    )

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["event", "title"]

    def __str__(self):
        return self.title

    def contains(self, quote):
        """Whether `quote` appears verbatim (whitespace-insensitive) in the text."""
        return " ".join(quote.split()) in " ".join(self.text.split())
