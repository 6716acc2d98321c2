"""The client: one method per operation of /api/schema/ that another office needs, over httpx.

Every method returns the JSON the API answers (a dict, as documented in the schema) or raises
``OfficeApiError`` with the API's error body. ``OPERATIONS`` ties each method to its operation in the
schema; the office's test suite checks it against the served schema, so a change to the API that would
break this client fails there first.
"""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

JSON = dict[str, Any]
PathLike = str | Path

# method name -> (HTTP method, path in the schema, operationId in the schema)
OPERATIONS: dict[str, tuple[str, str, str]] = {
    "me": ("GET", "/api/v1/me", "v1_me_retrieve"),
    "submit_urgent_report": ("POST", "/api/v1/duty/reports", "v1_duty_reports_create"),
    "follow_up": ("POST", "/api/v1/duty/reports/{id}/updates", "v1_duty_reports_updates_create"),
    "report": ("GET", "/api/v1/duty/reports/{id}", "v1_duty_reports_retrieve"),
    "reports": ("GET", "/api/v1/duty/reports", "v1_duty_reports_list"),
    "items": ("GET", "/api/v1/supervision/items", "v1_supervision_items_list"),
    "item": ("GET", "/api/v1/supervision/items/{id}", "v1_supervision_items_retrieve"),
    "acknowledge": (
        "POST",
        "/api/v1/supervision/items/{id}/acknowledge",
        "v1_supervision_items_acknowledge_create",
    ),
    "send_feedback": (
        "POST",
        "/api/v1/supervision/items/{id}/feedback",
        "v1_supervision_items_feedback_create",
    ),
    "request_extension": (
        "POST",
        "/api/v1/supervision/items/{id}/extensions",
        "v1_supervision_items_extensions_create",
    ),
    "download": ("GET", "/api/v1/files/{kind}/{id}", "v1_files_retrieve"),
}


class OfficeApiError(Exception):
    """The API refused the request. ``code`` is stable (``invalid``, ``not_found``, ``forbidden``,
    ``conflict``, ``too_large``, ``throttled``, ``authentication_failed``…), ``message`` is for people,
    ``fields`` lists the problems per field of a refused form (empty otherwise)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: Mapping[str, list[str]] | None = None,
        *,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.fields: dict[str, list[str]] = dict(fields or {})
        self.retry_after = retry_after  # seconds, on 429

    @classmethod
    def from_response(cls, response: httpx.Response) -> OfficeApiError:
        retry_after = response.headers.get("Retry-After")
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or "code" not in body:
            # Not the API's error body: a proxy in between, or not this API at all.
            return cls(response.status_code, f"http_{response.status_code}", response.text[:200])
        return cls(
            response.status_code,
            str(body["code"]),
            str(body.get("message", "")),
            body.get("fields") or {},
            retry_after=float(retry_after) if retry_after and retry_after.isdigit() else None,
        )


class OfficeClient:
    """``OfficeClient(base_url, api_key)``: the key is sent as ``X-Api-Key`` on every request, and only
    to ``base_url``'s own origin (download and pagination URLs from elsewhere are refused).

    ``language="en"`` asks for English messages; Chinese is the default.

    A request that fails on the way (no connection, a timeout, a 5xx while the server restarts, a 429)
    is sent again up to ``retries`` times, ``retry_wait`` seconds apart, doubling (a 429 waits its
    ``Retry-After``, at most a minute). Every POST carries an ``Idempotency-Key`` of its own, the same on
    each of its retries, so a retry after a lost answer replays the first answer instead of writing the
    report twice."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 30.0,
        language: str | None = None,
        transport: httpx.BaseTransport | None = None,
        retries: int = 3,
        retry_wait: float = 1.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = max(0, retries)
        self.retry_wait = retry_wait
        headers = {"X-Api-Key": api_key, "Accept": "application/json"}
        if language:
            headers["Accept-Language"] = language
        self._http = httpx.Client(
            base_url=self.base_url, headers=headers, timeout=timeout, transport=transport
        )

    # --- plumbing -----------------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> OfficeClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _own_url(self, url: str) -> str:
        """An absolute URL the API handed out (``next``, a file's ``url``), checked to be on our origin
        so that the key is never sent anywhere else."""
        absolute = urljoin(self.base_url + "/", url)
        mine, theirs = urlsplit(self.base_url), urlsplit(absolute)
        if (theirs.scheme, theirs.netloc) != (mine.scheme, mine.netloc):
            raise ValueError(f"refusing to send the API key to another origin: {absolute}")
        return absolute

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        if method == "POST":
            kwargs["headers"] = {"Idempotency-Key": str(uuid.uuid4()), **kwargs.get("headers", {})}
        wait = self.retry_wait
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self._http.request(method, url, **kwargs)
            except httpx.TransportError:
                if last:
                    raise
                time.sleep(wait)
                wait *= 2
                continue
            if not last and response.status_code == 429:
                after = response.headers.get("Retry-After", "")
                time.sleep(min(float(after), 60.0) if after.isdigit() else wait)
                continue
            if not last and response.status_code >= 500:
                time.sleep(wait)
                wait *= 2
                continue
            break
        if response.status_code >= 400:
            raise OfficeApiError.from_response(response)
        return response

    def _json(self, method: str, url: str, **kwargs: Any) -> JSON:
        return self._request(method, url, **kwargs).json()

    def _pages(self, path: str, params: Mapping[str, Any]) -> Iterator[JSON]:
        """Follows the cursor pagination's ``next`` links until the end."""
        url: str | None = path
        query: Mapping[str, Any] | None = {k: v for k, v in params.items() if v is not None}
        while url:
            page = self._json("GET", url, params=query)
            yield from page["results"]
            url = self._own_url(page["next"]) if page.get("next") else None
            query = None  # the next link carries the query and the cursor

    @staticmethod
    def _files(name: str, paths: Iterable[PathLike]) -> list[tuple[str, tuple[str, bytes, str]]]:
        files = []
        for path in paths:
            p = Path(path)
            content_type = mimetypes.guess_type(p.name)[0] or "application/octet-stream"
            files.append((name, (p.name, p.read_bytes(), content_type)))
        return files

    def _submit(self, path: str, fields: Mapping[str, Any], files: list) -> JSON:
        """JSON without files; multipart/form-data with them (the elements then travel as JSON text)."""
        if not files:
            return self._json("POST", path, json=dict(fields))
        data = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v for k, v in fields.items()}
        data = {k: v for k, v in data.items() if v is not None}
        return self._json("POST", path, data=data, files=files)

    # --- who am I -----------------------------------------------------------------------------------

    def me(self) -> JSON:
        """The caller: ``kind`` (``api_key``), the unit and its roles."""
        return self._json("GET", "/api/v1/me")

    # --- urgent reports (值班·紧急信息) ---------------------------------------------------------------

    def submit_urgent_report(
        self,
        title: str,
        level: str,
        elements: Mapping[str, str] | None = None,
        text: str = "",
        attachments: Iterable[PathLike] = (),
    ) -> JSON:
        """首报. ``level``: especially_major, major, large, general. ``elements``: the known elements
        (time, place, source, nature_cause, course, casualties, losses, scope, trend, measures,
        leaders_on_site, requests, onsite_contact), each a string. The duty room's clock starts on receipt."""
        fields = {"title": title, "level": level, "elements": dict(elements or {}), "text": text}
        return self._submit("/api/v1/duty/reports", fields, self._files("attachments", attachments))

    def follow_up(
        self,
        report_id: int,
        kind: str = "followup",
        elements: Mapping[str, str] | None = None,
        text: str = "",
        attachments: Iterable[PathLike] = (),
    ) -> JSON:
        """续报 (``kind="followup"``) or 终报 (``kind="final"``): only what is new."""
        fields = {"kind": kind, "elements": dict(elements or {}), "text": text}
        path = f"/api/v1/duty/reports/{int(report_id)}/updates"
        return self._submit(path, fields, self._files("attachments", attachments))

    def report(self, report_id: int) -> JSON:
        """One of the unit's reports: status, deadlines, elements, updates and attachment URLs."""
        return self._json("GET", f"/api/v1/duty/reports/{int(report_id)}")

    def reports(
        self, *, status: str | None = None, level: str | None = None, page_size: int | None = None
    ) -> Iterator[JSON]:
        """Every report of the unit, newest first, page after page."""
        return self._pages("/api/v1/duty/reports", {"status": status, "level": level, "page_size": page_size})

    # --- supervision items (督查督办) ----------------------------------------------------------------

    def items(
        self,
        *,
        status: str | None = None,
        light: str | None = None,
        category: str | None = None,
        source: str | None = None,
        due_from: dt.date | str | None = None,
        due_to: dt.date | str | None = None,
        q: str | None = None,
        page_size: int | None = None,
    ) -> Iterator[JSON]:
        """The items issued to the unit, page after page."""
        params = {
            "status": status,
            "light": light,
            "category": category,
            "source": source,
            "due_from": str(due_from) if due_from else None,
            "due_to": str(due_to) if due_to else None,
            "q": q,
            "page_size": page_size,
        }
        return self._pages("/api/v1/supervision/items", params)

    def item(self, item_id: int) -> JSON:
        """One item: milestones, the units and their acknowledgement, ladder steps, feedback."""
        return self._json("GET", f"/api/v1/supervision/items/{int(item_id)}")

    def acknowledge(self, item_id: int) -> JSON:
        """签收. A second acknowledgement is refused with ``conflict`` (409)."""
        return self._json("POST", f"/api/v1/supervision/items/{int(item_id)}/acknowledge")

    def send_feedback(
        self,
        item_id: int,
        content: str,
        kind: str = "progress",
        milestone_id: int | None = None,
        attachment: PathLike | None = None,
    ) -> JSON:
        """进展反馈 (``kind="progress"``, optionally for a milestone) or 办理结果 (``kind="result"``,
        lead unit only), with at most one attachment."""
        fields = {"content": content, "kind": kind, "milestone_id": milestone_id}
        files = self._files("attachment", [attachment] if attachment else [])
        if not files:
            fields = {k: v for k, v in fields.items() if v is not None}
        return self._submit(f"/api/v1/supervision/items/{int(item_id)}/feedback", fields, files)

    def request_extension(self, item_id: int, reason: str, new_due: dt.date | str) -> JSON:
        """申请延期 to ``new_due`` (later than the current deadline), before the deadline."""
        body = {"reason": reason, "new_due": str(new_due)}
        return self._json("POST", f"/api/v1/supervision/items/{int(item_id)}/extensions", json=body)

    # --- files --------------------------------------------------------------------------------------

    def download(self, url: str, to_path: PathLike) -> Path:
        """Saves a file the API linked (a report's ``attachments[].url``, a feedback's ``attachment``) to
        ``to_path`` and returns that path. A refusal (another unit's file, a wrong URL) raises
        ``OfficeApiError`` with ``not_found``."""
        target = Path(to_path)
        with self._http.stream("GET", self._own_url(url)) as response:
            if response.status_code >= 400:
                response.read()
                raise OfficeApiError.from_response(response)
            with target.open("wb") as out:
                for chunk in response.iter_bytes():
                    out.write(chunk)
        return target
