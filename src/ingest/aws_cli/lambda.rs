//! `lambda list-functions`: each function's name, ARN and execution role
//! (`{"Functions": [{"FunctionName", "FunctionArn", "Role", …}]}`).

use crate::model::Function;
use crate::model::functions::unqualified;
use crate::source::Value;
use crate::source::fields::FieldReader;

use super::Reader;

impl Reader<'_> {
    pub(super) fn functions(&mut self, doc: &Value) {
        for function in self.objects(doc, "Functions") {
            let Some(name) = self.required_string(function, "FunctionName", "a function") else {
                continue;
            };
            let Some(arn) = self.required_string(function, "FunctionArn", "a function") else {
                continue;
            };
            let role = self.string(function, "Role");
            let duplicate = self.inventory.add_function(Function {
                name: name.value,
                arn: unqualified(&arn.value).to_string(),
                role,
                loc: function.loc.clone(),
            });
            self.push(duplicate);
        }
    }
}
