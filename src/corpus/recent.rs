//! A cache of the values used most recently, bounded by their total weight (a count, or
//! bytes): what a corpus keeps of the documents it reads on demand, and what the shared store
//! keeps of the documents and postings it fetches.

use std::collections::HashMap;
use std::hash::Hash;

/// Values by key, each with its weight and the tick of its last use.
#[derive(Debug)]
pub(crate) struct Recent<K, V> {
    entries: HashMap<K, (V, usize, u64)>,
    weight: usize,
    limit: usize,
    tick: u64,
}

impl<K: Hash + Eq + Copy, V: Clone> Recent<K, V> {
    /// An empty cache holding at most `limit` of weight.
    pub(crate) fn new(limit: usize) -> Self {
        Recent { entries: HashMap::new(), weight: 0, limit, tick: 0 }
    }

    pub(crate) fn contains(&self, key: &K) -> bool {
        self.entries.contains_key(key)
    }

    /// The value of `key`, which now counts as the most recently used.
    pub(crate) fn get(&mut self, key: &K) -> Option<V> {
        self.tick += 1;
        let entry = self.entries.get_mut(key)?;
        entry.2 = self.tick;
        Some(entry.0.clone())
    }

    /// Keeps `value` under `key`, then drops the least recently used others until the total
    /// weight is within the limit again.
    pub(crate) fn insert(&mut self, key: K, value: V, weight: usize) {
        self.tick += 1;
        self.weight += weight;
        if let Some((_, old, _)) = self.entries.insert(key, (value, weight, self.tick)) {
            self.weight -= old;
        }
        while self.weight > self.limit {
            let Some(oldest) = self.entries.iter().filter(|(k, _)| **k != key).min_by_key(|(_, e)| e.2).map(|(k, _)| *k) else { break };
            if let Some((_, dropped, _)) = self.entries.remove(&oldest) {
                self.weight -= dropped;
            }
        }
    }

    /// The total weight held.
    #[cfg(test)]
    pub(crate) fn weight(&self) -> usize {
        self.weight
    }
}

#[cfg(test)]
mod tests {
    use super::Recent;

    #[test]
    fn the_least_recently_used_go_first_and_the_weight_stays_within_the_limit() {
        let mut cache = Recent::new(3);
        for key in 0..3 {
            cache.insert(key, key * 10, 1);
        }
        assert_eq!(cache.get(&0), Some(0));
        cache.insert(3, 30, 1);
        assert!(cache.contains(&0) && !cache.contains(&1) && cache.contains(&3));
        cache.insert(4, 40, 3);
        assert_eq!((cache.weight(), cache.contains(&4), cache.contains(&0)), (3, true, false), "a heavy value drops several");
    }
}
