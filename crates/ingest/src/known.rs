//! The people the writer knows before each document: those stored before the run, then
//! those each written document names, each once, in the order they were learned. An analysis
//! made elsewhere (a pool thread, a cluster task) was made against some first part of this
//! list; the writer keeps it when that part is the one it has and no person learned since could
//! be named in the document.
//!
//! A first part is named by its length and a digest of its people's ids, so a record made on
//! another machine against a list planned there ([`crate::plan_known`]) is checked in O(1):
//! the digest of every first part is kept as the list grows.

use entente_actors::Person;
use serde::{Deserialize, Serialize};

/// The first `len` people known, as an analysis made against them names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownPrefix {
    pub len: usize,
    /// FNV-1a over the ids of those people, each followed by a 0xFF byte (never in UTF-8).
    pub digest: u64,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

impl KnownPrefix {
    /// No one: what an analysis made alone was made against.
    pub const NOBODY: KnownPrefix = KnownPrefix { len: 0, digest: FNV_OFFSET };
}
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn extend_digest(digest: u64, id: &str) -> u64 {
    id.bytes().chain(std::iter::once(0xFF)).fold(digest, |h, b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// The people known, in the order learned, with the digest of every first part.
#[derive(Debug, Clone)]
pub(crate) struct Known {
    people: Vec<Person>,
    /// `digests[n]` names the first `n` people.
    digests: Vec<u64>,
}

impl Known {
    pub(crate) fn new(people: Vec<Person>) -> Self {
        let mut known = Known { people: Vec::new(), digests: vec![KnownPrefix::NOBODY.digest] };
        known.learn(people);
        known
    }

    pub(crate) fn people(&self) -> &[Person] {
        &self.people
    }

    pub(crate) fn len(&self) -> usize {
        self.people.len()
    }

    /// Adds the people not known yet (by id), in their order.
    pub(crate) fn learn(&mut self, people: Vec<Person>) {
        for p in people {
            if !self.people.iter().any(|k| k.id == p.id) {
                let last = self.digests[self.digests.len() - 1];
                self.digests.push(extend_digest(last, &p.id));
                self.people.push(p);
            }
        }
    }

    /// The first `len` people, named.
    pub(crate) fn prefix(&self, len: usize) -> Option<KnownPrefix> {
        self.digests.get(len).map(|&digest| KnownPrefix { len, digest })
    }

    /// The people learned after `prefix`, when `prefix` is a first part of this list (None
    /// when it is not: the analysis made against it is not one this list could make).
    pub(crate) fn since(&self, prefix: KnownPrefix) -> Option<&[Person]> {
        (self.prefix(prefix.len)? == prefix).then(|| &self.people[prefix.len..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str) -> Person {
        Person { id: id.into(), name: id.into(), country: None, surname: id.into() }
    }

    #[test]
    fn a_first_part_is_recognised_by_its_length_and_ids() {
        let mut known = Known::new(vec![person("a"), person("b")]);
        let two = known.prefix(2).unwrap();
        known.learn(vec![person("b"), person("c")]);
        assert_eq!(known.len(), 3, "b is known once");
        assert_eq!(known.since(two).unwrap().iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["c"]);
        let other = Known::new(vec![person("a"), person("x"), person("c")]);
        assert_eq!(other.since(two), None, "the same length, other people");
        assert_eq!(known.since(other.prefix(3).unwrap()), None);
        assert_eq!(known.prefix(4), None);
        assert_eq!(known.since(KnownPrefix { len: 9, digest: 0 }), None);
        // Ids are separated: "ab" then "c" is not "a" then "bc".
        assert_ne!(
            Known::new(vec![person("ab"), person("c")]).prefix(2),
            Known::new(vec![person("a"), person("bc")]).prefix(2)
        );
    }
}
