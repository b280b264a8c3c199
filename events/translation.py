"""Content in several languages (django-modeltranslation): each field listed gets a column per
language (name_en, name_ru, name_kk); reading `name` gives the active language's, else English."""

from django.db.models import F
from django.db.models.functions import Coalesce
from modeltranslation.translator import TranslationOptions, register
from modeltranslation.utils import build_localized_fieldname, get_language

from events.models import Actor, ActorGroup, Event


@register(Actor)
class ActorTranslation(TranslationOptions):
    fields = ("name",)
    empty_values = None  # a missing translation is NULL, so unique names stay unique


@register(ActorGroup)
class ActorGroupTranslation(TranslationOptions):
    fields = ("name",)
    empty_values = None  # a missing translation is NULL, so unique names stay unique


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title",)
    empty_values = None  # a missing translation is NULL, so unique names stay unique


def in_active_language(path):
    """The translated field at `path` ("actor__name"…) in the active language, else English: for
    values() and order_by() across a relation, which django-modeltranslation does not rewrite."""
    return Coalesce(F(build_localized_fieldname(path, get_language())), F(path))
