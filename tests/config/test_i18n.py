"""The Japanese UI: the catalogue in locale/ja is complete and compiled, and pages switch language.

The .po is read with a small parser (no polib dependency); the .mo is read with `struct`, so the
"compiled and up to date" check compares catalogues rather than bytes and does not depend on the
gettext version that built the .mo.
"""

import ast
import re
import shutil
import struct
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import translation

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# %-style directives (%(name)s, %s, %d, %%) and {...} fields. No space flag: "100% done" is prose.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0+-]*\d*(?:\.\d+)?[diouxXeEfFgGcrs%]|\{[^{}]*\}")
_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (\".*\")$")


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def msgstrs(self) -> list[str]:
        return [value for key, value in sorted(self.fields.items()) if key.startswith("msgstr")]

    @property
    def mo_key(self) -> str:
        """The key msgfmt writes: context, EOT, msgid, and for plurals NUL and the plural msgid."""
        key = self.msgid
        if "msgid_plural" in self.fields:
            key += "\0" + self.fields["msgid_plural"]
        if "msgctxt" in self.fields:
            key = self.fields["msgctxt"] + "\x04" + key
        return key


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po file, the header (msgid "") first; obsolete `#~` entries are left out."""
    entries: list[Entry] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, current = Entry(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif match := _KEYWORD.match(line):
                current = match[1]
                entry.fields[current] = ast.literal_eval(match[2])
            elif line.startswith('"') and current:
                entry.fields[current] += ast.literal_eval(line)
        if "msgid" in entry.fields:
            entries.append(entry)
    return entries


def read_mo(path: Path) -> dict[str, str]:
    """The raw catalogue of a .mo file: original string -> translation (GNU format, either byte order)."""
    data = path.read_bytes()
    order = "<" if struct.unpack("<I", data[:4])[0] == 0x950412DE else ">"
    _revision, count, originals, translations = struct.unpack(order + "4I", data[4:20])

    def string(table: int, index: int) -> str:
        length, offset = struct.unpack(order + "2I", data[table + 8 * index : table + 8 * index + 8])
        return data[offset : offset + length].decode("utf-8")

    return {string(originals, i): string(translations, i) for i in range(count)}


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="site-nav"[^>]*>(.*?)</nav>', html, re.DOTALL)[1]
    return [re.sub(r"<[^>]+>", "", link).strip() for link in re.findall(r"<a [^>]*>(.*?)</a>", nav)]


def first(tag: str, html: str) -> str:
    return re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", html, re.DOTALL)[1].strip()


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    return read_po(PO_PATH)


def test_po_header_declares_japanese_utf8_one_plural_form(po_entries):
    header = po_entries[0]
    lines = dict(line.split(": ", 1) for line in header.fields["msgstr"].splitlines())
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert (lines["Language"], lines["Content-Type"], lines["Plural-Forms"]) == (
        "ja",
        "text/plain; charset=UTF-8",
        "nplurals=1; plural=0;",
    )


def test_po_every_entry_translated_and_not_fuzzy(po_entries):
    messages = po_entries[1:]
    untranslated = [e.msgid for e in messages if not all(e.msgstrs)]
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    one_form = [e.msgid for e in messages if "msgid_plural" in e.fields and len(e.msgstrs) != 1]
    assert len(messages) > 700  # the catalogue was generated, not left as a stub
    assert (untranslated, fuzzy, one_form) == ([], [], [])


def test_po_placeholders_match_msgid(po_entries):
    mismatched = []
    for entry in po_entries[1:]:
        expected = placeholders(entry.msgid) | placeholders(entry.fields.get("msgid_plural", ""))
        for msgstr in entry.msgstrs:
            if placeholders(msgstr) != expected:
                mismatched.append((entry.msgid, sorted(expected), sorted(placeholders(msgstr))))
    assert mismatched == []


def _without_pot_date(catalogue: dict[str, str]) -> dict[str, str]:
    """Recent msgfmt leaves POT-Creation-Date out of the compiled header (reproducible builds)."""
    header = "".join(line for line in catalogue.get("", "").splitlines(keepends=True) if not line.startswith("POT-"))
    return {**catalogue, "": header}


def test_mo_catalogue_matches_po(po_entries):
    expected = {e.mo_key: "\0".join(e.msgstrs) for e in po_entries if all(e.msgstrs) and "fuzzy" not in e.flags}
    expected, compiled = _without_pot_date(expected), _without_pot_date(read_mo(MO_PATH))
    stale = sorted(key for key in expected.keys() | compiled.keys() if expected.get(key) != compiled.get(key))
    assert stale == [], "run: manage.py compilemessages -l ja --ignore=.venv"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_po_msgfmt_check_passes(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(PO_PATH)], capture_output=True, text=True
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_template_percent_sign_ja_renders_single_percent():
    # {% translate %} doubles "%" in the msgid and halves "%%" in the result.
    template = Template('{% load i18n %}{% translate "Share (%)" %}')
    with translation.override("ja"):
        assert template.render(Context()) == "調達比率（%）"


def test_template_plural_ja_renders_one_form():
    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} company"
        "{% plural %}{{ counter }} companies{% endblocktranslate %}"
    )
    with translation.override("ja"):
        assert [template.render(Context({"n": n})) for n in (1, 3)] == ["1 社", "3 社"]


def test_home_accept_language_ja_shows_japanese():
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="ja")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "ja"
    assert '<html lang="ja">' in html
    assert first("title", html) == "日EUパートナーマッチング · Kizuna"
    assert nav_links(html) == ["企業ディレクトリ", "ログイン", "新規登録"]
    assert first("h2", html) == "1. 自社を紹介する"


def test_home_no_accept_language_shows_english():
    response = Client().get("/")
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert nav_links(html) == ["Directory", "Log in", "Sign up"]


def test_login_accept_language_ja_shows_japanese():
    response = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ja")
    html = response.content.decode()
    assert response.status_code == 200
    assert first("title", html) == "ログイン · Kizuna"
    assert first("h1", html) == "ログイン"
    assert re.findall(r"<label [^>]*>([^<]*)</label>", html) == ["言語", "メールアドレス:", "パスワード:"]
    assert re.findall(r'<button type="submit"[^>]*>([^<]*)</button>', html) == ["切替", "ログイン"]


def test_set_language_ja_then_get_shows_japanese():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "ja", "next": "/"})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"
    html = client.get("/").content.decode()
    assert nav_links(html) == ["企業ディレクトリ", "ログイン", "新規登録"]


def test_set_language_back_to_en_shows_english():
    client = Client()
    client.post("/i18n/setlang/", {"language": "ja", "next": "/"})
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert nav_links(html) == ["Directory", "Log in", "Sign up"]


@pytest.mark.django_db
def test_nav_member_ja_shows_japanese_links(member_a):
    client = Client()
    client.force_login(member_a)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert nav_links(html) == [
        "企業ディレクトリ", "自社情報", "おすすめのパートナー", "ミッション", "通知", member_a.email,
    ]  # fmt: skip
    assert re.findall(r'<button type="submit" class="btn-link">([^<]*)</button>', html) == ["ログアウト"]
