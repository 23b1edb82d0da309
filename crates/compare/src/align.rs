//! Paragraph alignment: which block of the old version is which block of the new one.
//!
//! 1. Identical blocks are aligned by patience diff (`similar`): blocks whose text occurs
//!    once in each version anchor the alignment (their longest common subsequence), the gaps
//!    between anchors are aligned by Myers' diff. What is left are gaps: runs of old blocks
//!    deleted and new blocks inserted at one place.
//! 2. A block deleted in one gap and inserted unchanged in another is **moved** (blocks of at
//!    least [`MIN_MOVE_WORDS`] words; shorter ones, `Art. 5.`, repeat by chance).
//! 3. Inside each gap, deleted and inserted blocks that share enough words
//!    ([`CHANGED_MIN`], Dice coefficient of their words) are **changed** paragraphs: the
//!    pairing keeps their order and has the greatest total similarity (a weighted longest
//!    increasing subsequence over candidate pairs).
//! 4. A block deleted and inserted elsewhere with at most small edits ([`MOVED_MIN`]) is
//!    moved, too.
//!
//! In reading order, a gap shows the deleted, then the inserted blocks that end the section
//! before it, then the deleted, then the inserted blocks of the sections starting in it.
//!
//! Nothing is quadratic in the number of blocks: candidate pairs come from an inverted index
//! of each block's rarest words ([`RARE_WORDS`] of them, words shared by more than
//! [`MAX_POSTING`] blocks are not looked up), at most [`CANDIDATES`] per block.

use std::collections::HashMap;

use crate::words::{Bag, Vocabulary};
use crate::Block;

/// Least similarity of a deleted and an inserted block of one place to be one changed block.
pub const CHANGED_MIN: f64 = 0.4;
/// Least similarity of a deleted and an inserted block of different places to be a move.
pub const MOVED_MIN: f64 = 0.8;
/// Fewest words of a block recognised as moved.
pub const MIN_MOVE_WORDS: usize = 4;
/// How many of a block's rarest words find its candidate partners.
pub const RARE_WORDS: usize = 16;
/// Words in more blocks than this are too common to find partners by.
pub const MAX_POSTING: usize = 256;
/// The most candidate partners of one block whose similarity is computed.
pub const CANDIDATES: usize = 8;

/// One step of the alignment, in reading order (new version's order, deleted blocks where
/// they were, before what replaced them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Same(usize, usize),
    Changed(usize, usize),
    Removed(usize),
    Added(usize),
    /// A block moved elsewhere, at its old place: (old, new).
    MovedAway(usize, usize),
    /// A moved block at its new place: (old, new).
    MovedHere(usize, usize),
}

/// Aligns two versions' blocks.
pub fn align(old: &[Block], new: &[Block]) -> Vec<Step> {
    // Texts as ids: identical texts, identical ids.
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let old_ids = text_ids(&mut ids, old);
    let new_ids = text_ids(&mut ids, new);
    let mut vocabulary = Vocabulary::default();
    let old_bags: Vec<Bag> = old.iter().map(|b| vocabulary.bag(&b.text)).collect();
    let new_bags: Vec<Bag> = new.iter().map(|b| vocabulary.bag(&b.text)).collect();

    // 1. Identical blocks, and the gaps between them.
    let mut old_to: Vec<Option<usize>> = vec![None; old.len()];
    let mut gaps: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut open_gap = false;
    for op in similar::capture_diff_slices(similar::Algorithm::Patience, &old_ids, &new_ids) {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            for (i, j) in o.zip(n) {
                old_to[i] = Some(j);
            }
            open_gap = false;
            continue;
        }
        if !open_gap {
            gaps.push(Default::default());
            open_gap = true;
        }
        let gap = gaps.last_mut().expect("pushed above");
        gap.0.extend(o);
        gap.1.extend(n);
    }

    // 2. Unchanged blocks moved: the k-th unaligned occurrence of a text in the old version
    //    with its k-th in the new one.
    let mut moved_old: Vec<Option<usize>> = vec![None; old.len()];
    let mut moved_new: Vec<Option<usize>> = vec![None; new.len()];
    let mut waiting: HashMap<u32, std::collections::VecDeque<usize>> = HashMap::new();
    for &o in gaps.iter().flat_map(|(o, _)| o) {
        if old_bags[o].len() >= MIN_MOVE_WORDS {
            waiting.entry(old_ids[o]).or_default().push_back(o);
        }
    }
    for &n in gaps.iter().flat_map(|(_, n)| n) {
        if let Some(o) = waiting.get_mut(&new_ids[n]).and_then(|q| q.pop_front()) {
            moved_old[o] = Some(n);
            moved_new[n] = Some(o);
        }
    }

    // 3. Changed blocks inside each gap.
    let mut changed_old: Vec<Option<usize>> = vec![None; old.len()];
    let mut changed_new: Vec<Option<usize>> = vec![None; new.len()];
    for (gap_old, gap_new) in &gaps {
        let olds: Vec<usize> = gap_old
            .iter()
            .copied()
            .filter(|&o| moved_old[o].is_none())
            .collect();
        let news: Vec<usize> = gap_new
            .iter()
            .copied()
            .filter(|&n| moved_new[n].is_none())
            .collect();
        if olds.is_empty() || news.is_empty() {
            continue;
        }
        let pairs = candidates(&olds, &news, &old_bags, &new_bags, CHANGED_MIN);
        for (o, n) in ordered_best(&pairs) {
            changed_old[o] = Some(n);
            changed_new[n] = Some(o);
        }
    }

    // 4. Edited blocks moved.
    let left = |v: &[Option<usize>], w: &[Option<usize>], bags: &[Bag], i: usize| {
        v[i].is_none() && w[i].is_none() && bags[i].len() >= MIN_MOVE_WORDS
    };
    let olds: Vec<usize> = gaps
        .iter()
        .flat_map(|(o, _)| o.iter().copied())
        .filter(|&o| left(&moved_old, &changed_old, &old_bags, o))
        .collect();
    let news: Vec<usize> = gaps
        .iter()
        .flat_map(|(_, n)| n.iter().copied())
        .filter(|&n| left(&moved_new, &changed_new, &new_bags, n))
        .collect();
    let mut pairs = candidates(&olds, &news, &old_bags, &new_bags, MOVED_MIN);
    pairs.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    for (o, n, _) in pairs {
        if moved_old[o].is_none() && moved_new[n].is_none() {
            moved_old[o] = Some(n);
            moved_new[n] = Some(o);
        }
    }

    // The steps, in reading order: pairs of the same place keep their order in both versions.
    let mut anchors: Vec<Step> = Vec::new();
    for o in 0..old.len() {
        if let Some(n) = old_to[o] {
            anchors.push(Step::Same(o, n));
        } else if let Some(n) = changed_old[o] {
            anchors.push(Step::Changed(o, n));
        }
    }
    let mut steps = Vec::with_capacity(old.len().max(new.len()));
    let (mut o, mut n) = (0, 0);
    let end = Step::Same(old.len(), new.len());
    for anchor in anchors.into_iter().chain([end]) {
        let (Step::Same(ao, an) | Step::Changed(ao, an)) = anchor else {
            unreachable!("anchors are pairs")
        };
        // Within a gap, what ends the section before it comes first in both versions, then
        // the sections that start in it: a paragraph added at the end of a section is not
        // shown after the deleted sections that followed it.
        let old_split = (o..ao).find(|&i| old[i].kind.is_heading()).unwrap_or(ao);
        let new_split = (n..an).find(|&j| new[j].kind.is_heading()).unwrap_or(an);
        for (olds, news) in [(o..old_split, n..new_split), (old_split..ao, new_split..an)] {
            steps.extend(olds.map(|i| match moved_old[i] {
                Some(to) => Step::MovedAway(i, to),
                None => Step::Removed(i),
            }));
            steps.extend(news.map(|j| match moved_new[j] {
                Some(from) => Step::MovedHere(from, j),
                None => Step::Added(j),
            }));
        }
        if ao < old.len() {
            steps.push(anchor);
        }
        (o, n) = (ao + 1, an + 1);
    }
    steps
}

/// The id of each block's text, numbering texts not seen before.
fn text_ids<'a>(ids: &mut HashMap<&'a str, u32>, blocks: &'a [Block]) -> Vec<u32> {
    blocks
        .iter()
        .map(|b| {
            let next = ids.len() as u32;
            *ids.entry(b.text.as_str()).or_insert(next)
        })
        .collect()
}

/// Pairs `(old, new, similarity)` of blocks among `olds` × `news` at least `min` alike, at
/// most [`CANDIDATES`] per old block, found through their rarest shared words.
fn candidates(
    olds: &[usize],
    news: &[usize],
    old_bags: &[Bag],
    new_bags: &[Bag],
    min: f64,
) -> Vec<(usize, usize, f64)> {
    let mut postings: HashMap<u32, Vec<usize>> = HashMap::new();
    for (k, &n) in news.iter().enumerate() {
        for w in new_bags[n].distinct() {
            postings.entry(w).or_default().push(k);
        }
    }
    let mut hits = vec![0u32; news.len()];
    let mut touched: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for &o in olds {
        let mut words: Vec<(usize, u32)> = old_bags[o]
            .distinct()
            .filter_map(|w| postings.get(&w).map(|p| (p.len(), w)))
            .filter(|(len, _)| *len <= MAX_POSTING)
            .collect();
        words.sort_unstable();
        for (_, w) in words.iter().take(RARE_WORDS) {
            for &k in &postings[w] {
                if hits[k] == 0 {
                    touched.push(k);
                }
                hits[k] += 1;
            }
        }
        touched.sort_unstable_by(|a, b| hits[*b].cmp(&hits[*a]).then(a.cmp(b)));
        for &k in touched.iter().take(CANDIDATES) {
            let n = news[k];
            let similarity = old_bags[o].similarity(&new_bags[n]);
            if similarity >= min {
                out.push((o, n, similarity));
            }
        }
        for k in touched.drain(..) {
            hits[k] = 0;
        }
    }
    out
}

/// The pairs, increasing in both old and new index, with the greatest total similarity.
fn ordered_best(pairs: &[(usize, usize, f64)]) -> Vec<(usize, usize)> {
    if pairs.is_empty() {
        return Vec::new();
    }
    // Scores in millionths: integer sums, the same on every machine.
    let score = |s: f64| (s * 1e6).round() as u64;
    let mut news: Vec<usize> = pairs.iter().map(|p| p.1).collect();
    news.sort_unstable();
    news.dedup();
    let rank = |n: usize| news.binary_search(&n).expect("listed");
    // Old ascending, new descending among one old block, so that no two pairs of one old
    // block chain.
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_by(|&a, &b| {
        pairs[a]
            .0
            .cmp(&pairs[b].0)
            .then(pairs[b].1.cmp(&pairs[a].1))
    });
    // A Fenwick tree of the best chain ending at a new rank: (total, pair).
    let mut tree: Vec<(u64, Option<usize>)> = vec![(0, None); news.len() + 1];
    let mut back: Vec<Option<usize>> = vec![None; pairs.len()];
    let mut total: Vec<u64> = vec![0; pairs.len()];
    let mut best: (u64, Option<usize>) = (0, None);
    for &p in &order {
        let r = rank(pairs[p].1);
        // Best chain over new ranks < r.
        let mut before = (0u64, None);
        let mut i = r;
        while i > 0 {
            if tree[i].0 > before.0 {
                before = tree[i];
            }
            i &= i - 1;
        }
        total[p] = before.0 + score(pairs[p].2);
        back[p] = before.1;
        if total[p] > best.0 {
            best = (total[p], Some(p));
        }
        let mut i = r + 1;
        while i < tree.len() {
            if total[p] > tree[i].0 {
                tree[i] = (total[p], Some(p));
            }
            i += i & i.wrapping_neg();
        }
    }
    let mut chain = Vec::new();
    let mut at = best.1;
    while let Some(p) = at {
        chain.push((pairs[p].0, pairs[p].1));
        at = back[p];
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BlockKind;

    fn blocks(texts: &[&str]) -> Vec<Block> {
        texts
            .iter()
            .map(|t| Block::new(BlockKind::Paragraph, t))
            .collect()
    }

    #[test]
    fn same_changed_added_removed() {
        let old = blocks(&[
            "Pierwszy akapit bez zmian.",
            "Drugi akapit, który ktoś poprawił w jednym miejscu.",
            "Trzeci akapit, usunięty w całości z tekstu.",
            "Czwarty bez zmian.",
        ]);
        let new = blocks(&[
            "Pierwszy akapit bez zmian.",
            "Drugi akapit, który ktoś poprawił w dwóch miejscach.",
            "Zupełnie nowy tekst o czymś innym.",
            "Czwarty bez zmian.",
        ]);
        assert_eq!(
            align(&old, &new),
            [
                Step::Same(0, 0),
                Step::Changed(1, 1),
                Step::Removed(2),
                Step::Added(2),
                Step::Same(3, 3)
            ]
        );
    }

    #[test]
    fn moves_identical_and_edited() {
        let old = blocks(&[
            "Akapit A, który zostanie przeniesiony na koniec.",
            "Akapit B zostaje na miejscu.",
            "Akapit C zostaje na miejscu też.",
            "Akapit D przeniesiony i lekko poprawiony przez redakcję tekstu.",
            "Akapit E zostaje.",
        ]);
        let new = blocks(&[
            "Akapit D przeniesiony i lekko poprawiony przez redakcję tego tekstu.",
            "Akapit B zostaje na miejscu.",
            "Akapit C zostaje na miejscu też.",
            "Akapit E zostaje.",
            "Akapit A, który zostanie przeniesiony na koniec.",
        ]);
        let steps = align(&old, &new);
        assert!(steps.contains(&Step::MovedAway(0, 4)), "{steps:?}");
        assert!(steps.contains(&Step::MovedHere(0, 4)), "{steps:?}");
        assert!(steps.contains(&Step::MovedAway(3, 0)), "{steps:?}");
        assert!(steps.contains(&Step::MovedHere(3, 0)), "{steps:?}");
        assert_eq!(steps.len(), 7);
    }

    #[test]
    fn order_preserving_pairing_takes_the_best_total() {
        // d0 is a little like n1 and much like n0; d1 is much like n1.
        let pairs = [(0, 0, 0.9), (0, 1, 0.5), (1, 1, 0.9), (1, 0, 0.45)];
        assert_eq!(ordered_best(&pairs), [(0, 0), (1, 1)]);
        // Crossing pairs: only one survives, the stronger.
        assert_eq!(ordered_best(&[(0, 1, 0.9), (1, 0, 0.6)]), [(0, 1)]);
    }

    #[test]
    fn short_repeated_blocks_are_not_moves() {
        let old = blocks(&["Art. 5.", "Alfa beta gamma delta.", "Dzeta eta theta jota."]);
        let new = blocks(&["Alfa beta gamma delta.", "Dzeta eta theta jota.", "Art. 5."]);
        assert_eq!(
            align(&old, &new),
            [
                Step::Removed(0),
                Step::Same(1, 0),
                Step::Same(2, 1),
                Step::Added(2)
            ]
        );
    }
}
