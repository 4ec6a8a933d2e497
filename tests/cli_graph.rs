//! `poolscope graph` over the real binary: DOT and Mermaid text as
//! snapshots (no `dot` needed), JSON with locations, exit codes (docs/cli.md,
//! "Commands" and "Exit codes").

use serde_json::Value;

mod common;

use common::{Run, poolscope};

fn graph(args: &[&str]) -> Run {
    poolscope("graph", args)
}

fn ok(args: &[&str]) -> String {
    let run = graph(args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn amplify_storage_dot() {
    insta::assert_snapshot!("amplify_storage_dot", ok(&["corpus/amplify-storage"]));
}

#[test]
fn amplify_storage_mermaid() {
    insta::assert_snapshot!(
        "amplify_storage_mermaid",
        ok(&["corpus/amplify-storage", "--format", "mermaid"])
    );
}

#[test]
fn token_groups_dot() {
    insta::assert_snapshot!(
        "token_groups_dot",
        ok(&["corpus/token-groups", "--format", "dot"])
    );
}

#[test]
fn token_groups_mermaid() {
    insta::assert_snapshot!(
        "token_groups_mermaid",
        ok(&["corpus/token-groups", "--format", "mermaid"])
    );
}

// The DOT text is one graph with a cluster per identity pool and a legend;
// every node id used by an edge is declared.
#[test]
fn dot_declares_every_node_it_links() {
    let text = ok(&["corpus/classic-flow"]);
    assert!(text.starts_with("digraph poolscope {"));
    assert!(text.trim_end().ends_with('}'));
    assert_eq!(
        text.matches("subgraph cluster_").count(),
        1,
        "one identity pool"
    );
    assert!(text.contains("legend [shape=plain"));
    for line in text
        .lines()
        .filter(|l| l.contains(" -> ") && !l.contains("legend"))
    {
        let (from, rest) = line.trim().split_once(" -> ").expect("an edge");
        let to = rest.split_whitespace().next().expect("a target");
        for id in [from, to] {
            assert!(
                text.lines()
                    .any(|l| l.trim().starts_with(&format!("{id} ["))),
                "{id} is declared"
            );
        }
    }
    // the basic flow is drawn dashed red
    assert!(text.contains("label=\"basic flow: trust admits\", color=\"#cb181d\""));
}

// JSON: every node and edge with its kind and source locations.
#[test]
fn json_has_nodes_edges_and_locations() {
    let doc: Value = serde_json::from_str(&ok(&["corpus/classic-flow", "--format", "json"]))
        .expect("valid JSON");
    assert_eq!(doc["version"], 1);
    let edges = doc["edges"].as_array().expect("edges");
    let foreign = edges
        .iter()
        .find(|e| e["from"] == "external")
        .expect("an edge from identities of other pools");
    assert_eq!(foreign["kind"], "obtains_credentials");
    assert_eq!(foreign["how"]["kind"], "foreign_pool");
    assert_eq!(foreign["flow"], "basic");
    let trust = foreign["locations"]
        .as_array()
        .expect("locations")
        .iter()
        .find(|l| {
            l["pointer"]
                .as_str()
                .is_some_and(|p| p.contains("AssumeRolePolicyDocument"))
        })
        .expect("the trust statement that admits");
    assert_eq!(trust["file"], "corpus/classic-flow/iam.json");
    assert!(trust["line"].as_u64().is_some_and(|l| l > 1));
    let access = edges
        .iter()
        .find(|e| {
            e["kind"] == "may_access"
                && e["levels"]
                    .as_array()
                    .is_some_and(|l| l.iter().any(|x| x == "Permissions management"))
        })
        .expect("an access edge with Permissions management");
    assert!(
        !access["locations"]
            .as_array()
            .expect("locations")
            .is_empty()
    );
    let nodes = doc["nodes"].as_array().expect("nodes");
    assert!(
        nodes
            .iter()
            .any(|n| n["kind"] == "guest" && n["cluster"].is_string())
    );
    assert!(
        nodes
            .iter()
            .all(|n| n["id"].is_string() && n["label"].is_string())
    );
}

// docs/semantics.md §10: an absent `AllowClassicFlow` keeps the basic-flow
// edges, labelled with the assumption; `false` draws none.
#[test]
fn basic_flow_edges_show_an_assumed_allow_classic_flow() {
    let with = |dir: &str| {
        let pool = format!("tests/fixtures/aws_cli/{dir}/identity-pool.json");
        let text = ok(&[
            &pool,
            "corpus/classic-flow/iam.json",
            "corpus/classic-flow/identity-pool-roles.json",
            "--format",
            "json",
        ]);
        serde_json::from_str::<Value>(&text).expect("valid JSON")
    };
    let doc = with("classic-flow-absent");
    let basic: Vec<&Value> = doc["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| e["how"]["kind"] == "classic_flow")
        .collect();
    assert!(!basic.is_empty());
    for edge in &basic {
        assert_eq!(
            edge["label"],
            "basic flow: trust admits (assumed: AllowClassicFlow absent)"
        );
        assert_eq!(
            edge["assumptions"],
            serde_json::json!(["assumed: AllowClassicFlow absent"])
        );
    }
    assert!(
        doc["clusters"][0]["label"]
            .as_str()
            .is_some_and(|l| l.contains("basic flow assumed on")),
        "{}",
        doc["clusters"][0]["label"]
    );

    let doc = with("classic-flow-off");
    assert!(
        doc["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .all(|e| e["how"]["kind"] != "classic_flow")
    );
}

#[test]
fn unreadable_input_exits_two() {
    let run = graph(&["tests/fixtures/aws_cli/malformed/truncated.json"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("json-syntax"), "{}", run.stderr);
    let run = graph(&["corpus/amplify-storage", "--format", "svg"]);
    assert_eq!(run.code, 2, "an unknown format is a usage error");
}

// Escalation steps are role-to-role edges labelled with the step, drawn as
// chains are (docs/semantics.md §11), with the statement that allows them.
#[test]
fn escalation_steps_are_edges_labelled_with_the_step() {
    let mermaid = ok(&["corpus/cognito-lambda-lab", "--format", "mermaid"]);
    assert!(
        mermaid.contains("==>|\"lambda:UpdateFunctionCode\"|"),
        "{mermaid}"
    );
    let json: Value = serde_json::from_str(&ok(&["corpus/cognito-lambda-lab", "--format", "json"]))
        .expect("JSON");
    let text = json.to_string();
    assert!(text.contains("\"kind\":\"escalation\""), "{text}");
    assert!(text.contains("update_function_code"), "{text}");
}
