//! `poolscope collect`: a read-only snapshot of a live account, written as a
//! directory every other command reads as it is.
//!
//! The collector drives the user's AWS CLI ([`aws_cli`]): credentials,
//! profiles and SSO are the CLI's business, and a clean build of poolscope
//! gains no AWS SDK. It asks, in this order (docs/collect.md lists every
//! call):
//!
//! 1. `sts get-caller-identity` (the account; no credentials stop here),
//!    and with `--all-regions` `ec2 describe-regions`;
//! 2. in parallel, on a few worker threads: IAM
//!    (`get-account-authorization-details`, all pages merged by the CLI), and
//!    per region every identity pool (`describe-identity-pool`,
//!    `get-identity-pool-roles`, `get-principal-tag-attribute-map` per
//!    provider), every user pool listed or trusted by an identity pool
//!    (`describe-user-pool`, `list-user-pool-clients` and
//!    `describe-user-pool-client`, `list-groups`), and `lambda list-functions`;
//! 3. S3: the policy and Block Public Access of every bucket an IAM policy
//!    names ([`buckets`]; `s3api list-buckets` for bucket name patterns),
//!    and the account's Block Public Access.
//!
//! Each answer is written in the shape ingest already reads; every call,
//! answered or not, is recorded in the manifest ([`manifest`]). A call that
//! fails (an `AccessDenied`, throttling that outlasts the retries) does
//! not stop the collection: the manifest names the part of the account it
//! would have read, and ingest makes that part an explicit unknown.
//! AWS's "there is none" answers (`NoSuchBucketPolicy`,
//! `NoSuchPublicAccessBlockConfiguration`) are outcomes, not failures.

mod aws_cli;
pub mod buckets;
pub mod manifest;
mod snapshot;

use std::collections::{BTreeSet, VecDeque};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

use crate::diagnostic::Diagnostic;

pub use aws_cli::{AwsCli, Call, Fatal};
use manifest::{CallRecord, Manifest, Outcome, Reads};
use snapshot::{Save, file_part};

/// What `collect` is asked.
#[derive(Clone, Debug, Default)]
pub struct CollectOptions {
    pub out: PathBuf,
    pub profile: Option<String>,
    /// `--region`, repeatable; empty: the configured default region.
    pub regions: Vec<String>,
    pub all_regions: bool,
    /// `--endpoint-url`, for emulators (moto, LocalStack).
    pub endpoint_url: Option<String>,
    /// Calls in flight at once; 0: 4.
    pub workers: usize,
}

/// How far the collection got, for a progress bar (the library never
/// prints).
#[derive(Clone, Copy, Debug)]
pub enum Progress<'a> {
    /// Calls are known to be ahead: the total grew by this many jobs.
    Queued(usize),
    /// One job (a pool, a bucket, a listing) ended.
    Done {
        /// `global` for IAM and S3.
        region: &'a str,
        service: &'a str,
    },
}

/// What a finished collection wrote.
#[derive(Debug)]
pub struct Collected {
    pub out: PathBuf,
    pub manifest: Manifest,
    pub files: usize,
}

impl Collected {
    /// The calls that failed, each with what it would have read.
    pub fn failed(&self) -> impl Iterator<Item = &CallRecord> {
        self.manifest
            .calls
            .iter()
            .filter(|c| c.outcome == Outcome::Failed)
    }
}

/// Takes the snapshot. `Err` for what stops a collection: no CLI, no
/// credentials, no region, an output directory that is not empty, a file
/// that cannot be written, or the caller's identity unreadable.
pub fn collect(
    options: &CollectOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Collected, Vec<Diagnostic>> {
    snapshot::prepare(&options.out).map_err(|d| vec![d])?;
    let cli = AwsCli::new(options.profile.clone(), options.endpoint_url.clone());
    let home = match options.regions.first() {
        Some(region) => region.clone(),
        None => default_region(&cli)
            .or_else(|| options.all_regions.then(|| "us-east-1".to_string()))
            .ok_or_else(|| {
                vec![
                    Diagnostic::error(
                        "collect-no-region",
                        "no region to collect: none given and none configured",
                    )
                    .with_help(
                        "pass `--region REGION` (repeatable) or `--all-regions`, or set \
                         `AWS_REGION` or the profile's `region`",
                    ),
                ]
            })?,
    };
    let collector = Collector {
        cli,
        out: options.out.clone(),
        home: home.clone(),
        account: None,
        records: Mutex::new(Vec::new()),
        queue: Mutex::new(VecDeque::new()),
        in_flight: AtomicUsize::new(0),
        user_pools: Mutex::new(BTreeSet::new()),
        iam: Mutex::new(None),
        stop: Mutex::new(None),
        files: AtomicUsize::new(0),
        progress,
    };
    let identity = collector
        .call_required(Call::new("sts", "get-caller-identity", &home))
        .map_err(|d| vec![d])?;
    let account = identity
        .get("Account")
        .and_then(Value::as_str)
        .map(str::to_string);
    let caller = identity
        .get("Arn")
        .and_then(Value::as_str)
        .map(str::to_string);
    let collector = Collector {
        account: account.clone(),
        ..collector
    };
    let mut regions = options.regions.clone();
    if options.all_regions {
        let answer = collector
            .call_required(Call::new("ec2", "describe-regions", &home))
            .map_err(|d| vec![d])?;
        regions.extend(
            answer
                .get("Regions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|r| r.get("RegionName").and_then(Value::as_str))
                .map(str::to_string),
        );
    }
    if regions.is_empty() {
        regions.push(home.clone());
    }
    regions.sort();
    regions.dedup();

    let workers = if options.workers == 0 {
        4
    } else {
        options.workers
    };
    let mut first = vec![Job::Iam];
    for region in &regions {
        first.push(Job::ListIdentityPools(region.clone()));
        first.push(Job::ListUserPools(region.clone()));
        first.push(Job::Lambda(region.clone()));
    }
    collector.run(first, workers)?;
    let second = collector.bucket_jobs();
    collector.run(second, workers)?;

    let manifest = Manifest {
        poolscope_snapshot: manifest::VERSION,
        poolscope_version: env!("CARGO_PKG_VERSION"),
        collected_at: manifest::now_utc(),
        account,
        caller,
        profile: options.profile.clone(),
        endpoint_url: options.endpoint_url.clone(),
        regions,
        calls: collector
            .records
            .into_inner()
            .unwrap_or_else(|p| p.into_inner()),
    };
    let text = serde_json::to_string_pretty(&manifest).expect("plain data serialises");
    snapshot::write_text(&options.out, manifest::FILE_NAME, &text).map_err(|d| vec![d])?;
    Ok(Collected {
        out: options.out.clone(),
        manifest,
        files: collector.files.into_inner() + 1,
    })
}

/// The region the CLI would use: `AWS_REGION`, `AWS_DEFAULT_REGION`, or
/// the profile's `region`.
fn default_region(cli: &AwsCli) -> Option<String> {
    for key in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Ok(region) = std::env::var(key)
            && !region.is_empty()
        {
            return Some(region);
        }
    }
    let mut command = std::process::Command::new(&cli.program);
    if let Some(profile) = &cli.profile {
        command.args(["--profile", profile]);
    }
    let output = command.args(["configure", "get", "region"]).output().ok()?;
    let region = String::from_utf8_lossy(&output.stdout).trim().to_string();
    (output.status.success() && !region.is_empty()).then_some(region)
}

/// One unit of work for the worker threads.
#[derive(Clone, Debug)]
enum Job {
    Iam,
    ListIdentityPools(String),
    IdentityPool { region: String, id: String },
    ListUserPools(String),
    UserPool { region: String, id: String },
    Lambda(String),
    ListBuckets(Vec<String>),
    Bucket(String),
    AccountPublicAccessBlock,
}

impl Job {
    fn region(&self) -> &str {
        match self {
            Job::ListIdentityPools(r) | Job::ListUserPools(r) | Job::Lambda(r) => r,
            Job::IdentityPool { region, .. } | Job::UserPool { region, .. } => region,
            Job::Iam | Job::ListBuckets(_) | Job::Bucket(_) | Job::AccountPublicAccessBlock => {
                "global"
            }
        }
    }

    fn service(&self) -> &'static str {
        match self {
            Job::Iam => "iam",
            Job::ListIdentityPools(_) | Job::IdentityPool { .. } => "cognito-identity",
            Job::ListUserPools(_) | Job::UserPool { .. } => "cognito-idp",
            Job::Lambda(_) => "lambda",
            Job::ListBuckets(_) | Job::Bucket(_) | Job::AccountPublicAccessBlock => "s3",
        }
    }
}

/// Error codes that mean "there is none", per call.
const NO_BUCKET_POLICY: &[&str] = &["NoSuchBucketPolicy", "NoSuchBucket"];
const NO_PUBLIC_ACCESS_BLOCK: &[&str] = &["NoSuchPublicAccessBlockConfiguration", "NoSuchBucket"];
const NOT_FOUND: &[&str] = &["ResourceNotFoundException"];

struct Collector<'p> {
    cli: AwsCli,
    out: PathBuf,
    /// The region of global calls (IAM, STS, S3).
    home: String,
    account: Option<String>,
    records: Mutex<Vec<CallRecord>>,
    queue: Mutex<VecDeque<Job>>,
    in_flight: AtomicUsize,
    /// User pools already queued, as `region/id`.
    user_pools: Mutex<BTreeSet<String>>,
    /// `iam.json`'s answer, for the bucket names.
    iam: Mutex<Option<Value>>,
    /// What stopped the collection.
    stop: Mutex<Option<Diagnostic>>,
    files: AtomicUsize,
    progress: &'p (dyn Fn(Progress) + Sync),
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A worker that panicked leaves plain data behind: keep going.
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl Collector<'_> {
    /// Runs the jobs (and those they queue) on `workers` threads.
    fn run(&self, jobs: Vec<Job>, workers: usize) -> Result<(), Vec<Diagnostic>> {
        (self.progress)(Progress::Queued(jobs.len()));
        lock(&self.queue).extend(jobs);
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| self.work());
            }
        });
        match lock(&self.stop).take() {
            Some(diagnostic) => Err(vec![diagnostic]),
            None => Ok(()),
        }
    }

    fn work(&self) {
        loop {
            let job = {
                let mut queue = lock(&self.queue);
                let job = queue.pop_front();
                if job.is_some() {
                    self.in_flight.fetch_add(1, Ordering::SeqCst);
                }
                job
            };
            let Some(job) = job else {
                if self.in_flight.load(Ordering::SeqCst) == 0 || lock(&self.stop).is_some() {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
                continue;
            };
            if lock(&self.stop).is_none() {
                self.job(&job);
            }
            (self.progress)(Progress::Done {
                region: job.region(),
                service: job.service(),
            });
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
        }
    }

    fn queue(&self, jobs: Vec<Job>) {
        if jobs.is_empty() {
            return;
        }
        (self.progress)(Progress::Queued(jobs.len()));
        lock(&self.queue).extend(jobs);
    }

    fn job(&self, job: &Job) {
        match job {
            Job::Iam => self.iam(),
            Job::ListIdentityPools(region) => self.list_identity_pools(region),
            Job::IdentityPool { region, id } => self.identity_pool(region, id),
            Job::ListUserPools(region) => self.list_user_pools(region),
            Job::UserPool { region, id } => self.user_pool(region, id),
            Job::Lambda(region) => {
                self.call(
                    Call::new("lambda", "list-functions", region),
                    Reads::lambda_functions(region),
                    &[],
                    Save::As(format!("{region}/lambda-functions.json")),
                );
            }
            Job::ListBuckets(patterns) => self.list_buckets(patterns),
            Job::Bucket(bucket) => self.bucket(bucket),
            Job::AccountPublicAccessBlock => self.account_public_access_block(),
        }
    }

    /// A call the collection cannot go on without (`sts`, `ec2`): any
    /// failure stops it.
    fn call_required(&self, call: Call) -> Result<Value, Diagnostic> {
        let answer = self.cli.call(&call).map_err(fatal)?;
        let record = |outcome, error: Option<&aws_cli::AwsError>| CallRecord {
            call: call.name(),
            region: call.region.clone(),
            arguments: call.args.clone(),
            outcome,
            file: None,
            error_code: error.map(|e| e.code.clone()),
            message: error.map(|e| e.message.clone()),
            attempts: answer.attempts,
            pages: answer.pages,
            reads: None,
        };
        match &answer.result {
            Ok(value) => {
                lock(&self.records).push(record(Outcome::Ok, None));
                Ok(value.clone())
            }
            Err(error) => Err(Diagnostic::error(
                "collect-call-failed",
                format!(
                    "`aws {}` failed: {} ({})",
                    call.name(),
                    error.code,
                    error.message
                ),
            )
            .with_help(
                "the collection needs the caller's identity (and with `--all-regions` the \
                 region list); check the credentials, the profile and `--endpoint-url`",
            )),
        }
    }

    /// Makes a call, records it, saves a successful answer; `None` unless
    /// it was answered.
    fn call(&self, call: Call, reads: Reads, none: &[&str], save: Save) -> Option<Value> {
        let answer = match self.cli.call_all_pages(&call) {
            Ok(answer) => answer,
            Err(problem) => {
                lock(&self.stop).get_or_insert(fatal(problem));
                return None;
            }
        };
        let mut record = CallRecord {
            call: call.name(),
            region: call.region.clone(),
            arguments: call.args.clone(),
            outcome: Outcome::Ok,
            file: None,
            error_code: None,
            message: None,
            attempts: answer.attempts,
            pages: answer.pages,
            reads: None,
        };
        let value = match answer.result {
            Ok(value) => {
                match save.write(&self.out, &value) {
                    Ok(Some(file)) => {
                        self.files.fetch_add(1, Ordering::SeqCst);
                        record.file = Some(file);
                    }
                    Ok(None) => {}
                    Err(problem) => {
                        lock(&self.stop).get_or_insert(problem);
                    }
                }
                Some(value)
            }
            Err(error) => {
                record.outcome = if none.contains(&error.code.as_str()) {
                    Outcome::None
                } else {
                    Outcome::Failed
                };
                record.error_code = Some(error.code);
                record.message = Some(error.message);
                record.reads = Some(reads);
                None
            }
        };
        lock(&self.records).push(record);
        value
    }

    fn iam(&self) {
        let answer = self.call(
            Call::new("iam", "get-account-authorization-details", &self.home),
            Reads::iam(),
            &[],
            Save::As("iam.json".to_string()),
        );
        *lock(&self.iam) = answer;
    }

    fn list_identity_pools(&self, region: &str) {
        let Some(answer) = self.call(
            Call::new("cognito-identity", "list-identity-pools", region).arg("--max-results", "60"),
            Reads::identity_pool(region, "*"),
            &[],
            Save::No,
        ) else {
            return;
        };
        let jobs = strings(&answer, "IdentityPools", "IdentityPoolId")
            .map(|id| Job::IdentityPool {
                region: region.to_string(),
                id,
            })
            .collect();
        self.queue(jobs);
    }

    fn identity_pool(&self, region: &str, id: &str) {
        let reads = || Reads::identity_pool(region, id);
        let part = file_part(id);
        let Some(pool) = self.call(
            Call::new("cognito-identity", "describe-identity-pool", region)
                .arg("--identity-pool-id", id),
            reads(),
            NOT_FOUND,
            Save::As(format!("{region}/identity-pool.{part}.json")),
        ) else {
            return;
        };
        self.call(
            Call::new("cognito-identity", "get-identity-pool-roles", region)
                .arg("--identity-pool-id", id),
            reads(),
            &[],
            Save::As(format!("{region}/identity-pool-roles.{part}.json")),
        );
        let mut providers: Vec<String> = pool
            .get("CognitoIdentityProviders")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| p.get("ProviderName").and_then(Value::as_str))
            .map(str::to_string)
            .collect();
        let mut trusted = Vec::new();
        for provider in &providers {
            if let Some((pool_region, pool_id)) = user_pool_of(provider) {
                trusted.push((pool_region, pool_id));
            }
        }
        providers.extend(
            pool.get("SupportedLoginProviders")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|m| m.keys().cloned()),
        );
        for key in ["OpenIdConnectProviderARNs", "SamlProviderARNs"] {
            providers.extend(
                pool.get(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string),
            );
        }
        providers.sort();
        providers.dedup();
        for provider in providers {
            self.call(
                Call::new(
                    "cognito-identity",
                    "get-principal-tag-attribute-map",
                    region,
                )
                .arg("--identity-pool-id", id)
                .arg("--identity-provider-name", &provider),
                reads(),
                &[],
                Save::As(format!(
                    "{region}/principal-tags.{part}.{}.json",
                    file_part(&provider)
                )),
            );
        }
        let jobs = trusted
            .into_iter()
            .filter_map(|(region, id)| self.new_user_pool(&region, &id))
            .collect();
        self.queue(jobs);
    }

    /// A user pool job, unless that pool is already queued.
    fn new_user_pool(&self, region: &str, id: &str) -> Option<Job> {
        lock(&self.user_pools)
            .insert(format!("{region}/{id}"))
            .then(|| Job::UserPool {
                region: region.to_string(),
                id: id.to_string(),
            })
    }

    fn list_user_pools(&self, region: &str) {
        let Some(answer) = self.call(
            Call::new("cognito-idp", "list-user-pools", region).arg("--max-results", "60"),
            Reads::user_pool(region, "*"),
            &[],
            Save::No,
        ) else {
            return;
        };
        let jobs = strings(&answer, "UserPools", "Id")
            .filter_map(|id| self.new_user_pool(region, &id))
            .collect();
        self.queue(jobs);
    }

    fn user_pool(&self, region: &str, id: &str) {
        let reads = || Reads::user_pool(region, id);
        let part = file_part(id);
        if self
            .call(
                Call::new("cognito-idp", "describe-user-pool", region).arg("--user-pool-id", id),
                reads(),
                NOT_FOUND,
                Save::As(format!("{region}/user-pool.{part}.json")),
            )
            .is_none()
        {
            return;
        }
        if let Some(clients) = self.call(
            Call::new("cognito-idp", "list-user-pool-clients", region)
                .arg("--user-pool-id", id)
                .arg("--max-results", "60"),
            reads(),
            &[],
            Save::No,
        ) {
            for client in strings(&clients, "UserPoolClients", "ClientId").collect::<Vec<_>>() {
                self.call(
                    Call::new("cognito-idp", "describe-user-pool-client", region)
                        .arg("--user-pool-id", id)
                        .arg("--client-id", &client),
                    reads(),
                    &[],
                    Save::As(format!(
                        "{region}/user-pool-client.{part}.{}.json",
                        file_part(&client)
                    )),
                );
            }
        }
        self.call(
            Call::new("cognito-idp", "list-groups", region).arg("--user-pool-id", id),
            reads(),
            &[],
            Save::As(format!("{region}/groups.{part}.json")),
        );
    }

    /// The S3 jobs, once IAM is read: the named buckets (patterns through
    /// the bucket list), and the account's Block Public Access.
    fn bucket_jobs(&self) -> Vec<Job> {
        let named = lock(&self.iam)
            .as_ref()
            .map(buckets::named_buckets)
            .unwrap_or_default();
        let (patterns, names): (Vec<String>, Vec<String>) =
            named.into_iter().partition(|b| buckets::is_pattern(b));
        let mut jobs: Vec<Job> = names.into_iter().map(Job::Bucket).collect();
        if !patterns.is_empty() {
            jobs.push(Job::ListBuckets(patterns));
        }
        jobs.push(Job::AccountPublicAccessBlock);
        jobs
    }

    fn list_buckets(&self, patterns: &[String]) {
        // One unread part stands for every pattern: a single pattern, or
        // every bucket.
        let unread = match patterns {
            [one] => one.as_str(),
            _ => "*",
        };
        let Some(answer) = self.call(
            Call::new("s3api", "list-buckets", &self.home),
            Reads::bucket_policy(unread),
            &[],
            Save::No,
        ) else {
            return;
        };
        let queued: BTreeSet<String> = lock(&self.iam)
            .as_ref()
            .map(buckets::named_buckets)
            .unwrap_or_default();
        let jobs = strings(&answer, "Buckets", "Name")
            .filter(|name| !queued.contains(name))
            .filter(|name| patterns.iter().any(|p| buckets::matches(p, name)))
            .map(Job::Bucket)
            .collect();
        self.queue(jobs);
    }

    fn bucket(&self, bucket: &str) {
        let part = file_part(bucket);
        self.call(
            Call::new("s3api", "get-bucket-policy", &self.home).arg("--bucket", bucket),
            Reads::bucket_policy(bucket),
            NO_BUCKET_POLICY,
            Save::With(
                format!("s3/bucket-policy.{part}.json"),
                "Bucket",
                bucket.to_string(),
            ),
        );
        self.call(
            Call::new("s3api", "get-public-access-block", &self.home).arg("--bucket", bucket),
            Reads::bucket_public_access_block(bucket),
            NO_PUBLIC_ACCESS_BLOCK,
            Save::With(
                format!("s3/public-access-block.{part}.json"),
                "Bucket",
                bucket.to_string(),
            ),
        );
    }

    fn account_public_access_block(&self) {
        let Some(account) = self.account.clone() else {
            // Without the account id the call cannot be made: what it reads
            // stays unknown, never "none".
            lock(&self.records).push(CallRecord {
                call: "s3control get-public-access-block".to_string(),
                region: self.home.clone(),
                arguments: Vec::new(),
                outcome: Outcome::Failed,
                file: None,
                error_code: Some("NoAccountId".to_string()),
                message: Some("sts get-caller-identity gave no account id".to_string()),
                attempts: 0,
                pages: 0,
                reads: Some(Reads::account_public_access_block()),
            });
            return;
        };
        self.call(
            Call::new("s3control", "get-public-access-block", &self.home)
                .arg("--account-id", &account),
            Reads::account_public_access_block(),
            NO_PUBLIC_ACCESS_BLOCK,
            Save::With(
                "s3/account-public-access-block.json".to_string(),
                "AccountId",
                account,
            ),
        );
    }
}

/// The strings at `list[].key`.
fn strings<'a>(answer: &'a Value, list: &str, key: &'a str) -> impl Iterator<Item = String> + 'a {
    answer
        .get(list)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(move |item| item.get(key).and_then(Value::as_str))
        .map(str::to_string)
}

/// The user pool a Cognito provider name points at:
/// `cognito-idp.REGION.amazonaws.com/POOL_ID` → (REGION, POOL_ID).
fn user_pool_of(provider: &str) -> Option<(String, String)> {
    let rest = provider.strip_prefix("cognito-idp.")?;
    let (host, id) = rest.split_once('/')?;
    let region = host.split('.').next()?;
    (!region.is_empty() && !id.is_empty()).then(|| (region.to_string(), id.to_string()))
}

fn fatal(problem: Fatal) -> Diagnostic {
    match problem {
        Fatal::NoCli(program) => Diagnostic::error(
            "collect-no-aws-cli",
            format!("cannot run the AWS CLI (`{program}`)"),
        )
        .with_help(
            "install the AWS CLI (v2: https://docs.aws.amazon.com/cli/latest/userguide/\
             getting-started-install.html, or v1: `python3 -m pip install awscli`) and put \
             `aws` on PATH; `POOLSCOPE_AWS_CLI` names another program",
        ),
        Fatal::NoCredentials(why) => Diagnostic::error(
            "collect-no-credentials",
            format!("the AWS CLI has no usable credentials: {why}"),
        )
        .with_help(
            "sign in (`aws sso login`, `aws configure`), pass `--profile NAME`, or set \
             AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; `aws sts get-caller-identity` must work",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cognito_provider_names_its_user_pool_and_region() {
        assert_eq!(
            user_pool_of("cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"),
            Some(("eu-west-1".to_string(), "eu-west-1_AbC".to_string()))
        );
        assert_eq!(user_pool_of("accounts.google.com"), None);
    }
}
