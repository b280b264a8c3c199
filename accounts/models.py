from django.conf import settings
from django.db import models


class Profile(models.Model):
    """What a user chose for themselves, kept across devices; made when first needed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)

    def __str__(self):
        return str(self.user)
