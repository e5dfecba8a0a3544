use super::{Expression, Location};

/// The contents of a file or a block: attributes and nested blocks, in the order they were written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    /// Its attributes and blocks, in order.
    pub structures: Vec<Structure>,
}

/// One item of a [`Body`].
#[derive(Debug, Clone, PartialEq)]
pub enum Structure {
    /// An attribute.
    Attribute(Attribute),
    /// A block.
    Block(Block),
}

/// `name = expression`.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The attribute's name.
    pub name: String,
    /// Its value.
    pub value: Expression,
    /// Where the attribute was read from; `None` for documents built in memory.
    pub location: Option<Location>,
}

/// `type "label" … { body }`, e.g. `resource "azurerm_resource_group" "main" { … }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The block type (`resource`, `ingress`).
    pub kind: String,
    /// Its labels (`azurerm_container_registry`, `main`).
    pub labels: Vec<String>,
    /// Its contents.
    pub body: Body,
    /// Where it is written, for a block read from a file.
    pub location: Option<Location>,
}

impl Attribute {
    /// An attribute `name = value`.
    pub fn new(name: impl Into<String>, value: impl Into<Expression>) -> Self {
        Attribute {
            name: name.into(),
            value: value.into(),
            location: None,
        }
    }
}

impl Block {
    /// An empty block of type `kind`.
    pub fn new(kind: impl Into<String>) -> Self {
        Block {
            kind: kind.into(),
            labels: Vec::new(),
            body: Body::default(),
            location: None,
        }
    }

    /// Adds a label (`resource "type" "name"` has two).
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.labels.push(label.into());
        self
    }

    /// Appends an attribute (builder style).
    pub fn attr(mut self, name: impl Into<String>, value: impl Into<Expression>) -> Self {
        self.body.push_attribute(name, value);
        self
    }

    /// Appends an attribute only when `value` is `Some`.
    pub fn attr_opt<V: Into<Expression>>(mut self, name: impl Into<String>, value: Option<V>) -> Self {
        if let Some(v) = value {
            self.body.push_attribute(name, v);
        }
        self
    }

    /// Appends a nested block (builder style).
    pub fn block(mut self, block: Block) -> Self {
        self.body.structures.push(Structure::Block(block));
        self
    }

    /// Appends several nested blocks.
    pub fn blocks(mut self, blocks: impl IntoIterator<Item = Block>) -> Self {
        self.body.structures.extend(blocks.into_iter().map(Structure::Block));
        self
    }
}

impl Body {
    /// Appends an attribute.
    pub fn push_attribute(&mut self, name: impl Into<String>, value: impl Into<Expression>) {
        self.structures.push(Structure::Attribute(Attribute::new(name, value)));
    }

    /// Appends a block.
    pub fn push_block(&mut self, block: Block) {
        self.structures.push(Structure::Block(block));
    }

    /// Attributes, in order.
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.structures.iter().filter_map(|s| match s {
            Structure::Attribute(a) => Some(a),
            Structure::Block(_) => None,
        })
    }

    /// Nested blocks, in order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.structures.iter().filter_map(|s| match s {
            Structure::Block(b) => Some(b),
            Structure::Attribute(_) => None,
        })
    }

    /// The attribute called `name`, if present.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes().find(|a| a.name == name)
    }

    /// The value of attribute `name`, if present.
    pub fn get(&self, name: &str) -> Option<&Expression> {
        self.attribute(name).map(|a| &a.value)
    }

    /// Nested blocks of kind `kind`, in order.
    pub fn blocks_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks().filter(move |b| b.kind == kind)
    }

    /// The first nested block of kind `kind`.
    pub fn block(&self, kind: &str) -> Option<&Block> {
        self.blocks().find(|b| b.kind == kind)
    }

    /// No attributes and no blocks.
    pub fn is_empty(&self) -> bool {
        self.structures.is_empty()
    }
}
