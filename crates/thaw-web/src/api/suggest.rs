//! "Words that might fit": `POST /api/v1/suggest` `{"text": "…"}` → `{"suggestions": [{"word",
//! "score"}]}`, best first, at most five, from the vocabulary and the person's own words, found by
//! the on-device model (nothing leaves this computer). The pages use [`offer`] for the same words.
//! Without the model, or while it is busy with other texts (the model's gate, docs/SAFETY.md), the
//! list is empty and `note` says why.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::ApiJson;
use crate::error::{ApiError, WebError};
use crate::state::AppState;
use utoipa::ToSchema;

/// Longest text looked at (the model reads 256 tokens of each sentence anyway).
const MAX_TEXT: usize = 20_000;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SuggestBody {
    /// What you wrote (a note or an entry).
    text: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Word {
    word: String,
    /// How close the word is to the text, 0 to 1.
    score: f64,
}

#[derive(Serialize, ToSchema)]
pub(super) struct Suggestions {
    /// At most five, best first; none for text without a letter.
    suggestions: Vec<Word>,
    /// Why the list is empty, when the on-device model isn't installed or is busy just now.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'static str>,
}

#[utoipa::path(
    post,
    path = "/api/v1/suggest",
    summary = "Words that might fit what you wrote",
    description = "Up to five feeling words for a text, best first, from the vocabulary and your own \
words, found by the model on this computer (nothing leaves it, and nothing is saved). A suggestion, \
never a diagnosis.",
    request_body = SuggestBody,
    responses(
        (status = 200, description = "The words, best first", body = Suggestions),
        (status = 422, description = "The text is longer than 20,000 bytes: send a shorter part", body = super::doc::ErrorBody),
    )
)]
pub(super) async fn suggest(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<SuggestBody>,
) -> Result<Json<Suggestions>, ApiError> {
    if body.text.len() > MAX_TEXT {
        return Err(WebError::BadInput(format!(
            "That text is longer than Thaw looks at for words ({MAX_TEXT} bytes). Send a shorter part."
        ))
        .into());
    }
    let found = words(&state, body.text, &[]).await?;
    Ok(Json(match found {
        Ok(words) => Suggestions {
            suggestions: words
                .into_iter()
                .map(|(s, _)| Word { word: s.word, score: (f64::from(s.score) * 1000.0).round() / 1000.0 })
                .collect(),
            note: None,
        },
        Err(note) => Suggestions { suggestions: Vec::new(), note: Some(note) },
    }))
}

/// Up to five words for `text` with their meanings, leaving out `already` (words chosen before);
/// when the model isn't there or is busy, the note that says so instead.
async fn words(
    state: &AppState,
    text: String,
    already: &[String],
) -> Result<Result<Vec<(thaw_embed::Suggestion, String)>, &'static str>, WebError> {
    let understanding = state.understanding().clone();
    let already = already.to_vec();
    state
        .with_store(move |s| {
            let vocab = thaw_app::vocabulary(s)?;
            let personal =
                thaw_app::settings::get::<thaw_app::settings::PersonalWords>(s)?.unwrap_or_default();
            let found = match understanding.suggest(&text, &personal) {
                Ok(found) => found,
                Err(thaw_embed::EmbedError::Busy) => return Ok(Err(thaw_embed::BUSY_NOTE)),
                Err(_) => return Ok(Err(thaw_embed::MISSING_NOTE)),
            };
            Ok(Ok(found
                .into_iter()
                .filter(|w| !already.iter().any(|a| a.eq_ignore_ascii_case(&w.word)))
                .map(|w| {
                    let meaning = vocab.lookup(&w.word).map(|e| e.meaning.clone()).unwrap_or_default();
                    (w, meaning)
                })
                .collect()))
        })
        .await
}

/// Words offered on a page, as checkboxes named `field` (unticked: nothing is added unless the
/// person ticks it).
pub(crate) struct Offer {
    pub field: &'static str,
    pub words: Vec<(String, String)>,
    /// Why there are none, when the model isn't installed or is busy just now.
    pub note: Option<&'static str>,
}

/// The words a page offers for `text` after the person asked for them.
pub(crate) async fn offer(
    state: &AppState,
    text: &str,
    already: &[String],
    field: &'static str,
) -> Result<Offer, WebError> {
    if !text.chars().any(char::is_alphabetic) {
        return Ok(Offer { field, words: Vec::new(), note: None });
    }
    let text: String = text.chars().take(MAX_TEXT).collect();
    Ok(match words(state, text, already).await? {
        Ok(words) => {
            Offer { field, words: words.into_iter().map(|(s, m)| (s.word, m)).collect(), note: None }
        }
        Err(note) => Offer { field, words: Vec::new(), note: Some(note) },
    })
}
