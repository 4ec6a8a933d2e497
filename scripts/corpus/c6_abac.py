"""Case abac-principal-tags: attributes for access control (principal tags)."""

from lib import *

ACCOUNT = "666677778888"
REGION = "us-east-1"
PARTNER = "999988887777"


def build():
    ids = Ids("abac-principal-tags")
    acct = Account(ACCOUNT, ids)
    pool_id = f"{REGION}:{ids.guid()}"
    up = "us-east-1_Ac9mE2wKf"
    client = ids.client_id()
    up_arn = f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{up}"
    bucket = f"acme-docs-{ACCOUNT}"
    b = f"arn:aws:s3:::{bucket}"
    meta = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/acme-docs-metadata"
    dept = "${aws:PrincipalTag/department}"
    tags = [("app", "acme-docs")]

    abac_role = acct.role(
        "acme-docs-abac-authenticated",
        cognito_trust(pool_id, "authenticated", tag_session=True),
        "2024-03-18T13:20:45+00:00",
        inline=[
            (
                "department-files",
                doc(
                    stmt(
                        "Allow",
                        "s3:ListBucket",
                        b,
                        {"StringLike": {"s3:prefix": [f"{dept}/", f"{dept}/*"]}},
                        sid="ListOwnDepartment",
                    ),
                    stmt(
                        "Allow",
                        ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                        f"{b}/{dept}/*",
                        sid="OwnDepartmentFiles",
                    ),
                    stmt("Allow", "s3:GetObject", f"{b}/shared/*", sid="SharedFiles"),
                    # clearance is not among the identity pool's principal tags,
                    # so this grant never applies (planted, PS011).
                    stmt(
                        "Allow",
                        "s3:GetObject",
                        f"{b}/classified/*",
                        {"StringEquals": {"s3:ExistingObjectTag/clearance": "${aws:PrincipalTag/clearance}"}},
                        sid="ClassifiedByClearance",
                    ),
                    # A misfiled object keeps its owner's department tag:
                    # deny reading objects tagged for another department.
                    stmt(
                        "Deny",
                        "s3:GetObject",
                        f"{b}/*",
                        {
                            "Null": {"s3:ExistingObjectTag/department": "false"},
                            "StringNotEquals": {"s3:ExistingObjectTag/department": dept},
                        },
                        sid="DenyOtherDepartmentsTaggedObjects",
                    ),
                ),
            ),
            (
                "department-metadata",
                doc(
                    stmt(
                        "Allow",
                        ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                        [meta, meta + "/index/*"],
                        {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [dept]}},
                        sid="OwnDepartmentMetadata",
                    )
                ),
            ),
        ],
        tags=tags,
        last_used={"LastUsedDate": "2024-05-03T15:47:26+00:00", "Region": REGION},
    )
    basic_exec = acct.aws_managed(
        "AWSLambdaBasicExecutionRole",
        "ANPAJNCQGXC42545SKXIK",
        "/service-role/",
        doc(stmt("Allow", ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "*")),
        "v1",
        "2015-04-09T15:03:43+00:00",
        "2015-04-09T15:03:43+00:00",
    )
    acct.role(
        "acme-docs-indexer",
        service_trust("lambda.amazonaws.com"),
        "2024-03-18T13:25:10+00:00",
        path="/service-role/",
        inline=[
            (
                "index-documents",
                doc(
                    stmt("Allow", ["s3:GetObject", "s3:GetObjectTagging"], f"{b}/*", sid="ReadAllDocuments"),
                    stmt("Allow", ["dynamodb:PutItem", "dynamodb:UpdateItem"], meta, sid="WriteMetadata"),
                ),
            )
        ],
        managed=[basic_exec],
        tags=tags,
    )

    provider = f"cognito-idp.{REGION}.amazonaws.com/{up}"
    identity_pool = {
        "IdentityPoolId": pool_id,
        "IdentityPoolName": "acme_docs",
        "AllowUnauthenticatedIdentities": False,
        "AllowClassicFlow": False,
        "CognitoIdentityProviders": [
            {"ProviderName": provider, "ClientId": client, "ServerSideTokenCheck": True}
        ],
        "IdentityPoolTags": {"app": "acme-docs"},
    }
    roles = {"IdentityPoolId": pool_id, "Roles": {"authenticated": abac_role}}
    principal_tags = {
        "IdentityPoolId": pool_id,
        "IdentityProviderName": provider,
        "UseDefaults": False,
        "PrincipalTags": {"department": "custom:department"},
    }
    schema = standard_schema(required=("email", "name")) + [
        custom_attr("department", maxlen="64"),
        custom_attr("clearance", maxlen="32"),
        custom_attr("employee_id", mutable=False, maxlen="16"),
    ]
    user_pool = {
        "UserPool": {
            "Id": up,
            "Name": "acme-workforce",
            "Policies": {
                "PasswordPolicy": {
                    "MinimumLength": 14,
                    "RequireUppercase": True,
                    "RequireLowercase": True,
                    "RequireNumbers": True,
                    "RequireSymbols": True,
                    "TemporaryPasswordValidityDays": 2,
                }
            },
            "DeletionProtection": "ACTIVE",
            "LambdaConfig": {},
            "LastModifiedDate": "2024-03-18T13:19:02.887000+00:00",
            "CreationDate": "2024-03-18T13:10:36.420000+00:00",
            "SchemaAttributes": schema,
            "AutoVerifiedAttributes": ["email"],
            "UsernameAttributes": ["email"],
            "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE"},
            "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]},
            "MfaConfiguration": "ON",
            "EstimatedNumberOfUsers": 3120,
            "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
            "UserPoolTags": {"app": "acme-docs"},
            "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True, "UnusedAccountValidityDays": 2},
            "UsernameConfiguration": {"CaseSensitive": False},
            "Arn": up_arn,
            "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
            "UserPoolTier": "ESSENTIALS",
        }
    }
    client_doc = {
        "UserPoolClient": {
            "UserPoolId": up,
            "ClientName": "acme-docs-web",
            "ClientId": client,
            "LastModifiedDate": "2024-03-18T13:15:49.031000+00:00",
            "CreationDate": "2024-03-18T13:15:49.031000+00:00",
            "RefreshTokenValidity": 12,
            "AccessTokenValidity": 60,
            "IdTokenValidity": 60,
            "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "hours"},
            "ReadAttributes": sorted(
                STANDARD_READABLE + ["custom:clearance", "custom:department", "custom:employee_id"]
            ),
            # Department and clearance are set by HR through AdminUpdateUserAttributes only.
            "WriteAttributes": ["family_name", "given_name", "locale", "name", "picture", "zoneinfo"],
            "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
            "SupportedIdentityProviders": ["COGNITO"],
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
                "Allow",
                ["s3:GetObject"],
                f"{b}/shared/*",
                sid="PartnerReadsShared",
                principal={"AWS": f"arn:aws:iam::{PARTNER}:root"},
            ),
            stmt(
                "Deny",
                "s3:*",
                [b, f"{b}/*"],
                {"Bool": {"aws:SecureTransport": "false"}},
                sid="TlsOnly",
                principal="*",
            ),
        ),
    )
    write_case(
        "abac-principal-tags",
        {
            "iam.json": acct.details(),
            "identity-pool.json": identity_pool,
            "identity-pool-roles.json": roles,
            "principal-tags.json": principal_tags,
            "user-pool.json": user_pool,
            "user-pool-client.json": client_doc,
            "groups.json": {"Groups": []},
            f"bucket-policy.{bucket}.json": bp,
        },
    )
    return {"pool_id": pool_id, "client": client}
