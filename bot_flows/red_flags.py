"""Words that mean "call the emergency number now", in Spanish and English.

A pure function over folded text (lower case, no accents, no punctuation), so
"Dolor de PECHO", "dolor de pecho" and "dolor de pécho!!" read alike. It errs on
the side of safety: a patient who writes "no tengo dolor de pecho" is still told
to call for help (negations are not read: "no tengo dolor de pecho, solo tos" and
"ya no tengo dolor de pecho" are too close to the real thing to risk silence), and
"tuve un infarto hace años" in a medical history makes the request urgent for the
doctor to judge. It never diagnoses and never advises; the flow only shows the
emergency number and marks the request urgent for the doctor.

Common misspellings are written into the patterns where it is cheap ("desmallo",
"corason", "inconsiente", "toraxico"); they are matched as whole words only, so
"matricular" never reads as "matar".
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot_flows.engine import fold


class RedFlag(StrEnum):
    CHEST_PAIN = "chest_pain"
    BREATHING = "breathing"
    BLEEDING = "bleeding"
    UNCONSCIOUS = "unconscious"
    STROKE = "stroke"
    SUICIDE = "suicide"


# Patterns match whole words of folded text; "can't" folds to "cant", "daño" to "dano".
PATTERNS: dict[RedFlag, tuple[str, ...]] = {
    RedFlag.CHEST_PAIN: (
        r"dolor (?:fuerte |muy fuerte |intenso )?(?:(?:de|del|en|en el|en mi) )?pecho",
        r"dolor tora(?:c|x|s)ico",
        r"(?:me )?duele (?:mucho )?(?:el |mi )?pecho",
        r"(?:opresion|presion|punzada) (?:en el|en mi|del|en) pecho",
        r"infart\w*",
        r"ataque (?:al|del) cora[sz]on",
        r"ataque cardiac[oa]",
        r"paro cardiac[oa]",
        r"chest (?:pain|pains|tightness|pressure|hurts)",
        r"(?:pain|pressure|tightness) in (?:my |the )?chest",
        r"my chest (?:hurts|is tight)",
        r"tight chest",
        r"heart attack",
    ),
    RedFlag.BREATHING: (
        r"no (?:puedo|puede|podemos|pueden) respirar",
        r"no (?:respira|esta respirando)",
        r"(?:deja|dejo) de respirar",
        r"(?:me|le|nos) cuesta (?:mucho |trabajo )?respirar",
        r"dificultad (?:para|al) respirar",
        r"(?:me|le) falta (?:el )?aire",
        r"no (?:me|le) entra (?:el )?aire",
        r"falta de aire",
        r"(?:me|se) (?:ahogo|ahoga|esta ahogando|estoy ahogando)",
        r"respir\w* con dificultad",
        r"(?:cant|cannot|can not) breathe?",
        r"(?:not|isnt|wasnt|stopped) breathing",
        r"(?:difficulty|trouble|struggling|hard to) breath(?:e|ing)",
        r"short(?:ness)? of breath",
        r"choking",
    ),
    RedFlag.BLEEDING: (
        # "sangrado vaginal abundante": one word may say where.
        r"sangrado (?:\w+ )?(?:abundante|fuerte|muy fuerte|que no para)",
        r"(?:sangra|sangrando|sangro) (?:mucho|demasiado|sin parar)",
        r"mucha sangre",
        r"hemorr?agia",
        r"no (?:para|deja) de sangrar",
        r"(?:vomit\w*|tos\w*) (?:con )?sangre",
        r"heavy bleeding",
        r"bleeding (?:heavily|a lot|badly|wont stop|will not stop)",
        r"(?:wont|will not|doesnt|does not) stop bleeding",
        r"ha?emorrhag\w*",
        r"(?:lots|a lot) of blood",
        r"(?:vomiting|coughing|throwing up) blood",
    ),
    RedFlag.UNCONSCIOUS: (
        r"perd\w* (?:el )?(?:conocimiento|sentido|la conciencia)",
        r"perdida de (?:la )?(?:conciencia|conocimiento)",
        r"(?:se|me|le) desma(?:y|ll)\w*",
        r"desma(?:y|ll)o",
        r"incon(?:sc|s|c)iente",
        # Not "no responde": patients write it about the doctor who has not answered yet.
        r"no (?:reacciona|despierta)",
        r"convul(?:s|c)ion\w*",
        r"passed out",
        r"faint(?:ed|ing)",
        r"unconscious",
        r"(?:lost|loss of|losing) consciousness",
        r"blacked out",
        r"unresponsive",
        r"seizures?",
    ),
    RedFlag.STROKE: (
        r"derrame cerebral",
        r"embolia",
        r"accidente cerebro ?vascular",
        r"acv",
        r"(?:cara|boca) (?:caida|torcida|chueca|paralizada)",
        r"no (?:puedo|puede) (?:hablar|mover (?:el|la|mi) (?:brazo|pierna|mano|cara))",
        r"(?:habla|lengua) (?:arrastrada|trabada)",
        r"arrastra las palabras",
        r"(?:se me|se le) (?:durmio|paralizo) (?:la mitad|un lado|medio)",
        r"paralisis",
        r"stroke",
        r"(?:face|mouth) (?:drooping|droops)",
        r"drooping (?:face|mouth)",
        r"slurred speech",
        r"(?:cant|cannot|can not) (?:speak|move (?:my|his|her) (?:arm|leg|face))",
        r"numb(?:ness)? (?:on|in) one side",
        r"paraly[sz]\w*",
    ),
    RedFlag.SUICIDE: (
        r"sui(?:c|s)id\w*",
        r"quitarme la vida",
        r"(?:me )?quiero morir\w*",
        r"ganas de morir\w*",
        r"no quiero (?:vivir|seguir viviendo)",
        r"matarme",
        r"me (?:quiero|voy a) matar",
        r"hacerme dano",
        r"acabar con mi vida",
        r"kill myself",
        r"end(?:ing)? my life",
        r"(?:want|wanna) to die",
        r"hurt(?:ing)? myself",
        r"self ?harm",
        r"no reason to live",
        r"better off dead",
    ),
}

_COMPILED = {
    flag: re.compile(r"\b(?:" + "|".join(patterns) + r")\b") for flag, patterns in PATTERNS.items()
}


def red_flag(text: str) -> RedFlag | None:
    """The first emergency sign the message mentions, if any."""
    words = fold(text)
    for flag, pattern in _COMPILED.items():
        if pattern.search(words):
            return flag
    return None
