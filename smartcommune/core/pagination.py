"""Pages of a list without counting what is not needed.

Django's Paginator counts the whole list (SELECT COUNT(*)) before it reads a page. Most first pages
hold the whole list (an official's worklist, a search): reading one row more than a page tells
whether there is more, and the count is then the number of rows read.
"""

from django.core.paginator import Page, Paginator


def page_of(object_list, number, per_page: int, *, first_page=None) -> Page:
    """The page `number` (any text from the query string; bad or out of range as get_page treats it).

    `first_page()`, when given, reads the first `per_page + 1` items of `object_list` its own way
    (a prepared read, core.queries). `object_list` may be a function that builds it: it is then
    built only when the first page does not hold the whole list."""
    if number in (None, "", "1", 1):
        first = first_page() if first_page else list(_built(object_list)[: per_page + 1])
        if len(first) <= per_page:
            paginator = Paginator(first, per_page)
            paginator.count = len(first)  # a cached property: no COUNT query
            return paginator._get_page(first, 1, paginator)
    return Paginator(_built(object_list), per_page).get_page(number)


def _built(object_list):
    return object_list() if callable(object_list) else object_list
