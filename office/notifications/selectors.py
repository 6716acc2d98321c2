"""Placeholder signatures; the notifications module fills these in."""


def notification_list_for_user(*, user):
    return []


def unread_count_for_user(*, user) -> int:
    return 0
