"""A first page that holds the whole list is read without counting; any other page as Django does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartcommune.core.pagination import page_of
from smartcommune.directory.factories import make_province
from smartcommune.directory.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    make_province(code="000.00.00.H18")
    return OrgUnit.objects.order_by("pk")


def test_a_short_first_page_costs_one_query_and_knows_its_count(units):
    with CaptureQueriesContext(connection) as queries:
        page = page_of(units, "1", 10)
        assert len(page.object_list) == 1 and page.paginator.count == 1
        assert page.paginator.num_pages == 1 and not page.has_other_pages()
    assert len(queries) == 1


@pytest.mark.parametrize(("number", "shown"), [(None, 1), ("2", 2), ("x", 1), ("99", 3), ("-1", 3)])
def test_longer_lists_page_as_djangos_get_page(units, number, shown):
    for i in range(4):
        make_province(code=f"000.00.00.H{20 + i}")
    page = page_of(units, number, 2)
    assert page.number == shown and page.paginator.count == 5 and page.paginator.num_pages == 3
    assert [u.pk for u in page.object_list] == [u.pk for u in units][(shown - 1) * 2 : shown * 2]


def test_a_list_given_as_a_function_is_built_only_when_the_first_page_is_not_all(units):
    built = []

    def build():
        built.append(1)
        return units

    page = page_of(build, "1", 10, first_page=lambda: list(units[:11]))
    assert page.paginator.count == 1 and built == []
    for i in range(2):
        make_province(code=f"000.00.00.H{30 + i}")
    page = page_of(build, "1", 2, first_page=lambda: list(units[:3]))
    assert page.paginator.count == 3 and page.paginator.num_pages == 2 and built == [1]
    assert [u.pk for u in page_of(build, "2", 2).object_list] == [u.pk for u in units][2:]
