from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    GOVERNMENT_BODY = "government_body", _("Government body")
    PARLIAMENT = "parliament", _("Parliament")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    NGO = "ngo", _("Non-governmental organisation")
    PRIVATE_SECTOR = "private_sector", _("Private sector")


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    ROUNDTABLE = "roundtable", _("Roundtable")
    SUMMIT = "summit", _("Summit")
    MEETING = "meeting", _("Meeting")
    WORKSHOP = "workshop", _("Workshop")


class ParticipationRole(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    CO_ORGANISER = "co_organiser", _("Co-organiser")
    SUPPORTER = "supporter", _("Supporter")
    PARTICIPANT = "participant", _("Participant")
    ADDRESSEE = "addressee", _("Addressee")
