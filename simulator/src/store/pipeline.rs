//! Reads the pipeline's bounded passes need: documents by the time they were written, so a
//! pass reads the span it works on rather than a resource's whole history.

use rusqlite::params;

use super::{Db, Result, StoredDocument, stored_documents};

impl<'a> Db<'a> {
    /// Documents of one kind, account and region first written in `[from_ms, to_ms)`,
    /// ordered by id.
    pub fn documents_created_between(
        &self,
        service: &str,
        kind: &str,
        account_id: &str,
        region: &str,
        (from_ms, to_ms): (i64, i64),
    ) -> Result<Vec<StoredDocument>> {
        let mut st = self.conn.prepare_cached(
            "SELECT account_id, region, id, body FROM documents
             WHERE service = ?1 AND kind = ?2 AND account_id = ?3 AND region = ?4
               AND created_ms >= ?5 AND created_ms < ?6
             ORDER BY id",
        )?;
        stored_documents(
            &mut st,
            params![service, kind, account_id, region, from_ms, to_ms],
        )
    }
}
