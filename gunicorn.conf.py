"""gunicorn's settings, read from the working directory by default: the Procfile's (honcho runs it from the
repository) and the Docker image's (/app). Command-line flags still win.

gunicorn answers a request line or a header over these limits itself, before Django, with a short plain
text/HTML 400 page of its own (not the API's JSON). They are raised to gunicorn's largest request line, so
that the API's own limit (OFFICE_API_MAX_URL_LENGTH, 4096 characters, a JSON 414) is met first.

Every answer closes its connection ("Connection: close"): a kept-alive connection that the server closes
when its idle time runs out can be closed just as a client sends its next request on it, which the client
sees as a connection reset with no answer (the typhoon scenario met one such follow-up, docs/operations.md).
A client that is told to close never sends on a connection the server may be closing.
"""

# the whole request line ("GET /api/v1/... HTTP/1.1"); gunicorn's maximum, its default is 4094
limit_request_line = 8190
# one header line (a long cookie or Referer); gunicorn's default is 8190
limit_request_field_size = 16380
# number of header lines; gunicorn's default
limit_request_fields = 100
# no keep-alive: each answer says "Connection: close" (see above); gunicorn's default keeps 2 s
keepalive = 0
