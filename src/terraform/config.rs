use super::{hcl, json, Address, Block, Body, Expression, Location, Mode, Schemas};
use std::path::Path;

/// The syntax a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// Native syntax, `.tf`.
    Hcl,
    /// JSON syntax, `.tf.json`.
    Json,
}

impl Format {
    /// The file extension, with its dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Hcl => ".tf",
            Format::Json => ".tf.json",
        }
    }

    /// The format of a file, from its name; `None` for files Terraform does not read.
    pub fn of(file_name: &str) -> Option<Format> {
        if file_name.starts_with('.') || file_name.starts_with('#') || file_name.ends_with('~') {
            None
        } else if file_name.ends_with(".tf.json") {
            Some(Format::Json)
        } else if file_name.ends_with(".tf") {
            Some(Format::Hcl)
        } else {
            None
        }
    }
}

/// One configuration file.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    /// The file name within its directory, e.g. `main.tf`.
    pub name: String,
    /// HCL or JSON.
    pub format: Format,
    /// Comment lines written at the top of the file (without `# `); HCL only — JSON has no comments and
    /// carries the header in a `"//"` key.
    pub header: Vec<String>,
    /// The file's contents.
    pub body: Body,
}

impl File {
    /// The file as text in its format.
    pub fn to_text(&self) -> String {
        match self.format {
            Format::Hcl => hcl::write(self),
            Format::Json => json::write(self),
        }
    }
}

/// A Terraform configuration: the files of one directory (one module).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The files, in reading order.
    pub files: Vec<File>,
}

/// A configuration that could not be read: what and where, and the underlying error (a file system error)
/// when there is one.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}{message}", location.as_ref().map(|l| format!("{l}: ")).unwrap_or_default())]
pub struct ReadError {
    /// Where, when known.
    pub location: Option<Location>,
    /// What is wrong.
    pub message: String,
    #[source]
    /// The I/O error, when reading failed.
    pub source: Option<std::sync::Arc<std::io::Error>>,
}

impl ReadError {
    pub(crate) fn at(location: Location, message: impl Into<String>) -> Self {
        ReadError {
            location: Some(location),
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn new(message: impl Into<String>) -> Self {
        ReadError {
            location: None,
            message: message.into(),
            source: None,
        }
    }

    /// A file that was not read (outside the repository, not a regular file, too large): the file and why.
    pub(crate) fn not_read(file: &str, why: crate::fsutil::ReadLimitError) -> Self {
        let message = match why {
            crate::fsutil::ReadLimitError::Outside { .. } => why.to_string(),
            _ => format!("not read: {why}"),
        };
        ReadError::at(Location::new(file, 1, 1), message)
    }

    /// A file system error while doing `what` (`cannot read terraform/dev/main.tf`): the message says both.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        ReadError {
            location: None,
            message: format!("{}: {source}", what.into()),
            source: Some(std::sync::Arc::new(source)),
        }
    }
}

/// A `resource` or `data` block, with its address.
#[derive(Debug, Clone, Copy)]
pub struct Resource<'a> {
    /// Managed resource or data source.
    pub mode: Mode,
    /// The resource type.
    pub resource_type: &'a str,
    /// The block name.
    pub name: &'a str,
    /// The block.
    pub block: &'a Block,
    /// The file the block is in.
    pub file: &'a str,
    /// The instance key as Terraform prints it (`[0]`, `["api"]`) when the block is one instance of a resource
    /// with `count` or `for_each`, expanded by the evaluator ([`crate::terraform::eval`] writes it as a third
    /// label of the block).
    pub key: Option<&'a str>,
    /// The module the resource is in (`module.web`, `module.web.module.db["a"]`) when it is not in the root
    /// module ([`crate::terraform::eval`] writes it as a fourth label of the block, after the key or "").
    pub module: Option<&'a str>,
    /// The resource type the configuration declares when it is not `resource_type`: an `azapi_resource` read as
    /// the azurerm type it creates (`crate::check::azapi` writes it as a fifth label, after the key and module
    /// or ""). The address keeps the declared type.
    pub declared_as: Option<&'a str>,
}

impl<'a> Resource<'a> {
    /// The address, without module path or instance key.
    pub fn address(&self) -> Address {
        let resource_type = self.declared_as.unwrap_or(self.resource_type);
        let address = match self.mode {
            Mode::Managed => Address::managed(resource_type, self.name),
            Mode::Data => Address::data(resource_type, self.name),
        };
        Address {
            key: self.key.map(str::to_string),
            module: self.module.map(str::to_string),
            ..address
        }
    }

    /// The block's body.
    pub fn body(&self) -> &'a Body {
        &self.block.body
    }

    /// The value of a top-level argument of the resource.
    pub fn get(&self, name: &str) -> Option<&'a Expression> {
        self.block.body.get(name)
    }

    /// `count` or `for_each`, when the resource has one: it stands for many instances.
    pub fn repetition(&self) -> Option<(&'static str, &'a Expression)> {
        if let Some(e) = self.get("count") {
            Some(("count", e))
        } else {
            self.get("for_each").map(|e| ("for_each", e))
        }
    }
}

impl Config {
    /// Reads every `.tf` and `.tf.json` file of `dir` (not its subdirectories), in name order, as Terraform does;
    /// `.tf.json` nested blocks are told from attributes by `schemas`.
    ///
    /// A file that does not parse is an error with its file, line and column. A directory with no
    /// configuration files is an error too: nothing is reported as if it were an empty configuration.
    pub fn read_dir_with(dir: &Path, schemas: &Schemas) -> Result<Config, ReadError> {
        let (config, mut unreadable) = Config::read_dir_lenient_with(dir, schemas)?;
        match unreadable.is_empty() {
            true => Ok(config),
            false => Err(unreadable.remove(0)),
        }
    }

    /// [`read_dir_with`](Config::read_dir_with), but a file that does not parse (or is not UTF-8) does not stop
    /// the others from being read: the configuration holds every file that could be read, and each one that could
    /// not is returned as an error with its file, line and column. A directory that cannot be listed, or that has
    /// no configuration files, is still an error.
    ///
    /// Only files inside the repository `dir` is in are read (see `crate::fsutil::repository_root`): a file that
    /// resolves outside it (a symlink out of the checkout) is returned as an error, "not read: outside the
    /// repository", and so is a file that is not a regular file or is larger than the limit.
    pub fn read_dir_lenient_with(dir: &Path, schemas: &Schemas) -> Result<(Config, Vec<ReadError>), ReadError> {
        Config::read_dir_in(dir, &crate::fsutil::repository_root(dir), schemas)
    }

    /// [`read_dir_lenient_with`](Config::read_dir_lenient_with) of a directory of the repository at `root`
    /// (resolved).
    pub(crate) fn read_dir_in(
        dir: &Path,
        root: &Path,
        schemas: &Schemas,
    ) -> Result<(Config, Vec<ReadError>), ReadError> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| ReadError::io(format!("cannot read directory {}", dir.display()), e))?;
        let mut names: Vec<(String, Format)> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| ReadError::io(format!("cannot read directory {}", dir.display()), e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(format) = Format::of(&name) {
                if entry.file_type().map(|t| !t.is_dir()).unwrap_or(false) {
                    names.push((name, format));
                }
            }
        }
        if names.is_empty() {
            return Err(ReadError::new(format!(
                "{} has no Terraform configuration files (*.tf or *.tf.json): name the directory that holds the module's \
                 files",
                dir.display()
            )));
        }
        names.sort();
        // Read and parsed on every core (a few hundred files of a large configuration), kept in name order.
        let read = crate::parallel::map(&names, |(name, format)| {
            let path = dir.join(name);
            let display = path.display().to_string();
            let bytes = match crate::fsutil::read_in_repository(&path, root, crate::fsutil::FILE_LIMIT) {
                Ok(bytes) => bytes,
                Err(crate::fsutil::ReadLimitError::Io(e)) => {
                    return Err(ReadError::io(format!("cannot read {display}"), e))
                }
                Err(e) => return Ok(Err(ReadError::not_read(&display, e))),
            };
            let text = match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => {
                    // `valid_up_to` is at most the length, and ends the valid UTF-8 prefix: a character boundary.
                    let offset = e.utf8_error().valid_up_to();
                    let source = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
                    return Ok(Err(ReadError::at(
                        Location::at_offset(&display.as_str().into(), &source, offset),
                        "not a text file: Terraform files must be UTF-8",
                    )));
                }
            };
            Ok(Config::parse_file_with(&display, name.clone(), *format, &text, schemas))
        });
        let mut files = Vec::new();
        let mut unreadable = Vec::new();
        for r in read {
            match r? {
                Ok(file) => files.push(file),
                Err(e) => unreadable.push(e),
            }
        }
        Ok((Config { files }, unreadable))
    }

    /// Parses one file's text. `path` is how locations name the file; `name` its name within the directory;
    /// `schemas` tell `.tf.json` nested blocks from attributes.
    pub fn parse_file_with(
        path: &str,
        name: String,
        format: Format,
        text: &str,
        schemas: &Schemas,
    ) -> Result<File, ReadError> {
        let body = match format {
            Format::Hcl => hcl::read(path, text)?,
            Format::Json => json::read(path, text, schemas)?,
        };
        Ok(File {
            name,
            format,
            header: Vec::new(),
            body,
        })
    }

    /// Every top-level block of every file, with the file's name.
    pub fn blocks(&self) -> impl Iterator<Item = (&str, &Block)> {
        self.files
            .iter()
            .flat_map(|f| f.body.blocks().map(move |b| (f.name.as_str(), b)))
    }

    /// Top-level blocks of one kind (`variable`, `output`, `moved`, `module`, …).
    pub fn blocks_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = (&'a str, &'a Block)> + 'a {
        self.blocks().filter(move |(_, b)| b.kind == kind)
    }

    /// Every `resource` and `data` block, in file order.
    pub fn resources(&self) -> Vec<Resource<'_>> {
        self.blocks()
            .filter_map(|(file, block)| {
                let mode = match block.kind.as_str() {
                    "resource" => Mode::Managed,
                    "data" => Mode::Data,
                    _ => return None,
                };
                match block.labels.as_slice() {
                    [t, n] => Some(Resource {
                        mode,
                        resource_type: t,
                        name: n,
                        block,
                        file,
                        key: None,
                        module: None,
                        declared_as: None,
                    }),
                    [t, n, k] if k.starts_with('[') => Some(Resource {
                        mode,
                        resource_type: t,
                        name: n,
                        block,
                        file,
                        key: Some(k),
                        module: None,
                        declared_as: None,
                    }),
                    [t, n, k, m] if (k.is_empty() || k.starts_with('[')) && m.starts_with("module.") => {
                        Some(Resource {
                            mode,
                            resource_type: t,
                            name: n,
                            block,
                            file,
                            key: (!k.is_empty()).then_some(k.as_str()),
                            module: Some(m),
                            declared_as: None,
                        })
                    }
                    [t, n, k, m, d]
                        if (k.is_empty() || k.starts_with('['))
                            && (m.is_empty() || m.starts_with("module."))
                            && !d.is_empty() =>
                    {
                        Some(Resource {
                            mode,
                            resource_type: t,
                            name: n,
                            block,
                            file,
                            key: (!k.is_empty()).then_some(k.as_str()),
                            module: (!m.is_empty()).then_some(m.as_str()),
                            declared_as: Some(d),
                        })
                    }
                    _ => None,
                }
            })
            .collect()
    }

    /// The `resource` or `data` block at `address` (`azurerm_container_app.app`, `data.x.y`).
    /// For a resource expanded into instances, the address without a key finds its first instance.
    pub fn resource(&self, address: &str) -> Option<Resource<'_>> {
        let resources = self.resources();
        let exact = resources.iter().find(|r| r.address().to_string() == address).copied();
        exact.or_else(|| {
            resources
                .into_iter()
                .find(|r| r.key.is_some() && r.address().without_key().to_string() == address)
        })
    }

    /// The `variable` block called `name`.
    pub fn variable(&self, name: &str) -> Option<&Block> {
        self.blocks_of("variable")
            .map(|(_, b)| b)
            .find(|b| b.labels.first().map(String::as_str) == Some(name))
    }
}
/// The directory part of a configuration file's name as it is read (`modules/db/main.tf` → `modules/db`,
/// `../../main.tf` → `../..`, `main.tf` → ""): the module the file belongs to.
pub(crate) fn parent_dir(file: &str) -> &str {
    file.rfind('/').map_or("", |i| &file[..i])
}
