//! Renders the deployments of a container service as a readable table or as JSON.
//!
//! Strings from the service are printed with control characters escaped, so a hostile
//! response cannot drive the terminal.

use std::fmt::Write as _;

use lightsail::operation::get_container_service_deployments::GetContainerServiceDeploymentsOutput;
use lightsail::primitives::{DateTime, DateTimeFormat};
use lightsail::types::{
    Container, ContainerServiceDeployment, ContainerServiceEndpoint,
    ContainerServiceHealthCheckConfig,
};
use serde_json::{json, Map, Value};

/// What a missing value is shown as in the table.
const MISSING: &str = "-";

/// A timestamp in RFC 3339 (`2024-01-02T03:04:05.123Z`).
pub fn rfc3339(time: &DateTime) -> String {
    time.fmt(DateTimeFormat::DateTime)
        .unwrap_or_else(|_| format!("{}s since the epoch", time.secs()))
}

/// `text` with control characters escaped (`\n`, `\u{1b}`).
fn clean(text: &str) -> String {
    if text.chars().any(char::is_control) {
        text.escape_debug().to_string()
    } else {
        text.to_owned()
    }
}

/// A command line, shell-quoted: arguments with characters other than letters, digits and
/// `@%+=:,./_-` are single-quoted.
fn command_line(args: &[String]) -> String {
    if args.is_empty() {
        return "(image default)".to_owned();
    }
    args.iter()
        .map(|arg| {
            let arg = clean(arg);
            let safe = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
            if arg.is_empty() || !arg.chars().all(safe) {
                format!("'{}'", arg.replace('\'', r"'\''"))
            } else {
                arg
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The ports of a container sorted by number: `8000/HTTP 8443/HTTPS`.
fn ports(container: &Container) -> String {
    let mut ports: Vec<(&String, &str)> = container
        .ports()
        .into_iter()
        .flatten()
        .map(|(port, protocol)| (port, protocol.as_str()))
        .collect();
    ports.sort_by_key(|(port, _)| (port.parse::<u32>().unwrap_or(u32::MAX), port.as_str()));
    if ports.is_empty() {
        return MISSING.to_owned();
    }
    ports
        .iter()
        .map(|(port, protocol)| format!("{}/{}", clean(port), clean(protocol)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The containers of a deployment, sorted by name.
fn containers(deployment: &ContainerServiceDeployment) -> Vec<(&String, &Container)> {
    let mut containers: Vec<_> = deployment.containers().into_iter().flatten().collect();
    containers.sort_by_key(|(name, _)| name.as_str());
    containers
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| MISSING.to_owned(), |v| clean(&v.to_string()))
}

/// `path /healthz, success codes 200, every 30s, timeout 10s, healthy after 3, unhealthy after 5`.
fn health_check(check: &ContainerServiceHealthCheckConfig) -> String {
    format!(
        "path {}, success codes {}, every {}s, timeout {}s, healthy after {}, unhealthy after {}",
        opt(check.path()),
        opt(check.success_codes()),
        opt(check.interval_seconds()),
        opt(check.timeout_seconds()),
        opt(check.healthy_threshold()),
        opt(check.unhealthy_threshold()),
    )
}

/// Lays out rows as columns separated by two spaces (no trailing spaces).
fn columns(rows: &[Vec<String>], indent: &str) -> String {
    let count = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..count)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::from(indent);
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i].saturating_sub(cell.chars().count()) + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The deployments of `service` as a table: one summary line per deployment (version, state,
/// creation time), then for each its public endpoint, health check and containers (image,
/// ports, command).
pub fn table(service: &str, output: &GetContainerServiceDeploymentsOutput) -> String {
    let deployments = output.deployments();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Container service {}: {} deployment{}",
        clean(service),
        deployments.len(),
        if deployments.len() == 1 { "" } else { "s" }
    );
    if deployments.is_empty() {
        return out;
    }
    out.push('\n');
    let mut summary = vec![vec![
        "VERSION".to_owned(),
        "STATE".to_owned(),
        "CREATED AT".to_owned(),
    ]];
    for d in deployments {
        summary.push(vec![
            opt(d.version()),
            opt(d.state().map(|s| s.as_str())),
            d.created_at().map_or_else(|| MISSING.to_owned(), rfc3339),
        ]);
    }
    out.push_str(&columns(&summary, ""));
    for d in deployments {
        out.push('\n');
        let _ = writeln!(
            out,
            "Deployment {} ({})",
            opt(d.version()),
            opt(d.state().map(|s| s.as_str()))
        );
        match d.public_endpoint() {
            Some(endpoint) => {
                let _ = writeln!(
                    out,
                    "  public endpoint: {}:{}",
                    opt(endpoint.container_name()),
                    opt(endpoint.container_port())
                );
                if let Some(check) = endpoint.health_check() {
                    let _ = writeln!(out, "  health check:    {}", health_check(check));
                }
            }
            None => out.push_str("  public endpoint: none\n"),
        }
        let mut rows = vec![vec![
            "CONTAINER".to_owned(),
            "IMAGE".to_owned(),
            "PORTS".to_owned(),
            "COMMAND".to_owned(),
        ]];
        for (name, c) in containers(d) {
            rows.push(vec![
                clean(name),
                opt(c.image()),
                ports(c),
                command_line(c.command()),
            ]);
        }
        out.push_str(&columns(&rows, "  "));
    }
    out
}

fn endpoint_json(endpoint: &ContainerServiceEndpoint) -> Value {
    json!({
        "containerName": endpoint.container_name(),
        "containerPort": endpoint.container_port(),
        "healthCheck": endpoint.health_check().map(|h| json!({
            "path": h.path(),
            "successCodes": h.success_codes(),
            "intervalSeconds": h.interval_seconds(),
            "timeoutSeconds": h.timeout_seconds(),
            "healthyThreshold": h.healthy_threshold(),
            "unhealthyThreshold": h.unhealthy_threshold(),
        })),
    })
}

/// One deployment as JSON (the service's member names; `createdAt` in RFC 3339; containers
/// and ports sorted).
pub fn deployment_json(d: &ContainerServiceDeployment) -> Value {
    let mut containers_json = Map::new();
    for (name, c) in containers(d) {
        let mut ports: Vec<_> = c.ports().into_iter().flatten().collect();
        ports.sort_by_key(|(port, _)| (port.parse::<u32>().unwrap_or(u32::MAX), port.as_str()));
        let ports: Map<String, Value> = ports
            .into_iter()
            .map(|(port, protocol)| (port.clone(), Value::from(protocol.as_str())))
            .collect();
        containers_json.insert(
            name.clone(),
            json!({ "image": c.image(), "command": c.command(), "ports": ports }),
        );
    }
    json!({
        "version": d.version(),
        "state": d.state().map(|s| s.as_str()),
        "createdAt": d.created_at().map(rfc3339),
        "containers": containers_json,
        "publicEndpoint": d.public_endpoint().map(endpoint_json),
    })
}

/// The deployments of `service` as pretty-printed JSON, ending in a newline.
pub fn json(service: &str, output: &GetContainerServiceDeploymentsOutput) -> String {
    let value = json!({
        "serviceName": service,
        "deployments": output.deployments().iter().map(deployment_json).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use lightsail::types::{ContainerServiceDeploymentState, ContainerServiceProtocol};

    fn output() -> GetContainerServiceDeploymentsOutput {
        let web = Container::builder()
            .image("nginx:1.25")
            .command("sh")
            .command("-c")
            .command("exec nginx")
            .ports("8443", ContainerServiceProtocol::Https)
            .ports("80", ContainerServiceProtocol::Http)
            .build();
        let sidecar = Container::builder().image("bad\u{1b}[31mimage").build();
        let deployment = ContainerServiceDeployment::builder()
            .version(7)
            .state(ContainerServiceDeploymentState::Active)
            .created_at(DateTime::from_secs_and_nanos(1_704_164_645, 123_000_000))
            .containers("web", web)
            .containers("sidecar", sidecar)
            .public_endpoint(
                ContainerServiceEndpoint::builder()
                    .container_name("web")
                    .container_port(80)
                    .health_check(
                        ContainerServiceHealthCheckConfig::builder()
                            .path("/healthz")
                            .success_codes("200-299")
                            .interval_seconds(5)
                            .timeout_seconds(2)
                            .healthy_threshold(2)
                            .unhealthy_threshold(3)
                            .build(),
                    )
                    .build(),
            )
            .build();
        GetContainerServiceDeploymentsOutput::builder()
            .deployments(deployment)
            .deployments(ContainerServiceDeployment::builder().version(6).build())
            .build()
    }

    #[test]
    fn table_shows_every_field() {
        let text = table("demo", &output());
        let expected = "\
Container service demo: 2 deployments

VERSION  STATE   CREATED AT
7        ACTIVE  2024-01-02T03:04:05.123Z
6        -       -

Deployment 7 (ACTIVE)
  public endpoint: web:80
  health check:    path /healthz, success codes 200-299, every 5s, timeout 2s, healthy after 2, unhealthy after 3
  CONTAINER  IMAGE               PORTS               COMMAND
  sidecar    bad\\u{1b}[31mimage  -                   (image default)
  web        nginx:1.25          80/HTTP 8443/HTTPS  sh -c 'exec nginx'

Deployment 6 (-)
  public endpoint: none
  CONTAINER  IMAGE  PORTS  COMMAND
";
        assert_eq!(text, expected, "\n{text}");
    }

    #[test]
    fn table_of_no_deployments() {
        let empty = GetContainerServiceDeploymentsOutput::builder().build();
        assert_eq!(table("x", &empty), "Container service x: 0 deployments\n");
    }

    #[test]
    fn json_is_structured() {
        let text = json("demo", &output());
        let value: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(value["serviceName"], "demo");
        let first = &value["deployments"][0];
        assert_eq!(first["version"], 7);
        assert_eq!(first["state"], "ACTIVE");
        assert_eq!(first["createdAt"], "2024-01-02T03:04:05.123Z");
        assert_eq!(
            first["containers"]["web"]["command"],
            json!(["sh", "-c", "exec nginx"])
        );
        assert_eq!(
            first["containers"]["web"]["ports"],
            json!({"80": "HTTP", "8443": "HTTPS"})
        );
        assert_eq!(first["publicEndpoint"]["healthCheck"]["path"], "/healthz");
        assert_eq!(value["deployments"][1]["createdAt"], Value::Null);
    }

    #[test]
    fn command_quoting() {
        assert_eq!(
            command_line(&["echo".into(), "it's".into(), "".into()]),
            r"echo 'it'\''s' ''"
        );
    }
}
