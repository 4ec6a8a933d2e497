//! The catalogue of escalation steps, as data: for each kind of step, the
//! actions it needs (each on which resource), what it yields, and the AWS
//! documentation it rests on.
//!
//! A step turns a session of one role into a session of another (or of the
//! same role with more permissions). [`crate::model::sessions::escalation`]
//! decides each step's needs with the concrete evaluator; the catalogue
//! holds no logic. Cognito self-administration steps join as further
//! [`StepKind`]s with their own [`Yields`].
//!
//! Sources (AWS documentation page titles):
//! - IAM User Guide, "Grant a user permissions to pass a role to an AWS
//!   service" (`iam:PassRole`, `iam:PassedToService`; same account only);
//! - IAM User Guide, "IAM and AWS STS condition context keys"
//!   (`iam:PassedToService`, `iam:PolicyARN`);
//! - Lambda Developer Guide, "Defining Lambda function permissions with an
//!   execution role"; Lambda API Reference, "CreateFunction",
//!   "UpdateFunctionCode", "UpdateFunctionConfiguration" (`Layers`, `Role`);
//! - Amazon EC2 User Guide, "IAM roles for Amazon EC2" (launching with an
//!   instance profile needs `iam:PassRole` on its role);
//! - AWS Glue Developer Guide, "Setting up IAM permissions for AWS Glue";
//! - AWS CloudFormation User Guide, "AWS CloudFormation service role";
//! - Amazon ECS Developer Guide, "Amazon ECS task IAM role";
//! - IAM API Reference, "PutRolePolicy", "AttachRolePolicy",
//!   "CreatePolicyVersion" (`SetAsDefault`), "SetDefaultPolicyVersion",
//!   "UpdateAssumeRolePolicy"; IAM User Guide, "Versioning IAM policies".

use std::fmt;

use serde::Serialize;

/// How one session becomes another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// `sts:AssumeRole`, allowed by the caller's policies and the target's
    /// trust ([`crate::model::sessions::chains`]).
    AssumeRole,
    /// `iam:PassRole` to Lambda with `lambda:CreateFunction`, then invoke it.
    PassRoleToLambda,
    /// `iam:PassRole` to EC2 with `ec2:RunInstances`.
    PassRoleToEc2,
    /// `iam:PassRole` to Glue with `glue:CreateJob` and `glue:StartJobRun`.
    PassRoleToGlueJob,
    /// `iam:PassRole` to Glue with `glue:CreateDevEndpoint`.
    PassRoleToGlueDevEndpoint,
    /// `iam:PassRole` to CloudFormation with `cloudformation:CreateStack`.
    PassRoleToCloudFormation,
    /// `iam:PassRole` to ECS tasks with `ecs:RegisterTaskDefinition` and
    /// `ecs:RunTask`.
    PassRoleToEcs,
    /// `lambda:UpdateFunctionCode` on a function: its code runs as its role.
    UpdateFunctionCode,
    /// `lambda:UpdateFunctionConfiguration` on a function: a layer's code
    /// runs as its role.
    UpdateFunctionConfiguration,
    /// `iam:PutRolePolicy`: any inline policy on the role.
    PutRolePolicy,
    /// `iam:AttachRolePolicy`: any managed policy on the role.
    AttachRolePolicy,
    /// `iam:CreatePolicyVersion` on a customer managed policy the role has.
    CreatePolicyVersion,
    /// `iam:SetDefaultPolicyVersion` on a customer managed policy the role
    /// has.
    SetDefaultPolicyVersion,
    /// `iam:UpdateAssumeRolePolicy`: rewrite the role's trust to admit the
    /// caller, then assume it.
    UpdateAssumeRolePolicy,
}

/// What a step's action is asked on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On {
    /// The role passed (`iam:PassRole`, with `iam:PassedToService` set to
    /// the step's service).
    PassedRole,
    /// A resource the caller creates and names: an ARN template with
    /// `{region}`, `{account}` and `{name}`.
    NewResource(&'static str),
    /// Any resource (`*`): actions without a resource type.
    Anything,
    /// The existing function whose code or configuration changes.
    Function,
    /// The role whose permissions or trust change.
    TargetRole,
    /// The customer managed policy (attached to the target role) that
    /// changes.
    AttachedPolicy,
}

/// One action a step needs; `any_of` lists alternatives.
#[derive(Clone, Copy, Debug)]
pub struct Need {
    pub any_of: &'static [(&'static str, On)],
}

/// What a step gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Yields {
    /// A session of the passed role, as `service` (whose principal the
    /// role's trust must admit for `sts:AssumeRole`).
    ServiceRole { service: &'static str },
    /// A session of the function's execution role (code the caller wrote
    /// runs as it).
    ExecutionRole,
    /// A session of the target role holding anything its permissions
    /// boundary allows (the caller wrote its permissions).
    Granted,
    /// A session of the target role, whose trust the caller rewrote to
    /// admit itself.
    TrustRewritten,
}

/// One kind of step, as data.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    pub kind: StepKind,
    /// Every need must be allowed.
    pub needs: &'static [Need],
    pub yields: Yields,
    /// The AWS documentation page the step rests on.
    pub source: &'static str,
    /// A reading the inputs cannot confirm, stated on every route the step
    /// yields (`None` when the step rests only on what the inputs show).
    pub assumption: Option<&'static str>,
}

const PASS_ROLE: &str = "iam:PassRole";
const FUNCTION: &str = "arn:aws:lambda:{region}:{account}:function:{name}";

/// The catalogue: every kind of step but `sts:AssumeRole`, which
/// [`crate::model::sessions::chains`] decides with the target's trust as
/// the resource policy.
pub static STEPS: &[Step] = &[
    Step {
        kind: StepKind::PassRoleToLambda,
        needs: &[
            Need {
                any_of: &[(PASS_ROLE, On::PassedRole)],
            },
            Need {
                any_of: &[("lambda:CreateFunction", On::NewResource(FUNCTION))],
            },
            Need {
                any_of: &[
                    ("lambda:InvokeFunction", On::NewResource(FUNCTION)),
                    ("lambda:CreateEventSourceMapping", On::Anything),
                ],
            },
        ],
        yields: Yields::ServiceRole {
            service: "lambda.amazonaws.com",
        },
        source: "Lambda Developer Guide, \"Defining Lambda function permissions with an \
                 execution role\"; IAM User Guide, \"Grant a user permissions to pass a role \
                 to an AWS service\"",
        assumption: None,
    },
    Step {
        kind: StepKind::PassRoleToEc2,
        needs: &[
            Need {
                any_of: &[(PASS_ROLE, On::PassedRole)],
            },
            Need {
                any_of: &[(
                    "ec2:RunInstances",
                    On::NewResource("arn:aws:ec2:{region}:{account}:instance/{name}"),
                )],
            },
        ],
        yields: Yields::ServiceRole {
            service: "ec2.amazonaws.com",
        },
        source: "Amazon EC2 User Guide, \"IAM roles for Amazon EC2\"",
        assumption: Some(
            "an instance profile holding the role exists or can be made (instance profiles are \
             not in the inputs), and `ec2:RunInstances` is asked on the instance alone",
        ),
    },
    Step {
        kind: StepKind::PassRoleToGlueJob,
        needs: &[
            Need {
                any_of: &[(PASS_ROLE, On::PassedRole)],
            },
            Need {
                any_of: &[(
                    "glue:CreateJob",
                    On::NewResource("arn:aws:glue:{region}:{account}:job/{name}"),
                )],
            },
            Need {
                any_of: &[(
                    "glue:StartJobRun",
                    On::NewResource("arn:aws:glue:{region}:{account}:job/{name}"),
                )],
            },
        ],
        yields: Yields::ServiceRole {
            service: "glue.amazonaws.com",
        },
        source: "AWS Glue Developer Guide, \"Setting up IAM permissions for AWS Glue\"",
        assumption: None,
    },
    Step {
        kind: StepKind::PassRoleToGlueDevEndpoint,
        needs: &[
            Need {
                any_of: &[(PASS_ROLE, On::PassedRole)],
            },
            Need {
                any_of: &[(
                    "glue:CreateDevEndpoint",
                    On::NewResource("arn:aws:glue:{region}:{account}:devEndpoint/{name}"),
                )],
            },
        ],
        yields: Yields::ServiceRole {
            service: "glue.amazonaws.com",
        },
        source: "AWS Glue Developer Guide, \"Setting up IAM permissions for AWS Glue\"",
        assumption: None,
    },
    Step {
        kind: StepKind::PassRoleToCloudFormation,
        needs: &[
            Need {
                any_of: &[(PASS_ROLE, On::PassedRole)],
            },
            Need {
                any_of: &[(
                    "cloudformation:CreateStack",
                    On::NewResource(
                        "arn:aws:cloudformation:{region}:{account}:stack/{name}/\
                         00000000-0000-4000-8000-000000000000",
                    ),
                )],
            },
        ],
        yields: Yields::ServiceRole {
            service: "cloudformation.amazonaws.com",
        },
        source: "AWS CloudFormation User Guide, \"AWS CloudFormation service role\"",
        assumption: None,
    },
    Step {
        kind: StepKind::PassRoleToEcs,
        needs: &[
            Need {
                any_of: &[(PASS_ROLE, On::PassedRole)],
            },
            Need {
                any_of: &[("ecs:RegisterTaskDefinition", On::Anything)],
            },
            Need {
                any_of: &[(
                    "ecs:RunTask",
                    On::NewResource("arn:aws:ecs:{region}:{account}:task-definition/{name}:1"),
                )],
            },
        ],
        yields: Yields::ServiceRole {
            service: "ecs-tasks.amazonaws.com",
        },
        source: "Amazon ECS Developer Guide, \"Amazon ECS task IAM role\"",
        assumption: Some("a cluster to run the task on exists"),
    },
    Step {
        kind: StepKind::UpdateFunctionCode,
        needs: &[Need {
            any_of: &[("lambda:UpdateFunctionCode", On::Function)],
        }],
        yields: Yields::ExecutionRole,
        source: "Lambda API Reference, \"UpdateFunctionCode\"; Lambda Developer Guide, \
                 \"Defining Lambda function permissions with an execution role\"",
        assumption: Some("the function runs after its code changes (its event fires)"),
    },
    Step {
        kind: StepKind::UpdateFunctionConfiguration,
        needs: &[Need {
            any_of: &[("lambda:UpdateFunctionConfiguration", On::Function)],
        }],
        yields: Yields::ExecutionRole,
        source: "Lambda API Reference, \"UpdateFunctionConfiguration\" (`Layers`)",
        assumption: Some(
            "the function runs after a layer of the caller's is added (its event fires)",
        ),
    },
    Step {
        kind: StepKind::PutRolePolicy,
        needs: &[Need {
            any_of: &[("iam:PutRolePolicy", On::TargetRole)],
        }],
        yields: Yields::Granted,
        source: "IAM API Reference, \"PutRolePolicy\"",
        assumption: None,
    },
    Step {
        kind: StepKind::AttachRolePolicy,
        needs: &[Need {
            any_of: &[("iam:AttachRolePolicy", On::TargetRole)],
        }],
        yields: Yields::Granted,
        source: "IAM API Reference, \"AttachRolePolicy\"",
        assumption: None,
    },
    Step {
        kind: StepKind::CreatePolicyVersion,
        needs: &[Need {
            any_of: &[("iam:CreatePolicyVersion", On::AttachedPolicy)],
        }],
        yields: Yields::Granted,
        source: "IAM API Reference, \"CreatePolicyVersion\" (`SetAsDefault`)",
        assumption: None,
    },
    Step {
        kind: StepKind::SetDefaultPolicyVersion,
        needs: &[Need {
            any_of: &[("iam:SetDefaultPolicyVersion", On::AttachedPolicy)],
        }],
        yields: Yields::Granted,
        source: "IAM API Reference, \"SetDefaultPolicyVersion\"",
        assumption: Some(
            "a non-default version of the policy grants more (versions other than the default \
             are not in the inputs)",
        ),
    },
    Step {
        kind: StepKind::UpdateAssumeRolePolicy,
        needs: &[Need {
            any_of: &[("iam:UpdateAssumeRolePolicy", On::TargetRole)],
        }],
        yields: Yields::TrustRewritten,
        source: "IAM API Reference, \"UpdateAssumeRolePolicy\"",
        assumption: None,
    },
];

/// The policy ARN a permission change attaches, for `iam:PolicyARN`.
pub const ATTACHED_POLICY_ARN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

impl StepKind {
    /// The catalogue entry (`None` for `sts:AssumeRole`).
    pub fn step(self) -> Option<&'static Step> {
        STEPS.iter().find(|s| s.kind == self)
    }

    /// The action that names the step, as users write it.
    pub fn action(self) -> &'static str {
        match self {
            StepKind::AssumeRole => "sts:AssumeRole",
            StepKind::PassRoleToLambda
            | StepKind::PassRoleToEc2
            | StepKind::PassRoleToGlueJob
            | StepKind::PassRoleToGlueDevEndpoint
            | StepKind::PassRoleToCloudFormation
            | StepKind::PassRoleToEcs => PASS_ROLE,
            StepKind::UpdateFunctionCode => "lambda:UpdateFunctionCode",
            StepKind::UpdateFunctionConfiguration => "lambda:UpdateFunctionConfiguration",
            StepKind::PutRolePolicy => "iam:PutRolePolicy",
            StepKind::AttachRolePolicy => "iam:AttachRolePolicy",
            StepKind::CreatePolicyVersion => "iam:CreatePolicyVersion",
            StepKind::SetDefaultPolicyVersion => "iam:SetDefaultPolicyVersion",
            StepKind::UpdateAssumeRolePolicy => "iam:UpdateAssumeRolePolicy",
        }
    }

    /// Every action the step needs, alternatives included.
    pub fn actions(self) -> Vec<&'static str> {
        match self.step() {
            None => vec![self.action()],
            Some(step) => step
                .needs
                .iter()
                .flat_map(|n| n.any_of.iter().map(|(action, _)| *action))
                .collect(),
        }
    }
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StepKind::AssumeRole => "sts:AssumeRole",
            StepKind::PassRoleToLambda => "iam:PassRole to a new Lambda function",
            StepKind::PassRoleToEc2 => "iam:PassRole to a new EC2 instance",
            StepKind::PassRoleToGlueJob => "iam:PassRole to a new Glue job",
            StepKind::PassRoleToGlueDevEndpoint => "iam:PassRole to a new Glue dev endpoint",
            StepKind::PassRoleToCloudFormation => "iam:PassRole to a new CloudFormation stack",
            StepKind::PassRoleToEcs => "iam:PassRole to a new ECS task",
            StepKind::UpdateFunctionCode => "lambda:UpdateFunctionCode",
            StepKind::UpdateFunctionConfiguration => "lambda:UpdateFunctionConfiguration (a layer)",
            StepKind::PutRolePolicy => "iam:PutRolePolicy",
            StepKind::AttachRolePolicy => "iam:AttachRolePolicy",
            StepKind::CreatePolicyVersion => "iam:CreatePolicyVersion",
            StepKind::SetDefaultPolicyVersion => "iam:SetDefaultPolicyVersion",
            StepKind::UpdateAssumeRolePolicy => "iam:UpdateAssumeRolePolicy",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::catalogue::Catalogue;

    // Every action of the catalogue is one the action catalogue knows, so a
    // typo cannot make a step silently never match.
    #[test]
    fn every_step_action_is_a_known_action() {
        let catalogue = Catalogue::builtin();
        for step in STEPS {
            assert!(step.kind.step().is_some());
            for action in step.kind.actions() {
                assert_eq!(
                    catalogue.expand(action).len(),
                    1,
                    "{action} of {:?} is not in the action catalogue",
                    step.kind
                );
            }
        }
    }
}
