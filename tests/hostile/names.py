"""Hostile corpus of *names*: folder names, releases, titles, environments, roles, control
characters and bidi, as a site of plans (see tests/test_hostile_names.py).

Every payload sets ``window.__xss`` or loads from ``evil.example`` when it runs or renders as
markup; the tests check that nothing of the kind happens anywhere the plugin writes. The
corpus holds more cases of each class than the examples of issue 17.
"""

from __future__ import annotations

from typing import Any

import yaml

XSS = "window.__xss=1"

# Folders of valid plans (below plans/checkout-api/): live Markdown, attribute and HTML
# break-outs, entities that a later un-escaping would turn into tags, syntax of Markdown
# extensions, template syntax, control and bidi characters, URL tricks.
FOLDERS = [
    f"2026-11-20-a){{: autofocus onfocus={XSS} }}",
    f"b) [x](javascript:{XSS}) [y](https://evil.example/leak)",
    "c) ![t](https://evil.example/img?leak)",
    f'd"onmouseover="{XSS}" x="',
    f"e'onfocus='{XSS}' autofocus='",
    f"f</title><svg onload={XSS}>",
    f"g&lt;img src=x onerror={XSS}&gt;",
    'h ==mark== :smile: www.evil.example $x$ (c) "q" 1st',
    "i {{ config.site_name }} {% raw %}",
    f"j\r\r<img src=x onerror={XSS}>",
    "k\u202egnp.exe",
    "l\x1b[31mred",
    "m%2F..%2Fescape",
    "n#frag?query",
    "o `code` *em* _u_ | pipe",
    # (A folder name holding a backslash is left out: gitref reads `\` as `/` and the
    # whole diff_base comparison is switched off; see the issue 17 report.)
    "p%5C%5Cevil.example %2F%2Fevil.example",
    f"q\n\n<img src=x onerror={XSS}>",
]

# Folders of invalid plans (right below plans/): shown in the nav's "Invalid plans".
INVALID = [
    f"<img src=x onerror={XSS}>",
    f"</title><script>{XSS}</script>",
    f"&lt;img src=x onerror={XSS}&gt;",
    f"r\r<svg onload={XSS}>",
    f"s\u202e<b onmouseover={XSS}>x</b>",
]

# Values of valid plans, by folder (below plans/checkout-api/).
VALUES: dict[str, dict[str, Any]] = {
    "v1-tags": {
        "title": f"</title><img src=x onerror={XSS}>",
        "release": f"</title><img src=x onerror={XSS}>",
        "environment": f"<img src=x onerror={XSS}>",
    },
    "v2-entities": {
        "title": f"&lt;/title&gt;&lt;img src=x onerror={XSS}&gt;",
        "release": f"&lt;img src=x onerror={XSS}&gt;",
        "environment": f"&lt;img src=x onerror={XSS}&gt;",
    },
    "v3-extensions": {
        "release": "rbf0123456789n0z",
        "title": ':smile: ==mark== ~~del~~ ^^ins^^ www.evil.example $x$ \\(y\\) (c) "q" 1/2',
        "environment": "prod :+1: https://evil.example/x @user #12",
    },
    "v4-control": {
        "release": f"2.0\r\r<img src=x onerror={XSS}>",
        "environment": "prod\r| x | y |\r\r    code",
        "title": "Title\r\r## injected heading\r\r```\rfence",
    },
    "v5-bidi": {
        "release": "1.0\u202e",
        "title": "Safe \u202etitle\u200b",
        "environment": "prod\u2066x\u2069",
    },
    "v6-quotes": {
        "environment": f'prod" onmouseover="{XSS}',
        "title": f"x' onfocus='{XSS}' autofocus='",
        "release": f"3.0\" onmouseover='{XSS}'",
    },
}

# Roles changed on the feature branch (the "Changed since" block shows them).
ROLE_CHANGES = {
    "v4-control": f"Lead\r\r<img src=x onerror={XSS}>",
    "v1-tags": f"Lead`` <img src=x onerror={XSS}> ``",
}

BIDI_COMMAND = "echo safe \u202e; rm -rf / #"
INVISIBLE_COMMAND = "kubectl delete\u200b pod\u2060 x\ufeff"
TRAILING_COMMAND = "echo trailing   "
CRLF_COMMAND = "echo one\r\necho two"
COLLIDING_ITEMS = ["Backup done!", "Backup done?", "Backup: done", "Бэкап готов", "Бэкап сделан"]


def plan_text(base: dict[str, Any], n: int, **values: Any) -> str:
    plan = yaml.safe_load(yaml.safe_dump(base))
    plan["service"] = "checkout-api"
    plan["date"] = f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}"
    plan.setdefault("release", f"r{n}")
    plan["release"] = f"r{n}"
    plan.update(values)
    return yaml.safe_dump(plan, sort_keys=False, allow_unicode=True)


def corpus(example: dict[str, Any], minimal: dict[str, Any], *, feature: bool) -> dict[str, str]:
    """The plans of the hostile site (``plans/`` relative folder -> text). ``feature``: the
    version on the feature branch (hostile roles, hostile commands, one plan added)."""
    plans: dict[str, str] = {}
    n = 0
    for folder in FOLDERS:
        n += 1
        plans[f"checkout-api/{folder}"] = plan_text(minimal, n)
    for folder, values in VALUES.items():
        n += 1
        text = yaml.safe_load(plan_text(example, n, **values))
        if feature and folder in ROLE_CHANGES:
            text["roles"][0]["role"] = ROLE_CHANGES[folder]
            text["title"] = str(text.get("title", "")) + " (changed)"
        if folder == "v5-bidi":
            steps = text["phases"][0]["steps"]
            steps[0]["command"] = BIDI_COMMAND
            steps[0]["verify"] = INVISIBLE_COMMAND
            steps[1]["command"] = TRAILING_COMMAND
            steps[1]["verify"] = CRLF_COMMAND
            text["checklists"] = [{"title": "Before", "items": COLLIDING_ITEMS}]
        plans[f"checkout-api/{folder}"] = yaml.safe_dump(text, sort_keys=False, allow_unicode=True)
    # A hostile folder one level up (where a service's folder usually is).
    n += 1
    plans[f"<svg onload={XSS}> ) [z](javascript:{XSS})/2026-12-01"] = plan_text(minimal, n)
    if feature:
        n += 1
        plans[f"checkout-api/new-{XSS}<b>"] = plan_text(minimal, n)
    for folder in INVALID:
        plans[folder] = "x: 1\n"
    return plans
