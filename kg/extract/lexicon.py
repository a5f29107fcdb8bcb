"""The speech-act lexicon: which words voice a stance, how their arguments map to holder,
target and addressee, and which polarity they carry.

Entries are keyed by lemma. ``polarity`` is +1 (support the target), -1 (oppose it);
``frame`` says where the target is found:

* ``object``   — direct object, clausal complement or a listed preposition ("oppose X", "call for X")
* ``clause``   — a that-clause whose content gives target and polarity ("X said that ...")
* ``concern``  — a feared outcome: oppose what the clause's subject names, or support what a
  harm verb in it endangers ("warned that X could undermine Y")

Light-verb phrases ("express concern about", "confirm its intention to") and nouns
("his campaign promises to ...") are listed separately.

>>> VERBS["urge"].act, VERBS["urge"].polarity
('urge', 1)
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    """How one word voices a stance: speech act, polarity and where its target is."""
    act: str
    polarity: int
    frame: str = "object"
    preps: tuple[str, ...] = ()  # prepositions introducing the target ("insist on")
    addressee: bool = False      # the direct object is the addressee ("urge Putin to ...")


def _c(act: str, polarity: int, frame: str = "object", *preps: str, addressee: bool = False) -> Cue:
    return Cue(act, polarity, frame, preps, addressee)


VERBS: dict[str, Cue] = {
    "urge": _c("urge", 1, "object", "for", addressee=True),
    "press": _c("urge", 1, "object", "for", addressee=True),
    "call": _c("call-for", 1, "object", "for"),
    "demand": _c("call-for", 1),
    "warn": _c("warn", -1, "concern", "against", "of", "about"),
    "caution": _c("warn", -1, "concern", "against"),
    "fear": _c("express-concern", -1, "concern"),
    "worry": _c("express-concern", -1, "concern", "about", "over"),
    "oppose": _c("oppose", -1),
    "resist": _c("resist", -1),
    "reject": _c("reject", -1),
    "dismiss": _c("reject", -1),
    "refuse": _c("reject", -1),
    "rule": _c("reject", -1, "object", "out"),  # "ruled out"
    "condemn": _c("condemn", -1),
    "denounce": _c("condemn", -1),
    "criticize": _c("criticize", -1),
    "criticise": _c("criticize", -1),
    "accuse": _c("criticize", -1),
    "blame": _c("criticize", -1),
    "slam": _c("criticize", -1),
    "question": _c("question", -1),
    "doubt": _c("question", -1),
    "deny": _c("deny", -1),
    "threaten": _c("threaten", 1),
    "welcome": _c("welcome", 1),
    "praise": _c("praise", 1),
    "hail": _c("praise", 1),
    "applaud": _c("praise", 1),
    "commend": _c("praise", 1),
    "support": _c("support", 1),
    "back": _c("support", 1),
    "endorse": _c("support", 1),
    "favor": _c("support", 1),
    "favour": _c("support", 1),
    "advocate": _c("support", 1, "object", "for"),
    "propose": _c("support", 1),
    "insist": _c("insist", 1, "clause", "on"),
    "promise": _c("promise", 1),
    "pledge": _c("promise", 1),
    "vow": _c("promise", 1),
    "agree": _c("agree", 1, "object", "to", "on"),
    "intend": _c("intend", 1),
    "plan": _c("intend", 1),
    "aim": _c("intend", 1, "object", "at", "for"),
    "seek": _c("intend", 1),
    "want": _c("intend", 1),
    "hope": _c("intend", 1, "object", "for"),
    "describe": _c("describe", 0),
    "signal": _c("signal", 1, "clause"),
    # reporting verbs: the that-clause carries target and polarity
    "say": _c("state", 1, "clause"),
    "state": _c("state", 1, "clause"),
    "tell": _c("state", 1, "clause"),
    "add": _c("state", 1, "clause"),
    "argue": _c("state", 1, "clause", "for"),
    "claim": _c("state", 1, "clause"),
    "stress": _c("state", 1, "clause"),
    "emphasize": _c("state", 1, "clause"),
    "emphasise": _c("state", 1, "clause"),
    "reiterate": _c("state", 1, "clause"),
    "note": _c("state", 1, "clause"),
    "announce": _c("state", 1, "clause"),
    "declare": _c("state", 1, "clause"),
    "confirm": _c("state", 1, "clause"),
}

# "argue against", "warn against": the preposition reverses an otherwise positive frame
REVERSING_PREPS = {"against"}

# verb + object noun: "express concern about", "confirm its intention to", "voice support for"
LIGHT_VERBS = {"express", "voice", "confirm", "announce", "reaffirm", "reiterate", "signal",
               "declare", "state", "show", "offer", "pledge", "make", "repeat", "renew"}
# Verbs under which a cue is not voiced ("avoided criticising Moscow").
WITHHOLDING_VERBS = {"avoid", "refrain", "decline", "fail", "stop", "cease", "hesitate"}
NOUNS: dict[str, Cue] = {
    "interest": _c("express-interest", 1, "object", "in"),
    "concern": _c("express-concern", -1, "concern", "about", "over", "at"),
    "worry": _c("express-concern", -1, "concern", "about", "over"),
    "alarm": _c("express-concern", -1, "concern", "at", "over", "about"),
    "fear": _c("express-concern", -1, "concern", "about", "over", "of"),
    "support": _c("support", 1, "object", "for"),
    "backing": _c("support", 1, "object", "for"),
    "opposition": _c("oppose", -1, "object", "to"),
    "intention": _c("intend", 1),
    "intent": _c("intend", 1),
    "plan": _c("intend", 1),
    "commitment": _c("promise", 1, "object", "to"),
    "readiness": _c("agree", 1),
    "willingness": _c("agree", 1),
    "skepticism": _c("question", -1, "object", "about", "over", "of"),
    "scepticism": _c("question", -1, "object", "about", "over", "of"),
    "doubt": _c("question", -1, "object", "about", "over"),
    "hope": _c("intend", 1, "object", "for"),
    "promise": _c("promise", 1),
    "pledge": _c("promise", 1),
    "vow": _c("promise", 1),
    "call": _c("call-for", 1, "object", "for"),
    "warning": _c("warn", -1, "concern", "against", "about", "of"),
    "criticism": _c("criticize", -1, "object", "of"),
    "condemnation": _c("condemn", -1, "object", "of"),
    "rejection": _c("reject", -1, "object", "of"),
    "refusal": _c("reject", -1),
    "insistence": _c("insist", 1, "object", "on"),
}
# Nouns that voice a stance on their own with a possessive holder ("his campaign promises to ...").
POSSESSIVE_NOUNS = {"promise", "pledge", "vow", "call", "intention", "intent", "commitment", "warning",
                    "criticism", "condemnation", "rejection", "refusal", "insistence", "opposition",
                    "demand", "plan"}

# "X was met with resistance from Y", "X drew criticism from Y", "X raised concerns among Y":
# the holder is after from/among/by, the target is X. Noun → (act, polarity).
REACTION_VERBS = {"meet", "draw", "raise", "spark", "prompt", "trigger", "provoke", "face", "receive",
                  "elicit", "attract", "win", "earn"}
REACTION_NOUNS: dict[str, tuple[str, int]] = {
    "resistance": ("resist", -1), "opposition": ("oppose", -1), "criticism": ("criticize", -1),
    "condemnation": ("condemn", -1), "concern": ("express-concern", -1), "alarm": ("express-concern", -1),
    "objection": ("oppose", -1), "rejection": ("reject", -1), "skepticism": ("question", -1),
    "praise": ("praise", 1), "support": ("support", 1), "approval": ("support", 1),
    "welcome": ("welcome", 1), "backing": ("support", 1), "endorsement": ("support", 1),
}
REACTION_PREPS = {"from", "among", "by", "in"}

# "This stance is shared by X" / "X shares this view": X takes over the last stance.
SHARE_VERBS = {"share", "echo", "endorse"}
STANCE_NOUNS = {"stance", "view", "position", "concern", "sentiment", "assessment", "line", "opinion"}

# A harm verb in a feared clause: what it endangers is supported ("... could undermine NATO unity").
HARM_VERBS = {"undermine", "threaten", "weaken", "damage", "hurt", "harm", "jeopardize", "jeopardise",
              "endanger", "erode", "destabilize", "destabilise", "imperil", "split", "divide", "break",
              "violate", "destroy", "compromise"}
# Words that reverse the polarity toward what they govern ("a deterrent against further aggression").
REVERSERS = {"against", "prevent", "stop", "avoid", "halt", "curb", "deter", "deterrent", "block",
             "limit", "reduce", "resist", "oppose", "reject", "end", "counter", "without", "instead"}
# Evaluative words in "X is a priority" / "described X as positive".
POSITIVE = {"positive", "constructive", "productive", "useful", "good", "important", "essential",
            "necessary", "priority", "encouraging", "welcome", "vital", "crucial", "right", "key",
            "promising", "helpful", "great", "excellent", "fair", "reasonable"}
NEGATIVE = {"negative", "dangerous", "unacceptable", "provocative", "reckless", "mistake", "wrong",
            "destructive", "harmful", "irresponsible", "counterproductive", "absurd", "illegal",
            "threat", "bad", "unhelpful", "risky", "naive", "catastrophic", "disastrous"}

# Nouns too generic to name an issue of their own ("the need for X" → X).
GENERIC_NOUNS = {"need", "wisdom", "implication", "consequence", "issue", "matter", "question",
                 "situation", "thing", "move", "step", "approach", "stance", "position", "view",
                 "idea", "goal", "detail", "remark", "comment", "statement", "effort", "way",
                 "prospect", "possibility", "news", "development", "report", "signal", "focus",
                 "aim", "result", "outcome", "kind", "sort", "part", "level", "time", "lot",
                 "importance", "prospects", "potential", "subject", "topic", "plan", "decision",
                 "policy", "action", "demand", "proposal", "option", "bid", "attempt", "push", "call",
                 "request", "suggestion", "offer", "announcement", "effort"}
# Nouns whose complement is what is supported or opposed ("rejected calls to send missiles").
CARRIER_NOUNS = {"call", "demand", "proposal", "plan", "idea", "suggestion", "effort", "attempt", "bid",
                 "push", "request", "offer", "need", "move", "decision", "pledge", "promise", "initiative"}
# "X was ready for / open to / willing to Y": support for Y.
READINESS = {"ready", "open", "willing", "prepared", "eager", "committed", "determined", "keen"}
# "such a move", "this idea": refers back to the last issue named in the article.
ISSUE_ANAPHORS = {"move", "step", "idea", "plan", "proposal", "deal", "option", "arrangement",
                  "scenario", "concession", "demand", "approach", "course"}
ANAPHORIC_DETERMINERS = {"this", "that", "such", "these", "those"}

# Heads of noun phrases that denote a group of people ("some allies and foreign policy experts").
GROUP_NOUNS = {"ally", "official", "expert", "analyst", "critic", "leader", "lawmaker", "diplomat",
               "government", "country", "nation", "state", "member", "partner", "observer", "minister",
               "legislator", "senator", "politician", "commentator", "negotiator", "mediator",
               "neighbor", "neighbour", "protester", "resident", "voter", "adviser", "advisor",
               "delegation", "envoy", "spokesperson", "representative", "administration", "community",
               "economist", "supporter", "opponent", "hawk", "activist", "group", "bloc", "coalition"}
QUANTIFIERS = {"some", "many", "most", "all", "several", "both", "few", "none", "each", "any",
               "various", "numerous", "other", "certain", "a", "an", "the", "these", "those", "this",
               "that", "its", "their"}

PRONOUNS_PERSON = {"he": "m", "him": "m", "his": "m", "himself": "m",
                   "she": "f", "her": "f", "hers": "f", "herself": "f"}
PRONOUNS_GROUP = {"it", "its", "itself", "they", "them", "their", "themselves"}
# What someone said or did, standing for the person ("described the signals as positive").
UTTERANCE_NOUNS = {"signal", "remark", "comment", "statement", "message", "word", "overture", "gesture",
                   "rhetoric", "tone", "approach", "focus", "stance", "move", "position", "plan"}
OBLIGATION_MODALS = {"must", "should", "need", "ought"}
