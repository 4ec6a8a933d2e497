//! Running the user's AWS CLI: one read-only call, its JSON answer or its
//! AWS error code, throttling retried with backoff.
//!
//! Every call is `aws [--profile P] [--endpoint-url U] --region R --output
//! json SERVICE OPERATION ARGS…`, which works with CLI v1 and v2 alike. The
//! CLI resolves credentials the standard way (environment, profiles, SSO,
//! container and instance roles), so poolscope never sees them. The CLI's
//! own retries are turned off (`AWS_MAX_ATTEMPTS=1`) so that every attempt
//! is counted here and recorded in the manifest; its pager is off
//! (`AWS_PAGER=`), and its automatic pagination is left on: it merges
//! the pages of the operations botocore has a paginator for (CLI 1.45:
//! `list-identity-pools`, `list-functions`, `get-account-authorization-details`
//! — 1,000 roles come back in one answer). Not every operation has one
//! (`cognito-idp list-user-pools` answers with a `NextToken`), so
//! [`AwsCli::call_all_pages`] follows any page token left in an answer
//! (`NextToken`, `NextMarker`, `Marker` with `IsTruncated`,
//! `ContinuationToken`) and merges the pages' lists itself.
//!
//! The CLI prints an AWS error as `An error occurred (CODE) when calling
//! the OPERATION operation: MESSAGE`; [`error_of`] reads the code from it.
//! Missing credentials and a missing `aws` binary are not AWS errors: they
//! stop the collection ([`Fatal`]).

use std::process::Command;
use std::time::Duration;

/// One call to make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub service: &'static str,
    pub operation: &'static str,
    pub region: String,
    pub args: Vec<String>,
}

impl Call {
    pub fn new(service: &'static str, operation: &'static str, region: &str) -> Call {
        Call {
            service,
            operation,
            region: region.to_string(),
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &str, value: &str) -> Call {
        self.args.push(name.to_string());
        self.args.push(value.to_string());
        self
    }

    /// `service operation`, as the manifest names the call.
    pub fn name(&self) -> String {
        format!("{} {}", self.service, self.operation)
    }
}

/// An AWS error answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsError {
    /// `AccessDenied`, `NoSuchBucketPolicy`, … or `CliError` when the CLI
    /// failed without an AWS error code (no connection, bad output).
    pub code: String,
    pub message: String,
}

/// What a call came to, after retries.
#[derive(Clone, Debug)]
pub struct Answer {
    pub result: Result<serde_json::Value, AwsError>,
    pub attempts: u32,
    /// Pages fetched by poolscope (1 when the CLI merged them, or there was
    /// one).
    pub pages: u32,
}

/// What stops the collection: no CLI, no credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fatal {
    NoCli(String),
    NoCredentials(String),
}

/// The AWS CLI with the user's profile and endpoint.
#[derive(Clone, Debug)]
pub struct AwsCli {
    /// The program to run: `aws`, or `POOLSCOPE_AWS_CLI` when set.
    pub program: String,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// Attempts for throttled calls, the first included.
    pub max_attempts: u32,
    /// The first backoff; each retry doubles it.
    pub backoff: Duration,
}

/// Error codes AWS uses for throttling and passing server trouble.
const RETRIED: [&str; 9] = [
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "SlowDown",
    "InternalError",
    "InternalFailure",
    "ServiceUnavailable",
];

impl AwsCli {
    pub fn new(profile: Option<String>, endpoint_url: Option<String>) -> AwsCli {
        AwsCli {
            program: std::env::var("POOLSCOPE_AWS_CLI").unwrap_or_else(|_| "aws".to_string()),
            profile,
            endpoint_url,
            max_attempts: 5,
            backoff: Duration::from_millis(500),
        }
    }

    /// Makes the call, retrying throttling with exponential backoff.
    pub fn call(&self, call: &Call) -> Result<Answer, Fatal> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let result = self.once(call)?;
            let retry = matches!(&result, Err(e) if RETRIED.contains(&e.code.as_str()));
            if !retry || attempts >= self.max_attempts {
                return Ok(Answer {
                    result,
                    attempts,
                    pages: 1,
                });
            }
            std::thread::sleep(self.backoff * 2u32.pow(attempts - 1));
        }
    }

    /// Makes the call and follows the page tokens its answers hold,
    /// merging the pages' lists; a page that fails makes the whole answer
    /// that failure (a listing missing pages is not a listing).
    pub fn call_all_pages(&self, call: &Call) -> Result<Answer, Fatal> {
        let mut answer = self.call(call)?;
        let mut seen = std::collections::BTreeSet::new();
        loop {
            let Ok(value) = &mut answer.result else {
                return Ok(answer);
            };
            let Some((arg, token)) = next_page(value) else {
                for (field, _) in PAGE_TOKENS {
                    if let Some(object) = value.as_object_mut() {
                        object.remove(field);
                    }
                }
                return Ok(answer);
            };
            if !seen.insert(token.clone()) {
                answer.result = Err(AwsError {
                    code: "CliError".to_string(),
                    message: format!("pagination repeats the token `{token}`"),
                });
                return Ok(answer);
            }
            let more = self.call(&call.clone().arg(arg, &token))?;
            answer.attempts += more.attempts;
            answer.pages += 1;
            match more.result {
                Ok(page) => merge_page(value, page),
                Err(error) => answer.result = Err(error),
            }
        }
    }

    fn once(&self, call: &Call) -> Result<Result<serde_json::Value, AwsError>, Fatal> {
        let mut command = Command::new(&self.program);
        if let Some(profile) = &self.profile {
            command.args(["--profile", profile]);
        }
        if let Some(url) = &self.endpoint_url {
            command.args(["--endpoint-url", url]);
        }
        command
            .args(["--region", &call.region, "--output", "json"])
            .args([call.service, call.operation])
            .args(&call.args)
            .env("AWS_PAGER", "")
            .env("AWS_MAX_ATTEMPTS", "1")
            .env("AWS_RETRY_MODE", "standard");
        let output = match command.output() {
            Ok(output) => output,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Fatal::NoCli(self.program.clone()));
            }
            Err(e) => return Err(Fatal::NoCli(format!("{}: {e}", self.program))),
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.success() {
            let stdout = String::from_utf8_lossy(&output.stdout);
            // Some calls print nothing on success (none of ours should).
            let text = if stdout.trim().is_empty() {
                "{}"
            } else {
                &stdout
            };
            return Ok(serde_json::from_str(text).map_err(|e| AwsError {
                code: "CliError".to_string(),
                message: format!("the CLI's output is not JSON: {e}"),
            }));
        }
        if let Some(why) = credentials_problem(&stderr) {
            return Err(Fatal::NoCredentials(why));
        }
        Ok(Err(error_of(&stderr)))
    }
}

/// The page token fields of AWS answers, each with the CLI argument that
/// passes it back.
const PAGE_TOKENS: [(&str, &str); 4] = [
    ("NextToken", "--next-token"),
    ("NextMarker", "--marker"),
    ("Marker", "--marker"),
    ("ContinuationToken", "--continuation-token"),
];

/// The argument and token of the next page, if the answer says there is
/// one (`Marker` counts only with `IsTruncated`, as IAM answers).
fn next_page(answer: &serde_json::Value) -> Option<(&'static str, String)> {
    PAGE_TOKENS.iter().find_map(|(field, arg)| {
        let token = answer.get(field)?.as_str().filter(|t| !t.is_empty())?;
        let truncated = answer
            .get("IsTruncated")
            .and_then(serde_json::Value::as_bool);
        if *field == "Marker" && truncated != Some(true) {
            return None;
        }
        Some((*arg, token.to_string()))
    })
}

/// Appends a page's lists to the answer's; other members take the page's
/// value (the next token, `IsTruncated`).
fn merge_page(answer: &mut serde_json::Value, page: serde_json::Value) {
    let (Some(answer), serde_json::Value::Object(page)) = (answer.as_object_mut(), page) else {
        return;
    };
    for field in PAGE_TOKENS.map(|(field, _)| field) {
        answer.remove(field);
    }
    for (key, value) in page {
        match (answer.get_mut(&key), value) {
            (Some(serde_json::Value::Array(items)), serde_json::Value::Array(more)) => {
                items.extend(more)
            }
            (_, value) => {
                answer.insert(key, value);
            }
        }
    }
}

/// Reads `An error occurred (CODE) when calling …: MESSAGE`; anything else
/// is a `CliError` with the CLI's last line.
pub fn error_of(stderr: &str) -> AwsError {
    const MARK: &str = "An error occurred (";
    if let Some(at) = stderr.find(MARK) {
        let rest = &stderr[at + MARK.len()..];
        if let Some(end) = rest.find(')') {
            let message = rest[end + 1..]
                .split_once(": ")
                .map_or("", |(_, m)| m)
                .trim()
                .to_string();
            return AwsError {
                code: rest[..end].to_string(),
                message,
            };
        }
    }
    AwsError {
        code: "CliError".to_string(),
        message: stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("the AWS CLI failed")
            .trim()
            .to_string(),
    }
}

/// The CLI's words for "no usable credentials" (v1 and v2), as one line.
fn credentials_problem(stderr: &str) -> Option<String> {
    let signs = [
        "Unable to locate credentials",
        "Partial credentials found",
        "The config profile (",
        "Error when retrieving credentials",
        "Error loading SSO Token",
        "The SSO session associated with this profile has expired",
        "InvalidClientTokenId",
        "ExpiredToken",
        "UnrecognizedClientException",
    ];
    let line = stderr
        .lines()
        .find(|l| signs.iter().any(|s| l.contains(s)))?;
    Some(line.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aws_error_code_is_read_from_the_cli_message() {
        let e = error_of(
            "\nAn error occurred (AccessDenied) when calling the GetBucketPolicy operation: \
             Access Denied\n",
        );
        assert_eq!(e.code, "AccessDenied");
        assert_eq!(e.message, "Access Denied");
        let e = error_of("\nCould not connect to the endpoint URL: \"http://x/\"\n");
        assert_eq!(e.code, "CliError");
        assert_eq!(
            e.message,
            "Could not connect to the endpoint URL: \"http://x/\""
        );
    }

    #[test]
    fn pages_are_followed_and_merged() {
        let mut answer = serde_json::json!({"UserPools": [{"Id": "a"}], "NextToken": "t1"});
        assert_eq!(next_page(&answer), Some(("--next-token", "t1".to_string())));
        merge_page(
            &mut answer,
            serde_json::json!({"UserPools": [{"Id": "b"}], "NextToken": "t2"}),
        );
        merge_page(&mut answer, serde_json::json!({"UserPools": [{"Id": "c"}]}));
        assert_eq!(
            answer,
            serde_json::json!({"UserPools": [{"Id": "a"}, {"Id": "b"}, {"Id": "c"}]})
        );
        assert_eq!(next_page(&answer), None);
        let iam = serde_json::json!({"RoleDetailList": [], "Marker": "m", "IsTruncated": false});
        assert_eq!(next_page(&iam), None);
        let iam = serde_json::json!({"RoleDetailList": [], "Marker": "m", "IsTruncated": true});
        assert_eq!(next_page(&iam), Some(("--marker", "m".to_string())));
    }

    #[test]
    fn missing_credentials_are_recognised() {
        assert!(
            credentials_problem("\nUnable to locate credentials. You can configure…").is_some()
        );
        assert!(credentials_problem("The config profile (audit) could not be found").is_some());
        assert!(
            credentials_problem("An error occurred (AccessDenied) when calling the X operation")
                .is_none()
        );
    }

    #[test]
    fn throttled_calls_are_retried_and_counted() {
        // A stand-in CLI that is throttled twice, then answers.
        let dir = std::env::temp_dir().join(format!("poolscope-aws-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let script = dir.join("aws");
        let count = dir.join("count");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nn=$(cat {c} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {c}\n\
                 if [ $n -lt 3 ]; then echo 'An error occurred (ThrottlingException) when \
                 calling the ListGroups operation: Rate exceeded' >&2; exit 254; fi\n\
                 echo '{{\"Groups\": []}}'\n",
                c = count.display()
            ),
        )
        .expect("write script");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
        }
        let cli = AwsCli {
            program: script.display().to_string(),
            profile: None,
            endpoint_url: None,
            max_attempts: 5,
            backoff: Duration::from_millis(1),
        };
        let answer = cli
            .call(&Call::new("cognito-idp", "list-groups", "us-east-1"))
            .expect("the stand-in runs");
        assert_eq!(answer.attempts, 3);
        assert_eq!(answer.result, Ok(serde_json::json!({"Groups": []})));
        let missing = AwsCli {
            program: dir.join("no-such-aws").display().to_string(),
            ..cli
        };
        assert!(matches!(
            missing.call(&Call::new("sts", "get-caller-identity", "us-east-1")),
            Err(Fatal::NoCli(_))
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
