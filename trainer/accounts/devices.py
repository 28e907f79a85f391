"""Readable device names from User-Agent strings: "Chrome on Windows", not the raw header.

A handful of ordered patterns cover the browsers people use; anything else is
"Unknown browser". Order matters: Edge and Opera also say "Chrome", Chrome also
says "Safari", and Android also says "Linux".
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\bFirefox/|\bFxiOS/")),
    ("Chrome", re.compile(r"\bChrome/|\bCriOS/|\bChromium/")),
    ("Safari", re.compile(r"\bSafari/")),
)
_SYSTEMS = (
    ("iPhone", re.compile(r"\biPhone\b")),
    ("iPad", re.compile(r"\biPad\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)


def describe_user_agent(user_agent: str) -> dict[str, str]:
    """The browser and system a User-Agent names (empty strings when unknown)."""
    browser = next((name for name, pattern in _BROWSERS if pattern.search(user_agent)), "")
    system = next((name for name, pattern in _SYSTEMS if pattern.search(user_agent)), "")
    if not browser and user_agent.startswith(("python-requests", "curl/", "python-httpx")):
        browser = user_agent.split("/", 1)[0]
    return {"browser": browser, "system": system}


def device_name(device: dict[str, str] | None) -> str:
    """A device in words, in the page's language: "Chrome on Windows"."""
    browser = (device or {}).get("browser") or ""
    system = (device or {}).get("system") or ""
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    if browser or system:
        return browser or system
    return _("Unknown browser")
