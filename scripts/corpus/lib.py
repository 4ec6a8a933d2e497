"""Helpers that build AWS CLI output shapes for the poolscope corpus."""

import json
import os
import random
import string

V = "2012-10-17"
SUB = "${cognito-identity.amazonaws.com:sub}"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "corpus")


class Ids:
    """Deterministic fake identifiers for one case."""

    def __init__(self, seed):
        self.r = random.Random(seed)
        self.seen = set()

    def _unique(self, make):
        while True:
            v = make()
            if v not in self.seen:
                self.seen.add(v)
                return v

    def iam(self, prefix):
        # IAM unique ids: 4-letter prefix + 17 upper-case letters and digits.
        alphabet = string.ascii_uppercase + "234567"
        return self._unique(lambda: prefix + "".join(self.r.choice(alphabet) for _ in range(17)))

    def guid(self):
        h = "0123456789abcdef"
        parts = [8, 4, 4, 4, 12]

        def make():
            s = "-".join("".join(self.r.choice(h) for _ in range(n)) for n in parts)
            # version-4 shape
            s = s[:14] + "4" + s[15:19] + self.r.choice("89ab") + s[20:]
            return s

        return self._unique(make)

    def client_id(self):
        alphabet = string.ascii_lowercase + string.digits
        return self._unique(lambda: "".join(self.r.choice(alphabet) for _ in range(26)))


def stmt(effect, action, resource, condition=None, sid=None, principal=None):
    s = {}
    if sid is not None:
        s["Sid"] = sid
    s["Effect"] = effect
    if principal is not None:
        s["Principal"] = principal
    s["Action"] = action
    s["Resource"] = resource
    if condition:
        s["Condition"] = condition
    return s


def doc(*statements):
    return {"Version": V, "Statement": list(statements)}


def cognito_trust(pool_ids, amr, aud=True, tag_session=False, sid=None):
    """The documented identity-pool trust policy (Cognito Developer Guide,
    "Role trust and permissions"), with knobs for the planted variants."""
    cond = {}
    if aud:
        cond["StringEquals"] = {"cognito-identity.amazonaws.com:aud": pool_ids}
    cond["ForAnyValue:StringLike"] = {"cognito-identity.amazonaws.com:amr": amr}
    action = ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"] if tag_session else "sts:AssumeRoleWithWebIdentity"
    s = {}
    if sid is not None:
        s["Sid"] = sid
    s.update(
        {
            "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": action,
            "Condition": cond,
        }
    )
    return {"Version": V, "Statement": [s]}


def service_trust(service, condition=None):
    s = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    if condition:
        s["Condition"] = condition
    return {"Version": V, "Statement": [s]}


class Account:
    """Collects roles and managed policies for one get-account-authorization-details."""

    def __init__(self, account_id, ids):
        self.account = account_id
        self.ids = ids
        self.roles = []
        self.policies = []

    def role_arn(self, name, path="/"):
        return f"arn:aws:iam::{self.account}:role{path}{name}"

    def policy_arn(self, name, path="/"):
        return f"arn:aws:iam::{self.account}:policy{path}{name}"

    def managed_policy(self, name, versions, create, update=None, path="/", description=None, arn=None,
                       policy_id=None):
        """versions: list of (version_id, document, is_default, create_date)."""
        p = {
            "PolicyName": name,
            "PolicyId": policy_id or self.ids.iam("ANPA"),
            "Arn": arn or self.policy_arn(name, path),
            "Path": path,
            "DefaultVersionId": next(v for v, _, d, _ in versions if d),
            "AttachmentCount": 0,
            "PermissionsBoundaryUsageCount": 0,
            "IsAttachable": True,
        }
        if description:
            p["Description"] = description
        p["CreateDate"] = create
        p["UpdateDate"] = update or create
        p["PolicyVersionList"] = [
            {"Document": d, "VersionId": v, "IsDefaultVersion": dflt, "CreateDate": c}
            for v, d, dflt, c in versions
        ]
        self.policies.append(p)
        return p["Arn"]

    def aws_managed(self, name, policy_id, path, document, version, create, update):
        return self.managed_policy(
            name,
            [(version, document, True, update)],
            create,
            update,
            path=path,
            arn=f"arn:aws:iam::aws:policy{path}{name}",
            policy_id=policy_id,
        )

    def role(self, name, trust, create, inline=(), managed=(), path="/", boundary=None, tags=None,
             last_used=None):
        r = {
            "Path": path,
            "RoleName": name,
            "RoleId": self.ids.iam("AROA"),
            "Arn": self.role_arn(name, path),
            "CreateDate": create,
            "AssumeRolePolicyDocument": trust,
            "InstanceProfileList": [],
            "RolePolicyList": [{"PolicyName": n, "PolicyDocument": d} for n, d in inline],
            "AttachedManagedPolicies": [],
        }
        for arn in managed:
            p = self._policy(arn)
            p["AttachmentCount"] += 1
            r["AttachedManagedPolicies"].append({"PolicyName": p["PolicyName"], "PolicyArn": arn})
        if boundary:
            p = self._policy(boundary)
            p["PermissionsBoundaryUsageCount"] += 1
            r["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
        if tags:
            r["Tags"] = [{"Key": k, "Value": v} for k, v in tags]
        r["RoleLastUsed"] = last_used or {}
        self.roles.append(r)
        return r["Arn"]

    def _policy(self, arn):
        for p in self.policies:
            if p["Arn"] == arn:
                return p
        raise KeyError(arn)

    def details(self):
        return {
            "UserDetailList": [],
            "GroupDetailList": [],
            "RoleDetailList": self.roles,
            "Policies": self.policies,
            "IsTruncated": False,
        }


# Standard user pool attributes as DescribeUserPool reports them.
def standard_schema(required=("email",)):
    def s(name, mutable=True, maxlen="2048", minlen="0"):
        return {
            "Name": name,
            "AttributeDataType": "String",
            "DeveloperOnlyAttribute": False,
            "Mutable": mutable,
            "Required": name in required,
            "StringAttributeConstraints": {"MinLength": minlen, "MaxLength": maxlen},
        }

    def b(name):
        return {
            "Name": name,
            "AttributeDataType": "Boolean",
            "DeveloperOnlyAttribute": False,
            "Mutable": True,
            "Required": False,
        }

    out = [
        {
            "Name": "sub",
            "AttributeDataType": "String",
            "DeveloperOnlyAttribute": False,
            "Mutable": False,
            "Required": True,
            "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "2048"},
        }
    ]
    for n in ["name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
              "profile", "picture", "website", "email"]:
        out.append(s(n))
    out.append(b("email_verified"))
    for n in ["gender"]:
        out.append(s(n))
    out.append(s("birthdate", maxlen="10", minlen="10"))
    for n in ["zoneinfo", "locale", "phone_number"]:
        out.append(s(n))
    out.append(b("phone_number_verified"))
    out.append(s("address"))
    out.append(
        {
            "Name": "updated_at",
            "AttributeDataType": "Number",
            "DeveloperOnlyAttribute": False,
            "Mutable": True,
            "Required": False,
            "NumberAttributeConstraints": {"MinValue": "0"},
        }
    )
    out.append(
        {
            "Name": "identities",
            "AttributeDataType": "String",
            "DeveloperOnlyAttribute": False,
            "Mutable": True,
            "Required": False,
            "StringAttributeConstraints": {},
        }
    )
    return out


def custom_attr(name, mutable=True, maxlen="256", minlen="1", dtype="String"):
    a = {
        "Name": f"custom:{name}",
        "AttributeDataType": dtype,
        "DeveloperOnlyAttribute": False,
        "Mutable": mutable,
        "Required": False,
    }
    if dtype == "String":
        a["StringAttributeConstraints"] = {"MinLength": minlen, "MaxLength": maxlen}
    return a


STANDARD_WRITABLE = ["address", "birthdate", "email", "family_name", "gender", "given_name", "locale",
                     "middle_name", "name", "nickname", "phone_number", "picture", "preferred_username",
                     "profile", "updated_at", "website", "zoneinfo"]
STANDARD_READABLE = sorted(STANDARD_WRITABLE + ["email_verified", "phone_number_verified"])


def write_case(case, files):
    d = os.path.join(OUT, case)
    os.makedirs(d, exist_ok=True)
    for name, content in files.items():
        with open(os.path.join(d, name), "w") as f:
            json.dump(content, f, indent=4, ensure_ascii=False)
            f.write("\n")


def bucket_policy(bucket, document):
    # `aws s3api get-bucket-policy` returns the policy as a string; PRODUCT.md
    # asks for the bucket name beside it.
    return {"Bucket": bucket, "Policy": json.dumps(document, separators=(",", ":"))}
