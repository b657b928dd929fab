"""The only way PDF rendering may load a resource: the project's own static files and fonts, nothing else.

WeasyPrint would otherwise follow any URL a template or a stylesheet names (http, https, ftp, file:
anywhere on disk). Reports contain text written by users; even though that text is escaped, the
renderer must not be able to reach the network or read arbitrary files.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.conf import settings
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


class ResourceRefused(ValueError):
    """Raised (and caught by WeasyPrint, which then skips the resource) for any URL outside the allowed roots."""


def allowed_roots() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "static", Path(settings.STATIC_ROOT)]
    for entry in settings.STATICFILES_DIRS:
        if isinstance(entry, str | Path):
            roots.append(Path(entry))
    for config in apps.get_app_configs():
        roots.append(Path(config.path) / "static")
    roots.extend(FONT_DIRS)
    return [root.resolve() for root in roots if root.exists()]


class RestrictedURLFetcher(URLFetcher):
    """Serves `file:` URLs inside the static and font directories and `data:` URLs; refuses everything else.

    Refused URLs are kept in `refused` so callers (and tests) can see what a document tried to load.
    """

    def __init__(self, roots: list[Path] | None = None):
        super().__init__(allowed_protocols=("file", "data"))
        self.roots = roots if roots is not None else allowed_roots()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            return self._refuse(url, "scheme not allowed")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            return self._refuse(url, "outside the static and font directories")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    def _refuse(self, url, reason):
        self.refused.append(url)
        logger.warning("PDF renderer refused %s: %s", url, reason)
        raise ResourceRefused(f"{url}: {reason}")
