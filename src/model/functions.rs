//! Lambda functions: each function's name, ARN and execution role, with
//! where the inputs say so (`lambda list-functions`, a template's
//! `AWS::Lambda::Function` or `AWS::Serverless::Function`, a plan's
//! `aws_lambda_function`).
//!
//! A function runs as its execution role (Lambda Developer Guide, "Defining
//! Lambda function permissions with an execution role"): whoever can change
//! its code or configuration can act as that role. The escalation steps
//! ([`crate::model::sessions::escalation`]) read functions from here.

use crate::diagnostic::Diagnostic;
use crate::source::{Location, Spanned};

/// One Lambda function.
#[derive(Clone, Debug)]
pub struct Function {
    pub name: String,
    /// The unqualified function ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`).
    pub arn: String,
    /// The execution role's ARN; `None` when the inputs do not show it (it
    /// is then unknown, never "no role").
    pub role: Option<Spanned<String>>,
    /// Where the function is described.
    pub loc: Location,
}

/// The functions of the inputs, by ARN.
#[derive(Debug, Default)]
pub struct Functions {
    list: Vec<Function>,
}

impl Functions {
    /// Adds a function; a second one with the same ARN is reported and
    /// left out.
    pub fn add(&mut self, function: Function) -> Option<Diagnostic> {
        if let Some(seen) = self.list.iter().find(|f| f.arn == function.arn) {
            return Some(
                Diagnostic::warning(
                    "model-duplicate",
                    format!(
                        "function `{}` appears more than once; the first one is used",
                        function.arn
                    ),
                )
                .at(&function.loc, "this one is ignored")
                .with_related(&seen.loc, "first seen here"),
            );
        }
        self.list.push(function);
        None
    }

    pub fn all(&self) -> &[Function] {
        &self.list
    }

    /// The function an ARN names, qualified (`…:function:NAME:ALIAS`) or
    /// not.
    pub fn by_arn(&self, arn: &str) -> Option<&Function> {
        let unqualified = unqualified(arn);
        self.list.iter().find(|f| f.arn == unqualified)
    }
}

/// A function ARN without its version or alias qualifier.
pub fn unqualified(arn: &str) -> &str {
    // arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
    let mut colons = arn.match_indices(':').map(|(i, _)| i);
    match colons.nth(6) {
        Some(i) if arn.contains(":function:") => &arn[..i],
        _ => arn,
    }
}

/// The name part of a function ARN (or the text itself when it is no ARN).
pub fn name_of(arn: &str) -> &str {
    let arn = unqualified(arn);
    arn.rsplit(':').next().unwrap_or(arn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_arns_name_the_function() {
        let arn = "arn:aws:lambda:eu-west-1:111122223333:function:confirm";
        assert_eq!(unqualified(&format!("{arn}:live")), arn);
        assert_eq!(unqualified(arn), arn);
        assert_eq!(name_of(&format!("{arn}:3")), "confirm");
        assert_eq!(name_of("confirm"), "confirm");
    }
}
