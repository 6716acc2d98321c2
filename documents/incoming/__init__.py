"""Incoming documents (收文): sign for, register, first check, 拟办, 批示, assignment, 传阅, reply, close, archive."""
