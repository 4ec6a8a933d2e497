//! What `Ref` and `Fn::GetAtt` return for each resource type, built as AWS
//! builds them (CloudFormation User Guide, each resource's "Return values").
//!
//! A name the template gives (`RoleName`, `BucketName`, …) is used as
//! given; a name or id AWS would generate is the symbolic
//! `STACK-LOGICALID-generated` ([`Stack::name_of`]), so every reference to
//! the resource names the same thing.

use crate::source::Location;

use super::intrinsics::Stack;

/// The property that names a resource of this type, when it has one.
pub fn name_property(resource_type: &str) -> Option<&'static str> {
    Some(match resource_type {
        "AWS::IAM::Role" => "RoleName",
        "AWS::IAM::ManagedPolicy" => "ManagedPolicyName",
        "AWS::IAM::Policy" | "AWS::IAM::RolePolicy" => "PolicyName",
        "AWS::S3::Bucket" => "BucketName",
        "AWS::Lambda::Function" | "AWS::Serverless::Function" => "FunctionName",
        "AWS::Cognito::UserPoolGroup" => "GroupName",
        "AWS::Cognito::IdentityPool" => "IdentityPoolName",
        "AWS::Cognito::UserPool" => "UserPoolName",
        "AWS::Cognito::UserPoolClient" => "ClientName",
        _ => return None,
    })
}

impl Stack<'_> {
    fn resource_type(&self, logical_id: &str) -> String {
        self.resource(logical_id)
            .map(|r| r.resource_type.clone())
            .unwrap_or_default()
    }

    /// The name of a resource (given or generated).
    pub fn resource_name(&mut self, logical_id: &str) -> String {
        let property = name_property(&self.resource_type(logical_id));
        self.name_of(logical_id, property)
    }

    fn generated(&self, logical_id: &str) -> String {
        format!("{}-{logical_id}-generated", self.pseudo.stack_name)
    }

    /// What `Ref` of the resource returns.
    pub fn physical_id(&mut self, logical_id: &str, _at: &Location) -> String {
        let region = self.pseudo.region.clone();
        match self.resource_type(logical_id).as_str() {
            "AWS::IAM::ManagedPolicy" => self.managed_policy_arn(logical_id),
            "AWS::Cognito::IdentityPool" => format!("{region}:{}", self.generated(logical_id)),
            "AWS::Cognito::UserPool" => format!("{region}_{}", self.generated(logical_id)),
            "AWS::Cognito::UserPoolClient"
            | "AWS::IAM::Policy"
            | "AWS::Cognito::IdentityPoolRoleAttachment" => self.generated(logical_id),
            t if name_property(t).is_some() => self.resource_name(logical_id),
            _ => self.generated(logical_id),
        }
    }

    /// What `Fn::GetAtt` of the resource returns; `None` for attributes
    /// poolscope does not compute.
    pub fn attribute(
        &mut self,
        logical_id: &str,
        attribute: &str,
        at: &Location,
    ) -> Option<String> {
        let partition = self.pseudo.partition.clone();
        let region = self.pseudo.region.clone();
        let account = self.pseudo.account.clone();
        let suffix = self.pseudo.url_suffix.clone();
        let resource_type = self.resource_type(logical_id);
        Some(match (resource_type.as_str(), attribute) {
            ("AWS::IAM::Role", "Arn") => self.role_arn(logical_id),
            ("AWS::IAM::Role", "RoleId") => format!("{}-id", self.generated(logical_id)),
            ("AWS::IAM::ManagedPolicy", "PolicyArn") => self.managed_policy_arn(logical_id),
            ("AWS::S3::Bucket", "Arn") => {
                format!("arn:{partition}:s3:::{}", self.resource_name(logical_id))
            }
            ("AWS::S3::Bucket", "DomainName") => {
                format!("{}.s3.{suffix}", self.resource_name(logical_id))
            }
            ("AWS::S3::Bucket", "RegionalDomainName") => {
                format!("{}.s3.{region}.{suffix}", self.resource_name(logical_id))
            }
            ("AWS::Lambda::Function" | "AWS::Serverless::Function", "Arn") => format!(
                "arn:{partition}:lambda:{region}:{account}:function:{}",
                self.resource_name(logical_id)
            ),
            ("AWS::Cognito::IdentityPool", "Name") => self.resource_name(logical_id),
            ("AWS::Cognito::IdentityPool", "Id") => self.physical_id(logical_id, at),
            ("AWS::Cognito::UserPool", "Arn") => format!(
                "arn:{partition}:cognito-idp:{region}:{account}:userpool/{}",
                self.physical_id(logical_id, at)
            ),
            ("AWS::Cognito::UserPool", "ProviderName") => format!(
                "cognito-idp.{region}.{suffix}/{}",
                self.physical_id(logical_id, at)
            ),
            ("AWS::Cognito::UserPool", "ProviderURL") => format!(
                "https://cognito-idp.{region}.{suffix}/{}",
                self.physical_id(logical_id, at)
            ),
            ("AWS::Cognito::UserPool", "UserPoolId") => self.physical_id(logical_id, at),
            ("AWS::Cognito::UserPoolClient", "ClientId") => self.physical_id(logical_id, at),
            ("AWS::Cognito::UserPoolClient", "Name") => self.resource_name(logical_id),
            _ => return None,
        })
    }

    /// `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`.
    pub fn role_arn(&mut self, logical_id: &str) -> String {
        let path = self
            .property_text(logical_id, "Path")
            .unwrap_or_else(|| "/".to_string());
        let name = self.resource_name(logical_id);
        format!(
            "arn:{}:iam::{}:role{path}{name}",
            self.pseudo.partition, self.pseudo.account
        )
    }

    /// `arn:PARTITION:iam::ACCOUNT:policy/PATH/NAME`.
    pub fn managed_policy_arn(&mut self, logical_id: &str) -> String {
        let path = self
            .property_text(logical_id, "Path")
            .unwrap_or_else(|| "/".to_string());
        let name = self.resource_name(logical_id);
        format!(
            "arn:{}:iam::{}:policy{path}{name}",
            self.pseudo.partition, self.pseudo.account
        )
    }
}
