//! `aws_lambda_function`: a function with its execution role (`role`).

use crate::model::Function;
use crate::model::functions::unqualified;
use crate::source::fields::FieldReader;

use super::{Reader, Resource};

impl Reader<'_> {
    pub(super) fn function(&mut self, resource: &Resource) {
        let values = &resource.values;
        let what = "an `aws_lambda_function`";
        let Some(name) = self.required_string(values, "function_name", what) else {
            return;
        };
        let Some(arn) = self.required_string(values, "arn", what) else {
            return;
        };
        let role = self.required_string(values, "role", what);
        let duplicate = self.inventory.add_function(Function {
            name: name.value,
            arn: unqualified(&arn.value).to_string(),
            role,
            loc: values.loc.clone(),
        });
        self.diagnostics.extend(duplicate);
    }
}
