"""Case rules-on-groups: Rules role mapping over user pool claims."""

from lib import *

ACCOUNT = "222233334444"
REGION = "us-east-1"


def build():
    ids = Ids("rules-on-groups")
    acct = Account(ACCOUNT, ids)
    pool_id = f"{REGION}:{ids.guid()}"
    up = "us-east-1_Kr4nG7pLw"
    client = ids.client_id()
    up_arn = f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{up}"
    bucket = f"corp-portal-content-{ACCOUNT}"
    b = f"arn:aws:s3:::{bucket}"
    tickets = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/corp-portal-tickets"
    trust = cognito_trust(pool_id, "authenticated")
    tags = [("project", "corp-portal")]

    boundary = acct.managed_policy(
        "corp-portal-app-boundary",
        [
            (
                "v1",
                doc(
                    stmt(
                        "Allow",
                        ["s3:*", "dynamodb:*", "cognito-idp:*", "logs:*"],
                        "*",
                        sid="AppServicesOnly",
                    )
                ),
                True,
                "2023-05-08T12:00:03+00:00",
            )
        ],
        "2023-05-08T12:00:03+00:00",
        description="Permissions boundary for every corp-portal role",
    )
    own_tickets = stmt(
        "Allow",
        ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
        tickets,
        {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [SUB]}},
        sid="OwnTickets",
    )
    default_role = acct.role(
        "corp-portal-authenticated",
        trust,
        "2023-05-08T12:01:10+00:00",
        inline=[
            (
                "portal-customer",
                doc(stmt("Allow", "s3:GetObject", f"{b}/public/*", sid="PublicContentRead"), own_tickets),
            )
        ],
        boundary=boundary,
        tags=tags,
        last_used={"LastUsedDate": "2024-05-06T09:12:44+00:00", "Region": REGION},
    )
    premium_role = acct.role(
        "corp-portal-premium",
        trust,
        "2023-05-08T12:01:12+00:00",
        inline=[
            (
                "portal-premium",
                doc(
                    stmt("Allow", "s3:GetObject", [f"{b}/public/*", f"{b}/premium/*"], sid="PremiumContentRead"),
                    own_tickets,
                ),
            )
        ],
        boundary=boundary,
        tags=tags,
    )
    staff_read_all = stmt(
        "Allow",
        ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem"],
        [tickets, tickets + "/index/*"],
        sid="SupportAllTickets",
    )
    staff_role = acct.role(
        "corp-portal-staff",
        trust,
        "2023-05-08T12:01:14+00:00",
        inline=[
            (
                "portal-staff",
                doc(
                    stmt(
                        "Allow",
                        "s3:GetObject",
                        [f"{b}/public/*", f"{b}/premium/*", f"{b}/internal/*"],
                        sid="InternalDocsRead",
                    ),
                    staff_read_all,
                ),
            )
        ],
        boundary=boundary,
        tags=tags,
    )
    staff_eu_role = acct.role(
        "corp-portal-staff-eu",
        trust,
        "2023-08-21T15:44:09+00:00",
        inline=[
            (
                "portal-staff-eu",
                doc(
                    stmt(
                        "Allow",
                        "s3:GetObject",
                        [f"{b}/public/*", f"{b}/premium/*", f"{b}/internal/*", f"{b}/internal-eu/*"],
                        sid="InternalEuDocsRead",
                    ),
                    staff_read_all,
                ),
            )
        ],
        boundary=boundary,
        tags=tags,
    )
    admin_role = acct.role(
        "corp-portal-admin",
        trust,
        "2023-05-08T12:01:16+00:00",
        inline=[
            (
                "portal-admin",
                doc(
                    stmt("Allow", "s3:*", [b, f"{b}/*"], sid="ContentAdmin"),
                    stmt("Allow", "dynamodb:*", [tickets, tickets + "/index/*"], sid="TicketsAdmin"),
                    stmt(
                        "Allow",
                        [
                            "cognito-idp:AdminAddUserToGroup",
                            "cognito-idp:AdminRemoveUserFromGroup",
                            "cognito-idp:AdminUpdateUserAttributes",
                            "cognito-idp:AdminDisableUser",
                            "cognito-idp:ListUsers",
                        ],
                        up_arn,
                        sid="UserAdmin",
                    ),
                    # Outside the boundary: never effective.
                    stmt("Allow", "iam:PassRole", "*", sid="PassAppRoles"),
                ),
            )
        ],
        boundary=boundary,
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
        "corp-portal-billing-webhook",
        service_trust("lambda.amazonaws.com"),
        "2023-05-08T12:02:30+00:00",
        inline=[
            (
                "set-tier",
                doc(stmt("Allow", "cognito-idp:AdminUpdateUserAttributes", up_arn, sid="SetCustomerTier")),
            )
        ],
        managed=[basic_exec],
        boundary=boundary,
        tags=tags,
    )

    provider = f"cognito-idp.{REGION}.amazonaws.com/{up}"
    identity_pool = {
        "IdentityPoolId": pool_id,
        "IdentityPoolName": "corp_portal",
        "AllowUnauthenticatedIdentities": False,
        "AllowClassicFlow": False,
        "CognitoIdentityProviders": [
            {"ProviderName": provider, "ClientId": client, "ServerSideTokenCheck": True}
        ],
        "IdentityPoolTags": {"project": "corp-portal"},
    }
    roles = {
        "IdentityPoolId": pool_id,
        "Roles": {"authenticated": default_role},
        "RoleMappings": {
            f"{provider}:{client}": {
                "Type": "Rules",
                "AmbiguousRoleResolution": "AuthenticatedRole",
                "RulesConfiguration": {
                    "Rules": [
                        {"Claim": "cognito:groups", "MatchType": "Contains", "Value": "admin", "RoleARN": admin_role},
                        {"Claim": "custom:tier", "MatchType": "Equals", "Value": "premium", "RoleARN": premium_role},
                        {
                            "Claim": "email",
                            "MatchType": "Contains",
                            "Value": "example-corp.com",
                            "RoleARN": staff_role,
                        },
                        {
                            "Claim": "email",
                            "MatchType": "Contains",
                            "Value": "@eu.example-corp.com",
                            "RoleARN": staff_eu_role,
                        },
                    ]
                },
            }
        },
    }
    schema = standard_schema(required=("email",)) + [
        custom_attr("tier", maxlen="32"),
        custom_attr("company", maxlen="128"),
    ]
    user_pool = {
        "UserPool": {
            "Id": up,
            "Name": "corp-portal-users",
            "Policies": {
                "PasswordPolicy": {
                    "MinimumLength": 10,
                    "RequireUppercase": True,
                    "RequireLowercase": True,
                    "RequireNumbers": True,
                    "RequireSymbols": False,
                    "TemporaryPasswordValidityDays": 7,
                }
            },
            "DeletionProtection": "ACTIVE",
            "LambdaConfig": {},
            "LastModifiedDate": "2023-08-21T15:40:12.771000+00:00",
            "CreationDate": "2023-05-08T11:58:47.093000+00:00",
            "SchemaAttributes": schema,
            "AutoVerifiedAttributes": ["email"],
            "UsernameAttributes": ["email"],
            "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE"},
            # No attribute needs verification before an update takes effect:
            # a changed email is live at once, with email_verified false.
            "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": []},
            "MfaConfiguration": "OFF",
            "EstimatedNumberOfUsers": 12874,
            "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
            "UserPoolTags": {"project": "corp-portal"},
            "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False, "UnusedAccountValidityDays": 7},
            "UsernameConfiguration": {"CaseSensitive": False},
            "Arn": up_arn,
            "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
            "UserPoolTier": "ESSENTIALS",
        }
    }
    client_doc = {
        "UserPoolClient": {
            "UserPoolId": up,
            "ClientName": "corp-portal-web",
            "ClientId": client,
            "LastModifiedDate": "2023-08-21T15:41:30.552000+00:00",
            "CreationDate": "2023-05-08T11:59:20.310000+00:00",
            "RefreshTokenValidity": 30,
            "AccessTokenValidity": 60,
            "IdTokenValidity": 60,
            "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
            "ReadAttributes": sorted(STANDARD_READABLE + ["custom:company", "custom:tier"]),
            # custom:tier is writable so the sign-up form can set "free";
            # that is the planted self-service escalation.
            "WriteAttributes": sorted(STANDARD_WRITABLE + ["custom:company", "custom:tier"]),
            "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
            "AllowedOAuthFlowsUserPoolClient": False,
            "PreventUserExistenceErrors": "ENABLED",
            "EnableTokenRevocation": True,
            "EnablePropagateAdditionalUserContextData": False,
            "AuthSessionValidity": 3,
        }
    }
    groups = {
        "Groups": [
            {
                "GroupName": "admin",
                "UserPoolId": up,
                "Description": "Portal administrators",
                "Precedence": 1,
                "LastModifiedDate": "2023-05-08T12:05:10.412000+00:00",
                "CreationDate": "2023-05-08T12:05:10.412000+00:00",
            },
            {
                "GroupName": "billing-admins",
                "UserPoolId": up,
                "Description": "Finance team: invoices and refunds in the billing console",
                "Precedence": 5,
                "LastModifiedDate": "2023-10-02T08:31:57.008000+00:00",
                "CreationDate": "2023-10-02T08:31:57.008000+00:00",
            },
            {
                "GroupName": "editors",
                "UserPoolId": up,
                "Description": "Content editors",
                "Precedence": 10,
                "LastModifiedDate": "2023-05-08T12:05:44.930000+00:00",
                "CreationDate": "2023-05-08T12:05:44.930000+00:00",
            },
        ]
    }
    write_case(
        "rules-on-groups",
        {
            "iam.json": acct.details(),
            "identity-pool.json": identity_pool,
            "identity-pool-roles.json": roles,
            "user-pool.json": user_pool,
            "user-pool-client.json": client_doc,
            "groups.json": groups,
        },
    )
    return {"pool_id": pool_id, "client": client}
