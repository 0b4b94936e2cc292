//! A flat table with typed columns: one description that the CSV and Parquet writers both
//! follow, so the two files always have the same columns in the same order.

/// A column's type; Parquet stores it as such, CSV writes it as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Type {
    Text,
    Int32,
    Int64,
    Float64,
    Bool,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Column {
    pub name: &'static str,
    pub ty: Type,
    pub nullable: bool,
}

/// A required column.
pub(crate) const fn req(name: &'static str, ty: Type) -> Column {
    Column { name, ty, nullable: false }
}

/// A column that may be empty.
pub(crate) const fn opt(name: &'static str, ty: Type) -> Column {
    Column { name, ty, nullable: true }
}

/// One value; `None` is an empty CSV field and a Parquet null.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    Text(Option<String>),
    Int(Option<i64>),
    Float(Option<f64>),
    Bool(bool),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(Some(s.into()))
    }

    pub fn int(n: impl Into<i64>) -> Cell {
        Cell::Int(Some(n.into()))
    }

    /// Whether the cell can be stored in a column of type `ty`.
    pub fn fits(&self, ty: Type) -> bool {
        matches!(
            (self, ty),
            (Cell::Text(_), Type::Text)
                | (Cell::Int(_), Type::Int32 | Type::Int64)
                | (Cell::Float(_), Type::Float64)
                | (Cell::Bool(_), Type::Bool)
        )
    }

    /// The CSV field: GDELT's conventions (empty for unknown, 1/0 for flags).
    pub fn to_field(&self) -> String {
        match self {
            Cell::Text(s) => s.clone().unwrap_or_default(),
            Cell::Int(n) => n.map(|n| n.to_string()).unwrap_or_default(),
            // `Display` for f64 is the shortest text that reads back to the same number.
            Cell::Float(x) => x.map(|x| x.to_string()).unwrap_or_default(),
            Cell::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        }
    }
}

/// Rows that can be written as a table with `COLUMNS`.
pub(crate) trait Row {
    const COLUMNS: &'static [Column];
    /// The row's cells, in `COLUMNS` order.
    fn cells(&self) -> Vec<Cell>;
}
