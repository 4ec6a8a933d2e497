//! AWS CLI snapshots → the inventory.
//!
//! Reads the JSON output of `iam get-account-authorization-details`,
//! `cognito-identity describe-identity-pool`, `get-identity-pool-roles`,
//! `get-principal-tag-attribute-map`, `cognito-idp describe-user-pool`,
//! `describe-user-pool-client`, `list-groups`, `lambda list-functions`
//! ([`lambda`]), bucket policies (see [`s3`] for how the bucket is named)
//! and S3 Block Public Access configurations (`s3api`/`s3control
//! get-public-access-block`, wrapped). Fields keep their
//! locations; a field of the wrong type is an error at its span and the rest
//! of the file is still read.
//!
//! IAM policy documents in `get-account-authorization-details` are JSON
//! objects in CLI output but URL-encoded strings in the raw API response;
//! both are accepted. A string document is decoded and parsed as a file of
//! its own, labelled `FILE#/JSON/POINTER` (e.g.
//! `snapshot.json#/RoleDetailList/3/AssumeRolePolicyDocument`), so its
//! locations point into the decoded text; diagnostics also point at the
//! string in the original file.

//!
//! One file per service: [`iam`], [`cognito_identity`], [`cognito_idp`],
//! [`s3`]; [`policy_document`] reads the policy documents they embed. Typed
//! fields come from [`crate::source::fields`].

mod cognito_identity;
mod cognito_idp;
mod iam;
mod lambda;
mod policy_document;
mod s3;

pub use policy_document::percent_decode;
pub use s3::BUCKET_POLICY_SUFFIX;

use crate::diagnostic::Diagnostic;
use crate::model::Inventory;
use crate::source::fields::FieldReader;
use crate::source::{Location, SourceFile, Value};

use super::CliShape;

/// Reads one CLI document of a known shape into the inventory.
pub fn read(
    shape: CliShape,
    doc: &Value,
    file: &SourceFile,
    inventory: &mut Inventory,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut reader = Reader {
        file,
        inventory,
        diagnostics,
    };
    match shape {
        CliShape::AccountAuthorizationDetails => reader.account_details(doc),
        CliShape::IdentityPool => reader.identity_pool(doc),
        CliShape::IdentityPoolRoles => reader.identity_pool_roles(doc),
        CliShape::PrincipalTagMap => reader.principal_tags(doc),
        CliShape::UserPool => {
            if let Some(pool) = reader.object_field(doc, "UserPool") {
                reader.user_pool(pool);
            }
        }
        CliShape::UserPoolClient => {
            if let Some(client) = reader.object_field(doc, "UserPoolClient") {
                reader.user_pool_client(client);
            }
        }
        CliShape::Groups => reader.groups(doc),
        CliShape::Functions => reader.functions(doc),
        CliShape::BucketPolicy | CliShape::RawBucketPolicy => {
            s3::read_bucket_policy(&mut reader, doc)
        }
        CliShape::PublicAccessBlock => s3::read_public_access_block(&mut reader, doc),
    }
}

struct Reader<'a> {
    file: &'a SourceFile,
    inventory: &'a mut Inventory,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl FieldReader for Reader<'_> {
    const WRONG_TYPE: &'static str = "cli-wrong-type";
    const MISSING: &'static str = "cli-missing-field";
    const BAD_VALUE: &'static str = "cli-bad-value";

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

impl Reader<'_> {
    fn push(&mut self, diagnostic: Option<Diagnostic>) {
        self.diagnostics.extend(diagnostic);
    }
}

fn duplicate_part(what: &str, name: &str, doc: &Value, first: &Location) -> Diagnostic {
    crate::ingest::api_shapes::duplicate(what, name, &doc.loc, first)
}
