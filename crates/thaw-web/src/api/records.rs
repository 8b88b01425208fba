//! Record routes: list, read one and add, for every record kind; delete for journal entries.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use thaw_core::ids::IdRef;
use thaw_core::{Record, RecordKind};

use super::{Api, ApiJson, IdPath, list_query};
use crate::error::{ApiError, WebError};
use crate::input::{ActivityInput, CheckinInput, JournalInput, PersonInput, ReactionInput, ReleaseInput};
use crate::state::AppState;

pub(super) fn routes(api: Api) -> Api {
    api.route("/api/v1/checkins", &["GET", "POST"], list_route(RecordKind::Checkin).post(add_checkin))
        .route("/api/v1/checkins/{id}", &["GET"], one_route(RecordKind::Checkin))
        .route("/api/v1/journal", &["GET", "POST"], list_route(RecordKind::Journal).post(add_journal))
        .route(
            "/api/v1/journal/{id}",
            &["GET", "PUT", "DELETE"],
            one_route(RecordKind::Journal).put(edit_journal).delete(delete_journal),
        )
        .route("/api/v1/reactions", &["GET", "POST"], list_route(RecordKind::Reaction).post(add_reaction))
        .route("/api/v1/reactions/{id}", &["GET"], one_route(RecordKind::Reaction))
        .route("/api/v1/releases", &["GET", "POST"], list_route(RecordKind::Release).post(add_release))
        .route("/api/v1/releases/{id}", &["GET"], one_route(RecordKind::Release))
        .route("/api/v1/activities", &["GET", "POST"], list_route(RecordKind::Activity).post(add_activity))
        .route("/api/v1/activities/{id}", &["GET"], one_route(RecordKind::Activity))
        .route("/api/v1/people", &["GET", "POST"], list_route(RecordKind::Person).post(add_person))
        .route("/api/v1/people/{id}", &["GET"], one_route(RecordKind::Person))
        .route(
            "/api/v1/assessments",
            &["GET", "POST"],
            list_route(RecordKind::Assessment).post(add_assessment),
        )
        .route("/api/v1/assessments/{id}", &["GET"], one_route(RecordKind::Assessment))
}

/// A questionnaire's answers, as `thaw assess --answers` takes them.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssessmentInput {
    /// `phq9`, `gad7` or `who5`.
    #[schema(example = "phq9")]
    pub instrument: String,
    /// One answer per question, in order (PHQ-9: 9 answers from 0 to 3; GAD-7: 7 from 0 to 3;
    /// WHO-5: 5 from 0 to 5).
    #[schema(value_type = Vec<u8>, maximum = 5)]
    pub answers: Vec<u8>,
    /// The PHQ-9 and GAD-7 question about how difficult things have been, 0 to 3.
    #[serde(default)]
    #[schema(maximum = 3)]
    pub difficulty: Option<u8>,
    /// When you answered, if earlier: as for the other records.
    #[serde(default)]
    pub at: Option<String>,
}

/// Saves a questionnaire: the record plus what `thaw assess --json` adds — the range, the change
/// since last time, and `follow_up` (support first when PHQ-9 item 9 is above 0, else `null`).
#[utoipa::path(
    post,
    path = "/api/v1/assessments",
    summary = "Take a questionnaire (PHQ-9, GAD-7 or WHO-5)",
    description = "Saves your answers. The answer is the record, its range, the change since the last \
time you took the same questionnaire, and `follow_up`: when the PHQ-9's ninth answer is above 0, \
support to show first (gentle words, the crisis lines for your country and your safety plan).",
    request_body = AssessmentInput,
    responses((status = 201, description = "Saved", body = thaw_app::questionnaires::TakenView)),
)]
pub(super) async fn add_assessment(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<AssessmentInput>,
) -> Result<Response, ApiError> {
    let inst = thaw_core::instrument(&input.instrument)?;
    let taken = state
        .with_app(move |app| {
            Ok(app.take_answers(inst, &input.answers, input.difficulty, input.at.as_deref())?)
        })
        .await?;
    let location = format!("{}/{}", collection(RecordKind::Assessment), taken.record.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(taken.view())).into_response())
}

fn list_route(kind: RecordKind) -> MethodRouter<AppState> {
    get(move |State(state): State<AppState>, RawQuery(query): RawQuery| async move {
        let query = list_query(&state, kind, query.as_deref())?;
        let records = state.with_store(move |s| Ok(s.list(&query)?)).await?;
        Ok::<_, ApiError>(Json(records))
    })
}

fn one_route(kind: RecordKind) -> MethodRouter<AppState> {
    get(move |State(state): State<AppState>, IdPath(id): IdPath| async move {
        Ok::<_, ApiError>(Json(find(&state, kind, &id).await?))
    })
}

/// A record of `kind` by its id or the id's last characters.
pub(super) async fn find(state: &AppState, kind: RecordKind, id: &str) -> Result<Record, WebError> {
    let prefix = IdRef::parse(id)?;
    state
        .with_store(move |s| {
            let id = s.resolve(&prefix, Some(kind))?;
            s.get(id)?.ok_or(WebError::NotFound)
        })
        .await
}

pub(super) fn created(record: Record) -> Response {
    let location = format!("{}/{}", collection(record.kind()), record.id);
    (StatusCode::CREATED, [(header::LOCATION, location)], Json(record)).into_response()
}

fn collection(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Checkin => "/api/v1/checkins",
        RecordKind::Journal => "/api/v1/journal",
        RecordKind::Reaction => "/api/v1/reactions",
        RecordKind::Activity => "/api/v1/activities",
        RecordKind::Release => "/api/v1/releases",
        RecordKind::Person => "/api/v1/people",
        RecordKind::Assessment => "/api/v1/assessments",
        RecordKind::Medication => "/api/v1/medications",
        RecordKind::SelfCheck => "/api/v1/selfchecks",
        RecordKind::Conversation => "/api/v1/conversations",
    }
}

/// Runs a save through thaw-app and answers 201 with the record and its `follow_up`.
async fn insert<F>(state: &AppState, save: F) -> Result<Response, ApiError>
where
    F: FnOnce(&thaw_app::App) -> Result<thaw_app::Saved, thaw_app::AppError> + Send + 'static,
{
    let saved = state.with_app(move |app| Ok(save(app)?)).await?;
    let location = format!("{}/{}", collection(saved.record.kind()), saved.record.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(saved)).into_response())
}

#[utoipa::path(
    post,
    path = "/api/v1/checkins",
    summary = "Add a check-in",
    description = "Name at least one feeling, or say there is nothing (`absence`): every answer is fine. \
`follow_up` carries support when the note holds words of risk, or while your last PHQ-9 had its \
ninth answer above 0.",
    request_body = CheckinInput,
    responses((status = 201, description = "Saved: the new record, with `follow_up`", body = thaw_app::Saved)),
)]
pub(super) async fn add_checkin(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<CheckinInput>,
) -> Result<Response, ApiError> {
    insert(&state, move |app| app.checkin(&input)).await
}

#[utoipa::path(
    post,
    path = "/api/v1/journal",
    summary = "Add a journal entry",
    request_body = JournalInput,
    responses((status = 201, description = "Saved: the new record, with `follow_up`", body = thaw_app::Saved)),
)]
pub(super) async fn add_journal(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<JournalInput>,
) -> Result<Response, ApiError> {
    insert(&state, move |app| app.journal(&input)).await
}

#[utoipa::path(
    post,
    path = "/api/v1/reactions",
    summary = "Add a reaction",
    request_body = ReactionInput,
    responses((status = 201, description = "Saved: the new record, with `follow_up`", body = thaw_app::Saved)),
)]
pub(super) async fn add_reaction(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<ReactionInput>,
) -> Result<Response, ApiError> {
    insert(&state, move |app| app.reaction(&input)).await
}

#[utoipa::path(
    post,
    path = "/api/v1/releases",
    summary = "Add a moment of release",
    request_body = ReleaseInput,
    responses((status = 201, description = "Saved: the new record, with `follow_up`", body = thaw_app::Saved)),
)]
pub(super) async fn add_release(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<ReleaseInput>,
) -> Result<Response, ApiError> {
    insert(&state, move |app| app.release(&input)).await
}

#[utoipa::path(
    post,
    path = "/api/v1/activities",
    summary = "Add an activity",
    request_body = ActivityInput,
    responses((status = 201, description = "Saved: the new record, with `follow_up`", body = thaw_app::Saved)),
)]
pub(super) async fn add_activity(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<ActivityInput>,
) -> Result<Response, ApiError> {
    insert(&state, move |app| app.activity(&input)).await
}

#[utoipa::path(
    post,
    path = "/api/v1/people",
    summary = "Add a trusted person",
    request_body = PersonInput,
    responses((status = 201, description = "Saved: the new record, with `follow_up`", body = thaw_app::Saved)),
)]
pub(super) async fn add_person(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<Response, ApiError> {
    insert(&state, move |app| app.person(&input)).await
}

/// Changes a journal entry: the whole entry as sent, same id and creation time. The answer carries
/// `follow_up` for risk language the change brought in.
#[utoipa::path(
    put,
    path = "/api/v1/journal/{id}",
    summary = "Change a journal entry",
    description = "Send the whole entry as it should be; it keeps its id and when it was written. \
`follow_up` carries support when the change brought in words of risk.",
    params(super::doc::IdParam),
    request_body = JournalInput,
    responses(
        (status = 200, description = "Saved: the changed record, with `follow_up`", body = thaw_app::Saved),
        (status = 404, description = "No such journal entry", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn edit_journal(
    State(state): State<AppState>,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<JournalInput>,
) -> Result<Response, ApiError> {
    let old = find(&state, RecordKind::Journal, &id).await?;
    let saved = state
        .with_app(move |app| {
            let mut new = input.record(&app.vocabulary()?, app.clock())?;
            new.id = old.id;
            Ok(app.update(new)?)
        })
        .await?;
    Ok(Json(saved).into_response())
}

#[utoipa::path(
    delete,
    path = "/api/v1/journal/{id}",
    summary = "Delete a journal entry",
    params(super::doc::IdParam),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such journal entry", body = super::doc::ErrorBody),
        (status = 422, description = "That isn't a record id", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn delete_journal(
    State(state): State<AppState>,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    let record = find(&state, RecordKind::Journal, &id).await?;
    state.with_store(move |s| Ok(s.delete(record.id)?)).await?;
    Ok(StatusCode::NO_CONTENT)
}
