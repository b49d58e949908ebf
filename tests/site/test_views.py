"""load_views: one Site per docs instance x version x locale; load_site is the default view."""

from __future__ import annotations

from pathlib import Path

from bookctl.config import Settings
from bookctl.site.loader import load_site, load_views

CORPORA = Path(__file__).resolve().parent.parent / "corpora"


def test_an_unversioned_site_has_one_view_that_is_the_default() -> None:
    settings = Settings(site=CORPORA / "kysely")
    views = load_views(settings)
    assert len(views) == 1
    (view,) = views
    assert view.is_default_view
    assert (view.instance, view.version, view.locale) == ("default", "current", "en")
    assert {(d.instance, d.version, d.locale) for d in view.docs} == {("default", "current", "en")}
    assert [d.permalink for d in view.docs] == [d.permalink for d in load_site(settings).docs]
