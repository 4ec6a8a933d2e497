"""Writes the infrastructure-as-code forms of corpus cases.

`python3 iac.py` (from this folder) writes
- corpus/rules-on-groups-cfn/corp-portal.yaml (CloudFormation YAML, short-form tags)
- corpus/rules-on-groups-cfn-json/corp-portal.json (the same template, JSON long form)
- corpus/classic-flow-cfn-yaml/arcade.yaml (corpus/classic-flow-cfn/arcade.json as YAML)

Terraform plans are written by tfplan.py. The READMEs are written by hand.
"""
import json
import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "corpus")


def ref(name):
    return {"Ref": name}


def getatt(resource, attribute):
    return {"Fn::GetAtt": [resource, attribute]}


def sub(text):
    return {"Fn::Sub": text}


# ---- a YAML writer with CloudFormation's short-form tags -----------------

SHORT = {
    "Ref": "!Ref",
    "Fn::Sub": "!Sub",
    "Fn::Join": "!Join",
    "Fn::If": "!If",
    "Fn::Equals": "!Equals",
    "Fn::Not": "!Not",
    "Fn::And": "!And",
    "Fn::Or": "!Or",
    "Fn::Select": "!Select",
    "Fn::Split": "!Split",
    "Fn::FindInMap": "!FindInMap",
    "Fn::ImportValue": "!ImportValue",
    "Fn::GetAtt": "!GetAtt",
}

PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_.:/@*-]*$")
RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def scalar(value):
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return str(value)
    if PLAIN.match(value) and value.lower() not in RESERVED:
        return value
    return "'" + value.replace("'", "''") + "'"


def intrinsic(value):
    """(tag, argument) for a one-key intrinsic object, else None."""
    if isinstance(value, dict) and len(value) == 1:
        (key, arg), = value.items()
        if key in SHORT:
            if key == "Fn::GetAtt" and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
                return SHORT[key], ".".join(arg)
            return SHORT[key], arg
    return None


def flow(value):
    """A value on one line: scalars, short intrinsics, lists of those."""
    tagged = intrinsic(value)
    if tagged:
        tag, arg = tagged
        inner = flow(arg)
        return None if inner is None else f"{tag} {inner}"
    if isinstance(value, list):
        items = [flow(v) for v in value]
        if None in items:
            return None
        text = "[" + ", ".join(items) + "]"
        return text if len(text) <= 90 else None
    if isinstance(value, dict):
        return "{}" if not value else None
    return scalar(value)


def block(value, indent):
    """Lines of a value written below its key (or list dash)."""
    pad = "  " * indent
    tagged = intrinsic(value)
    if tagged:
        tag, arg = tagged
        return [f"{pad}{tag}"] + block(arg, indent)
    lines = []
    if isinstance(value, dict):
        for key, item in value.items():
            one = flow(item)
            if one is not None:
                lines.append(f"{pad}{scalar(key)}: {one}")
                continue
            tagged = intrinsic(item)
            if tagged:
                tag, arg = tagged
                lines.append(f"{pad}{scalar(key)}: {tag}")
                lines += block(arg, indent + 1)
            else:
                lines.append(f"{pad}{scalar(key)}:")
                lines += block(item, indent + 1)
    elif isinstance(value, list):
        for item in value:
            one = flow(item)
            if one is not None:
                lines.append(f"{pad}- {one}")
                continue
            inner = block(item, indent + 1)
            first = inner[0].lstrip()
            lines.append(f"{pad}- {first}")
            lines += inner[1:]
    else:
        lines.append(f"{pad}{scalar(value)}")
    return lines


def to_yaml(doc, header):
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    for key, value in doc.items():
        one = flow(value)
        if one is not None:
            lines.append(f"{scalar(key)}: {one}")
        else:
            lines.append("")
            lines.append(f"{scalar(key)}:")
            lines += block(value, 1)
    return "\n".join(lines) + "\n"


def write(path, text):
    path = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


# ---- rules-on-groups as one stack ----------------------------------------

def trusting_pool():
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"cognito-identity.amazonaws.com:aud": ref("IdentityPool")},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
            },
        }],
    }


def content(*prefixes):
    return [sub("arn:${AWS::Partition}:s3:::${ContentBucket}/" + p + "/*") for p in prefixes]


TABLE = sub("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TicketsTable}")
INDEXES = sub("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TicketsTable}/index/*")
OWN_TICKETS = {
    "Sid": "OwnTickets",
    "Effect": "Allow",
    "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
    "Resource": TABLE,
    "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${cognito-identity.amazonaws.com:sub}"]}},
}
ALL_TICKETS = {
    "Sid": "SupportAllTickets",
    "Effect": "Allow",
    "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem"],
    "Resource": [TABLE, INDEXES],
}


def app_role(name, policy, statements):
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "RoleName": name,
            "AssumeRolePolicyDocument": trusting_pool(),
            "PermissionsBoundary": ref("AppBoundary"),
            "Policies": [{"PolicyName": policy, "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}],
        },
    }


def rules_on_groups():
    writable = ["address", "birthdate", "custom:company", "custom:tier", "email", "family_name",
                "gender", "given_name", "locale", "middle_name", "name", "nickname", "phone_number",
                "picture", "preferred_username", "profile", "updated_at", "website", "zoneinfo"]
    readable = sorted(writable + ["email_verified", "phone_number_verified"])
    rules = [
        ("cognito:groups", "Contains", "admin", "AdminRole"),
        ("custom:tier", "Equals", "premium", "PremiumRole"),
        ("email", "Contains", "example-corp.com", "StaffRole"),
        ("email", "Contains", "@eu.example-corp.com", "StaffEuRole"),
    ]
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "corp-portal: a customer and staff portal; the identity pool picks the role with Rules over ID-token claims",
        "Parameters": {
            "ContentBucket": {"Type": "String", "Default": "corp-portal-content-222233334444"},
            "TicketsTable": {"Type": "String", "Default": "corp-portal-tickets"},
        },
        "Resources": {
            "AppBoundary": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {
                    "ManagedPolicyName": "corp-portal-app-boundary",
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                        "Sid": "AppServicesOnly", "Effect": "Allow",
                        "Action": ["s3:*", "dynamodb:*", "cognito-idp:*", "logs:*"], "Resource": "*"}]},
                },
            },
            "UserPool": {
                "Type": "AWS::Cognito::UserPool",
                "Properties": {
                    "UserPoolName": "corp-portal-users",
                    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False},
                    "AutoVerifiedAttributes": ["email"],
                    "UsernameAttributes": ["email"],
                    "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": []},
                    "Schema": [
                        {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True},
                        {"Name": "tier", "AttributeDataType": "String", "Mutable": True},
                        {"Name": "company", "AttributeDataType": "String", "Mutable": True},
                    ],
                },
            },
            "WebClient": {
                "Type": "AWS::Cognito::UserPoolClient",
                "Properties": {
                    "UserPoolId": ref("UserPool"),
                    "ClientName": "corp-portal-web",
                    "GenerateSecret": False,
                    "ReadAttributes": readable,
                    "WriteAttributes": writable,
                },
            },
            **{
                logical: {
                    "Type": "AWS::Cognito::UserPoolGroup",
                    "Properties": {"UserPoolId": ref("UserPool"), "GroupName": name,
                                   "Description": description, "Precedence": precedence},
                }
                for logical, name, description, precedence in [
                    ("AdminGroup", "admin", "Portal administrators", 1),
                    ("BillingAdminsGroup", "billing-admins", "Finance team: invoices and refunds in the billing console", 5),
                    ("EditorsGroup", "editors", "Content editors", 10),
                ]
            },
            "IdentityPool": {
                "Type": "AWS::Cognito::IdentityPool",
                "Properties": {
                    "IdentityPoolName": "corp_portal",
                    "AllowUnauthenticatedIdentities": False,
                    "AllowClassicFlow": False,
                    "CognitoIdentityProviders": [{
                        "ProviderName": getatt("UserPool", "ProviderName"),
                        "ClientId": ref("WebClient"),
                        "ServerSideTokenCheck": True,
                    }],
                    "IdentityPoolTags": [{"Key": "project", "Value": "corp-portal"}],
                },
            },
            "RoleAttachment": {
                "Type": "AWS::Cognito::IdentityPoolRoleAttachment",
                "Properties": {
                    "IdentityPoolId": ref("IdentityPool"),
                    "Roles": {"authenticated": getatt("AuthenticatedRole", "Arn")},
                    "RoleMappings": {
                        "web": {
                            "IdentityProvider": {"Fn::Join": [":", [getatt("UserPool", "ProviderName"), ref("WebClient")]]},
                            "Type": "Rules",
                            "AmbiguousRoleResolution": "AuthenticatedRole",
                            "RulesConfiguration": {"Rules": [
                                {"Claim": claim, "MatchType": match, "Value": value, "RoleARN": getatt(role, "Arn")}
                                for claim, match, value, role in rules
                            ]},
                        },
                    },
                },
            },
            "AuthenticatedRole": app_role("corp-portal-authenticated", "portal-customer", [
                {"Sid": "PublicContentRead", "Effect": "Allow", "Action": "s3:GetObject", "Resource": content("public")[0]},
                OWN_TICKETS,
            ]),
            "PremiumRole": app_role("corp-portal-premium", "portal-premium", [
                {"Sid": "PremiumContentRead", "Effect": "Allow", "Action": "s3:GetObject", "Resource": content("public", "premium")},
                OWN_TICKETS,
            ]),
            "StaffRole": app_role("corp-portal-staff", "portal-staff", [
                {"Sid": "InternalDocsRead", "Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": content("public", "premium", "internal")},
                ALL_TICKETS,
            ]),
            "StaffEuRole": app_role("corp-portal-staff-eu", "portal-staff-eu", [
                {"Sid": "InternalEuDocsRead", "Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": content("public", "premium", "internal", "internal-eu")},
                ALL_TICKETS,
            ]),
            "AdminRole": app_role("corp-portal-admin", "portal-admin", [
                {"Sid": "ContentAdmin", "Effect": "Allow", "Action": "s3:*",
                 "Resource": [sub("arn:${AWS::Partition}:s3:::${ContentBucket}"), sub("arn:${AWS::Partition}:s3:::${ContentBucket}/*")]},
                {"Sid": "TicketsAdmin", "Effect": "Allow", "Action": "dynamodb:*", "Resource": [TABLE, INDEXES]},
                {"Sid": "UserAdmin", "Effect": "Allow",
                 "Action": ["cognito-idp:AdminAddUserToGroup", "cognito-idp:AdminRemoveUserFromGroup",
                            "cognito-idp:AdminUpdateUserAttributes", "cognito-idp:AdminDisableUser", "cognito-idp:ListUsers"],
                 "Resource": getatt("UserPool", "Arn")},
                {"Sid": "PassAppRoles", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
            ]),
            "BillingWebhookRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": "corp-portal-billing-webhook",
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                    "PermissionsBoundary": ref("AppBoundary"),
                    "ManagedPolicyArns": [sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")],
                    "Policies": [{"PolicyName": "set-tier", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                        "Sid": "SetCustomerTier", "Effect": "Allow", "Action": "cognito-idp:AdminUpdateUserAttributes",
                        "Resource": getatt("UserPool", "Arn")}]}}],
                },
            },
        },
        "Outputs": {
            "IdentityPoolId": {"Value": ref("IdentityPool")},
            "UserPoolId": {"Value": ref("UserPool")},
        },
    }


def main():
    template = rules_on_groups()
    header = ("corpus/rules-on-groups as one CloudFormation stack (written by scripts/corpus/iac.py).\n"
              "The planted problems of rules-on-groups are all here.")
    write("rules-on-groups-cfn/corp-portal.yaml", to_yaml(template, header))
    write("rules-on-groups-cfn-json/corp-portal.json", json.dumps(template, indent=2) + "\n")
    with open(os.path.join(ROOT, "classic-flow-cfn", "arcade.json")) as f:
        arcade = json.load(f)
    header = ("corpus/classic-flow-cfn/arcade.json written as YAML with short-form tags\n"
              "(by scripts/corpus/iac.py): the same template.")
    write("classic-flow-cfn-yaml/arcade.yaml", to_yaml(arcade, header))


if __name__ == "__main__":
    main()
