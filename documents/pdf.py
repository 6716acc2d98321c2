"""The PDF of a document, made from its .docx by LibreOffice headless.

``DOCUMENTS_SOFFICE_BIN`` names the binary (default ``soffice``), ``DOCUMENTS_PDF_TIMEOUT`` the seconds a
conversion may take. Each call has its own LibreOffice profile in a temporary directory, so parallel
conversions (two workers, two requests) never share one. The fonts a document names (仿宋_GB2312,
方正小标宋简体, 黑体, 楷体_GB2312) are mapped to free stand-ins by deploy/fontconfig/office-fonts.conf
unless ``DOCUMENTS_FONTCONFIG_FILE`` names another file (empty: the system's own configuration).
"""

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from office.conf import office_setting
from office.errors import Unavailable

DEFAULT_FONTCONFIG = Path(settings.BASE_DIR) / "deploy" / "fontconfig" / "office-fonts.conf"


class PdfUnavailable(Unavailable):
    """LibreOffice is missing or failed: the PDF cannot be made now (the .docx still can)."""


def soffice_binary() -> str | None:
    name = office_setting("DOCUMENTS_SOFFICE_BIN", "soffice")
    return shutil.which(name)


def _fontconfig_file() -> str:
    configured = office_setting("DOCUMENTS_FONTCONFIG_FILE", str(DEFAULT_FONTCONFIG))
    return configured if configured and Path(configured).is_file() else ""


# The last few conversions by the .docx's digest: the same document asked for again (by another reader, or
# twice) is not converted again. A changed document renders different bytes, hence a new digest.
_RECENT: OrderedDict[str, bytes] = OrderedDict()
_RECENT_MAX = 16
_lock = threading.Lock()


def docx_to_pdf(data: bytes) -> bytes:
    """``data`` (a .docx) converted to PDF by LibreOffice; ``PdfUnavailable`` when that cannot be done."""
    key = hashlib.sha256(data).hexdigest()
    with _lock:
        if key in _RECENT:
            _RECENT.move_to_end(key)
            return _RECENT[key]
    pdf = _convert(data)
    with _lock:
        _RECENT[key] = pdf
        while len(_RECENT) > _RECENT_MAX:
            _RECENT.popitem(last=False)
    return pdf


def _convert(data: bytes) -> bytes:
    binary = soffice_binary()
    if binary is None:
        raise PdfUnavailable(_("未安装 LibreOffice，暂时无法生成 PDF，请下载 Word 版。"))
    timeout = office_setting("DOCUMENTS_PDF_TIMEOUT", 60)
    with tempfile.TemporaryDirectory(prefix="office-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(data)
        env = {**os.environ, "HOME": str(work)}
        fontconfig = _fontconfig_file()
        if fontconfig:
            env["FONTCONFIG_FILE"] = fontconfig
        command = [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            # its own process group: on a timeout the whole of LibreOffice goes (soffice starts soffice.bin)
            proc = subprocess.Popen(
                command,
                env=env,
                cwd=work,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            raise PdfUnavailable(_("无法启动 LibreOffice，暂时无法生成 PDF。")) from exc
        try:
            proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise PdfUnavailable(_("生成 PDF 超时，请稍后再试或下载 Word 版。")) from exc
        target = work / "document.pdf"
        if not target.is_file() or target.stat().st_size == 0:
            raise PdfUnavailable(_("LibreOffice 未能生成 PDF，请稍后再试或下载 Word 版。"))
        return target.read_bytes()


def pdf_filename(docx_name: str) -> str:
    return docx_name[: -len(".docx")] + ".pdf" if docx_name.endswith(".docx") else f"{docx_name}.pdf"
