"""Content in several languages (see events/translation.py). The source quote is not translated: it
stays verbatim in its document's language (SourceDocument.language)."""

from modeltranslation.translator import TranslationOptions, register

from recommendations.models import Recommendation, Theme


@register(Recommendation)
class RecommendationTranslation(TranslationOptions):
    fields = ("title", "text")
    empty_values = None  # a missing translation is NULL, so unique names stay unique


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name",)
    empty_values = None  # a missing translation is NULL, so unique names stay unique
