"""Case guest-overreach: per-identity S3 folders with guest access gone wrong."""

from lib import *

ACCOUNT = "777788889999"
REGION = "eu-west-1"


def build():
    ids = Ids("guest-overreach")
    acct = Account(ACCOUNT, ids)
    pool_id = f"{REGION}:{ids.guid()}"
    bucket = f"fieldnotes-user-content-{ACCOUNT}"
    b = f"arn:aws:s3:::{bucket}"
    app = "cognito/fieldnotes"
    own = f"{b}/{app}/{SUB}"
    tags = [("app", "fieldnotes")]

    # The IAM User Guide example "Amazon S3: Allows Amazon Cognito users to
    # access objects in their bucket", for both roles.
    per_identity = [
        stmt(
            "Allow",
            "s3:ListBucket",
            b,
            {"StringLike": {"s3:prefix": [f"{app}/"]}},
            sid="ListYourObjects",
        ),
        stmt(
            "Allow",
            ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            [own, f"{own}/*"],
            sid="ReadWriteYourObjects",
        ),
    ]
    auth = acct.role(
        "fieldnotes-identity-authenticated",
        # amr condition dropped when the trust was "simplified" (planted, PS004).
        {
            "Version": V,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": pool_id}},
                }
            ],
        },
        "2022-04-19T07:51:30+00:00",
        inline=[
            ("fieldnotes-user-files", doc(*per_identity)),
            (
                "fieldnotes-share-links",
                doc(
                    stmt(
                        "Allow",
                        ["s3:PutObject", "s3:DeleteObject"],
                        f"{b}/shared-links/{SUB}/*",
                        sid="PublishShareLinks",
                    )
                ),
            ),
        ],
        tags=tags,
        last_used={"LastUsedDate": "2024-05-05T12:30:02+00:00", "Region": REGION},
    )
    guest = acct.role(
        "fieldnotes-identity-guest",
        cognito_trust(pool_id, "unauthenticated"),
        "2022-04-19T07:51:31+00:00",
        inline=[
            ("fieldnotes-user-files", doc(*per_identity)),
            (
                "fieldnotes-thumbnails",
                # Meant for the app's own thumbnails; the prefix misses the
                # identity id, so guests read every folder (planted, PS001).
                doc(stmt("Allow", "s3:GetObject", f"{b}/{app}/*", sid="ReadThumbnails")),
            ),
            (
                "fieldnotes-contact-form",
                # Any guest may send mail as the app's domain (planted, PS009).
                doc(stmt("Allow", ["ses:SendEmail", "ses:SendRawEmail"], "*", sid="ContactForm")),
            ),
        ],
        tags=tags,
        last_used={"LastUsedDate": "2024-05-05T12:29:47+00:00", "Region": REGION},
    )

    identity_pool = {
        "IdentityPoolId": pool_id,
        "IdentityPoolName": "fieldnotes",
        "AllowUnauthenticatedIdentities": True,
        "AllowClassicFlow": False,
        "SupportedLoginProviders": {"appleid.apple.com": "com.example.fieldnotes"},
        "IdentityPoolTags": {"app": "fieldnotes"},
    }
    roles = {"IdentityPoolId": pool_id, "Roles": {"authenticated": auth, "unauthenticated": guest}}
    bp = bucket_policy(
        bucket,
        doc(
            # Share links are meant to be public (PS012 reports it; intended here).
            stmt(
                "Allow",
                "s3:GetObject",
                f"{b}/shared-links/*",
                sid="PublicShareLinks",
                principal="*",
            )
        ),
    )
    write_case(
        "guest-overreach",
        {
            "iam.json": acct.details(),
            "identity-pool.json": identity_pool,
            "identity-pool-roles.json": roles,
            f"bucket-policy.{bucket}.json": bp,
        },
    )
    return {"pool_id": pool_id}
