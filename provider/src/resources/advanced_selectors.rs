//! The `advanced_event_selector` block shared by aws_cloudtrail and
//! aws_cloudtrail_event_data_store: its schema and its translation to and from the API's
//! `AdvancedEventSelectors`.

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::support::{json_str, json_strings};
use crate::schema::{NestedBlock, Schema, Validator};
use crate::values::{ValueExt, object, string_list as list_value};

/// Fields an advanced event selector may name, as the provider validates them.
pub const ADVANCED_FIELDS: &[&str] = &[
    "readOnly",
    "eventSource",
    "eventName",
    "eventCategory",
    "eventType",
    "resources.type",
    "resources.ARN",
    "errorCode",
    "sessionCredentialFromConsole",
    "userIdentity.arn",
    "vpcEndpointId",
];

/// Terraform attribute name -> API member name of each operator.
const OPERATORS: [(&str, &str); 6] = [
    ("equals", "Equals"),
    ("not_equals", "NotEquals"),
    ("starts_with", "StartsWith"),
    ("not_starts_with", "NotStartsWith"),
    ("ends_with", "EndsWith"),
    ("not_ends_with", "NotEndsWith"),
];

/// The block's behaviour. On an event data store every part of it is `Optional + Computed`
/// (the store reports the selectors AWS chose when none are configured), so an unset block
/// keeps the service's value; on a trail it is plain optional.
pub fn tune(schema: Schema, computed: bool) -> Schema {
    let operators: Vec<String> = OPERATORS
        .iter()
        .map(|(name, _)| format!("advanced_event_selector.field_selector.{name}"))
        .collect();
    let operators: Vec<&str> = operators.iter().map(String::as_str).collect();
    let schema = schema
        // validation.StringInSlice(field_Values(), false)
        .attr("advanced_event_selector.field_selector.field", |a| {
            a.validate(Validator::OneOf(ADVANCED_FIELDS))
        })
        // MinItems: 1; elements validation.StringLenBetween(1, 2048)
        .attrs(&operators, |a| {
            a.min_items(1).validate(Validator::LenBetween(1, 2048))
        })
        // validation.StringLenBetween(0, 1000)
        .attr("advanced_event_selector.name", |a| {
            a.validate(Validator::LenBetween(0, 1000))
        });
    if computed {
        schema
            .nested("advanced_event_selector", NestedBlock::computed)
            .nested(
                "advanced_event_selector.field_selector",
                NestedBlock::computed,
            )
    } else {
        schema
    }
}

/// `expandAdvancedEventSelector`: the planned blocks as `AdvancedEventSelectors`.
pub fn expand(planned: &Value) -> Json {
    Json::Array(
        planned
            .attr("advanced_event_selector")
            .items()
            .iter()
            .map(|sel| {
                let fields: Vec<Json> = sel
                    .attr("field_selector")
                    .items()
                    .iter()
                    .map(|fs| {
                        let mut out = json!({"Field": fs.attr("field").str_opt()});
                        for (tf, aws) in OPERATORS {
                            let values = fs.attr(tf).strings();
                            if !values.is_empty() {
                                out[aws] = json!(values);
                            }
                        }
                        out
                    })
                    .collect();
                let mut out = json!({"FieldSelectors": fields});
                if let Some(name) = sel.attr("name").str_opt() {
                    out["Name"] = json!(name);
                }
                out
            })
            .collect(),
    )
}

/// `flattenAdvancedEventSelector`: the API's selectors as blocks; absent operators are null.
pub fn flatten(selectors: &Json) -> Value {
    let items = |v: &Json| v.as_array().cloned().unwrap_or_default();
    Value::List(
        items(selectors)
            .iter()
            .map(|sel| {
                let fields = items(&sel["FieldSelectors"])
                    .iter()
                    .map(|fs| {
                        let mut fields = vec![("field", json_str(&fs["Field"]))];
                        for (tf, aws) in OPERATORS {
                            let values = json_strings(&fs[aws]);
                            fields.push((
                                tf,
                                if values.is_empty() {
                                    Value::Null
                                } else {
                                    list_value(values)
                                },
                            ));
                        }
                        object(fields)
                    })
                    .collect();
                object([
                    ("name", json_str(&sel["Name"])),
                    ("field_selector", Value::Set(fields)),
                ])
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_then_flatten_round_trips() {
        let aws = json!([{
            "Name": "s3 writes",
            "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Data"]},
                {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                {"Field": "readOnly", "NotEquals": ["true"]}
            ]
        }]);
        let blocks = flatten(&aws);
        let planned = object([("advanced_event_selector", blocks)]);
        assert_eq!(expand(&planned), aws);
    }

    #[test]
    fn only_the_event_data_store_block_keeps_the_service_value() {
        let store = tune(Schema::resource("aws_cloudtrail_event_data_store"), true);
        let b = store.block.block("advanced_event_selector").expect("block");
        assert!(b.computed);
        let field = b
            .block
            .block("field_selector")
            .and_then(|f| f.block.attribute("field"));
        assert!(field.is_some_and(|f| f.optional && f.computed && !f.required));
        let trail = tune(Schema::resource("aws_cloudtrail"), false);
        assert!(
            !trail
                .block
                .block("advanced_event_selector")
                .expect("block")
                .computed
        );
        assert!(store.overlay_problems.is_empty() && trail.overlay_problems.is_empty());
    }
}
