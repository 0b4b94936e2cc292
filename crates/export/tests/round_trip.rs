//! Each export format read back with a real reader (the `csv` crate, parquet's Arrow reader,
//! quick-xml) and compared with the facts of a store that the real pipeline built from the
//! example articles in `examples/`.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use entente_export::{export_csv, export_graphml, export_parquet};
use entente_ingest::{IngestOptions, ingest};
use entente_store::{Evidence, Store};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use quick_xml::events::{BytesStart, Event};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

fn example_store() -> Store {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut store = Store::open_in_memory().unwrap();
    let summary = ingest(&mut store, &[examples], IngestOptions::default(), |_| {}).unwrap();
    assert!(summary.stored >= 10, "the examples are ingested: {summary:?}");
    store
}

/// Expected cells of the events table, by column name (`None`: empty or null), worked out
/// from the store's facts and documents directly.
type Expected = BTreeMap<&'static str, Option<String>>;

fn expected_events(store: &Store) -> Vec<Expected> {
    let urls: HashMap<String, Option<String>> =
        store.document_summaries().unwrap().into_iter().map(|d| (d.id, d.url)).collect();
    let events = store.facts("event").unwrap();
    assert!(events.len() >= 20, "the examples give events: {}", events.len());
    events
        .iter()
        .map(|(fact, evidence)| expected_event(&fact.id, fact.confidence, &fact.body, evidence, &urls))
        .collect()
}

fn expected_event(
    id: &str,
    confidence: f64,
    body: &str,
    evidence: &[Evidence],
    urls: &HashMap<String, Option<String>>,
) -> Expected {
    let body: Value = serde_json::from_str(body).unwrap();
    let text = |v: &Value| v.as_str().map(str::to_string);
    let cameo = body["cameo"].as_str().unwrap();
    let date = body["date"].as_str();
    let first = &evidence[0];
    let sentences: BTreeSet<(&str, usize)> = evidence.iter().map(|e| (e.doc.as_str(), e.sentence)).collect();
    let docs: BTreeSet<&str> = evidence.iter().map(|e| e.doc.as_str()).collect();
    let quad = match cameo[..2].parse::<u8>().unwrap() {
        1..=5 => 1,
        6..=8 => 2,
        9..=13 => 3,
        _ => 4,
    };
    let country = |actor: &Value| if actor["type"] == "state" { text(&actor["id"]) } else { text(&actor["country"]) };
    BTreeMap::from([
        ("GLOBALEVENTID", Some(id.to_string())),
        ("SQLDATE", date.map(|d| d.replace('-', ""))),
        ("Year", date.map(|d| d[..4].to_string())),
        (
            "DatePrecision",
            Some(
                match date.map(str::len) {
                    Some(10) => "day",
                    Some(7) => "month",
                    Some(4) => "year",
                    _ => "none",
                }
                .to_string(),
            ),
        ),
        ("Actor1Code", text(&body["source"]["id"])),
        ("Actor1Name", text(&body["source"]["name"])),
        ("Actor1CountryCode", country(&body["source"])),
        ("Actor2Code", text(&body["target"]["id"])),
        ("Actor2Name", text(&body["target"]["name"])),
        ("Actor2CountryCode", country(&body["target"])),
        ("EventCode", Some(cameo.to_string())),
        ("EventBaseCode", Some(cameo[..3].to_string())),
        ("EventRootCode", Some(cameo[..2].to_string())),
        ("QuadClass", Some(quad.to_string())),
        ("GoldsteinScale", body["goldstein"].as_f64().map(|g| g.to_string())),
        ("NumMentions", Some(body["mentions"].as_u64().map_or(sentences.len(), |n| n as usize).to_string())),
        ("NumArticles", Some(body["documents"].as_u64().map_or(docs.len(), |n| n as usize).to_string())),
        ("ActionGeo_FullName", text(&body["location"]["name"])),
        ("ActionGeo_CountryCode", text(&body["location"]["country"])),
        ("SOURCEURL", urls[&first.doc].clone()),
        ("PloverType", text(&body["plover"])),
        ("PloverMode", text(&body["mode"])),
        ("Modality", text(&body["modality"])),
        ("Confidence", Some(confidence.to_string())),
        ("EvidenceDoc", Some(first.doc.clone())),
        ("EvidenceSentence", Some(first.sentence.to_string())),
        ("EvidenceStart", Some(first.start.to_string())),
        ("EvidenceEnd", Some(first.end.to_string())),
        ("Rule", Some(first.rule.clone())),
    ])
}

#[test]
fn csv_reads_back_as_the_store_events() {
    let store = example_store();
    let expected = expected_events(&store);
    let mut out = Vec::new();
    assert_eq!(export_csv(&store, &mut out).unwrap(), expected.len());

    let mut reader = csv::ReaderBuilder::new().delimiter(b'\t').from_reader(out.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "GLOBALEVENTID");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), expected.len());
    for (row, want) in rows.iter().zip(&expected) {
        assert_eq!(row.len(), headers.len());
        let field = |name: &str| &row[headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name}"))];
        for (column, value) in want {
            assert_eq!(field(column), value.as_deref().unwrap_or(""), "{column} of {}", &row[0]);
        }
        assert!(matches!(field("IsRootEvent"), "0" | "1"));
        let articles: usize = field("NumArticles").parse().unwrap();
        let sources: usize = field("NumSources").parse().unwrap();
        assert!((1..=articles).contains(&sources), "a source has at least one article");
    }
}

#[test]
fn parquet_reads_back_as_the_store_events_with_types() {
    let store = example_store();
    let expected = expected_events(&store);
    let dir = tempfile::tempdir().unwrap();
    let (events_path, relations_path) = (dir.path().join("events.parquet"), dir.path().join("relations.parquet"));
    let create = |p: &Path| std::fs::File::create(p).unwrap();
    let counts = export_parquet(&store, create(&events_path), create(&relations_path)).unwrap();
    assert_eq!(counts.events, expected.len());

    let events = read_parquet(&events_path);
    let schema = events.schema();
    let type_of = |name: &str| schema.field_with_name(name).unwrap().data_type().clone();
    assert_eq!(type_of("SQLDATE"), DataType::Int32);
    assert_eq!(type_of("DATEADDED"), DataType::Int32);
    assert_eq!(type_of("GoldsteinScale"), DataType::Float64);
    assert_eq!(type_of("NumMentions"), DataType::Int32);
    assert_eq!(type_of("IsRootEvent"), DataType::Boolean);
    assert!(schema.field_with_name("Actor2Code").unwrap().is_nullable());
    assert!(!schema.field_with_name("GLOBALEVENTID").unwrap().is_nullable());
    assert_eq!(events.num_rows(), expected.len());
    for (i, want) in expected.iter().enumerate() {
        for (column, value) in want {
            let array = events.column_by_name(column).unwrap_or_else(|| panic!("{column}"));
            assert_eq!(cell_text(array.as_ref(), i), *value, "{column} of row {i}");
        }
    }

    let relations = read_parquet(&relations_path);
    let kinds = ["role", "membership", "partnership"];
    let facts: Vec<String> = kinds.iter().flat_map(|k| store.facts(k).unwrap()).map(|(f, _)| f.id).collect();
    assert!(!facts.is_empty());
    assert_eq!((counts.relations, relations.num_rows()), (facts.len(), facts.len()));
    let ids = relations.column_by_name("FactId").unwrap().as_string::<i32>();
    assert_eq!(ids.iter().map(|s| s.unwrap().to_string()).collect::<Vec<_>>(), facts);
}

fn read_parquet(path: &Path) -> RecordBatch {
    let file = std::fs::File::open(path).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    let mut batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
    // The reader splits at 1024 rows; the example tables are smaller.
    assert_eq!(batches.len(), 1);
    batches.remove(0)
}

/// A Parquet value as the CSV export writes it.
fn cell_text(array: &dyn Array, i: usize) -> Option<String> {
    if array.is_null(i) {
        return None;
    }
    Some(match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().value(i).to_string(),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(i).to_string(),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(i).to_string(),
        DataType::Float64 => array.as_primitive::<Float64Type>().value(i).to_string(),
        DataType::Boolean => (array.as_boolean().value(i) as u8).to_string(),
        other => panic!("unexpected type {other}"),
    })
}

/// What a GraphML file declares, as an XML parser reads it.
#[derive(Default)]
struct Graph {
    /// key id -> (for, attr.name, attr.type)
    keys: HashMap<String, (String, String, String)>,
    nodes: BTreeSet<String>,
    /// (source, target, data by attr.name)
    edges: Vec<(String, String, HashMap<String, String>)>,
}

fn attr(e: &BytesStart, name: &str) -> String {
    e.try_get_attribute(name)
        .unwrap()
        .unwrap_or_else(|| panic!("{name} missing"))
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .unwrap()
        .into_owned()
}

fn parse_graphml(xml: &str) -> Graph {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut graph = Graph::default();
    let mut data: Option<HashMap<String, String>> = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Empty(e) if e.name().as_ref() == "key" => {
                let key = (attr(&e, "for"), attr(&e, "attr.name"), attr(&e, "attr.type"));
                assert!(graph.keys.insert(attr(&e, "id"), key).is_none(), "key ids are unique");
            }
            Event::Start(e) if e.name().as_ref() == "node" => {
                assert!(graph.nodes.insert(attr(&e, "id")), "node ids are unique");
            }
            Event::Start(e) if e.name().as_ref() == "edge" => {
                graph.edges.push((attr(&e, "source"), attr(&e, "target"), HashMap::new()));
                data = Some(HashMap::new());
            }
            Event::End(e) if e.name().as_ref() == "edge" => graph.edges.last_mut().unwrap().2 = data.take().unwrap(),
            Event::Start(e) if e.name().as_ref() == "data" => {
                let key = attr(&e, "key");
                let raw = reader.read_text(e.name()).unwrap().into_inner().into_owned();
                let value = quick_xml::escape::unescape(&raw).unwrap().into_owned();
                let (domain, name, _) = graph.keys.get(&key).unwrap_or_else(|| panic!("key {key} is declared"));
                if let Some(data) = &mut data {
                    assert_eq!(domain, "edge");
                    data.insert(name.clone(), value);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    graph
}

#[test]
fn graphml_parses_back_with_declared_ends_and_store_counts() {
    let store = example_store();
    let mut out = Vec::new();
    let counts = export_graphml(&store, &mut out).unwrap();
    let graph = parse_graphml(std::str::from_utf8(&out).unwrap());

    assert_eq!(graph.nodes.len(), counts.nodes);
    for (_, _, ty) in graph.keys.values() {
        assert!(["string", "int", "double"].contains(&ty.as_str()));
    }
    let actors: BTreeSet<String> = store
        .facts("actor")
        .unwrap()
        .into_iter()
        .map(|(f, _)| serde_json::from_str::<Value>(&f.body).unwrap()["actor"]["id"].as_str().unwrap().to_string())
        .collect();
    assert!(actors.is_subset(&graph.nodes), "every actor is a node");
    for (source, target, _) in &graph.edges {
        assert!(graph.nodes.contains(source) && graph.nodes.contains(target), "{source} -> {target} are nodes");
    }

    // Events with a target, counted per (source, target, PLOVER type), as the edges say.
    let mut want: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for (fact, _) in store.facts("event").unwrap() {
        let body: Value = serde_json::from_str(&fact.body).unwrap();
        if let Some(target) = body["target"]["id"].as_str() {
            let key =
                (body["source"]["id"].as_str().unwrap().into(), target.into(), body["plover"].as_str().unwrap().into());
            *want.entry(key).or_default() += 1;
        }
    }
    let got: BTreeMap<(String, String, String), usize> = graph
        .edges
        .iter()
        .filter(|(_, _, d)| d["kind"] == "event")
        .map(|(s, t, d)| ((s.clone(), t.clone(), d["plover"].clone()), d["count"].parse().unwrap()))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);
    assert_eq!(counts.event_edges, want.len());
    for (_, _, d) in graph.edges.iter().filter(|(_, _, d)| d["kind"] == "event") {
        assert!(["-1", "0", "1"].contains(&d["sign"].as_str()));
        assert!(d.get("first_date") <= d.get("last_date"));
    }

    // One edge per role, membership and partnership fact.
    for kind in ["role", "membership", "partnership"] {
        let facts: BTreeSet<String> = store.facts(kind).unwrap().into_iter().map(|(f, _)| f.id).collect();
        let edges: BTreeSet<String> =
            graph.edges.iter().filter(|(_, _, d)| d["kind"] == kind).map(|(_, _, d)| d["fact"].clone()).collect();
        assert_eq!(edges, facts, "{kind} edges");
    }
}

/// An extra check with networkx, the reader most users will try, when this machine has it; the
/// quick-xml test above is the one that must pass everywhere.
#[test]
fn graphml_reads_in_networkx_when_available() {
    let has_networkx = std::process::Command::new("python3").args(["-c", "import networkx"]).output();
    if !has_networkx.is_ok_and(|o| o.status.success()) {
        println!("SKIPPED: python3 with networkx is not installed");
        return;
    }
    let store = example_store();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("graph.graphml");
    let counts = export_graphml(&store, std::fs::File::create(&path).unwrap()).unwrap();
    let script = "import sys, networkx as nx\n\
                  g = nx.read_graphml(sys.argv[1])\n\
                  counts = [d['count'] for _, _, d in g.edges(data=True) if d['kind'] == 'event']\n\
                  assert all(isinstance(c, int) for c in counts), 'count is typed int'\n\
                  print(g.number_of_nodes(), g.number_of_edges())";
    let out = std::process::Command::new("python3").args(["-c", script]).arg(&path).output().unwrap();
    assert!(out.status.success(), "networkx: {}", String::from_utf8_lossy(&out.stderr));
    let edges = counts.event_edges + counts.relation_edges;
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("{} {edges}", counts.nodes));
}
