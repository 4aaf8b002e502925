//! Schemas in the shape of terraform-plugin-sdk v2 (required/optional/computed, defaults,
//! force-new, validators), converted to the tfplugin6 wire schema. The shape of every served
//! type comes from the vendored hashicorp/aws dump (`crate::reference`); a resource adds its
//! behaviour with the overlay methods of [`Schema`]. Keeping defaults and force-new here lets
//! one generic planner serve every resource.

use std::collections::BTreeMap;

use tfplugin6::proto;

use crate::reference::{self, Kind};
use tfplugin6::value::{Type, Value};

/// A value check run during ValidateResourceConfig on known values.
#[derive(Clone, Debug)]
pub enum Validator {
    /// The string must be one of these (case-sensitive), as `validation.StringInSlice`.
    OneOf(&'static [&'static str]),
    /// `validation.NoZeroValues` on a string.
    NotEmpty,
    /// String length in bytes between the bounds, inclusive.
    LenBetween(usize, usize),
    /// hashicorp/aws `verify.ValidARN`: empty, or an ARN with a valid partition, region
    /// and account and a resource part.
    Arn,
}

impl Validator {
    /// Returns a message describing why `value` fails, in the words of the SDK validators.
    pub fn check(&self, attr: &str, value: &str) -> Option<String> {
        match self {
            Validator::OneOf(allowed) => (!allowed.contains(&value))
                .then(|| format!("expected {attr} to be one of {allowed:?}, got {value}")),
            Validator::NotEmpty => value
                .is_empty()
                .then(|| format!("{attr} must not be empty, got {value}")),
            Validator::LenBetween(min, max) => {
                let len = value.len();
                (len < *min || len > *max).then(|| {
                    format!(
                        "expected length of {attr} to be in the range ({min} - {max}), got {value}"
                    )
                })
            }
            Validator::Arn => arn_problem(value)
                .map(|why| format!("\"{attr}\" ({value}) is an invalid ARN: {why}")),
        }
    }
}

/// Why a non-empty string fails `verify.ValidARNCheck` (aws-sdk-go's `arn.Parse`, then the
/// partition, region, account and resource checks), in its words; None when it passes.
fn arn_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    if !value.starts_with("arn:") {
        return Some("arn: invalid prefix".to_string());
    }
    let sections: Vec<&str> = value.splitn(6, ':').collect();
    let [_, partition, _service, region, account, resource] = sections[..] else {
        return Some("arn: not enough sections".to_string());
    };
    let lower_words = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
    // ^aws(-[a-z]+)*$
    let partition_ok = partition.strip_prefix("aws").is_some_and(|rest| {
        rest.is_empty()
            || rest
                .strip_prefix('-')
                .is_some_and(|r| r.split('-').all(lower_words))
    });
    // ^[a-z]{2}(-[a-z]+)+-\d$
    let region_ok = {
        let parts: Vec<&str> = region.split('-').collect();
        parts.len() >= 3
            && parts[0].len() == 2
            && lower_words(parts[0])
            && parts[1..parts.len() - 1].iter().all(|p| lower_words(p))
            && parts[parts.len() - 1].len() == 1
            && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
    };
    // ^(aws|aws-managed|third-party|\d{12}|cw.{10})$
    let account_ok = matches!(account, "aws" | "aws-managed" | "third-party")
        || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
        || (account.starts_with("cw") && account.chars().count() == 12);
    if partition.is_empty() {
        Some("missing partition value".to_string())
    } else if !partition_ok {
        Some(
            "invalid partition value (expecting to match regular expression: ^aws(-[a-z]+)*$)"
                .to_string(),
        )
    } else if !region.is_empty() && !region_ok {
        Some("invalid region value (expecting to match regular expression: ^[a-z]{2}(-[a-z]+)+-\\d$)".to_string())
    } else if !account.is_empty() && !account_ok {
        Some("invalid account ID value (expecting to match regular expression: ^(aws|aws-managed|third-party|\\d{12}|cw.{10})$)".to_string())
    } else if resource.is_empty() {
        Some("missing resource value".to_string())
    } else {
        None
    }
}

#[derive(Clone, Debug)]
pub struct Attribute {
    pub name: &'static str,
    pub ty: Type,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub deprecated: bool,
    pub write_only: bool,
    pub force_new: bool,
    pub default: Option<Value>,
    pub description: &'static str,
    /// Applied to the value itself, or to each element of a list/set of strings.
    pub validators: Vec<Validator>,
    /// Maximum element count for list/set attributes.
    pub max_items: Option<usize>,
    /// Minimum element count for list/set attributes when they are set.
    pub min_items: Option<usize>,
}

impl Attribute {
    pub(crate) fn new(name: &'static str, ty: Type) -> Self {
        Attribute {
            name,
            ty,
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            deprecated: false,
            write_only: false,
            force_new: false,
            default: None,
            description: "",
            validators: Vec::new(),
            max_items: None,
            min_items: None,
        }
    }
    pub fn required(name: &'static str, ty: Type) -> Self {
        Attribute {
            required: true,
            ..Self::new(name, ty)
        }
    }
    pub fn optional(name: &'static str, ty: Type) -> Self {
        Attribute {
            optional: true,
            ..Self::new(name, ty)
        }
    }
    pub fn computed(name: &'static str, ty: Type) -> Self {
        Attribute {
            computed: true,
            ..Self::new(name, ty)
        }
    }
    pub fn optional_computed(name: &'static str, ty: Type) -> Self {
        Attribute {
            optional: true,
            computed: true,
            ..Self::new(name, ty)
        }
    }
    pub fn force_new(mut self) -> Self {
        self.force_new = true;
        self
    }
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    pub fn default(mut self, value: Value) -> Self {
        self.default = Some(value);
        self
    }
    pub fn describe(mut self, text: &'static str) -> Self {
        self.description = text;
        self
    }
    pub fn validate(mut self, validator: Validator) -> Self {
        self.validators.push(validator);
        self
    }
    pub fn max_items(mut self, n: usize) -> Self {
        self.max_items = Some(n);
        self
    }
    pub fn min_items(mut self, n: usize) -> Self {
        self.min_items = Some(n);
        self
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    /// At most one block, its value an object or null (e.g. `timeouts`).
    Single,
    List,
    Set,
}

#[derive(Clone, Debug)]
pub struct NestedBlock {
    pub name: &'static str,
    pub nesting: Nesting,
    pub block: Block,
    pub min_items: usize,
    pub max_items: usize,
    /// Names of sibling attributes or blocks that may not be set together with this one.
    pub conflicts_with: Vec<&'static str>,
    /// SDKv2 `Optional + Computed` on a block: with no blocks in the configuration the
    /// service's value (e.g. its default selectors) is kept instead of being removed.
    pub computed: bool,
}

impl NestedBlock {
    pub fn new(name: &'static str, nesting: Nesting, block: Block) -> Self {
        NestedBlock {
            name,
            nesting,
            block,
            min_items: 0,
            max_items: 0,
            conflicts_with: Vec::new(),
            computed: false,
        }
    }
    pub fn list(name: &'static str, block: Block) -> Self {
        Self::new(name, Nesting::List, block)
    }
    pub fn set(name: &'static str, block: Block) -> Self {
        Self::new(name, Nesting::Set, block)
    }
    pub fn max_items(mut self, n: usize) -> Self {
        self.max_items = n;
        self
    }
    pub fn min_items(mut self, n: usize) -> Self {
        self.min_items = n;
        self
    }
    pub fn computed(mut self) -> Self {
        self.computed = true;
        self
    }
    pub fn conflicts_with(mut self, names: &[&'static str]) -> Self {
        self.conflicts_with.extend_from_slice(names);
        self
    }
}

#[derive(Clone, Debug, Default)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
    pub description: &'static str,
    pub deprecated: bool,
}

impl Block {
    pub fn new(attributes: Vec<Attribute>, blocks: Vec<NestedBlock>) -> Self {
        Block {
            attributes,
            blocks,
            description: "",
            deprecated: false,
        }
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    pub fn block(&self, name: &str) -> Option<&NestedBlock> {
        self.blocks.iter().find(|b| b.name == name)
    }

    /// The cty object type of values conforming to this block.
    pub fn value_type(&self) -> Type {
        let mut fields = BTreeMap::new();
        for a in &self.attributes {
            fields.insert(a.name.to_string(), a.ty.clone());
        }
        for b in &self.blocks {
            let elem = b.block.value_type();
            let ty = match b.nesting {
                Nesting::Single => elem,
                Nesting::List => Type::List(Box::new(elem)),
                Nesting::Set => Type::Set(Box::new(elem)),
            };
            fields.insert(b.name.to_string(), ty);
        }
        Type::Object(fields)
    }

    pub fn to_proto(&self) -> proto::schema::Block {
        let mut attributes: Vec<proto::schema::Attribute> = self
            .attributes
            .iter()
            .map(|a| proto::schema::Attribute {
                name: a.name.to_string(),
                r#type: a.ty.to_json(),
                description: a.description.to_string(),
                required: a.required,
                optional: a.optional,
                computed: a.computed,
                sensitive: a.sensitive,
                deprecated: a.deprecated,
                write_only: a.write_only,
                ..Default::default()
            })
            .collect();
        attributes.sort_by(|a, b| a.name.cmp(&b.name));
        let mut block_types: Vec<proto::schema::NestedBlock> = self
            .blocks
            .iter()
            .map(|b| proto::schema::NestedBlock {
                type_name: b.name.to_string(),
                block: Some(b.block.to_proto()),
                nesting: match b.nesting {
                    Nesting::Single => proto::schema::nested_block::NestingMode::Single as i32,
                    Nesting::List => proto::schema::nested_block::NestingMode::List as i32,
                    Nesting::Set => proto::schema::nested_block::NestingMode::Set as i32,
                },
                min_items: b.min_items as i64,
                max_items: b.max_items as i64,
            })
            .collect();
        block_types.sort_by(|a, b| a.type_name.cmp(&b.type_name));
        proto::schema::Block {
            version: 0,
            attributes,
            block_types,
            description: self.description.to_string(),
            deprecated: self.deprecated,
            ..Default::default()
        }
    }
}

/// A whole resource schema: the root block plus the state version used by UpgradeResourceState.
#[derive(Clone, Debug)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
    /// Overlay paths that named nothing in the reference schema; a test keeps this empty
    /// for every served type, so a typo never silently drops a validator or default.
    pub overlay_problems: Vec<String>,
    /// Force-new paths inside nested blocks (`rule.filter.prefix`, or a whole block): a
    /// change anywhere at the path replaces the object, as ForceNew does in hashicorp/aws.
    pub force_new_paths: Vec<String>,
}

impl Schema {
    pub fn to_proto(&self) -> proto::Schema {
        let mut block = self.block.to_proto();
        block.version = self.version;
        proto::Schema {
            version: self.version,
            block: Some(block),
        }
    }

    /// hashicorp/aws's schema of a managed resource type.
    pub fn resource(type_name: &str) -> Schema {
        Self::reference(Kind::Resource, type_name)
    }

    /// hashicorp/aws's schema of a data source.
    pub fn data_source(type_name: &str) -> Schema {
        Self::reference(Kind::DataSource, type_name)
    }

    /// hashicorp/aws's schema of an ephemeral resource type.
    pub fn ephemeral(type_name: &str) -> Schema {
        Self::reference(Kind::Ephemeral, type_name)
    }

    fn reference(kind: Kind, type_name: &str) -> Schema {
        let schema = reference::schema(kind, type_name).unwrap_or_else(|| Schema {
            version: 0,
            block: Block::default(),
            overlay_problems: vec![format!("{type_name} is not a hashicorp/aws {kind:?} type")],
            force_new_paths: Vec::new(),
        });
        // hashicorp/aws v6: moving a resource to another region replaces it.
        if kind == Kind::Resource && schema.block.attribute("region").is_some() {
            schema.attr("region", Attribute::force_new)
        } else {
            schema
        }
    }

    /// Adds behaviour to the attribute at a dotted path (`rule.filter.prefix`: blocks, then
    /// the attribute).
    pub fn attr(mut self, path: &str, tune: impl FnOnce(Attribute) -> Attribute) -> Self {
        let (blocks, name) = path.rsplit_once('.').unwrap_or(("", path));
        let found = self
            .block
            .nested_mut(blocks)
            .and_then(|b| b.attributes.iter_mut().find(|a| a.name == name));
        match found {
            Some(a) => *a = tune(a.clone()),
            None => self.overlay_problems.push(format!("no attribute {path}")),
        }
        self
    }

    /// Adds behaviour to the nested block at a dotted path.
    pub fn nested(mut self, path: &str, tune: impl FnOnce(NestedBlock) -> NestedBlock) -> Self {
        let (parents, name) = path.rsplit_once('.').unwrap_or(("", path));
        let found = self
            .block
            .nested_mut(parents)
            .and_then(|b| b.blocks.iter_mut().find(|n| n.name == name));
        match found {
            Some(n) => *n = tune(n.clone()),
            None => self.overlay_problems.push(format!("no block {path}")),
        }
        self
    }

    /// Marks a path force-new: a top-level attribute directly, anything deeper (or a block)
    /// through [`Schema::force_new_paths`].
    pub fn force_new_at(mut self, path: &str) -> Self {
        if self.block.attribute(path).is_some() {
            return self.attr(path, Attribute::force_new);
        }
        let segments: Vec<&str> = path.split('.').collect();
        let mut block = &self.block;
        for (i, seg) in segments.iter().enumerate() {
            let last = i + 1 == segments.len();
            if let Some(n) = block.block(seg) {
                block = &n.block;
            } else if !(last && block.attribute(seg).is_some()) {
                self.overlay_problems
                    .push(format!("no force-new path {path}"));
                return self;
            }
        }
        self.force_new_paths.push(path.to_string());
        self
    }

    /// The same attribute behaviour at several paths.
    pub fn attrs(self, paths: &[&str], tune: impl Fn(Attribute) -> Attribute) -> Self {
        paths.iter().fold(self, |s, p| s.attr(p, &tune))
    }
}

impl Block {
    /// The block at a dotted path of nested block names; "" is this block.
    fn nested_mut(&mut self, path: &str) -> Option<&mut Block> {
        if path.is_empty() {
            return Some(self);
        }
        let (first, rest) = path.split_once('.').unwrap_or((path, ""));
        self.blocks
            .iter_mut()
            .find(|n| n.name == first)?
            .block
            .nested_mut(rest)
    }
}

pub fn string() -> Type {
    Type::String
}

pub fn string_list() -> Type {
    Type::List(Box::new(Type::String))
}

pub fn string_set() -> Type {
    Type::Set(Box::new(Type::String))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_validator_accepts_empty_as_verify_valid_arn_does() {
        assert_eq!(Validator::Arn.check("kms_key_id", ""), None);
        assert_eq!(
            Validator::Arn.check("kms_key_id", "arn:aws:kms:us-east-1:123456789012:key/abc"),
            None
        );
        assert_eq!(
            Validator::Arn.check("a", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
            None
        );
        assert_eq!(Validator::Arn.check("a", "arn:aws:s3:::bucket"), None);
    }

    #[test]
    fn arn_validator_words_failures_as_hashicorp_aws() {
        let check = |v: &str| Validator::Arn.check("kms_key_id", v).unwrap_or_default();
        assert_eq!(
            check("alias/x"),
            "\"kms_key_id\" (alias/x) is an invalid ARN: arn: invalid prefix"
        );
        assert!(check("arn:aws:kms").ends_with("arn: not enough sections"));
        assert!(
            check("arn::kms:us-east-1:123456789012:key/a").ends_with("missing partition value")
        );
        assert!(check("arn:amazon:kms:us-east-1:123456789012:key/a").contains("invalid partition"));
        assert!(check("arn:aws:kms:useast1:123456789012:key/a").contains("invalid region"));
        assert!(check("arn:aws:kms:us-east-1:1234:key/a").contains("invalid account ID"));
        assert!(check("arn:aws:kms:us-east-1:123456789012:").ends_with("missing resource value"));
    }

    #[test]
    fn an_overlay_on_a_missing_path_is_reported_not_applied() {
        let s = Schema::resource("aws_cloudtrail")
            .attr("no_such", Attribute::force_new)
            .nested("event_selector.nope", NestedBlock::computed);
        assert_eq!(
            s.overlay_problems,
            vec![
                "no attribute no_such".to_string(),
                "no block event_selector.nope".to_string()
            ]
        );
    }

    #[test]
    fn region_forces_replacement_on_every_regional_resource() {
        let s = Schema::resource("aws_s3_bucket");
        assert!(s.block.attribute("region").is_some_and(|a| a.force_new));
    }
}
