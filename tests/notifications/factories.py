import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from office.notifications.models import Channel, Notification, Status, WebhookKind, WebhookTarget
from tests.factories import UnitFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    """An inbox message about a unit (any model can be a subject)."""

    class Meta:
        model = Notification
        exclude = ["subject"]

    subject = factory.SubFactory(UnitFactory)
    subject_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.subject))
    subject_id = factory.LazyAttribute(lambda o: str(o.subject.pk))
    step = factory.Sequence(lambda n: f"step-{n}")
    channel = Channel.INBOX
    title = factory.Sequence(lambda n: f"督办事项第{n}号即将到期")
    body = "请及时办理。"
    url = "/supervision/1/"
    status = Status.SENT
    delivered_at = factory.LazyFunction(timezone.now)


class WebhookTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookTarget

    kind = WebhookKind.WECOM
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=test"
