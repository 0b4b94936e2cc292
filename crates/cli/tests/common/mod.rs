//! What the CLI's test files share.

use std::path::Path;
use std::process::{Command, Output};

/// `entente --db DB ARGS...`, run to its end.
pub fn entente(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_entente")).arg("--db").arg(db).args(args).output().expect("entente runs")
}
