from django.contrib import admin

from .access import document_scope
from .models import Document, DocumentNumberSequence, NumberGap, ProofreadTerm


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "doc_type", "status", "classification", "origin", "issued_on"]
    list_filter = ["doc_type", "status", "classification", "origin"]
    search_fields = ["number", "title", "main_recipients"]
    # Status, number and sign-off change only through the services (they write the audit trail and run
    # the origin's hooks).
    readonly_fields = [
        "number",
        "prefix",
        "year",
        "seq",
        "status",
        "origin",
        "origin_ref",
        "signer",
        "signed_at",
        "sign_opinion",
        "published_at",
        "created_by",
        # the text changes only on the draft page (a version per save, the revision lock)
        "title",
        "title_lines",
        "body",
        "revision",
        "signed_without_review",
        "proofread_override_reason",
        "proofread_override_by",
        "archived_at",
    ]
    filter_horizontal = ["recipient_units"]

    def get_queryset(self, request):
        # need-to-know holds in the admin too: a superuser sees a classified document only when their
        # roles clear it or it was granted to them
        return document_scope(actor=request.user, qs=super().get_queryset(request))


@admin.register(NumberGap)
class NumberGapAdmin(admin.ModelAdmin):
    """Explained gaps of the number registers: written by the withdrawal service, never edited."""

    list_display = ["prefix", "year", "seq", "reason", "recorded_by", "recorded_at"]
    list_filter = ["prefix", "year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentNumberSequence)
class DocumentNumberSequenceAdmin(admin.ModelAdmin):
    list_display = ["prefix", "year", "last_value"]
    readonly_fields = ["prefix", "year", "last_value"]


@admin.register(ProofreadTerm)
class ProofreadTermAdmin(admin.ModelAdmin):
    # the proofreader's word list: a saved or deleted row reaches every worker's matcher (a signal bumps
    # the shared version, documents/proofreading/terms.py)
    list_display = ["wrong", "right", "severity", "active", "explanation"]
    list_filter = ["severity", "active"]
    list_editable = ["active"]
    search_fields = ["wrong", "right", "explanation"]
