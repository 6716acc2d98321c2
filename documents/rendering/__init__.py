"""GB/T 9704-2012 output of official documents: ``render_docx`` (the .docx) over a ``DocumentLayout``.

``render_docx`` takes a Document (mapped by ``layout_from_document``) or a ``DocumentLayout`` built by any
app; ``documents.pdf.docx_to_pdf`` turns the .docx into the PDF by LibreOffice.
"""

from .layout import DocumentLayout, break_title, heading_level, layout_from_document
from .writer import (
    CHARS_PER_LINE,
    LINE_PITCH_TWIPS,
    LINES_PER_PAGE,
    chinese_date,
    render_layout,
)

Layout = DocumentLayout

__all__ = [
    "CHARS_PER_LINE",
    "LINES_PER_PAGE",
    "LINE_PITCH_TWIPS",
    "DocumentLayout",
    "Layout",
    "break_title",
    "chinese_date",
    "docx_filename",
    "heading_level",
    "layout_from_document",
    "render_docx",
]


def render_docx(document_or_layout) -> bytes:
    """The document (a Document or a ``DocumentLayout``) as a GB/T 9704-2012 .docx."""
    layout = (
        document_or_layout
        if isinstance(document_or_layout, DocumentLayout)
        else layout_from_document(document_or_layout)
    )
    return render_layout(layout)


def docx_filename(document_or_layout) -> str:
    if isinstance(document_or_layout, DocumentLayout):
        base = document_or_layout.filename or document_or_layout.number or document_or_layout.title
    else:
        base = document_or_layout.number or document_or_layout.title
    return f"{(base or 'document').replace('/', '-')}.docx"
