//! The matching rules of the article scorer, case by case, on small hand-made facts: lenient on
//! form (a person stands for their state, PLOVER types map to families), strict on substance
//! (actors, direction, polarity, year and month). Where score_facts.py and a python3 are here,
//! every case is also scored by the script, which must agree.

mod common;

use entente_evaluate::articles::score;
use serde_json::{Map, Value, json};

/// One case: the export, the gold (the fact judged has id `g`; others give context, as a role
/// row gives a person's state), and which gold ids are found.
struct Case {
    name: &'static str,
    facts: Vec<Value>,
    gold: Vec<Value>,
    found: &'static [(&'static str, bool)],
}

fn state(id: &str) -> Value {
    json!({"id": id, "type": "state", "name": id})
}

fn person(id: &str, name: &str, country: Option<&str>) -> Value {
    json!({"id": id, "type": "person", "name": name, "country": country})
}

fn event(source: Value, target: Value, plover: &str, date: Option<&str>) -> Value {
    json!({"schema": "entente.fact/1", "id": "e", "kind": "event", "source": source, "target": target,
           "others": [], "plover": plover, "modality": "asserted", "date": date, "location": null,
           "evidence": [{"doc": "d", "sentence": 0, "start": 0, "end": 1, "text": "They met.", "rule": "t"}]})
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

fn gold(kind: &str, fields: Value) -> Value {
    let mut g = json!({"id": "g", "kind": kind, "docs": ["d"], "half": "tune", "note": ""});
    g.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    g
}

fn kishida_role() -> Value {
    with(gold("role", json!({"person": "Fumio Kishida", "role": "prime minister", "of": "JPN"})), "id", json!("ctx"))
}

fn criticize(who: &str, whom: &str) -> Value {
    gold("criticize", json!({"who": who, "whom": whom}))
}

const FOUND: &[(&str, bool)] = &[("g", true)];
const MISSED: &[(&str, bool)] = &[("g", false)];

fn people_and_states() -> Vec<Case> {
    vec![
        Case {
            name: "a person in the gold stands for their state (from the gold's roles)",
            facts: vec![event(state("JPN"), state("CHN"), "DISAPPROVE", None)],
            gold: vec![kishida_role(), criticize("Fumio Kishida", "CHN")],
            found: &[("g", true), ("ctx", false)],
        },
        Case {
            name: "an exported person stands for their state",
            facts: vec![event(person("fumio-kishida", "Fumio Kishida", Some("JPN")), state("CHN"), "DISAPPROVE", None)],
            gold: vec![criticize("JPN", "CHN")],
            found: FOUND,
        },
        Case {
            name: "a surname names the person",
            facts: vec![event(person("kishida", "Kishida", None), state("CHN"), "DISAPPROVE", None)],
            gold: vec![criticize("Fumio Kishida", "CHN")],
            found: FOUND,
        },
        Case {
            name: "another person of the same state is not the person",
            facts: vec![event(person("shinzo-abe", "Shinzo Abe", Some("JPN")), state("CHN"), "DISAPPROVE", None)],
            gold: vec![criticize("Fumio Kishida", "CHN")],
            found: MISSED,
        },
        Case {
            name: "an organisation's long name is its short one",
            facts: vec![event(
                json!({"id": "NATO", "type": "organization", "name": "NATO"}),
                state("RUS"),
                "ACCUSE",
                None,
            )],
            gold: vec![criticize("North Atlantic Treaty Organization", "RUS")],
            found: MISSED, // a gold name with lower-case letters is a person's, not an id
        },
        Case {
            name: "a gold list holds for each actor listed",
            facts: vec![event(state("USA"), state("CHN"), "DISAPPROVE", None)],
            gold: vec![gold("criticize", json!({"who": ["USA", "GBR"], "whom": "CHN"}))],
            found: &[("g.0", true), ("g.1", false)],
        },
    ]
}

fn direction() -> Vec<Case> {
    let others = with(event(state("USA"), state("RUS"), "DISAPPROVE", None), "others", json!([state("CHN")]));
    vec![
        Case {
            name: "the source is the gold's who",
            facts: vec![event(state("USA"), state("CHN"), "DISAPPROVE", None)],
            gold: vec![criticize("USA", "CHN")],
            found: FOUND,
        },
        Case {
            name: "the wrong way round is a miss",
            facts: vec![event(state("CHN"), state("USA"), "DISAPPROVE", None)],
            gold: vec![criticize("USA", "CHN")],
            found: MISSED,
        },
        Case {
            name: "a target among the other participants counts",
            facts: vec![others],
            gold: vec![criticize("USA", "CHN")],
            found: FOUND,
        },
        Case {
            name: "a visit either way round is a meeting of the two",
            facts: vec![event(state("CHN"), state("USA"), "CONSULT", None)],
            gold: vec![gold("visit", json!({"who": "USA", "to": "CHN"}))],
            found: FOUND,
        },
    ]
}

fn polarity() -> Vec<Case> {
    let negated = with(event(state("USA"), state("CHN"), "DISAPPROVE", None), "modality", json!("negated"));
    let hypothetical = with(event(state("RUS"), state("UKR"), "ASSAULT", None), "modality", json!("hypothetical"));
    let planned = with(
        event(state("USA"), state("CHN"), "AGREE", None),
        "evidence",
        json!([{"doc": "d", "text": "They agreed to meet in May."}]),
    );
    vec![
        Case {
            name: "support is not criticism",
            facts: vec![event(state("USA"), state("CHN"), "SUPPORT", None)],
            gold: vec![criticize("USA", "CHN")],
            found: MISSED,
        },
        Case {
            name: "an accusation is criticism",
            facts: vec![event(state("USA"), state("CHN"), "ACCUSE", None)],
            gold: vec![criticize("USA", "CHN")],
            found: FOUND,
        },
        Case {
            name: "a negated event did not happen",
            facts: vec![negated],
            gold: vec![criticize("USA", "CHN")],
            found: MISSED,
        },
        Case {
            name: "a hypothetical attack did not happen",
            facts: vec![hypothetical],
            gold: vec![gold("attack", json!({"who": "RUS", "whom": "UKR"}))],
            found: MISSED,
        },
        Case {
            name: "an agreement to meet is a planned meeting",
            facts: vec![planned.clone()],
            gold: vec![gold("meet", json!({"a": "USA", "b": "CHN", "modality": "planned"}))],
            found: FOUND,
        },
        Case {
            name: "... and not a meeting that happened",
            facts: vec![planned],
            gold: vec![gold("meet", json!({"a": "USA", "b": "CHN"}))],
            found: MISSED,
        },
    ]
}

fn date_case(name: &'static str, when: &str, date: Option<&str>, found: &'static [(&'static str, bool)]) -> Case {
    Case {
        name,
        facts: vec![event(state("USA"), state("CHN"), "DISAPPROVE", date)],
        gold: vec![gold("criticize", json!({"who": "USA", "whom": "CHN", "when": when}))],
        found,
    }
}

fn dates() -> Vec<Case> {
    vec![
        date_case("the same month", "2023-07", Some("2023-07-12"), FOUND),
        date_case("another month", "2023-07", Some("2023-08-01"), MISSED),
        date_case("a gold year takes any month of it", "2023", Some("2023-11-02"), FOUND),
        date_case("another year", "2023", Some("2022"), MISSED),
        date_case("another day of the same month", "2023-07-11", Some("2023-07-30"), FOUND),
        date_case("an undated event is not contradicted", "2023-07", None, FOUND),
        date_case("a year-only event agrees with a month of it", "2023-07", Some("2023"), FOUND),
        date_case("a gold range is read from its start", "2023-07-11/2023-08-02", Some("2023-07"), FOUND),
    ]
}

fn family_case(kind: &'static str, plover: &str, found: &'static [(&'static str, bool)]) -> Case {
    Case {
        name: kind,
        facts: vec![event(state("RUS"), state("UKR"), plover, None)],
        gold: vec![gold(kind, json!({"who": "RUS", "whom": "UKR"}))],
        found,
    }
}

fn families() -> Vec<Case> {
    vec![
        family_case("attack", "FIGHT", FOUND),
        family_case("attack", "ASSAULT", FOUND),
        family_case("attack", "DISAPPROVE", MISSED),
        family_case("sanction", "COERCE", FOUND),
        family_case("sanction", "SANCTION", FOUND),
        family_case("threaten", "THREATEN", FOUND),
        family_case("threaten", "ASSAULT", MISSED),
        family_case("aid", "COOPERATE", FOUND),
        family_case("arms_sale", "AID", FOUND),
        family_case("support", "CONCEDE", FOUND),
        family_case("approve", "DISAPPROVE", MISSED),
        family_case("refuse", "REJECT", FOUND),
        family_case("oppose", "PROTEST", FOUND),
    ]
}

fn role_fact(role: &str, of: &str) -> Value {
    json!({"kind": "role", "person": person("fumio-kishida", "Fumio Kishida", Some("JPN")), "role": role, "of": state(of), "evidence": []})
}

fn other_kinds() -> Vec<Case> {
    let role_gold = || gold("role", json!({"person": "Fumio Kishida", "role": "prime minister", "of": "JPN"}));
    let nato = json!({"id": "NATO", "type": "organization", "name": "NATO"});
    let membership =
        |status: &str| json!({"kind": "membership", "member": state("FIN"), "group": nato, "status": status});
    let summit = with(
        event(state("USA"), state("LTU"), "CONSULT", Some("2023-07-11")),
        "location",
        json!({"name": "Vilnius", "country": "LTU"}),
    );
    let partnership = json!({"kind": "partnership", "a": state("JPN"), "b": state("GBR"), "name": "Hiroshima Accord", "evidence": []});
    vec![
        Case {
            name: "a role shares a word",
            facts: vec![role_fact("prime minister", "JPN")],
            gold: vec![role_gold()],
            found: FOUND,
        },
        Case {
            name: "a role of another state",
            facts: vec![role_fact("prime minister", "KOR")],
            gold: vec![role_gold()],
            found: MISSED,
        },
        Case {
            name: "a role with no word in common",
            facts: vec![role_fact("president", "JPN")],
            gold: vec![role_gold()],
            found: MISSED,
        },
        Case {
            name: "a member",
            facts: vec![membership("member")],
            gold: vec![gold("member", json!({"member": "FIN", "group": "NATO"}))],
            found: FOUND,
        },
        Case {
            name: "an applicant is not a member",
            facts: vec![membership("applicant")],
            gold: vec![gold("member", json!({"member": "FIN", "group": "NATO"}))],
            found: MISSED,
        },
        Case {
            name: "a former member withdrew",
            facts: vec![membership("former")],
            gold: vec![gold("withdraw", json!({"member": "FIN", "group": "NATO"}))],
            found: FOUND,
        },
        Case {
            name: "a summit by place and date",
            facts: vec![summit.clone()],
            gold: vec![gold("summit", json!({"id": "g", "where": "Vilnius", "when": "2023-07", "host": "NATO"}))],
            found: FOUND,
        },
        Case {
            name: "attending a summit the gold describes",
            facts: vec![with(summit, "others", json!([nato]))],
            gold: vec![
                with(gold("summit", json!({"where": "Vilnius", "when": "2023-07", "host": "NATO"})), "id", json!("s")),
                gold("attend", json!({"who": ["USA", "LTU"], "event": "s"})),
            ],
            found: &[("g", true), ("s", true)],
        },
        Case {
            name: "an agreement by its partnership's name",
            facts: vec![partnership.clone()],
            gold: vec![gold("agreement", json!({"parties": ["JPN", "GBR"], "name": "Hiroshima Accord"}))],
            found: FOUND,
        },
        Case {
            name: "an agreement by another name",
            facts: vec![partnership],
            gold: vec![gold("agreement", json!({"parties": ["JPN", "GBR"], "name": "Reciprocal Access Agreement"}))],
            found: MISSED,
        },
        Case {
            name: "a document's date",
            facts: vec![json!({"kind": "document", "doc": "d-1", "date": "2023-07-12"})],
            gold: vec![gold("doc_date", json!({"doc": "d", "when": "2023-07"}))],
            found: FOUND,
        },
    ]
}

fn all_cases() -> Vec<Case> {
    [people_and_states(), direction(), polarity(), dates(), families(), other_kinds()].into_iter().flatten().collect()
}

fn rows(gold: &[Value]) -> Vec<Map<String, Value>> {
    gold.iter().map(|g| g.as_object().unwrap().clone()).collect()
}

fn facts_jsonl(facts: &[Value]) -> String {
    facts.iter().map(|f| serde_json::to_string(f).unwrap() + "\n").collect()
}

#[test]
fn matching_rules() {
    let mut wrong = Vec::new();
    for case in all_cases() {
        let s = score(&facts_jsonl(&case.facts), &rows(&case.gold));
        for (id, expected) in case.found {
            let missed = s.misses.iter().any(|m| m.id == *id);
            if missed == *expected {
                wrong.push(format!("{}: {id} expected found={expected}", case.name));
            }
        }
        assert_eq!(s.total(), s.misses.len() + s.found(), "{}", case.name);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Event facts whose actor pair no gold fact links, among the documents the gold covers.
#[test]
fn unsupported_counts_unlinked_pairs_of_covered_documents() {
    let elsewhere =
        with(event(state("USA"), state("FRA"), "CONSULT", None), "evidence", json!([{"doc": "other", "text": ""}]));
    let facts = vec![
        event(state("USA"), state("CHN"), "DISAPPROVE", None),
        event(person("xi-jinping", "Xi Jinping", Some("CHN")), state("USA"), "ACCUSE", None),
        event(state("USA"), state("FRA"), "CONSULT", None),
        event(state("USA"), Value::Null, "CONSULT", None),
        elsewhere,
    ];
    let s = score(&facts_jsonl(&facts), &rows(&[criticize("USA", "CHN")]));
    // USA-CHN is linked (either way round, a person as their state); USA-FRA is not; no target
    // and another document are not counted.
    assert_eq!((s.unsupported, s.events), (1, 3));
    assert!((s.precision() - 2.0 / 3.0).abs() < 1e-9);
    assert!((s.f1() - 0.8).abs() < 1e-9, "recall 1, precision 2/3: F1 0.8, got {}", s.f1());
}

/// Every case, scored by score_facts.py: the script and the port agree on each.
#[test]
fn matching_rules_agree_with_score_facts_py() {
    let Some(script) = common::python_scorer("matching_rules_agree_with_score_facts_py") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (facts, gold) = (tmp.path().join("facts.jsonl"), tmp.path().join("gold.jsonl"));
    for case in all_cases() {
        std::fs::write(&facts, facts_jsonl(&case.facts)).unwrap();
        common::write_jsonl(&gold, &case.gold);
        let ours = common::as_python_prints(&score(&facts_jsonl(&case.facts), &rows(&case.gold)));
        assert_eq!(ours, common::run_python(&script, &facts, &gold), "{}", case.name);
    }
}
