//! Sending e-mail: SMTP when `KINDRED_SMTP_URL` is set, otherwise one `.eml` file per
//! message in a folder (so a fresh install never loses mail and never needs a server).
//!
//! Every message has a plain-text and an HTML part, a fixed `Message-ID` (from the
//! outbox row, so a retried send is a duplicate the receiver recognises) and, for lists a
//! member can leave, RFC 8058 one-click unsubscribe headers.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::db::mail::QueuedMail;

/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Where mail goes and what it says about where it comes from.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    /// The public URL links are made absolute with, e.g. `https://kindred.example.org`.
    base_url: String,
    /// The domain part of Message-IDs.
    host: String,
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

/// The settings a [`Mailer`] is made from.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://host:port`, `smtps://user:pass@host` …; `None` writes files instead.
    pub smtp_url: Option<String>,
    /// The From address, e.g. `Kindred <kindred@example.org>`.
    pub from: String,
    /// The folder for `.eml` files when there is no SMTP server.
    pub folder: PathBuf,
    /// The public URL, without a trailing slash.
    pub base_url: String,
}

impl Mailer {
    /// Makes a mailer; errors name the setting that is wrong.
    pub fn new(settings: &MailSettings) -> Result<Mailer, String> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| format!("KINDRED_MAIL_FROM {:?} is not an address: {e}", settings.from))?;
        let transport = match &settings.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("KINDRED_SMTP_URL is not usable: {e}"))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build(),
            ),
            None => {
                std::fs::create_dir_all(&settings.folder).map_err(|e| {
                    format!("cannot create the mail folder {}: {e}", settings.folder.display())
                })?;
                Transport::Files(
                    AsyncFileTransport::<Tokio1Executor>::new(&settings.folder),
                    settings.folder.clone(),
                )
            }
        };
        let base_url = settings.base_url.trim_end_matches('/').to_owned();
        let host = url_host(&base_url);
        Ok(Mailer { transport, from, base_url, host })
    }

    /// Where mail goes, for the start-up log line.
    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Smtp(_) => "SMTP (KINDRED_SMTP_URL)".to_owned(),
            Transport::Files(_, folder) => format!(
                "files in {} (no KINDRED_SMTP_URL set: nothing leaves this machine)",
                folder.display()
            ),
        }
    }

    /// An absolute URL for a local path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Sends one queued message. `unsubscribe` is the one-click token for its list.
    pub async fn send(&self, mail: &QueuedMail, unsubscribe: Option<&str>) -> Result<(), String> {
        let message = self.compose(mail, unsubscribe)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|e| e.to_string()),
            Transport::Files(files, _) => {
                files.send(message).await.map(drop).map_err(|e| e.to_string())
            }
        }
    }

    /// Builds the message: headers, text and HTML parts.
    fn compose(&self, mail: &QueuedMail, unsubscribe: Option<&str>) -> Result<Message, String> {
        let to = Mailbox::new(
            Some(mail.display_name.clone()),
            mail.to_address.parse().map_err(|e| format!("bad address: {e}"))?,
        );
        let unsubscribe_url =
            unsubscribe.map(|token| self.url(&format!("/mail/unsubscribe/{token}")));
        let link = (!mail.link.is_empty()).then(|| self.url(&mail.link));
        let settings = self.url("/settings/notifications");
        let text = render_text(mail, link.as_deref(), unsubscribe_url.as_deref(), &settings);
        let html = render_html(mail, link.as_deref(), unsubscribe_url.as_deref(), &settings);
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .message_id(Some(format!("<{}@{}>", mail.message_id, self.host)));
        if let Some(url) = &unsubscribe_url {
            builder = builder
                .raw_header(header("List-Unsubscribe", format!("<{url}>")))
                .raw_header(header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".into()));
        }
        builder.multipart(MultiPart::alternative_plain_html(text, html)).map_err(|e| e.to_string())
    }
}

fn header(name: &'static str, value: String) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
}

/// The host of a URL such as `https://kindred.example.org:8443/` (`localhost` if none).
fn url_host(base_url: &str) -> String {
    let rest = base_url.split("://").nth(1).unwrap_or(base_url);
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    if host.is_empty() { "localhost".to_owned() } else { host.to_owned() }
}

/// The plain-text part.
fn render_text(
    mail: &QueuedMail,
    link: Option<&str>,
    unsubscribe: Option<&str>,
    settings: &str,
) -> String {
    let mut text = format!("Hello {},\n\n{}\n", mail.display_name, mail.body);
    if let Some(link) = link {
        text.push_str(&format!("\n{}: {link}\n", mail.link_label));
    }
    text.push_str("\n-- \nKindred\n");
    match unsubscribe {
        Some(url) => text.push_str(&format!(
            "You get these because of your notification settings: {settings}\nStop these e-mails: {url}\n"
        )),
        None => text.push_str("You get this because someone used your address on Kindred.\n"),
    }
    text
}

/// The HTML part: the same words, escaped, with the link as a button.
fn render_html(
    mail: &QueuedMail,
    link: Option<&str>,
    unsubscribe: Option<&str>,
    settings: &str,
) -> String {
    let escape = |text: &str| html_escape::encode_text(text).into_owned();
    let attribute = |text: &str| html_escape::encode_double_quoted_attribute(text).into_owned();
    let paragraphs: String = mail
        .body
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
        .collect();
    let button = link
        .map(|url| {
            format!(
                r#"<p><a href="{}" style="display:inline-block;padding:10px 16px;background:#1f6f5c;color:#fff;text-decoration:none;border-radius:6px">{}</a></p>"#,
                attribute(url),
                escape(&mail.link_label)
            )
        })
        .unwrap_or_default();
    let footer = match unsubscribe {
        Some(url) => format!(
            r#"You get these because of your <a href="{}">notification settings</a>. <a href="{}">Stop these e-mails</a>."#,
            attribute(settings),
            attribute(url)
        ),
        None => "You get this because someone used your address on Kindred.".to_owned(),
    };
    format!(
        r#"<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1b1b1b;max-width:36em"><p>Hello {},</p>{paragraphs}{button}<hr><p style="font-size:0.85em;color:#555">Kindred. {footer}</p></body></html>"#,
        escape(&mail.display_name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::UserId;

    fn queued(body: &str) -> QueuedMail {
        QueuedMail {
            id: 1,
            user_id: UserId(1),
            kind: "kudos".into(),
            to_address: "ada@example.org".into(),
            display_name: "Ada <Lovelace>".into(),
            subject: "Grace thanked you".into(),
            body: body.into(),
            link: "/c/river/recognition".into(),
            link_label: "Open in Kindred".into(),
            message_id: "abc".into(),
            list: Some("kudos".into()),
            attempts: 0,
            read_in_app: false,
        }
    }

    #[test]
    fn html_is_escaped_and_text_carries_every_link() {
        let mail = queued("Thanks for <b>everything</b>");
        let html =
            render_html(&mail, Some("https://k.org/x"), Some("https://k.org/u"), "https://k.org/s");
        assert!(html.contains("Thanks for &lt;b&gt;everything&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<b>"));
        assert!(html.contains("Ada &lt;Lovelace&gt;"));
        let text =
            render_text(&mail, Some("https://k.org/x"), Some("https://k.org/u"), "https://k.org/s");
        assert!(text.contains("Open in Kindred: https://k.org/x"));
        assert!(text.contains("Stop these e-mails: https://k.org/u"));
    }

    #[test]
    fn message_ids_use_the_public_host() {
        assert_eq!(url_host("https://kindred.example.org:8443/"), "kindred.example.org");
        assert_eq!(url_host("http://127.0.0.1:3000"), "127.0.0.1");
    }
}
