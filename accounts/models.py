from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """What a user chose for themselves, kept across devices; made when first needed.

    No data-version trigger (docs/performance.md): no cached figure or page shows a profile; the
    language only sets the cookie at sign-in, and the cache keys hold the language in use."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True, verbose_name=_("language"))

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)
