"""cs8.text: what customers write, read offline, in Vietnamese and English.

Normalisation (:func:`normalize`), a classifier trained on your own labelled tickets whose model is
JSON data (:class:`TextClassifier`), shipped sentiment baselines that need no download and no
training (:func:`sentiment`), flags with their evidence (:func:`flags`), and bot KPIs with explicit
denominators (:func:`bot_containment`). Training needs numpy and scipy (``pip install
'cs8[text]'``); everything else uses the standard library only.

Example:
    >>> from cs8.text import normalize
    >>> normalize("sp ko dc nhu mo ta :(", "vi")
    'sản phẩm không được nhu mo ta :slightly_frowning_face:'
"""

from cs8.text._bot import (
    CHATWOOT_BOT_RESOLUTION,
    ZENDESK_AUTOMATED_RESOLUTION,
    BotDefinition,
    bot_containment,
    bot_deflection,
    bot_handoff_rate,
    bot_resolution_rate,
    repeat_contact,
)
from cs8.text._classifier import Prediction, TextClassifier
from cs8.text._evaluate import Evaluation, Predictor, evaluate
from cs8.text._features import FeatureSpec
from cs8.text._flags import Flag, FlagRules, annotate, annotate_interaction, flags
from cs8.text._normalize import (
    ABBREVIATIONS,
    Language,
    detect_language,
    normalize,
    place_tone_marks,
    strip_diacritics,
    syllables,
)
from cs8.text._sentiment import SentimentLexicon, sentiment

__all__ = [
    "ABBREVIATIONS",
    "CHATWOOT_BOT_RESOLUTION",
    "ZENDESK_AUTOMATED_RESOLUTION",
    "BotDefinition",
    "Evaluation",
    "FeatureSpec",
    "Flag",
    "FlagRules",
    "Language",
    "Prediction",
    "Predictor",
    "SentimentLexicon",
    "TextClassifier",
    "annotate",
    "annotate_interaction",
    "bot_containment",
    "bot_deflection",
    "bot_handoff_rate",
    "bot_resolution_rate",
    "detect_language",
    "evaluate",
    "flags",
    "normalize",
    "place_tone_marks",
    "repeat_contact",
    "sentiment",
    "strip_diacritics",
    "syllables",
]
