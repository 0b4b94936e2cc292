//! The events table (the same columns as the CSV export, see `gdelt.rs`) as Parquet, with
//! types: Int32 dates and counts, Float64 Goldstein and confidence, Boolean flags, nullable
//! strings. Relations (roles, memberships, partnerships) do not fit the event columns, so they go
//! to a second table of their own: one row per fact, `Source*` -> `Target*` as in GraphML.

use crate::ExportError;
use crate::gdelt::evidence_cells;
use crate::rows::{Actor, Reader, RelationRow};
use crate::table::{Cell, Column, Row, Type, opt, req};
use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use entente_store::Store;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::io::Write;
use std::sync::Arc;

/// How many rows each Parquet table holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParquetCounts {
    pub events: usize,
    pub relations: usize,
}

/// Writes the events table to `events` and the relations table to `relations`.
pub fn export_parquet<W: Write + Send>(store: &Store, events: W, relations: W) -> Result<ParquetCounts, ExportError> {
    let reader = Reader::new(store)?;
    let event_rows = reader.events()?;
    let relation_rows = reader.relations()?;
    write_parquet(&event_rows, events)?;
    write_parquet(&relation_rows, relations)?;
    Ok(ParquetCounts { events: event_rows.len(), relations: relation_rows.len() })
}

fn write_parquet<R: Row>(rows: &[R], out: impl Write + Send) -> Result<(), ExportError> {
    let batch = record_batch(rows)?;
    let props = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut writer = ArrowWriter::try_new(out, batch.schema(), Some(props))?;
    writer.write(&batch)?;
    writer.close()?;
    Ok(())
}

fn record_batch<R: Row>(rows: &[R]) -> Result<RecordBatch, ExportError> {
    let cells: Vec<Vec<Cell>> = rows.iter().map(Row::cells).collect();
    let fields: Vec<Field> = R::COLUMNS.iter().map(|c| Field::new(c.name, data_type(c.ty), c.nullable)).collect();
    let arrays = R::COLUMNS
        .iter()
        .enumerate()
        .map(|(i, column)| array(column, cells.iter().map(|row| &row[i])))
        .collect::<Result<Vec<_>, _>>()?;
    // try_new checks that required columns hold no nulls.
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)?)
}

fn data_type(ty: Type) -> DataType {
    match ty {
        Type::Text => DataType::Utf8,
        Type::Int32 => DataType::Int32,
        Type::Int64 => DataType::Int64,
        Type::Float64 => DataType::Float64,
        Type::Bool => DataType::Boolean,
    }
}

/// One column's values as an Arrow array of the column's type.
fn array<'a>(column: &Column, cells: impl Iterator<Item = &'a Cell>) -> Result<ArrayRef, ExportError> {
    let wrong = || ExportError::Column(column.name);
    let cells: Vec<&Cell> = cells.collect();
    if !cells.iter().all(|c| c.fits(column.ty)) {
        return Err(wrong());
    }
    let ints = || cells.iter().map(|c| if let Cell::Int(n) = c { *n } else { None });
    Ok(match column.ty {
        Type::Text => Arc::new(
            cells.iter().map(|c| if let Cell::Text(s) = c { s.as_deref() } else { None }).collect::<StringArray>(),
        ),
        Type::Int32 => Arc::new(
            ints().map(|n| n.map(i32::try_from).transpose()).collect::<Result<Int32Array, _>>().map_err(|_| wrong())?,
        ),
        Type::Int64 => Arc::new(ints().collect::<Int64Array>()),
        Type::Float64 => {
            Arc::new(cells.iter().map(|c| if let Cell::Float(x) = c { *x } else { None }).collect::<Float64Array>())
        }
        Type::Bool => Arc::new(
            cells.iter().map(|c| if let Cell::Bool(b) = c { Some(*b) } else { None }).collect::<BooleanArray>(),
        ),
    })
}

const RELATION_COLUMNS: &[Column] = &[
    req("FactId", Type::Text),
    req("Kind", Type::Text),
    req("SourceCode", Type::Text),
    opt("SourceName", Type::Text),
    opt("SourceType", Type::Text),
    opt("SourceCountryCode", Type::Text),
    req("TargetCode", Type::Text),
    opt("TargetName", Type::Text),
    opt("TargetType", Type::Text),
    opt("TargetCountryCode", Type::Text),
    opt("Role", Type::Text),
    opt("Status", Type::Text),
    opt("Name", Type::Text),
    opt("Start", Type::Text),
    opt("End", Type::Text),
    req("Confidence", Type::Float64),
    req("NumArticles", Type::Int32),
    opt("EvidenceDoc", Type::Text),
    opt("EvidenceSentence", Type::Int64),
    opt("EvidenceStart", Type::Int64),
    opt("EvidenceEnd", Type::Int64),
    opt("Rule", Type::Text),
];

fn actor_cells(a: &Actor) -> [Cell; 4] {
    [Cell::text(&a.id), Cell::text(&a.name), Cell::text(&a.kind), Cell::Text(a.country_code().map(str::to_string))]
}

impl Row for RelationRow {
    const COLUMNS: &'static [Column] = RELATION_COLUMNS;

    fn cells(&self) -> Vec<Cell> {
        let mut cells = vec![Cell::text(&self.id), Cell::text(&self.kind)];
        cells.extend(actor_cells(&self.from));
        cells.extend(actor_cells(&self.to));
        cells.extend([
            Cell::Text(self.role.clone()),
            Cell::Text(self.status.clone()),
            Cell::Text(self.name.clone()),
            Cell::Text(self.start.clone()),
            Cell::Text(self.end.clone()),
            Cell::Float(Some(self.confidence)),
            Cell::int(self.articles as i64),
        ]);
        cells.extend(evidence_cells(&self.first));
        cells
    }
}
