use std::fmt;

/// Whether a resource is managed (`resource`) or read (`data`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Managed,
    Data,
}

/// A resource address as Terraform prints it: `module.net.azurerm_subnet.main`, `data.azurerm_client_config.me`,
/// `azurerm_container_app.app["api"]`.
///
/// `module` holds the module path as written (`module.a.module.b`, possibly with instance keys); `key` the
/// instance key as Terraform prints it (`[0]`, `["api"]`), when the address names one instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Address {
    pub module: Option<String>,
    pub mode: Mode,
    pub resource_type: String,
    pub name: String,
    pub key: Option<String>,
}

impl Address {
    pub fn managed(resource_type: impl Into<String>, name: impl Into<String>) -> Self {
        Address {
            module: None,
            mode: Mode::Managed,
            resource_type: resource_type.into(),
            name: name.into(),
            key: None,
        }
    }

    pub fn data(resource_type: impl Into<String>, name: impl Into<String>) -> Self {
        Address {
            mode: Mode::Data,
            ..Address::managed(resource_type, name)
        }
    }

    /// Parses an address as Terraform prints it. Returns `None` when `s` does not name a resource.
    pub fn parse(s: &str) -> Option<Address> {
        let parts = split_address(s)?;
        let mut i = 0;
        let mut module = Vec::new();
        while i + 1 < parts.len() && parts[i].0 == "module" {
            module.push(format!("module.{}{}", parts[i + 1].0, parts[i + 1].1));
            i += 2;
        }
        let mode = if parts.get(i).map(|p| p.0.as_str()) == Some("data") && parts.len() - i == 3 {
            i += 1;
            Mode::Data
        } else {
            Mode::Managed
        };
        if parts.len() - i != 2 || !parts[i].1.is_empty() {
            return None;
        }
        let key = (!parts[i + 1].1.is_empty()).then(|| parts[i + 1].1.clone());
        Some(Address {
            module: (!module.is_empty()).then(|| module.join(".")),
            mode,
            resource_type: parts[i].0.clone(),
            name: parts[i + 1].0.clone(),
            key,
        })
    }

    /// The same address without its instance key (`a.b[0]` → `a.b`).
    pub fn without_key(&self) -> Address {
        Address {
            key: None,
            ..self.clone()
        }
    }
}

/// Splits `a.b["x.y"].c[0]` into `[("a",""),("b","[\"x.y\"]"),("c","[0]")]`, respecting quoted keys.
fn split_address(s: &str) -> Option<Vec<(String, String)>> {
    let mut parts = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c == '.' || c == '[' {
                break;
            }
            name.push(c);
            chars.next();
        }
        if name.is_empty() {
            return None;
        }
        let mut key = String::new();
        if chars.peek() == Some(&'[') {
            let mut in_string = false;
            let mut escaped = false;
            for c in chars.by_ref() {
                key.push(c);
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        in_string = false;
                    }
                } else if c == '"' {
                    in_string = true;
                } else if c == ']' {
                    break;
                }
            }
            if !key.ends_with(']') {
                return None;
            }
        }
        parts.push((name, key));
        match chars.next() {
            None => return Some(parts),
            Some('.') => continue,
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
