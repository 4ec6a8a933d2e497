//! The snapshot's manifest, `poolscope-snapshot.json`: when the snapshot
//! was taken, by which poolscope, of which account and regions, and every
//! call made with its outcome (docs/collect.md, "The manifest").
//!
//! A call's `Reads` names the part of the account it reads in the words of
//! [`crate::model::unreadable`]; ingest turns each `failed` call into an
//! unreadable part, so what the collector could not read stays unknown.

use serde::Serialize;

/// The manifest's file name in the snapshot directory.
pub const FILE_NAME: &str = "poolscope-snapshot.json";

/// The manifest format version ingest checks.
pub const VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Manifest {
    pub poolscope_snapshot: u32,
    pub poolscope_version: &'static str,
    /// UTC, RFC 3339, to the second.
    pub collected_at: String,
    pub account: Option<String>,
    pub caller: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub regions: Vec<String>,
    /// The calls, in the order they ended.
    pub calls: Vec<CallRecord>,
}

/// One call and what it came to.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallRecord {
    /// `service operation` (`s3api get-bucket-policy`).
    pub call: String,
    pub region: String,
    pub arguments: Vec<String>,
    pub outcome: Outcome,
    /// The file the answer was written to, relative to the snapshot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Tries, throttled ones included, over every page.
    pub attempts: u32,
    /// Pages poolscope fetched (1 when the CLI merged them itself).
    pub pages: u32,
    /// The part of the account the call reads, when a failure leaves it
    /// unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reads: Option<Reads>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Answered; the answer is in `File` (or was only listed).
    Ok,
    /// AWS says there is none (`NoSuchBucketPolicy`,
    /// `NoSuchPublicAccessBlockConfiguration`, a bucket or pool that does
    /// not exist).
    None,
    /// Failed: what it reads is unknown.
    Failed,
}

/// What a call reads, as `Kind` plus its pool, bucket or region.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Reads {
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
}

impl Reads {
    pub fn iam() -> Reads {
        Reads {
            kind: "iam",
            ..Reads::default()
        }
    }

    pub fn identity_pool(region: &str, id: &str) -> Reads {
        Reads {
            kind: "identity-pool",
            region: Some(region.to_string()),
            id: Some(id.to_string()),
            bucket: None,
        }
    }

    pub fn user_pool(region: &str, id: &str) -> Reads {
        Reads {
            kind: "user-pool",
            region: Some(region.to_string()),
            id: Some(id.to_string()),
            bucket: None,
        }
    }

    pub fn bucket_policy(bucket: &str) -> Reads {
        Reads {
            kind: "bucket-policy",
            bucket: Some(bucket.to_string()),
            ..Reads::default()
        }
    }

    pub fn bucket_public_access_block(bucket: &str) -> Reads {
        Reads {
            kind: "bucket-public-access-block",
            bucket: Some(bucket.to_string()),
            ..Reads::default()
        }
    }

    pub fn account_public_access_block() -> Reads {
        Reads {
            kind: "account-public-access-block",
            ..Reads::default()
        }
    }

    pub fn lambda_functions(region: &str) -> Reads {
        Reads {
            kind: "lambda-functions",
            region: Some(region.to_string()),
            ..Reads::default()
        }
    }
}

/// Now, as RFC 3339 UTC to the second (no date crate needed: civil date
/// from days since the epoch, Howard Hinnant's algorithm).
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format_utc(secs)
}

fn format_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(1_796_000_000), "2026-11-30T00:53:20Z");
    }

    #[test]
    fn every_kind_a_call_reads_is_one_ingest_knows() {
        use crate::model::unreadable::UnreadableItem;
        for reads in [
            Reads::iam(),
            Reads::identity_pool("r", "i"),
            Reads::user_pool("r", "i"),
            Reads::bucket_policy("b"),
            Reads::bucket_public_access_block("b"),
            Reads::account_public_access_block(),
            Reads::lambda_functions("r"),
        ] {
            assert!(
                UnreadableItem::KINDS.contains(&reads.kind),
                "{}",
                reads.kind
            );
        }
    }
}
