"""The blind author token of an anonymous item: HMAC-SHA256(server secret, "campaign:person").

It lets the system answer "is this item mine?" for the person who is signed in, and count a person's
items toward the minimum, without storing who wrote what. Without the secret a token cannot be tied to a
person; per campaign, so one person's tokens in two campaigns do not match each other."""

import hashlib
import hmac
from collections import OrderedDict
from collections.abc import Iterable

from . import conf


def author_token(*, campaign_id: int, user_id: int) -> str:
    msg = f"{campaign_id}:{user_id}".encode()
    return hmac.new(conf.token_key(), msg, hashlib.sha256).hexdigest()


# token -> user id per (secret fingerprint, campaign), kept in this process's memory only (the process
# holds the secret anyway): the campaign page recomputes nobody's token twice. A few campaigns at most.
_CACHE: "OrderedDict[tuple[str, int], tuple[dict[str, int], set[int]]]" = OrderedDict()
_CACHE_CAMPAIGNS = 8


def tokens_by_user(*, campaign_id: int, user_ids: Iterable[int]) -> dict[str, int]:
    """token -> user id for many people at once (the keyed state is built once and copied per person)."""
    key = conf.token_key()
    slot = (hashlib.sha256(key).hexdigest()[:16], campaign_id)
    by_token, done = _CACHE.get(slot) or ({}, set())
    missing = [uid for uid in user_ids if uid not in done]
    if missing:
        base = hmac.new(key, digestmod=hashlib.sha256)
        for uid in missing:
            h = base.copy()
            h.update(f"{campaign_id}:{uid}".encode())
            by_token[h.hexdigest()] = uid
            done.add(uid)
    _CACHE[slot] = (by_token, done)
    _CACHE.move_to_end(slot)
    while len(_CACHE) > _CACHE_CAMPAIGNS:
        _CACHE.popitem(last=False)
    return by_token
