"""A signed-in user's language: chosen with the language switch, kept in their profile, used on
every device they sign in on.

The switch sets Django's language cookie, which LocaleMiddleware reads on every request (else the
browser's Accept-Language); a signed-in user's choice is also stored in their profile. At sign-in
the stored language is given to that device as the same cookie: one query at sign-in, none per
request.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.i18n import set_language as django_set_language

from accounts.models import Profile


def stored_language(user):
    """The language `user` chose, or None."""
    return Profile.objects.filter(user=user).values_list("language", flat=True).first() or None


@receiver(user_logged_in)
def use_stored_language(sender, request, user, **kwargs):
    language = stored_language(user)
    if language and request is not None:
        translation.activate(language)  # the answer to the sign-in itself, too
        request.stored_language = language


def language_cookie(get_response):
    """Middleware: gives the browser the language found at sign-in. The language may come from a
    cookie, so every answer varies by Cookie as well as by Accept-Language (LocaleMiddleware)."""

    def middleware(request):
        response = get_response(request)
        language = getattr(request, "stored_language", None)
        if language:
            _set_cookie(response, language)
        patch_vary_headers(response, ("Cookie",))
        return response

    return middleware


def _set_cookie(response, language):
    """The language cookie, set as Django's set_language sets it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


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
    return response
