"""Writes the Terraform forms of corpus cases (`terraform show -json` shapes).

`python3 tfplan.py` (from this folder) writes
- corpus/rules-on-groups-tf/terraform.tfstate.json: rules-on-groups as a state;
- corpus/rules-on-groups-tf-plan/plan.json: the same configuration planned from
  nothing (every id and ARN known only after apply);
- corpus/classic-flow-tf/terraform.tfstate.json and
  corpus/classic-flow-tf-plan/plan.json: classic-flow as a state, and planned
  from nothing;
- corpus/amplify-storage-tf-plan/plan.json: corpus/amplify-storage-tf's state
  planned again with one change (a new policy resource), as CI runs
  `terraform plan` on an existing stack.

A plan holds `planned_values` (what is known), `resource_changes[].change.after_unknown`
(what is not) and `configuration` (each attribute's references), as Terraform's
"JSON Output Format" describes. The READMEs are written by hand.
"""
import copy
import json
import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "corpus")
ACCOUNT = "222233334444"
POOL = "us-east-1_Kr4nG7pLw"
CLIENT = "5gyg5ql2su88dymbb115e48v1m"
IDENTITY_POOL = "us-east-1:88eb3156-e0c3-4098-8069-c9529654f2ae"


def write(path, doc):
    path = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def compact(doc):
    return json.dumps(doc, separators=(",", ":"))


def resource(address, values):
    kind, name = address.split(".")[-2:]
    return {"address": address, "mode": "managed", "type": kind, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
            "values": values, "sensitive_values": {}}


# ---- rules-on-groups ------------------------------------------------------

def rules_snapshot():
    here = os.path.join(ROOT, "rules-on-groups")
    with open(os.path.join(here, "iam.json")) as f:
        iam = json.load(f)
    with open(os.path.join(here, "identity-pool-roles.json")) as f:
        mapping = json.load(f)["RoleMappings"]
    return iam, mapping


ROLE_ADDRESS = {
    "corp-portal-authenticated": "aws_iam_role.authenticated",
    "corp-portal-premium": "aws_iam_role.premium",
    "corp-portal-staff": "aws_iam_role.staff",
    "corp-portal-staff-eu": "aws_iam_role.staff_eu",
    "corp-portal-admin": "aws_iam_role.admin",
    "corp-portal-billing-webhook": "aws_iam_role.billing_webhook",
}


def rules_state():
    iam, mappings = rules_snapshot()
    resources = []
    boundary = next(p for p in iam["Policies"] if p["PolicyName"] == "corp-portal-app-boundary")
    document = next(v["Document"] for v in boundary["PolicyVersionList"] if v["IsDefaultVersion"])
    resources.append(resource("aws_iam_policy.boundary", {
        "arn": boundary["Arn"], "id": boundary["Arn"], "name": boundary["PolicyName"], "path": "/",
        "description": "", "policy": compact(document), "policy_id": "ANPAEXAMPLEBOUNDARY01", "tags": {},
    }))
    for role in iam["RoleDetailList"]:
        resources.append(resource(ROLE_ADDRESS[role["RoleName"]], {
            "arn": role["Arn"], "id": role["RoleName"], "name": role["RoleName"], "path": "/",
            "assume_role_policy": compact(role["AssumeRolePolicyDocument"]),
            "inline_policy": [{"name": p["PolicyName"], "policy": compact(p["PolicyDocument"])}
                              for p in role.get("RolePolicyList", [])],
            "managed_policy_arns": [p["PolicyArn"] for p in role.get("AttachedManagedPolicies", [])],
            "permissions_boundary": role["PermissionsBoundary"]["PermissionsBoundaryArn"],
            "max_session_duration": 3600, "force_detach_policies": False, "unique_id": role["RoleId"],
            "tags": {},
        }))
    writable = ["address", "birthdate", "custom:company", "custom:tier", "email", "family_name",
                "gender", "given_name", "locale", "middle_name", "name", "nickname", "phone_number",
                "picture", "preferred_username", "profile", "updated_at", "website", "zoneinfo"]
    readable = sorted(writable + ["email_verified", "phone_number_verified"])

    def schema(name, required):
        return {"name": name, "attribute_data_type": "String", "mutable": True, "required": required,
                "developer_only_attribute": False, "number_attribute_constraints": [],
                "string_attribute_constraints": []}

    resources.append(resource("aws_cognito_user_pool.main", {
        "id": POOL, "arn": f"arn:aws:cognito-idp:us-east-1:{ACCOUNT}:userpool/{POOL}",
        "endpoint": f"cognito-idp.us-east-1.amazonaws.com/{POOL}", "name": "corp-portal-users",
        "admin_create_user_config": [{"allow_admin_create_user_only": False, "invite_message_template": []}],
        "auto_verified_attributes": ["email"], "username_attributes": ["email"], "alias_attributes": None,
        "user_attribute_update_settings": [{"attributes_require_verification_before_update": []}],
        "schema": [schema("email", True), schema("tier", False), schema("company", False)],
        "lambda_config": [], "mfa_configuration": "OFF",
    }))
    resources.append(resource("aws_cognito_user_pool_client.web", {
        "id": CLIENT, "user_pool_id": POOL, "name": "corp-portal-web", "generate_secret": None,
        "read_attributes": readable, "write_attributes": writable,
        "explicit_auth_flows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
    }))
    for address, name, description, precedence in [
        ("aws_cognito_user_group.admin", "admin", "Portal administrators", 1),
        ("aws_cognito_user_group.billing_admins", "billing-admins",
         "Finance team: invoices and refunds in the billing console", 5),
        ("aws_cognito_user_group.editors", "editors", "Content editors", 10),
    ]:
        resources.append(resource(address, {
            "id": f"{POOL}/{name}", "name": name, "user_pool_id": POOL, "description": description,
            "precedence": precedence, "role_arn": None,
        }))
    resources.append(resource("aws_cognito_identity_pool.main", {
        "id": IDENTITY_POOL, "arn": f"arn:aws:cognito-identity:us-east-1:{ACCOUNT}:identitypool/{IDENTITY_POOL}",
        "identity_pool_name": "corp_portal", "allow_unauthenticated_identities": False,
        "allow_classic_flow": False, "developer_provider_name": "",
        "cognito_identity_providers": [{"client_id": CLIENT, "provider_name": f"cognito-idp.us-east-1.amazonaws.com/{POOL}",
                                        "server_side_token_check": True}],
        "openid_connect_provider_arns": [], "saml_provider_arns": [], "supported_login_providers": {},
        "tags": {"project": "corp-portal"}, "tags_all": {"project": "corp-portal"},
    }))
    (provider, mapping), = mappings.items()
    resources.append(resource("aws_cognito_identity_pool_roles_attachment.main", {
        "id": IDENTITY_POOL, "identity_pool_id": IDENTITY_POOL,
        "roles": {"authenticated": f"arn:aws:iam::{ACCOUNT}:role/corp-portal-authenticated"},
        "role_mapping": [{
            "identity_provider": provider, "type": mapping["Type"],
            "ambiguous_role_resolution": mapping["AmbiguousRoleResolution"],
            "mapping_rule": [{"claim": r["Claim"], "match_type": r["MatchType"], "value": r["Value"],
                              "role_arn": r["RoleARN"]} for r in mapping["RulesConfiguration"]["Rules"]],
        }],
    }))
    return {"format_version": "1.0", "terraform_version": "1.9.8",
            "values": {"root_module": {"resources": resources}}}


def ref(*targets):
    """An expression with these references, as Terraform lists them: each
    attribute reference followed by its resource."""
    out = []
    for target in targets:
        out.append(target)
        out.append(target.rsplit(".", 1)[0])
    return {"references": out}


# Which attributes of each resource a plan from nothing knows only after
# apply, and what the configuration writes for them.
RULE_ROLES = ["aws_iam_role.admin.arn", "aws_iam_role.premium.arn", "aws_iam_role.staff.arn",
              "aws_iam_role.staff_eu.arn"]


def rules_unknowns(address, values):
    kind = address.split(".")[0]
    unknown, expressions = {}, {}
    if kind == "aws_iam_policy":
        unknown = {"arn": True, "id": True, "policy_id": True, "tags_all": True}
    elif kind == "aws_iam_role":
        unknown = {"arn": True, "id": True, "unique_id": True, "create_date": True, "tags_all": True,
                   "assume_role_policy": True}
        expressions["assume_role_policy"] = ref("aws_cognito_identity_pool.main.id")
        expressions["permissions_boundary"] = ref("aws_iam_policy.boundary.arn")
        if address in ("aws_iam_role.admin", "aws_iam_role.billing_webhook"):
            # their policies name the user pool's ARN
            unknown["inline_policy"] = [{"policy": True}]
            expressions["inline_policy"] = [{"policy": ref("aws_cognito_user_pool.main.arn")}]
        unknown["permissions_boundary"] = True
    elif kind == "aws_cognito_user_pool":
        unknown = {"id": True, "arn": True, "endpoint": True, "creation_date": True}
    elif kind == "aws_cognito_user_pool_client":
        unknown = {"id": True, "user_pool_id": True}
        expressions["user_pool_id"] = ref("aws_cognito_user_pool.main.id")
    elif kind == "aws_cognito_user_group":
        unknown = {"id": True, "user_pool_id": True}
        expressions["user_pool_id"] = ref("aws_cognito_user_pool.main.id")
    elif kind == "aws_cognito_identity_pool":
        unknown = {"id": True, "arn": True,
                   "cognito_identity_providers": [{"client_id": True, "provider_name": True}]}
        expressions["cognito_identity_providers"] = [{
            "client_id": ref("aws_cognito_user_pool_client.web.id"),
            "provider_name": ref("aws_cognito_user_pool.main.endpoint"),
        }]
    elif kind == "aws_cognito_identity_pool_roles_attachment":
        unknown = {"id": True, "identity_pool_id": True, "roles": {"authenticated": True},
                   "role_mapping": [{"identity_provider": True,
                                     "mapping_rule": [{"role_arn": True} for _ in RULE_ROLES]}]}
        expressions["identity_pool_id"] = ref("aws_cognito_identity_pool.main.id")
        expressions["roles"] = ref("aws_iam_role.authenticated.arn")
        expressions["role_mapping"] = [{
            "identity_provider": ref("aws_cognito_user_pool.main.endpoint",
                                     "aws_cognito_user_pool_client.web.id"),
            "mapping_rule": [{"role_arn": ref(target)} for target in RULE_ROLES],
        }]
    return unknown, expressions


def strip(values, unknown):
    """The planned values: what `after_unknown` marks is left out."""
    if unknown is True:
        return None
    if isinstance(unknown, dict) and isinstance(values, dict):
        out = {}
        for key, value in values.items():
            if key in unknown:
                kept = strip(value, unknown[key])
                if kept is not None:
                    out[key] = kept
            else:
                out[key] = value
        return out
    if isinstance(unknown, list) and isinstance(values, list):
        return [strip(v, unknown[i]) if i < len(unknown) else v for i, v in enumerate(values)]
    return values


def plan_from(state, unknowns, actions, extra_config=None):
    """A plan whose planned values are the state's without what `unknowns`
    says is known only after apply."""
    planned = copy.deepcopy(state["values"])
    changes = []
    config = {}

    def module(mod, prefix):
        resources = []
        for r in mod.get("resources", []):
            unknown, expressions = unknowns(r["address"], r["values"])
            planned_values = strip(r["values"], unknown)
            changes.append({
                "address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
                "provider_name": r["provider_name"],
                "change": {"actions": actions(r["address"]),
                           "before": None if actions(r["address"]) == ["create"] else r["values"],
                           "after": planned_values, "after_unknown": unknown,
                           "before_sensitive": False if actions(r["address"]) == ["create"] else {},
                           "after_sensitive": {}},
            })
            r["values"] = planned_values
            local = r["address"].split(".", 2)[-2:] if r["address"].startswith("module.") else None
            resources.append({"address": ".".join(local) if local else r["address"], "mode": "managed",
                              "type": r["type"], "name": r["name"], "provider_config_key": "aws",
                              "expressions": expressions, "schema_version": 0})
        calls = {}
        for child in mod.get("child_modules", []):
            name = child["address"].split(".", 1)[1]
            calls[name] = {"source": f"./modules/{name}", "module": module(child, child["address"] + ".")}
        out = {"resources": resources}
        if calls:
            out["module_calls"] = calls
        return out

    root = module(planned["root_module"], "")
    if extra_config:
        extra_config(root)
    return {
        "format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": planned,
        "resource_changes": changes,
        "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                                                       "expressions": {"region": {"constant_value": "us-east-1"}}}},
                          "root_module": root},
        "timestamp": "2024-11-29T12:00:00Z",
        "applyable": True, "complete": True, "errored": False,
    }


# ---- amplify-storage: planned again with one new policy -------------------

def amplify_plan():
    with open(os.path.join(ROOT, "amplify-storage-tf", "terraform.tfstate.json")) as f:
        state = json.load(f)
    storage = next(c for c in state["values"]["root_module"]["child_modules"]
                   if c["address"] == "module.storage")
    bucket = "photosharestorage3f2a9c1b142233-dev"
    # A new policy: the authenticated role may list its own private folder.
    new = resource("module.storage.aws_iam_role_policy.auth_list_private", {
        "id": None, "name": "list_private_3f2a9c1b", "name_prefix": None,
        "role": "amplify-photoshare-dev-142233-authRole",
        "policy": compact({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [f"arn:aws:s3:::{bucket}"],
            "Condition": {"StringLike": {"s3:prefix": ["private/${cognito-identity.amazonaws.com:sub}/*"]}}}]}),
    })
    storage["resources"].append(new)

    def unknowns(address, values):
        if address == new["address"]:
            return {"id": True}, {}
        return {}, {}

    def actions(address):
        return ["create"] if address == new["address"] else ["no-op"]

    return plan_from(state, unknowns, actions)


# ---- classic-flow ---------------------------------------------------------

CLASSIC_POOL = "us-east-1:3bb5c709-342a-4e29-b143-af5db2a5146c"


def classic_state():
    here = os.path.join(ROOT, "classic-flow")
    with open(os.path.join(here, "iam.json")) as f:
        iam = json.load(f)
    with open(os.path.join(here, "identity-pool.json")) as f:
        pool = json.load(f)
    with open(os.path.join(here, "identity-pool-roles.json")) as f:
        roles = json.load(f)["Roles"]
    resources = []
    for role in iam["RoleDetailList"]:
        address = "aws_iam_role." + re.sub(r"[^a-z0-9]+", "_", role["RoleName"].lower()).strip("_")
        resources.append(resource(address, {
            "arn": role["Arn"], "id": role["RoleName"], "name": role["RoleName"], "path": role.get("Path", "/"),
            "assume_role_policy": compact(role["AssumeRolePolicyDocument"]),
            "inline_policy": [{"name": p["PolicyName"], "policy": compact(p["PolicyDocument"])}
                              for p in role.get("RolePolicyList", [])],
            "managed_policy_arns": [p["PolicyArn"] for p in role.get("AttachedManagedPolicies", [])],
            "permissions_boundary": None, "max_session_duration": 3600, "force_detach_policies": False,
            "unique_id": role["RoleId"], "tags": {},
        }))
    resources.append(resource("aws_cognito_identity_pool.main", {
        "id": pool["IdentityPoolId"],
        "arn": f"arn:aws:cognito-identity:us-east-1:555566667777:identitypool/{pool['IdentityPoolId']}",
        "identity_pool_name": pool["IdentityPoolName"],
        "allow_unauthenticated_identities": pool["AllowUnauthenticatedIdentities"],
        "allow_classic_flow": pool["AllowClassicFlow"], "developer_provider_name": "",
        "cognito_identity_providers": [], "openid_connect_provider_arns": [], "saml_provider_arns": [],
        "supported_login_providers": pool["SupportedLoginProviders"],
        "tags": pool["IdentityPoolTags"], "tags_all": pool["IdentityPoolTags"],
    }))
    resources.append(resource("aws_cognito_identity_pool_roles_attachment.main", {
        "id": pool["IdentityPoolId"], "identity_pool_id": pool["IdentityPoolId"], "roles": roles,
        "role_mapping": [],
    }))
    return {"format_version": "1.0", "terraform_version": "1.9.8",
            "values": {"root_module": {"resources": resources}}}


def classic_unknowns(address, values):
    kind = address.split(".")[0]
    if kind == "aws_iam_role":
        unknown = {"arn": True, "id": True, "unique_id": True, "create_date": True, "tags_all": True}
        expressions = {"inline_policy": [{} for _ in values["inline_policy"]]}
        if "cognito-identity.amazonaws.com:aud" in values["assume_role_policy"]:
            # the trust names the identity pool's id
            unknown["assume_role_policy"] = True
            expressions["assume_role_policy"] = ref("aws_cognito_identity_pool.main.id")
        if values["managed_policy_arns"]:
            expressions["managed_policy_arns"] = {"constant_value": values["managed_policy_arns"]}
        return unknown, expressions
    if kind == "aws_cognito_identity_pool":
        return {"id": True, "arn": True}, {}
    return ({"id": True, "identity_pool_id": True,
             "roles": {"authenticated": True, "unauthenticated": True}},
            {"identity_pool_id": ref("aws_cognito_identity_pool.main.id"),
             "roles": ref("aws_iam_role.cognito_arcadeleaderboardauth_role.arn",
                          "aws_iam_role.cognito_arcadeleaderboardunauth_role.arn")})


def main():
    state = rules_state()
    write("rules-on-groups-tf/terraform.tfstate.json", state)
    write("rules-on-groups-tf-plan/plan.json",
          plan_from(copy.deepcopy(state), rules_unknowns, lambda _: ["create"]))
    write("amplify-storage-tf-plan/plan.json", amplify_plan())
    state = classic_state()
    write("classic-flow-tf/terraform.tfstate.json", state)
    write("classic-flow-tf-plan/plan.json",
          plan_from(copy.deepcopy(state), classic_unknowns, lambda _: ["create"]))


if __name__ == "__main__":
    main()
