"""The receipt's tracking code (governance/sealing.py): Crockford's base 32 in three groups of
four, every letter equally likely in every place, from one draw of the system's randomness."""

import re
from collections import Counter

from governance import sealing

SHAPE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def test_a_code_is_three_groups_of_four_letters_of_the_alphabet():
    assert len(sealing.CODE_ALPHABET) == 32  # five random bits a letter
    for _ in range(200):
        code = sealing.new_tracking_code()
        assert SHAPE.match(code), code
        assert set(code.replace("-", "")) <= set(sealing.CODE_ALPHABET)


def test_every_letter_turns_up_in_every_place_about_equally_often():
    codes = [sealing.new_tracking_code().replace("-", "") for _ in range(6400)]
    assert len(set(codes)) == len(codes)  # 60 random bits: no two alike
    for place in range(sealing.CODE_LENGTH):
        seen = Counter(code[place] for code in codes)
        # 200 expected each; a letter missing, or one place stuck, is far outside 120..290
        # (more than five standard deviations either way).
        assert set(seen) == set(sealing.CODE_ALPHABET), place
        assert min(seen.values()) >= 120 and max(seen.values()) <= 290, (place, seen)
