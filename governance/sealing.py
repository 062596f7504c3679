"""The cryptography of sealed ballots, as pure functions (no ORM). See docs/voting-threat-model.md.

- A poll has a key pair (libsodium, via PyNaCl). A ballot is sealed with the public key (a sealed
  box: anonymous, only the private key opens it). Every payload is padded to the same length, so
  the size of a ciphertext does not give the choice away.
- The private key is stored only wrapped (secret box) under a random 16-byte wrapping key; that
  wrapping key is split among the trustees with Shamir's scheme (k of n, pycryptodome), and then
  forgotten. pycryptodome's Shamir works on 16-byte secrets, hence the wrapping.
- A share is shown to its trustee as 32 letters and digits in groups of four: one byte for its
  number, sixteen for the share, three of checksum against typing errors.
- The tracking code (receipt) is random: nothing in it comes from the voter.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
import time
from dataclasses import dataclass

from Crypto.Protocol.SecretSharing import Shamir
from django.conf import settings
from django.utils.crypto import salted_hmac
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

PAYLOAD_SIZE = 160  # bytes of padded JSON; every sealed ballot has the same length
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U
CODE_LENGTH = 12


class SealingError(ValueError):
    """A share, key or ciphertext that does not fit."""


@dataclass(frozen=True)
class PollKeys:
    public_key: bytes
    wrapped_private_key: bytes
    shares: list[bytes]  # one per trustee, in the order of their numbers (1..n)


def threshold_for(trustees: int) -> int:
    """How many shares unlock a poll: a majority of its trustees (2 of 3, 3 of 5)."""
    return trustees // 2 + 1


def _wrap_box(wrapping_key: bytes) -> SecretBox:
    return SecretBox(hashlib.sha256(b"burgerkracht-poll-key:" + wrapping_key).digest())


def make_poll_keys(trustees: int) -> PollKeys:
    """A fresh key pair whose private half is wrapped, and the wrapping key split k of n."""
    if trustees < 1:
        raise SealingError("a poll needs at least one trustee")
    private = PrivateKey.generate()
    wrapping_key = secrets.token_bytes(16)
    wrapped = bytes(_wrap_box(wrapping_key).encrypt(bytes(private)))
    parts = Shamir.split(threshold_for(trustees), trustees, wrapping_key)
    shares = [bytes([index]) + part for index, part in parts]
    return PollKeys(bytes(private.public_key), wrapped, [_with_checksum(s) for s in shares])


def _with_checksum(share: bytes) -> bytes:
    return share + hashlib.sha256(share).digest()[:3]


def share_index(share: bytes) -> int:
    return share[0]


def format_share(share: bytes) -> str:
    """The share as a trustee reads it: "1ABC-DEFG-…" (32 characters, 8 groups)."""
    text = base64.b32encode(share).decode()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_share(text: str) -> bytes:
    """Read a typed share; forgiving about case, spaces, dashes and 0/O, 1/I, 8/B."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("018", "OIB"))
    if len(cleaned) != 32:
        raise SealingError("a share has 32 letters and digits")
    try:
        share = base64.b32decode(cleaned)
    except (binascii.Error, ValueError) as error:
        raise SealingError("not a share") from error
    if _with_checksum(share[:17]) != share or share[0] == 0:
        raise SealingError("the checksum does not match: a typing error")
    return share


def fingerprint(share: bytes) -> str:
    """What is stored of a share: enough to recognise it, nothing to rebuild it."""
    return hashlib.sha256(b"burgerkracht-share:" + share).hexdigest()


def key_sha256(public_key: bytes) -> str:
    """SHA-256 of a poll's public key, published with the poll: a key put in its place by
    someone with access to the database gives ballots sealed under another mark."""
    return hashlib.sha256(bytes(public_key)).hexdigest()


def key_mark(sha256: str) -> str:
    """The first 32 of a key's SHA-256 in eight groups of four, to compare by eye:
    "9F3A 12C0 …". The bulletin's JSON holds the whole SHA-256."""
    head = sha256[:32].upper()
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))


def unwrap_private_key(
    *, shares: list[bytes], wrapped_private_key: bytes, public_key: bytes
) -> PrivateKey:
    """Rebuild the private key from k shares; refuses when it does not match the public key."""
    parts = [(share[0], share[1:17]) for share in shares]
    wrapping_key = Shamir.combine(parts)
    try:
        private = PrivateKey(_wrap_box(wrapping_key).decrypt(wrapped_private_key))
    except CryptoError as error:
        raise SealingError("the shares do not open this poll's key") from error
    if bytes(private.public_key) != public_key:
        raise SealingError("the shares do not open this poll's key")
    return private


# --- Ballots -----------------------------------------------------------------------------------


def new_tracking_code() -> str:
    """A random receipt, e.g. "7KQ2-M9XD-4HTA"; not derived from anything about the voter."""
    # 5 random bits a letter, from one call to the system's randomness (not one per letter).
    bits = secrets.randbits(5 * CODE_LENGTH)
    raw = "".join(CODE_ALPHABET[(bits >> (5 * i)) & 31] for i in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def voter_tag(*, proposal_id: int, user_id: int) -> str:
    """A keyed hash of the voter for this poll, only ever stored inside a sealed payload: at the
    tally it keeps the last ballot per voter. Needs the server's SECRET_KEY to compute."""
    return salted_hmac(
        "governance.sealing.voter-tag", f"{proposal_id}:{user_id}", algorithm="sha256"
    ).hexdigest()[:32]


def ballot_counter(tag: str) -> int:
    """The order of one voter's ballots in a poll (the tally keeps the highest), and nothing else.

    The moment of casting in nanoseconds, stretched and shifted by amounts keyed on the voter's
    tag: whoever opens the sealed ballots (k trustees with a database copy) can neither read when
    a ballot was cast, to match it with a time in a request log, nor how long a voter waited
    between two ballots; only which of one voter's ballots came last. Computing it needs
    `SECRET_KEY`, which the voter tag itself needs already. The stretch spreads evenly over
    forty doublings (2**16 to 2**56), so even the size of a gap stays unknown.
    """
    key = salted_hmac("governance.sealing.counter", tag, algorithm="sha256").digest()
    stretch = (2 ** (key[0] % 40)) * ((1 << 16) + int.from_bytes(key[1:3], "big"))
    offset = int.from_bytes(key[3:19], "big")  # 128 bits
    return offset + time.time_ns() * stretch


def seal_ballot(
    *, public_key: bytes, choice: str, tracking_code: str, tag: str, counter: int
) -> bytes:
    """Encrypt a ballot for the poll's key; every result has the same length."""
    payload = json.dumps(
        {"c": choice, "r": tracking_code, "t": tag, "n": counter}, separators=(",", ":")
    ).encode()
    if len(payload) > PAYLOAD_SIZE:
        raise SealingError("payload too long")
    return bytes(SealedBox(PublicKey(public_key)).encrypt(payload.ljust(PAYLOAD_SIZE)))


@dataclass(frozen=True)
class OpenedBallot:
    choice: str
    tracking_code: str
    tag: str
    counter: int


def open_ballot(private_key: PrivateKey, ciphertext: bytes) -> OpenedBallot:
    try:
        data = json.loads(SealedBox(private_key).decrypt(bytes(ciphertext)).decode().strip())
        return OpenedBallot(data["c"], data["r"], data["t"], int(data["n"]))
    except (CryptoError, ValueError, KeyError, TypeError) as error:
        raise SealingError("a sealed ballot could not be opened") from error


def last_ballot_per_voter(ballots: list[OpenedBallot], tags: set[str]) -> list[OpenedBallot]:
    """One ballot per voter: the one with the highest counter among those whose tag belongs to
    someone on the participation list (a ballot whose participation was never written, e.g.
    refused at closing, is not counted)."""
    latest: dict[str, OpenedBallot] = {}
    for ballot in ballots:
        if ballot.tag not in tags:
            continue
        kept = latest.get(ballot.tag)
        if kept is None or ballot.counter > kept.counter:
            latest[ballot.tag] = ballot
    return list(latest.values())


# --- Shares waiting to be picked up or counted --------------------------------------------------


def _server_box(purpose: str, proposal_id: int) -> SecretBox:
    key = salted_hmac(
        f"governance.sealing.{purpose}", str(proposal_id), secret=settings.SECRET_KEY
    ).digest()
    return SecretBox(hashlib.sha256(key).digest())


def box_share(purpose: str, proposal_id: int, share: bytes) -> bytes:
    """A share held for a short while (until picked up; until the tally), never in plain."""
    return bytes(_server_box(purpose, proposal_id).encrypt(share))


def unbox_share(purpose: str, proposal_id: int, boxed: bytes) -> bytes:
    try:
        return bytes(_server_box(purpose, proposal_id).decrypt(bytes(boxed)))
    except CryptoError as error:
        raise SealingError("a held share could not be opened") from error


def roll_digest(user_ids: list[int]) -> str:
    """SHA-256 of the frozen roll (sorted user ids, one a line): published with the bulletin."""
    text = "".join(f"{pk}\n" for pk in sorted(user_ids))
    return hashlib.sha256(text.encode()).hexdigest()
