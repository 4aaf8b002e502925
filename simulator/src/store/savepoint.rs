//! Savepoints inside a write transaction, so that several calls can share one commit
//! (group commit in `Simulator::invoke_many`) while each call's failure still undoes only
//! that call's changes.

use super::{Db, Result};

impl Db<'_> {
    /// Opens a savepoint (nested inside the current transaction).
    pub fn savepoint(&self) -> Result<()> {
        self.conn.prepare_cached("SAVEPOINT call")?.execute([])?;
        self.hot.borrow_mut().push_savepoint();
        Ok(())
    }

    /// Keeps what was done since the matching [`Db::savepoint`].
    pub fn release_savepoint(&self) -> Result<()> {
        self.conn.prepare_cached("RELEASE call")?.execute([])?;
        self.hot.borrow_mut().release_savepoint();
        Ok(())
    }

    /// Undoes what was done since the matching [`Db::savepoint`] and closes it.
    pub fn rollback_savepoint(&self) -> Result<()> {
        self.conn.prepare_cached("ROLLBACK TO call")?.execute([])?;
        self.conn.prepare_cached("RELEASE call")?.execute([])?;
        self.hot.borrow_mut().rollback_savepoint();
        Ok(())
    }
}
