//! English inflections for the lexicon: a lemma's verb forms or noun plural, so triggers are
//! written once ("visit") and match every form ("visits", "visited", "visiting").

/// Which form of the lemma a word is; the coder reads voice and tense from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Form {
    Base,
    ThirdPerson,
    /// A regular "-ed" form: simple past or past participle.
    PastOrParticiple,
    Past,
    Participle,
    Gerund,
    Plural,
}

/// Irregular verbs that news about states uses: base, past, past participle.
const IRREGULAR: &[(&str, &str, &str)] = &[
    ("meet", "met", "met"),
    ("hold", "held", "held"),
    ("take", "took", "taken"),
    ("give", "gave", "given"),
    ("send", "sent", "sent"),
    ("lead", "led", "led"),
    ("fight", "fought", "fought"),
    ("strike", "struck", "struck"),
    ("shoot", "shot", "shot"),
    ("bring", "brought", "brought"),
    ("say", "said", "said"),
    ("tell", "told", "told"),
    ("make", "made", "made"),
    ("break", "broke", "broken"),
    ("withdraw", "withdrew", "withdrawn"),
    ("forgive", "forgave", "forgiven"),
    ("beat", "beat", "beaten"),
    ("sell", "sold", "sold"),
    ("speak", "spoke", "spoken"),
    ("begin", "began", "begun"),
    ("seek", "sought", "sought"),
    ("fly", "flew", "flown"),
    ("go", "went", "gone"),
    ("pay", "paid", "paid"),
    ("leave", "left", "left"),
    ("cut", "cut", "cut"),
    ("put", "put", "put"),
    ("shell", "shelled", "shelled"),
    ("overthrow", "overthrew", "overthrown"),
    ("undertake", "undertook", "undertaken"),
    ("stand", "stood", "stood"),
    ("win", "won", "won"),
    ("lose", "lost", "lost"),
    ("freeze", "froze", "frozen"),
    ("steal", "stole", "stolen"),
    ("upbraid", "upbraided", "upbraided"),
    ("slam", "slammed", "slammed"),
    ("bid", "bid", "bid"),
    ("rebuke", "rebuked", "rebuked"),
    ("hit", "hit", "hit"),
    ("set", "set", "set"),
    ("draw", "drew", "drawn"),
    ("build", "built", "built"),
    ("keep", "kept", "kept"),
    ("swear", "swore", "sworn"),
    ("sign", "signed", "signed"),
    ("see", "saw", "seen"),
    ("come", "came", "come"),
    ("run", "ran", "run"),
    ("do", "did", "done"),
    ("have", "had", "had"),
    ("blow", "blew", "blown"),
    ("throw", "threw", "thrown"),
    ("shut", "shut", "shut"),
    ("lay", "laid", "laid"),
    ("forbid", "forbade", "forbidden"),
    ("drive", "drove", "driven"),
    ("rise", "rose", "risen"),
    ("choose", "chose", "chosen"),
    ("lend", "lent", "lent"),
    ("spend", "spent", "spent"),
    ("overrun", "overran", "overrun"),
    ("retake", "retook", "retaken"),
    ("overtake", "overtook", "overtaken"),
    ("withhold", "withheld", "withheld"),
    ("uphold", "upheld", "upheld"),
    ("show", "showed", "shown"),
    ("write", "wrote", "written"),
    ("find", "found", "found"),
    ("get", "got", "got"),
    ("flee", "fled", "fled"),
    ("deal", "dealt", "dealt"),
    ("sweep", "swept", "swept"),
    ("override", "overrode", "overridden"),
    ("shake", "shook", "shaken"),
    ("hang", "hanged", "hanged"),
    ("bear", "bore", "borne"),
    ("tear", "tore", "torn"),
    ("sink", "sank", "sunk"),
    ("stick", "stuck", "stuck"),
    ("slay", "slew", "slain"),
    ("feed", "fed", "fed"),
    ("bind", "bound", "bound"),
    ("foresee", "foresaw", "foreseen"),
];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Longer verbs stressed on their last syllable, whose final consonant doubles like a short
/// verb's ("expel" → "expelled", "kidnap" → "kidnapped").
const STRESSED_LAST: &[&str] = &[
    "expel", "kidnap", "compel", "patrol", "control", "rebel", "repel", "propel", "admit", "permit", "commit",
    "submit", "acquit", "regret", "confer", "transfer", "deter", "refer", "prefer", "occur", "equip", "abet",
    "outstrip", "worship", "omit", "emit",
];

/// Whether the final consonant doubles before "-ed"/"-ing" ("ban" → "banned"): one short
/// stressed syllable ending consonant-vowel-consonant. Longer verbs are left as they are
/// ("visit" → "visited"), which is right for the words the lexicon holds.
fn doubles(base: &str) -> bool {
    if STRESSED_LAST.contains(&base) {
        return true;
    }
    let c: Vec<char> = base.chars().collect();
    let n = c.len();
    // "open", "exit", "edit": a vowel first makes two syllables, stressed on the first.
    let two_syllables = n == 4 && is_vowel(c[0]);
    (3..=4).contains(&n)
        && !two_syllables
        && !is_vowel(c[n - 1])
        && !matches!(c[n - 1], 'w' | 'x' | 'y')
        && is_vowel(c[n - 2])
        && !is_vowel(c[n - 3])
}

/// Every form of a verb with what it is.
pub fn verb_forms(base: &str) -> Vec<(String, Form)> {
    let mut forms = vec![(base.to_string(), Form::Base), (third_person(base), Form::ThirdPerson)];
    if let Some(&(_, past, participle)) = IRREGULAR.iter().find(|(b, _, _)| *b == base) {
        if past == participle {
            forms.push((past.to_string(), Form::PastOrParticiple));
        } else {
            forms.push((past.to_string(), Form::Past));
            forms.push((participle.to_string(), Form::Participle));
        }
    } else {
        forms.push((regular_past(base), Form::PastOrParticiple));
    }
    forms.push((gerund(base), Form::Gerund));
    // British spelling doubles a final "l" after one vowel ("cancelled", "travelling");
    // American does not. News uses both.
    if british_double_l(base) {
        forms.push((format!("{base}led"), Form::PastOrParticiple));
        forms.push((format!("{base}ling"), Form::Gerund));
    }
    forms
}

fn british_double_l(base: &str) -> bool {
    let c: Vec<char> = base.chars().collect();
    let n = c.len();
    n >= 5 && c[n - 1] == 'l' && is_vowel(c[n - 2]) && !is_vowel(c[n - 3]) && !doubles(base)
}

pub fn noun_forms(base: &str) -> Vec<(String, Form)> {
    vec![(base.to_string(), Form::Base), (third_person(base), Form::Plural)]
}

/// "-s"/"-es"/"-ies": the same rule makes third-person verbs and plural nouns.
fn third_person(base: &str) -> String {
    if let Some(stem) = base.strip_suffix('y')
        && !stem.ends_with(is_vowel)
    {
        return format!("{stem}ies");
    }
    if base.ends_with(['s', 'x', 'z']) || base.ends_with("ch") || base.ends_with("sh") || base.ends_with('o') {
        return format!("{base}es");
    }
    format!("{base}s")
}

fn regular_past(base: &str) -> String {
    if base.ends_with('e') {
        return format!("{base}d");
    }
    if let Some(stem) = base.strip_suffix('y')
        && !stem.ends_with(is_vowel)
    {
        return format!("{stem}ied");
    }
    if doubles(base) {
        let last = base.chars().last().expect("non-empty");
        return format!("{base}{last}ed");
    }
    format!("{base}ed")
}

fn gerund(base: &str) -> String {
    if let Some(stem) = base.strip_suffix("ie") {
        return format!("{stem}ying");
    }
    if base.ends_with('e') && !base.ends_with("ee") && base.len() > 2 {
        return format!("{}ing", &base[..base.len() - 1]);
    }
    if doubles(base) {
        let last = base.chars().last().expect("non-empty");
        return format!("{base}{last}ing");
    }
    format!("{base}ing")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(base: &str) -> Vec<String> {
        verb_forms(base).into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn regular_and_irregular_verbs() {
        assert_eq!(forms("visit"), ["visit", "visits", "visited", "visiting"]);
        assert_eq!(forms("criticise"), ["criticise", "criticises", "criticised", "criticising"]);
        assert_eq!(forms("ban"), ["ban", "bans", "banned", "banning"]);
        assert_eq!(forms("ally"), ["ally", "allies", "allied", "allying"]);
        assert_eq!(forms("meet"), ["meet", "meets", "met", "meeting"]);
        assert_eq!(forms("withdraw"), ["withdraw", "withdraws", "withdrew", "withdrawn", "withdrawing"]);
        assert_eq!(forms("approach")[1], "approaches");
        assert_eq!(forms("agree")[3], "agreeing");
        assert_eq!(forms("expel"), ["expel", "expels", "expelled", "expelling"]);
        assert_eq!(forms("kidnap")[2], "kidnapped");
        assert_eq!(forms("open"), ["open", "opens", "opened", "opening"], "two syllables: no doubling");
        assert_eq!(forms("omit")[2], "omitted");
        assert_eq!(forms("blow"), ["blow", "blows", "blew", "blown", "blowing"]);
        assert_eq!(
            forms("cancel"),
            ["cancel", "cancels", "canceled", "canceling", "cancelled", "cancelling"],
            "American and British spellings"
        );
        assert_eq!(forms("appeal")[2], "appealed");
    }

    #[test]
    fn noun_plurals() {
        let p = |b: &str| noun_forms(b).pop().unwrap().0;
        assert_eq!((p("talk"), p("embargo"), p("treaty")), ("talks".into(), "embargoes".into(), "treaties".into()));
    }
}
