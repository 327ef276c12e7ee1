"""Static files in production: whitenoise's compressed manifest storage, each name's URL
remembered.

Every page asks for eight static URLs (stylesheet, icons, scripts), and each asked the manifest
again (name cleaning, the hashed name, URL joining: ~16 µs). The manifest does not change while a
process runs (collectstatic runs in its own process, and a deploy restarts the workers), so a
name's URL is kept after its first use. A name missing from the manifest still raises each time.
"""

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url
