//! The offline installation: `terraform init` through ctsim's filesystem mirror satisfies
//! the version constraints people put on hashicorp/aws, and works with modules.

use ctsim_e2e::TfWorkspace;

fn config_with_constraint(constraint: &str) -> String {
    format!(
        r#"terraform {{
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "{constraint}"
    }}
  }}
}}

provider "aws" {{
  region = "us-east-1"
}}
"#
    )
}

#[test]
fn usual_version_constraints_are_satisfied_offline() {
    let ws = TfWorkspace::new(&[("main.tf", &config_with_constraint(">= 4.0"))]);
    for (constraint, installed) in [
        (">= 4.0", "v6.99.0"),
        ("~> 6.0", "v6.99.0"),
        ("~> 5.0", "v5.99.0"),
        ("~> 5.31", "v5.99.0"),
        (">= 5.0, < 6.0", "v5.99.0"),
        ("~> 4.0", "v4.99.0"),
    ] {
        ws.write("main.tf", &config_with_constraint(constraint));
        let out = ws.ok(&["init", "-upgrade", "-no-color"]);
        let chosen = [
            format!("Installed hashicorp/aws {installed}"),
            format!("Using previously-installed hashicorp/aws {installed}"),
        ];
        assert!(
            chosen.iter().any(|line| out.contains(line.as_str())),
            "constraint {constraint}: expected {installed}:\n{out}"
        );
    }
}

#[test]
fn a_module_configuration_with_credentials_in_the_provider_block_applies() {
    let ws = TfWorkspace::example("trail-module");
    let init = ws.init();
    assert!(init.contains("Installed hashicorp/aws v5.99.0"), "{init}");
    let apply = ws.apply();
    assert!(
        apply.contains("arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-audit"),
        "{apply}"
    );
    ws.assert_no_changes();
    let state = ws.state_json();
    let trail = state["values"]["root_module"]["child_modules"][0]["resources"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["type"] == "aws_cloudtrail"))
        .map(|r| &r["values"])
        .expect("the module's trail in state");
    assert_eq!(
        trail["advanced_event_selector"][0]["name"],
        "Management events"
    );
    assert_eq!(trail["region"], "eu-west-1");
}
