import pytest

from documents import demo
from documents.models import Classification, Document
from documents.selectors import document_list_for_user
from office.org.demo import build_organisation

pytestmark = pytest.mark.django_db


def test_demo_documents_show_need_to_know_and_load_twice_without_duplicates():
    data = build_organisation()
    demo.populate()
    demo.populate()
    assert Document.objects.filter(origin=demo.ORIGIN).count() == 3
    staff = data["staff"]

    def levels(username):
        user = staff[username].user
        return sorted(document_list_for_user(user=user).values_list("classification", flat=True))

    assert levels("staff01") == [Classification.INTERNAL]
    assert levels("staff13") == sorted([Classification.INTERNAL, Classification.SECRET])
    assert levels("director") == sorted(
        [Classification.INTERNAL, Classification.SECRET, Classification.CONFIDENTIAL]
    )
    assert levels("deputy1") == sorted([Classification.INTERNAL, Classification.SECRET])
