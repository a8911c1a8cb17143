"""Default words of the insights (charts, figures, feeds), in English and French.

The plugin's translation table (``render/words.py`` and the ``words`` option) wins: these
are only the fallbacks, so a site can rename any of them through ``words``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

__all__ = ["DEFAULTS", "translator"]

_EN = {
    "outcome:success": "success",
    "outcome:success-with-issues": "with issues",
    "outcome:rolled-back": "rolled back",
    "outcome:aborted": "aborted",
    "outcome:not-run": "not run",
}
_FR = {
    "outcome:success": "succès",
    "outcome:success-with-issues": "avec incidents",
    "outcome:rolled-back": "annulé",
    "outcome:aborted": "interrompu",
    "outcome:not-run": "pas exécuté",
    "not enough data": "données insuffisantes",
    "Insights": "Indicateurs",
    "Upcoming deployments": "Déploiements à venir",
    "planned": "prévu",
    "actual": "réel",
    "plans": "plans",
    "months": "mois",
    "failed": "en échec",
    "went well": "réussi",
}
DEFAULTS: dict[str, dict[str, str]] = {"en": _EN, "fr": _FR}


def translator(get: Callable[[str, str | None], str], language: str) -> Callable[[str], str]:
    """``t(key)``: the site's word for ``key``, else these defaults, else the key itself."""
    table: Mapping[str, str] = {**_EN, **DEFAULTS.get(language, {})}

    def t(key: str) -> str:
        return get(key, table.get(key, key))

    return t
