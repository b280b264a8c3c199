"""A signed-in user's language: chosen with the language switch, kept in their profile, used on
every device they sign in on.

At sign-in the profile's language is copied into the session, so the requests that follow read it
from there (the session is loaded anyway to know the user): no query per request. Anonymous
readers get the language cookie the switch sets, else their browser's Accept-Language
(LocaleMiddleware).
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.i18n import set_language as django_set_language

from accounts.models import Profile

SESSION_KEY = "language"


@receiver(user_logged_in)
def use_stored_language(sender, request, user, **kwargs):
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    if language and request is not None:
        request.session[SESSION_KEY] = language


def preferred_language(get_response):
    """Middleware (after AuthenticationMiddleware): the signed-in user's stored language wins over
    cookie and Accept-Language. Answers vary by Cookie, since the cookie or session chose it."""

    def middleware(request):
        language = request.session.get(SESSION_KEY)
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        response = get_response(request)
        patch_vary_headers(response, ("Cookie",))
        return response

    return middleware


@csrf_exempt
def set_language(request):
    """Django's set_language (POST language, next). Anonymous readers need no CSRF token, so pages
    stay free of a per-reader token and cookie (and cacheable); a signed-in user's choice is
    stored, so that goes through the CSRF check."""
    if request.user.is_authenticated:
        return _set_and_store(request)
    return django_set_language(request)


@csrf_protect
def _set_and_store(request):
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and language in dict(settings.LANGUAGES):
        Profile.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[SESSION_KEY] = language
    return response
