"""Content in several languages (django-modeltranslation): each field listed gets a column per
language (name_en, name_ru, name_kk); reading `name` gives the active language's, else English."""

from modeltranslation.translator import TranslationOptions, register

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
