//! Rendering the principal graph: Graphviz DOT, Mermaid, JSON.
//!
//! DOT and Mermaid draw identities left, roles in the middle, resources
//! right; each identity pool is a cluster holding its guests, its users per
//! login provider and the roles only it reaches. Colours tell node kinds
//! apart (guests orange, users blue, other identities red, roles green,
//! roles not in the inputs grey, resources lavender); edge styles tell
//! credentials (enhanced flow solid blue, basic flow dashed red, refused by
//! trust dotted grey) from role chains (bold purple) and access summaries
//! (thin grey). A legend is part of the picture. Output is deterministic
//! (node order is the build order), so it can be snapshot-tested.

use std::fmt::Write as _;

use serde::Serialize;

use crate::diagnostic::Label;
use crate::model::graph::{Edge, EdgeKind, Node, NodeKind, PrincipalGraph};
use crate::model::sessions::RouteFlow;
use crate::policy::catalogue::AccessLevel;
use crate::source::Location;

use super::RenderedLocation;

const GUEST: &str = "#fdae6b";
const USER: &str = "#9ecae1";
const OTHER_IDENTITY: &str = "#fc9272";
const ROLE: &str = "#a1d99b";
const UNKNOWN_ROLE: &str = "#e0e0e0";
const RESOURCE: &str = "#dadaeb";
const ENHANCED: &str = "#2171b5";
const BASIC: &str = "#cb181d";
const REFUSED: &str = "#bdbdbd";
const ASSUME: &str = "#6a51a3";
const ACCESS: &str = "#969696";

/// Node fill colour and DOT shape.
fn node_style(kind: &NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Guest { .. } => (GUEST, "box"),
        NodeKind::User { .. } => (USER, "box"),
        NodeKind::ForeignPool | NodeKind::Anonymous | NodeKind::Account { .. } => {
            (OTHER_IDENTITY, "box")
        }
        NodeKind::Role { known: true, .. } => (ROLE, "box"),
        NodeKind::Role { known: false, .. } => (UNKNOWN_ROLE, "box"),
        NodeKind::Resource { .. } => (RESOURCE, "cylinder"),
    }
}

fn dot_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Graphviz DOT.
pub fn render_dot(graph: &PrincipalGraph) -> String {
    let mut out = String::new();
    out.push_str("digraph poolscope {\n");
    out.push_str(
        "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, nodesep=0.25, ranksep=1.2, \
         labelloc=t, label=\"poolscope: identities → roles → resources\"];\n",
    );
    out.push_str(
        "  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"filled,rounded\", \
         color=\"#636363\"];\n",
    );
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#636363\"];\n");
    for (i, cluster) in graph.clusters.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{i} {{");
        let _ = writeln!(
            out,
            "    label=\"{}\"; style=\"rounded,dashed\"; color=\"#737373\"; fontsize=10;",
            dot_escape(&cluster.label)
        );
        for node in graph
            .nodes()
            .filter(|n| n.cluster.as_deref() == Some(&cluster.id))
        {
            let _ = writeln!(out, "    {}", dot_node(node));
        }
        out.push_str("  }\n");
    }
    for node in graph.nodes().filter(|n| n.cluster.is_none()) {
        let _ = writeln!(out, "  {}", dot_node(node));
    }
    for (from, to, edge) in graph.edges() {
        let _ = writeln!(out, "  {} -> {} [{}];", from.id, to.id, dot_edge(edge));
    }
    out.push_str(DOT_LEGEND);
    out.push_str("}\n");
    out
}

fn dot_node(node: &Node) -> String {
    let (fill, shape) = node_style(&node.kind);
    let mut attrs = format!(
        "label=\"{}\", fillcolor=\"{fill}\"",
        dot_escape(&node.label)
    );
    if shape != "box" {
        let _ = write!(attrs, ", shape={shape}, style=filled");
    }
    if matches!(node.kind, NodeKind::Role { known: false, .. }) {
        attrs.push_str(", style=\"filled,rounded,dashed\"");
    }
    if !node.notes.is_empty() {
        let _ = write!(
            attrs,
            ", tooltip=\"{}\"",
            dot_escape(&node.notes.join("; "))
        );
    }
    format!("{} [{attrs}];", node.id)
}

fn dot_edge(edge: &Edge) -> String {
    let label = dot_escape(&wrap(&edge.label, 28));
    match edge.kind {
        EdgeKind::ObtainsCredentials if edge.refused => {
            format!("label=\"{label}\", color=\"{REFUSED}\", fontcolor=\"#969696\", style=dotted")
        }
        EdgeKind::ObtainsCredentials if edge.flow == Some(RouteFlow::Basic) => format!(
            "label=\"{label}\", color=\"{BASIC}\", fontcolor=\"{BASIC}\", style=dashed, penwidth=1.5"
        ),
        EdgeKind::ObtainsCredentials => format!(
            "label=\"{label}\", color=\"{ENHANCED}\", fontcolor=\"{ENHANCED}\", penwidth=1.5"
        ),
        EdgeKind::CanAssume => {
            format!("label=\"{label}\", color=\"{ASSUME}\", fontcolor=\"{ASSUME}\", penwidth=2.5")
        }
        EdgeKind::MayAccess => {
            format!("label=\"{label}\", color=\"{ACCESS}\", fontcolor=\"#636363\", arrowhead=vee")
        }
    }
}

/// The legend: one node with a table of the colours and edge styles.
const DOT_LEGEND: &str = r###"  legend [shape=plain, style=solid, fillcolor=none, fontsize=9, label=<<table border="1" color="#bdbdbd" style="rounded" cellborder="0" cellspacing="1" cellpadding="2">
    <tr><td colspan="2"><b>legend</b></td></tr>
    <tr><td bgcolor="#fdae6b" width="30"> </td><td align="left">guests of an identity pool</td></tr>
    <tr><td bgcolor="#9ecae1"> </td><td align="left">users of a pool, per login provider</td></tr>
    <tr><td bgcolor="#fc9272"> </td><td align="left">other pools' identities, anonymous, other accounts</td></tr>
    <tr><td bgcolor="#a1d99b"> </td><td align="left">IAM role</td></tr>
    <tr><td bgcolor="#e0e0e0"> </td><td align="left">role not in the inputs</td></tr>
    <tr><td bgcolor="#dadaeb"> </td><td align="left">resource (bucket, table, ARN)</td></tr>
    <tr><td><font color="#2171b5"><b>———</b></font></td><td align="left">credentials, enhanced flow</td></tr>
    <tr><td><font color="#cb181d"><b>- - -</b></font></td><td align="left">credentials, basic flow</td></tr>
    <tr><td><font color="#969696">· · ·</font></td><td align="left">mapped, but the trust policy refuses</td></tr>
    <tr><td><font color="#6a51a3"><b>━━━</b></font></td><td align="left">sts:AssumeRole, an escalation step or self-administration (the label says which)</td></tr>
    <tr><td><font color="#969696">———</font></td><td align="left">may access (access levels of the grants)</td></tr>
  </table>>];
  { rank=sink; legend; }
"###;

/// Breaks a label into lines of about `width` characters at spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        if line > 0 && line + 1 + word.chars().count() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.chars().count();
    }
    out
}

fn mermaid_escape(text: &str) -> String {
    text.replace('"', "#quot;").replace('\n', "<br/>")
}

/// A Mermaid flowchart.
pub fn render_mermaid(graph: &PrincipalGraph) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, cluster) in graph.clusters.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph cluster_{i}[\"{}\"]",
            mermaid_escape(&cluster.label)
        );
        for node in graph
            .nodes()
            .filter(|n| n.cluster.as_deref() == Some(&cluster.id))
        {
            let _ = writeln!(out, "    {}", mermaid_node(node));
        }
        out.push_str("  end\n");
    }
    for node in graph.nodes().filter(|n| n.cluster.is_none()) {
        let _ = writeln!(out, "  {}", mermaid_node(node));
    }
    let mut link_styles = Vec::new();
    for (index, (from, to, edge)) in graph.edges().enumerate() {
        let label = mermaid_escape(&edge.label);
        let arrow = match edge.kind {
            EdgeKind::ObtainsCredentials if edge.flow == Some(RouteFlow::Basic) || edge.refused => {
                "-.->"
            }
            EdgeKind::CanAssume => "==>",
            _ => "-->",
        };
        let _ = writeln!(out, "  {} {arrow}|\"{label}\"| {}", from.id, to.id);
        let color = match edge.kind {
            EdgeKind::ObtainsCredentials if edge.refused => REFUSED,
            EdgeKind::ObtainsCredentials if edge.flow == Some(RouteFlow::Basic) => BASIC,
            EdgeKind::ObtainsCredentials => ENHANCED,
            EdgeKind::CanAssume => ASSUME,
            EdgeKind::MayAccess => ACCESS,
        };
        link_styles.push(format!("  linkStyle {index} stroke:{color}"));
    }
    out.push_str(MERMAID_LEGEND);
    for style in link_styles {
        out.push_str(&style);
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "  classDef guest fill:{GUEST},stroke:#8c510a,color:#000"
    );
    let _ = writeln!(out, "  classDef user fill:{USER},stroke:#08519c,color:#000");
    let _ = writeln!(
        out,
        "  classDef other fill:{OTHER_IDENTITY},stroke:#a50f15,color:#000"
    );
    let _ = writeln!(out, "  classDef role fill:{ROLE},stroke:#006d2c,color:#000");
    let _ = writeln!(
        out,
        "  classDef unknown fill:{UNKNOWN_ROLE},stroke:#636363,stroke-dasharray:4 2,color:#000"
    );
    let _ = writeln!(
        out,
        "  classDef resource fill:{RESOURCE},stroke:#54278f,color:#000"
    );
    out
}

fn mermaid_node(node: &Node) -> String {
    let label = mermaid_escape(&node.label);
    let (open, close, class) = match node.kind {
        NodeKind::Guest { .. } => ("([", "])", "guest"),
        NodeKind::User { .. } => ("([", "])", "user"),
        NodeKind::ForeignPool | NodeKind::Anonymous | NodeKind::Account { .. } => {
            ("([", "])", "other")
        }
        NodeKind::Role { known: true, .. } => ("[", "]", "role"),
        NodeKind::Role { known: false, .. } => ("[", "]", "unknown"),
        NodeKind::Resource { .. } => ("[(", ")]", "resource"),
    };
    format!("{}{open}\"{label}\"{close}:::{class}", node.id)
}

const MERMAID_LEGEND: &str = r#"  subgraph legend["legend"]
    legend_guest(["guests of a pool"]):::guest
    legend_user(["users of a pool, per login provider"]):::user
    legend_other(["identities of other pools, anonymous, other accounts"]):::other
    legend_role["IAM role"]:::role
    legend_unknown["role not in the inputs"]:::unknown
    legend_resource[("resource")]:::resource
  end
"#;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    clusters: &'a [crate::model::graph::Cluster],
    nodes: Vec<NodeOut<'a>>,
    edges: Vec<EdgeOut<'a>>,
}

#[derive(Serialize)]
struct NodeOut<'a> {
    id: &'a str,
    #[serde(flatten)]
    kind: &'a NodeKind,
    label: &'a str,
    cluster: Option<&'a str>,
    notes: &'a [String],
    locations: Vec<RenderedLocation>,
}

#[derive(Serialize)]
struct EdgeOut<'a> {
    from: &'a str,
    to: &'a str,
    kind: EdgeKind,
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow: Option<RouteFlow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    how: Option<&'a crate::model::sessions::How>,
    scoped_down: bool,
    refused: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    assumptions: &'a [String],
    #[serde(skip_serializing_if = "<[AccessLevel]>::is_empty")]
    levels: &'a [AccessLevel],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    actions: &'a [String],
    locations: Vec<RenderedLocation>,
}

fn rendered(locations: &[Location]) -> Vec<RenderedLocation> {
    locations
        .iter()
        .map(|l| RenderedLocation::new(&Label::bare(l.clone())))
        .collect()
}

/// JSON: `{"version": 1, "clusters", "nodes", "edges"}`, every node and
/// edge with its locations.
pub fn render_json(graph: &PrincipalGraph) -> String {
    let document = Document {
        version: 1,
        clusters: &graph.clusters,
        nodes: graph
            .nodes()
            .map(|n| NodeOut {
                id: &n.id,
                kind: &n.kind,
                label: &n.label,
                cluster: n.cluster.as_deref(),
                notes: &n.notes,
                locations: rendered(&n.locations),
            })
            .collect(),
        edges: graph
            .edges()
            .map(|(from, to, e)| EdgeOut {
                from: &from.id,
                to: &to.id,
                kind: e.kind,
                label: &e.label,
                flow: e.flow,
                how: e.how.as_ref(),
                scoped_down: e.scoped_down,
                refused: e.refused,
                assumptions: &e.assumptions,
                levels: &e.levels,
                actions: &e.actions,
                locations: rendered(&e.locations),
            })
            .collect(),
    };
    // Plain data: serialising cannot fail.
    let mut text = serde_json::to_string_pretty(&document).expect("plain data serialises");
    text.push('\n');
    text
}
