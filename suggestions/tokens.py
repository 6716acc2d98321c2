"""The blind author token of an anonymous item: HMAC-SHA256(server secret, "campaign:person").

It lets the system answer "is this item mine?" for the person who is signed in, and count a person's
items toward the minimum, without storing who wrote what. Without the secret a token cannot be tied to a
person; per campaign, so one person's tokens in two campaigns do not match each other."""

import hashlib
import hmac
from collections.abc import Iterable

from . import conf


def author_token(*, campaign_id: int, user_id: int) -> str:
    msg = f"{campaign_id}:{user_id}".encode()
    return hmac.new(conf.token_key(), msg, hashlib.sha256).hexdigest()


def tokens_by_user(*, campaign_id: int, user_ids: Iterable[int]) -> dict[str, int]:
    """token -> user id for many people at once (the keyed state is built once and copied per person)."""
    base = hmac.new(conf.token_key(), digestmod=hashlib.sha256)
    out: dict[str, int] = {}
    for uid in user_ids:
        h = base.copy()
        h.update(f"{campaign_id}:{uid}".encode())
        out[h.hexdigest()] = uid
    return out
