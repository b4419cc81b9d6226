//! The JSON API under `/api`: every case operation, authenticated by bearer tokens
//! (`POST /api/login`), authorized on the server for every request. Errors are JSON
//! `{"error": "..."}` with 400 (malformed), 401, 403, 404, 409 (a step the rules forbid), 413
//! or 422 (a determination's field missing or invalid).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use imr_case::{Application, AuditEntry, NoticeMethod, Reviewer, deadlines};
use imr_store::accounts::{Role, SessionKind};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{self, ApiUser};
use crate::cases::{self, Candidates, CaseSummary, LetterFormat, STAFF, SignRequest};
use crate::error::{ApiError, ApiResult};
use crate::queue::QueueQuery;
use crate::state::{AppState, now};

/// A JSON body whose errors are JSON too: 400 with the serde message (line and column).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> ApiResult<ApiJson<T>> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            ApiError::new(
                e.status(),
                format!("the request body could not be read: {e}"),
            )
        })?;
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| {
            ApiError::bad_request(format!(
                "malformed JSON body: {e} (line {}, column {})",
                e.line(),
                e.column()
            ))
        })
    }
}

pub fn router(state: &AppState) -> axum::Router<AppState> {
    let upload_limit = state.settings.max_upload_bytes;
    axum::Router::new()
        .route("/api/login", post(login))
        .route("/api/logout", post(logout))
        .route("/api/me", get(me))
        .route("/api/users", post(create_user))
        .route("/api/applications", post(create_application))
        .route("/api/cases", get(list_cases))
        .route("/api/cases/{number}", get(get_case))
        .route("/api/cases/{number}/eligibility", get(get_eligibility))
        .route(
            "/api/cases/{number}/documents",
            get(list_documents)
                .post(upload_document)
                // Only this route takes large bodies.
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/api/documents/{id}", get(get_document))
        .route("/api/cases/{number}/candidates", get(get_candidates))
        .route("/api/cases/{number}/assignment", post(assign))
        .route("/api/cases/{number}/proposal", get(get_proposal))
        .route("/api/cases/{number}/determination", post(sign))
        .route(
            "/api/cases/{number}/letter",
            get(get_letter).post(issue_letter),
        )
        .route("/api/cases/{number}/audit", get(get_audit))
        .route("/api/deadlines", get(get_deadlines))
        .route("/api/reviewers", get(list_reviewers).post(add_reviewer))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: i64,
    pub role: String,
}

/// Logs in and returns an API token. After a few failed attempts of one username from one
/// address, the next attempt of that pair must wait, longer after each failure (429 with
/// Retry-After); nothing locks, and unknown names are answered as known ones.
#[utoipa::path(post, path = "/api/login", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, description = "wrong username or password"),
              (status = 403, description = "a one-time password: change it on the web first"),
              (status = 429, description = "too many failed logins of this username from this address: wait Retry-After seconds")))]
pub(crate) async fn login(
    State(state): State<AppState>,
    axum::Extension(client): axum::Extension<crate::ClientAddr>,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, Response> {
    let auth::LoggedIn { token, session, .. } = auth::login(
        &state,
        auth::LoginFrom {
            address: client.0,
            device: None,
        },
        &body.username,
        &body.password,
        SessionKind::Api,
    )
    .await
    .map_err(|e| {
        let retry_after = e
            .retry_after()
            .map(|s| [(axum::http::header::RETRY_AFTER, s.to_string())]);
        (retry_after, ApiError::from(e)).into_response()
    })?;
    Ok(Json(LoginResponse {
        token,
        expires_at: session.expires_at,
        role: session.user.role.as_str().to_string(),
    }))
}

/// Ends the token's session.
#[utoipa::path(post, path = "/api/logout", responses((status = 204)), security(("bearer" = [])))]
pub(crate) async fn logout(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<StatusCode> {
    state.accounts.delete_session(&who.token_sha256).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub username: String,
    pub role: String,
    pub reviewer_id: Option<String>,
    pub case_number: Option<String>,
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/me", responses((status = 200, body = Me)), security(("bearer" = [])))]
pub(crate) async fn me(ApiUser(who): ApiUser) -> Json<Me> {
    Json(Me {
        username: who.username,
        role: who.role.as_str().to_string(),
        reviewer_id: who.reviewer_id,
        case_number: who.case_number,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    pub username: String,
    pub password: String,
    /// intake_clerk, reviewer, administrator, quality or party.
    pub role: String,
    #[serde(default)]
    pub reviewer_id: Option<String>,
    #[serde(default)]
    pub case_number: Option<String>,
}

/// Creates a user (administrators only).
#[utoipa::path(post, path = "/api/users", request_body = NewUserRequest,
    responses((status = 201, body = Me), (status = 400), (status = 403), (status = 409, description = "the username is taken")),
    security(("bearer" = [])))]
pub(crate) async fn create_user(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiJson(body): ApiJson<NewUserRequest>,
) -> ApiResult<(StatusCode, Json<Me>)> {
    who.require(&[Role::Administrator], "create users")?;
    let role = Role::parse(&body.role).ok_or_else(|| {
        ApiError::bad_request(format!(
            "role: {:?} is not one of intake_clerk, reviewer, administrator, party",
            body.role
        ))
    })?;
    let user = auth::create_user(
        &state,
        &body.username,
        &body.password,
        role,
        body.reviewer_id,
        body.case_number,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Me {
            username: user.username,
            role: user.role.as_str().to_string(),
            reviewer_id: user.reviewer_id,
            case_number: user.case_number,
        }),
    ))
}

/// Opens a case for an application (DWC Form IMR as JSON); the answer holds the case with its
/// eligibility decided.
#[utoipa::path(post, path = "/api/applications", request_body = Object,
    responses((status = 201, description = "the case opened", body = Object), (status = 400), (status = 401), (status = 403)),
    security(("bearer" = [])))]
pub(crate) async fn create_application(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiJson(app): ApiJson<Application>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let case = cases::open_application(&state, &who, app).await?;
    Ok((StatusCode::CREATED, Json(case_json(&case))))
}

fn case_json(case: &imr_case::Case) -> serde_json::Value {
    let mut value = serde_json::to_value(case).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "deadlines".into(),
            serde_json::to_value(case.open_deadlines()).unwrap_or_default(),
        );
    }
    value
}

/// The cases you may see, by due date; a reviewer sees only their own. Paged like the
/// workbench's queue (by offset, 50 a page unless `per_page` says otherwise): the body is the
/// page; `X-Total-Count` says how many cases match on all pages, and `Link` gives the
/// previous and next pages (`rel="prev"`, `rel="next"`) with the same filters.
#[utoipa::path(get, path = "/api/cases", params(QueueQuery),
    responses(
        (status = 200, body = Vec<CaseSummary>, headers(
            ("X-Total-Count" = usize, description = "cases that match, on all pages"),
            ("Link" = String, description = "the previous and next pages, RFC 8288"),
        )),
        (status = 400, description = "a parameter is not valid (an unknown status, a page that is not a number)"),
        (status = 401)),
    security(("bearer" = [])))]
pub(crate) async fn list_cases(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Query(query): Query<QueueQuery>,
) -> ApiResult<Response> {
    let found = crate::queue::queue_page(&state, &who, &query).await?;
    let mut links = Vec::new();
    if found.page > 1 {
        links.push(format!(
            "<{}>; rel=\"prev\"",
            query.to_url("/api/cases", found.page - 1)
        ));
    }
    if found.page < found.pages() {
        links.push(format!(
            "<{}>; rel=\"next\"",
            query.to_url("/api/cases", found.page + 1)
        ));
    }
    let total = found.total.to_string();
    let cases: Vec<CaseSummary> = found.rows.into_iter().map(|r| r.summary).collect();
    let mut response = ([("x-total-count", total)], Json(cases)).into_response();
    if !links.is_empty()
        && let Ok(value) = axum::http::HeaderValue::from_str(&links.join(", "))
    {
        response
            .headers_mut()
            .insert(axum::http::header::LINK, value);
    }
    Ok(response)
}

/// One case with its running deadlines. The view is written to the audit log.
#[utoipa::path(get, path = "/api/cases/{number}", params(("number" = String, Path, description = "case number, e.g. CM26-0000001")),
    responses((status = 200, body = Object), (status = 401), (status = 403, description = "a role that may not see cases"), (status = 404, description = "no such case, or not one you may see")),
    security(("bearer" = [])))]
pub(crate) async fn get_case(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(number): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let case = cases::view_case(&state, &who, &number).await?;
    Ok(Json(case_json(&case)))
}

/// The eligibility decision with its reasons.
#[utoipa::path(get, path = "/api/cases/{number}/eligibility", params(("number" = String, Path)),
    responses((status = 200, body = Object), (status = 403), (status = 404)), security(("bearer" = [])))]
pub(crate) async fn get_eligibility(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(number): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let case = cases::view_case(&state, &who, &number).await?;
    let reasons: Vec<String> = match &case.eligibility {
        imr_case::Eligibility::Eligible => Vec::new(),
        imr_case::Eligibility::Ineligible { reasons } => {
            reasons.iter().map(|r| r.to_string()).collect()
        }
    };
    Ok(Json(serde_json::json!({
        "case_number": case.number,
        "eligible": case.eligibility.is_eligible(),
        "eligibility": case.eligibility,
        "reasons": reasons,
    })))
}

/// The documents of a case (without their bytes).
#[utoipa::path(get, path = "/api/cases/{number}/documents", params(("number" = String, Path)),
    responses((status = 200, body = Vec<Object>), (status = 403), (status = 404)), security(("bearer" = [])))]
pub(crate) async fn list_documents(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(number): Path<String>,
) -> ApiResult<Json<Vec<imr_store::DocumentInfo>>> {
    let case = cases::view_case(&state, &who, &number).await?;
    Ok(Json(state.store.documents(&case.number).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct UploadParams {
    /// What the document is: "medical records", "ur decision", ...
    pub kind: String,
    pub filename: Option<String>,
    /// The records are complete with this document (starts the determination clock).
    #[serde(default)]
    pub complete: bool,
}

/// Stores a document, the request body byte for byte (its media type from Content-Type), and
/// counts it as records of the case. A body over the limit is refused with 413 and nothing is
/// stored.
#[utoipa::path(post, path = "/api/cases/{number}/documents", params(("number" = String, Path), UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Object), (status = 400), (status = 403), (status = 409), (status = 413, description = "larger than the upload limit")),
    security(("bearer" = [])))]
pub(crate) async fn upload_document(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(number): Path<String>,
    Query(params): Query<UploadParams>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_string();
    let (info, case) = cases::add_document(
        &state,
        &who,
        &number,
        cases::Upload {
            kind: params.kind,
            filename: params.filename,
            media_type,
            bytes: &body,
            complete: params.complete,
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "document": info, "case": case_json(&case) })),
    ))
}

/// A document's bytes, as received, under its stored media type and file name.
#[utoipa::path(get, path = "/api/documents/{id}", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream",
        description = "The bytes as received; Content-Type is the stored media type",
        headers(("Content-Disposition" = String,
            description = "attachment with the stored file name: an ASCII `filename` and the exact RFC 5987 `filename*`; an extension added from the media type when the name has none"))),
        (status = 403), (status = 404)), security(("bearer" = [])))]
pub(crate) async fn get_document(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    document_response(&state, &who, id).await
}

pub async fn document_response(
    state: &AppState,
    who: &auth::Principal,
    id: i64,
) -> ApiResult<Response> {
    crate::document_download::document_download(state, who, id, false).await
}

/// The reviewers weighed for the case: qualified first with the reasons each was chosen, then
/// the excluded ones with the reasons each was excluded.
#[utoipa::path(get, path = "/api/cases/{number}/candidates", params(("number" = String, Path)),
    responses((status = 200, body = Candidates), (status = 403), (status = 404)), security(("bearer" = [])))]
pub(crate) async fn get_candidates(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(number): Path<String>,
) -> ApiResult<Json<Candidates>> {
    who.require(STAFF, "see assignment candidates")?;
    let case = cases::view_case(&state, &who, &number).await?;
    Ok(Json(cases::candidates(&state, &case).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// A reviewer chosen by hand; without it the best qualified reviewer.
    #[serde(default)]
    pub reviewer_id: Option<String>,
    /// How the notice of assignment goes out: "electronic" (default) or "mail".
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub notice: Option<NoticeMethod>,
}

/// Assigns a reviewer; 409 if the case is ineligible, already assigned, or the reviewer has a
/// conflict or does not qualify.
#[utoipa::path(post, path = "/api/cases/{number}/assignment", params(("number" = String, Path)), request_body = AssignRequest,
    responses((status = 200, body = Object), (status = 400), (status = 403), (status = 409)), security(("bearer" = [])))]
pub(crate) async fn assign(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<AssignRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    let case = cases::assign(
        &state,
        &who,
        &number,
        body.reviewer_id.as_deref(),
        body.notice.unwrap_or(NoticeMethod::Electronic),
    )
    .await?;
    Ok(Json(case_json(&case)))
}

/// The engine's proposal for every disputed item: decision or "needs physician", rule,
/// citation, evidence spans and missing documentation. Each evidence (of the item and of its
/// checklist's criteria) has its `start`/`end` in the case's clinical text and a `source`: the
/// document it is in, its bytes in that document's text, its page (PDFs) and line, and the
/// link to the document's page with it marked.
#[utoipa::path(get, path = "/api/cases/{number}/proposal", params(("number" = String, Path)),
    responses((status = 200, body = Object), (status = 403), (status = 404)), security(("bearer" = [])))]
pub(crate) async fn get_proposal(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(number): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    who.require(
        &[Role::Administrator, Role::Reviewer],
        "see the engine's proposal",
    )?;
    let read = cases::view_case_versioned(&state, &who, &number).await?;
    // The analysis the case page shows, made off the async runtime and kept per version.
    let analysis = cases::analysis(&state, &read.value, read.version).await?;
    Ok(Json(with_sources(&analysis)?))
}

/// The findings as JSON, each evidence given its `source` (see [`get_proposal`]).
fn with_sources(analysis: &imr_app::Analysis) -> ApiResult<serde_json::Value> {
    let mut findings = serde_json::to_value(&analysis.findings)
        .map_err(|_| ApiError::internal("writing the proposal"))?;
    let locate = |evidence: &mut serde_json::Value| {
        let span = |key: &str| {
            evidence
                .get(key)
                .and_then(serde_json::Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
        };
        if let (Some(start), Some(end)) = (span("start"), span("end"))
            && let Some(source) = cases::span_source(&analysis.sources, start, end)
            && let (Some(fields), Ok(source)) =
                (evidence.as_object_mut(), serde_json::to_value(source))
        {
            fields.insert("source".into(), source);
        }
    };
    let items = findings
        .get_mut("items")
        .and_then(serde_json::Value::as_array_mut);
    let locate_all = |list: Option<&mut serde_json::Value>| {
        let evidence = list.and_then(serde_json::Value::as_array_mut);
        evidence.into_iter().flatten().for_each(&locate);
    };
    for item in items.into_iter().flatten() {
        locate_all(item.get_mut("evidence"));
        let criteria = item
            .get_mut("criteria")
            .and_then(serde_json::Value::as_array_mut);
        for criterion in criteria.into_iter().flatten() {
            locate_all(criterion.get_mut("evidence"));
        }
    }
    Ok(findings)
}

/// The assigned reviewer signs the determination.
///
/// One decision per disputed item, each chosen, with the guideline relied on and a rationale,
/// and a clinical summary. Each item's rationale is signed ending with the conclusion sentence
/// written from the decision chosen ("The request for ... is (not) medically necessary.").
/// 409 when the records are not complete, the summary is empty or the case is signed already;
/// 422 naming the item and field when a decision, guideline or rationale is missing, a
/// rationale concludes the opposite of the decision chosen, or a field holds control
/// characters or is too long.
#[utoipa::path(post, path = "/api/cases/{number}/determination", params(("number" = String, Path)), request_body = SignRequest,
    responses((status = 200, body = Object), (status = 400), (status = 403), (status = 409), (status = 422)), security(("bearer" = [])))]
pub(crate) async fn sign(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<SignRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    let case = cases::sign(&state, &who, &number, body).await?;
    Ok(Json(case_json(&case)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct LetterParams {
    /// text (default), html or pdf.
    pub format: Option<LetterFormat>,
}

/// The Final Determination Letter of a signed case, as text, HTML or PDF.
#[utoipa::path(get, path = "/api/cases/{number}/letter", params(("number" = String, Path), LetterParams),
    responses((status = 200, content_type = "text/plain"), (status = 403), (status = 409, description = "not signed yet")),
    security(("bearer" = [])))]
pub(crate) async fn get_letter(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(number): Path<String>,
    Query(params): Query<LetterParams>,
) -> ApiResult<Response> {
    let case = cases::view_case(&state, &who, &number).await?;
    let (media, bytes) =
        cases::letter(&state, &case, params.format.unwrap_or(LetterFormat::Text)).await?;
    Ok(([(header::CONTENT_TYPE, media)], bytes).into_response())
}

/// Issues the letter of a signed case (the last step).
#[utoipa::path(post, path = "/api/cases/{number}/letter", params(("number" = String, Path)),
    responses((status = 200, body = Object), (status = 403), (status = 409)), security(("bearer" = [])))]
pub(crate) async fn issue_letter(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(number): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let case = cases::issue_letter(&state, &who, &number).await?;
    Ok(Json(case_json(&case)))
}

/// The case's audit log, oldest first: every step and every view.
#[utoipa::path(get, path = "/api/cases/{number}/audit", params(("number" = String, Path)),
    responses((status = 200, body = Vec<Object>), (status = 403), (status = 404)), security(("bearer" = [])))]
pub(crate) async fn get_audit(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(number): Path<String>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    who.require(STAFF, "read the audit log")?;
    let case = cases::load_case(&state, &who, &number).await?;
    Ok(Json(state.store.audit_log(&case.number).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DeadlineParams {
    /// Also list what falls due within this many days (default 7).
    pub within_days: Option<i32>,
}

/// Overdue cases and what falls due soon (of the cases you may see).
#[utoipa::path(get, path = "/api/deadlines", params(DeadlineParams),
    responses((status = 200, body = Vec<Object>), (status = 401)), security(("bearer" = [])))]
pub(crate) async fn get_deadlines(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Query(params): Query<DeadlineParams>,
) -> ApiResult<Json<Vec<deadlines::DueItem>>> {
    let within = params.within_days.unwrap_or(7).clamp(0, 366);
    let cases: Vec<_> = state
        .store
        .list_cases(true)
        .await?
        .into_iter()
        .filter(|c| who.may_view(c))
        .collect();
    Ok(Json(deadlines::due_items(&cases, now(), within)))
}

/// The reviewers on file.
#[utoipa::path(get, path = "/api/reviewers",
    responses((status = 200, body = Vec<Object>), (status = 403)), security(("bearer" = [])))]
pub(crate) async fn list_reviewers(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<Json<Vec<Reviewer>>> {
    who.require(STAFF, "list reviewers")?;
    Ok(Json(state.store.reviewers().await?))
}

/// Adds a reviewer (administrators only).
#[utoipa::path(post, path = "/api/reviewers", request_body = Object,
    responses((status = 201, body = Object), (status = 400), (status = 403), (status = 409)), security(("bearer" = [])))]
pub(crate) async fn add_reviewer(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiJson(reviewer): ApiJson<Reviewer>,
) -> ApiResult<(StatusCode, Json<Reviewer>)> {
    who.require(&[Role::Administrator], "add reviewers")?;
    let errors = reviewer.validate();
    if !errors.is_empty() {
        let list: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        return Err(ApiError::bad_request(list.join("; ")));
    }
    let entry = AuditEntry::new(
        now(),
        who.actor(),
        "reviewer.added",
        format!("reviewer {}", reviewer.id),
    );
    state.store.add_reviewer(&reviewer, &entry).await?;
    Ok((StatusCode::CREATED, Json(reviewer)))
}
