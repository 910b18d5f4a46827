//! Titles and roles around a name: the title part of a run, chains of
//! modifiers before a name, appositions after it, title-only mentions.

use super::*;

impl<'a> super::Finder<'a> {
    /// Words allowed in the title part of a run.
    pub(super) fn title_part_ok(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if !t.is_word() {
            return true;
        }
        let k = self.key(i);
        !chorus_text::is_stopword(k) && (self.is_title_word(i) || self.is_role(i) || self.has_evidence(i))
    }

    /// A role head inside run `a..b` followed by a name: (head, name start).
    pub(super) fn split_title(&self, a: usize, b: usize) -> Option<(usize, usize)> {
        let whole = &self.text[self.toks[a].start..self.toks[b - 1].end];
        if gazetteer::lookup(whole).is_some() {
            return None;
        }
        for h in (a..b).rev() {
            if !(self.is_role(h) || self.is_honorific(h)) || !self.toks[h].cap {
                continue;
            }
            let mut n = self.of_phrase(h + 1, b);
            if n < b && self.is_punct(n, '.') {
                n += 1;
            }
            if n < b && self.name_like(n, b) {
                return Some((h, n));
            }
        }
        None
    }

    /// After a role head at `i - 1`: the end of "of State", "for the
    /// Interior", "of Ukraine" (a gazetteer name), or `i` when none.
    pub(super) fn of_phrase(&self, i: usize, b: usize) -> usize {
        if i >= b || !matches!(self.key(i), "of" | "for") {
            return i;
        }
        let mut m = i + 1;
        if m < b && self.key(m) == "the" {
            m += 1;
        }
        let dom = m;
        while m < b && self.is_title_word(m) && !GAZ.is_first_name_key(self.key(m)) {
            m += 1;
        }
        if m == dom && m < b && GAZ.lookup_cased(self.key(m), self.toks[m].upper).is_some() {
            m += 1;
        }
        if m == dom { i } else { m }
    }

    /// Could tokens `n..b` be a person's name (after a title)?
    pub(super) fn name_like(&self, n: usize, b: usize) -> bool {
        if !self.is_cap_word(n) {
            return false;
        }
        let whole = &self.text[self.toks[n].start..self.toks[b - 1].end];
        if gazetteer::lookup(whole).is_some() {
            return false;
        }
        let last = self.key(b - 1);
        if in_list(&ORG_SUFFIXES, last) || in_list(&PLACE_SUFFIXES, last) || in_list(&OTHER_SUFFIXES, last) {
            return false;
        }
        (n..b).all(|i| {
            let t = &self.toks[i];
            !t.is_word() || !(self.is_role(i) || (t.cap && self.is_title_word(i) && !self.has_evidence(i)))
        })
    }

    /// A run made only of a title ("U.S. President", "Chief of Staff"): the
    /// index of its head.
    pub(super) fn title_only_head(&self, a: usize, b: usize) -> Option<usize> {
        let mut h = None;
        for i in (a..b).rev() {
            if self.is_role(i) && self.toks[i].cap {
                h = Some(i);
                break;
            }
        }
        let h = h?;
        if self.of_phrase(h + 1, b) != b && h + 1 != b {
            return None;
        }
        let ok = (a..h).all(|i| {
            let t = &self.toks[i];
            if !t.is_word() {
                return true;
            }
            let k = self.key(i);
            self.is_title_word(i)
                || self.is_role(i)
                || self.is_group_adjective(k)
                || GAZ.lookup_cased(k, t.upper).is_some()
        });
        ok.then_some(h)
    }

    /// Capitalised qualifiers in a title ("US", "European Commission",
    /// "Kremlin") are mentions in their own right.
    pub(super) fn emit_qualifiers(&mut self, a: usize, h: usize) {
        let mut i = a;
        while i < h {
            if !self.is_cap_word(i) {
                i += 1;
                continue;
            }
            // The longest gazetteer name here, title words included ("US
            // Treasury", "European Commission").
            if let Some(k) = (i + 1..=h).rev().find(|&k| self.known(i, k)) {
                self.name(i, k, None);
                i = k;
                continue;
            }
            let skip = self.is_title_word(i) || self.is_role(i) || self.is_group_adjective(self.key(i));
            if skip {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < h && self.is_cap_word(j) && !self.is_title_word(j) && !self.is_role(j) {
                j += 1;
            }
            self.name(i, j, None);
            i = j;
        }
    }

    /// Walks left from token `k` over a title written before a name.
    ///
    /// With `need_head`, the words just before `k` (or before a comma just
    /// before `k`) must end in a role head ("journalist X", "his chief of
    /// staff, X"); otherwise a title is already in the run and only
    /// modifiers ("former") and possessive qualifiers ("Ukraine’s") extend
    /// it. Returns the first token of the title.
    pub(super) fn left_chain(&self, k: usize, need_head: bool) -> Option<usize> {
        let toks = self.toks;
        if k == 0 {
            return None;
        }
        let mut q = k - 1;
        if need_head && self.is_punct(q, ',') && q > 0 && self.same_sent(q, k) {
            q -= 1;
        }
        // "an attorney for X", "the governor of X": X is whom the role
        // serves, not its holder.
        if toks[q].is_word() && matches!(self.key(q), "of" | "for") {
            return None;
        }
        let mut has_head = !need_head;
        let mut start = None;
        let mut of_seen = false;
        loop {
            if !self.same_sent(q, k) {
                break;
            }
            let t = &toks[q];
            match t.kind {
                Kind::Word => {
                    let key = self.key(q);
                    if !has_head && (self.is_role(q) && !t.cap || self.is_role(q) && need_head) {
                        has_head = true;
                        start = Some(q);
                    } else if has_head && (self.is_role(q) || self.is_title_word(q)) && (!t.cap || t.initial) {
                        // A sentence's first word is capitalised by its
                        // place only: "Former Florida governor X" keeps its
                        // "Former" as "former Florida governor X" would.
                        start = Some(q);
                    } else if !has_head && (self.is_title_word(q) || matches!(key, "the")) {
                        // Part of an of-phrase after the head ("chief of staff").
                    } else if !has_head && matches!(key, "of" | "for") {
                        of_seen = true;
                    } else if has_head && t.cap && start.is_some() && need_head {
                        // Capitalised qualifier before the head ("Kremlin").
                        if self.is_calendar(q) || (t.initial && !self.has_evidence(q)) {
                            break;
                        }
                        start = Some(q);
                    } else if has_head && key == "ex" && self.is_punct(q + 1, '-') {
                        start = Some(q);
                    } else {
                        break;
                    }
                }
                Kind::Poss => {
                    // "Ukraine’s", "Trump’s": only when a name stands before it.
                    if !has_head || q == 0 || !self.is_cap_word(q - 1) {
                        break;
                    }
                    let mut p = q - 1;
                    while p > 0 && self.is_cap_word(p - 1) && self.same_sent(p - 1, q) && !toks[p].initial {
                        p -= 1;
                    }
                    if toks[p].initial && !self.has_evidence(p) && p + 1 < q {
                        p += 1;
                    }
                    start = Some(p);
                    if p == 0 {
                        break;
                    }
                    q = p - 1;
                    continue;
                }
                Kind::Punct if has_head && self.is_punct(q, '-') && t.glued => {}
                _ => break,
            }
            if q == 0 {
                break;
            }
            q -= 1;
        }
        let _ = of_seen;
        let s = start?;
        if !has_head || s >= k {
            return None;
        }
        // The title must not start inside an of-phrase.
        if matches!(self.key(s), "of" | "for" | "the") {
            return None;
        }
        Some(s)
    }

    /// A title after a name across a comma: "X, Ukraine’s defense chief,".
    pub(super) fn right_apposition(&self, e: usize) -> Option<Range<usize>> {
        let toks = self.toks;
        if e >= toks.len() || !self.is_punct(e, ',') || !self.same_sent(e - 1, e) {
            return None;
        }
        let mut q = e + 1;
        if q < toks.len() && matches!(self.key(q), "a" | "an" | "the") {
            q += 1;
        }
        let first = q;
        // Possessive qualifier: "Ukraine’s", "the bank’s".
        let mut p = q;
        // Content words only: "X, who served as Obama's secretary of
        // state," is a relative clause about X, not a title.
        while p < toks.len()
            && toks[p].is_word()
            && !chorus_text::is_stopword(self.key(p))
            && self.same_sent(e, p)
            && p - q < 4
        {
            if toks.get(p + 1).is_some_and(|t| t.kind == Kind::Poss) {
                q = p + 2;
                break;
            }
            p += 1;
        }
        let mut unknown = 0;
        let mut head_end = None;
        while q < toks.len() && self.same_sent(e, q) {
            let t = &toks[q];
            if !t.is_word() {
                break;
            }
            let key = self.key(q);
            if self.is_role(q) {
                let after = self.of_phrase(q + 1, toks.len());
                head_end = Some(after);
                q = after;
                continue;
            }
            if self.is_title_word(q) {
                q += 1;
                continue;
            }
            if chorus_text::is_stopword(key) || t.cap || unknown >= 2 || head_end.is_some() {
                break;
            }
            unknown += 1;
            q += 1;
        }
        let end = head_end?;
        let closes = end >= toks.len()
            || !self.same_sent(e, end)
            || [',', ';', ')', '.', '—', '–'].iter().any(|&c| self.is_punct(end, c))
            || self.key(end) == "who"
            || crate::cues::finite_speech_verb(self.key(end)).is_some();
        if !closes || first >= end {
            return None;
        }
        Some(first..end)
    }

    /// Drops a leading determiner or possessive pronoun from a title range
    /// and returns its byte range; `name_tok` is the name's first token.
    pub(super) fn trim_title(&self, title: Range<usize>, name_tok: usize) -> Range<usize> {
        let mut s = title.start;
        let e = self.title_end(title.end, name_tok);
        let t = &self.text[s..e];
        for det in ["the ", "The ", "his ", "His ", "her ", "Her ", "their ", "Their ", "its ", "Its "] {
            if t.starts_with(det) {
                s += det.len();
            }
        }
        s..e
    }

    /// A title's end without a comma or period before the name.
    pub(super) fn title_end(&self, end: usize, _name_tok: usize) -> usize {
        let t = &self.text[..end];
        t.trim_end_matches([',', ' ']).len()
    }
}
