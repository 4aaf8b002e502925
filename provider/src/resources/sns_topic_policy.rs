//! aws_sns_topic_policy: the `Policy` attribute of an existing topic. ID: the topic ARN.
//! Destroying puts back the policy AWS gives a new topic, since a topic always has one.

use serde_json::json;
use tfplugin6::value::Value;

use super::policy_json;
use super::s3_bucket_policy::{json_diag, suppress_equivalent_policy};
use super::s3_common::{OpError, SNS, arn_region, call, json_str};
use super::{Ctx, Resource};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Schema, Validator};
use crate::values::{ValueExt, object, set_attr, string};

const WHAT: &str = "SNS Topic Policy";

pub struct TopicPolicy {
    schema: Schema,
}

impl Default for TopicPolicy {
    fn default() -> Self {
        Self::new()
    }
}

impl TopicPolicy {
    pub fn new() -> Self {
        TopicPolicy {
            schema: Schema::resource("aws_sns_topic_policy")
                // verify.ValidARN, ForceNew
                .attr("arn", |a| a.force_new().validate(Validator::Arn)),
        }
    }
}

/// The policy AWS attaches to a new topic: the owning account may manage it and publish.
pub fn default_policy(topic_arn: &str, account_id: &str) -> String {
    json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": [
                "SNS:GetTopicAttributes",
                "SNS:SetTopicAttributes",
                "SNS:AddPermission",
                "SNS:RemovePermission",
                "SNS:DeleteTopic",
                "SNS:Subscribe",
                "SNS:ListSubscriptionsByTopic",
                "SNS:Publish"
            ],
            "Resource": topic_arn,
            "Condition": {"StringEquals": {"AWS:SourceOwner": account_id}}
        }]
    })
    .to_string()
}

fn arn_of(state: &Value) -> String {
    [state.attr("arn"), state.attr("id")]
        .into_iter()
        .find_map(|v| v.str_opt().filter(|s| !s.is_empty()))
        .unwrap_or_default()
        .to_string()
}

fn region_of(ctx: &Ctx, state: &Value, arn: &str) -> String {
    state
        .attr("region")
        .str_opt()
        .map(str::to_string)
        .or_else(|| arn_region(arn))
        .unwrap_or_else(|| ctx.region.clone())
}

fn set_policy(ctx: &Ctx, region: &str, arn: &str, policy: &str) -> Result<(), OpError> {
    call(
        ctx,
        region,
        SNS,
        "SetTopicAttributes",
        json!({"TopicArn": arn, "AttributeName": "Policy", "AttributeValue": policy}),
    )
    .map(|_| ())
}

impl TopicPolicy {
    fn write(
        &self,
        ctx: &Ctx,
        planned: &Value,
        verb: &str,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let arn = arn_of(planned);
        let region = region_of(ctx, planned, &arn);
        let policy = planned.attr("policy").str_opt().unwrap_or_default();
        set_policy(ctx, &region, &arn, policy)
            .map_err(|e| (None, vec![e.diag(&format!("{verb} {WHAT} ({arn})"), "SNS")]))?;
        let mut written = planned.clone();
        set_attr(&mut written, "id", string(arn.clone()));
        set_attr(&mut written, "region", string(region));
        match self.read(ctx, &written) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err((
                None,
                vec![Diag::error(format!(
                    "reading {WHAT} ({arn}): not found after {verb}"
                ))],
            )),
            Err(d) => Err((Some(written), d)),
        }
    }
}

impl Resource for TopicPolicy {
    fn type_name(&self) -> &'static str {
        "aws_sns_topic_policy"
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn validate(&self, config: &Value) -> Diags {
        json_diag(config, "policy").into_iter().collect()
    }
    fn modify_plan(&self, _ctx: &Ctx, prior: &Value, planned: &mut Value) {
        suppress_equivalent_policy(prior, planned, "policy");
    }
    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        self.write(ctx, planned, "creating")
    }
    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let arn = arn_of(state);
        let region = region_of(ctx, state, &arn);
        let got = match call(
            ctx,
            &region,
            SNS,
            "GetTopicAttributes",
            json!({"TopicArn": arn}),
        ) {
            Ok(g) => g,
            Err(e) if e.is(&["NotFound"]) => return Ok(None),
            Err(e) => return Err(vec![e.diag(&format!("reading {WHAT} ({arn})"), "SNS")]),
        };
        let attrs = &got["Attributes"];
        let Some(remote) = attrs["Policy"].as_str().filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        Ok(Some(object([
            ("id", string(arn.clone())),
            ("arn", string(arn)),
            ("owner", json_str(&attrs["Owner"])),
            (
                "policy",
                string(policy_json::policy_to_set(
                    state.attr("policy").str_opt(),
                    remote,
                )),
            ),
            ("region", string(region)),
        ])))
    }
    fn update(
        &self,
        ctx: &Ctx,
        _prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        self.write(ctx, planned, "updating")
    }
    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let arn = arn_of(state);
        let region = region_of(ctx, state, &arn);
        let account = arn
            .split(':')
            .nth(4)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| ctx.client.account_id());
        match set_policy(ctx, &region, &arn, &default_policy(&arn, &account)) {
            Ok(()) => Ok(()),
            Err(e) if e.is(&["NotFound"]) => Ok(()),
            Err(e) => Err(vec![e.diag(&format!("deleting {WHAT} ({arn})"), "SNS")]),
        }
    }
    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        if !id.starts_with("arn:") {
            return Err(vec![Diag::error(format!(
                "importing {WHAT}: ID ({id}) must be the topic ARN"
            ))]);
        }
        let region = arn_region(id).unwrap_or_else(|| ctx.region.clone());
        Ok(object([
            ("id", string(id)),
            ("arn", string(id)),
            ("region", string(region)),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::s3_common::testing::FakeClient;

    const ARN: &str = "arn:aws:sns:us-east-1:123456789012:alerts";

    #[test]
    fn schema_has_the_hashicorp_aws_attributes() {
        let r = TopicPolicy::new();
        let arn = r.schema.block.attribute("arn").unwrap();
        assert!(arn.required && arn.force_new);
        assert!(r.schema.block.attribute("policy").unwrap().required);
        let owner = r.schema.block.attribute("owner").unwrap();
        assert!(owner.computed && !owner.optional);
    }

    #[test]
    fn create_sets_the_policy_attribute() {
        let policy = r#"{"Version":"2012-10-17","Statement":[]}"#;
        let client = FakeClient::new(vec![(
            "GetTopicAttributes",
            Ok(json!({"Attributes": {"Policy": policy, "Owner": "123456789012"}})),
        )]);
        let planned = object([
            ("arn", string(ARN)),
            ("policy", string(policy)),
            ("id", Value::Unknown),
            ("owner", Value::Unknown),
            ("region", string("us-east-1")),
        ]);
        let state = TopicPolicy::new().create(&client.ctx(), &planned).unwrap();
        assert_eq!(
            client.requests("SetTopicAttributes"),
            vec![json!({"TopicArn": ARN, "AttributeName": "Policy", "AttributeValue": policy})]
        );
        assert_eq!(state.attr("owner").str_opt(), Some("123456789012"));
        assert_eq!(state.attr("id").str_opt(), Some(ARN));
    }

    #[test]
    fn destroy_restores_the_default_policy() {
        let client = FakeClient::new(vec![]);
        let state = object([("arn", string(ARN)), ("region", string("us-east-1"))]);
        TopicPolicy::new().delete(&client.ctx(), &state).unwrap();
        let sent = &client.requests("SetTopicAttributes")[0];
        let policy = sent["AttributeValue"].as_str().unwrap();
        assert!(policy_json::equivalent(
            policy,
            &default_policy(ARN, "123456789012")
        ));
        assert!(policy.contains("__default_policy_ID"));
    }
}
