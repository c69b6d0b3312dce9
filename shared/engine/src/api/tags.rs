//! TagResource, UntagResource and ListTagsForResource on state machines
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_TagResource.html>,
//! `API_UntagResource.html`, `API_ListTagsForResource.html>`).
//!
//! "An array of key-value pairs … Tags may only contain Unicode letters,
//! digits, white space, or these symbols: _ . : / = + - @"; at most 50 tags
//! per resource ("Quotas related to state machine executions": "Maximum
//! tags per resource 50"). Tagging an existing key replaces its value.

use super::constraints::{self, Constraints};
use super::shapes::{self, Tag};
use super::{Api, ApiError};
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use crate::records::StateMachineRecord;
use serde::{Deserialize, Serialize};

/// The most tags one resource carries.
pub const MAX_TAGS: usize = 50;

/// `TagResourceInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TagRequest {
    /// `resourceArn` (required).
    pub resource_arn: Option<String>,
    /// `tags` (required).
    pub tags: Option<Vec<Tag>>,
}

/// `UntagResourceInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UntagRequest {
    /// `resourceArn` (required).
    pub resource_arn: Option<String>,
    /// `tagKeys` (required).
    pub tag_keys: Option<Vec<String>>,
}

/// `ListTagsForResourceInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListRequest {
    /// `resourceArn` (required).
    pub resource_arn: Option<String>,
}

/// `TagResourceOutput` and `UntagResourceOutput`: empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Empty {}

/// One tag as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagOut {
    /// `key`.
    pub key: String,
    /// `value`.
    pub value: String,
}

/// `ListTagsForResourceOutput`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListResponse {
    /// `tags`.
    pub tags: Vec<TagOut>,
}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// The tagged state machine, or `ResourceNotFound`.
    async fn tagged(&self, arn: &str) -> Result<StateMachineRecord, ApiError> {
        self.state_machine_arn(arn)?;
        let found = self.engine.store.get_state_machine(arn).await?;
        found.ok_or_else(|| ApiError::ResourceNotFound(format!("Resource not found: '{arn}'")))
    }

    /// Adds or replaces tags.
    pub async fn tag_resource(&self, request: TagRequest) -> Result<Empty, ApiError> {
        let mut v = Constraints::default();
        let arn = v.required("resourceArn", constraints::ARN, request.resource_arn.as_deref());
        if request.tags.is_none() {
            v.missing("tags");
        }
        let tags = shapes::tags(request.tags.as_deref(), &mut v);
        v.finish()?;
        let mut sm = self.tagged(arn).await?;
        for (key, value) in tags {
            match sm.tags.iter_mut().find(|(k, _)| *k == key) {
                Some(existing) => existing.1 = value,
                None => sm.tags.push((key, value)),
            }
        }
        if sm.tags.len() > MAX_TAGS {
            return Err(ApiError::TooManyTags(format!(
                "Too many tags: a resource may have at most {MAX_TAGS}, this request would give '{arn}' {}",
                sm.tags.len()
            )));
        }
        self.engine.store.update_state_machine(sm).await?;
        Ok(Empty {})
    }

    /// Removes tags by key; keys it does not have are ignored.
    pub async fn untag_resource(&self, request: UntagRequest) -> Result<Empty, ApiError> {
        let mut v = Constraints::default();
        let arn = v.required("resourceArn", constraints::ARN, request.resource_arn.as_deref());
        if request.tag_keys.is_none() {
            v.missing("tagKeys");
        }
        for (i, key) in request.tag_keys.iter().flatten().enumerate() {
            v.optional(&format!("tagKeys.{}.member", i + 1), constraints::TAG_KEY, Some(key));
        }
        v.finish()?;
        let mut sm = self.tagged(arn).await?;
        let keys = request.tag_keys.unwrap_or_default();
        sm.tags.retain(|(k, _)| !keys.contains(k));
        self.engine.store.update_state_machine(sm).await?;
        Ok(Empty {})
    }

    /// Lists a resource's tags.
    pub async fn list_tags_for_resource(&self, request: ListRequest) -> Result<ListResponse, ApiError> {
        let mut v = Constraints::default();
        let arn = v.required("resourceArn", constraints::ARN, request.resource_arn.as_deref());
        v.finish()?;
        let sm = self.tagged(arn).await?;
        Ok(ListResponse { tags: sm.tags.into_iter().map(|(key, value)| TagOut { key, value }).collect() })
    }
}
