from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def languages_in_their_own_names():
    """settings.LANGUAGES as written there: Django's get_available_languages would translate the
    names ("English" reads "Английский" in Russian), and each must be found in its own."""
    return settings.LANGUAGES
