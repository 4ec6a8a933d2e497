"""Case token-groups: Token role mapping with user pool group roles."""

from lib import *

ACCOUNT = "333344445555"
REGION = "eu-west-1"


def build():
    ids = Ids("token-groups")
    acct = Account(ACCOUNT, ids)
    pool_id = f"{REGION}:{ids.guid()}"
    up = "eu-west-1_Nw5rM3dQz"
    client = ids.client_id()
    up_arn = f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{up}"
    content = f"newsroom-content-{ACCOUNT}"
    exports = f"newsroom-subscriber-exports-{ACCOUNT}"
    c = f"arn:aws:s3:::{content}"
    e = f"arn:aws:s3:::{exports}"
    trust = cognito_trust(pool_id, "authenticated")
    tags = [("team", "newsroom-platform")]
    export_role_arn = acct.role_arn("newsroom-report-export")

    default_role = acct.role(
        "newsroom-default-authenticated",
        trust,
        "2024-01-15T10:30:00+00:00",
        inline=[("read-published", doc(stmt("Allow", "s3:GetObject", f"{c}/published/*", sid="ReadPublished")))],
        tags=tags,
    )
    admin_role = acct.role(
        "newsroom-admins-group-role",
        trust,
        "2024-01-15T10:30:02+00:00",
        inline=[
            (
                "newsroom-admin",
                doc(
                    stmt("Allow", "s3:*", [c, f"{c}/*"], sid="ContentAdmin"),
                    stmt(
                        "Allow",
                        [
                            "cognito-idp:AdminAddUserToGroup",
                            "cognito-idp:AdminRemoveUserFromGroup",
                            "cognito-idp:AdminCreateUser",
                            "cognito-idp:AdminDisableUser",
                            "cognito-idp:ListUsers",
                            "cognito-idp:ListUsersInGroup",
                        ],
                        up_arn,
                        sid="StaffDirectory",
                    ),
                    stmt("Allow", "sts:AssumeRole", export_role_arn, sid="RunSubscriberExport"),
                ),
            )
        ],
        tags=tags,
    )
    editor_role = acct.role(
        "newsroom-editors-group-role",
        trust,
        "2024-01-15T10:30:04+00:00",
        inline=[
            (
                "newsroom-editor",
                doc(
                    stmt(
                        "Allow",
                        ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                        [f"{c}/drafts/*", f"{c}/published/*"],
                        sid="EditAndPublish",
                    ),
                    stmt(
                        "Allow",
                        "s3:ListBucket",
                        c,
                        {"StringLike": {"s3:prefix": ["drafts/*", "published/*"]}},
                        sid="ListArticles",
                    ),
                    # Meant for the export tool only; Resource "*" makes it a
                    # way into newsroom-report-export (planted, PS010).
                    stmt("Allow", "sts:AssumeRole", "*", sid="ExportToolAccess"),
                ),
            )
        ],
        tags=tags,
    )
    contributor_role = acct.role(
        "newsroom-contributors-group-role",
        trust,
        "2024-01-15T10:30:06+00:00",
        inline=[
            (
                "newsroom-contributor",
                doc(
                    stmt(
                        "Allow",
                        ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                        f"{c}/drafts/{SUB}/*",
                        sid="OwnDrafts",
                    ),
                    stmt("Allow", "s3:GetObject", f"{c}/published/*", sid="ReadPublished"),
                ),
            )
        ],
        tags=tags,
    )
    reviewer_role = acct.role(
        "newsroom-reviewers-group-role",
        trust,
        "2024-01-15T10:30:08+00:00",
        inline=[
            (
                "newsroom-reviewer",
                doc(
                    stmt("Allow", "s3:GetObject", [f"{c}/drafts/*", f"{c}/published/*"], sid="ReadAllDrafts"),
                    stmt("Allow", "s3:PutObject", f"{c}/comments/*", sid="WriteReviewComments"),
                ),
            )
        ],
        tags=tags,
    )
    acct.role(
        "newsroom-report-export",
        {
            "Version": V,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
        "2024-02-01T09:00:00+00:00",
        inline=[
            (
                "read-subscriber-exports",
                doc(
                    stmt("Allow", "s3:GetObject", f"{e}/exports/*", sid="ReadExports"),
                    stmt("Allow", "s3:ListBucket", e, sid="ListExports"),
                ),
            )
        ],
        tags=tags,
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
        "newsroom-custom-message-role",
        service_trust("lambda.amazonaws.com"),
        "2024-01-15T10:31:40+00:00",
        path="/service-role/",
        managed=[basic_exec],
        tags=tags,
    )

    provider = f"cognito-idp.{REGION}.amazonaws.com/{up}"
    identity_pool = {
        "IdentityPoolId": pool_id,
        "IdentityPoolName": "newsroom_cms",
        "AllowUnauthenticatedIdentities": False,
        "AllowClassicFlow": False,
        "SupportedLoginProviders": {},
        "CognitoIdentityProviders": [
            {"ProviderName": provider, "ClientId": client, "ServerSideTokenCheck": False}
        ],
        "OpenIdConnectProviderARNs": [],
        "SamlProviderARNs": [],
        "IdentityPoolTags": {},
    }
    roles = {
        "IdentityPoolId": pool_id,
        "Roles": {"authenticated": default_role},
        "RoleMappings": {
            f"{provider}:{client}": {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"}
        },
    }
    user_pool = {
        "UserPool": {
            "Id": up,
            "Name": "newsroom-staff",
            "Policies": {
                "PasswordPolicy": {
                    "MinimumLength": 12,
                    "RequireUppercase": True,
                    "RequireLowercase": True,
                    "RequireNumbers": True,
                    "RequireSymbols": True,
                    "TemporaryPasswordValidityDays": 3,
                }
            },
            "DeletionProtection": "ACTIVE",
            "LambdaConfig": {
                "CustomMessage": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:newsroom-custom-message"
            },
            "LastModifiedDate": "2024-02-01T09:12:05.660000+00:00",
            "CreationDate": "2024-01-15T10:28:31.145000+00:00",
            "SchemaAttributes": standard_schema(required=("email", "name")),
            "AutoVerifiedAttributes": ["email"],
            "UsernameAttributes": ["email"],
            "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE"},
            "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]},
            "MfaConfiguration": "ON",
            "EstimatedNumberOfUsers": 214,
            "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
            "UserPoolTags": {},
            # Staff accounts are invited; nobody can sign up.
            "AdminCreateUserConfig": {
                "AllowAdminCreateUserOnly": True,
                "UnusedAccountValidityDays": 3,
                "InviteMessageTemplate": {
                    "EmailMessage": "Your newsroom account is {username}, temporary password {####}",
                    "EmailSubject": "Welcome to the newsroom CMS",
                },
            },
            "UsernameConfiguration": {"CaseSensitive": False},
            "Arn": up_arn,
            "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
            "UserPoolTier": "ESSENTIALS",
        }
    }
    client_doc = {
        "UserPoolClient": {
            "UserPoolId": up,
            "ClientName": "newsroom-cms-web",
            "ClientId": client,
            "LastModifiedDate": "2024-01-15T10:29:10.201000+00:00",
            "CreationDate": "2024-01-15T10:29:10.201000+00:00",
            "RefreshTokenValidity": 1,
            "AccessTokenValidity": 1,
            "IdTokenValidity": 1,
            "TokenValidityUnits": {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"},
            "ReadAttributes": STANDARD_READABLE,
            "WriteAttributes": ["family_name", "given_name", "locale", "name", "picture", "zoneinfo"],
            "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
            "AllowedOAuthFlowsUserPoolClient": False,
            "PreventUserExistenceErrors": "ENABLED",
            "EnableTokenRevocation": True,
            "EnablePropagateAdditionalUserContextData": False,
            "AuthSessionValidity": 3,
        }
    }

    def group(name, desc, role=None, precedence=None, created="2024-01-15T10:35:00.000000+00:00"):
        g = {"GroupName": name, "UserPoolId": up, "Description": desc}
        if role:
            g["RoleArn"] = role
        if precedence is not None:
            g["Precedence"] = precedence
        g["LastModifiedDate"] = created
        g["CreationDate"] = created
        return g

    groups = {
        "Groups": [
            group("admins", "Newsroom platform administrators", admin_role, 0, "2024-01-15T10:35:01.118000+00:00"),
            group("editors", "Section editors: edit and publish", editor_role, 10,
                  "2024-01-15T10:35:03.502000+00:00"),
            group("contributors", "Reporters and freelancers: own drafts", contributor_role, 20,
                  "2024-01-15T10:35:05.947000+00:00"),
            group("reviewers", "Legal and fact-check reviewers", reviewer_role, 20,
                  "2024-01-15T10:35:08.310000+00:00"),
            group("beta-testers", "Feature flag audience, no AWS role", None, None,
                  "2024-03-04T16:20:44.731000+00:00"),
        ]
    }
    bp = bucket_policy(
        exports,
        doc(
            stmt(
                "Deny",
                "s3:*",
                [e, f"{e}/*"],
                {"ArnNotEquals": {"aws:PrincipalArn": export_role_arn}},
                sid="OnlyTheExportRole",
                principal="*",
            ),
            stmt(
                "Deny",
                "s3:*",
                [e, f"{e}/*"],
                {"Bool": {"aws:SecureTransport": "false"}},
                sid="TlsOnly",
                principal="*",
            ),
        ),
    )
    write_case(
        "token-groups",
        {
            "iam.json": acct.details(),
            "identity-pool.json": identity_pool,
            "identity-pool-roles.json": roles,
            "user-pool.json": user_pool,
            "user-pool-client.json": client_doc,
            "groups.json": groups,
            f"bucket-policy.{exports}.json": bp,
        },
    )
    return {"pool_id": pool_id, "client": client}
