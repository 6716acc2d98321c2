"""The blind author token of an anonymous item: HMAC-SHA256(server secret, "campaign:person").

It lets the system answer "is this item mine?" for the person who is signed in, and count a person's
items toward the minimum, without storing who wrote what. Without the secret a token cannot be tied to a
person; per campaign, so one person's tokens in two campaigns do not match each other."""

import hashlib
import hmac

from . import conf


def author_token(*, campaign_id: int, user_id: int) -> str:
    msg = f"{campaign_id}:{user_id}".encode()
    return hmac.new(conf.token_key(), msg, hashlib.sha256).hexdigest()
