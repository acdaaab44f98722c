"""Whole numbers typed by people or sent in URLs, read without surprises.

`str.isdigit()` is True for "²" and other characters `int()` refuses, and `int()` refuses a
text of more than 4,300 digits: checks written with them turn such input into a server error.
"""

import re

_WHOLE = re.compile(r"-?[0-9]+")


def whole_number(text: str | None, *, max_digits: int = 18, negative: bool = False) -> int | None:
    """Return the ASCII whole number in `text`, or None for anything else (blank included).

    At most `max_digits` digits (18 fits a 64-bit database integer); a leading minus only
    when `negative` is allowed.
    """
    if text is None or not _WHOLE.fullmatch(text):
        return None
    digits = text.removeprefix("-")
    if len(digits) > max_digits or (text.startswith("-") and not negative):
        return None
    return int(text)
