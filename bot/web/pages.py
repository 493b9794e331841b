"""The widget's assets, the demo and privacy pages, and the health check.

The asset and template files are written separately (bot/web/static and
bot/web/templates); a file that is not there yet is a 404, not a crash.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

from jinja2 import Environment, FileSystemLoader, TemplateNotFound, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bot.knowledge.forum import Forum
from bot.settings import Settings

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"

ASSETS = {
    "widget.js": "text/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
}
PAGES = {"/": "demo.html", "/privacy": "privacy.html"}
ASSET_CACHE = "public, max-age=300"  # short, so a fix reaches partner sites within minutes


class Pages:
    """Serve the static assets and render the two pages."""

    def __init__(self, settings: Settings, static_dir: Path = STATIC_DIR, templates_dir: Path = TEMPLATES_DIR,
                 forum: Optional[Forum] = None) -> None:
        self.settings = settings
        self.forum = forum or Forum()
        self.static_dir = static_dir
        self.env = Environment(
            loader=FileSystemLoader(str(templates_dir)), autoescape=select_autoescape(default=True),
        )

    def routes(self) -> List[Route]:
        """Return the routes for assets, pages and the health check."""
        routes = [Route(f"/{name}", self.asset, methods=["GET", "HEAD"]) for name in ASSETS]
        routes += [Route(path, self.page, methods=["GET", "HEAD"]) for path in PAGES]
        routes.append(Route("/healthz", self.healthz, methods=["GET"]))
        return routes

    async def asset(self, request: Request) -> Response:
        """Send widget.js or widget.css."""
        name = request.url.path.lstrip("/")
        path = self.static_dir / name
        if not path.is_file():
            raise HTTPException(404)
        return FileResponse(path, media_type=ASSETS[name], headers={"Cache-Control": ASSET_CACHE})

    async def page(self, request: Request) -> Response:
        """Render the demo page or the privacy notice."""
        try:
            template = self.env.get_template(PAGES[request.url.path])
        except TemplateNotFound:
            raise HTTPException(404) from None
        return HTMLResponse(template.render(self.context()))

    def context(self) -> Dict[str, Any]:
        """Return the values the page templates may use."""
        base = self.settings.public_url
        return {
            "public_url": base,
            "area": self.settings.area,
            "widget_js": f"{base}/widget.js",
            "widget_css": f"{base}/widget.css",
            "api_base": base,
            "forum": self.forum,
        }

    async def healthz(self, request: Request) -> Response:
        """Say the web server is up."""
        return JSONResponse({"ok": True})
