//! The whole store as JSON lines, one record a line (`imr import` restores it exactly).

use std::io::Write;

use imr_store::StoreError;

use crate::app::App;
use crate::error::AppError;

impl App {
    /// Writes every record of the store to `out`, one JSON line each; how many.
    pub async fn export_lines(&self, out: &mut (dyn Write + Send)) -> Result<u64, AppError> {
        let mut lines = 0u64;
        self.store
            .export(&mut |record| {
                serde_json::to_writer(&mut *out, &record)
                    .map_err(|e| StoreError::Other(format!("writing the export: {e}")))?;
                out.write_all(b"\n")?;
                lines += 1;
                Ok(())
            })
            .await?;
        out.flush().map_err(StoreError::from)?;
        Ok(lines)
    }
}
