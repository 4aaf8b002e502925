//! Calls that share one write transaction (group commit in `Simulator::invoke_many`): a
//! [`CallMark`] lets a failed call undo only its own changes.

use super::Db;

/// Where a call of a batch began, without an SQL savepoint: opening one made SQLite copy
/// every page the call touched into a statement journal, the largest cost of a batched
/// read-only call. Most failed calls fail before writing anything; for those the in-memory
/// state is all there is to undo, and a failed call that did write is undone by retrying
/// the batch call by call.
#[derive(Debug, Clone, Copy)]
pub struct CallMark {
    changes: u64,
}

impl Db<'_> {
    /// Marks the start of a call.
    pub fn mark_call(&self) -> CallMark {
        self.hot.borrow_mut().push_savepoint();
        CallMark {
            changes: self.conn.total_changes(),
        }
    }

    /// The call succeeded: keep everything.
    pub fn keep_call(&self, _mark: CallMark) {
        self.hot.borrow_mut().release_savepoint();
    }

    /// The call failed: undoes its in-memory changes and returns true if it wrote nothing;
    /// returns false (undoing nothing) if it wrote rows, which only a rollback can undo.
    pub fn undo_call(&self, mark: CallMark) -> bool {
        if self.conn.total_changes() != mark.changes {
            return false;
        }
        self.hot.borrow_mut().rollback_savepoint();
        true
    }
}
