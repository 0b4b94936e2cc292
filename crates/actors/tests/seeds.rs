//! The actors and office-holders of the seed articles against hand-checked gold
//! (`gold/seed_actors.tsv`): prints precision and recall and pins floors.

use entente_actors::{KnowledgeBase, MentionFinder, annotate};
use entente_document::{Document, Metadata};
use std::collections::BTreeSet;

const GOLD: &str = include_str!("gold/seed_actors.tsv");

fn gold(doc: &str, kind: &str) -> BTreeSet<String> {
    GOLD.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() == 3 && f[0] == doc && f[1] == kind)
                .then(|| f[2].split(if kind == "roles" { ';' } else { ' ' }).map(str::to_string).collect::<Vec<_>>())
        })
        .flatten()
        .collect()
}

fn score(name: &str, found: &BTreeSet<String>, gold: &BTreeSet<String>, totals: &mut (usize, usize, usize)) {
    let tp = found.intersection(gold).count();
    totals.0 += tp;
    totals.1 += found.len() - tp;
    totals.2 += gold.len() - tp;
    let extra: Vec<_> = found.difference(gold).collect();
    let missed: Vec<_> = gold.difference(found).collect();
    println!("  {name}: extra {extra:?}, missed {missed:?}");
}

#[test]
fn seed_actors_and_roles_match_the_gold() {
    let Some(seeds) = entente_testdata::shared_or_skip("seed_actors_and_roles", "corpus/seeds") else {
        return;
    };
    let finder = MentionFinder::new(KnowledgeBase::builtin());
    let mut files: Vec<_> = std::fs::read_dir(&seeds).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let (mut actors, mut roles) = ((0, 0, 0), (0, 0, 0));
    for path in files {
        let id = path.file_name().unwrap().to_string_lossy()[..3].to_string();
        let doc = Document::new(id.clone(), std::fs::read_to_string(&path).unwrap(), Metadata::default());
        let found = annotate(&doc, &finder, &[]);
        let found_actors: BTreeSet<String> = found
            .mentions
            .iter()
            .filter(|m| m.kind != entente_actors::ActorKind::Person)
            .map(|m| m.actor.clone())
            .collect();
        let found_roles: BTreeSet<String> =
            found.roles.iter().map(|r| format!("{}|{}|{}", r.person, r.role, r.of)).collect();
        println!("seed {id}");
        score("actors", &found_actors, &gold(&id, "actors"), &mut actors);
        score("roles", &found_roles, &gold(&id, "roles"), &mut roles);
    }
    let prf = |(tp, fp, fn_): (usize, usize, usize)| (tp as f64 / (tp + fp) as f64, tp as f64 / (tp + fn_) as f64);
    let (ap, ar) = prf(actors);
    let (rp, rr) = prf(roles);
    println!("actors: precision {ap:.3}, recall {ar:.3}; roles: precision {rp:.3}, recall {rr:.3}");
    assert!(ar >= 0.97 && ap >= 0.95, "actors P {ap:.3} R {ar:.3}");
    assert!(rr >= 0.95 && rp >= 0.95, "roles P {rp:.3} R {rr:.3}");
}

#[test]
fn ap4_is_one_grouping_with_four_members_whatever_it_is_called() {
    let kb = KnowledgeBase::builtin();
    let finder = MentionFinder::new(kb);
    let text = "The AP4, also called the IP4 or the Asia-Pacific partners, met the Atlantic Alliance, Nato and NATO.";
    let ids: Vec<String> = finder.find(text).into_iter().map(|m| m.actor).collect();
    assert_eq!(ids, ["AP4", "AP4", "AP4", "NATO", "NATO", "NATO"]);
    let members: BTreeSet<&str> = kb.members_of("AP4").map(|m| m.member.as_str()).collect();
    assert_eq!(members, BTreeSet::from(["AUS", "JPN", "KOR", "NZL"]));
}
