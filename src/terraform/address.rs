use std::fmt;

/// Whether a resource is managed (`resource`) or read (`data`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// A `resource` block.
    Managed,
    /// A `data` block.
    Data,
}

/// A resource address as Terraform prints it: `module.net.azurerm_subnet.main`, `data.azurerm_client_config.me`,
/// `azurerm_container_app.app["api"]`.
///
/// `module` holds the module path as written (`module.a.module.b`, possibly with instance keys); `key` the
/// instance key as Terraform prints it (`[0]`, `["api"]`), when the address names one instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Address {
    /// The module path (`module.a.module.b`), `None` in the root module.
    pub module: Option<String>,
    /// Managed resource or data source.
    pub mode: Mode,
    /// The resource type (`azurerm_container_registry`).
    pub resource_type: String,
    /// The block name (`main`).
    pub name: String,
    /// The instance key as written in the address (`0`, `"a"`), if any.
    pub key: Option<String>,
}

impl Address {
    /// A root-module managed resource's address.
    pub fn managed(resource_type: impl Into<String>, name: impl Into<String>) -> Self {
        Address {
            module: None,
            mode: Mode::Managed,
            resource_type: resource_type.into(),
            name: name.into(),
            key: None,
        }
    }

    /// A root-module data source's address.
    pub fn data(resource_type: impl Into<String>, name: impl Into<String>) -> Self {
        Address {
            mode: Mode::Data,
            ..Address::managed(resource_type, name)
        }
    }

    /// Parses an address as Terraform prints it. Returns `None` when `s` does not name a resource.
    pub fn parse(s: &str) -> Option<Address> {
        let parts = scan(s, false)?;
        let mut i = 0;
        let mut module = Vec::new();
        while i + 1 < parts.len() && parts[i].0 == "module" {
            module.push(format!("module.{}{}", parts[i + 1].0, parts[i + 1].1));
            i += 2;
        }
        let mode = if parts.get(i).map(|p| p.0) == Some("data") && parts.len() - i == 3 {
            i += 1;
            Mode::Data
        } else {
            Mode::Managed
        };
        if parts.len() - i != 2 || !parts[i].1.is_empty() {
            return None;
        }
        let key = (!parts[i + 1].1.is_empty()).then(|| parts[i + 1].1.to_string());
        Some(Address {
            module: (!module.is_empty()).then(|| module.join(".")),
            mode,
            resource_type: parts[i].0.to_string(),
            name: parts[i + 1].0.to_string(),
            key,
        })
    }

    /// The same address without its instance key (`a.b[0]` → `a.b`).
    pub(crate) fn without_key(&self) -> Address {
        Address {
            key: None,
            ..self.clone()
        }
    }
}

/// The segments of an address or a reference: `a.b["x.y"].c[0]` → `[("a",""), ("b","[\"x.y\"]"), ("c","[0]")]`,
/// quoted keys kept whole, borrowed from `s`. A segment may carry several keys (`c[0]["k"]`, as references index
/// into attributes); `None` if `s` is not dotted names with keys.
pub(crate) fn segments(s: &str) -> Option<Vec<(&str, &str)>> {
    scan(s, true)
}

/// [`segments`]; with `many_keys` false a segment has at most one key, as in a resource address.
fn scan(s: &str, many_keys: bool) -> Option<Vec<(&str, &str)>> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        while i < bytes.len() && bytes[i] != b'.' && bytes[i] != b'[' {
            i += 1;
        }
        if i == start {
            return None;
        }
        let key_start = i;
        while i < bytes.len() && bytes[i] == b'[' && (many_keys || i == key_start) {
            let mut in_string = false;
            let mut escaped = false;
            i += 1;
            loop {
                let c = *bytes.get(i)?;
                i += 1;
                if in_string {
                    match c {
                        _ if escaped => escaped = false,
                        b'\\' => escaped = true,
                        b'"' => in_string = false,
                        _ => {}
                    }
                } else if c == b'"' {
                    in_string = true;
                } else if c == b']' {
                    break;
                }
            }
        }
        out.push((&s[start..key_start], &s[key_start..i]));
        match bytes.get(i) {
            None => return Some(out),
            Some(b'.') => i += 1,
            Some(_) => return None,
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(m) = &self.module {
            write!(f, "{m}.")?;
        }
        if self.mode == Mode::Data {
            f.write_str("data.")?;
        }
        write!(f, "{}.{}", self.resource_type, self.name)?;
        if let Some(k) = &self.key {
            f.write_str(k)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_addresses() {
        for s in [
            "azurerm_resource_group.main",
            "data.azurerm_client_config.me",
            "module.net.azurerm_subnet.main",
            "module.github[\"a.b\"].github_repository.this",
            "module.a.module.b.data.x_y.z[0]",
            "azurerm_container_app.app[\"api\"]",
        ] {
            let a = Address::parse(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(a.to_string(), s);
        }
        let a = Address::parse("module.a.module.b.data.x_y.z[0]").unwrap();
        assert_eq!(a.module.as_deref(), Some("module.a.module.b"));
        assert_eq!(a.mode, Mode::Data);
        assert_eq!(a.key.as_deref(), Some("[0]"));
        assert!(Address::parse("azurerm_resource_group").is_none());
        assert!(Address::parse("a.b.c").is_none());
    }
}
