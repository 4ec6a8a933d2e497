import os
import json, os, re, sys, glob
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "corpus")
bad = []
ARN = re.compile(r'arn:aws:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:[^"\s]*')
for case in sorted(os.listdir(root)):
    d = os.path.join(root, case)
    if not os.path.isdir(d): continue
    files = {}
    for f in sorted(glob.glob(d + "/*.json")):
        with open(f) as fh: files[os.path.basename(f)] = json.load(fh)
    iam = files["iam.json"]
    role_arns = {r["Arn"] for r in iam["RoleDetailList"]}
    pol_arns = {p["Arn"] for p in iam["Policies"]}
    names = [r["RoleName"] for r in iam["RoleDetailList"]]
    assert len(names) == len(set(names)), case
    allids = [r["RoleId"] for r in iam["RoleDetailList"]] + [p["PolicyId"] for p in iam["Policies"]]
    assert len(allids) == len(set(allids))
    for r in iam["RoleDetailList"]:
        assert re.fullmatch(r"AROA[A-Z2-7]{17}", r["RoleId"]), r["RoleId"]
        for m in r["AttachedManagedPolicies"]:
            if m["PolicyArn"] not in pol_arns: bad.append((case, "managed", m["PolicyArn"]))
        if "PermissionsBoundary" in r and r["PermissionsBoundary"]["PermissionsBoundaryArn"] not in pol_arns:
            bad.append((case, "boundary"))
    for p in iam["Policies"]:
        assert sum(v["IsDefaultVersion"] for v in p["PolicyVersionList"]) == 1
        assert any(v["VersionId"] == p["DefaultVersionId"] and v["IsDefaultVersion"] for v in p["PolicyVersionList"])
        att = sum(1 for r in iam["RoleDetailList"] for m in r["AttachedManagedPolicies"] if m["PolicyArn"] == p["Arn"])
        assert att == p["AttachmentCount"], (case, p["PolicyName"])
    ip = files["identity-pool.json"]; pid = ip["IdentityPoolId"]
    assert re.fullmatch(r"[a-z]{2}-[a-z]+-\d:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", pid), pid
    region = pid.split(":")[0]
    ipr = files["identity-pool-roles.json"]
    assert ipr["IdentityPoolId"] == pid
    refs = list(ipr["Roles"].values())
    providers = {f'{p["ProviderName"]}:{p["ClientId"]}' for p in ip.get("CognitoIdentityProviders", [])}
    for key, m in ipr.get("RoleMappings", {}).items():
        if key not in providers and key not in ip.get("SupportedLoginProviders", {}): bad.append((case, "mapping key", key))
        for rule in m.get("RulesConfiguration", {}).get("Rules", []): refs.append(rule["RoleARN"])
    if "groups.json" in files:
        for g in files["groups.json"]["Groups"]:
            if "RoleArn" in g: refs.append(g["RoleArn"])
    for ref in refs:
        if ref not in role_arns: bad.append((case, "role ref", ref))
    # aud values
    text = json.dumps(files)
    for aud in re.findall(r'cognito-identity\.amazonaws\.com:aud": "([^"]+)"', text):
        if aud != pid: bad.append((case, "aud", aud))
    accounts = set()
    for a in ARN.finditer(text):
        accounts.add(a.group(1))
    # regions in ARNs
    regs = set(re.findall(r'arn:aws:(?:dynamodb|lambda|logs|secretsmanager|cognito-idp):([a-z0-9-]+):', text))
    if regs - {region}: bad.append((case, "regions", regs))
    up = files.get("user-pool.json")
    if up:
        upid = up["UserPool"]["Id"]
        assert re.fullmatch(region + r"_[A-Za-z0-9]{9}", upid), upid
        assert up["UserPool"]["Arn"].endswith("userpool/" + upid)
        for fn, c in files.items():
            if fn.startswith("user-pool-client"):
                cl = c["UserPoolClient"]
                assert cl["UserPoolId"] == upid
                assert re.fullmatch(r"[a-z0-9]{26}", cl["ClientId"])
                assert f"cognito-idp.{region}.amazonaws.com/{upid}:{cl['ClientId']}" in providers, (case, fn)
                schema = {a["Name"] for a in up["UserPool"]["SchemaAttributes"]}
                for a in cl.get("WriteAttributes", []) + cl.get("ReadAttributes", []):
                    if a not in schema: bad.append((case, "attr", a))
        for p in providers:
            assert p.startswith(f"cognito-idp.{region}.amazonaws.com/{upid}:"), p
        for g in files.get("groups.json", {"Groups": []})["Groups"]:
            assert g["UserPoolId"] == upid
        sns = up["UserPool"].get("SmsConfiguration", {}).get("SnsCallerArn")
        if sns and sns not in role_arns: bad.append((case, "sns"))
    for fn, c in files.items():
        if fn.startswith("bucket-policy."):
            assert fn == f"bucket-policy.{c['Bucket']}.json"
            pol = json.loads(c["Policy"])
            for s in pol["Statement"]:
                for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"]):
                    assert r.startswith(f"arn:aws:s3:::{c['Bucket']}"), r
    if "principal-tags.json" in files:
        pt = files["principal-tags.json"]
        assert pt["IdentityPoolId"] == pid
        assert any(p.startswith(pt["IdentityProviderName"] + ":") for p in providers)
    print(case, "accounts:", sorted(a for a in accounts if a), "roles:", len(role_arns), "policies:", len(pol_arns))
print("PROBLEMS:", bad)
