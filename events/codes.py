"""The stable code of a body (an actor that is not a country), by which a spreadsheet names it.

Countries are named by their ISO 3166 code; a body by `Actor.code`: its short name (else its name)
slugified, with -2, -3… if another body has it already. Given once, it does not follow later
renamings: it is a key, not a label.
"""

from django.utils.text import slugify

MAX_LENGTH = 60


def base_code(name, short_name):
    """The code a body named `name` (`short_name`) gets unless another has it already."""
    return slugify(short_name or name)[: MAX_LENGTH - 4] or "body"


def body_code(name, short_name, taken):
    """A code for a body named `name` (`short_name`) that is not in `taken` (a set of codes)."""
    base = base_code(name, short_name)
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}-{number}"
    return code
