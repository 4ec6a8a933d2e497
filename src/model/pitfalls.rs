//! Known pitfalls behind an allowed request, as `help:` text: what
//! `explain` and `query` both suggest when a route allows through one.
//!
//! - a `ForAnyValue` condition on a request with several values: one
//!   matching value lets all the others through;
//! - a mapping rule matched with `Contains`: a substring test;
//! - a trust policy that does not pin `cognito-identity.amazonaws.com:aud`;
//! - access that only the basic (classic) flow gives.

use crate::eval::{Evaluation, Request};
use crate::model::sessions::{How, RouteRole, SessionRoute};
use crate::policy::{Policy, SetQualifier, Statement};
use crate::source::Location;

/// The help when only basic-flow routes allow the access.
pub const ONLY_BASIC_FLOW: &str = "only the basic (classic) flow allows this: it bypasses role \
     mappings and the guest scope-down; turn `AllowClassicFlow` off if the app does not need it";

/// The pitfalls one allowed request on one route goes through.
pub fn route_pitfalls(
    route: &SessionRoute<'_>,
    request: &Request,
    evaluation: &Evaluation,
    considered: &[&Policy],
) -> Vec<String> {
    let mut help = Vec::new();
    let context = request.resolved_context();
    for (_, trace) in evaluation.explanation.deciding_statements() {
        let Some(statement) = find_statement(considered, &trace.location) else {
            continue;
        };
        for condition in &statement.conditions {
            let operator = condition.operator.value;
            if operator.set != Some(SetQualifier::ForAnyValue) {
                continue;
            }
            let key = &condition.key.value;
            if context.get(key).is_some_and(|v| v.values.len() > 1) {
                help.push(format!(
                    "{} allows with `{operator}` on `{key}`: one matching value is enough, \
                     so the request's other values are not checked; `ForAllValues:{}` \
                     requires every value to match",
                    trace.label,
                    operator.base.name()
                ));
            }
        }
    }
    if let How::Rule {
        index,
        match_type,
        value,
        claim,
        ..
    } = &route.how
        && match_type == "Contains"
    {
        help.push(format!(
            "rule {} matches `{claim}` with Contains `{value}`, a substring test: any \
             value containing `{value}` matches (e.g. `x@{value}.evil.io`)",
            index + 1
        ));
    }
    if route.how == How::ForeignPool
        && let Some(role) = route.role.as_ref().and_then(RouteRole::role)
    {
        help.push(format!(
            "the trust policy of `{}` does not pin `cognito-identity.amazonaws.com:aud`: add \
             a `StringEquals` condition on it with your identity pool id",
            role.name
        ));
    }
    help
}

/// The statement of `policies` written at `loc`.
pub fn find_statement<'p>(policies: &[&'p Policy], loc: &Location) -> Option<&'p Statement> {
    policies
        .iter()
        .flat_map(|p| p.statements.iter())
        .find(|s| s.loc == *loc)
}
