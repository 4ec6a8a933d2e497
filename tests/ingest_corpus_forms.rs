//! Every corpus app in every input form gives the snapshot's verdicts: each
//! fact the snapshot case's README states is asked again of the same app
//! written as a CloudFormation template (JSON, YAML, nested stacks) or a
//! Terraform state or plan, and must get the same verdict. Where a form
//! cannot know what the snapshot knows (a plan's values known only after
//! apply), the difference is listed here with the reason, and may only go
//! from `impossible` to `possible`, never the reverse.

use std::path::PathBuf;

use poolscope::commands::query::query;
use poolscope::reach::Verdict;

#[path = "../benches/support/facts.rs"]
mod facts;

use facts::{args_of, facts};

/// One app in another form.
struct Form {
    snapshot: &'static str,
    form: &'static str,
    params: &'static [&'static str],
    /// Ids the form names differently (AWS generates them).
    renamed: &'static [(&'static str, &'static str)],
    /// Facts (a part of the command line) whose verdict the form may
    /// widen to `possible`, and why.
    widened: &'static [(&'static str, &'static str)],
}

const FORMS: &[Form] = &[
    Form {
        snapshot: "public-website-bucket-block",
        form: "public-website-bucket-block-cfn",
        params: &["AWS::AccountId=888899990000"],
        renamed: &[],
        widened: &[],
    },
    Form {
        snapshot: "public-website-account-block",
        form: "public-website-account-block-tf",
        params: &[],
        renamed: &[],
        widened: &[],
    },
    Form {
        snapshot: "rules-on-groups",
        form: "rules-on-groups-cfn",
        params: &["AWS::AccountId=222233334444"],
        renamed: &[(
            "us-east-1_Kr4nG7pLw",
            "us-east-1_corp-portal-UserPool-generated",
        )],
        widened: &[],
    },
    Form {
        snapshot: "rules-on-groups",
        form: "rules-on-groups-cfn-json",
        params: &["AWS::AccountId=222233334444"],
        renamed: &[(
            "us-east-1_Kr4nG7pLw",
            "us-east-1_corp-portal-UserPool-generated",
        )],
        widened: &[],
    },
    Form {
        snapshot: "classic-flow",
        form: "classic-flow-cfn-yaml",
        params: &["AWS::AccountId=555566667777"],
        renamed: &[],
        widened: &[],
    },
    Form {
        snapshot: "classic-flow",
        form: "classic-flow-cfn",
        params: &["AWS::AccountId=555566667777"],
        renamed: &[],
        widened: &[],
    },
    Form {
        snapshot: "amplify-storage",
        form: "amplify-storage-cfn",
        params: &["AWS::AccountId=111122223333"],
        renamed: &[],
        widened: &[],
    },
    Form {
        snapshot: "amplify-storage",
        form: "amplify-storage-nested",
        params: &[
            "AWS::AccountId=111122223333",
            "AWS::StackName=amplify-photoshare-dev-142233",
        ],
        renamed: &[],
        // The roles' trust is written by Amplify's custom resource, so it
        // is unknown: identities of other pools of the account are not
        // ruled out by an `aud` condition poolscope cannot see.
        widened: &[("--as external", "trust policy unknown (custom resource)")],
    },
    Form {
        snapshot: "rules-on-groups",
        form: "rules-on-groups-tf",
        params: &[],
        renamed: &[],
        widened: &[],
    },
    Form {
        snapshot: "rules-on-groups",
        form: "rules-on-groups-tf-plan",
        params: &["AWS::AccountId=222233334444"],
        renamed: &[(
            "us-east-1_Kr4nG7pLw",
            "us-east-1_aws_cognito_user_pool.main-generated",
        )],
        widened: &[],
    },
    Form {
        snapshot: "classic-flow",
        form: "classic-flow-tf",
        params: &[],
        renamed: &[],
        widened: &[],
    },
    Form {
        snapshot: "classic-flow",
        form: "classic-flow-tf-plan",
        params: &["AWS::AccountId=555566667777"],
        renamed: &[],
        // The attachment's `roles` map has two references: which role is
        // guest and which authenticated is unknown until apply, so both
        // default roles are unknown roles that may allow anything.
        widened: &[
            (
                "table/arcade-leaderboard' --expect never",
                "default roles unknown",
            ),
            (
                "--action lambda:UpdateFunctionCode",
                "default roles unknown",
            ),
            ("saves/alice.sav' --expect never", "default roles unknown"),
            (
                "--as external --action secretsmanager",
                "default roles unknown",
            ),
        ],
    },
    Form {
        snapshot: "amplify-storage",
        form: "amplify-storage-tf-plan",
        params: &[],
        renamed: &[],
        widened: &[],
    },
    Form {
        snapshot: "amplify-storage",
        form: "amplify-storage-tf",
        params: &[],
        renamed: &[],
        widened: &[],
    },
];

fn verdict(words: &[String]) -> (Verdict, String) {
    let mut args = args_of(words);
    args.expect = None;
    let outcome = query(&args);
    match outcome.report {
        Some(report) => (report.verdict, report.summary),
        None => panic!("{words:?}: {:?}", outcome.diagnostics),
    }
}

#[test]
fn every_fact_of_a_snapshot_holds_in_its_other_forms() {
    let facts = facts();
    let mut failed = Vec::new();
    let mut asked = 0;
    for form in FORMS {
        let snapshot_path = format!("corpus/{}", form.snapshot);
        assert!(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("corpus")
                .join(form.form)
                .is_dir(),
            "{}",
            form.form
        );
        for (line, words) in &facts {
            if words.first() != Some(&snapshot_path) {
                continue;
            }
            let (expected, _) = verdict(words);
            let mut other: Vec<String> = words
                .iter()
                .map(|w| {
                    let mut w = if *w == snapshot_path {
                        format!("corpus/{}", form.form)
                    } else {
                        w.clone()
                    };
                    for (from, to) in form.renamed {
                        w = w.replace(from, to);
                    }
                    w
                })
                .collect();
            for param in form.params {
                other.push("--param".to_string());
                other.push(param.to_string());
            }
            let (got, summary) = verdict(&other);
            asked += 1;
            let widened = form.widened.iter().find(|(part, _)| line.contains(part));
            let ok = got == expected
                || (widened.is_some()
                    && expected == Verdict::Impossible
                    && got == Verdict::Possible);
            if !ok {
                failed.push(format!(
                    "{}: {line}\n    snapshot: {}, {}: {} ({summary})",
                    form.form,
                    expected.as_str(),
                    form.form,
                    got.as_str()
                ));
            }
        }
    }
    assert!(asked >= 40, "{asked} facts asked");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
