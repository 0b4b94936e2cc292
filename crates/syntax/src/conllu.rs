//! Reading CoNLL-U treebanks, IOB2 NER files and document lists, writing CoNLL-U.
//!
//! A data source is a path: a CoNLL-U file (`.conllu`), an IOB2 file (`.iob2`), or else a
//! document list, one document name a line, each read from `sources/<name>.conllu` in the
//! list's folder (GUM's `files.train`, `files.dev`, `files.test`); names without a file there
//! are skipped.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use crate::{SyntaxError, Word};

/// One syntactic word of a gold sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldToken {
    pub form: String,
    pub upos: String,
    pub xpos: String,
    pub head: usize,
    pub deprel: String,
}

/// Reads the syntactic words (no multiword ranges, no empty nodes) of each sentence.
pub fn read_treebank(path: &Path) -> Result<Vec<Vec<GoldToken>>, SyntaxError> {
    let text = String::from_utf8_lossy(&crate::read_file(path)?).into_owned();
    let mut sentences = Vec::new();
    let mut current = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 8 {
            return Err(SyntaxError::BadInput { line: n + 1, reason: format!("{} columns", cols.len()) });
        }
        if is_range_or_empty(cols[0]) {
            continue;
        }
        let head = cols[6].parse().unwrap_or(0);
        current.push(GoldToken {
            form: cols[1].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            head,
            deprel: cols[7].to_string(),
        });
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    Ok(sentences)
}

/// A sentence of an IOB2 file: forms and labels.
pub type NerSentence = (Vec<String>, Vec<String>);

/// Reads an IOB2 file (`id form label ...` per line). Labels other than PER, ORG and LOC
/// (the early UNER train file has OTH) become `O`.
pub fn read_iob2(path: &Path) -> Result<Vec<NerSentence>, SyntaxError> {
    let text = String::from_utf8_lossy(&crate::read_file(path)?).into_owned();
    let mut sentences = Vec::new();
    let mut forms = Vec::new();
    let mut labels = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !forms.is_empty() {
                sentences.push((std::mem::take(&mut forms), std::mem::take(&mut labels)));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            return Err(SyntaxError::BadInput { line: n + 1, reason: "expected id, form and label".into() });
        }
        forms.push(cols[1].to_string());
        labels.push(normalise_ner_label(cols[2]));
    }
    if !forms.is_empty() {
        sentences.push((forms, labels));
    }
    Ok(sentences)
}

/// What a data source path holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// `*.conllu`
    Conllu,
    /// `*.iob2`
    Iob2,
    /// Any other file: document names, one a line.
    DocumentList,
}

/// The format of a data source, by its extension.
pub fn source_format(path: &Path) -> SourceFormat {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("conllu") => SourceFormat::Conllu,
        Some(e) if e.eq_ignore_ascii_case("iob2") => SourceFormat::Iob2,
        _ => SourceFormat::DocumentList,
    }
}

/// The CoNLL-U files of a document list: `sources/<name>.conllu` in the list's folder for
/// each name (trimmed; blank lines ignored) that has one, in the list's order. An error
/// names the list when none has.
pub fn list_documents(list: &Path) -> Result<Vec<PathBuf>, SyntaxError> {
    let text = String::from_utf8_lossy(&crate::read_file(list)?).into_owned();
    let dir = list.parent().unwrap_or(Path::new("")).join("sources");
    let names: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let present: Vec<PathBuf> = names.iter().map(|n| dir.join(format!("{n}.conllu"))).filter(|p| p.is_file()).collect();
    if present.is_empty() {
        return Err(SyntaxError::BadFile {
            path: list.to_path_buf(),
            reason: format!(
                "read as a document list (a data source is a .conllu or .iob2 file, or a list of \
                 document names), but none of its {} names has a file <name>.conllu in {}",
                names.len(),
                dir.display()
            ),
        });
    }
    Ok(present)
}

/// The sentences of treebank sources (CoNLL-U files or document lists) in order; an IOB2
/// source is an error. Errors name the file.
pub fn read_treebanks(paths: &[PathBuf]) -> Result<Vec<Vec<GoldToken>>, SyntaxError> {
    let mut out = Vec::new();
    for path in paths {
        match source_format(path) {
            SourceFormat::Conllu => out.extend(in_file(path, read_treebank(path))?),
            SourceFormat::Iob2 => {
                return Err(SyntaxError::BadFile {
                    path: path.clone(),
                    reason: "IOB2 holds no part-of-speech tags or trees: give CoNLL-U or a document list".into(),
                });
            }
            SourceFormat::DocumentList => {
                for doc in list_documents(path)? {
                    out.extend(in_file(&doc, read_treebank(&doc))?);
                }
            }
        }
    }
    Ok(out)
}

/// The NER sentences of sources in order: IOB2 files as [`read_iob2`]; CoNLL-U files and
/// document lists with the names of GUM's entity annotations (see [`crate::gum`]; a file
/// without them gives only `O`). Errors name the file.
pub fn read_ner(paths: &[PathBuf]) -> Result<Vec<NerSentence>, SyntaxError> {
    let mut out = Vec::new();
    for path in paths {
        match source_format(path) {
            SourceFormat::Iob2 => out.extend(in_file(path, read_iob2(path))?),
            SourceFormat::Conllu => out.extend(read_conllu_ner(path)?),
            SourceFormat::DocumentList => {
                for doc in list_documents(path)? {
                    out.extend(read_conllu_ner(&doc)?);
                }
            }
        }
    }
    Ok(out)
}

/// Names the file in a line-numbered error.
fn in_file<T>(path: &Path, result: Result<T, SyntaxError>) -> Result<T, SyntaxError> {
    result.map_err(|e| match e {
        SyntaxError::BadInput { line, reason } => {
            SyntaxError::BadFile { path: path.to_path_buf(), reason: format!("line {line}: {reason}") }
        }
        other => other,
    })
}

fn read_conllu_ner(path: &Path) -> Result<Vec<NerSentence>, SyntaxError> {
    let text = String::from_utf8_lossy(&crate::read_file(path)?).into_owned();
    in_file(path, conllu_ner(&text))
}

/// NER sentences of CoNLL-U text: the forms of the syntactic words and IOB2 labels from
/// GUM's `Entity=` annotations in MISC.
pub(crate) fn conllu_ner(text: &str) -> Result<Vec<NerSentence>, SyntaxError> {
    let mut sentences = Vec::new();
    // (line number, columns) of the current sentence's syntactic words.
    let mut words: Vec<(usize, Vec<&str>)> = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((n, line)) = lines.next() {
        let blank = line.trim().is_empty();
        if !blank && !line.starts_with('#') {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 8 {
                return Err(SyntaxError::BadInput { line: n + 1, reason: format!("{} columns", cols.len()) });
            }
            if !is_range_or_empty(cols[0]) {
                words.push((n + 1, cols));
            }
        }
        if (blank || lines.peek().is_none()) && !words.is_empty() {
            let rows: Vec<crate::gum::Row> = words
                .iter()
                .map(|(_, c)| crate::gum::Row {
                    form: c[1],
                    upos: c[3],
                    xpos: c[4],
                    head: c[6].parse().unwrap_or(0),
                    deprel: c[7],
                    misc: c.get(9).copied().unwrap_or("_"),
                })
                .collect();
            let labels = crate::gum::labels(&rows)
                .map_err(|e| SyntaxError::BadInput { line: words[e.word].0, reason: e.reason })?;
            let forms = rows.iter().map(|r| r.form.to_string()).collect();
            sentences.push((forms, labels));
            words.clear();
        }
    }
    Ok(sentences)
}

fn normalise_ner_label(label: &str) -> String {
    match label.split_once('-') {
        Some((bio @ ("B" | "I"), kind @ ("PER" | "ORG" | "LOC"))) => format!("{bio}-{kind}"),
        _ => "O".to_string(),
    }
}

fn is_range_or_empty(id: &str) -> bool {
    id.contains('-') || id.contains('.')
}

/// Writes one analysed sentence as CoNLL-U (lemma, features and enhanced deps left `_`).
pub fn write_conllu_sentence<W: Write>(words: &[Word], out: &mut W) -> std::io::Result<()> {
    write_conllu_sentence_misc(words, &[], out)
}

/// Like [`write_conllu_sentence`], with `misc[i]` (e.g. `SpaceAfter=No`, or `_`) as the MISC
/// column of word `i` before its `NER=` entry; missing entries count as `_`.
pub fn write_conllu_sentence_misc<W: Write>(words: &[Word], misc: &[&str], out: &mut W) -> std::io::Result<()> {
    for (i, w) in words.iter().enumerate() {
        writeln!(
            out,
            "{}\t{}\t_\t{}\t{}\t_\t{}\t{}\t_\t{}",
            i + 1,
            w.form,
            w.upos,
            w.xpos,
            w.head,
            w.deprel,
            ner_misc(&w.ner, misc.get(i).copied().unwrap_or("_"))
        )?;
    }
    writeln!(out)
}

/// MISC column with `NER=label` added (replacing an existing NER entry).
fn ner_misc(label: &str, misc: &str) -> String {
    let mut parts: Vec<&str> =
        misc.split('|').filter(|p| !p.is_empty() && *p != "_" && !p.starts_with("NER=")).collect();
    let entry = format!("NER={label}");
    parts.push(&entry);
    parts.join("|")
}

/// Reads CoNLL-U, analyses every sentence with its own tokens and writes CoNLL-U with
/// predicted UPOS, XPOS, HEAD, DEPREL and `NER=` in MISC. Comments, multiword-token
/// ranges and empty nodes are copied unchanged. Returns the number of sentences.
pub fn parse_conllu<R: BufRead, W: Write>(
    input: R,
    mut output: W,
    analyzer: &crate::Analyzer,
) -> Result<usize, SyntaxError> {
    let mut block: Vec<String> = Vec::new();
    let mut count = 0;
    for (n, line) in input.lines().enumerate() {
        let line = line?;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !block.is_empty() {
                write_block(&block, n, &mut output, analyzer)?;
                count += 1;
                block.clear();
            }
            continue;
        }
        block.push(line.to_string());
    }
    if !block.is_empty() {
        write_block(&block, 0, &mut output, analyzer)?;
        count += 1;
    }
    output.flush()?;
    Ok(count)
}

fn write_block<W: Write>(
    block: &[String],
    end_line: usize,
    output: &mut W,
    analyzer: &crate::Analyzer,
) -> Result<(), SyntaxError> {
    let mut forms = Vec::new();
    for line in block {
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(SyntaxError::BadInput {
                line: end_line,
                reason: format!("{} columns in a token line of the sentence ending here", cols.len()),
            });
        }
        if !is_range_or_empty(cols[0]) {
            forms.push(cols[1]);
        }
    }
    let words = analyzer.analyze(&forms);
    let mut next = words.iter();
    for line in block {
        let cols: Vec<&str> = line.split('\t').collect();
        if line.starts_with('#') || is_range_or_empty(cols[0]) {
            writeln!(output, "{line}")?;
            continue;
        }
        let w = next.next().expect("one analysis per word");
        writeln!(
            output,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t_\t{}",
            cols[0],
            cols[1],
            cols[2],
            w.upos,
            w.xpos,
            cols[5],
            w.head,
            w.deprel,
            ner_misc(&w.ner, cols[9])
        )?;
    }
    writeln!(output)?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A fresh folder under the system's temporary one.
    pub(crate) fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("entente-syntax-{}-{name}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    /// One sentence of CoNLL-U: `Paris` (a GUM place) `sleeps .`, with `word` first.
    pub(crate) fn sentence(word: &str) -> String {
        format!(
            "# text = {word} Paris sleeps.\n\
             1\t{word}\t_\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n\
             2\tParis\t_\tPROPN\tNNP\t_\t1\tnmod\t_\tEntity=(1-place-new-nnnnn-cf1-1-sgl-Paris)\n\
             3\tsleeps\t_\tVERB\tVBZ\t_\t0\troot\t_\tSpaceAfter=No\n\
             4\t.\t_\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n"
        )
    }

    #[test]
    fn sources_are_files_or_document_lists() {
        let dir = temp_dir("sources");
        std::fs::create_dir_all(dir.join("sources")).unwrap();
        std::fs::write(dir.join("sources/GUM_a.conllu"), sentence("a") + &sentence("b")).unwrap();
        std::fs::write(dir.join("sources/GUM_c.conllu"), sentence("c")).unwrap();
        // Names without a file are skipped; order is the list's.
        std::fs::write(dir.join("files.train"), "GUM_c\nGUM_absent\n\n  GUM_a  \n").unwrap();
        let single = dir.join("one.conllu");
        std::fs::write(&single, sentence("d")).unwrap();
        let iob2 = dir.join("one.iob2");
        std::fs::write(&iob2, "1\tParis\tB-LOC\n2\tsleeps\tO\n\n").unwrap();

        assert_eq!(source_format(&single), SourceFormat::Conllu);
        assert_eq!(source_format(&iob2), SourceFormat::Iob2);
        assert_eq!(source_format(&dir.join("files.train")), SourceFormat::DocumentList);
        assert_eq!(
            list_documents(&dir.join("files.train")).unwrap(),
            [dir.join("sources/GUM_c.conllu"), dir.join("sources/GUM_a.conllu")]
        );

        let trees = read_treebanks(&[dir.join("files.train"), single.clone()]).unwrap();
        let first: Vec<&str> = trees.iter().map(|s| s[0].form.as_str()).collect();
        assert_eq!(first, ["c", "a", "b", "d"]);
        assert_eq!(trees[0][1].upos, "PROPN");

        let ner = read_ner(&[iob2.clone(), dir.join("files.train")]).unwrap();
        assert_eq!(ner.len(), 4);
        assert_eq!(ner[0], (vec!["Paris".to_string(), "sleeps".into()], vec!["B-LOC".to_string(), "O".into()]));
        assert_eq!(ner[1].1, ["O", "B-LOC", "O", "O"], "GUM's entities from MISC");

        // An IOB2 file holds no trees; a list without documents is an error naming it.
        let err = read_treebanks(std::slice::from_ref(&iob2)).unwrap_err().to_string();
        assert!(err.contains("one.iob2") && err.contains("IOB2"), "{err}");
        std::fs::write(dir.join("files.test"), "GUM_absent\n").unwrap();
        let err = read_ner(&[dir.join("files.test")]).unwrap_err().to_string();
        assert!(err.contains("files.test") && err.contains("none of its 1 names"), "{err}");
        // A bad line names the file and the line.
        let bad = dir.join("sources/GUM_bad.conllu");
        std::fs::write(&bad, sentence("e") + "1\ttwo\tcolumns\n").unwrap();
        std::fs::write(dir.join("files.dev"), "GUM_bad\n").unwrap();
        let err = read_treebanks(&[dir.join("files.dev")]).unwrap_err().to_string();
        assert!(err.contains("GUM_bad.conllu") && err.contains("line 7"), "{err}");
        let err = read_ner(&[dir.join("files.dev")]).unwrap_err().to_string();
        assert!(err.contains("GUM_bad.conllu") && err.contains("line 7"), "{err}");
        std::fs::remove_dir_all(dir).ok();
    }
}
