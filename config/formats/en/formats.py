"""English date formats: a 24-hour clock and the day first, as in Dutch.

Django's English "P" writes "7 p.m.", and a sentence that ends with a time then ends in "p.m.."
("Voting closes 3 December 2026, 7 p.m.."). Django's English dates put the month first: "Feb.
11, 2026" beside "11 February 2026, 14:05" on the same proposal page, and "02/11/2026" (which a
Dutch reader takes for 2 November) beside "11/02/2026 14:05". Here every English date is day
first, and a date typed day first is read day first (the forms' own date fields send ISO dates).
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-02-11, what a date field sends
    "%d/%m/%Y",  # 11/02/2026
    "%d/%m/%y",  # 11/02/26
    "%d %b %Y",  # 11 Feb 2026
    "%d %B %Y",  # 11 February 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",  # what a datetime-local field sends
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
]
