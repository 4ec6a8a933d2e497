"""Case classic-flow: AllowClassicFlow on, Facebook login and guests."""

from lib import *

ACCOUNT = "555566667777"
REGION = "us-east-1"


def build():
    ids = Ids("classic-flow")
    acct = Account(ACCOUNT, ids)
    pool_id = f"{REGION}:{ids.guid()}"
    fb_app = "1842937561029384"
    ddb = lambda name: f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"
    assets = f"arcade-game-assets-{ACCOUNT}"
    a = f"arn:aws:s3:::{assets}"
    secret = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:arcade/leaderboard-api-key-Qm7xT2"
    fn = lambda name: f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
    tags = [("game", "arcade")]

    unauth = acct.role(
        "Cognito_ArcadeLeaderboardUnauth_Role",
        cognito_trust(pool_id, "unauthenticated"),
        "2019-06-11T19:44:03+00:00",
        inline=[
            (
                "oneClick_Cognito_ArcadeLeaderboardUnauth_Role_1560282243117",
                doc(stmt("Allow", ["mobileanalytics:PutEvents", "cognito-sync:*"], ["*"])),
            ),
            (
                "leaderboard-read",
                doc(
                    stmt(
                        "Allow",
                        ["dynamodb:GetItem", "dynamodb:Query"],
                        [ddb("arcade-leaderboard"), ddb("arcade-leaderboard") + "/index/*"],
                        sid="ReadLeaderboard",
                    )
                ),
            ),
            (
                "leaderboard-api-key",
                # Secrets Manager is outside the enhanced-flow guest scope-down;
                # the team turned classic flow on so this call would work.
                doc(stmt("Allow", "secretsmanager:GetSecretValue", secret, sid="FetchLeaderboardApiKey")),
            ),
        ],
        tags=tags,
        last_used={"LastUsedDate": "2024-05-07T02:14:55+00:00", "Region": REGION},
    )
    auth = acct.role(
        "Cognito_ArcadeLeaderboardAuth_Role",
        cognito_trust(pool_id, "authenticated"),
        "2019-06-11T19:44:03+00:00",
        inline=[
            (
                "oneClick_Cognito_ArcadeLeaderboardAuth_Role_1560282243117",
                doc(
                    stmt(
                        "Allow",
                        ["mobileanalytics:PutEvents", "cognito-sync:*", "cognito-identity:*"],
                        ["*"],
                    )
                ),
            ),
            (
                "player-data",
                doc(
                    stmt(
                        "Allow",
                        ["dynamodb:GetItem", "dynamodb:Query"],
                        [ddb("arcade-leaderboard"), ddb("arcade-leaderboard") + "/index/*"],
                        sid="ReadLeaderboard",
                    ),
                    stmt(
                        "Allow",
                        ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
                        ddb("arcade-player-scores"),
                        {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [SUB]}},
                        sid="OwnScores",
                    ),
                    stmt("Allow", ["s3:GetObject", "s3:PutObject"], f"{a}/avatars/{SUB}/*", sid="OwnAvatar"),
                    stmt("Allow", "s3:GetObject", f"{a}/avatars/*", sid="SeeAvatars"),
                ),
            ),
        ],
        tags=tags,
        last_used={"LastUsedDate": "2024-05-07T02:16:31+00:00", "Region": REGION},
    )
    acct.role(
        "ArcadeLiveOpsAdminRole",
        # Copied from the authenticated role: any signed-in player's token
        # satisfies it. No mapping names this role; only classic flow reaches it.
        cognito_trust(pool_id, "authenticated"),
        "2021-03-02T13:07:26+00:00",
        inline=[
            (
                "liveops-admin",
                doc(
                    stmt("Allow", "dynamodb:*", ddb("arcade-*"), sid="GameTables"),
                    stmt("Allow", "s3:*", [a, f"{a}/*"], sid="GameAssets"),
                    stmt(
                        "Allow",
                        ["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:InvokeFunction"],
                        fn("arcade-*"),
                        sid="GameFunctions",
                    ),
                    stmt(
                        "Allow",
                        ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
                        f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:arcade/*",
                        sid="GameSecrets",
                    ),
                ),
            )
        ],
        tags=tags + [("purpose", "liveops console, staff only")],
    )
    acct.role(
        "Cognito_ArcadeV1Auth_Role",
        # Left over from version 1 of the game: amr pinned, aud never was.
        cognito_trust(None, "authenticated", aud=False),
        "2017-08-23T22:10:51+00:00",
        inline=[
            (
                "v1-cloud-saves",
                doc(stmt("Allow", ["s3:GetObject", "s3:PutObject"], f"{a}/saves/*", sid="CloudSaves")),
            )
        ],
        tags=tags,
        last_used={"LastUsedDate": "2023-12-30T11:02:17+00:00", "Region": REGION},
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
        "arcade-score-validator-role",
        service_trust("lambda.amazonaws.com"),
        "2019-06-12T08:01:19+00:00",
        path="/service-role/",
        inline=[
            (
                "score-validator",
                doc(
                    stmt(
                        "Allow",
                        [
                            "dynamodb:DescribeStream",
                            "dynamodb:GetRecords",
                            "dynamodb:GetShardIterator",
                            "dynamodb:ListStreams",
                        ],
                        ddb("arcade-player-scores") + "/stream/*",
                    ),
                    stmt("Allow", ["dynamodb:PutItem", "dynamodb:UpdateItem"], ddb("arcade-leaderboard")),
                ),
            )
        ],
        managed=[basic_exec],
        tags=tags,
    )

    identity_pool = {
        "IdentityPoolId": pool_id,
        "IdentityPoolName": "ArcadeLeaderboard",
        "AllowUnauthenticatedIdentities": True,
        "AllowClassicFlow": True,
        "SupportedLoginProviders": {"graph.facebook.com": fb_app},
        "IdentityPoolTags": {"game": "arcade"},
    }
    roles = {"IdentityPoolId": pool_id, "Roles": {"authenticated": auth, "unauthenticated": unauth}}
    write_case(
        "classic-flow",
        {"iam.json": acct.details(), "identity-pool.json": identity_pool, "identity-pool-roles.json": roles},
    )
    return {"pool_id": pool_id}
