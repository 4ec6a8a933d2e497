//! Lambda functions of a template: `AWS::Lambda::Function` and SAM's
//! `AWS::Serverless::Function`, each with its execution role (`Role`; for
//! a SAM function without `Role`, the `<Function>Role` SAM creates).

use crate::model::Function;
use crate::source::Spanned;
use crate::source::fields::FieldReader;

use super::{Reader, Resource};

impl Reader<'_, '_> {
    pub(super) fn function(&mut self, resource: &Resource) {
        let name = self.stack.resource_name(&resource.logical_id);
        let Some(arn) = self
            .stack
            .attribute(&resource.logical_id, "Arn", &resource.loc)
        else {
            return;
        };
        let role = match self.string(&resource.properties, "Role") {
            Some(role) => Some(role),
            None if resource.resource_type == "AWS::Serverless::Function" => Some(Spanned::new(
                self.stack.role_arn(&format!("{}Role", resource.logical_id)),
                resource.loc.clone(),
            )),
            None => {
                self.missing(&resource.properties, "Role", "an `AWS::Lambda::Function`");
                None
            }
        };
        let duplicate = self.inventory.add_function(Function {
            name,
            arn,
            role,
            loc: resource.loc.clone(),
        });
        self.stack.diagnostics.extend(duplicate);
    }
}
