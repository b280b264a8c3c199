"""What a request may give as an object's id: a whole number, in ASCII digits if written as text,
within the 64-bit range of the database's keys.

Python's int() also reads "١" (Arabic-Indic) and "１" (full-width) as 1, and a JSON decoder reads
1.5 and 1e400 as floats that int() would truncate or fail on; none of them is an id.
"""

import re

from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]+")


def as_id(value):
    """The id `value` stands for, or None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


NOT_AN_ID = _("Not an id: an id is a whole number from 1 up, written with the digits 0-9.")
