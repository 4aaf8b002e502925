//! The provider's HTTP mode: `endpoints {}` pointing at `ctsim serve` sends every call over
//! the wire, signed, to the server's state folder.

use ctsim_e2e::TfWorkspace;
use ctsim_e2e::wire::Served;

#[test]
fn trail_basic_applies_through_ctsim_serve_and_plans_clean() {
    let ws = TfWorkspace::example("trail-basic");
    let server = Served::start();
    ws.write(
        "ctsim_http_override.tf",
        &format!(
            "provider \"aws\" {{\n  access_key = \"test\"\n  secret_key = \"test\"\n  endpoints {{\n    cloudtrail = \"{url}\"\n    s3 = \"{url}\"\n  }}\n}}\n",
            url = server.url
        ),
    );
    // A generic-tier type goes through the server too.
    ws.write(
        "generic.tf",
        "resource \"aws_guardduty_detector\" \"http\" {\n  enable = true\n}\n",
    );
    ws.init();
    ws.apply();
    ws.assert_no_changes();

    // Everything went to the server's state folder, recorded as the signed caller with the
    // provider's user agent; the workspace's own state folder was never used.
    let sim = ctsim::Simulator::open(&server.state).expect("server state");
    let records = sim.event_records().expect("records");
    let create = records
        .iter()
        .find(|r| r["eventName"] == "CreateTrail")
        .expect("CreateTrail recorded by the server");
    assert_eq!(create["sourceIPAddress"], "127.0.0.1");
    assert_eq!(create["userIdentity"]["accessKeyId"], "test");
    assert!(
        create["userAgent"]
            .as_str()
            .unwrap_or_default()
            .contains("(ctsim; http)"),
        "{create}"
    );
    assert!(
        records
            .iter()
            .any(|r| r["eventName"] == "CreateDetector"
                && r["eventSource"] == "guardduty.amazonaws.com"),
        "the generic call was recorded by the server"
    );
    let trails = ws.ctsim(&["trails", "--json"]);
    let local = String::from_utf8_lossy(&trails.stdout);
    assert!(
        !local.contains("management-events"),
        "the embedded state must stay empty: {local}"
    );

    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    let after = ctsim::Simulator::open(&server.state)
        .expect("server state")
        .event_records()
        .expect("records");
    assert!(after.iter().any(|r| r["eventName"] == "DeleteTrail"));
}

#[test]
fn unreachable_endpoint_is_a_configuration_error() {
    let ws = TfWorkspace::example("trail-basic");
    // A port nothing listens on (bound, then released).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    ws.write(
        "ctsim_http_override.tf",
        &format!(
            "provider \"aws\" {{\n  endpoints {{\n    cloudtrail = \"http://127.0.0.1:{port}\"\n  }}\n}}\n"
        ),
    );
    ws.init();
    let out = ws.terraform(&["plan", "-no-color"]);
    let text = ctsim_e2e::combined(&out);
    assert!(!out.status.success());
    assert!(text.contains("cannot reach ctsim serve"), "{text}");
}
