//! The reviewer's workbench (filled in below).

use crate::state::AppState;

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
}
