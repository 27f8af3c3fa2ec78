//! The row objects a dataset's query results share.
//!
//! A page of rows is most of a query's cost in JavaScript: building its
//! objects takes longer than finding them. So each `Dataset` keeps the
//! objects it has built, frozen (they are shared), in a store of
//! [`CAPACITY`] slots on the JavaScript side, and this side remembers
//! which row (and which `fields` list) each slot holds. A page then names
//! the slots it reuses and sends the JSON of the rows it adds; the store
//! forgets the oldest rows first.

/// How many row objects a dataset keeps: four pages of the largest size,
/// so that a page never fills a slot twice.
pub(crate) const CAPACITY: u32 = 8192;

/// How many `fields` lists are told apart before the store starts over.
const PROJECTIONS: usize = 8;

/// Marks a page's code for a row new to the store: its object comes next
/// in the page's JSON, and then takes the slot in the code's other bits.
pub(crate) const FRESH: u32 = 1 << 31;

/// Which rows the JavaScript store holds, and where.
pub(crate) struct RowSlots {
    /// For each projection, by row: one more than the slot that holds the
    /// row's object (0 for none). Grown to a row's number when it is
    /// first stored.
    slots: Vec<Vec<u32>>,
    /// By slot: the projection and row it holds.
    keys: Vec<(u32, u32)>,
    /// The slot the next new row takes: the oldest.
    next: u32,
    /// The `fields` lists told apart, sorted and without repeats; a
    /// row's key holds the list's place here.
    projections: Vec<Option<Vec<String>>>,
}

impl RowSlots {
    /// An empty store.
    pub(crate) fn new() -> Self {
        RowSlots {
            slots: Vec::new(),
            keys: Vec::new(),
            next: 0,
            projections: Vec::new(),
        }
    }

    /// The number of the list `fields` (in any order, with repeats): the
    /// same list always has the same number until the store starts over,
    /// which a list beyond [`PROJECTIONS`] makes it do.
    pub(crate) fn projection(&mut self, fields: Option<&[String]>) -> u32 {
        let list = fields.map(|fields| {
            let mut list = fields.to_vec();
            list.sort_unstable();
            list.dedup();
            list
        });
        if let Some(at) = self.projections.iter().position(|known| *known == list) {
            // Fewer than PROJECTIONS.
            return u32::try_from(at).unwrap_or(0);
        }
        if self.projections.len() == PROJECTIONS {
            self.projections.clear();
            self.slots.clear();
            self.keys.clear();
            self.next = 0;
        }
        self.projections.push(list);
        self.slots.push(Vec::new());
        let at = self.projections.len() - 1;
        // Fewer than PROJECTIONS.
        u32::try_from(at).unwrap_or(0)
    }

    /// The page of `rows` with the list `fields`: each row's code (see
    /// [`RowSlots::code`]), and the JSON array of the rows new to the
    /// store, in their order, each object written by `write`.
    pub(crate) fn page(
        &mut self,
        fields: Option<&[String]>,
        rows: &[u32],
        mut write: impl FnMut(&mut String, u32),
    ) -> (Vec<u32>, String) {
        let projection = self.projection(fields);
        let mut fresh = String::from("[");
        let codes = rows
            .iter()
            .map(|&row| {
                let code = self.code(projection, row);
                if code & FRESH != 0 {
                    if fresh.len() > 1 {
                        fresh.push(',');
                    }
                    write(&mut fresh, row);
                }
                code
            })
            .collect();
        fresh.push(']');
        (codes, fresh)
    }

    /// The code of row `row` in the list numbered `projection`: the slot
    /// that holds its object, or a new slot marked [`FRESH`] (the oldest
    /// row's, which the store forgets).
    pub(crate) fn code(&mut self, projection: u32, row: u32) -> u32 {
        let (p, r) = (projection as usize, row as usize);
        if let Some(&held) = self.slots.get(p).and_then(|rows| rows.get(r)) {
            if held > 0 {
                return held - 1;
            }
        }
        let slot = self.next;
        self.next = (self.next + 1) % CAPACITY;
        match self.keys.get_mut(slot as usize) {
            Some(old) => {
                // The oldest row loses its slot.
                let (op, or) = (old.0 as usize, old.1 as usize);
                if let Some(held) = self.slots.get_mut(op).and_then(|rows| rows.get_mut(or)) {
                    if *held == slot + 1 {
                        *held = 0;
                    }
                }
                *old = (projection, row);
            }
            None => self.keys.push((projection, row)),
        }
        if let Some(rows) = self.slots.get_mut(p) {
            if rows.len() <= r {
                rows.resize(r + 1, 0);
            }
            rows[r] = slot + 1;
        }
        slot | FRESH
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_sent_once_then_named_by_its_slot() {
        let mut store = RowSlots::new();
        let all = store.projection(None);
        assert_eq!(store.code(all, 7), FRESH);
        assert_eq!(store.code(all, 9), 1 | FRESH);
        assert_eq!(store.code(all, 7), 0);
        assert_eq!(store.code(all, 9), 1);
    }

    #[test]
    fn a_page_sends_only_the_rows_new_to_the_store() {
        let mut store = RowSlots::new();
        let write = |out: &mut String, row: u32| {
            out.push_str("{\"r\":");
            out.push_str(&row.to_string());
            out.push('}');
        };
        let (codes, fresh) = store.page(None, &[4, 2], write);
        assert_eq!(codes, [FRESH, 1 | FRESH]);
        assert_eq!(fresh, r#"[{"r":4},{"r":2}]"#);
        let (codes, fresh) = store.page(None, &[2, 9, 4], write);
        assert_eq!(codes, [1, 2 | FRESH, 0]);
        assert_eq!(fresh, r#"[{"r":9}]"#);
        let (codes, fresh) = store.page(None, &[9], write);
        assert_eq!(codes, [2]);
        assert_eq!(fresh, "[]");
    }

    #[test]
    fn each_fields_list_has_its_own_objects() {
        let mut store = RowSlots::new();
        let all = store.projection(None);
        let names = store.projection(Some(&["name".into(), "id".into()]));
        assert_ne!(all, names);
        // The same list in another order, with a repeat.
        assert_eq!(
            store.projection(Some(&["id".into(), "name".into(), "id".into()])),
            names
        );
        assert_eq!(store.code(all, 3), FRESH);
        assert_eq!(store.code(names, 3), 1 | FRESH);
        assert_eq!(store.code(all, 3), 0);
    }

    #[test]
    fn the_oldest_rows_are_forgotten_first() {
        let mut store = RowSlots::new();
        let all = store.projection(None);
        for row in 0..CAPACITY {
            assert_eq!(store.code(all, row), row | FRESH);
        }
        // The store is full: a new row takes row 0's slot.
        assert_eq!(store.code(all, CAPACITY), FRESH);
        assert_eq!(store.code(all, 1), 1);
        assert_eq!(store.code(all, 0), 1 | FRESH);
        // Row 1 lost its slot to row 0.
        assert_eq!(store.code(all, 1), 2 | FRESH);
    }

    #[test]
    fn too_many_fields_lists_start_the_store_over() {
        let mut store = RowSlots::new();
        let first = store.projection(None);
        assert_eq!(store.code(first, 5), FRESH);
        for k in 0..PROJECTIONS {
            store.projection(Some(&[format!("f{k}")]));
        }
        // The store started over: the first list's row is new again.
        let again = store.projection(None);
        assert_ne!(store.code(again, 5) & FRESH, 0);
        assert_eq!(store.code(again, 5) & FRESH, 0);
    }
}
