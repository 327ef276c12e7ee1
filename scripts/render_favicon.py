"""Render static/img/favicon-32.png from static/img/favicon.svg with the local Chromium.

Run after changing the mark: `.venv/bin/python scripts/render_favicon.py`. The PNG is committed, so
pages and /favicon.ico need no renderer at run time.
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SIZE = 32


def main() -> None:
    svg = (ROOT / "static/img/favicon.svg").read_text()
    svg = svg.replace('width="64" height="64"', f'width="{SIZE}" height="{SIZE}"', 1)
    with sync_playwright() as playwright:
        args = ["--no-sandbox", "--disable-gpu"]
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page(viewport={"width": SIZE, "height": SIZE})
        page.set_content(f"<html><body style='margin:0'><div style='display:flex'>{svg}</div></body></html>")
        clip = {"x": 0, "y": 0, "width": SIZE, "height": SIZE}
        page.screenshot(path=str(ROOT / "static/img/favicon-32.png"), omit_background=True, clip=clip)
        browser.close()


if __name__ == "__main__":
    main()
