//! The routes of each principal class: guests, users per login, identities
//! of pools the inputs do not show, roles, anonymous callers and other
//! accounts (see the parent module for what a route holds).

use crate::cognito::identity_pool::{
    AmbiguousRoleResolution, IdentityPool, MappingType, ProviderKind, user_pool_id_of,
};
use crate::cognito::resolve;
use crate::cognito::role_resolution::{
    CredentialsRequest, Flow, Grant, Login, RoleSource, Step, StepKind, WebIdentityToken,
    example_identity_id, saml_roles,
};
use crate::model::{Inventory, Role};

use super::logins::{LoginOption, logins};
use super::{
    How, PrincipalClass, RouteFlow, RouteRole, Routes, SELF_GUID, Scenario, SessionRoute,
    TokenChoice, TrustCheck, chains, foreign_pool_id, inputs_region,
};

pub(super) struct Enumerator<'a, 's> {
    pub(super) inventory: &'a Inventory,
    pub(super) scenario: Option<&'s Scenario>,
    pub(super) out: &'s mut Routes<'a>,
}

impl<'a> Enumerator<'a, '_> {
    fn identity_id(&self, pool: &IdentityPool) -> String {
        self.scenario
            .and_then(|s| s.identity_id.clone())
            .unwrap_or_else(|| example_identity_id(pool))
    }

    fn push(&mut self, route: SessionRoute<'a>) {
        self.out.routes.push(route);
    }

    pub(super) fn guest(&mut self, pool: &'a IdentityPool) {
        let principal = PrincipalClass::Guest {
            pool: pool.id.clone(),
        };
        let mut request = CredentialsRequest::guest(Flow::Enhanced);
        request.identity_id = Some(self.identity_id(pool));
        let resolution = resolve(pool, &request);
        for outcome in &resolution.outcomes {
            let route = self.outcome_route(&principal, pool, outcome, &resolution.trace, None);
            self.push(route);
        }
        if *pool.allow_unauthenticated.value() {
            self.classic(&principal, pool, Login::Guest, None);
        }
    }

    pub(super) fn user(&mut self, pool: &'a IdentityPool, provider: Option<&str>) {
        for login in logins(self.inventory, pool, provider, self.scenario) {
            let principal = PrincipalClass::User {
                pool: pool.id.clone(),
                provider: login.provider.clone(),
            };
            if self.scenario.is_some() {
                self.concrete_user(&principal, pool, &login);
            } else {
                self.static_user(&principal, pool, &login);
            }
            let authenticated = Login::Authenticated {
                provider: login.provider.clone(),
                claims: login.claims.clone(),
            };
            self.classic(&principal, pool, authenticated, Some(&login));
        }
    }

    /// Role resolution on the concrete token, then every other role a
    /// `CustomRoleArn` can pick (the token's roles, the roles of matching
    /// rules).
    fn concrete_user(
        &mut self,
        principal: &PrincipalClass,
        pool: &'a IdentityPool,
        login: &LoginOption,
    ) {
        let mut request = CredentialsRequest::authenticated(
            &login.provider,
            login.claims.clone(),
            Flow::Enhanced,
        );
        request.identity_id = Some(self.identity_id(pool));
        let first = resolve(pool, &request);
        let mut reached: Vec<String> = first.roles().iter().map(|r| r.to_string()).collect();
        for outcome in &first.outcomes {
            let route = self.outcome_route(principal, pool, outcome, &first.trace, Some(login));
            self.push(route);
        }
        let mut candidates: Vec<String> = login.claims.list("cognito:roles");
        candidates.extend(saml_roles(&login.claims));
        if let Some(mapping) = pool.mapping_for(&login.provider, login.client.as_deref()) {
            candidates.extend(mapping.rules.iter().map(|r| r.role_arn.value.clone()));
        }
        for candidate in candidates {
            if reached.contains(&candidate) {
                continue;
            }
            let mut custom = request.clone();
            custom.custom_role_arn = Some(candidate.clone());
            let resolution = resolve(pool, &custom);
            for outcome in &resolution.outcomes {
                let Grant::Assume(assumption) = outcome else {
                    continue;
                };
                if assumption.role_arn != candidate
                    || !matches!(
                        assumption.source,
                        RoleSource::CustomRoleArn | RoleSource::Rule { .. }
                    )
                {
                    continue;
                }
                let route =
                    self.outcome_route(principal, pool, outcome, &resolution.trace, Some(login));
                self.push(route);
            }
            reached.push(candidate);
        }
    }

    /// Every role a mapping can hand out, whatever the claims.
    fn static_user(
        &mut self,
        principal: &PrincipalClass,
        pool: &'a IdentityPool,
        login: &LoginOption,
    ) {
        let token = authenticated_token(pool, &login.provider, self.identity_id(pool));
        let base = |how: How| {
            let mut route = SessionRoute::new(principal.clone(), RouteFlow::Enhanced, how);
            route.token = Some(token.clone());
            route.locate(login.loc.as_ref());
            route.notes.extend(login.notes.iter().cloned());
            route
        };
        if pool.roles_loc.is_none() {
            let mut route = base(How::NoRole);
            route.role = Some(RouteRole::Unknown { arn: None });
            route.trust = TrustCheck::Unknown("the pool's roles are not in the inputs".into());
            route.locate(Some(&pool.loc));
            return self.push(route);
        }
        let mapping = pool.mapping_for(&login.provider, login.client.as_deref());
        let mut fallback = mapping.is_none();
        let mut fallback_assumed = None;
        if let Some(mapping) = mapping {
            match mapping.mapping_type.value {
                MappingType::Rules => {
                    for rule in &mapping.rules {
                        let mut route = base(How::Rule {
                            mapping: mapping.provider.value.clone(),
                            index: rule.index,
                            claim: rule.claim.value.clone(),
                            match_type: rule.match_type.value.to_string(),
                            value: rule.value.value.clone(),
                            custom_role_arn: false,
                        });
                        route.role = Some(RouteRole::lookup(self.inventory, &rule.role_arn.value));
                        route.locate(Some(&mapping.loc));
                        route.locate(Some(&rule.loc));
                        route.check_trust();
                        self.push(route);
                    }
                }
                MappingType::Token => {
                    let groups = user_pool_id_of(&login.provider)
                        .and_then(|id| self.inventory.user_pool(id))
                        .map(|p| p.groups.as_slice())
                        .unwrap_or_default();
                    for group in groups {
                        let Some(role_arn) = &group.role_arn else {
                            continue;
                        };
                        let mut route = base(How::Token {
                            choice: TokenChoice::Group,
                            group: Some(group.name.value.clone()),
                        });
                        route.role = Some(RouteRole::lookup(self.inventory, &role_arn.value));
                        route.locate(Some(&mapping.loc));
                        route.locate(Some(&group.loc));
                        route.check_trust();
                        self.push(route);
                    }
                    if login.kind != ProviderKind::CognitoUserPool {
                        self.named_by_token(principal, pool, login, &token);
                    }
                }
            }
            fallback = *mapping.ambiguous_role_resolution.value()
                == AmbiguousRoleResolution::AuthenticatedRole;
            fallback_assumed = mapping.ambiguous_role_resolution.assumption();
        } else if login.kind == ProviderKind::Saml {
            self.named_by_token(principal, pool, login, &token);
        }
        if fallback && let Some(role_arn) = &pool.authenticated_role {
            let mut route = base(How::DefaultRole {
                authenticated: true,
                ambiguous: mapping.is_some(),
            });
            route.role = Some(RouteRole::lookup(self.inventory, &role_arn.value));
            route.locate(mapping.map(|m| &m.loc));
            route.locate(Some(&role_arn.loc));
            route.rest_on(fallback_assumed.as_slice());
            route.check_trust();
            self.push(route);
        }
    }

    /// A token (SAML assertion, OIDC token with a Token mapping) may name
    /// any role: every role whose trust admits the pool's token is reachable.
    fn named_by_token(
        &mut self,
        principal: &PrincipalClass,
        pool: &IdentityPool,
        login: &LoginOption,
        token: &WebIdentityToken,
    ) {
        for role in self.inventory.roles() {
            let mut route = SessionRoute::new(
                principal.clone(),
                RouteFlow::Enhanced,
                How::Token {
                    choice: TokenChoice::NamedByToken,
                    group: None,
                },
            );
            route.role = Some(RouteRole::Known(role));
            route.token = Some(token.clone());
            route.locate(login.loc.as_ref());
            route.locate(Some(&pool.loc));
            route.check_trust();
            if route.has_credentials() {
                self.push(route);
            }
        }
    }

    /// The basic flow: every role of the inputs whose trust policy admits
    /// the pool's token, when the pool allows the flow.
    fn classic(
        &mut self,
        principal: &PrincipalClass,
        pool: &'a IdentityPool,
        login: Login,
        option: Option<&LoginOption>,
    ) {
        if !*pool.allow_classic_flow.value() {
            return;
        }
        let mut refused = 0;
        for role in self.inventory.roles() {
            let request = CredentialsRequest {
                login: login.clone(),
                flow: Flow::Basic,
                custom_role_arn: None,
                role_arn: Some(role.arn.clone()),
                identity_id: Some(self.identity_id(pool)),
            };
            let resolution = resolve(pool, &request);
            for outcome in &resolution.outcomes {
                let route = self.outcome_route(principal, pool, outcome, &resolution.trace, option);
                if route.has_credentials() {
                    self.push(route);
                } else if route.role.is_some() {
                    refused += 1;
                }
            }
        }
        if refused > 0 {
            self.out.notes.push(format!(
                "basic flow for the {principal}: the trust policies of {refused} other role{} \
                 refuse its token",
                if refused == 1 { "" } else { "s" }
            ));
        }
    }

    fn outcome_route(
        &self,
        principal: &PrincipalClass,
        pool: &'a IdentityPool,
        outcome: &Grant,
        trace: &[Step],
        login: Option<&LoginOption>,
    ) -> SessionRoute<'a> {
        let flow = self.flow_of(outcome);
        let mut route = SessionRoute::new(principal.clone(), flow, How::NoRole);
        route.trace = trace.to_vec();
        route.claims = login.map(|l| l.claims.clone());
        if let Some(login) = login {
            route.notes.extend(login.notes.iter().cloned());
            route.locate(login.loc.as_ref());
        }
        for step in trace {
            if step.kind != StepKind::Note || step.loc.is_some() {
                route.locate(step.loc.as_ref());
            }
        }
        match outcome {
            Grant::Denied { reason, loc } => {
                route.blocked = Some(reason.clone());
                route.locate(loc.as_ref());
            }
            Grant::Unknown { reason } => {
                // Unknown is never "no access": any role may be handed out.
                route.role = Some(RouteRole::Unknown { arn: None });
                route.trust = TrustCheck::Unknown(reason.clone());
                route.notes.push(format!(
                    "{reason}: the role and its permissions are unknown"
                ));
                route.locate(Some(&pool.loc));
            }
            Grant::Assume(assumption) => {
                route.flow = assumption.flow.into();
                route.how = self.how(pool, &assumption.source, &assumption.role_arn, login);
                route.role = Some(RouteRole::lookup(self.inventory, &assumption.role_arn));
                route.token = Some(assumption.token.clone());
                route.principal_tags = assumption.principal_tags.clone();
                route.rest_on(&assumption.assumed);
                match assumption.session_policies() {
                    Ok(policies) => route.session_policies = policies,
                    Err(_) => route.notes.push(
                        "the guest scope-down data shipped with poolscope is broken; the \
                         session policy is left out"
                            .to_string(),
                    ),
                }
                route.locate(assumption.loc.as_ref());
                if let Some(role) = route.role.as_ref().and_then(|r| r.role()) {
                    route.locate(Some(&role.loc));
                }
                route.check_trust();
            }
        }
        route
    }

    fn flow_of(&self, outcome: &Grant) -> RouteFlow {
        match outcome {
            Grant::Assume(a) => a.flow.into(),
            _ => RouteFlow::Enhanced,
        }
    }

    fn how(
        &self,
        pool: &IdentityPool,
        source: &RoleSource,
        role_arn: &str,
        login: Option<&LoginOption>,
    ) -> How {
        let group_of = |role_arn: &str| -> Option<String> {
            let login = login?;
            let user_pool = self
                .inventory
                .user_pool(user_pool_id_of(&login.provider)?)?;
            let member_of = login.claims.list("cognito:groups");
            let mut groups: Vec<_> = user_pool
                .groups
                .iter()
                .filter(|g| member_of.contains(&g.name.value))
                .filter(|g| g.role_arn.as_ref().is_some_and(|r| r.value == role_arn))
                .collect();
            groups.sort_by_key(|g| g.precedence.as_ref().map_or(i64::MAX, |p| p.value));
            groups.first().map(|g| g.name.value.clone())
        };
        match source {
            RoleSource::DefaultUnauthenticated => How::DefaultRole {
                authenticated: false,
                ambiguous: false,
            },
            RoleSource::DefaultAuthenticated { ambiguous } => How::DefaultRole {
                authenticated: true,
                ambiguous: *ambiguous,
            },
            RoleSource::Rule { mapping, index } => {
                let rule = pool
                    .role_mappings
                    .iter()
                    .find(|m| m.provider.value == *mapping)
                    .and_then(|m| m.rules.iter().find(|r| r.index == *index));
                How::Rule {
                    mapping: mapping.clone(),
                    index: *index,
                    claim: rule.map(|r| r.claim.value.clone()).unwrap_or_default(),
                    match_type: rule
                        .map(|r| r.match_type.value.to_string())
                        .unwrap_or_default(),
                    value: rule.map(|r| r.value.value.clone()).unwrap_or_default(),
                    custom_role_arn: false,
                }
            }
            RoleSource::PreferredRole => How::Token {
                choice: TokenChoice::PreferredRole,
                group: group_of(role_arn),
            },
            RoleSource::CustomRoleArn => How::Token {
                choice: TokenChoice::CustomRoleArn,
                group: group_of(role_arn),
            },
            RoleSource::SamlRole => How::Token {
                choice: TokenChoice::SamlRole,
                group: None,
            },
            RoleSource::ClassicFlow => How::ClassicFlow,
        }
    }

    pub(super) fn role(&mut self, role: &'a Role) {
        let mut route = SessionRoute::new(
            PrincipalClass::Role {
                arn: role.arn.clone(),
            },
            RouteFlow::None,
            How::Itself,
        );
        route.role = Some(RouteRole::Known(role));
        route.locate(Some(&role.loc));
        self.push(route);
    }

    /// Tokens of an identity pool the inputs do not show, guest and
    /// authenticated, against every role's trust policy (SEMANTICS-NOTES §3).
    pub(super) fn external(&mut self) {
        let region = inputs_region(self.inventory);
        let aud = foreign_pool_id(&region);
        let sub = self
            .scenario
            .and_then(|s| s.identity_id.clone())
            .unwrap_or_else(|| format!("{region}:{SELF_GUID}"));
        for authenticated in [false, true] {
            let amr = if authenticated {
                vec![
                    "authenticated".to_string(),
                    format!("cognito-idp.{region}.amazonaws.com/{region}_Extern000"),
                ]
            } else {
                vec!["unauthenticated".to_string()]
            };
            let token = WebIdentityToken {
                aud: aud.clone(),
                amr,
                sub: sub.clone(),
            };
            let principal = PrincipalClass::External { authenticated };
            let mut refused = 0;
            for role in self.inventory.roles() {
                let mut route =
                    SessionRoute::new(principal.clone(), RouteFlow::Basic, How::ForeignPool);
                route.role = Some(RouteRole::Known(role));
                route.token = Some(token.clone());
                route.check_trust();
                if route.has_credentials() {
                    route.locate(Some(&role.loc));
                    route.notes.push(
                        "STS accepts tokens of another account's pool only when the trust \
                         policy has both an `aud` and an `amr` condition (Cognito Developer \
                         Guide, \"Security best practices for identity pools\"); without `aud`, \
                         this is any other pool of the role's own account"
                            .to_string(),
                    );
                    self.push(route);
                } else if role.trust_policy.is_some() {
                    refused += 1;
                }
            }
            if refused > 0 {
                self.out.notes.push(format!(
                    "{principal}: the trust policies of {refused} role{} refuse its token",
                    if refused == 1 { "" } else { "s" }
                ));
            }
        }
    }

    pub(super) fn anonymous(&mut self) {
        self.push(SessionRoute::new(
            PrincipalClass::Anonymous,
            RouteFlow::None,
            How::Itself,
        ));
    }

    /// The account itself, then every role whose trust policy lets the
    /// account's principals assume it (decided by the evaluator with the
    /// account's root, which holds every permission of its account).
    pub(super) fn account(&mut self, id: &str) {
        let principal = PrincipalClass::Account { id: id.to_string() };
        self.push(SessionRoute::new(
            principal.clone(),
            RouteFlow::None,
            How::Itself,
        ));
        for role in self.inventory.roles() {
            let Some(evaluation) = chains::account_assumes(id, role) else {
                continue;
            };
            let mut route = SessionRoute::new(
                principal.clone(),
                RouteFlow::None,
                How::AssumeRole {
                    from: format!("arn:aws:iam::{id}:root"),
                },
            );
            route.role = Some(RouteRole::Known(role));
            route.trust = TrustCheck::evaluated(chains::ASSUME_ROLE, evaluation);
            for loc in route.trust.deciding_locations() {
                route.locate(Some(&loc));
            }
            route.locate(Some(&role.loc));
            self.push(route);
        }
    }
}

/// The token of an authenticated identity of `pool` via `provider`
/// (IAM User Guide, "Available keys for AWS web identity federation").
fn authenticated_token(pool: &IdentityPool, provider: &str, sub: String) -> WebIdentityToken {
    WebIdentityToken {
        aud: pool.id.clone(),
        amr: vec!["authenticated".to_string(), provider.to_string()],
        sub,
    }
}
