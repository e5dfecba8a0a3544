//! The gRPC services: tfplugin6 `Provider`, go-plugin's `GRPCController` and the standard health check.

use std::collections::BTreeMap;
use std::sync::Arc;

use tonic::{Request, Response, Status};

use crate::proto::health::{
    health_check_response::ServingStatus, health_server::Health, HealthCheckRequest, HealthCheckResponse,
};
use crate::proto::plugin::{grpc_controller_server::GrpcController, Empty};
use crate::proto::tfplugin6::{self as pb, provider_server::Provider};
use crate::schema::{self, ResourceSchema};
use crate::values;

/// The message every attempt to change real infrastructure gets.
pub const CANNOT_APPLY: &str = "this is infra's schema-only test provider; it cannot apply";

pub struct TestProvider {
    provider: ResourceSchema,
    resources: BTreeMap<String, ResourceSchema>,
    data_sources: BTreeMap<String, ResourceSchema>,
}

impl Default for TestProvider {
    fn default() -> Self {
        TestProvider::new(schema::Served::Azurerm)
    }
}

impl TestProvider {
    /// The provider serving `served`'s schemas.
    pub fn new(served: schema::Served) -> Self {
        TestProvider {
            provider: schema::provider_of(served),
            resources: schema::resources_of(served),
            data_sources: schema::data_sources_of(served),
        }
    }
}

fn error(summary: impl Into<String>, detail: impl Into<String>) -> pb::Diagnostic {
    pb::Diagnostic {
        severity: pb::diagnostic::Severity::Error as i32,
        summary: summary.into(),
        detail: detail.into(),
        attribute: None,
    }
}

fn msgpack(v: &Option<pb::DynamicValue>) -> Result<rmpv::Value, String> {
    match v {
        None => Ok(rmpv::Value::Nil),
        Some(dv) if !dv.msgpack.is_empty() => values::decode(&dv.msgpack),
        Some(dv) if !dv.json.is_empty() => Err("JSON-encoded dynamic values are not supported".into()),
        Some(_) => Ok(rmpv::Value::Nil),
    }
}

fn dynamic(v: &rmpv::Value) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: values::encode(v),
        json: vec![],
    })
}

impl TestProvider {
    fn resource(&self, type_name: &str) -> Result<&ResourceSchema, pb::Diagnostic> {
        self.resources.get(type_name).ok_or_else(|| {
            error(
                "Unsupported resource type",
                format!("infra's test provider has no schema for {type_name:?}"),
            )
        })
    }
}

#[tonic::async_trait]
impl Provider for TestProvider {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        Ok(Response::new(pb::get_metadata::Response {
            server_capabilities: Some(pb::ServerCapabilities::default()),
            diagnostics: vec![],
            data_sources: self
                .data_sources
                .keys()
                .map(|k| pb::get_metadata::DataSourceMetadata { type_name: k.clone() })
                .collect(),
            resources: self
                .resources
                .keys()
                .map(|k| pb::get_metadata::ResourceMetadata { type_name: k.clone() })
                .collect(),
        }))
    }

    async fn get_provider_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        Ok(Response::new(pb::get_provider_schema::Response {
            provider: Some(self.provider.to_proto()),
            resource_schemas: self.resources.iter().map(|(k, s)| (k.clone(), s.to_proto())).collect(),
            data_source_schemas: self
                .data_sources
                .iter()
                .map(|(k, s)| (k.clone(), s.to_proto()))
                .collect(),
            diagnostics: vec![],
            provider_meta: None,
            server_capabilities: Some(pb::ServerCapabilities::default()),
        }))
    }

    async fn validate_provider_config(
        &self,
        _: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        Ok(Response::new(pb::validate_provider_config::Response {
            diagnostics: vec![],
        }))
    }

    async fn validate_resource_config(
        &self,
        req: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        // Terraform core already checked names, types, required arguments and block counts against the schema.
        let req = req.into_inner();
        let mut diagnostics = vec![];
        if let Err(d) = self.resource(&req.type_name) {
            diagnostics.push(d);
        } else if let Err(e) = msgpack(&req.config) {
            diagnostics.push(error("Invalid configuration value", e));
        }
        Ok(Response::new(pb::validate_resource_config::Response { diagnostics }))
    }

    async fn validate_data_resource_config(
        &self,
        req: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let name = req.into_inner().type_name;
        let diagnostics = match self.data_sources.get(&name) {
            Some(_) => vec![],
            None => vec![error(
                "Unsupported data source",
                format!("infra's test provider has no schema for the data source {name:?}"),
            )],
        };
        Ok(Response::new(pb::validate_data_resource_config::Response {
            diagnostics,
        }))
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let req = req.into_inner();
        let result = (|| {
            let s = self.resource(&req.type_name)?;
            let raw = req.raw_state.unwrap_or_default();
            if raw.json.is_empty() {
                return Err(error(
                    "Unsupported state format",
                    "only JSON resource state can be upgraded",
                ));
            }
            let json: serde_json::Value =
                serde_json::from_slice(&raw.json).map_err(|e| error("Invalid resource state JSON", e.to_string()))?;
            values::json_state_to_msgpack(&s.block, &json).map_err(|e| error("Invalid resource state", e))
        })();
        Ok(Response::new(match result {
            Ok(v) => pb::upgrade_resource_state::Response {
                upgraded_state: dynamic(&v),
                diagnostics: vec![],
            },
            Err(d) => pb::upgrade_resource_state::Response {
                upgraded_state: None,
                diagnostics: vec![d],
            },
        }))
    }

    async fn configure_provider(
        &self,
        _: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        Ok(Response::new(pb::configure_provider::Response { diagnostics: vec![] }))
    }

    async fn read_resource(
        &self,
        req: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let req = req.into_inner();
        Ok(Response::new(pb::read_resource::Response {
            new_state: req.current_state,
            diagnostics: vec![],
            private: req.private,
        }))
    }

    async fn plan_resource_change(
        &self,
        req: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let req = req.into_inner();
        let result = (|| {
            let s = self.resource(&req.type_name)?;
            let decode = |v| msgpack(v).map_err(|e| error("Invalid value from Terraform", e));
            let prior = decode(&req.prior_state)?;
            let proposed = decode(&req.proposed_new_state)?;
            let config = decode(&req.config)?;
            let planned = values::plan(&s.block, &prior, &proposed, &config);
            let replace = values::requires_replace(&req.type_name, &prior, &planned);
            Ok((planned, replace))
        })();
        Ok(Response::new(match result {
            Ok((planned, replace)) => pb::plan_resource_change::Response {
                planned_state: dynamic(&planned),
                requires_replace: replace
                    .into_iter()
                    .map(|name| pb::AttributePath {
                        steps: vec![pb::attribute_path::Step {
                            selector: Some(pb::attribute_path::step::Selector::AttributeName(name)),
                        }],
                    })
                    .collect(),
                planned_private: req.prior_private,
                diagnostics: vec![],
            },
            Err(d) => pb::plan_resource_change::Response {
                planned_state: None,
                requires_replace: vec![],
                planned_private: vec![],
                diagnostics: vec![d],
            },
        }))
    }

    async fn apply_resource_change(
        &self,
        req: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let name = req.into_inner().type_name;
        Ok(Response::new(pb::apply_resource_change::Response {
            new_state: None,
            private: vec![],
            diagnostics: vec![error(CANNOT_APPLY, format!("Refusing to apply a change to {name}."))],
        }))
    }

    async fn import_resource_state(
        &self,
        req: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let req = req.into_inner();
        Ok(Response::new(pb::import_resource_state::Response {
            diagnostics: vec![error(
                CANNOT_APPLY,
                format!("Refusing to import {} {:?}.", req.type_name, req.id),
            )],
        }))
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        // A data source "exists" with made-up values: what the configuration gives, and for every computed
        // attribute a placeholder of its type (`values::read_placeholder`), so that a plan can be made offline.
        let req = req.into_inner();
        let result = match self.data_sources.get(&req.type_name) {
            None => Err(error(
                "Unsupported data source",
                format!(
                    "infra's test provider has no schema for the data source {:?}",
                    req.type_name
                ),
            )),
            Some(s) => msgpack(&req.config)
                .map(|config| values::read_placeholder(&s.block, &req.type_name, &config))
                .map_err(|e| error("Invalid configuration value", e)),
        };
        Ok(Response::new(match result {
            Ok(state) => pb::read_data_source::Response {
                state: dynamic(&state),
                diagnostics: vec![],
            },
            Err(d) => pb::read_data_source::Response {
                state: None,
                diagnostics: vec![d],
            },
        }))
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        Ok(Response::new(pb::get_functions::Response { diagnostics: vec![] }))
    }

    async fn stop_provider(
        &self,
        _: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        Ok(Response::new(pb::stop_provider::Response { error: String::new() }))
    }
}

/// go-plugin's controller: Terraform calls Shutdown when it is done with the plugin.
pub struct Controller {
    pub shutdown: Arc<tokio::sync::Notify>,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _: Request<Empty>) -> Result<Response<Empty>, Status> {
        self.shutdown.notify_one();
        Ok(Response::new(Empty {}))
    }
}

pub struct HealthService;

#[tonic::async_trait]
impl Health for HealthService {
    async fn check(&self, _: Request<HealthCheckRequest>) -> Result<Response<HealthCheckResponse>, Status> {
        Ok(Response::new(HealthCheckResponse {
            status: ServingStatus::Serving as i32,
        }))
    }
}
