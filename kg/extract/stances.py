"""Stances from the dependency parse: who supports or opposes what, voiced how, with evidence.

Each sentence is scanned for cue words of the speech-act lexicon (:mod:`kg.extract.lexicon`):
verbs ("urged Putin not to escalate the war"), light-verb phrases ("expressed interest in"),
possessive nouns ("his campaign promises to end the conflict"), reactions ("would be met with
strong resistance from Kyiv") and shared stances ("this stance is shared by ..."). The holder
is the cue's subject, resolved by :class:`kg.extract.entities.Mentions`; the target is the
issue, event or actor its complement names. Reported speech is attributed to the reporter:
in "X said that Y aims to ...", the clause gives X's target and polarity. Negation of the cue
reverses the polarity and is recorded; negation or reversing words inside the complement
("not to escalate", "a deterrent against aggression") reverse it too.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..model import Article, Evidence, Issue, Stance
from .entities import Mentions
from .issues import IssueMatcher, new_issue
from .lexicon import (ANAPHORIC_DETERMINERS, CARRIER_NOUNS, HARM_VERBS, ISSUE_ANAPHORS, LIGHT_VERBS, NEGATIVE, NOUNS,
                      OBLIGATION_MODALS, POSITIVE, POSSESSIVE_NOUNS, READINESS, REACTION_NOUNS, REACTION_PREPS,
                      REACTION_VERBS, REVERSERS, REVERSING_PREPS, SHARE_VERBS, STANCE_NOUNS,
                      UTTERANCE_NOUNS, VERBS, WITHHOLDING_VERBS, Cue)
from .syntax import PASSIVE_SUBJECTS, SUBJECTS, child, children, is_negated, prep_objects, subject

_HOLDER_TRUST = {"name": 1.0, "descriptor": 1.0, "metonym": 0.95, "administration": 0.95,
                 "pronoun": 0.85, "role": 0.85, "ner": 0.85, "group": 0.8}
_OBJECTS = ("dobj", "xcomp", "ccomp", "attr", "oprd")


@dataclass
class Target:
    kind: str              # issue | event | actor
    id: str
    sign: int = 1          # +1 keeps the cue's polarity, -1 reverses it
    trust: float = 1.0
    issue: Issue | None = None  # a new issue minted from the phrase


class StanceExtractor:
    """Applies the lexicon to one parsed, entity-linked article."""

    def __init__(self, issues: IssueMatcher, method: str) -> None:
        self.issues = issues
        self.method = method

    def extract(self, doc: Doc, mentions: Mentions, article: Article) -> tuple[list[Stance], dict[str, Issue]]:
        run = _Run(self, doc, mentions, article)
        for sent in doc.sents:
            run.sentence(sent)
        return run.result(), run.new_issues


class _Run:
    """State of one article's extraction: issue mentions and stances so far (for anaphora)."""

    def __init__(self, ex: StanceExtractor, doc: Doc, mentions: Mentions, article: Article) -> None:
        self.ex, self.doc, self.m, self.article = ex, doc, mentions, article
        self.stances: list[Stance] = []
        self.new_issues: dict[str, Issue] = {}
        self.issue_mentions: list[tuple[int, str]] = []  # (token index, issue id), in order
        self.before_sentence = 0  # stances from earlier sentences: stances[:before_sentence]

    # --- driver -------------------------------------------------------------------------
    def sentence(self, sent: Span) -> None:
        self.before_sentence = len(self.stances)
        self.sent = sent
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
                if lemma in VERBS and not self._embedded(tok) and not self._withheld(tok):
                    self.verb(tok, VERBS[lemma])
                if lemma in LIGHT_VERBS:
                    noun = child(tok, "dobj")
                    if noun is not None and noun.lemma_.lower() in NOUNS:
                        self.light(tok, noun, NOUNS[noun.lemma_.lower()])
                if lemma in REACTION_VERBS:
                    self.reaction(tok)
                if lemma in SHARE_VERBS:
                    self.share(tok)
            elif tok.pos_ == "NOUN" and lemma in POSSESSIVE_NOUNS and not (
                    tok.dep_ == "dobj" and tok.head.lemma_.lower() in LIGHT_VERBS and lemma in NOUNS):
                self.nominal(tok, NOUNS.get(lemma) or Cue("call-for", 1))
        found = sorted({(m.tokens[0], m.issue) for m in self.ex.issues.find(sent)})
        self.issue_mentions.extend(found)

    def _embedded(self, tok: Token) -> bool:
        """Cue words inside another cue's complement are read as part of it ("said that X aims")."""
        t = tok
        for _ in range(8):
            if t.dep_ == "conj":
                t = t.head
            elif t.dep_ in ("ccomp", "xcomp", "pcomp", "acl"):
                t = t.head
                if t.lemma_.lower() in VERBS or t.lemma_.lower() in NOUNS:
                    return True
            else:
                break
        return False

    @staticmethod
    def _withheld(tok: Token) -> bool:
        """"avoided criticising", "declined to endorse": the cue is not voiced."""
        return tok.dep_ in ("xcomp", "pcomp") and tok.head.lemma_.lower() in WITHHOLDING_VERBS

    # --- frames ---------------------------------------------------------------------------
    def verb(self, v: Token, cue: Cue) -> None:
        holders = self.holders(subject(v))
        if not holders:
            return
        result = self.evaluate(v, cue, holders[0])
        if result is None:
            return
        target, polarity, addressee, trust = result
        neg = is_negated(v)
        for h in holders:
            self.add(h, target, -polarity if neg else polarity, cue.act, v, addressee=addressee,
                     negated=neg, trust=trust)

    def evaluate(self, v: Token, cue: Cue, holder: str, depth: int = 0) -> tuple[Target, int, str | None, float] | None:
        """Target and polarity of cue verb ``v`` for ``holder`` (``None``: no stance)."""
        addressee, skip = None, None
        if cue.addressee:
            obj = child(v, "dobj")
            who = self.m.actor_at(obj, create=False) if obj is not None else None
            if who and who != holder:
                addressee = who
            if obj is not None and (who or child(v, "xcomp") is not None):  # "urged the leaders to ..."
                skip = obj
        if cue.frame == "clause":
            for prep, obj in prep_objects(v, cue.preps):
                t = self.target(obj, holder)
                if t:
                    return t, cue.polarity * t.sign, addressee, 1.0
            clause = child(v, "ccomp")
            if clause is None:
                return None
            r = self.content(clause, holder, depth)
            return (r[0], r[1], addressee, 0.9) if r else None
        if cue.frame == "concern":
            for prep, obj in prep_objects(v, cue.preps):
                t = self.target(obj, holder)
                if t:
                    return t, -1 * t.sign, addressee, 1.0
            clause = child(v, "ccomp", "xcomp")
            if clause is None:
                return None
            r = self.feared(clause, holder)
            return (r[0], r[1], addressee, 0.9) if r else None
        if cue.frame == "object" and cue.polarity == 0:  # describe X as positive / negative
            obj = child(v, "dobj")
            if obj is None:
                return None
            words = {t.lemma_.lower() for p in v.children if p.lower_ == "as" or p.dep_ == "oprd"
                     for t in p.subtree}
            sign = 1 if words & POSITIVE else -1 if words & NEGATIVE else 0
            t = self.target(obj, holder) if sign else None
            return (t, sign * t.sign, addressee, 1.0) if t else None
        candidates = [o for _, o in prep_objects(v, cue.preps)]
        candidates += [c for c in v.children if c.dep_ in _OBJECTS and (skip is None or c.i != skip.i)]
        for obj in candidates:
            sign = -1 if any(p == "against" and cue.polarity > 0 for p, o in prep_objects(v, REVERSING_PREPS)
                             if o.i == obj.i) else 1
            inner = VERBS.get(obj.lemma_.lower()) if obj.pos_ == "VERB" else None
            if inner and inner.frame == "object" and inner.polarity and depth < 2:
                r = self.evaluate(obj, inner, holder, depth + 1)  # "refused to back the plan"
                if r:
                    inner_sign = -1 if is_negated(obj) else 1
                    return r[0], cue.polarity * r[1] * inner_sign * sign, addressee, r[3]
                continue
            t = self.target(obj, holder)
            if t:
                return t, cue.polarity * t.sign * sign, addressee, 1.0
        return None

    def content(self, clause: Token, holder: str, depth: int) -> tuple[Target, int] | None:
        """What a reported clause says: a cue verb in it, an evaluation ("X is a priority"),
        a feared harm, or an obligation ("the war must end")."""
        lemma = clause.lemma_.lower()
        neg = -1 if is_negated(clause) else 1
        if lemma in VERBS and depth < 2:
            r = self.evaluate(clause, VERBS[lemma], holder, depth + 1)
            return (r[0], r[1] * neg) if r else None
        if lemma in HARM_VERBS:
            r = self.feared(clause, holder)
            return (r[0], -r[1] * neg) if r else None
        subj = child(clause, *SUBJECTS, *PASSIVE_SUBJECTS)
        ready = [c for c in children(clause, "acomp") if c.lemma_.lower() in READINESS]
        if lemma == "be" and ready:  # "his government was ready for a prisoner exchange"
            for obj in [*(o for _, o in prep_objects(ready[0], ("for", "to"))), *children(ready[0], "xcomp")]:
                t = self.target(obj, holder)
                if t:
                    return t, t.sign * neg
            return None
        if lemma == "be" and subj is not None:
            words = {t.lemma_.lower() for c in children(clause, "attr", "acomp") for t in c.subtree}
            sign = 1 if words & POSITIVE else -1 if words & NEGATIVE else 0
            t = self.target(subj, holder) if sign else None
            return (t, sign * t.sign * neg) if t else None
        if any(c.lower_ in OBLIGATION_MODALS for c in clause.children if c.dep_ == "aux"):
            t = self.issue_in(clause, clause)  # counts the clause's own negation
            return (t, t.sign) if t else None
        return None

    def feared(self, clause: Token, holder: str) -> tuple[Target, int] | None:
        """What a warning or fear opposes: the cause named by the clause's subject, else
        supports what a harm verb endangers, else opposes an issue or actor the clause names."""
        subj = child(clause, *SUBJECTS, *PASSIVE_SUBJECTS)
        if subj is not None:
            t = self.target(subj, holder, actors=False, mint=False)
            if t:
                return t, -1 * t.sign
        if clause.lemma_.lower() in HARM_VERBS:
            obj = child(clause, "dobj")
            t = self.target(obj, holder, actors=False, mint=False) if obj is not None else None
            if t:
                return t, 1 * t.sign
        t = self.issue_in(clause, clause)
        if t:
            return t, -1 * t.sign
        if subj is not None:
            who = self.m.actor_at(subj, create=False)
            if who and who != holder:
                return Target("actor", who, trust=0.8), -1
        return None

    def light(self, v: Token, noun: Token, cue: Cue) -> None:
        """"expressed concern about X", "confirmed its intention to X"."""
        holders = self.holders(subject(v))
        if not holders:
            return
        t, sign = None, 1
        if cue.frame == "concern":
            for _, obj in [*prep_objects(noun, cue.preps), *prep_objects(v, cue.preps)]:
                t = self.target(obj, holders[0])
                if t:
                    break
            clause = child(noun, "acl", "ccomp") or child(v, "ccomp")
            if t is None and clause is not None:
                r = self.feared(clause, holders[0])
                if r:
                    t, sign = r[0], -r[1]
        else:
            objs = [o for _, o in [*prep_objects(noun, cue.preps), *prep_objects(v, cue.preps)]]
            objs += list(children(noun, "acl", "relcl", "xcomp"))
            for obj in objs:
                t = self.target(obj, holders[0])
                if t:
                    break
        if t is None:
            return
        neg = is_negated(v)
        polarity = cue.polarity * t.sign * sign * (-1 if neg else 1)
        for h in holders:
            self.add(h, t, polarity, cue.act, v, negated=neg)

    def nominal(self, noun: Token, cue: Cue) -> None:
        """"his campaign promises to swiftly end the conflict", "Kyiv's rejection of the plan"."""
        owner = child(noun, "poss")
        holder = self.m.actor_at(owner) if owner is not None else None
        if holder is None:
            return
        t = None
        objs = [o for _, o in prep_objects(noun, cue.preps)] + list(children(noun, "acl", "relcl", "xcomp"))
        for obj in objs:
            t = self.target(obj, holder)
            if t:
                break
        if t is None:  # parser attached the complement elsewhere: read on to the end of the clause
            right = []
            for tok in self.doc[noun.i + 1:self.sent.end]:
                if tok.is_punct or tok.dep_ in ("mark", "cc") or tok.pos_ == "SCONJ":
                    break
                right.append(tok)
            t = self.issue_in(None, right)
        if t is None:
            return
        polarity = -1 if cue.frame == "concern" else cue.polarity
        self.add(holder, t, polarity * t.sign, cue.act, noun)

    def reaction(self, v: Token) -> None:
        """"X would be met with strong resistance from Kyiv", "X raised concerns among Y"."""
        nouns = [c for c in v.children if c.dep_ == "dobj"]
        nouns += [o for p in v.children if p.dep_ == "prep" and p.lower_ == "with" for o in children(p, "pobj")]
        for noun in nouns:
            key = noun.lemma_.lower()
            if key not in REACTION_NOUNS:
                continue
            act, polarity = REACTION_NOUNS[key]
            froms = [o for _, o in [*prep_objects(noun, REACTION_PREPS), *prep_objects(v, REACTION_PREPS)]]
            theme = child(v, *PASSIVE_SUBJECTS, *SUBJECTS)
            if not froms or theme is None:
                continue
            holders = self.holders(froms[0])
            t = self.target(theme, holders[0] if holders else "", stance_holder=True) if holders else None
            if t is None:
                continue
            neg = is_negated(v)
            for h in holders:
                self.add(h, t, polarity * t.sign * (-1 if neg else 1), act, v, negated=neg)
            return

    def share(self, v: Token) -> None:
        """"This stance is shared by X" / "X shares this view": X takes the last stance over."""
        theme = child(v, *PASSIVE_SUBJECTS) if child(v, "agent") is not None else child(v, "dobj")
        if theme is None or theme.lemma_.lower() not in STANCE_NOUNS or not self.stances[:self.before_sentence]:
            return
        holders = self.holders(subject(v))
        last = self.stances[self.before_sentence - 1]
        for h in holders:
            if h != last.holder:
                self.add(h, Target(last.target_kind, last.target, trust=0.85), 1 if last.polarity == "support" else -1,
                         "share-stance", v, issue=self.new_issues.get(last.target))

    # --- arguments ------------------------------------------------------------------------
    def holders(self, tok: Token | None) -> list[str]:
        """The actor of ``tok`` and of any actors conjoined with it ("France and Germany")."""
        if tok is None:
            return []
        first = self.m.actor_at(tok)
        if first is None:
            return []
        out = [first]
        for c in tok.children:
            if c.dep_ == "conj":
                other = self.m.actor_at(c, create=False)
                if other and other not in out:
                    out.append(other)
        return out

    def target(self, root: Token, holder: str, *, actors: bool = True, mint: bool = True,
               stance_holder: bool = False) -> Target | None:
        """What the phrase headed by ``root`` is about: an event, an issue, an earlier issue or
        stance it refers back to, an actor, or a new issue named after it."""
        lemma = root.lemma_.lower()
        event = self.m.event_at(root)
        if event:
            return Target("event", event)
        t = self.issue_in(root, root)
        if t:
            return t
        if lemma in CARRIER_NOUNS:  # "calls to send missiles", "the proposal for a higher target"
            for comp in [*children(root, "acl", "relcl"), *(o for _, o in prep_objects(root, ("for", "to", "of")))]:
                t = self.target(comp, holder, actors=actors, mint=mint)
                if t:
                    return t
        anaphoric = any(c.lower_ in ANAPHORIC_DETERMINERS for c in root.children if c.dep_ in ("det", "predet", "amod"))
        if anaphoric and lemma in STANCE_NOUNS and self.stances[:self.before_sentence]:
            last = self.stances[self.before_sentence - 1]
            if stance_holder or not actors:
                return Target("actor", last.holder, trust=0.8) if actors and last.holder != holder else None
            return Target(last.target_kind, last.target, trust=0.8)
        if anaphoric and lemma in ISSUE_ANAPHORS:
            earlier = [i for pos, i in self.issue_mentions if pos < self.sent.start]
            if earlier:
                return Target("issue", earlier[-1], trust=0.8)
        if not actors:
            return None
        who = self._actor_in(root, holder)
        if who:
            return Target("actor", who, trust=0.9)
        if lemma in UTTERANCE_NOUNS:
            near = self.m.nearest_actor_before(root, {holder})
            return Target("actor", near, trust=0.7) if near else None
        if mint and root.pos_ in ("NOUN", "VERB"):
            issue = new_issue(root)
            if issue and issue.id not in self.ex.issues.issues:
                return Target("issue", issue.id, trust=0.6, issue=issue)
        return None

    def _actor_in(self, root: Token, holder: str) -> str | None:
        """An actor the phrase names itself, or owns/performs a generic head ("Trump's approach")."""
        seen = 0
        tok = root
        while tok is not None and seen < 5:
            seen += 1
            who = self.m.actor_at(tok, create=tok.pos_ == "PROPN")
            if who and who != holder:
                return who
            for c in tok.children:
                state = self.m.state_of_demonym(c) if c.dep_ == "amod" else None
                if state and state != holder:  # "the Turkish initiative"
                    return state
                if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "by"):
                    owner = c if c.dep_ == "poss" else child(c, "pobj")
                    who = self.m.actor_at(owner, create=False) if owner is not None else None
                    if who and who != holder:
                        return who
            tok = next((o for p in tok.children if p.dep_ == "prep" and p.lower_ == "of"
                        for o in children(p, "pobj")), None)
        return None

    def issue_in(self, root: Token | None, tokens) -> Target | None:
        """The best issue label among ``tokens`` (a token's subtree, or a list), with the sign of
        any negation or reversing word on the way from ``root`` down to it."""
        toks = list(tokens.subtree) if isinstance(tokens, Token) else list(tokens)
        best = self.ex.issues.best(t for t in toks if self.sent.start <= t.i < self.sent.end)
        if best is None:
            return None
        ident, match = best
        matched = set(match.tokens)
        sign, tok = 1, self.doc[match.tokens[0]]
        for _ in range(12):
            lemma = tok.lemma_.lower()
            if tok.i not in matched and (lemma in REVERSERS or lemma in HARM_VERBS) and not (
                    tok.pos_ == "ADP" and tok.head.lemma_.lower() in REVERSERS):  # "deterrent against": once
                sign = -sign
            if is_negated(tok):
                sign = -sign
            if root is None or tok.i == root.i or tok.head.i == tok.i:
                break
            tok = tok.head
        return Target("issue", ident, sign)

    # --- output ---------------------------------------------------------------------------
    def add(self, holder: str, t: Target, polarity: int, act: str, cue_tok: Token, *,
            addressee: str | None = None, negated: bool = False, trust: float = 1.0,
            issue: Issue | None = None) -> None:
        if polarity == 0 or holder == t.id:
            return
        for ident in (holder, t.id, addressee):
            self.m.provisional.discard(ident)
        if t.issue is not None or issue is not None:
            self.new_issues.setdefault(t.id, t.issue or issue)
        sent = cue_tok.sent
        text = sent.text
        start = sent.start_char + (len(text) - len(text.lstrip()))
        end = sent.start_char + len(text.rstrip())
        holder_trust = min((_HOLDER_TRUST.get(m.how, 0.8) for i in range(sent.start, sent.end)
                            if (m := self.m.by_token.get(i)) and m.id == holder), default=0.8)
        confidence = round(0.9 * holder_trust * t.trust * trust, 2)
        self.stances.append(Stance(
            holder=holder, target=t.id, target_kind=t.kind, polarity="support" if polarity > 0 else "oppose",
            speech_act=act, addressee=addressee if addressee != t.id else None, negated=negated,
            confidence=confidence, method=self.ex.method,
            evidence=Evidence(article=self.article.id, quote=self.doc.text[start:end], start=start, end=end)))

    def result(self) -> list[Stance]:
        """One stance per (holder, target, polarity, sentence): the most confident reading."""
        best: dict[tuple, Stance] = {}
        for s in self.stances:
            key = (s.holder, s.target, s.polarity, s.evidence.start)
            if key not in best or s.confidence > best[key].confidence:
                best[key] = s
        return list(best.values())

