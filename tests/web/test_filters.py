from __future__ import annotations

from datetime import UTC, datetime

import pytest

from web.filters import http_url, linkify, london_time


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("see https://example.org/page.", "https://example.org/page"),
        ("(https://example.org/a)", "https://example.org/a"),
        ("https://en.example.org/wiki/Foo_(bar) is good", "https://en.example.org/wiki/Foo_(bar)"),
        ("HTTP://EXAMPLE.ORG/x?y=1&z=2!", "HTTP://EXAMPLE.ORG/x?y=1&amp;z=2"),
    ],
)
def test_linkify_makes_only_the_link_clickable(text: str, link: str) -> None:
    assert f'href="{link}"' in str(linkify(text))


def test_linkify_leaves_other_schemes_and_markup_inert() -> None:
    html = str(linkify('javascript:alert(1) <a href="https://x.example">x</a> ftp://files'))
    assert html.count("<a ") == 1  # only the https link typed inside the markup
    assert "&lt;a href=" in html
    assert 'href="javascript' not in html
    assert 'href="ftp' not in html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", " JAVASCRIPT:x", ""])
def test_http_url_drops_anything_but_web_links(url: str) -> None:
    assert http_url(url) is None


def test_london_time_names_the_zone_either_side_of_the_clock_change() -> None:
    # 25 October 2026: 01:30 happens twice in London; UTC tells them apart and so must we.
    assert london_time(datetime(2026, 10, 25, 0, 30, tzinfo=UTC)) == "25 October 2026 at 1:30am BST"
    assert london_time(datetime(2026, 10, 25, 1, 30, tzinfo=UTC)) == "25 October 2026 at 1:30am GMT"
