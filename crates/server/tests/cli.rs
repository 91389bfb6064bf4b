//! The `benefits` command, run as a real process.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_benefits");

fn domain_data(name: &str) -> String {
    format!("{}/../domain/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn expected_output() -> Value {
    serde_json::from_str(&std::fs::read_to_string(domain_data("example-output.json")).unwrap()).unwrap()
}

#[test]
fn evaluate_file_prints_the_evaluate_md_example_output() {
    let out = Command::new(BIN).args(["evaluate", &domain_data("example-input.json")]).output().unwrap();
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.ends_with("}\n"), "pretty JSON with a trailing newline");
    assert!(text.contains("\n  \"as_of\""), "pretty-printed");
    let got: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(got, expected_output());
    assert!(out.stderr.is_empty());
}

fn run_stdin(args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(BIN).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn evaluate_reads_standard_input() {
    let input = std::fs::read_to_string(domain_data("example-input.json")).unwrap();
    for args in [&["evaluate"][..], &["evaluate", "-"][..]] {
        let out = run_stdin(args, &input);
        assert!(out.status.success());
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(got, expected_output());
    }
}

#[test]
fn bad_input_exits_2_with_one_line_naming_the_field() {
    let input = std::fs::read_to_string(domain_data("example-input.json")).unwrap();
    let cases = [
        (input.replace("\"3750.50\"", "\"3750.505\""), "partner.sales[3].amount_usd"),
        (input.replace("\"as_of\": \"2025-07-15\"", "\"as_of\": \"2025-13-45\""), "as_of"),
        (input.replace("\"type\": \"list\"", "\"type\": \"byol\""), "partner.offers[0].type"),
        (input.replacen("\"as_of\"", "\"as_off\"", 1), "as_off"),
    ];
    for (bad, field) in cases {
        let out = run_stdin(&["evaluate"], &bad);
        assert_eq!(out.status.code(), Some(2), "{field}");
        assert!(out.stdout.is_empty(), "nothing on stdout");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "one line: {err:?}");
        assert!(err.starts_with(field), "names {field}: {err}");
    }
    let out = run_stdin(&["evaluate"], "{ not json");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8(out.stderr).unwrap().lines().count(), 1);
}

#[test]
fn unreadable_file_exits_2_naming_the_path() {
    let out = Command::new(BIN).args(["evaluate", "/nonexistent/input.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("/nonexistent/input.json"), "{err}");
    assert_eq!(err.lines().count(), 1);
}

fn dump(db: &std::path::Path) -> Vec<String> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        sqlx::any::install_default_drivers();
        let text = db.to_string_lossy();
        let url = if text.contains("://") { text.into_owned() } else { format!("sqlite://{text}") };
        let pool = sqlx::AnyPool::connect(&url).await.unwrap();
        let mut rows = Vec::new();
        for q in [
            "SELECT id || name || account_email FROM partners ORDER BY id",
            "SELECT id || email || role FROM users ORDER BY id",
            "SELECT partner_id || id || type || COALESCE(live_on, 'not live') FROM offers ORDER BY partner_id, id",
            "SELECT external_id || date || amount_cents || status || fraud FROM sales ORDER BY external_id",
            "SELECT row_key || month || mau FROM teams_mau ORDER BY row_key",
            "SELECT partner_id || benefit_id || year_start || state_json FROM benefit_records ORDER BY 1",
            "SELECT partner_id || benefit_id || year_start || granted_on || cause_json FROM grants ORDER BY 1",
            "SELECT id || COALESCE(first_benefit_date, '-') FROM partners ORDER BY id",
        ] {
            let r: Vec<String> = sqlx::query_scalar(q).fetch_all(&pool).await.unwrap();
            rows.extend(r);
        }
        rows
    })
}

#[test]
fn seed_demo_fills_a_fresh_database_deterministically_and_refuses_a_used_one() {
    let dir = tempfile::tempdir().unwrap();
    // A SQLite file in a folder that does not exist yet, or a PostgreSQL database.
    let db = common::fresh_store_blocking(dir.path());
    let db_arg = db.to_str().unwrap();
    let out = Command::new(BIN).args(["seed-demo", "--db", db_arg, "--today", "2025-07-15"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    for email in ["rewards@program.example", "admin@adatum.example", "member@contoso.example", "admin@fabrikam.example"] {
        assert!(stdout.contains(email), "{email} listed");
    }
    assert!(stdout.contains("demo-contoso-admin-1"), "passwords printed once");
    let first = dump(&db);
    assert!(first.iter().filter(|r| r.starts_with("CON-")).count() > 50, "18 months of sales");

    let again = Command::new(BIN).args(["seed-demo", "--db", db_arg, "--today", "2025-07-15"]).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--reset"));
    assert!(again.stdout.is_empty());

    let reset = Command::new(BIN).args(["seed-demo", "--db", db_arg, "--today", "2025-07-15", "--reset"]).output().unwrap();
    assert!(reset.status.success());
    assert_eq!(dump(&db), first, "same data for the same --today");

    let other = Command::new(BIN).args(["seed-demo", "--db", db_arg, "--today", "2025-09-01", "--reset"]).output().unwrap();
    assert!(other.status.success());
    assert_ne!(dump(&db), first, "the data follows --today");
}

/// `--db` takes a SQLite path or a `postgres://` address. A PostgreSQL server
/// that cannot be reached (port 1 of this machine: nothing listens there)
/// fails with one line naming the option, for every command that opens the
/// store; any other address is refused as neither; no folder named after the
/// scheme appears, and the address (which may carry a password) is never
/// repeated.
#[test]
fn a_database_address_is_opened_as_postgres_or_refused_never_taken_as_a_file_path() {
    let dir = std::env::temp_dir().join(format!("benefits-cli-db-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = "postgres://benefits:s3cret-pw@127.0.0.1:1/benefits";
    let runs: [&[&str]; 4] = [
        &["serve", "--addr", "127.0.0.1:0", "--db", url],
        &["seed-demo", "--db", url],
        &["run-jobs", "--db", url],
        &["token", "list", "--db", url],
    ];
    for args in runs {
        let out = Command::new(BIN).args(args).current_dir(&dir).env_remove("BENEFITS_DB").output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("--db") && err.contains("cannot open the PostgreSQL database"), "{args:?}: {err}");
        assert!(!err.contains("s3cret-pw"), "{args:?} repeated the address: {err}");
        assert!(!dir.join("postgres:").exists(), "{args:?} created a folder named postgres:");
    }
    let other = "mysql://benefits:s3cret-pw@127.0.0.1:1/benefits";
    let out = Command::new(BIN).args(["run-jobs"]).current_dir(&dir).env("BENEFITS_DB", other).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("BENEFITS_DB") && err.contains("neither"), "{err}");
    assert!(!err.contains("s3cret-pw"), "repeated the address: {err}");
    assert!(!dir.join("mysql:").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
