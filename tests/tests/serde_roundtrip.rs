//! The `serde` feature of the generated crate: every Lightsail shape round-trips through
//! serde_json unchanged, and the JSON uses the wire names and formats (RFC 3339 timestamps
//! exact to the nanosecond, enums as their wire strings).

use std::fmt::Debug;

use lightsail::error::ProvideErrorMetadata;
use lightsail::operation::get_container_service_deployments::{
    GetContainerServiceDeploymentsInput, GetContainerServiceDeploymentsOutput,
};
use lightsail::operation::RequestId;
use lightsail::primitives::DateTime;
use lightsail::types::error::{
    AccessDeniedException, InvalidInputException, NotFoundException,
    RegionSetupInProgressException, ServiceException, UnauthenticatedException,
};
use lightsail::types::{
    Container, ContainerServiceDeployment, ContainerServiceDeploymentState,
    ContainerServiceEndpoint, ContainerServiceHealthCheckConfig, ContainerServiceProtocol,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// value -> JSON -> value, which must be equal; returns the JSON.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) -> String {
    let json = serde_json::to_string(value).expect("serialize");
    let back: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
    assert_eq!(&back, value, "{json}");
    json
}

fn health_check() -> ContainerServiceHealthCheckConfig {
    ContainerServiceHealthCheckConfig::builder()
        .healthy_threshold(2)
        .unhealthy_threshold(3)
        .timeout_seconds(5)
        .interval_seconds(10)
        .path("/health")
        .success_codes("200-299")
        .build()
}

fn container() -> Container {
    Container::builder()
        .image(":web.app.7")
        .command("serve")
        .command("--port=8080")
        .environment("MODE", "prod".to_string())
        .ports("8080", ContainerServiceProtocol::Http)
        .build()
}

fn endpoint() -> ContainerServiceEndpoint {
    ContainerServiceEndpoint::builder()
        .container_name("app")
        .container_port(8080)
        .health_check(health_check())
        .build()
}

fn deployment() -> ContainerServiceDeployment {
    ContainerServiceDeployment::builder()
        .version(4)
        .state(ContainerServiceDeploymentState::Active)
        .containers("app", container())
        .public_endpoint(endpoint())
        .created_at(DateTime::from_secs_and_nanos(1_652_235_091, 123_456_789))
        .build()
}

#[test]
fn structures_round_trip() {
    round_trip(&health_check());
    round_trip(&container());
    round_trip(&endpoint());
    round_trip(&deployment());
    // Empty values: every member is absent.
    assert_eq!(
        round_trip(&ContainerServiceHealthCheckConfig::builder().build()),
        "{}"
    );
    assert_eq!(round_trip(&Container::builder().build()), "{}");
    assert_eq!(
        round_trip(&ContainerServiceEndpoint::builder().build()),
        "{}"
    );
    assert_eq!(
        round_trip(&ContainerServiceDeployment::builder().build()),
        "{}"
    );
    // Empty collections are kept (they are not `None`).
    let empty = Container::builder()
        .set_command(Some(vec![]))
        .set_environment(Some(Default::default()))
        .build();
    assert_eq!(round_trip(&empty), r#"{"command":[],"environment":{}}"#);
}

#[test]
fn deployment_json_golden() {
    let json = serde_json::to_string_pretty(&deployment()).expect("serialize");
    assert_eq!(
        json,
        r#"{
  "version": 4,
  "state": "ACTIVE",
  "containers": {
    "app": {
      "image": ":web.app.7",
      "command": [
        "serve",
        "--port=8080"
      ],
      "environment": {
        "MODE": "prod"
      },
      "ports": {
        "8080": "HTTP"
      }
    }
  },
  "publicEndpoint": {
    "containerName": "app",
    "containerPort": 8080,
    "healthCheck": {
      "healthyThreshold": 2,
      "unhealthyThreshold": 3,
      "timeoutSeconds": 5,
      "intervalSeconds": 10,
      "path": "/health",
      "successCodes": "200-299"
    }
  },
  "createdAt": "2022-05-11T02:11:31.123456789Z"
}"#
    );
    let back: ContainerServiceDeployment = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(
        back.created_at(),
        Some(&DateTime::from_secs_and_nanos(1_652_235_091, 123_456_789))
    );
    assert_eq!(back, deployment());
}

#[test]
fn timestamps_accept_epoch_seconds_and_offsets() {
    let expected = DateTime::from_secs_and_nanos(1_652_235_091, 500_000_000);
    for json in [
        r#"{"createdAt":1652235091.5}"#,
        r#"{"createdAt":"2022-05-11T02:11:31.5Z"}"#,
        r#"{"createdAt":"2022-05-11T04:11:31.500+02:00"}"#,
    ] {
        let d: ContainerServiceDeployment = serde_json::from_str(json).expect(json);
        assert_eq!(d.created_at(), Some(&expected), "{json}");
    }
    let err = serde_json::from_str::<ContainerServiceDeployment>(r#"{"createdAt":"soon"}"#)
        .expect_err("not a timestamp");
    assert!(
        err.to_string().contains("invalid RFC 3339 timestamp"),
        "{err}"
    );
}

#[test]
fn unknown_members_are_ignored_and_null_is_absent() {
    let d: ContainerServiceDeployment =
        serde_json::from_str(r#"{"version":1,"addedLater":{"x":[1]},"state":null}"#)
            .expect("deserialize");
    assert_eq!(d, ContainerServiceDeployment::builder().version(1).build());
}

// Matching `Unknown` is deprecated (as in aws-sdk-rust); these tests check exactly it.
#[allow(deprecated)]
#[test]
fn enums_round_trip_including_unknown() {
    for state in [
        ContainerServiceDeploymentState::Activating,
        ContainerServiceDeploymentState::Active,
        ContainerServiceDeploymentState::Inactive,
        ContainerServiceDeploymentState::Failed,
        ContainerServiceDeploymentState::from("PAUSED"),
    ] {
        let json = round_trip(&state);
        assert_eq!(json, format!("\"{}\"", state.as_str()));
    }
    let unknown: ContainerServiceDeploymentState =
        serde_json::from_str(r#""PAUSED""#).expect("deserialize");
    assert!(
        matches!(unknown, ContainerServiceDeploymentState::Unknown(ref v) if v.as_str() == "PAUSED")
    );
    for protocol in [
        ContainerServiceProtocol::Http,
        ContainerServiceProtocol::Https,
        ContainerServiceProtocol::Tcp,
        ContainerServiceProtocol::Udp,
        ContainerServiceProtocol::from("QUIC"),
    ] {
        let json = round_trip(&protocol);
        assert_eq!(json, format!("\"{}\"", protocol.as_str()));
    }
    assert!(serde_json::from_str::<ContainerServiceProtocol>("1").is_err());
}

#[test]
fn input_and_output_round_trip() {
    let input = GetContainerServiceDeploymentsInput::builder()
        .service_name("web")
        .build()
        .expect("valid input");
    assert_eq!(round_trip(&input), r#"{"serviceName":"web"}"#);

    let output = GetContainerServiceDeploymentsOutput::builder()
        .deployments(deployment())
        .deployments(ContainerServiceDeployment::builder().version(3).build())
        .build();
    round_trip(&output);

    // The request id is not a member: it is not serialized.
    let with_id = GetContainerServiceDeploymentsOutput::builder()
        ._request_id("req-1")
        .deployments(ContainerServiceDeployment::builder().version(3).build())
        .build();
    let json = serde_json::to_string(&with_id).expect("serialize");
    assert_eq!(json, r#"{"deployments":[{"version":3}]}"#);
    let back: GetContainerServiceDeploymentsOutput = serde_json::from_str(&json).expect("de");
    assert_eq!(back.request_id(), None);
    assert_eq!(back.deployments(), with_id.deployments());
}

macro_rules! error_round_trip {
    ($($ty:ident),* $(,)?) => {
        $(
            let full = $ty::builder()
                .code("Code")
                .docs("https://docs.example/")
                .message("something went wrong")
                .tip("try again")
                .build();
            assert_eq!(
                round_trip(&full),
                r#"{"code":"Code","docs":"https://docs.example/","message":"something went wrong","tip":"try again"}"#,
                stringify!($ty)
            );
            assert_eq!(round_trip(&$ty::builder().build()), "{}", stringify!($ty));

            // The error metadata is not a member: it is not serialized.
            let meta = lightsail::error::ErrorMetadata::builder()
                .code(stringify!($ty))
                .message("from the service")
                .request_id("req-2")
                .build();
            let with_meta = $ty::builder().message("m").meta(meta).build();
            let json = serde_json::to_string(&with_meta).expect("serialize");
            assert_eq!(json, r#"{"message":"m"}"#, stringify!($ty));
            let back: $ty = serde_json::from_str(&json).expect("deserialize");
            assert_eq!(back.meta().code(), None, stringify!($ty));
            assert_eq!(back.message(), Some("m"), stringify!($ty));
        )*
    };
}

#[test]
fn errors_round_trip() {
    error_round_trip!(
        AccessDeniedException,
        InvalidInputException,
        NotFoundException,
        RegionSetupInProgressException,
        ServiceException,
        UnauthenticatedException,
    );
}
