"""English is served as "en" but written the British way the tracker always used (weeks from Monday,
Django's en_GB formats), with its dates as it has always shown them.

Templates ask for named formats only, so each language words its own dates: DATE_FORMAT in
sentences ("25 October 2026"), SHORT_DATE_FORMAT in tables and notes ("25 Oct 2026").
"""

from django.conf.locale.en_GB.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
