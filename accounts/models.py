from django.conf import settings
from django.db import models


class Profile(models.Model):
    """What a user chose for themselves, kept across devices; made when first needed.

    No data-version trigger (docs/performance.md): no cached figure or page shows a profile; the
    language only sets the cookie at sign-in, and the cache keys hold the language in use."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)

    def __str__(self):
        return str(self.user)
