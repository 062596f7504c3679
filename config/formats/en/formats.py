"""English date formats: a 24-hour clock, as in Dutch.

Django's English "P" writes "7 p.m.", and a sentence that ends with a time then ends in "p.m.."
("Voting closes 3 December 2026, 7 p.m.."). The dates themselves stay as Django writes them.
"""

DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
