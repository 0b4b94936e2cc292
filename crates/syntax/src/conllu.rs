//! Reading CoNLL-U treebanks and IOB2 NER files, writing CoNLL-U.

use std::io::{BufRead, Write};
use std::path::Path;

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
