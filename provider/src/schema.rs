//! Resource schemas as the provider declares them, in the shape of terraform-plugin-sdk v2
//! schemas (required/optional/computed, defaults, force-new, validators), converted to the
//! tfplugin6 wire schema. Keeping defaults and force-new here lets one generic planner serve
//! every resource.

use std::collections::BTreeMap;

use tfplugin6::proto;
use tfplugin6::value::{Type, Value};

/// A value check run during ValidateResourceConfig on known values.
#[derive(Clone, Debug)]
pub enum Validator {
    /// The string must be one of these (case-sensitive), as `validation.StringInSlice`.
    OneOf(&'static [&'static str]),
    /// String length in bytes between the bounds, inclusive.
    LenBetween(usize, usize),
    /// The string must parse as an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`).
    Arn,
}

impl Validator {
    /// Returns a message describing why `value` fails, in the words of the SDK validators.
    pub fn check(&self, attr: &str, value: &str) -> Option<String> {
        match self {
            Validator::OneOf(allowed) => (!allowed.contains(&value))
                .then(|| format!("expected {attr} to be one of {allowed:?}, got {value}")),
            Validator::LenBetween(min, max) => {
                let len = value.len();
                (len < *min || len > *max).then(|| {
                    format!(
                        "expected length of {attr} to be in the range ({min} - {max}), got {value}"
                    )
                })
            }
            Validator::Arn => {
                let parts: Vec<&str> = value.splitn(6, ':').collect();
                let ok = parts.len() == 6
                    && parts[0] == "arn"
                    && !parts[1].is_empty()
                    && !parts[2].is_empty()
                    && !parts[5].is_empty();
                (!ok).then(|| format!("\"{attr}\" ({value}) is an invalid ARN"))
            }
        }
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
    fn new(name: &'static str, ty: Type) -> Self {
        Attribute {
            name,
            ty,
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
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
    pub fn list(name: &'static str, block: Block) -> Self {
        NestedBlock {
            name,
            nesting: Nesting::List,
            block,
            min_items: 0,
            max_items: 0,
            conflicts_with: Vec::new(),
            computed: false,
        }
    }
    pub fn set(name: &'static str, block: Block) -> Self {
        NestedBlock {
            nesting: Nesting::Set,
            ..Self::list(name, block)
        }
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
}

impl Block {
    pub fn new(attributes: Vec<Attribute>, blocks: Vec<NestedBlock>) -> Self {
        Block {
            attributes,
            blocks,
            description: "",
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
            let elem = Box::new(b.block.value_type());
            let ty = match b.nesting {
                Nesting::List => Type::List(elem),
                Nesting::Set => Type::Set(elem),
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
            ..Default::default()
        }
    }
}

/// A whole resource schema: the root block plus the state version used by UpgradeResourceState.
#[derive(Clone, Debug)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}

impl Schema {
    pub fn to_proto(&self) -> proto::Schema {
        proto::Schema {
            version: self.version,
            block: Some(self.block.to_proto()),
        }
    }
}

/// The `tags` / `tags_all` pair every taggable hashicorp/aws resource has.
pub fn tags_attributes() -> Vec<Attribute> {
    vec![
        Attribute::optional("tags", Type::Map(Box::new(Type::String)))
            .describe("Key-value map of resource tags."),
        Attribute::computed("tags_all", Type::Map(Box::new(Type::String)))
            .describe("Tags assigned to the resource, including those inherited from the provider default_tags."),
    ]
}

/// The per-resource `region` argument of hashicorp/aws v6.
pub fn region_attribute() -> Attribute {
    Attribute::optional_computed("region", Type::String)
        .force_new()
        .describe("Region where this resource is managed. Defaults to the provider region.")
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
