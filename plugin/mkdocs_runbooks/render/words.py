"""The plugin's own words on generated pages, in a small translation table.

Keys are the English words. A language missing a word falls back to English; a site can
override any word through the plugin's ``words`` option.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["LANGUAGES", "Words"]

_PHASES = {
    "phase:pre-deployment": "Pre-deployment",
    "phase:database-migration": "Database migration",
    "phase:application-deployment": "Application deployment",
    "phase:smoke-testing": "Smoke testing",
    "phase:monitoring": "Monitoring",
}

LANGUAGES: dict[str, dict[str, str]] = {
    "en": dict(_PHASES),
    "fr": {
        "phase:pre-deployment": "Pré-déploiement",
        "phase:database-migration": "Migration de la base de données",
        "phase:application-deployment": "Déploiement de l'application",
        "phase:smoke-testing": "Tests de fumée",
        "phase:monitoring": "Surveillance",
        "Summary": "Résumé",
        "Strategy": "Stratégie",
        "Rationale": "Justification",
        "Parameters": "Paramètres",
        "Risk assessment": "Évaluation des risques",
        "Roles": "Rôles",
        "Database migrations": "Migrations de la base de données",
        "Phases": "Phases",
        "Steps": "Étapes",
        "Step": "Étape",
        "Command": "Commande",
        "Expected": "Résultat attendu",
        "Verify": "Vérification",
        "Rollback": "Retour arrière",
        "Triggers": "Déclencheurs",
        "Procedure": "Procédure",
        "Decision owner": "Décideur",
        "Checklists": "Listes de contrôle",
        "Review": "Revue",
        "Communications": "Communications",
        "Outcome": "Résultat",
        "Progress": "Progression",
        "Owner": "Responsable",
        "Duration": "Durée",
        "Notes": "Notes",
        "Service": "Service",
        "Release": "Version",
        "Environment": "Environnement",
        "Date": "Date",
        "Window": "Fenêtre",
        "Status": "Statut",
        "Risk": "Risque",
        "Links": "Liens",
        "Pattern": "Modèle",
        "Done": "Fait",
        "Invalid plan": "Plan invalide",
    },
}


class Words:
    """Look-ups of the plugin's words for one language, with site overrides."""

    def __init__(self, language: str = "en", overrides: Mapping[str, str] | None = None) -> None:
        base = language.split("-")[0].split("_")[0].lower()
        self.language = base if base in LANGUAGES else "en"
        self.table = {**LANGUAGES["en"], **LANGUAGES[self.language], **(overrides or {})}

    def get(self, key: str, default: str | None = None) -> str:
        return self.table.get(key, key if default is None else default)
