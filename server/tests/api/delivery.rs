//! Email delivery through a real SMTP server: aiosmtpd (PyPI) on a loopback port writes every
//! message it receives to a maildir, where the test finds the sign-up code.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use cognate_server::config::SmtpConfig;

use super::support::*;

/// Kills and reaps the SMTP server when the test ends, passing or failing.
struct SmtpServer(Child);

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "aiosmtpd did not start (is it installed? scripts/install-tools.sh)"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn messages(maildir: &Path) -> Vec<String> {
    std::fs::read_dir(maildir.join("new"))
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn sign_up_codes_arrive_by_smtp() {
    let scratch = tempfile::tempdir().expect("tempdir");
    // aiosmtpd creates the maildir itself and refuses one that exists.
    let maildir = scratch.path().join("maildir");
    let port = free_port();
    let child = Command::new("python3")
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(&maildir)
        .spawn()
        .expect("python3 -m aiosmtpd");
    let _smtp = SmtpServer(child);
    wait_for_port(port);

    let server = TestServer::start_with(|config| {
        config.smtp = Some(SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            username: None,
            password: None,
            from: "Cognate <no-reply@cognate.test>".into(),
            tls: "none".into(),
        });
    })
    .await;
    let (_, client_id) = server.pool_and_client(true).await;
    server
        .public
        .sign_up()
        .client_id(&client_id)
        .username("smtp-user")
        .password(PASSWORD)
        .user_attributes(attr("email", "smtp-user@example.com"))
        .send()
        .await
        .expect("sign up");

    let deadline = Instant::now() + Duration::from_secs(20);
    let message = loop {
        if let Some(message) = messages(&maildir).into_iter().next() {
            break message;
        }
        assert!(Instant::now() < deadline, "no message reached the SMTP server");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(message.contains("To: smtp-user@example.com"), "{message}");
    assert!(message.contains("Subject: Your verification code"), "{message}");
    let code: String = message
        .split("Your verification code is ")
        .nth(1)
        .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect())
        .unwrap_or_default();
    assert_eq!(code.len(), 6, "{message}");
    assert_eq!(
        server.mail_count("smtp-user@example.com").await,
        0,
        "SMTP replaces the dev mailbox for email"
    );

    server
        .public
        .confirm_sign_up()
        .client_id(&client_id)
        .username("smtp-user")
        .confirmation_code(code)
        .send()
        .await
        .expect("the emailed code confirms the user");
}
