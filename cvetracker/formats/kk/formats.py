# Kazakh formats, which Django does not ship: "2015 жылғы 29 қыркүйек", "29.09.2015".
# Month names come from Django's Kazakh catalogue, lower-cased for dates ("alt. month") in
# locale_upstream/kk. The *_FORMAT strings use Django's date format syntax (the Cyrillic letters
# are not format characters, so they are printed as they are).
DATE_FORMAT = "Y жылғы j E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y жылғы j E, H:i"
YEAR_MONTH_FORMAT = "Y жылғы E"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# The *_INPUT_FORMATS strings use Python's strftime syntax.
DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '29.09.2015'
    "%d.%m.%y",  # '29.09.15'
    "%Y-%m-%d",  # '2015-09-29'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S.%f",
    "%d.%m.%Y %H:%M",
    "%d.%m.%y %H:%M:%S",
    "%d.%m.%y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
