"""The API other offices' systems use to send the office a document with its file, and to follow the
status of what they sent. The sending unit is the key's unit; the office registers the document as
received through the API. A retry with the same 来文字号 from the same unit registers nothing new: the
answer is 200 with the document already registered (201 only when it is new)."""

from django.urls import path
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.fields import empty
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from documents.models import Classification, Urgency
from office.api.idempotency import idempotent
from office.api.permissions import access_permission
from office.api.serializers import QuerySerializer, StrictCharField

from . import access, services
from .models import IncomingDocument, IncomingStatus
from .selectors import incoming_get_for_user, incoming_list_for_user

TAGS = [gettext_lazy("办文·收文")]
MULTIPART_PARSERS = [p for p in api_settings.DEFAULT_PARSER_CLASSES if p.media_type == "multipart/form-data"]
# the urgency marks without the blank "none" (the schema declares blank apart, as BlankEnum)
API_URGENCIES = [(value, label) for value, label in Urgency.choices if value]
API_LEVELS = [
    (Classification.PUBLIC.value, Classification.PUBLIC.label),
    (Classification.INTERNAL.value, Classification.INTERNAL.label),
]

CanSendIncoming = access_permission(
    access.can_send_via_api, gettext_lazy("只有外部单位可以通过接口报送来文、查询来文状态。")
)


class _AsSent:
    # In a form, DRF reads an empty optional field as "not sent"; the schema says a date or an integer,
    # so an empty part is refused like any other value that is not one.

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, empty)


class FormDateField(_AsSent, serializers.DateField):
    pass


class FormIntegerField(_AsSent, serializers.IntegerField):
    pass


class IncomingSubmitSerializer(serializers.Serializer):
    # One document sent by another office's system, as multipart/form-data with its file.

    title = StrictCharField(max_length=200, help_text=gettext_lazy("公文标题"))
    their_number = StrictCharField(
        max_length=60,
        help_text=gettext_lazy("来文字号（如 城关政〔2026〕8号）；同一单位同一字号重复报送只登记一次"),
    )
    issuing_body = StrictCharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("发文机关；留空为本单位名称"),
    )
    their_date = FormDateField(required=False, help_text=gettext_lazy("成文日期"))
    classification = serializers.ChoiceField(
        choices=API_LEVELS,
        required=False,
        default=Classification.INTERNAL.value,
        help_text=gettext_lazy("密级：public 公开、internal 内部（秘密级及以上不得通过接口报送）"),
    )
    urgency = serializers.ChoiceField(
        choices=API_URGENCIES,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("紧急程度：空为无，urgent 加急，extra_urgent 特急"),
    )
    pages = FormIntegerField(
        min_value=1, max_value=10000, required=False, default=1, help_text=gettext_lazy("页数")
    )
    copies = FormIntegerField(
        min_value=1, max_value=10000, required=False, default=1, help_text=gettext_lazy("份数")
    )
    attachment = serializers.FileField(
        help_text=gettext_lazy("公文文件（PDF、Word、WPS/ODF 或图片，不超过上传上限）")
    )


class IncomingListQuerySerializer(QuerySerializer):
    status = serializers.ChoiceField(
        choices=IncomingStatus.choices, required=False, help_text=gettext_lazy("状态")
    )


class IncomingStatusSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    classification_display = serializers.CharField(source="get_classification_display", read_only=True)
    return_reason = serializers.CharField(read_only=True, help_text=gettext_lazy("退回理由（已退回时）"))

    class Meta:
        model = IncomingDocument
        fields = [
            "id",
            "serial",
            "title",
            "their_number",
            "their_date",
            "issuing_body",
            "classification",
            "classification_display",
            "urgency",
            "pages",
            "copies",
            "status",
            "status_display",
            "received_at",
            "checked_at",
            "return_reason",
            "replied_at",
            "closed_at",
        ]
        extra_kwargs = {
            "serial": {"help_text": gettext_lazy("本办收文编号，如 收〔2026〕12号")},
        }


class IncomingListCreateApi(generics.ListAPIView):
    permission_classes = [CanSendIncoming]
    parser_classes = MULTIPART_PARSERS
    serializer_class = IncomingStatusSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = IncomingListQuerySerializer.from_request(self.request)
        return incoming_list_for_user(user=self.request.user, **filters)

    @extend_schema(
        summary=gettext_lazy("本单位报送的来文及其办理状态"),
        tags=TAGS,
        parameters=[IncomingListQuerySerializer],
        responses=IncomingStatusSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("报送来文（附公文文件，multipart/form-data）；同一字号重复报送返回已登记的来文"),
        tags=TAGS,
        request={"multipart/form-data": IncomingSubmitSerializer},
        responses={
            201: OpenApiResponse(IncomingStatusSerializer, description=gettext_lazy("新登记的来文")),
            200: OpenApiResponse(
                IncomingStatusSerializer,
                description=gettext_lazy("本单位已用同一来文字号报送过：返回已登记的来文，不重复登记"),
            ),
        },
    )
    @idempotent
    def post(self, request):
        data = IncomingSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        doc, created = services.incoming_receive_via_api(
            actor=request.user,
            fields=services.IncomingFields(
                issuing_body=v["issuing_body"] or access.incoming_api_submit_access(actor=request.user).name,
                title=v["title"],
                their_number=v["their_number"],
                their_date=v.get("their_date"),
                classification=v["classification"],
                urgency=v["urgency"],
                pages=v["pages"],
                copies=v["copies"],
            ),
            upload=v["attachment"],
        )
        return Response(
            IncomingStatusSerializer(doc).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class IncomingDetailApi(APIView):
    permission_classes = [CanSendIncoming]

    @extend_schema(
        summary=gettext_lazy("来文办理状态（只能查看本单位报送的）"),
        tags=TAGS,
        responses=IncomingStatusSerializer,
    )
    def get(self, request, pk: int):
        doc = incoming_get_for_user(user=request.user, id=pk)
        return Response(IncomingStatusSerializer(doc).data)


urlpatterns = [
    path("incoming", IncomingListCreateApi.as_view(), name="documents-api-incoming"),
    path("incoming/<int:pk>", IncomingDetailApi.as_view(), name="documents-api-incoming-detail"),
]
