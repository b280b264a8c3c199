from django.db import models


class ActorKind(models.TextChoices):
    COUNTRY = "country", "Country"
    GOVERNMENT_BODY = "government_body", "Government body"
    PARLIAMENT = "parliament", "Parliament"
    INTERNATIONAL_ORGANISATION = "international_organisation", "International organisation"
    NGO = "ngo", "Non-governmental organisation"
    PRIVATE_SECTOR = "private_sector", "Private sector"


class EventKind(models.TextChoices):
    CONFERENCE = "conference", "Conference"
    ROUNDTABLE = "roundtable", "Roundtable"
    SUMMIT = "summit", "Summit"
    MEETING = "meeting", "Meeting"
    WORKSHOP = "workshop", "Workshop"


class ParticipationRole(models.TextChoices):
    ORGANISER = "organiser", "Organiser"
    CO_ORGANISER = "co_organiser", "Co-organiser"
    SUPPORTER = "supporter", "Supporter"
    PARTICIPANT = "participant", "Participant"
    ADDRESSEE = "addressee", "Addressee"
