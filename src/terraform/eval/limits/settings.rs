//! The limits' settings: [`Limits`], their names and defaults, and reading `--limit NAME=VALUE`.

/// What one evaluation may build. Every limit has a name (`Limits::NAMES`) for `--limit NAME=VALUE` and
/// `infra.toml`'s `[limits]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Instances of one resource or data block (`count`, or the elements of `for_each`). Default 10,000.
    pub instances_per_resource: u64,
    /// Resource and data instances in all, across every module. Default 100,000.
    pub instances: u64,
    /// Module instances in all (each call, and each `count` / `for_each` instance of a call). Default 1,000.
    pub module_instances: u64,
    /// The size in bytes of any one value built (a string's bytes; a list or map the sum of its elements and
    /// keys, plus 8 per element). Default 16 MiB.
    pub value_size: u64,
    /// Total work, in bytes of values built plus one per `for` iteration and per instance. Default 256 Mi.
    pub work: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            instances_per_resource: 10_000,
            instances: 100_000,
            module_instances: 1_000,
            value_size: 16 << 20,
            work: 256 << 20,
        }
    }
}

impl Limits {
    /// The limits' names, as `--limit` and `[limits]` spell them.
    pub(crate) const NAMES: [&'static str; 5] = [
        "instances_per_resource",
        "instances",
        "module_instances",
        "value_size",
        "work",
    ];

    fn slot(&mut self, name: &str) -> Option<&mut u64> {
        Some(match name {
            "instances_per_resource" => &mut self.instances_per_resource,
            "instances" => &mut self.instances,
            "module_instances" => &mut self.module_instances,
            "value_size" => &mut self.value_size,
            "work" => &mut self.work,
            _ => return None,
        })
    }

    /// The value of the limit called `name`.
    pub fn get(&self, name: &str) -> Option<u64> {
        let mut copy = *self;
        copy.slot(name).map(|v| *v)
    }

    /// Sets the limit called `name`; the error says which names exist.
    pub fn set(&mut self, name: &str, value: u64) -> Result<(), LimitError> {
        let name = name.trim();
        let slot = self.slot(name).ok_or_else(|| LimitError::Unknown(name.to_string()))?;
        if value == 0 {
            return Err(LimitError::Zero(name.to_string()));
        }
        *slot = value;
        Ok(())
    }

    /// Applies `NAME=VALUE` (`--limit instances=200000`).
    pub fn set_from_arg(&mut self, arg: &str) -> Result<(), LimitError> {
        let (name, value) = arg
            .split_once('=')
            .ok_or_else(|| LimitError::NotNameValue(arg.to_string()))?;
        let value: u64 = value
            .trim()
            .replace('_', "")
            .parse()
            .map_err(|_| LimitError::NotANumber {
                arg: arg.to_string(),
                name: name.trim().to_string(),
                value: value.trim().to_string(),
            })?;
        self.set(name, value)
    }
}

/// Why a limit cannot be set (`--limit`, `[limits]` in infra.toml).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    /// No limit has this name.
    #[error("no limit `{0}`\nhelp: the limits are {names}", names = Limits::NAMES.join(", "))]
    Unknown(String),
    /// A limit of 0 would stop every evaluation.
    #[error("limit `{0}` must be at least 1")]
    Zero(String),
    /// `--limit` without `=`.
    #[error("--limit {0:?} is not NAME=VALUE\nhelp: write --limit instances=200000")]
    NotNameValue(String),
    /// `--limit NAME=VALUE` whose value is not a whole number.
    #[error("--limit {arg:?}: `{value}` is not a whole number\nhelp: write --limit {name}=200000")]
    NotANumber {
        /// The argument as given.
        arg: String,
        /// The limit's name.
        name: String,
        /// The value as given.
        value: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values() {
        let mut l = Limits::default();
        for name in Limits::NAMES {
            assert!(l.get(name).is_some(), "{name}");
        }
        l.set_from_arg("instances=200_000").unwrap();
        assert_eq!(l.instances, 200_000);
        assert!(l
            .set_from_arg("instance=1")
            .unwrap_err()
            .to_string()
            .contains("help: the limits are"));
        assert!(l.set_from_arg("work").unwrap_err().to_string().contains("NAME=VALUE"));
        assert!(l
            .set_from_arg("work=-1")
            .unwrap_err()
            .to_string()
            .contains("whole number"));
        assert!(l.set("work", 0).is_err());
    }
}
