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

/// Rows handed to Arrow at a time: a multiple of parquet's write batch (1024 values), so that
/// pages split where they did when the whole table was one batch.
const BATCH_ROWS: usize = 4096;

/// A row group is written out once its encoded columns reach this size, so memory stays
/// bounded whatever the number of rows.
const ROW_GROUP_BYTES: usize = 64 << 20;

/// Writes the events table to `events` and the relations table to `relations`, row by row in
/// batches of [`BATCH_ROWS`].
pub fn export_parquet<W: Write + Send>(store: &Store, events: W, relations: W) -> Result<ParquetCounts, ExportError> {
    let reader = Reader::new(store);
    let mut table = Table::new(events)?;
    reader.for_each_event(|row| table.push(row))?;
    let events = table.close()?;
    let mut table = Table::new(relations)?;
    reader.for_each_relation(true, |row| table.push(row))?;
    Ok(ParquetCounts { events, relations: table.close()? })
}

/// A Parquet file being written: rows wait in a batch, batches go to the open row group.
struct Table<R: Row, W: Write + Send> {
    writer: ArrowWriter<W>,
    pending: Vec<R>,
    written: usize,
}

impl<R: Row, W: Write + Send> Table<R, W> {
    fn new(out: W) -> Result<Self, ExportError> {
        let props = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
        let writer = ArrowWriter::try_new(out, schema::<R>(), Some(props))?;
        Ok(Table { writer, pending: Vec::with_capacity(BATCH_ROWS), written: 0 })
    }

    fn push(&mut self, row: R) -> Result<(), ExportError> {
        self.pending.push(row);
        if self.pending.len() == BATCH_ROWS {
            self.write_pending()?;
        }
        Ok(())
    }

    fn write_pending(&mut self) -> Result<(), ExportError> {
        self.writer.write(&record_batch(&self.pending)?)?;
        self.written += self.pending.len();
        self.pending.clear();
        if self.writer.in_progress_size() >= ROW_GROUP_BYTES {
            self.writer.flush()?;
        }
        Ok(())
    }

    /// Writes what is left (an empty table is one empty batch, as it always was) and the footer.
    fn close(mut self) -> Result<usize, ExportError> {
        if !self.pending.is_empty() || self.written == 0 {
            self.write_pending()?;
        }
        self.writer.close()?;
        Ok(self.written)
    }
}

fn schema<R: Row>() -> Arc<Schema> {
    let fields: Vec<Field> = R::COLUMNS.iter().map(|c| Field::new(c.name, data_type(c.ty), c.nullable)).collect();
    Arc::new(Schema::new(fields))
}

fn record_batch<R: Row>(rows: &[R]) -> Result<RecordBatch, ExportError> {
    let cells: Vec<Vec<Cell>> = rows.iter().map(Row::cells).collect();
    let arrays = R::COLUMNS
        .iter()
        .enumerate()
        .map(|(i, column)| array(column, cells.iter().map(|row| &row[i])))
        .collect::<Result<Vec<_>, _>>()?;
    // try_new checks that required columns hold no nulls.
    Ok(RecordBatch::try_new(schema::<R>(), arrays)?)
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
    [
        Cell::text(&a.id),
        Cell::text(&a.name),
        Cell::text(a.kind.as_str()),
        Cell::Text(a.country_code().map(str::to_string)),
    ]
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
