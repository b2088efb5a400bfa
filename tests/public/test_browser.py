"""The public pages in Chromium (Debian's, driven by Playwright): axe-core finds no violation,
the language switch works, and nothing scrolls sideways on a 390 px wide phone.

Served by a real server thread on 127.0.0.1. Skipped when Chromium or Playwright is missing,
except on CI (CI=true), where that is a failure. Set PUBLIC_SCREENSHOTS=DIR to keep screenshots
of every page at 1366 and 390 px.
"""

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
PAGES = ["/public/", "/public/report", "/public/decisions", "/public/methodology",
         "/public/data/"]  # fmt: skip
WIDTHS = {"desktop": 1366, "phone": 390}


def _require_browser():
    missing = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "playwright is not installed"
    if missing is None and not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing (apt-get install chromium)"
    if missing and os.environ.get("CI") == "true":
        pytest.fail(missing)
    if missing:
        pytest.skip(missing)


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def server(app, demo):
    """Serve the app (with the demo data) on a free loopback port in a thread of its own."""
    httpd = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 900})
    yield context.new_page()
    context.close()


def paths() -> list[str]:
    return [*PAGES, *(p.replace("/public/", "/public/en/", 1) for p in PAGES)]


def screenshot(page, path: str, width: str) -> None:
    folder = os.environ.get("PUBLIC_SCREENSHOTS")
    if folder:
        name = path.strip("/").replace("/", "_") or "home"
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)


def test_every_page_passes_axe_in_both_widths_without_sideways_scroll(server, page):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for width, pixels in WIDTHS.items():
        page.set_viewport_size({"width": pixels, "height": 900})
        for path in paths():
            response = page.goto(server + path)
            assert response.status == 200, path
            results = axe.run(page)
            assert results.violations_count == 0, f"{path} at {pixels}px:\n" + (
                results.generate_report()
            )
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= pixels, f"{path} scrolls sideways at {pixels}px ({scroll}px wide)"
            screenshot(page, path, width)


def test_the_language_switch_and_the_lang_attribute(server, page):
    page.goto(server + "/public/report")
    assert page.get_attribute("html", "lang") == "nl"
    assert page.locator("h1").inner_text() == "Verwijderrapportage"
    page.get_by_role("link", name="English").click()
    page.wait_for_url(server + "/public/en/report")
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("h1").inner_text() == "Takedown report"
    page.get_by_role("link", name="Nederlands").click()
    page.wait_for_url(server + "/public/report")


def test_keyboard_users_can_skip_to_the_content_and_see_where_focus_is(server, page):
    page.goto(server + "/public/decisions")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
    assert skip.bounding_box()["x"] >= 0  # moved on screen when focused
