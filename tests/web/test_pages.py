"""Assets, pages and the health check; a missing file is a 404, not a crash."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.settings import Settings
from bot.web.pages import STATIC_DIR, TEMPLATES_DIR, Pages


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"ok": True})


@pytest.mark.parametrize("path, folder, name, content_type", [
    ("/widget.js", STATIC_DIR, "widget.js", "text/javascript; charset=utf-8"),
    ("/widget.css", STATIC_DIR, "widget.css", "text/css; charset=utf-8"),
    ("/", TEMPLATES_DIR, "demo.html", "text/html; charset=utf-8"),
    ("/privacy", TEMPLATES_DIR, "privacy.html", "text/html; charset=utf-8"),
])
def test_served_with_the_right_type(client: TestClient, path: str, folder: Path, name: str, content_type: str) -> None:
    if not (folder / name).is_file():
        pytest.skip(f"{name} not written yet")
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.content


def test_demo_page_points_at_the_widget(client: TestClient) -> None:
    if not (TEMPLATES_DIR / "demo.html").is_file():
        pytest.skip("demo.html not written yet")
    assert "/widget.js" in client.get("/").text


@pytest.fixture
def empty_site(settings: Settings, tmp_path: Path) -> TestClient:
    pages = Pages(settings, static_dir=tmp_path / "static", templates_dir=tmp_path / "templates")
    return TestClient(Starlette(routes=pages.routes()))


@pytest.mark.parametrize("path", ["/widget.js", "/widget.css", "/", "/privacy"])
def test_missing_file_is_404(empty_site: TestClient, path: str) -> None:
    assert empty_site.get(path).status_code == 404


def test_pages_escape_what_they_render(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "demo.html").write_text("<p>{{ area }}</p>", encoding="utf-8")
    pages = Pages(replace(settings, area="<img src=x onerror=alert(1)>"), templates_dir=tmp_path)
    body = TestClient(Starlette(routes=pages.routes())).get("/").text
    assert "<img" not in body and "&lt;img" in body


@pytest.mark.parametrize("path", ["/static/../settings.py", "/widget.js/../../settings.py", "/templates/demo.html"])
def test_no_other_files_are_reachable(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404
