#!/usr/bin/env python3
"""Metamorphic variants of evaluation cases (docs/engine.md section 8).

usage: metamorphic.py CASES.jsonl OUT.jsonl VARIANT[,VARIANT...] [--followups]

Writes, for each case of CASES (single-turn cases; with --followups the
cases of two or more turns, varying the last), one case per VARIANT whose
question is reworded as people do and whose expectation is unchanged, with
id "ID~VARIANT". An answer that passed and stops passing under a variant is
a wording the engine does not stand up to. Variants:

  p1-p6     a sentence about the asker before the question
  g1-g6     a greeting before it
  w1-w6     a lead-in ("Question:", "Just curious,")
  s1-s6     a sign-off after it ("cheers x", "pls help")
  caps      in capitals
  lower     in lower case without stops
  lp4-lp6   lower case without stops after sentence p4-p6
  swap, drop, double   a letter of its longest word swapped, dropped, doubled
Standard library only.
"""
import json
import re
import sys

PRE = {
    "p1": "I'm a careers adviser at a secondary school and I get asked this a lot. ",
    "p2": "My son is 15 and he loves science but hates blood. ",
    "p3": "Quick question from a Year 12 student. ",
    "p4": "Hello! I'm thinking about changing career after ten years in retail. ",
    "p5": "Sorry if this is a silly question, my mum works in a hospital and told me to ask. ",
    "p6": "I have an interview at the hospital next month. ",
}
GREET = {"g1": "hi ", "g2": "Hello there, ", "g3": "hey bot, ", "g4": "Good morning! ", "g5": "yo ",
         "g6": "Hiya, quick one: "}
LEAD = {"w1": "Can you tell me: ", "w2": "I was wondering, ", "w3": "Please help - ", "w4": "Question: ",
        "w5": "Just curious, ", "w6": "Random one but "}
SIGN = {"s1": " thanks", "s2": " cheers x", "s3": " any help appreciated", "s4": " ty", "s5": " pls help",
        "s6": "??"}


def lower_first(q):
    # keep a word in capitals as it is ("LD nurses", "HCAs")
    w = q.split(" ", 1)[0]
    return q if len(w) > 1 and w[1:2].isupper() else q[:1].lower() + q[1:]


def typo(q, kind):
    ws = q.split()
    idx = [i for i, w in enumerate(ws) if len(re.sub(r"\W", "", w)) >= 7]
    if not idx:
        return None
    i = max(idx, key=lambda i: len(ws[i]))
    w, k = ws[i], len(ws[i]) // 2
    if kind == "swap":
        ws[i] = w[:k] + w[k + 1] + w[k] + w[k + 2:]
    elif kind == "drop":
        ws[i] = w[:k] + w[k + 1:]
    else:
        ws[i] = w[:k] + w[k] + w[k:]
    return " ".join(ws)


def no_stops(q):
    return re.sub(r"[?.!,]", "", q.lower())


def variant(name, q):
    if name in PRE:
        return PRE[name] + q[:1].upper() + q[1:]
    if name in GREET:
        return GREET[name] + lower_first(q)
    if name in LEAD:
        return LEAD[name] + lower_first(q)
    if name in SIGN:
        return q.rstrip("?.!") + ("" if name == "s6" else "?") + SIGN[name]
    if name == "caps":
        return q.upper()
    if name == "lower":
        return no_stops(q)
    if name in ("lp4", "lp5", "lp6"):
        return no_stops(PRE["p" + name[2]] + q)
    if name in ("swap", "drop", "double"):
        return typo(q, name)
    raise SystemExit(f"metamorphic: unknown variant {name!r}")


def main():
    args = [a for a in sys.argv[1:] if a != "--followups"]
    followups = "--followups" in sys.argv[1:]
    if len(args) != 3:
        raise SystemExit(__doc__)
    src, out, names = args[0], args[1], args[2].split(",")
    with open(src, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as w:
        for line in f:
            if not line.strip():
                continue
            c = json.loads(line)
            if (len(c["turns"]) > 1) != followups:
                continue
            for name in names:
                q = c["turns"][-1]
                v = variant(name, q)
                if not v or v == q:
                    continue
                d = dict(c, id=c["id"] + "~" + name, turns=c["turns"][:-1] + [v],
                         tags=list(c["tags"]) + ["meta-" + name])
                w.write(json.dumps(d, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
