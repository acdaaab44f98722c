"""Amounts in words, as a French receipt must state them ("en toutes lettres"), in FR, NL, EN."""

FR_UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
FR_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
NL_UNITS = [
    "nul",
    "een",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
    "vijftien",
    "zestien",
    "zeventien",
    "achttien",
    "negentien",
]
NL_TENS = {
    2: "twintig",
    3: "dertig",
    4: "veertig",
    5: "vijftig",
    6: "zestig",
    7: "zeventig",
    8: "tachtig",
    9: "negentig",
}
EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
EN_TENS = {
    2: "twenty",
    3: "thirty",
    4: "forty",
    5: "fifty",
    6: "sixty",
    7: "seventy",
    8: "eighty",
    9: "ninety",
}


def _fr_below_100(n: int, final: bool) -> str:
    if n < 20:
        return FR_UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):
        # 70-79 and 90-99 count on from sixty and eighty: soixante-douze, quatre-vingt-onze.
        base = "soixante" if tens == 7 else "quatre-vingt"
        joiner = " et " if n == 71 else "-"
        return base + joiner + FR_UNITS[10 + unit]
    if tens == 8:
        return "quatre-vingt" + ("-" + FR_UNITS[unit] if unit else ("s" if final else ""))
    if unit == 0:
        return FR_TENS[tens]
    return FR_TENS[tens] + (" et un" if unit == 1 else "-" + FR_UNITS[unit])


def _fr_below_1000(n: int, final: bool) -> str:
    hundreds, rest = divmod(n, 100)
    if hundreds == 0:
        return _fr_below_100(rest, final)
    head = "cent" if hundreds == 1 else FR_UNITS[hundreds] + " cent"
    if rest == 0:
        return head + ("s" if hundreds > 1 and final else "")
    return head + " " + _fr_below_100(rest, final)


def french(n: int) -> str:
    """Return a whole number in French words (vingt and cent agree as grammar wants)."""
    if n == 0:
        return FR_UNITS[0]
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    parts = []
    if millions:
        # Million is a noun: "quatre-vingts millions" keeps its plural s.
        parts.append(_fr_below_1000(millions, True) + (" million" + ("s" if millions > 1 else "")))
    if thousands:
        parts.append("mille" if thousands == 1 else _fr_below_1000(thousands, False) + " mille")
    if units:
        parts.append(_fr_below_1000(units, True))
    return " ".join(parts)


def _nl_below_100(n: int) -> str:
    if n < 20:
        return NL_UNITS[n]
    tens, unit = divmod(n, 10)
    if unit == 0:
        return NL_TENS[tens]
    unit_word = NL_UNITS[unit]
    # A diaeresis keeps the vowels apart: tweeëntwintig, drieëndertig.
    joiner = "ën" if unit_word.endswith("e") else "en"
    return unit_word + joiner + NL_TENS[tens]


def _nl_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    head = "" if hundreds == 0 else ("honderd" if hundreds == 1 else NL_UNITS[hundreds] + "honderd")
    if rest == 0:
        return head
    return head + _nl_below_100(rest)


def dutch(n: int) -> str:
    """Return a whole number in Dutch words."""
    if n == 0:
        return NL_UNITS[0]
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    parts = []
    if millions:
        parts.append(_nl_below_1000(millions) + " miljoen")
    if thousands:
        parts.append("duizend" if thousands == 1 else _nl_below_1000(thousands) + "duizend")
    if units:
        parts.append(_nl_below_1000(units))
    return " ".join(parts)


def _en_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [EN_UNITS[hundreds] + " hundred"] if hundreds else []
    if rest >= 20:
        tens, unit = divmod(rest, 10)
        parts.append(EN_TENS[tens] + ("-" + EN_UNITS[unit] if unit else ""))
    elif rest:
        parts.append(EN_UNITS[rest])
    return " ".join(parts)


def english(n: int) -> str:
    """Return a whole number in English words."""
    if n == 0:
        return EN_UNITS[0]
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    parts = []
    if millions:
        parts.append(_en_below_1000(millions) + " million")
    if thousands:
        parts.append(_en_below_1000(thousands) + " thousand")
    if units:
        parts.append(_en_below_1000(units))
    return " ".join(parts)


def euros_in_words(cents: int, language: str) -> str:
    """Return euros in words in the language, like "quarante euros et cinq centimes"."""
    euros, rest = divmod(cents, 100)
    if language == "fr":
        text = french(euros) + (" euro" if euros <= 1 else " euros")
        if rest:
            text += " et " + french(rest) + (" centime" if rest == 1 else " centimes")
        return text
    if language == "nl":
        text = dutch(euros) + " euro"
        return text + (" en " + dutch(rest) + " cent" if rest else "")
    text = english(euros) + (" euro" if euros == 1 else " euros")
    if rest:
        text += " and " + english(rest) + (" cent" if rest == 1 else " cents")
    return text
