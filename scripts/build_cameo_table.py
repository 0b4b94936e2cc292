#!/usr/bin/env python3
"""Builds crates/events/data/cameo.tsv, Entente's own CAMEO code table, from the codebook facts:
the CAMEO-to-PLOVER conversion table of the PLOVER specification (PLOVER type, mode, context and
the CAMEO description of each code) and GDELT's CAMEO Goldstein scale. A code without its own
Goldstein value takes its parent's (the 4-digit codes refine a 3-digit one).

Run from the repository root with the reference data beside it:
    python3 scripts/build_cameo_table.py ../shared/data/eventcoders
"""
import sys
from pathlib import Path

src = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/eventcoders")
out = Path("crates/events/data/cameo.tsv")

goldstein = {}
for line in (src / "cameo/CAMEO.goldsteinscale.txt").read_text().splitlines()[1:]:
    if line.strip():
        code, value = line.split("\t")
        goldstein[code.strip()] = float(value)

def contract_type(code, plover_2021, mode):
    """The export contract names PLOVER's 20 classic event types; the 2021 table folds four of
    them into others. Restore them from the CAMEO root, as the PLOVER gold records use them."""
    root = code[:2]
    if root == "09":
        return "INVESTIGATE", ""
    if root == "10":
        return "DEMAND", ""
    if root == "11":
        return ("ACCUSE" if code.startswith(("112", "114", "115")) else "DISAPPROVE"), ""
    if root == "19":
        return "FIGHT", mode
    return plover_2021, mode


# The 2021 table has no section for CAMEO's appeals (02x); they are the codebook's requests,
# typed REQUEST with the contexts of their 10x (demand) twins.
APPEALS = [
    ("020", "", "Make an appeal or request"), ("021", "", "Appeal for material cooperation"),
    ("0211", "economic", "Appeal for economic cooperation"), ("0212", "military", "Appeal for military cooperation"),
    ("0213", "legal", "Appeal for judicial cooperation"), ("0214", "intelligence", "Appeal for intelligence"),
    ("022", "diplomatic", "Appeal for diplomatic cooperation (such as policy support)"), ("023", "", "Appeal for aid"),
    ("0231", "economic", "Appeal for economic aid"), ("0232", "military", "Appeal for military aid"),
    ("0233", "humanitarian", "Appeal for humanitarian aid"), ("0234", "peacekeeping", "Appeal for military protection or peacekeeping"),
    ("024", "political_institutions", "Appeal for political reform"), ("0241", "executive", "Appeal for change in leadership"),
    ("0242", "executive", "Appeal for policy change"), ("0243", "rights_freedoms", "Appeal for rights"),
    ("0244", "political_institutions", "Appeal for change in institutions, regime"), ("025", "", "Appeal to yield"),
    ("0251", "executive", "Appeal for easing of administrative sanctions"), ("0252", "", "Appeal for easing of popular dissent"),
    ("0253", "legal", "Appeal for release of persons or property"), ("0254", "economic", "Appeal for easing of economic sanctions, boycott, or embargo"),
    ("0255", "diplomatic", "Appeal for target to allow international involvement (non-mediation)"), ("0256", "military", "Appeal for de-escalation of military engagement"),
    ("026", "diplomatic", "Appeal to others to meet or negotiate"), ("027", "diplomatic", "Appeal to others to settle dispute"),
    ("028", "diplomatic", "Appeal to others to engage in or accept mediation"),
]

rows = []
for code, context, description in APPEALS:
    g = goldstein.get(code, goldstein.get(code[:3]))
    rows.append((code, "REQUEST", "", context, "" if g is None else f"{g:.1f}", "REQUEST", description))
for line in (src / "plover/CAMEO2PLOVER-2021.txt").read_text().splitlines():
    if not line.strip() or line.startswith("#") or ":" not in line:
        continue
    code, rest = line.split(":", 1)
    code = code.strip()
    if not code.isdigit() or len(code) < 3:
        continue  # the 2-digit lines are section headings
    rest, _, description = rest.partition("#")
    fields = [f.strip() for f in rest.split(",")] + ["", ""]
    plover, mode, context = fields[0], fields[1], fields[2]
    g = goldstein.get(code, goldstein.get(code[:3], goldstein.get(code[:2])))
    kind, mode = contract_type(code, plover, mode)
    rows.append((code, kind, mode, context, "" if g is None else f"{g:.1f}", plover, description.strip()))

with out.open("w") as f:
    f.write("# Entente's CAMEO table: code, PLOVER event type (the 20 classic types of the export contract), PLOVER\n")
    f.write("# mode and context, Goldstein score, the type in PLOVER's 2021 table, description.\n")
    f.write("# Built by scripts/build_cameo_table.py from the PLOVER specification's CAMEO-to-PLOVER table (Draft 0.8,\n")
    f.write("# Open Event Data Alliance, MIT) and GDELT's CAMEO Goldstein scale. Do not edit by hand: re-run the script.\n")
    f.write("code\tplover\tmode\tcontext\tgoldstein\tplover_2021\tdescription\n")
    for r in sorted(rows):
        f.write("\t".join(r) + "\n")
print(f"wrote {len(rows)} codes to {out}")
