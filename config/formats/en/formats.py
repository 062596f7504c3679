"""English date formats: a 24-hour clock, as in Dutch.

Django's English "P" writes "7 p.m.", and a sentence that ends with a time then ends in "p.m.."
("Voting closes 3 December 2026, 7 p.m.."). Short dates are day first, as the short date with a
time already was: Django's English "m/d/Y" wrote 11 February as "02/11/2025" beside
"11/02/2025 14:05" on the same page, and a Dutch reader takes "02/11" for 2 November.
"""

SHORT_DATE_FORMAT = "d/m/Y"

DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
