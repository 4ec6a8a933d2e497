"""Case dynamodb-per-user: per-identity DynamoDB items, Google sign-in and guests."""

from lib import *

ACCOUNT = "444455556666"
REGION = "eu-west-1"


def build():
    ids = Ids("dynamodb-per-user")
    acct = Account(ACCOUNT, ids)
    pool_id = f"{REGION}:{ids.guid()}"
    google_client = "431902845617-9s3k7q2m5n8p1r4t6v0x3z5b7d9f2h4j.apps.googleusercontent.com"
    t = lambda name: f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"
    profiles, notes, ann, devices = (
        "notekeeper-UserProfiles",
        "notekeeper-Notes",
        "notekeeper-Announcements",
        "notekeeper-DeviceSettings",
    )
    own = {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [SUB]}}

    per_user = acct.managed_policy(
        "notekeeper-per-user-data",
        [
            (
                "v1",
                # The prototype's policy, kept as a non-default version.
                doc(stmt("Allow", "dynamodb:*", t("notekeeper-*"), sid="PrototypeAppData")),
                False,
                "2022-11-03T10:22:17+00:00",
            ),
            (
                "v2",
                doc(
                    stmt(
                        "Allow",
                        [
                            "dynamodb:GetItem",
                            "dynamodb:BatchGetItem",
                            "dynamodb:Query",
                            "dynamodb:PutItem",
                            "dynamodb:UpdateItem",
                            "dynamodb:DeleteItem",
                        ],
                        [t(profiles)],
                        own,
                        sid="ProfileOwnerAccess",
                    ),
                    stmt(
                        "Allow",
                        [
                            "dynamodb:GetItem",
                            "dynamodb:BatchGetItem",
                            "dynamodb:Query",
                            "dynamodb:PutItem",
                            "dynamodb:UpdateItem",
                            "dynamodb:DeleteItem",
                            "dynamodb:BatchWriteItem",
                        ],
                        [t(notes), t(notes) + "/index/*"],
                        # The planted mistake: ForAnyValue instead of ForAllValues.
                        {"ForAnyValue:StringEquals": {"dynamodb:LeadingKeys": [SUB]}},
                        sid="NotesOwnerAccess",
                    ),
                ),
                True,
                "2023-02-20T14:05:33+00:00",
            ),
        ],
        "2022-11-03T10:22:17+00:00",
        "2023-02-20T14:05:33+00:00",
        description="Per-identity access to the notekeeper tables",
    )
    ann_read = acct.managed_policy(
        "notekeeper-announcements-read",
        [
            (
                "v1",
                doc(
                    stmt(
                        "Allow",
                        ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan"],
                        [t(ann), t(ann) + "/index/*"],
                        sid="ReadAnnouncements",
                    )
                ),
                True,
                "2022-11-03T10:22:18+00:00",
            )
        ],
        "2022-11-03T10:22:18+00:00",
    )
    device_settings = (
        "device-settings-own-item",
        doc(
            stmt(
                "Allow",
                ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
                [t(devices)],
                own,
                sid="DeviceSettingsOwnItem",
            )
        ),
    )
    auth_role = acct.role(
        "notekeeper-cognito-authenticated",
        cognito_trust(pool_id, "authenticated"),
        "2022-11-03T10:22:20+00:00",
        inline=[device_settings],
        managed=[per_user, ann_read],
        tags=[("app", "notekeeper"), ("env", "prod")],
        last_used={"LastUsedDate": "2024-04-28T21:40:09+00:00", "Region": REGION},
    )
    guest_role = acct.role(
        "notekeeper-cognito-guest",
        cognito_trust(pool_id, "unauthenticated"),
        "2022-11-03T10:22:21+00:00",
        inline=[device_settings],
        managed=[ann_read],
        tags=[("app", "notekeeper"), ("env", "prod")],
        last_used={"LastUsedDate": "2024-04-28T21:38:52+00:00", "Region": REGION},
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
        "notekeeper-notes-stream-indexer",
        service_trust("lambda.amazonaws.com"),
        "2023-02-20T14:10:48+00:00",
        path="/service-role/",
        inline=[
            (
                "notes-stream-read",
                doc(
                    stmt(
                        "Allow",
                        [
                            "dynamodb:DescribeStream",
                            "dynamodb:GetRecords",
                            "dynamodb:GetShardIterator",
                            "dynamodb:ListStreams",
                        ],
                        t(notes) + "/stream/*",
                    ),
                    stmt("Allow", ["dynamodb:UpdateItem"], t(profiles), sid="UpdateNoteCounters"),
                ),
            )
        ],
        managed=[basic_exec],
        tags=[("app", "notekeeper"), ("env", "prod")],
    )

    identity_pool = {
        "IdentityPoolId": pool_id,
        "IdentityPoolName": "notekeeper_prod",
        "AllowUnauthenticatedIdentities": True,
        "AllowClassicFlow": False,
        "SupportedLoginProviders": {"accounts.google.com": google_client},
        "IdentityPoolTags": {"app": "notekeeper", "env": "prod"},
    }
    roles = {"IdentityPoolId": pool_id, "Roles": {"authenticated": auth_role, "unauthenticated": guest_role}}
    write_case(
        "dynamodb-per-user",
        {"iam.json": acct.details(), "identity-pool.json": identity_pool, "identity-pool-roles.json": roles},
    )
    return {"pool_id": pool_id}
