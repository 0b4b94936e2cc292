//! The graph queries: `actor`, `timeline`, `participants`, `relation`, `graph`, `merge`.
//! Each prints plain text for a reader, or JSON with `--json`; every line of evidence names
//! its document, sentence and bytes.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use entente_document::PartialDate;
use entente_graph::{Graph, query::describe};
use entente_store::{Evidence, Store};
use std::io::Write;

#[derive(Subcommand)]
pub enum Query {
    /// An actor's relations and its ties to others by events, strongest first, with evidence.
    Actor {
        /// Id (JPN, NATO, fumio-kishida) or name.
        id: String,
        /// Evidence sentences shown per tie.
        #[arg(long, default_value_t = 2)]
        evidence: usize,
        #[arg(long)]
        json: bool,
    },
    /// What happened to and around an actor, in date order (relations enter on their start).
    Timeline {
        id: String,
        /// First date (yyyy, yyyy-mm or yyyy-mm-dd).
        #[arg(long)]
        from: Option<String>,
        /// Last date (yyyy, yyyy-mm or yyyy-mm-dd), inclusive.
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Who took part in an event (its id) or in the events at a place, one entry a year.
    Participants {
        /// An event id, or a place ("Vilnius").
        query: String,
        #[arg(long)]
        json: bool,
    },
    /// How the relation between two actors changed: events, cooperation, conflict and mean
    /// Goldstein by month.
    Relation {
        a: String,
        b: String,
        #[arg(long)]
        json: bool,
    },
    /// The graph as it stood on a date: relations holding then, events in the window before
    /// it, and the communities of aligned actors.
    Graph {
        /// The date (yyyy, yyyy-mm or yyyy-mm-dd; a year or month means its last day).
        /// Without it, the whole graph.
        #[arg(long)]
        on: Option<String>,
        /// Days before the date whose events count.
        #[arg(long, default_value_t = 365)]
        window_days: i64,
        #[arg(long)]
        json: bool,
    },
    /// Merge new event mentions into events (ingest does this itself); `--rebuild` merges
    /// every event again from its mentions.
    Merge {
        #[arg(long)]
        rebuild: bool,
    },
}

pub fn run(store: &mut Store, query: &Query, quiet: bool) -> Result<()> {
    if let Query::Merge { rebuild } = query {
        let summary = if *rebuild { entente_graph::rebuild(store)? } else { entente_graph::update(store)? };
        if !quiet {
            eprintln!(
                "merged {} mention(s) in {} group(s) into {} event(s)",
                summary.mentions, summary.groups, summary.events
            );
        }
        return Ok(());
    }
    let graph = Graph::load(store).context("cannot read the graph")?;
    let mut out = std::io::stdout().lock();
    let mut texts = Texts(entente_export::DocumentTexts::new(store));
    match query {
        Query::Actor { id, evidence, json } => actor(&graph, &mut texts, &mut out, id, *evidence, *json),
        Query::Timeline { id, from, to, json } => {
            let actor = find(&graph, id)?;
            let entries = graph.timeline(&actor.id, date_arg(from)?, date_arg(to)?);
            if *json {
                return json_out(&mut out, &entries);
            }
            writeln!(out, "Timeline of {} ({}): {} entries", actor.name, actor.id, entries.len())?;
            for t in &entries {
                let date = t.date.map_or("undated".to_string(), |d| d.to_string());
                writeln!(out, "{date:>10}  {}  [{} mention(s)]", t.summary, t.mentions)?;
                if let Some(e) = t.evidence.first() {
                    writeln!(out, "{:>12}{}", "", texts.cite(e)?)?;
                }
            }
            Ok(())
        }
        Query::Participants { query, json } => {
            let found = graph.participants(query);
            if *json {
                return json_out(&mut out, &found);
            }
            if found.is_empty() {
                bail!("no event has the id or takes place at {query:?}");
            }
            for p in &found {
                writeln!(out, "{} ({} event(s)):", p.label, p.event_ids.len())?;
                for (actor, roles) in &p.participants {
                    writeln!(out, "  {:<28} {}", format!("{} ({})", actor.name, actor.id), roles.join(", "))?;
                }
            }
            Ok(())
        }
        Query::Relation { a, b, json } => {
            let (a, b) = (find(&graph, a)?, find(&graph, b)?);
            let months = graph.relation_over_time(&a.id, &b.id);
            if *json {
                return json_out(&mut out, &months);
            }
            writeln!(out, "{} and {}: events that happened, by month", a.name, b.name)?;
            writeln!(out, "{:<10} {:>6} {:>6} {:>6} {:>9}", "period", "events", "coop", "confl", "goldstein")?;
            for m in &months {
                writeln!(
                    out,
                    "{:<10} {:>6} {:>6} {:>6} {:>9.2}",
                    m.period, m.events, m.cooperative, m.conflictual, m.mean_goldstein
                )?;
            }
            Ok(())
        }
        Query::Graph { on, window_days, json } => {
            let snapshot = match date_arg(on)? {
                Some(date) => graph.snapshot(date, *window_days),
                None => graph.whole(),
            };
            let communities = graph.communities(&snapshot);
            if *json {
                return json_out(&mut out, &serde_json::json!({ "snapshot": snapshot, "communities": communities }));
            }
            writeln!(
                out,
                "The graph on {}: {} nodes, {} edges",
                snapshot.date,
                snapshot.nodes.len(),
                snapshot.edges.len()
            )?;
            for e in &snapshot.edges {
                let relations =
                    if e.relations.is_empty() { String::new() } else { format!(" [{}]", e.relations.join(", ")) };
                let events = if e.events == 0 {
                    String::new()
                } else {
                    format!(" {} event(s), mean Goldstein {:.2}", e.events, e.mean_goldstein)
                };
                writeln!(out, "  {} - {}{relations}{events}", e.a, e.b)?;
            }
            writeln!(out, "Communities of aligned actors:")?;
            for c in &communities {
                writeln!(out, "  {} (cohesion {:.1})", c.members.join(", "), c.cohesion)?;
            }
            Ok(())
        }
        Query::Merge { .. } => unreachable!("handled above"),
    }
}

fn actor(graph: &Graph, texts: &mut Texts, out: &mut impl Write, id: &str, per_tie: usize, json: bool) -> Result<()> {
    let actor = find(graph, id)?;
    let summary = graph.ties(&actor.id).context("the actor has no ties")?;
    if json {
        return json_out(out, &summary);
    }
    writeln!(out, "{} ({}, {})", actor.name, actor.id, actor.kind)?;
    writeln!(out, "\nRelations ({}):", summary.relations.len())?;
    for r in &summary.relations {
        let span = match (r.start, r.end) {
            (Some(s), Some(e)) => format!(" {s} to {e}"),
            (Some(s), None) => format!(" since {s}"),
            (None, Some(e)) => format!(" until {e}"),
            (None, None) => String::new(),
        };
        writeln!(out, "  {} ({}) {} of {} ({}){span} [{}]", r.a.name, r.a.id, r.label(), r.b.name, r.b.id, r.source)?;
        if let Some(e) = r.evidence.first() {
            writeln!(out, "      {}", texts.cite(e)?)?;
        }
    }
    writeln!(out, "\nTies by events ({} counterparts):", summary.ties.len())?;
    for t in &summary.ties {
        let period = match (t.first, t.last) {
            (Some(f), Some(l)) if f == l => format!(", {f}"),
            (Some(f), Some(l)) => format!(", {f} .. {l}"),
            _ => String::new(),
        };
        let types: Vec<String> = t.types.iter().map(|(k, n)| format!("{k} {n}")).collect();
        writeln!(
            out,
            "  {} ({}): {} event(s), {} cooperative, {} conflictual, mean Goldstein {:.2}{period}; {}",
            t.counterpart.name,
            t.counterpart.id,
            t.events,
            t.cooperative,
            t.conflictual,
            t.mean_goldstein,
            types.join(", ")
        )?;
        for event_id in t.event_ids.iter().take(per_tie) {
            let Some(e) = graph.events.iter().find(|e| &e.id == event_id) else { continue };
            let date = e.date.map_or("undated".to_string(), |d| d.to_string());
            writeln!(out, "      {date}: {} [{} mention(s)]", describe(e), e.mentions)?;
            if let Some(ev) = e.evidence.first() {
                writeln!(out, "        {}", texts.cite(ev)?)?;
            }
        }
    }
    Ok(())
}

fn find(graph: &Graph, id: &str) -> Result<entente_graph::ActorRef> {
    graph.find_actor(id).with_context(|| format!("no actor {id:?} in the store (try its code: JPN, NATO, ...)"))
}

fn date_arg(arg: &Option<String>) -> Result<Option<PartialDate>> {
    arg.as_deref()
        .map(|s| {
            PartialDate::parse_iso(s).with_context(|| format!("{s:?} is not a date (yyyy, yyyy-mm or yyyy-mm-dd)"))
        })
        .transpose()
}

fn json_out(out: &mut impl Write, value: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Evidence quoted from its document.
struct Texts<'s>(entente_export::DocumentTexts<'s>);

impl Texts<'_> {
    /// `"the sentence's span" (doc 001, sentence 4, bytes 120..180, rule)`.
    fn cite(&mut self, e: &Evidence) -> Result<String> {
        let quote = self.0.quote(e)?.replace('\n', " ");
        Ok(format!("\"{quote}\" ({}, sentence {}, bytes {}..{}, {})", e.doc, e.sentence, e.start, e.end, e.rule))
    }
}
