"""Case amplify-storage: an Amplify Gen 1 app with auth + storage (S3)."""

from lib import *

ACCOUNT = "111122223333"
REGION = "us-east-1"


def build():
    ids = Ids("amplify-storage")
    acct = Account(ACCOUNT, ids)
    pool_id = f"{REGION}:{ids.guid()}"
    up = "us-east-1_Ph8tQ2sXa"
    web_client = ids.client_id()
    native_client = ids.client_id()
    bucket = "photosharestorage3f2a9c1b142233-dev"
    b = f"arn:aws:s3:::{bucket}"
    up_arn = f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{up}"
    created = "2023-09-14T08:12:41+00:00"
    tags = [("user:Stack", "dev"), ("user:Application", "photoshare")]
    crud = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]

    auth_role = acct.role(
        "amplify-photoshare-dev-142233-authRole",
        cognito_trust(pool_id, "authenticated"),
        created,
        inline=[
            ("Public_policy_3f2a9c1b", doc(stmt("Allow", crud, [f"{b}/public/*"]))),
            ("Protected_policy_3f2a9c1b", doc(stmt("Allow", crud, [f"{b}/protected/{SUB}/*"]))),
            ("Private_policy_3f2a9c1b", doc(stmt("Allow", crud, [f"{b}/private/{SUB}/*"]))),
            ("Uploads_policy_3f2a9c1b", doc(stmt("Allow", ["s3:PutObject"], [f"{b}/uploads/*"]))),
            (
                "read_policy_3f2a9c1b",
                doc(
                    stmt("Allow", ["s3:GetObject"], [f"{b}/protected/*"]),
                    stmt(
                        "Allow",
                        ["s3:ListBucket"],
                        [b],
                        {
                            "StringLike": {
                                "s3:prefix": [
                                    "public/",
                                    "public/*",
                                    "protected/",
                                    "protected/*",
                                    f"private/{SUB}/",
                                    f"private/{SUB}/*",
                                ]
                            }
                        },
                    ),
                ),
            ),
        ],
        tags=tags,
        last_used={"LastUsedDate": "2024-05-02T17:03:11+00:00", "Region": REGION},
    )
    unauth_role = acct.role(
        "amplify-photoshare-dev-142233-unauthRole",
        cognito_trust(pool_id, "unauthenticated"),
        created,
        inline=[
            ("Public_policy_3f2a9c1b", doc(stmt("Allow", ["s3:GetObject"], [f"{b}/public/*"]))),
            (
                "read_policy_3f2a9c1b",
                doc(
                    stmt("Allow", ["s3:GetObject"], [f"{b}/protected/*"]),
                    stmt(
                        "Allow",
                        ["s3:ListBucket"],
                        [b],
                        {"StringLike": {"s3:prefix": ["public/", "public/*", "protected/", "protected/*"]}},
                    ),
                ),
            ),
        ],
        tags=tags,
        last_used={"LastUsedDate": "2024-05-02T16:58:40+00:00", "Region": REGION},
    )
    trigger_fn = "S3Trigger9a8b7c6d-dev"
    acct.role(
        "photoshareS3Trigger9a8b7c6dLambdaRole9a8b7c6d-dev",
        service_trust("lambda.amazonaws.com"),
        "2023-09-14T08:15:02+00:00",
        inline=[
            (
                "lambda-execution-policy",
                doc(
                    stmt(
                        "Allow",
                        ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                        f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/{trigger_fn}:log-stream:*",
                    )
                ),
            ),
            (
                "amplify-lambda-execution-policy-storage",
                # As the Amplify template has it: s3:ListBucket on the object
                # ARN, where it grants nothing.
                doc(
                    stmt(
                        "Allow",
                        ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:DeleteObject"],
                        [f"{b}/*"],
                    )
                ),
            ),
        ],
        tags=tags,
    )
    sns_role = acct.role(
        "sns3f2a9c1b142233-dev",
        service_trust(
            "cognito-idp.amazonaws.com", {"StringEquals": {"sts:ExternalId": "photoshare3f2a9c1b_role_external_id"}}
        ),
        created,
        inline=[("photoshare3f2a9c1b-sns-policy", doc(stmt("Allow", ["sns:Publish"], "*")))],
        tags=tags,
    )
    identity_pool = {
        "IdentityPoolId": pool_id,
        "IdentityPoolName": "photoshare_identitypool_3f2a9c1b__dev",
        "AllowUnauthenticatedIdentities": True,
        "AllowClassicFlow": False,
        "CognitoIdentityProviders": [
            {
                "ProviderName": f"cognito-idp.{REGION}.amazonaws.com/{up}",
                "ClientId": native_client,
                "ServerSideTokenCheck": False,
            },
            {
                "ProviderName": f"cognito-idp.{REGION}.amazonaws.com/{up}",
                "ClientId": web_client,
                "ServerSideTokenCheck": False,
            },
        ],
        "IdentityPoolTags": {"user:Stack": "dev", "user:Application": "photoshare"},
    }
    roles = {"IdentityPoolId": pool_id, "Roles": {"authenticated": auth_role, "unauthenticated": unauth_role}}

    user_pool = {
        "UserPool": {
            "Id": up,
            "Name": "photoshare3f2a9c1b_userpool_3f2a9c1b-dev",
            "Policies": {
                "PasswordPolicy": {
                    "MinimumLength": 8,
                    "RequireUppercase": False,
                    "RequireLowercase": False,
                    "RequireNumbers": False,
                    "RequireSymbols": False,
                    "TemporaryPasswordValidityDays": 7,
                }
            },
            "DeletionProtection": "INACTIVE",
            "LambdaConfig": {},
            "LastModifiedDate": "2023-09-14T08:13:55.204000+00:00",
            "CreationDate": "2023-09-14T08:13:55.204000+00:00",
            "SchemaAttributes": standard_schema(required=("email",)),
            "AutoVerifiedAttributes": ["email"],
            "UsernameAttributes": ["email"],
            "SmsVerificationMessage": "Your verification code is {####}",
            "EmailVerificationMessage": "Your verification code is {####}",
            "EmailVerificationSubject": "Your verification code",
            "VerificationMessageTemplate": {
                "SmsMessage": "Your verification code is {####}",
                "EmailMessage": "Your verification code is {####}",
                "EmailSubject": "Your verification code",
                "DefaultEmailOption": "CONFIRM_WITH_CODE",
            },
            "SmsAuthenticationMessage": "Your authentication code is {####}",
            "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]},
            "MfaConfiguration": "OPTIONAL",
            "EstimatedNumberOfUsers": 1843,
            "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
            "SmsConfiguration": {
                "SnsCallerArn": sns_role,
                "ExternalId": "photoshare3f2a9c1b_role_external_id",
                "SnsRegion": REGION,
            },
            "UserPoolTags": {},
            "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False, "UnusedAccountValidityDays": 7},
            "UsernameConfiguration": {"CaseSensitive": False},
            "Arn": up_arn,
            "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
            "UserPoolTier": "ESSENTIALS",
        }
    }
    web = {
        "UserPoolClient": {
            "UserPoolId": up,
            "ClientName": "photo3f2a9c1b_app_clientWeb",
            "ClientId": web_client,
            "LastModifiedDate": "2023-09-14T08:14:02.118000+00:00",
            "CreationDate": "2023-09-14T08:14:02.118000+00:00",
            "RefreshTokenValidity": 30,
            "TokenValidityUnits": {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"},
            "ReadAttributes": STANDARD_READABLE,
            "WriteAttributes": STANDARD_WRITABLE,
            "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
            "AllowedOAuthFlowsUserPoolClient": False,
            "PreventUserExistenceErrors": "ENABLED",
            "EnableTokenRevocation": True,
            "EnablePropagateAdditionalUserContextData": False,
            "AuthSessionValidity": 3,
        }
    }
    # The native client as Amplify creates it: no ReadAttributes /
    # WriteAttributes set, which means every attribute (the API then omits them).
    native = {
        "UserPoolClient": {
            "UserPoolId": up,
            "ClientName": "photo3f2a9c1b_app_client",
            "ClientId": native_client,
            "LastModifiedDate": "2023-09-14T08:14:02.407000+00:00",
            "CreationDate": "2023-09-14T08:14:02.407000+00:00",
            "RefreshTokenValidity": 30,
            "TokenValidityUnits": {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"},
            "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
            "AllowedOAuthFlowsUserPoolClient": False,
            "PreventUserExistenceErrors": "ENABLED",
            "EnableTokenRevocation": True,
            "EnablePropagateAdditionalUserContextData": False,
            "AuthSessionValidity": 3,
        }
    }
    bp = bucket_policy(
        bucket,
        doc(
            stmt(
                "Deny",
                "s3:*",
                [f"{b}/*", b],
                {"Bool": {"aws:SecureTransport": "false"}},
                sid="S3TLSEnforcement",
                principal="*",
            )
        ),
    )
    write_case(
        "amplify-storage",
        {
            "iam.json": acct.details(),
            "identity-pool.json": identity_pool,
            "identity-pool-roles.json": roles,
            "user-pool.json": user_pool,
            "user-pool-client.json": web,
            "user-pool-client.native.json": native,
            "groups.json": {"Groups": []},
            f"bucket-policy.{bucket}.json": bp,
        },
    )
    return {"pool_id": pool_id, "web": web_client, "native": native_client}
