import json
import c1_amplify, c2_dynamodb, c3_rules, c4_token, c5_classic, c6_abac, c7_guest
out = {}
for m in [c1_amplify, c2_dynamodb, c3_rules, c4_token, c5_classic, c6_abac, c7_guest]:
    out[m.__name__] = m.build()
print(json.dumps(out, indent=2))
