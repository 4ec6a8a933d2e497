//! Decides a batch of requests with poolscope's concrete evaluator, for
//! comparisons with other IAM simulators (`scripts/simulate/`). Not part of
//! the CLI: a development aid only.
//!
//! Reads JSON lines from standard input, one case each:
//!
//! ```json
//! {"id": 1, "policy": {"Version": "2012-10-17", "Statement": [...]},
//!  "request": {"principal": "arn:aws:sts::111122223333:assumed-role/App/s",
//!              "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
//!              "context": {"aws:SourceIp": "203.0.113.9", "m:k": ["a", "b"]}}}
//! ```
//!
//! The policy is the caller's one identity-based policy, the resource is in
//! the caller's account. The principal is an assumed-role session ARN, an
//! IAM user ARN or an account root ARN. Context keys are set as given (an
//! array is a multivalued key); keys the evaluator derives from the
//! principal are derived as usual unless given. Prints one JSON line per
//! case: `{"id", "decision", "assumptions"}` (the assumption texts of the
//! statements' explanations), or `{"id", "error"}`.
//!
//! ```sh
//! cargo run --quiet --example eval_batch < cases.jsonl
//! ```

use std::io::{BufRead, Write};

use poolscope::eval::{Caller, ContextValue, PolicySet, Request, evaluate};
use poolscope::policy::PolicyKind;
use poolscope::policy::parse::parse_policy_text;
use serde_json::{Value, json};

fn main() {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (number, line) in stdin.lock().lines().enumerate() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let result = match serde_json::from_str::<Value>(&line) {
            Ok(case) => {
                let id = case.get("id").cloned().unwrap_or(json!(number));
                match decide_case(&case) {
                    Ok((decision, assumptions)) => json!({
                        "id": id,
                        "decision": decision,
                        "assumptions": assumptions,
                    }),
                    Err(error) => json!({"id": id, "error": error}),
                }
            }
            Err(error) => json!({"id": number, "error": format!("not JSON: {error}")}),
        };
        if writeln!(out, "{result}").is_err() {
            break;
        }
    }
    let _ = out.flush();
}

fn decide_case(case: &Value) -> Result<(&'static str, Vec<String>), String> {
    let policy = case.get("policy").ok_or("no `policy`")?;
    let parsed = parse_policy_text("policy", &policy.to_string(), PolicyKind::Identity)
        .map_err(|d| format!("policy does not parse: {d:?}"))?;
    let request = case.get("request").ok_or("no `request`")?;
    let text = |key: &str| {
        request
            .get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("no `request.{key}`"))
    };
    let caller = caller(text("principal")?)?;
    let mut request_value = Request::new(caller, text("action")?, text("resource")?);
    if let Some(context) = request.get("context").and_then(Value::as_object) {
        for (key, value) in context {
            let value = match value {
                Value::String(one) => ContextValue::single(one),
                Value::Array(many) => {
                    ContextValue::multi(many.iter().filter_map(Value::as_str).map(str::to_string))
                }
                other => return Err(format!("context `{key}`: not a string or list: {other}")),
            };
            request_value.context.set(key, value);
        }
    }
    let set = PolicySet::new().with_identity(&parsed.policy);
    let evaluation = evaluate(&request_value, &set);
    let assumptions = evaluation
        .explanation
        .assumptions()
        .map(|a| a.text.clone())
        .collect();
    Ok((evaluation.decision.as_str(), assumptions))
}

/// A caller from its ARN: a role session, a user or the account root.
fn caller(arn: &str) -> Result<Caller, String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, partition, service, _, account, resource] = parts.as_slice() else {
        return Err(format!("principal `{arn}` is not an ARN"));
    };
    match (*service, resource.split_once('/')) {
        ("sts", Some(("assumed-role", rest))) => {
            let (role, session) = rest
                .split_once('/')
                .ok_or_else(|| format!("principal `{arn}` has no session name"))?;
            let role_arn = format!("arn:{partition}:iam::{account}:role/{role}");
            Ok(Caller::role_session(&role_arn, session))
        }
        ("iam", Some(("user", _))) => Ok(Caller::user(arn)),
        ("iam", None) if *resource == "root" => Ok(Caller::root(account)),
        _ => Err(format!(
            "principal `{arn}` is not a role session, user or root"
        )),
    }
}
