//! The events table modelled on GDELT 2.0's event records: one row per `event` fact.
//!
//! Written as GDELT writes its `.CSV` files, tab-separated, but with a header row (GDELT's files
//! have none) and RFC 4180 quoting for the rare field holding a tab, quote or line break. Unknown
//! values are empty fields. GDELT's columns come first where they apply, with these differences:
//! actor codes are Entente's actor ids (`JPN`, `NATO`, `fumio-kishida`), country codes are ISO
//! alpha-3, `SQLDATE` is `yyyymmdd`, `yyyymm` or `yyyy` as precise as the event's date (see
//! `DatePrecision`), `DATEADDED` is the first source document's date (`yyyymmdd`, not GDELT's
//! processing time, so the same store always gives the same file), and `SOURCEURL`, like the
//! `Evidence*` columns, is from the first evidence row. `NumSources` counts distinct outlets (the
//! web host, or the document when it has no URL) and `NumArticles` documents; `IsRootEvent` is 1
//! when some evidence is in a document's first sentences, GDELT's "lead paragraph". `QuadClass`
//! is derived from the CAMEO root as GDELT does. Entente's own columns follow.

use crate::ExportError;
use crate::rows::{Actor, DateParts, EventRow, Reader, cameo_base, cameo_root, group_code, quad_class};
use crate::table::{Cell, Column, Row, Type, opt, req};
use entente_store::Store;
use std::io::Write;

/// Writes every event of the store as a tab-separated table with a header; returns the rows.
/// Rows are written as they are read.
pub fn export_csv(store: &Store, out: impl Write) -> Result<usize, ExportError> {
    let mut writer = csv::WriterBuilder::new().delimiter(b'\t').from_writer(out);
    writer.write_record(EventRow::COLUMNS.iter().map(|c| c.name))?;
    let mut rows = 0;
    Reader::new(store).for_each_event(|row| {
        writer.write_record(row.cells().iter().map(Cell::to_field))?;
        rows += 1;
        Ok(())
    })?;
    writer.flush()?;
    Ok(rows)
}

const EVENT_COLUMNS: &[Column] = &[
    req("GLOBALEVENTID", Type::Text),
    opt("SQLDATE", Type::Int32),
    opt("MonthYear", Type::Int32),
    opt("Year", Type::Int32),
    req("DatePrecision", Type::Text),
    req("Actor1Code", Type::Text),
    opt("Actor1Name", Type::Text),
    opt("Actor1CountryCode", Type::Text),
    opt("Actor1KnownGroupCode", Type::Text),
    opt("Actor1Type1Code", Type::Text),
    // Actor 2 only when the event has a target.
    opt("Actor2Code", Type::Text),
    opt("Actor2Name", Type::Text),
    opt("Actor2CountryCode", Type::Text),
    opt("Actor2KnownGroupCode", Type::Text),
    opt("Actor2Type1Code", Type::Text),
    req("IsRootEvent", Type::Bool),
    opt("EventCode", Type::Text),
    opt("EventBaseCode", Type::Text),
    opt("EventRootCode", Type::Text),
    opt("QuadClass", Type::Int32),
    opt("GoldsteinScale", Type::Float64),
    req("NumMentions", Type::Int32),
    req("NumSources", Type::Int32),
    req("NumArticles", Type::Int32),
    opt("ActionGeo_FullName", Type::Text),
    opt("ActionGeo_CountryCode", Type::Text),
    opt("DATEADDED", Type::Int32),
    opt("SOURCEURL", Type::Text),
    // Entente's own.
    opt("Actor1Type", Type::Text),
    opt("Actor2Type", Type::Text),
    opt("OtherActors", Type::Text),
    req("PloverType", Type::Text),
    opt("PloverMode", Type::Text),
    opt("Modality", Type::Text),
    req("Confidence", Type::Float64),
    opt("EvidenceDoc", Type::Text),
    opt("EvidenceSentence", Type::Int64),
    opt("EvidenceStart", Type::Int64),
    opt("EvidenceEnd", Type::Int64),
    opt("Rule", Type::Text),
];

fn some(s: Option<&str>) -> Cell {
    Cell::Text(s.map(str::to_string))
}

fn actor_cells(actor: Option<&Actor>) -> [Cell; 5] {
    [
        some(actor.map(|a| a.id.as_str())),
        some(actor.map(|a| a.name.as_str())),
        some(actor.and_then(Actor::country_code)),
        some(actor.and_then(group_code)),
        some(actor.and_then(|a| a.sector.as_deref())),
    ]
}

/// The evidence columns shared with the relations table.
pub(crate) fn evidence_cells(first: &crate::rows::FirstSource) -> [Cell; 5] {
    let e = first.evidence.as_ref();
    let int = |f: fn(&entente_store::Evidence) -> usize| Cell::Int(e.map(|e| f(e) as i64));
    [
        some(e.map(|e| e.doc.as_str())),
        int(|e| e.sentence),
        int(|e| e.start),
        int(|e| e.end),
        some(e.map(|e| e.rule.as_str())),
    ]
}

impl Row for EventRow {
    const COLUMNS: &'static [Column] = EVENT_COLUMNS;

    fn cells(&self) -> Vec<Cell> {
        let date = DateParts::of(self.date.as_deref());
        let cameo = self.cameo.as_deref();
        let (place, place_country) = self.location.clone().unwrap_or_default();
        let others: Vec<&str> = self.others.iter().map(|a| a.id.as_str()).collect();
        let mut cells = vec![
            Cell::text(&self.id),
            Cell::Int(date.sql_date.map(i64::from)),
            Cell::Int(date.month_year.map(i64::from)),
            Cell::Int(date.year.map(i64::from)),
            Cell::text(date.precision),
        ];
        cells.extend(actor_cells(Some(&self.source)));
        cells.extend(actor_cells(self.target.as_ref()));
        cells.extend([
            Cell::Bool(self.lead),
            some(cameo),
            some(cameo.and_then(cameo_base)),
            some(cameo.and_then(cameo_root)),
            Cell::Int(cameo.and_then(quad_class).map(i64::from)),
            Cell::Float(self.goldstein),
            Cell::int(self.mentions as i64),
            Cell::int(self.outlets as i64),
            Cell::int(self.articles as i64),
            Cell::Text(place),
            Cell::Text(place_country),
            Cell::Int(DateParts::of(self.first.date.as_deref()).sql_date.map(i64::from)),
            Cell::Text(self.first.url.clone()),
            Cell::text(self.source.kind.as_str()),
            some(self.target.as_ref().map(|a| a.kind.as_str())),
            Cell::Text((!others.is_empty()).then(|| others.join(";"))),
            Cell::text(&self.plover),
            Cell::Text(self.mode.clone()),
            Cell::Text(self.modality.clone()),
            Cell::Float(Some(self.confidence)),
        ]);
        cells.extend(evidence_cells(&self.first));
        cells
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_are_unique() {
        let names: std::collections::BTreeSet<&str> = EVENT_COLUMNS.iter().map(|c| c.name).collect();
        assert_eq!(names.len(), EVENT_COLUMNS.len());
    }
}
