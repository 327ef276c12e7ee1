from playwright.sync_api import expect


def test_home(page, lang, t):
    page.goto("/")
    expect(page.get_by_role("link", name=t("Log in"))).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == lang
