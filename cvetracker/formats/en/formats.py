"""English dates as the tracker has always shown them (Django's en-gb formats differ).

Templates ask for named formats only, so each language words its own dates: DATE_FORMAT in
sentences ("25 October 2026"), SHORT_DATE_FORMAT in tables and notes ("25 Oct 2026").
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
