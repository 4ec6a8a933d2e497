//! Amazon Cognito: identity pools, user pools, and how a person becomes a
//! principal with AWS credentials.
//!
//! This module owns the Cognito side of the model: the configuration of
//! identity pools ([`identity_pool`]) and user pools ([`user_pool`]), the
//! claims a login presents ([`claims`]), role resolution in the enhanced and
//! basic flows with a step-by-step trace ([`role_resolution`]), the
//! enhanced-flow guest scope-down session policy kept as data
//! ([`scope_down`]), and what an outsider can make themselves be
//! ([`attacker`]). It hands on plain data: the concrete outcome of one login
//! (for `explain` and the evaluator) and per-claim constraints (for the
//! solver encoding). Facts come from the Amazon Cognito Developer Guide;
//! where AWS is silent the choice never hides access, and docs/semantics.md
//! says so.

pub mod attacker;
pub mod claims;
pub mod identity_pool;
pub mod role_resolution;
pub mod scope_down;
pub mod user_pool;

pub use attacker::{
    Capability, CapabilityKind, ClaimConstraint, ClaimSet, capabilities, outsider_logins,
};
pub use claims::{ClaimValue, Claims};
pub use identity_pool::{
    AmbiguousRoleResolution, CognitoProvider, IdentityPool, LoginProvider, MappingRule,
    MappingType, MatchType, PrincipalTagMap, ProviderKind, RoleMapping,
};
pub use role_resolution::{
    Assumption, CredentialsRequest, Flow, Grant, Login, Resolution, RoleSource, Step,
    WebIdentityToken, resolve,
};
pub use user_pool::{AppClient, Group, LambdaTrigger, SchemaAttribute, UserPool};

use crate::source::Location;
use crate::source::Spanned;

/// A configuration value: read from the inputs, or assumed because the
/// inputs do not say.
///
/// Assumed values are the ones that never hide access (guest access on,
/// self sign-up open, the basic flow on, …): a field AWS leaves undocumented
/// when absent is never read as the safe value (docs/cli.md, "Fail closed").
/// `label` is the short tag routes, graph edges and answers carry
/// (`assumed: AllowClassicFlow absent`); `why` says why, for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setting<T> {
    Given(Spanned<T>),
    Assumed {
        value: T,
        label: String,
        why: String,
    },
}

impl<T> Setting<T> {
    pub fn given(value: T, loc: Location) -> Setting<T> {
        Setting::Given(Spanned::new(value, loc))
    }

    /// A value taken because the field is absent from an input that was
    /// read: labelled `assumed: FIELD absent`.
    pub fn absent(value: T, field: &str, why: impl Into<String>) -> Setting<T> {
        Setting::assumed(value, format!("assumed: {field} absent"), why)
    }

    /// A value taken for another reason (the input holding it is not in
    /// the inputs, its value is invalid); `label` starts with `assumed:`.
    pub fn assumed(value: T, label: impl Into<String>, why: impl Into<String>) -> Setting<T> {
        Setting::Assumed {
            value,
            label: label.into(),
            why: why.into(),
        }
    }

    pub fn value(&self) -> &T {
        match self {
            Setting::Given(spanned) => &spanned.value,
            Setting::Assumed { value, .. } => value,
        }
    }

    /// The value the inputs gave; `None` when it is absent (or its input
    /// is not in the inputs) and [`Setting::value`] is assumed.
    pub fn read(&self) -> Option<&T> {
        match self {
            Setting::Given(spanned) => Some(&spanned.value),
            Setting::Assumed { .. } => None,
        }
    }

    /// Where the value was read; `None` when assumed.
    pub fn loc(&self) -> Option<&Location> {
        match self {
            Setting::Given(spanned) => Some(&spanned.loc),
            Setting::Assumed { .. } => None,
        }
    }

    pub fn is_assumed(&self) -> bool {
        matches!(self, Setting::Assumed { .. })
    }

    /// The assumption the value rests on, when it was not read.
    pub fn assumption(&self) -> Option<Assumed> {
        match self {
            Setting::Given(_) => None,
            Setting::Assumed { label, why, .. } => Some(Assumed {
                label: label.clone(),
                why: why.clone(),
            }),
        }
    }
}

/// A setting an outcome rests on that the inputs do not show.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Assumed {
    /// Short, for labels: `assumed: AllowClassicFlow absent`.
    pub label: String,
    /// Why the value was taken, with its source.
    pub why: String,
}

impl Assumed {
    /// `label: why`, for notes.
    pub fn note(&self) -> String {
        format!("{}: {}", self.label, self.why)
    }
}

/// The region of a Cognito id (`us-east-1:…` for identity pools,
/// `us-east-1_…` for user pools). API GetId: identity ids are `REGION:GUID`.
pub fn region_of(id: &str) -> Option<String> {
    let end = id.find([':', '_'])?;
    let region = &id[..end];
    let plausible = !region.is_empty()
        && region.contains('-')
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    plausible.then(|| region.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Cognito Identity API, GetId: identity (and identity pool) ids are
    // `REGION:GUID`; user pool ids are `REGION_ID`.
    #[test]
    fn region_is_read_from_pool_ids() {
        assert_eq!(
            region_of("us-east-1:12345678-1234-1234-1234-123456789012").as_deref(),
            Some("us-east-1")
        );
        assert_eq!(
            region_of("eu-west-2_AbCdEf123").as_deref(),
            Some("eu-west-2")
        );
        assert_eq!(region_of("no-separator"), None);
        assert_eq!(region_of("Bad Region:x"), None);
    }
}
