//! SAM policy templates: `Policies: [{S3ReadPolicy: {BucketName: …}}]` on
//! an `AWS::Serverless::Function` expands to the statements the AWS SAM
//! Developer Guide lists for the template ("AWS SAM policy template list"),
//! with the template's parameters and the stack's partition, region and
//! account filled in.
//!
//! The common templates are here; any other is unknown (a policy that may
//! allow anything), as is a template whose parameter is missing or unknown.

use crate::ingest::unknown;
use crate::source::Value;

use super::intrinsics::Pseudo;

/// One statement: actions, and resource patterns in which `{P}` is
/// parameter `P` and `{partition}`, `{region}`, `{account}` come from the
/// stack.
struct Statement {
    actions: &'static [&'static str],
    resources: &'static [&'static str],
}

struct Template {
    name: &'static str,
    parameters: &'static [&'static str],
    statements: &'static [Statement],
}

const BUCKET: &[&str] = &[
    "arn:{partition}:s3:::{BucketName}",
    "arn:{partition}:s3:::{BucketName}/*",
];
const TABLE: &[&str] = &[
    "arn:{partition}:dynamodb:{region}:{account}:table/{TableName}",
    "arn:{partition}:dynamodb:{region}:{account}:table/{TableName}/index/*",
];
const QUEUE: &[&str] = &["arn:{partition}:sqs:{region}:{account}:{QueueName}"];

const TEMPLATES: &[Template] = &[
    Template {
        name: "S3ReadPolicy",
        parameters: &["BucketName"],
        statements: &[Statement {
            actions: &[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:GetLifecycleConfiguration",
            ],
            resources: BUCKET,
        }],
    },
    Template {
        name: "S3WritePolicy",
        parameters: &["BucketName"],
        statements: &[Statement {
            actions: &[
                "s3:PutObject",
                "s3:PutObjectAcl",
                "s3:PutLifecycleConfiguration",
            ],
            resources: BUCKET,
        }],
    },
    Template {
        name: "S3CrudPolicy",
        parameters: &["BucketName"],
        statements: &[Statement {
            actions: &[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:PutObject",
                "s3:PutObjectAcl",
                "s3:GetLifecycleConfiguration",
                "s3:PutLifecycleConfiguration",
                "s3:DeleteObject",
            ],
            resources: BUCKET,
        }],
    },
    Template {
        name: "S3FullAccessPolicy",
        parameters: &["BucketName"],
        statements: &[
            Statement {
                actions: &[
                    "s3:GetObject",
                    "s3:GetObjectAcl",
                    "s3:GetObjectVersion",
                    "s3:PutObject",
                    "s3:PutObjectAcl",
                    "s3:DeleteObject",
                    "s3:DeleteObjectTagging",
                    "s3:DeleteObjectVersionTagging",
                    "s3:GetObjectTagging",
                    "s3:GetObjectVersionTagging",
                    "s3:PutObjectTagging",
                    "s3:PutObjectVersionTagging",
                ],
                resources: &["arn:{partition}:s3:::{BucketName}/*"],
            },
            Statement {
                actions: &[
                    "s3:ListBucket",
                    "s3:GetBucketLocation",
                    "s3:GetLifecycleConfiguration",
                    "s3:PutLifecycleConfiguration",
                ],
                resources: &["arn:{partition}:s3:::{BucketName}"],
            },
        ],
    },
    Template {
        name: "DynamoDBReadPolicy",
        parameters: &["TableName"],
        statements: &[Statement {
            actions: &[
                "dynamodb:GetItem",
                "dynamodb:Scan",
                "dynamodb:Query",
                "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable",
            ],
            resources: TABLE,
        }],
    },
    Template {
        name: "DynamoDBWritePolicy",
        parameters: &["TableName"],
        statements: &[Statement {
            actions: &[
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem",
            ],
            resources: TABLE,
        }],
    },
    Template {
        name: "DynamoDBCrudPolicy",
        parameters: &["TableName"],
        statements: &[Statement {
            actions: &[
                "dynamodb:GetItem",
                "dynamodb:DeleteItem",
                "dynamodb:PutItem",
                "dynamodb:Scan",
                "dynamodb:Query",
                "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable",
                "dynamodb:ConditionCheckItem",
            ],
            resources: TABLE,
        }],
    },
    Template {
        name: "SQSSendMessagePolicy",
        parameters: &["QueueName"],
        statements: &[Statement {
            actions: &["sqs:SendMessage*"],
            resources: QUEUE,
        }],
    },
    Template {
        name: "SQSPollerPolicy",
        parameters: &["QueueName"],
        statements: &[Statement {
            actions: &[
                "sqs:ChangeMessageVisibility",
                "sqs:ChangeMessageVisibilityBatch",
                "sqs:DeleteMessage",
                "sqs:DeleteMessageBatch",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage",
            ],
            resources: QUEUE,
        }],
    },
    Template {
        name: "SNSPublishMessagePolicy",
        parameters: &["TopicName"],
        statements: &[Statement {
            actions: &["sns:Publish"],
            resources: &["arn:{partition}:sns:{region}:{account}:{TopicName}"],
        }],
    },
    Template {
        name: "LambdaInvokePolicy",
        parameters: &["FunctionName"],
        statements: &[Statement {
            actions: &["lambda:InvokeFunction"],
            resources: &["arn:{partition}:lambda:{region}:{account}:function:{FunctionName}*"],
        }],
    },
    Template {
        name: "AWSSecretsManagerGetSecretValuePolicy",
        parameters: &["SecretArn"],
        statements: &[Statement {
            actions: &["secretsmanager:GetSecretValue"],
            resources: &["{SecretArn}"],
        }],
    },
    Template {
        name: "SSMParameterReadPolicy",
        parameters: &["ParameterName"],
        statements: &[
            Statement {
                actions: &["ssm:DescribeParameters"],
                resources: &["*"],
            },
            Statement {
                actions: &[
                    "ssm:GetParameters",
                    "ssm:GetParameter",
                    "ssm:GetParametersByPath",
                ],
                resources: &["arn:{partition}:ssm:{region}:{account}:parameter/{ParameterName}"],
            },
        ],
    },
    Template {
        name: "StepFunctionsExecutionPolicy",
        parameters: &["StateMachineName"],
        statements: &[Statement {
            actions: &["states:StartExecution"],
            resources: &[
                "arn:{partition}:states:{region}:{account}:stateMachine:{StateMachineName}",
            ],
        }],
    },
    Template {
        name: "EventBridgePutEventsPolicy",
        parameters: &["EventBusName"],
        statements: &[Statement {
            actions: &["events:PutEvents"],
            resources: &["arn:{partition}:events:{region}:{account}:event-bus/{EventBusName}"],
        }],
    },
    Template {
        name: "CloudWatchPutMetricPolicy",
        parameters: &[],
        statements: &[Statement {
            actions: &["cloudwatch:PutMetricData"],
            resources: &["*"],
        }],
    },
];

/// The policy document (JSON text) a SAM policy template entry
/// (`{NAME: {PARAMETER: value}}`, evaluated) expands to; `Err` says why it
/// cannot be expanded.
pub fn expand(name: &str, parameters: &Value, pseudo: &Pseudo) -> Result<String, String> {
    let Some(template) = TEMPLATES.iter().find(|t| t.name == name) else {
        return Err(format!(
            "poolscope does not expand the SAM policy template `{name}`"
        ));
    };
    let mut values = vec![
        ("partition", pseudo.partition.clone()),
        ("region", pseudo.region.clone()),
        ("account", pseudo.account.clone()),
    ];
    for parameter in template.parameters {
        let value = parameters.get(parameter).and_then(Value::scalar_text);
        match value {
            Some(text) if unknown::is_unknown(&text) => {
                return Err(format!(
                    "`{name}` parameter `{parameter}` is `{}`",
                    unknown::describe(&text)
                ));
            }
            Some(text) => values.push((parameter, text)),
            None => return Err(format!("`{name}` has no `{parameter}`")),
        }
    }
    let fill = |pattern: &str| {
        let mut out = pattern.to_string();
        for (key, value) in &values {
            out = out.replace(&format!("{{{key}}}"), value);
        }
        out
    };
    let statements: Vec<serde_json::Value> = template
        .statements
        .iter()
        .map(|s| {
            serde_json::json!({
                "Effect": "Allow",
                "Action": s.actions,
                "Resource": s.resources.iter().map(|r| fill(r)).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(serde_json::json!({"Version": "2012-10-17", "Statement": statements}).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::json;

    fn pseudo() -> Pseudo {
        Pseudo {
            account: "111122223333".to_string(),
            region: "eu-west-1".to_string(),
            partition: "aws".to_string(),
            url_suffix: "amazonaws.com".to_string(),
            stack_name: "s".to_string(),
            stack_name_guessed: false,
        }
    }

    #[test]
    fn templates_expand_with_their_parameters_and_the_stack() {
        let parameters = json::parse_str("p.json", r#"{"TableName": "scores"}"#).expect("JSON");
        let policy = expand("DynamoDBReadPolicy", &parameters, &pseudo()).expect("expands");
        assert!(
            policy.contains(r#""arn:aws:dynamodb:eu-west-1:111122223333:table/scores/index/*""#)
        );
        assert!(policy.contains(r#""dynamodb:Scan""#));
        let why = expand("S3ReadPolicy", &parameters, &pseudo()).expect_err("no BucketName");
        assert_eq!(why, "`S3ReadPolicy` has no `BucketName`");
        assert!(expand("RekognitionLabelsPolicy", &parameters, &pseudo()).is_err());
    }
}
