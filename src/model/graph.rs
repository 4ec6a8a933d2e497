//! The principal graph: identities → roles → resources, for people to look at.
//!
//! Nodes are principal classes (guests of pool P; users of pool P via
//! provider X; identities of pools the inputs do not show; anonymous;
//! another account), roles (known, or only referenced), and resources named
//! in policies, grouped (an S3 bucket, a DynamoDB table, another ARN, or
//! "any resource" of a service). Edges:
//! - *obtains credentials for*, from the static routes of
//!   [`crate::model::sessions`], labelled with how (default role, rule k,
//!   group G, basic flow, trust without `aud`, …); routes whose trust policy
//!   refuses are kept, marked `refused`, because a mapping that names a role
//!   its trust refuses is worth seeing;
//! - *can assume*, role to role, decided by the evaluator
//!   ([`crate::model::sessions::assumable_roles`]), and *becomes* by an
//!   escalation step (passing a role, rewriting a function, changing
//!   permissions: [`crate::model::sessions::escalation_links`]), drawn
//!   alike and labelled with the step;
//! - *may access*, a summary: the access levels (List, Read, Write,
//!   Permissions management, Tagging, from the action catalogue) of the
//!   actions a role's Allow statements — or a bucket policy's Allow
//!   statements for a principal — grant on the resource. Conditions, denies,
//!   boundaries and session policies are *not* applied here; `explain` and
//!   `query` decide real requests.
//!
//! Every node and edge keeps the [`Location`]s it came from. Principal
//! nodes, and roles reached from one identity pool only, carry that pool as
//! their cluster so renderers can group them. Hands on a [`PrincipalGraph`]
//! to `report::graph` (DOT, Mermaid, JSON).
//!
//! petgraph is the storage: a `DiGraph` keeps node and edge indices stable
//! while parallel edges merge, and answers the incoming-edge queries that
//! place roles in clusters. Its path algorithms are deliberately not used
//! for reachability: this graph is a summary for people (access edges
//! apply no conditions, boundaries or session policies), so a path through
//! it proves no access. Role chains are walked in
//! [`crate::model::sessions`], where each hop is decided by the evaluator
//! with the route's own session policies and a role is never revisited on
//! one path, which is what ends cycles there.

use std::collections::{BTreeSet, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::cognito::identity_pool::user_pool_id_of;
use crate::model::sessions::{
    self, How, PrincipalClass, RouteFlow, RouteRole, SessionRoute, foreign_accounts,
};
use crate::model::{Inventory, PolicyRef, Role};
use crate::policy::catalogue::AccessLevel;
use crate::policy::{Effect, Principal};
use crate::query::PrincipalSelector;
use crate::source::Location;

/// What a node stands for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NodeKind {
    Guest {
        pool: String,
    },
    User {
        pool: String,
        provider: String,
    },
    /// Identities of identity pools the inputs do not show.
    ForeignPool,
    Anonymous,
    Account {
        id: String,
    },
    Role {
        arn: String,
        known: bool,
    },
    /// A resource group: `service` and a name (bucket, `table/NAME`, the
    /// ARN's resource part, or `*`).
    Resource {
        service: String,
        name: String,
    },
}

/// One node.
#[derive(Clone, Debug)]
pub struct Node {
    /// Stable and unique within the graph; safe in DOT and Mermaid.
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    /// The identity pool (id) the node is drawn with, if any.
    pub cluster: Option<String>,
    /// Where the node's configuration is written.
    pub locations: Vec<Location>,
    /// Facts worth a tooltip (service principals a role trusts, unknown
    /// policies).
    pub notes: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    ObtainsCredentials,
    CanAssume,
    MayAccess,
}

/// One edge.
#[derive(Clone, Debug)]
pub struct Edge {
    pub kind: EdgeKind,
    pub label: String,
    /// For credential edges: the flow.
    pub flow: Option<RouteFlow>,
    /// For credential edges: how, as data.
    pub how: Option<How>,
    /// The session carries session policies (the guest scope-down).
    pub scoped_down: bool,
    /// The configuration names the role but its trust policy refuses.
    pub refused: bool,
    /// For credential edges: settings the inputs do not show that the
    /// route rests on (`assumed: AllowClassicFlow absent`).
    pub assumptions: Vec<String>,
    /// For access edges: the access levels granted, in catalogue order.
    pub levels: Vec<AccessLevel>,
    /// For access edges: the action patterns granted.
    pub actions: Vec<String>,
    pub locations: Vec<Location>,
}

impl Edge {
    fn new(kind: EdgeKind, label: String) -> Edge {
        Edge {
            kind,
            label,
            flow: None,
            how: None,
            scoped_down: false,
            refused: false,
            assumptions: Vec::new(),
            levels: Vec::new(),
            actions: Vec::new(),
            locations: Vec::new(),
        }
    }
}

/// An identity pool, drawn as a cluster.
#[derive(Clone, Debug, Serialize)]
pub struct Cluster {
    /// The pool id.
    pub id: String,
    pub label: String,
}

/// The graph. See the module documentation.
#[derive(Clone, Debug, Default)]
pub struct PrincipalGraph {
    pub graph: DiGraph<Node, Edge>,
    pub clusters: Vec<Cluster>,
}

impl PrincipalGraph {
    /// Builds the graph of everything the inventory shows.
    pub fn build(inventory: &Inventory) -> PrincipalGraph {
        let mut builder = Builder {
            inventory,
            graph: PrincipalGraph::default(),
            by_key: HashMap::new(),
            edges: HashMap::new(),
            levels: HashMap::new(),
        };
        builder.roles();
        builder.pools();
        builder.external();
        builder.accounts();
        builder.chains();
        builder.access();
        builder.bucket_policies();
        builder.cluster_roles();
        builder.graph
    }

    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.graph.node_weights()
    }

    /// Every edge with its two ends.
    pub fn edges(&self) -> impl Iterator<Item = (&Node, &Node, &Edge)> {
        self.graph
            .edge_references()
            .map(|e| (&self.graph[e.source()], &self.graph[e.target()], e.weight()))
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes().find(|n| n.id == id)
    }

    /// The edges from the node `from` to the node `to`, by id.
    pub fn edges_between(&self, from: &str, to: &str) -> Vec<&Edge> {
        self.edges()
            .filter(|(a, b, _)| a.id == from && b.id == to)
            .map(|(_, _, e)| e)
            .collect()
    }
}

struct Builder<'a> {
    inventory: &'a Inventory,
    graph: PrincipalGraph,
    by_key: HashMap<String, NodeIndex>,
    edges: HashMap<(NodeIndex, NodeIndex, EdgeKind, String), petgraph::graph::EdgeIndex>,
    /// Access levels per (action pattern, service), computed once.
    levels: HashMap<(String, String), BTreeSet<AccessLevel>>,
}

impl<'a> Builder<'a> {
    fn node(&mut self, key: String, make: impl FnOnce(usize) -> Node) -> NodeIndex {
        if let Some(&index) = self.by_key.get(&key) {
            return index;
        }
        let node = make(self.graph.graph.node_count());
        let index = self.graph.graph.add_node(node);
        self.by_key.insert(key, index);
        index
    }

    /// Adds an edge, or merges it into the same edge already there.
    fn edge(&mut self, from: NodeIndex, to: NodeIndex, edge: Edge) {
        let key = (from, to, edge.kind, edge.label.clone());
        if let Some(&index) = self.edges.get(&key) {
            let existing = &mut self.graph.graph[index];
            for loc in edge.locations {
                if !existing.locations.contains(&loc) {
                    existing.locations.push(loc);
                }
            }
            return;
        }
        let index = self.graph.graph.add_edge(from, to, edge);
        self.edges.insert(key, index);
    }

    fn roles(&mut self) {
        for role in self.inventory.roles() {
            self.role_node(&RouteRole::Known(role));
        }
    }

    fn role_node(&mut self, role: &RouteRole<'_>) -> NodeIndex {
        let arn = role.arn().unwrap_or("(unknown role)").to_string();
        let known = role.is_known();
        let inventory = self.inventory;
        let role = role.role();
        self.node(format!("role:{arn}"), |n| {
            let mut notes = Vec::new();
            let mut locations = Vec::new();
            let label = match role {
                Some(role) => {
                    locations.push(role.loc.clone());
                    notes.extend(service_principals(role));
                    if inventory
                        .role_policies(role)
                        .iter()
                        .any(|p| matches!(p, PolicyRef::Unknown { .. }))
                    {
                        notes.push("has policies the inputs do not show".to_string());
                    }
                    role.name.clone()
                }
                None => format!("{} (not in the inputs)", short_arn(&arn)),
            };
            Node {
                id: format!("role{n}"),
                kind: NodeKind::Role { arn, known },
                label,
                cluster: None,
                locations,
                notes,
            }
        })
    }

    fn pools(&mut self) {
        for (p, pool) in self.inventory.identity_pools().iter().enumerate() {
            let name = pool.name.as_ref().map_or(pool.id.as_str(), |n| &n.value);
            let mut flags = Vec::new();
            match pool.allow_unauthenticated.read() {
                Some(true) => flags.push("guests on"),
                None => flags.push("guests assumed on"),
                Some(false) => {}
            }
            match pool.allow_classic_flow.read() {
                Some(true) => flags.push("basic flow on"),
                None => flags.push("basic flow assumed on"),
                Some(false) => {}
            }
            let flags = if flags.is_empty() {
                String::new()
            } else {
                format!(" — {}", flags.join(", "))
            };
            self.graph.clusters.push(Cluster {
                id: pool.id.clone(),
                label: format!("identity pool {name}\n{}{flags}", pool.id),
            });
            let selectors = [
                PrincipalSelector::Guest {
                    pool: Some(pool.id.clone()),
                },
                PrincipalSelector::User {
                    pool: Some(pool.id.clone()),
                    provider: None,
                },
            ];
            for selector in selectors {
                let Ok(found) = sessions::enumerate(self.inventory, &selector, None) else {
                    continue;
                };
                for route in &found.routes {
                    self.credential_route(route, Some(p));
                }
                // Roles handed out once the pools' configuration is changed
                // by a role these principals reach (self-administration).
                let widened = sessions::with_self_admin(self.inventory, found.routes);
                for route in &widened {
                    if matches!(route.how, How::SelfAdministered { .. }) {
                        self.credential_route(route, Some(p));
                    }
                }
            }
        }
    }

    fn principal_node(
        &mut self,
        principal: &PrincipalClass,
        pool_index: Option<usize>,
    ) -> NodeIndex {
        let inventory = self.inventory;
        let key = format!("{principal:?}");
        let principal = principal.clone();
        self.node(key, move |n| {
            let (id, kind, label, cluster, locations) = match principal {
                PrincipalClass::Guest { pool } => {
                    let loc = inventory
                        .identity_pool(&pool)
                        .and_then(|p| p.allow_unauthenticated.loc().cloned());
                    (
                        format!("pool{}_guest", pool_index.unwrap_or(n)),
                        NodeKind::Guest { pool: pool.clone() },
                        "guests".to_string(),
                        Some(pool),
                        loc.into_iter().collect(),
                    )
                }
                PrincipalClass::User { pool, provider } => {
                    let label = provider_label(inventory, &provider);
                    (
                        format!("pool{}_user{n}", pool_index.unwrap_or(n)),
                        NodeKind::User {
                            pool: pool.clone(),
                            provider,
                        },
                        label,
                        Some(pool),
                        Vec::new(),
                    )
                }
                PrincipalClass::External { .. } => (
                    "external".to_string(),
                    NodeKind::ForeignPool,
                    "identities of other pools".to_string(),
                    None,
                    Vec::new(),
                ),
                PrincipalClass::Anonymous => (
                    "anonymous".to_string(),
                    NodeKind::Anonymous,
                    "anonymous".to_string(),
                    None,
                    Vec::new(),
                ),
                PrincipalClass::Account { id } => (
                    format!("account_{id}"),
                    NodeKind::Account { id: id.clone() },
                    format!("account {id}"),
                    None,
                    Vec::new(),
                ),
                PrincipalClass::Role { arn } => (
                    format!("principal_role{n}"),
                    NodeKind::Role {
                        arn: arn.clone(),
                        known: true,
                    },
                    short_arn(&arn).to_string(),
                    None,
                    Vec::new(),
                ),
            };
            Node {
                id,
                kind,
                label,
                cluster,
                locations,
                notes: Vec::new(),
            }
        })
    }

    fn credential_route(&mut self, route: &SessionRoute<'_>, pool_index: Option<usize>) {
        let Some(role) = &route.role else {
            return;
        };
        let refused = route.trust.refusal().is_some();
        if route.blocked.is_some() && !refused {
            return;
        }
        let from = self.principal_node(&route.principal, pool_index);
        if let Some(loc) = route.locations.first() {
            let node = &mut self.graph.graph[from];
            if node.locations.is_empty() {
                node.locations.push(loc.clone());
            }
        }
        let to = self.role_node(role);
        // With the assumptions the route rests on, e.g. an absent
        // `AllowClassicFlow` (docs/semantics.md §10).
        let mut label = route.short_label();
        if let PrincipalClass::External { authenticated } = route.principal {
            label = format!(
                "{label} ({})",
                if authenticated {
                    "authenticated"
                } else {
                    "guest"
                }
            );
        }
        if !route.session_policies.is_empty() {
            label.push_str(" + scope-down");
        }
        if refused {
            label.push_str(" (trust refuses)");
        }
        let mut edge = Edge::new(EdgeKind::ObtainsCredentials, label);
        edge.flow = Some(route.flow);
        edge.how = Some(route.how.clone());
        edge.assumptions = route.assumptions.iter().map(|a| a.label.clone()).collect();
        edge.scoped_down = !route.session_policies.is_empty();
        edge.refused = refused;
        edge.locations = route.locations.clone();
        self.edge(from, to, edge);
    }

    fn external(&mut self) {
        if let Ok(found) = sessions::enumerate(self.inventory, &PrincipalSelector::External, None) {
            for route in &found.routes {
                self.credential_route(route, None);
            }
        }
    }

    /// Roles other accounts may assume (their trust admits the account).
    fn accounts(&mut self) {
        for (id, _) in foreign_accounts(self.inventory) {
            let selector = PrincipalSelector::Account(id.clone());
            let Ok(found) = sessions::enumerate(self.inventory, &selector, None) else {
                continue;
            };
            for route in found.routes.iter().filter(|r| r.role.is_some()) {
                let from = self.principal_node(&route.principal, None);
                let to = self.role_node(route.role.as_ref().expect("filtered on a role"));
                let mut edge = Edge::new(EdgeKind::CanAssume, "sts:AssumeRole".to_string());
                edge.how = Some(route.how.clone());
                edge.locations = route.trust.deciding_locations();
                self.edge(from, to, edge);
            }
        }
    }

    fn chains(&mut self) {
        for link in sessions::assumable_roles(self.inventory) {
            let from = self.role_node(&RouteRole::Known(link.from));
            let to = self.role_node(&RouteRole::Known(link.to));
            let mut edge = Edge::new(EdgeKind::CanAssume, "sts:AssumeRole".to_string());
            edge.locations = link.locations;
            self.edge(from, to, edge);
        }
        for link in sessions::escalation_links(self.inventory) {
            let from = self.role_node(&RouteRole::Known(link.from));
            let to = self.role_node(&link.to);
            let mut edge = Edge::new(EdgeKind::CanAssume, link.kind.to_string());
            edge.how = Some(How::Escalation {
                step: link.kind,
                from: link.from.arn.clone(),
                via: link.via,
            });
            edge.locations = link.locations;
            self.edge(from, to, edge);
        }
    }

    /// Draws a role with the pool cluster when every non-refused credential
    /// edge into it comes from that one pool, and nothing else reaches it.
    fn cluster_roles(&mut self) {
        let graph = &self.graph.graph;
        let mut assignments = Vec::new();
        for index in graph.node_indices() {
            if !matches!(graph[index].kind, NodeKind::Role { .. }) {
                continue;
            }
            let mut clusters = BTreeSet::new();
            let mut other = false;
            for edge in graph.edges_directed(index, petgraph::Direction::Incoming) {
                let source = &graph[edge.source()];
                match (&edge.weight().kind, &source.cluster) {
                    (EdgeKind::ObtainsCredentials, Some(cluster)) if !edge.weight().refused => {
                        clusters.insert(cluster.clone());
                    }
                    (EdgeKind::ObtainsCredentials, _) if edge.weight().refused => {}
                    _ => other = true,
                }
            }
            if clusters.len() == 1 && !other {
                assignments.push((index, clusters.into_iter().next()));
            }
        }
        for (index, cluster) in assignments {
            self.graph.graph[index].cluster = cluster;
        }
    }
}

/// A login provider in words: the user pool's name, the social domain.
pub fn provider_label(inventory: &Inventory, provider: &str) -> String {
    match user_pool_id_of(provider) {
        Some(id) => match inventory.user_pool(id).and_then(|p| p.name.as_ref()) {
            Some(name) => format!("users of user pool {}", name.value),
            None => format!("users of user pool {id}"),
        },
        None => format!("users via {provider}"),
    }
}

/// The service principals a role's trust policy names (`lambda.amazonaws.com`).
fn service_principals(role: &Role) -> Vec<String> {
    let Some(trust) = &role.trust_policy else {
        return vec!["trust policy not in the inputs".to_string()];
    };
    let mut services: Vec<String> = trust
        .statements
        .iter()
        .filter(|s| s.effect.value == Effect::Allow)
        .filter_map(|s| s.principal.as_ref())
        .flat_map(|p| p.principals.iter())
        .filter_map(|p| match &p.value {
            Principal::Service(name) => Some(format!("trusted by {name}")),
            _ => None,
        })
        .collect();
    services.dedup();
    services
}

/// The last path segment of an ARN (`role/path/Name` → `Name`).
pub fn short_arn(arn: &str) -> &str {
    arn.rsplit(['/', ':']).next().unwrap_or(arn)
}

mod access;

pub use access::resource_groups;

#[cfg(test)]
mod tests;
