//! The apps and jobs of a stack as rendering and validation walk them: the one app of `[container_app]` (the
//! single-app form, whose Terraform names are those infra has always written) or each of `[apps.<key>]`, then each
//! of `[jobs.<key>]`. One place decides every name an app or job gives Terraform: its resource name, its
//! image-tag and secret variables, the identity it pulls with and that identity's AcrPull grant.

use super::names::KeyVaultId;
use super::validate::Seg;
use super::{ContainerApp, ContainerAppJob, KeyVault, Secret, Stack, UserAssignedIdentity};

/// The Terraform name of the stack's shared pull identity (`azurerm_user_assigned_identity.app`), its AcrPull
/// grant (`azurerm_role_assignment.acr_pull`) and that grant's wait (`time_sleep.acr_pull_propagation`).
pub(crate) const SHARED: &str = "app";

/// An app or a job.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Workload<'a> {
    /// A container app.
    App(&'a ContainerApp),
    /// A Container Apps job.
    Job(&'a ContainerAppJob),
}

/// One app or job of a stack with the names it gives Terraform.
#[derive(Debug, Clone)]
pub(crate) struct Deployed<'a> {
    /// The `[apps.<key>]` / `[jobs.<key>]` key; `None` for `[container_app]`.
    pub(crate) key: Option<&'a str>,
    /// What it is.
    pub(crate) workload: Workload<'a>,
}

impl<'a> Deployed<'a> {
    /// Its Terraform resource name: `app` for `[container_app]`, else its key.
    pub(crate) fn label(&self) -> &'a str {
        self.key.unwrap_or(SHARED)
    }

    /// Where it is in the stack file: `container_app`, `apps.<key>` or `jobs.<key>`.
    pub(crate) fn path(&self) -> Vec<Seg> {
        match (self.key, self.workload) {
            (None, _) => vec![Seg::Key("container_app")],
            (Some(k), Workload::App(_)) => vec![Seg::Key("apps"), Seg::Entry(k.to_string())],
            (Some(k), Workload::Job(_)) => vec![Seg::Key("jobs"), Seg::Entry(k.to_string())],
        }
    }

    /// The variable holding its image tag: `image_tag` for `[container_app]`, else `image_tag_<key>`.
    pub(crate) fn tag_variable(&self) -> String {
        match self.key {
            None => "image_tag".to_string(),
            Some(k) => format!("image_tag_{k}"),
        }
    }

    /// The sensitive variable holding a secret's value: `secret_<name>` for `[container_app]`, else
    /// `secret_<key>_<name>` (`-` as `_`).
    pub(crate) fn secret_variable(&self, secret: &Secret) -> String {
        match self.key {
            None => secret.variable(),
            Some(k) => format!("secret_{k}_{}", secret.name.as_str().replace('-', "_")),
        }
    }

    /// Its own identity, when it has one.
    pub(crate) fn own_identity(&self) -> Option<&'a UserAssignedIdentity> {
        match self.workload {
            Workload::App(a) => a.identity.as_ref(),
            Workload::Job(j) => j.identity.as_ref(),
        }
    }

    /// The Terraform name of the identity it pulls with (and of that identity's AcrPull grant and wait):
    /// [`SHARED`], or its key when it has an identity of its own.
    pub(crate) fn identity_label(&self) -> &'a str {
        match self.own_identity() {
            Some(_) => self.label(),
            None => SHARED,
        }
    }

    /// Its main container.
    pub(crate) fn container(&self) -> &'a super::Container {
        match self.workload {
            Workload::App(a) => &a.container,
            Workload::Job(j) => &j.container,
        }
    }

    /// The Key Vault its `key_vault_secret`s are read from: its own `key_vault`, else `[existing.key_vault]` when
    /// that is given by `id` (validation requires one of them wherever a secret reads from Key Vault).
    pub(crate) fn key_vault(&self, stack: &Stack) -> Option<KeyVault> {
        let own = match self.workload {
            Workload::App(a) => a.key_vault.as_ref(),
            Workload::Job(j) => j.key_vault.as_ref(),
        };
        own.cloned().or_else(|| {
            let id = stack.existing.key_vault.as_ref()?.id.as_ref()?;
            Some(KeyVault {
                id: KeyVaultId::new(id.as_str()).ok()?,
            })
        })
    }

    /// Whether a secret of it, or the certificate of one of its custom domains, is read from Key Vault (and so its
    /// identity is granted "Key Vault Secrets User").
    pub(crate) fn reads_key_vault(&self) -> bool {
        self.secrets().iter().any(|s| s.key_vault_secret.is_some()) || !self.key_vault_certificates().is_empty()
    }

    /// Its custom domains whose certificate is read from Key Vault.
    pub(crate) fn key_vault_certificates(&self) -> Vec<&'a super::CustomDomain> {
        match self.workload {
            Workload::App(a) => a
                .custom_domains
                .iter()
                .filter(|c| c.certificate.key_vault_secret().is_some())
                .collect(),
            Workload::Job(_) => Vec::new(),
        }
    }

    /// The Terraform name of its "Key Vault Secrets User" grant: `key_vault_secrets_user` for `[container_app]`,
    /// else `key_vault_secrets_user_<key>`.
    pub(crate) fn key_vault_grant_label(&self) -> String {
        match self.key {
            None => "key_vault_secrets_user".to_string(),
            Some(k) => format!("key_vault_secrets_user_{k}"),
        }
    }

    /// Its secrets.
    pub(crate) fn secrets(&self) -> &'a [Secret] {
        match self.workload {
            Workload::App(a) => &a.secrets,
            Workload::Job(j) => &j.secrets,
        }
    }
}

/// The Terraform names of an identity that pulls images: the identity, its AcrPull grant and the grant's wait.
pub(crate) fn acr_pull_label(identity_label: &str) -> String {
    if identity_label == SHARED {
        "acr_pull".to_string()
    } else {
        format!("acr_pull_{identity_label}")
    }
}

/// The `time_sleep` after the AcrPull grant of the identity `identity_label`.
pub(crate) fn propagation_label(identity_label: &str) -> String {
    if identity_label == SHARED {
        "acr_pull_propagation".to_string()
    } else {
        format!("acr_pull_propagation_{identity_label}")
    }
}

impl Stack {
    /// The apps, in file order of their kind: `[container_app]`, or each of `[apps.<key>]` by key.
    pub(crate) fn deployed_apps(&self) -> Vec<Deployed<'_>> {
        let single = self.container_app.iter().map(|a| Deployed {
            key: None,
            workload: Workload::App(a),
        });
        let many = self.apps.iter().map(|(k, a)| Deployed {
            key: Some(k.as_str()),
            workload: Workload::App(a),
        });
        single.chain(many).collect()
    }

    /// The jobs, by key.
    pub(crate) fn deployed_jobs(&self) -> Vec<Deployed<'_>> {
        self.jobs
            .iter()
            .map(|(k, j)| Deployed {
                key: Some(k.as_str()),
                workload: Workload::Job(j),
            })
            .collect()
    }

    /// The apps, then the jobs.
    pub(crate) fn deployed(&self) -> Vec<Deployed<'_>> {
        let mut all = self.deployed_apps();
        all.extend(self.deployed_jobs());
        all
    }
}
