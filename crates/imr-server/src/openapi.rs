//! The OpenAPI document of the JSON API: the API's routes (`api.rs`), the corpus's and the
//! public copy's, with bearer authentication.

// The API's handlers by their bare names, as the document has always named them (a path would
// become a tag).
use crate::api::*;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "imr", description = "Independent Medical Review: cases, reviewers, determinations and letters."),
    paths(login, logout, me, create_user, create_application, list_cases, get_case, get_eligibility,
          list_documents, upload_document, get_document, get_candidates, assign, get_proposal, sign,
          get_letter, issue_letter, get_audit, get_deadlines, list_reviewers, add_reviewer,
          crate::corpus::get_search, crate::corpus::get_stats, crate::corpus::get_precedents, crate::corpus::get_decision,
          crate::public_copy::get_public_copy, crate::public_copy::post_public_copy,
          crate::health),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document, as served at /openapi.json and checked in as docs/openapi.json.
pub fn openapi_json() -> String {
    use utoipa::OpenApi;
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
